"""Chromatic-shift parameter (Chromagnon) reader package."""

from clxm_meta.readers.chromatic.reader import (
    COLUMNS,
    ChromagnonRow,
    ChromaticModel,
    read,
    sniff,
)

__all__ = [
    "COLUMNS",
    "ChromagnonRow",
    "ChromaticModel",
    "read",
    "sniff",
]
