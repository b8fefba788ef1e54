"""Correlation transforms (plain 4x4/3x4 matrix text, eC-CLEM XML).

`read` (in ``reader.py``) and the format model (``model.py``) are imported on first use.

Text format: ``sniff.py`` recognises a file from its name and first bytes and imports no parser; the
registry calls it before this package's reader is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clxm_meta.readers._exports import lazy_exports

if TYPE_CHECKING:
    from clxm_meta.readers.correlation.model import CorrelationModel, MatrixEntry
    from clxm_meta.readers.correlation.reader import read

__all__ = ["CorrelationModel", "MatrixEntry", "read"]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "CorrelationModel": "model",
        "MatrixEntry": "model",
        "read": "reader",
    },
)
