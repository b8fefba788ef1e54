"""IMOD command files (``align.com``, ``tilt.com``, ``newst.com``, ``xcorr_pt.com``, ``track.com`` ...).

A ``.com`` file is a list of commands: ``$program -StandardInput`` followed by PIP ``Key value``
lines (one per line, value optional), other ``$command args`` lines, and ``#`` comments. The line
``####CreatedVersion#### X.Y.Z`` names the IMOD version that wrote the file.
"""

from __future__ import annotations

import os
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.imod.model import ImodFile
from clxm_meta.readers.imod.text import LineKeeper, TextDoc

__all__ = ["ComCommand", "ComFile", "ComParam", "parse_com"]

_VERSION = re.compile(r"^#+\s*CreatedVersion\s*#++\s*(\S+)")
_COMMAND = re.compile(r"^\$\s*(\S++)(.*)$")


class ComParam(BaseModel):
    """One ``Key value`` line under a ``-StandardInput`` command."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    value: str
    line: int


class ComCommand(BaseModel):
    """One ``$command`` line and, for PIP programs, its parameters."""

    model_config = ConfigDict(extra="forbid")

    program: str
    args: str = ""
    line: int
    standard_input: bool = False
    params: list[ComParam] = Field(default_factory=list)

    def get(self, key: str) -> ComParam | None:
        """The last parameter called ``key`` (case-insensitive), or ``None``."""
        found = None
        for param in self.params:
            if param.key.lower() == key.lower():
                found = param
        return found


class ComFile(ImodFile):
    """An IMOD command file.

    Attributes
    ----------
    com_name
        The file's role from its name, without the axis letter and extension (``align``, ``tilt``,
        ``newst``, ``xcorr_pt``, ``track``, ``tilt_for_sirt``, ``sirtsetup`` ...).
    created_version
        IMOD version that created the file (``####CreatedVersion####``), with its line.
    commands
        The commands in order.
    comments
        Number of comment lines.
    """

    kind: Literal["com"] = "com"
    com_name: str | None = None
    created_version: str | None = None
    created_version_line: int | None = None
    commands: list[ComCommand] = Field(default_factory=list)
    comments: int = 0

    def command(self, program: str) -> ComCommand | None:
        """The first command running ``program`` (case-insensitive), or ``None``."""
        low = program.lower()
        return next((c for c in self.commands if c.program.lower() == low), None)

    def param(self, program: str, key: str) -> ComParam | None:
        """Parameter ``key`` of the first ``program`` command, or ``None``."""
        cmd = self.command(program)
        return cmd.get(key) if cmd is not None else None


def com_name(path: str) -> str | None:
    """Role of a command file from its name: ``aligna.com`` → ``align``, ``xcorr_pt.com`` → ``xcorr_pt``."""
    base = os.path.basename(path)
    if not base.lower().endswith(".com"):
        return None
    stem = base[:-4]
    known = (
        "xcorr_pt",
        "tilt_for_sirt",
        "sirtsetup",
        "prenewst",
        "newst",
        "align",
        "tilt",
        "track",
        "xcorr",
        "eraser",
        "golderaser",
        "ctfplotter",
        "ctfcorrection",
        "autofidseed",
        "sample",
        "tomopitch",
        "mtffilter",
        "combine",
        "solvematch",
        "patchcorr",
        "matchorwarp",
        "volcombine",
        "xfjointomo",
        "flatten",
        "trimvol",
        "cryoposition",
        "findbeads3d",
    )
    low = stem.lower()
    # Etomo names end in the axis letter (a/b) for dual axis: aligna, tiltb, xcorr_pta.
    for name in sorted(known, key=len, reverse=True):
        if low.endswith((name, name + "a", name + "b")):
            return name
    return low


def parse_com(doc: TextDoc, path: str, collector: FindingCollector) -> ComFile:
    """Parse a command file from decoded lines."""
    keep = LineKeeper()
    commands: list[ComCommand] = []
    version: str | None = None
    version_line: int | None = None
    comments = 0
    current: ComCommand | None = None
    for no, text in doc.numbered():
        stripped = text.strip()
        if not stripped:
            continue
        m = _VERSION.match(stripped)
        if m:
            version, version_line = m.group(1), no
            continue
        if stripped.startswith("#"):
            comments += 1
            continue
        m = _COMMAND.match(stripped)
        if m:
            args = m.group(2).strip()
            current = ComCommand(
                program=m.group(1),
                args=args,
                line=no,
                standard_input="-standardinput" in args.lower(),
            )
            commands.append(current)
            continue
        if current is not None and current.standard_input:
            parts = stripped.split(None, 1)
            current.params.append(
                ComParam(key=parts[0], value=parts[1].strip() if len(parts) > 1 else "", line=no)
            )
            continue
        keep.add(no, text)
    if not commands:
        collector.warning("com_no_command", "the command file has no '$program' line")
    return ComFile(
        path=path,
        file_size=doc.size,
        encoding=doc.encoding,
        line_count=len(doc.lines),
        com_name=com_name(path),
        created_version=version,
        created_version_line=version_line,
        commands=commands,
        comments=comments,
        unparsed=keep.kept,
        unparsed_dropped=keep.dropped,
    )
