"""MRC2014 / IMOD / SerialEM (``.mrc``, ``.st``, ``.ali``, ``.rec`` ...), header only.

`read` (in ``reader.py``) and the format model (``model.py``) are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clxm_meta.readers._exports import lazy_exports

if TYPE_CHECKING:
    from clxm_meta.readers.mrc.model import MrcFile
    from clxm_meta.readers.mrc.reader import MAX_EXT_HEADER, read

__all__ = ["MAX_EXT_HEADER", "MrcFile", "read"]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "MAX_EXT_HEADER": "reader",
        "MrcFile": "model",
        "read": "reader",
    },
)
