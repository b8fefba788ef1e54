"""Zeiss/Xradia OLE2 compound files (``.txrm``, ``.xrm``), header streams only.

`read` (in ``reader.py``) and the format model (``model.py``) are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clxm_meta.readers._exports import lazy_exports

if TYPE_CHECKING:
    from clxm_meta.readers.txrm.model import TxrmFile
    from clxm_meta.readers.txrm.reader import DATA_TYPES, STEP_TOLERANCE_DEG, read

__all__ = ["DATA_TYPES", "STEP_TOLERANCE_DEG", "TxrmFile", "read"]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "DATA_TYPES": "reader",
        "STEP_TOLERANCE_DEG": "reader",
        "TxrmFile": "model",
        "read": "reader",
    },
)
