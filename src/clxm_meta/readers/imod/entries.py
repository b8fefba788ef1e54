"""The ``*** Entries to program NAME ***`` blocks that IMOD PIP programs echo into their logs."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Entry", "ProgramEntries", "entries_end", "entries_start", "parse_entry"]

_START = re.compile(r"^\s*\*\*\*\s*Entries to program\s+(\S+)\s*\*\*\*")
_END = re.compile(r"^\s*\*\*\*\s*End of entries\s*\*\*\*")
_ENTRY = re.compile(r"^\s*([A-Za-z][\w.]*)\s*=\s*(.*?)\s*$")


class Entry(BaseModel):
    """One ``Key = value`` line of an entries block."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    value: str
    line: int


class ProgramEntries(BaseModel):
    """One echoed entries block.

    Attributes
    ----------
    program
        Program name (``tiltalign``, ``xfproduct``, ``tilt`` ...).
    line
        Line of the ``*** Entries to program`` header.
    entries
        The ``Key = value`` lines, in order.
    """

    model_config = ConfigDict(extra="forbid")

    program: str
    line: int
    entries: list[Entry] = Field(default_factory=list)

    def get(self, key: str) -> Entry | None:
        """The last entry called ``key`` (case-insensitive), or ``None``."""
        found = None
        for entry in self.entries:
            if entry.key.lower() == key.lower():
                found = entry
        return found


def entries_start(text: str) -> str | None:
    """Program name if ``text`` opens an entries block."""
    m = _START.match(text)
    return m.group(1) if m else None


def entries_end(text: str) -> bool:
    """True if ``text`` closes an entries block."""
    return _END.match(text) is not None


def parse_entry(text: str, line: int) -> Entry | None:
    """One ``Key = value`` line, or ``None``."""
    m = _ENTRY.match(text)
    return Entry(key=m.group(1), value=m.group(2), line=line) if m else None
