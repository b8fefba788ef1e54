"""Recognise a correlation transform (matrix text, eC-CLEM XML) without importing the parser."""

from __future__ import annotations

import re

from clxm_meta.readers.correlation.matrix_text import matrix_rows, name_ok

__all__ = ["sniff"]


def sniff(name: str, head: bytes) -> bool:
    """Claim a matrix text file (name and content) or an eC-CLEM XML file (content)."""
    text = head.decode("utf-8", errors="replace")
    lower = name.lower()
    if lower.endswith(".xml"):
        return bool(
            re.search(r"<MatrixTransformation\b[^<>]*\bm00=", text)
            or (re.search(r"<transformation\b[^<>]*\bnoiseModel=", text) and "<dataset" in text)
        )
    return name_ok(name) and len(head) < 4096 and matrix_rows(text) is not None
