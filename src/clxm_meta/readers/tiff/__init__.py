"""TIFF, OME-TIFF and ImageJ-TIFF reader package."""

from clxm_meta.readers.tiff.reader import (
    TiffMetadata,
    TiffPage,
    TiffSeries,
    read,
)

__all__ = [
    "TiffMetadata",
    "TiffPage",
    "TiffSeries",
    "read",
]
