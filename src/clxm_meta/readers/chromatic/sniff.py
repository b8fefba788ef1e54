"""Recognise a Chromagnon CSV from its name and first bytes, without importing the parser."""

from __future__ import annotations

__all__ = ["sniff"]


def _first_cells(head: str, n: int) -> list[str]:
    cells = []
    for line in head.splitlines():
        if line.strip():
            cells.append(line.split(",", 1)[0].strip().lower())
        if len(cells) == n:
            break
    return cells


def sniff(name: str, head: bytes) -> bool:
    """Chromagnon's rule: first two lines start ``nt`` and ``nw``; or a ``.chromagnon.csv`` name."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    if _first_cells(text, 2) == ["nt", "nw"]:
        return True
    return name.lower().endswith(".chromagnon.csv") and "refwave" in text
