"""The EMPIAR deposition JSON: `build_empiar` and its parts (codes, details, image sets, people)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clxm_meta.readers._exports import lazy_exports

if TYPE_CHECKING:
    from clxm_meta.export.empiar.build import EMPIAR_MAPPING, build_empiar

__all__ = ["EMPIAR_MAPPING", "build_empiar"]

__getattr__, __dir__ = lazy_exports(__name__, {"EMPIAR_MAPPING": "build", "build_empiar": "build"})
