"""AreTomo ``.aln`` alignment files (``# AreTomo Alignment / Priims bprmMn``).

Header comments ``# Key = value``, then ``# SEC ROT GMAG TX TY SMEAN SFIT SCALE BASE TILT`` and one
row per kept section; an optional ``# Local Alignment`` block follows (formats-logs-deposition.md §A6).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.imod.model import ImodFile, TextLine
from clxm_meta.readers.imod.text import LineKeeper, TextDoc, floats

__all__ = ["AlnRow", "AreTomoAln", "parse_aln"]

RE_HEADER_KV = re.compile(r"^#\s*([A-Za-z](?:[\w ]*\w)?)\s*=\s*((?:.*\S)?)\s*$")
COLUMNS = ("SEC", "ROT", "GMAG", "TX", "TY", "SMEAN", "SFIT", "SCALE", "BASE", "TILT")


class AlnRow(BaseModel):
    """One global-alignment row (ROT = tilt-axis angle, TILT = tilt angle, degrees)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sec: int
    rot_deg: float
    gmag: float
    tx_px: float
    ty_px: float
    smean: float
    sfit: float
    scale: float
    base: float
    tilt_deg: float
    line: int


class AreTomoAln(ImodFile):
    """An AreTomo alignment file.

    Attributes
    ----------
    header
        Every ``# Key = value`` header line.
    raw_size
        ``# RawSize = nx ny nz`` (nz = frames of the raw series), with its line.
    num_patches
        ``# NumPatches``.
    dark_frames
        ``# DarkFrame`` lines (frames AreTomo left out).
    rows
        The global-alignment rows.
    n_local_rows
        Rows of the ``# Local Alignment`` block.
    """

    kind: Literal["aretomo_aln"] = "aretomo_aln"
    title: TextLine | None = None
    header: dict[str, TextLine] = Field(default_factory=dict)
    raw_size: tuple[int, int, int] | None = None
    raw_size_line: int | None = None
    num_patches: int | None = None
    alpha_offset_deg: float | None = None
    beta_offset_deg: float | None = None
    dark_frames: list[TextLine] = Field(default_factory=list)
    rows: list[AlnRow] = Field(default_factory=list)
    local_line: int | None = None
    n_local_rows: int = 0


def parse_aln(doc: TextDoc, path: str, collector: FindingCollector) -> AreTomoAln:
    """Parse an AreTomo .aln file from decoded lines."""
    keep = LineKeeper()
    header: dict[str, TextLine] = {}
    fields: dict[str, object] = {}
    dark: list[TextLine] = []
    rows: list[AlnRow] = []
    in_local = False
    n_local = 0
    for no, text in doc.numbered():
        s = text.strip()
        if not s:
            continue
        if s.startswith("#"):
            body = s.lstrip("#").strip()
            if "AreTomo" in body and "title" not in fields:
                fields["title"] = TextLine(line=no, text=body)
                continue
            if body.lower().startswith("local alignment"):
                in_local, fields["local_line"] = True, no
                continue
            if body.split()[:2] == ["SEC", "ROT"]:
                continue
            m = RE_HEADER_KV.match(s)
            if m:
                key, value = m.group(1).strip(), m.group(2)
                if key.lower() == "darkframe":
                    dark.append(TextLine(line=no, text=value))
                    continue
                header[key] = TextLine(line=no, text=value)
                _header_field(key, value, no, fields)
                continue
            keep.add(no, text)
            continue
        vals = floats(s)
        if in_local:
            if vals is not None:
                n_local += 1
            else:
                keep.add(no, text)
            continue
        if vals is not None and len(vals) == len(COLUMNS):
            rows.append(
                AlnRow(
                    sec=int(vals[0]),
                    rot_deg=vals[1],
                    gmag=vals[2],
                    tx_px=vals[3],
                    ty_px=vals[4],
                    smean=vals[5],
                    sfit=vals[6],
                    scale=vals[7],
                    base=vals[8],
                    tilt_deg=vals[9],
                    line=no,
                )
            )
            continue
        keep.add(no, text)
    if not any(line.strip() for line in doc.lines):
        collector.error(
            "aln_no_rows",
            f"the file is empty ({doc.size} bytes, no text): it holds no AreTomo alignment row "
            "(SEC ROT GMAG TX TY ... TILT)",
        )
    elif not rows:
        collector.error("aln_no_rows", "no alignment row (SEC ROT GMAG TX TY ... TILT)")
    return AreTomoAln(
        path=path,
        file_size=doc.size,
        encoding=doc.encoding,
        line_count=len(doc.lines),
        header=header,
        dark_frames=dark,
        rows=rows,
        n_local_rows=n_local,
        unparsed=keep.kept,
        unparsed_dropped=keep.dropped,
        **fields,
    )


def _header_field(key: str, value: str, no: int, fields: dict[str, object]) -> None:
    vals = floats(value)
    low = key.lower()
    if low == "rawsize" and vals is not None and len(vals) == 3:
        fields["raw_size"] = (int(vals[0]), int(vals[1]), int(vals[2]))
        fields["raw_size_line"] = no
    elif low == "numpatches" and vals:
        fields["num_patches"] = int(vals[0])
    elif low == "alphaoffset" and vals:
        fields["alpha_offset_deg"] = vals[0]
    elif low == "betaoffset" and vals:
        fields["beta_offset_deg"] = vals[0]
