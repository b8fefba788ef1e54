"""Plain matrix text: the name rule and the rows of one 3x4 or 4x4 affine matrix."""

from __future__ import annotations

import re

from clxm_meta.readers._text import parse_float

__all__ = ["NAME_WORDS", "TEXT_SUFFIXES", "matrix_rows", "name_ok"]


NAME_WORDS = ("transform", "transfo", "matrix", "affine", "registration", "correlation")


TEXT_SUFFIXES = (".txt", ".csv", ".dat")


RE_SPLIT = re.compile(r"[\s,;]+")


def name_ok(name: str) -> bool:
    """True for a ``.txt`` / ``.csv`` / ``.dat`` name that says it holds a transform."""
    lower = name.lower()
    return lower.endswith(TEXT_SUFFIXES) and any(w in lower for w in NAME_WORDS)


def matrix_rows(text: str) -> list[tuple[int, list[float]]] | None:
    """The numbered rows of a 3- or 4-row matrix of 4 numbers, or ``None`` if ``text`` is not one."""
    rows: list[tuple[int, list[float]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        content = raw.split("#", 1)[0].strip()
        if not content:
            continue
        parts = [p for p in RE_SPLIT.split(content) if p]
        values = [parse_float(p) for p in parts]
        if len(values) != 4 or any(v is None for v in values):
            return None
        rows.append((number, [v for v in values if v is not None]))
        if len(rows) > 4:
            return None
    return rows if len(rows) in (3, 4) else None
