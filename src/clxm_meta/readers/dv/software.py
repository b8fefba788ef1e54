"""Acquisition programs that a DV title names in words.

Only a title that spells a known acquisition program's name counts (``Cockpit``, ``softWoRx``,
``AcquireSR``), with the version written right after it when there is one. softWoRx's own
processing titles (``IMGCORR: ...``, ``DECON3D: ...``) do not name a program and give nothing:
which program wrote them is knowledge about softWoRx, not something the file states.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ACQUISITION_PROGRAMS", "SoftwareMention", "software_in_titles"]

ACQUISITION_PROGRAMS = ("Cockpit", "softWoRx", "AcquireSR")
"""Names matched case-insensitively as whole words; reported with this spelling."""

_NAME = re.compile(r"(?<![\w-])(" + "|".join(ACQUISITION_PROGRAMS) + r")(?![\w-])", re.I)
_VERSION = re.compile(r"(?<!\s)\s*(?:version\s*|v\.?\s*)?(\d+\.\d[\w.+-]*|\d+\b)", re.I)
_SPELLING = {p.lower(): p for p in ACQUISITION_PROGRAMS}


@dataclass(frozen=True)
class SoftwareMention:
    """A program named in a title: name, version as written (or ``None``), title index."""

    name: str
    version: str | None
    title: int


def software_in_titles(titles: list[str]) -> list[SoftwareMention]:
    """Every known acquisition program named in ``titles``, in title order."""
    out: list[SoftwareMention] = []
    for index, title in enumerate(titles):
        for match in _NAME.finditer(title):
            version = _VERSION.match(title, match.end())
            out.append(
                SoftwareMention(
                    name=_SPELLING[match.group(1).lower()],
                    version=version.group(1) if version else None,
                    title=index,
                )
            )
    return out
