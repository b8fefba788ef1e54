"""TIFF, BigTIFF, OME-TIFF and ImageJ-TIFF, header only.

`read` (in ``reader.py``) and the format model (``model.py``) are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clxm_meta.readers._exports import lazy_exports

if TYPE_CHECKING:
    from clxm_meta.readers.tiff.model import TiffMetadata, TiffPage, TiffSeries
    from clxm_meta.readers.tiff.reader import read

__all__ = ["TiffMetadata", "TiffPage", "TiffSeries", "read"]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "TiffMetadata": "model",
        "TiffPage": "model",
        "TiffSeries": "model",
        "read": "reader",
    },
)
