"""Shared helpers of the SIM text readers (simrecon, chromatic, correlation): bounded reads, lines.

Every text reader reads at most `MAX_BYTES` from a file, decodes it as UTF-8 with replacement
characters (so non-UTF-8 bytes never raise), splits it into numbered lines (LF, CRLF or CR) and
cuts lines longer than `MAX_LINE` characters. What was cut is reported by the caller as findings.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from clxm_meta.errors import UnreadableFileError
from clxm_meta.readers.base import read_bounded

__all__ = ["MAX_BYTES", "MAX_LINE", "TextFile", "parse_float", "read_text", "split_lines"]

MAX_BYTES = 16 * 1024 * 1024
"""Bytes read from a text file at most (16 MiB: a sirecon log of a long time series is ~1 MB)."""

MAX_LINE = 4096
"""Characters kept of one line; longer lines are cut (their start is kept)."""


@dataclass(frozen=True)
class TextFile:
    """The decoded, bounded content of a text file.

    Attributes
    ----------
    lines
        ``(line_number, text)`` pairs, 1-based, without line terminators.
    size
        File size in bytes.
    truncated
        The file is larger than `MAX_BYTES`; only the start was read.
    replaced
        The bytes were not valid UTF-8; undecodable bytes became U+FFFD.
    long_lines
        Line numbers of lines cut to `MAX_LINE` characters.
    """

    lines: list[tuple[int, str]]
    size: int
    truncated: bool
    replaced: bool
    long_lines: list[int]


def split_lines(text: str) -> tuple[list[tuple[int, str]], list[int]]:
    """Split ``text`` into numbered lines (any line ending) and cut over-long ones."""
    out: list[tuple[int, str]] = []
    long_lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE:
            long_lines.append(number)
            line = line[:MAX_LINE]
        out.append((number, line))
    return out, long_lines


def read_text(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> TextFile:
    """Read at most ``max_bytes`` of ``path`` read-only, decode leniently and split into lines.

    Raises
    ------
    UnreadableFileError
        The file cannot be opened or is not a regular file.
    """
    if not os.path.isfile(path):
        raise UnreadableFileError("not a regular file", path=path)
    raw, size = read_bounded(path, max_bytes)
    truncated = len(raw) > max_bytes
    raw = raw[:max_bytes]
    try:
        text = raw.decode("utf-8")
        replaced = False
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        replaced = True
    text = text.lstrip("\ufeff").replace("\x00", "\ufffd")
    lines, long_lines = split_lines(text)
    return TextFile(lines, size, truncated, replaced, long_lines)


def parse_float(text: str) -> float | None:
    """Parse a finite float, or ``None`` (never NaN or infinity)."""
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None
