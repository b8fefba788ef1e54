"""OME-XML per SIM dataset: `ome_xml` of one format model, `ome_models` of a dataset."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clxm_meta.readers._exports import lazy_exports

if TYPE_CHECKING:
    from clxm_meta.export.ome.build import OME_MAPPING, ome_models, ome_xml

__all__ = ["OME_MAPPING", "ome_models", "ome_xml"]

__getattr__, __dir__ = lazy_exports(
    __name__, {"OME_MAPPING": "build", "ome_models": "build", "ome_xml": "build"}
)
