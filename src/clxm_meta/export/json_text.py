"""``json.dumps(data, indent=2, ensure_ascii=False)``, at a third of its cost.

With an indent, the standard library leaves its C encoder for a generator per nesting level and
per value; a deposit writes three such documents per unit (EMPIAR, PageTab, RO-Crate). This is
one recursive function over the same types in the same order of checks (``str``, ``None``,
``True``, ``False``, ``int``, ``float``, ``list``/``tuple``, ``dict``), with the standard
library's own string escaping and number formatting, so the text is the same; anything else
(another type, a key that is not a string or number, a cycle) is handed to `json.dumps` itself,
which gives the text or the error it always gave. tests/export/test_json_text.py compares the two
on the real documents and on random values.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

__all__ = ["dumps_indented", "dumps_member"]

_STEP = "  "


class _Other(Exception):
    """A value this encoder leaves to `json.dumps`."""


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, float):
        return encode_basestring(_float(key))
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return encode_basestring(int.__repr__(key))
    raise _Other


def _scalar(value: Any) -> str | None:
    """The text of a value of exactly ``str``, ``int``, ``float``, ``bool`` or ``None`` type.

    ``None`` for anything else (containers and subclasses go through `_encode`): inside a
    container, most values are such scalars, and a call of `_encode` per value was most of its
    cost.
    """
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    return None


def _encode(value: Any, newline: str, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + _STEP
        sep = "," + inner
        out.append("[" + inner)
        first = True
        for item in value:
            if not first:
                out.append(sep)
            first = False
            scalar = _scalar(item)
            if scalar is None:
                _encode(item, inner, out)
            else:
                out.append(scalar)
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + _STEP
        sep = "," + inner
        out.append("{")
        first = True
        for key, item in value.items():
            name = encode_basestring(key) if type(key) is str else _key(key)
            scalar = _scalar(item)
            if scalar is None:
                out.append((inner if first else sep) + name + ": ")
                _encode(item, inner, out)
            else:
                out.append((inner if first else sep) + name + ": " + scalar)
            first = False
        out.append(newline + "}")
    else:
        raise _Other


def dumps_indented(data: Any) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False)``: the same text, or the same error."""
    out: list[str] = []
    try:
        _encode(data, "\n", out)
    except (_Other, RecursionError):
        return json.dumps(data, indent=2, ensure_ascii=False)
    return "".join(out)


def dumps_member(value: Any) -> str | None:
    """The text of ``value`` as a member of a top-level object in `dumps_indented`'s output.

    That is, indented one level: ``dumps_indented({"k": value})`` is ``{``, a line break,
    two spaces, ``"k": ``, this text, a line break and ``}``. ``None`` for a value this encoder leaves to `json.dumps` (the caller then encodes
    the whole document with `dumps_indented`). Lets a document whose members repeat in every
    unit (the RO-Crate's ``@context``) keep their text.
    """
    out: list[str] = []
    try:
        _encode(value, "\n" + _STEP, out)
    except (_Other, RecursionError):
        return None
    return "".join(out)
