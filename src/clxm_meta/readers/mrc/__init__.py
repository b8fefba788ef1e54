"""MRC2014 / IMOD / SerialEM reader package."""

from clxm_meta.readers.mrc.reader import (
    MAX_EXT_HEADER,
    MrcFile,
    read,
)

__all__ = [
    "MAX_EXT_HEADER",
    "MrcFile",
    "read",
]
