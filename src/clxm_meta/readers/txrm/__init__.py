"""Zeiss/Xradia TXRM/XRM reader package."""

from clxm_meta.readers.txrm.reader import (
    DATA_TYPES,
    STEP_TOLERANCE_DEG,
    read,
)

__all__ = [
    "DATA_TYPES",
    "STEP_TOLERANCE_DEG",
    "read",
]
