"""Recognise a correlation transform (matrix text, eC-CLEM XML) without importing the parser."""

from __future__ import annotations

import re

from clxm_meta.readers.correlation.matrix_text import (
    TEXT_SUFFIXES,
    is_affine,
    matrix_rows,
    name_ok,
    names_a_pair,
)

__all__ = ["sniff"]


def sniff(name: str, head: bytes) -> bool:
    """Claim a matrix text file or an eC-CLEM XML file (content).

    A ``.txt``/``.csv``/``.dat`` file holding one 3×4 or 4×4 matrix is claimed when its name says
    transform/matrix/registration..., when its name maps one modality onto the other
    (``cell01_SIM_to_SXT.txt``), or, whatever its name, when the matrix is a homogeneous affine
    transform (4×4 with last row ``0 0 0 1``): the content decides, not only words in the name.
    """
    text = head.decode("utf-8", errors="replace")
    lower = name.lower()
    if lower.endswith(".xml"):
        return bool(
            re.search(r"<MatrixTransformation\b[^<>]*\bm00=", text)
            or (re.search(r"<transformation\b[^<>]*\bnoiseModel=", text) and "<dataset" in text)
        )
    if not lower.endswith(TEXT_SUFFIXES) or len(head) >= 4096:
        return False
    rows = matrix_rows(text)
    if rows is None:
        return False
    return name_ok(name) or names_a_pair(name) or is_affine(rows)
