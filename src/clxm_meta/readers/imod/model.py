"""Pieces shared by the IMOD format models: the base model, kept lines, located numbers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FormatModel

__all__ = [
    "MAX_KEPT_LINES",
    "ImodFile",
    "LineKeeper",
    "Located",
    "TextLine",
]

MAX_KEPT_LINES = 200
"""At most this many unparsed lines are kept per file (the rest are counted)."""


class TextLine(BaseModel):
    """One line of a file, with its 1-based number."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    line: int
    text: str


class Located(BaseModel):
    """A number read from one line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: float
    line: int


class ImodFile(FormatModel):
    """Base of every IMOD / etomo / SerialEM / AreTomo text model.

    Attributes
    ----------
    kind
        Which file type this is (``align_log``, ``tilt_com``, ``edf``, ``mdoc`` ...).
    encoding
        Text encoding used to decode the file.
    line_count
        Number of lines read.
    unparsed
        Lines the reader did not recognise (at most `MAX_KEPT_LINES`), with their numbers.
    unparsed_dropped
        How many more unrecognised lines there were.
    """

    format: Literal["imod"] = "imod"
    kind: str
    encoding: str = "utf-8"
    line_count: int = 0
    unparsed: list[TextLine] = Field(default_factory=list)
    unparsed_dropped: int = 0


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
