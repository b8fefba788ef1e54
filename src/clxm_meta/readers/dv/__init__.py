"""DeltaVision / Priism (.dv, .r3d) reader package."""

from clxm_meta.readers.dv.reader import (
    DvFile,
    read,
)

__all__ = [
    "DvFile",
    "read",
]
