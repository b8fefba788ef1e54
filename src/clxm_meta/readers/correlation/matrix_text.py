"""Plain matrix text: the name rule and the rows of one 3x4 or 4x4 affine matrix."""

from __future__ import annotations

import re

from clxm_meta.readers._text import parse_float

__all__ = ["NAME_WORDS", "TEXT_SUFFIXES", "is_affine", "matrix_rows", "name_ok", "names_a_pair"]


NAME_WORDS = ("transform", "transfo", "matrix", "affine", "registration", "correlation")


TEXT_SUFFIXES = (".txt", ".csv", ".dat")


RE_SPLIT = re.compile(r"[\s,;]+")


def name_ok(name: str) -> bool:
    """True for a ``.txt`` / ``.csv`` / ``.dat`` name that says it holds a transform."""
    lower = name.lower()
    return lower.endswith(TEXT_SUFFIXES) and any(w in lower for w in NAME_WORDS)


RE_PAIR = re.compile(
    r"(?i)(?:^|[_\-.\s])(sim|sxt|xray|x-ray|lm|em|fm|light)[_\-.\s]?(?:to|2)[_\-.\s]?(sim|sxt|xray|x-ray|lm|em|fm|light)(?:$|[_\-.\s])"
)
"""``cell01_SIM_to_SXT``, ``sxt2sim``: a name saying it maps one modality onto the other."""


def names_a_pair(name: str) -> bool:
    """True for a text name of the ``<modality>_to_<modality>`` kind (``cell01_SIM_to_SXT.txt``)."""
    lower = name.lower()
    base = lower.rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0]
    return lower.endswith(TEXT_SUFFIXES) and RE_PAIR.search(stem) is not None


def is_affine(rows: list[tuple[int, list[float]]]) -> bool:
    """True for a 4×4 matrix whose last row is ``0 0 0 1`` (a homogeneous affine transform)."""
    return len(rows) == 4 and rows[3][1] == [0.0, 0.0, 0.0, 1.0]


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
