"""Shared line reading for the IMOD text readers.

Bytes are read with a size cap, decoded tolerantly (UTF-8, else Latin-1 with a finding), split on
LF, CRLF or CR, and over-long lines are cut. Line numbers are 1-based everywhere.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field

from clxm_meta.readers.base import FindingCollector, read_bounded
from clxm_meta.readers.imod.model import TextLine

__all__ = [
    "MAX_BYTES",
    "MAX_KEPT_LINES",
    "MAX_LINE_CHARS",
    "NUMBER",
    "LineKeeper",
    "TextDoc",
    "decode",
    "floats",
    "load",
    "number",
    "report_unconvertible",
    "split_lines",
    "to_float",
    "to_int",
]

MAX_BYTES = 64 * 1024 * 1024
"""At most this many bytes of a file are read; the rest is ignored with a finding."""

MAX_LINE_CHARS = 65536
"""Lines longer than this are cut (with one finding per file)."""

NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eEdD][-+]?\d+)?"
"""A Fortran- or C-printed number (Fortran ``D`` exponents included).

Unambiguous (an optional fraction after the integer digits, not an optional point between two
digit runs): a run of digits splits one way only, so a long digit run that fails to match costs linear, not quadratic, time (issue 23)."""

_NUMBER_RE = re.compile(NUMBER)


@dataclass
class TextDoc:
    """A decoded text file.

    Attributes
    ----------
    lines
        The lines without line terminators; ``lines[0]`` is line 1.
    encoding
        ``"utf-8"`` or ``"latin-1"``.
    size
        File size in bytes.
    truncated
        True when only the first `MAX_BYTES` bytes were read.
    crlf
        True when the file uses CRLF line ends.
    """

    lines: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    size: int = 0
    truncated: bool = False
    crlf: bool = False

    def numbered(self) -> list[tuple[int, str]]:
        """The lines with their 1-based numbers."""
        return list(enumerate(self.lines, start=1))


def decode(data: bytes, collector: FindingCollector) -> tuple[str, str]:
    """Decode ``data`` as UTF-8 (BOM allowed), else Latin-1 with a finding.

    Returns
    -------
    tuple
        The text and the encoding name.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        collector.warning(
            "not_utf8",
            f"the file is not valid UTF-8 (first bad byte at offset {exc.start}); "
            "it was read as Latin-1",
            locator=f"byte {exc.start}",
        )
        return data.decode("latin-1"), "latin-1"


def split_lines(text: str, collector: FindingCollector | None = None) -> list[str]:
    """Split on LF, CRLF or CR; cut lines longer than `MAX_LINE_CHARS`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    long_lines = [i for i, line in enumerate(lines) if len(line) > MAX_LINE_CHARS]
    if long_lines:
        for i in long_lines:
            lines[i] = lines[i][:MAX_LINE_CHARS]
        if collector is not None:
            collector.warning(
                "long_line",
                f"{len(long_lines)} line(s) longer than {MAX_LINE_CHARS} characters were cut",
                locator=f"line {long_lines[0] + 1}",
            )
    return lines


def load(path: str | os.PathLike[str], collector: FindingCollector) -> TextDoc:
    """Read ``path`` (read-only, at most `MAX_BYTES`) into a `TextDoc`."""
    data, _size = read_bounded(path, MAX_BYTES)
    return from_bytes(data, collector)


def from_bytes(data: bytes, collector: FindingCollector) -> TextDoc:
    """Decode bytes already read (at most `MAX_BYTES` are used)."""
    truncated = len(data) > MAX_BYTES
    size = len(data)
    if truncated:
        data = data[:MAX_BYTES]
        collector.warning(
            "too_large",
            f"only the first {MAX_BYTES} bytes were read; the rest of the file was ignored",
        )
    text, encoding = decode(data, collector)
    crlf = "\r\n" in text[:65536]
    return TextDoc(
        lines=split_lines(text, collector),
        encoding=encoding,
        size=size,
        truncated=truncated,
        crlf=crlf,
    )


def to_float(token: str) -> float | None:
    """Parse one number (Fortran ``D`` exponent allowed); ``None`` if it is not one or not finite."""
    try:
        value = float(token)  # float never takes a D: the replacing is only needed when it fails
    except ValueError:
        try:
            value = float(token.replace("D", "E").replace("d", "e"))
        except ValueError:
            return None
    if value != value or value in (_INF, _NEG_INF):
        return None
    return value


_INF, _NEG_INF = float("inf"), float("-inf")


def number(token: str) -> float:
    """``float`` of a token a pattern built on `NUMBER` matched: Fortran ``D`` exponents too.

    IMOD's Fortran programs print ``1.5D-05``; ``float`` refuses the ``D``. Overflow gives
    ``inf`` as ``float`` does.
    """
    return float(token.replace("D", "E").replace("d", "e"))


def to_int(token: str) -> int | None:
    """Parse one integer; ``None`` if it is not one."""
    try:
        return int(token)
    except ValueError:
        return None


def floats(text: str) -> list[float] | None:
    """All whitespace/comma separated tokens as numbers, or ``None`` if any token is not a number."""
    tokens = text.replace(",", " ").split()
    try:  # fast path: every token a plain float (one conversion each, no per-token call)
        fast = [float(tok) for tok in tokens]
    except ValueError:
        pass  # a Fortran D exponent or a word: the per-token path decides
    else:
        return fast if all(map(math.isfinite, fast)) else None
    out: list[float] = []
    for tok in tokens:
        value = to_float(tok)
        if value is None:
            return None
        out.append(value)
    return out


def report_unconvertible(collector: FindingCollector, lines: list[int]) -> None:
    """One finding for the lines skipped because a number in them could not be converted.

    A pattern accepts any run of digits; ``int`` refuses more than 4300 of them (Python's
    int-string limit), so a line such as ``5000 digits views, ...`` raises `ValueError`. The
    parsers skip such a line (it is kept as unparsed) and report it here, once per file.
    """
    if lines:
        collector.warning(
            "number_unconvertible",
            f"{len(lines)} line(s) hold a number too long to convert; they were skipped",
            locator=f"line {lines[0]}",
        )


MAX_KEPT_LINES = 200
"""At most this many unparsed lines are kept per file (the rest are counted)."""


class LineKeeper:
    """Collects unrecognised lines, bounded by `MAX_KEPT_LINES`."""

    def __init__(self, limit: int = MAX_KEPT_LINES) -> None:
        self.limit = limit
        self.kept: list[TextLine] = []
        self.dropped = 0

    def add(self, line: int, text: str) -> None:
        """Keep one line (or count it when the limit is reached); blank lines are ignored."""
        if not text.strip():
            return
        if len(self.kept) < self.limit:
            self.kept.append(TextLine(line=line, text=text))
        else:
            self.dropped += 1
