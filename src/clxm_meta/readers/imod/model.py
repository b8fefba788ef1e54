"""The IMOD format model: the base of every IMOD-family model and the parts they share.

Each file kind's own model (`AlignLog`, `TiltLog`, `Mdoc` ...) lives beside its parser
(``align_log.py``, ``tilt_log.py``, ``mdoc.py`` ...): the family has ten kinds, and a kind's fields
read best next to the lines that fill them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FormatModel

__all__ = [
    "ImodFile",
    "Located",
    "TextLine",
]


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
        Lines the reader did not recognise (at most `clxm_meta.readers.imod.text.MAX_KEPT_LINES`), with their numbers.
    unparsed_dropped
        How many more unrecognised lines there were.
    """

    format: Literal["imod"] = "imod"
    kind: str
    encoding: str = "utf-8"
    line_count: int = 0
    unparsed: list[TextLine] = Field(default_factory=list)
    unparsed_dropped: int = 0
