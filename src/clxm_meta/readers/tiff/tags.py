"""The tags of one TIFF page as a JSON-safe dictionary, with bounded size.

Tag values come from tifffile as ints, floats, enums, strings, bytes, tuples, numpy arrays or (for
the ImageJ metadata tag) dictionaries. They are turned into JSON values with fixed limits so that a
file with a 100 MB tag does not produce a 100 MB model: long strings are cut, long sequences and
large byte blobs are left out, and every such change is listed in ``notes``.
"""

from __future__ import annotations

import math
from enum import Enum
from typing import Any, cast

__all__ = ["MAX_BYTES", "MAX_ITEMS", "MAX_STRING", "json_safe", "named_tags", "page_tags"]

MAX_STRING = 4096
"""Characters kept of a string value."""
MAX_ITEMS = 64
"""Items kept of a sequence value (longer sequences are left out)."""
MAX_BYTES = 256
"""Bytes of a binary value kept as hex (longer values are left out)."""

JSONValue = None | bool | int | float | str | list[Any] | dict[str, Any]


def json_safe(value: Any, name: str, notes: dict[str, str]) -> JSONValue:
    """Convert one tag value to JSON, recording in ``notes[name]`` anything cut or left out.

    Returns ``None`` for a value left out (with a note).
    """
    kind = type(value)
    if kind is int or (kind is str and len(value) <= MAX_STRING):
        return cast(JSONValue, value)  # the common case, as `_scalar` would return it
    if value is None or isinstance(value, bool | str | int | float):
        return _scalar(value, name, notes)
    if isinstance(value, Enum):
        raw = value.value
        return raw if isinstance(raw, int | str) else str(raw)
    if isinstance(value, bytes | bytearray):
        if len(value) <= MAX_BYTES:
            return bytes(value).hex()
        notes[name] = f"{len(value)} bytes of binary data left out"
        return None
    if isinstance(value, dict):
        return {str(k): json_safe(v, f"{name}.{k}", notes) for k, v in value.items()}
    if hasattr(value, "tolist") and hasattr(value, "size"):  # numpy array or scalar
        if int(value.size) > MAX_ITEMS:
            notes[name] = f"array of {int(value.size)} values left out"
            return None
        return json_safe(value.tolist(), name, notes)
    if isinstance(value, list | tuple):
        if len(value) > MAX_ITEMS:
            notes[name] = f"{len(value)} values left out"
            return None
        return [json_safe(v, f"{name}[{i}]", notes) for i, v in enumerate(value)]
    return _scalar(str(value), name, notes)


def _scalar(value: bool | int | float | str | None, name: str, notes: dict[str, str]) -> JSONValue:
    if isinstance(value, float) and not math.isfinite(value):
        notes[name] = f"non-finite number {value!r} written as a string"
        return repr(value)
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            notes[name] = f"string of {len(value)} characters cut to {MAX_STRING}"
            return value[:MAX_STRING]
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)  # plain int, also for IntEnum subclasses
    return value


def named_tags(page: Any) -> list[tuple[str, Any]]:
    """Every tag of a tifffile page with its name (the code as text when unnamed), in file order.

    ``tag.name`` is a registry look-up; the reader asks for each name once, here.
    """
    out = []
    for tag in page.tags.values():
        name = tag.name
        out.append((str(name) if name else str(tag.code), tag))
    return out


def page_tags(
    page: Any, named: list[tuple[str, Any]] | None = None
) -> tuple[dict[str, JSONValue], dict[str, str]]:
    """Every tag of a tifffile page: ``{name: value}`` and ``{name: note}``.

    A repeated tag (txrm2tiff writes two ImageDescription tags) gets ``#2``, ``#3`` ... appended to
    its name. A tag whose value cannot be read is left out with a note. ``named`` is
    ``named_tags(page)`` when the caller already has it.
    """
    tags: dict[str, JSONValue] = {}
    notes: dict[str, str] = {}
    for name, tag in named_tags(page) if named is None else named:
        key, n = name, 1
        while key in tags or key in notes:
            n += 1
            key = f"{name}#{n}"
        try:
            value = tag.value
        except Exception as exc:  # tifffile reads large values lazily; a bad offset fails here
            notes[key] = f"value not readable: {type(exc).__name__}: {exc}"
            continue
        tags[key] = json_safe(value, key, notes)
    return tags, notes
