"""DeltaVision / Priism (``.dv``, ``.r3d``): raw and reconstructed SIM stacks, header only.

`read` (in ``reader.py``) and the format model (``model.py``) are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clxm_meta.readers._exports import lazy_exports

if TYPE_CHECKING:
    from clxm_meta.readers.dv.model import DvFile
    from clxm_meta.readers.dv.reader import read

__all__ = ["DvFile", "read"]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "DvFile": "model",
        "read": "reader",
    },
)
