"""Chromatic-shift parameters (Chromagnon ``.chromagnon.csv``).

`read` (in ``reader.py``) and the format model (``model.py``) are imported on first use.

Text format: ``sniff.py`` recognises a file from its name and first bytes and imports no parser; the
registry calls it before this package's reader is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clxm_meta.readers._exports import lazy_exports

if TYPE_CHECKING:
    from clxm_meta.readers.chromatic.model import ChromagnonRow, ChromaticModel
    from clxm_meta.readers.chromatic.reader import COLUMNS, read

__all__ = ["COLUMNS", "ChromagnonRow", "ChromaticModel", "read"]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "COLUMNS": "reader",
        "ChromagnonRow": "model",
        "ChromaticModel": "model",
        "read": "reader",
    },
)
