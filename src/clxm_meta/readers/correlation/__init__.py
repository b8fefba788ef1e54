"""Correlation transform (matrix text, eC-CLEM XML) reader package."""

from clxm_meta.readers.correlation.reader import (
    CorrelationModel,
    MatrixEntry,
    read,
    sniff,
)

__all__ = [
    "CorrelationModel",
    "MatrixEntry",
    "read",
    "sniff",
]
