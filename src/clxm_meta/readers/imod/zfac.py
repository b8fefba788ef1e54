"""``.zfac``: Z-factors per view (two numbers per line: X and Y), written by tiltalign."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.imod.model import ImodFile
from clxm_meta.readers.imod.text import LineKeeper, TextDoc, floats

__all__ = ["ZfacFile", "parse_zfac"]


class ZfacFile(ImodFile):
    """Per-view Z-factors (``factors`` holds ``(x, y)`` pairs, ``lines`` their line numbers)."""

    kind: Literal["zfac"] = "zfac"
    factors: list[tuple[float, float]] = Field(default_factory=list)
    lines: list[int] = Field(default_factory=list)

    @property
    def n_views(self) -> int:
        """Number of views."""
        return len(self.factors)


def parse_zfac(doc: TextDoc, path: str, collector: FindingCollector) -> ZfacFile:
    """Parse a .zfac file from decoded lines."""
    keep = LineKeeper()
    factors: list[tuple[float, float]] = []
    lines: list[int] = []
    for no, text in doc.numbered():
        vals = floats(text.strip())
        if vals is not None and len(vals) == 2:
            factors.append((vals[0], vals[1]))
            lines.append(no)
        else:
            keep.add(no, text)
    if keep.kept:
        collector.warning(
            "zfac_lines_unparsed",
            "some lines are not two numbers",
            locator=f"line {keep.kept[0].line}",
        )
    if not factors:
        collector.error("no_zfactors", "the file holds no Z-factor pair")
    return ZfacFile(
        path=path,
        file_size=doc.size,
        encoding=doc.encoding,
        line_count=len(doc.lines),
        factors=factors,
        lines=lines,
        unparsed=keep.kept,
        unparsed_dropped=keep.dropped,
    )
