"""``newst.log``: the output of IMOD ``newstack`` (aligned-stack creation).

It carries no alignment-quality data: the model keeps the echoed entries, the input size and the
per-section min/max/mean table size.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.imod.entries import (
    ProgramEntries,
    entries_end,
    entries_start,
    parse_entry,
)
from clxm_meta.readers.imod.model import ImodFile
from clxm_meta.readers.imod.text import LineKeeper, TextDoc, floats, report_unconvertible

__all__ = ["NewstLog", "parse_newst_log"]

RE_SIZE = re.compile(r"Number of columns, rows, sections(?:[ .]*\.)?\s+(\d+)\s+(\d+)\s+(\d+)")
RE_TABLE = re.compile(r"section\s+input min&max", re.IGNORECASE)


class NewstLog(ImodFile):
    """What a newst.log says (input size, number of sections written)."""

    kind: Literal["newst_log"] = "newst_log"
    programs: list[ProgramEntries] = Field(default_factory=list)
    input_size_px: tuple[int, int, int] | None = None
    input_size_line: int | None = None
    table_line: int | None = None
    n_sections: int = 0


def parse_newst_log(doc: TextDoc, path: str, collector: FindingCollector) -> NewstLog:
    """Parse a newst.log from decoded lines."""
    keep = LineKeeper()
    unconvertible: list[int] = []
    programs: list[ProgramEntries] = []
    program: ProgramEntries | None = None
    size: tuple[int, int, int] | None = None
    size_line: int | None = None
    table_line: int | None = None
    n_sections = 0
    for no, text in doc.numbered():
        if program is not None:
            if entries_end(text):
                program = None
            else:
                entry = parse_entry(text, no)
                if entry is not None:
                    program.entries.append(entry)
            continue
        name = entries_start(text)
        if name is not None:
            program = ProgramEntries(program=name, line=no)
            programs.append(program)
            continue
        m = RE_SIZE.search(text)
        if m and size is None:
            try:
                size, size_line = (int(m.group(1)), int(m.group(2)), int(m.group(3))), no
            except ValueError:  # an integer of > 4300 digits (issue 23)
                unconvertible.append(no)
                keep.add(no, text)
            continue
        if RE_TABLE.search(text):
            table_line = no
            continue
        if table_line is not None and floats(text.strip()):
            n_sections += 1
            continue
        keep.add(no, text)
    report_unconvertible(collector, unconvertible)
    if size is None and table_line is None:
        collector.warning("newst_log_empty", "no line of newstack output was recognised")
    return NewstLog(
        path=path,
        file_size=doc.size,
        encoding=doc.encoding,
        line_count=len(doc.lines),
        programs=programs,
        input_size_px=size,
        input_size_line=size_line,
        table_line=table_line,
        n_sections=n_sections,
        unparsed=keep.kept,
        unparsed_dropped=keep.dropped,
    )
