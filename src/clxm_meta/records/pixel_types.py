"""The one vocabulary of Table 1 ``*.pixel_type`` values.

Table 1 asks for words ("unsigned byte, 32-bit float, ..."); every normaliser maps its reader's
numpy dtype name through `pixel_type_words` so that files of one dataset agree on the wording (a DV
and its MRC copy must not disagree over "uint16" vs "unsigned 16-bit integer"). The numpy name goes
into the source's transform.
"""

from __future__ import annotations

__all__ = ["PIXEL_TYPE_WORDS", "pixel_type_words"]

PIXEL_TYPE_WORDS: dict[str, str] = {
    "int8": "signed 8-bit integer",
    "uint8": "unsigned 8-bit integer",
    "int16": "signed 16-bit integer",
    "uint16": "unsigned 16-bit integer",
    "int32": "signed 32-bit integer",
    "uint32": "unsigned 32-bit integer",
    "int64": "signed 64-bit integer",
    "uint64": "unsigned 64-bit integer",
    "float16": "16-bit float",
    "float32": "32-bit float",
    "float64": "64-bit float",
    "complex64": "64-bit complex (2 × 32-bit float)",
    "complex128": "128-bit complex (2 × 64-bit float)",
}
"""Numpy dtype name → Table 1 wording."""


def pixel_type_words(dtype_name: str) -> str:
    """Table 1 wording of a numpy dtype name (``"uint16"`` → ``"unsigned 16-bit integer"``).

    A name outside the table (e.g. an RGB or 4-bit mode described by a reader) is returned unchanged.
    """
    return PIXEL_TYPE_WORDS.get(dtype_name, dtype_name)
