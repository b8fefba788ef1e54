"""Parse the 80-character labels of an MRC header (IMOD, SerialEM and EMDB layouts).

IMOD writes ``PROGRAM: text`` padded to 55 characters followed by `` dd-Mon-yy  HH:MM:SS``;
SerialEM adds ``SerialEM: ...  date time`` and a ``Tilt axis angle = a, binning = b  spot = s
camera = c`` label (the title format IMOD looks for to pick up the tilt axis). Older SerialEM wrote
``Tilt axis rotation angle = a``.
"""

from __future__ import annotations

import re

from clxm_meta.readers.base import construct
from clxm_meta.readers.mrc.model import MrcLabel

__all__ = ["decode_label", "parse_label"]

_DATED = re.compile(
    r"^(?P<body>.*?)(?<!\s)\s*+(?P<date>\b\d{1,2}-[A-Z][a-z]{2}-\d{2})\s+(?P<time>\d{1,2}:\d{2}:\d{2})\s*$"
)
_PROGRAM = re.compile(r"^(?P<prog>[A-Za-z][A-Za-z0-9_.+-]{0,31}):\s*(?P<msg>.*)$")
_TILT_AXIS = re.compile(
    r"Tilt axis (?:rotation )?angle\s*=\s*(?P<angle>[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)"
)
_BINNING = re.compile(r"binning\s*=\s*(?P<v>\d+)")
_SPOT = re.compile(r"spot\s*=\s*(?P<v>\d+)")
_CAMERA = re.compile(r"camera\s*=\s*(?P<v>\d+)")
_EMDB = re.compile(r"EMDATABANK\.org:*(?P<entry>EMD-\d+)?")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    )
}


def decode_label(raw: bytes) -> str:
    """Decode one label: ASCII, NULs dropped, non-ASCII bytes as U+FFFD, trailing blanks removed."""
    return raw.replace(b"\x00", b"").decode("ascii", errors="replace").rstrip()


def _iso_date(date: str) -> str | None:
    day_s, mon_s, yy_s = date.split("-")
    month = _MONTHS.get(mon_s)
    day = int(day_s)
    if month is None or not 1 <= day <= 31:
        return None
    yy = int(yy_s)
    year = 1900 + yy if yy >= 70 else 2000 + yy
    return f"{year:04d}-{month:02d}-{day:02d}"


def _int(pattern: re.Pattern[str], text: str) -> int | None:
    match = pattern.search(text)
    return int(match.group("v")) if match else None


def parse_label(index: int, raw: bytes) -> MrcLabel:
    """Parse label number ``index`` from its 80 raw bytes.

    Parameters
    ----------
    index
        0-based label number.
    raw
        The label bytes as stored.

    Returns
    -------
    MrcLabel
        Text plus whatever structure was recognised (program, date, SerialEM tilt-axis items).
    """
    text = decode_label(raw)
    body = text.strip()
    date = time = date_iso = None
    # _DATED ends with a time's digit (then only blanks): skip it for labels that do not.
    dated = _DATED.match(body) if body[-1:].isdigit() else None
    if dated:
        body = dated.group("body").strip()
        date, time = dated.group("date"), dated.group("time")
        date_iso = _iso_date(date)
    tilt = _TILT_AXIS.search(text)
    if tilt:
        return construct(
            MrcLabel,
            {
                "index": index,
                "text": text,
                "kind": "serialem_tilt_axis",
                "message": text.strip(),
                "tilt_axis_deg": float(tilt.group("angle")),
                "binning": _int(_BINNING, text),
                "spot": _int(_SPOT, text),
                "camera": _int(_CAMERA, text),
                "date": date,
                "time": time,
                "date_iso": date_iso,
            },
        )
    emdb = _EMDB.search(text)
    if emdb:
        return construct(
            MrcLabel,
            {
                "index": index,
                "text": text,
                "kind": "emdb",
                "program": "EMDB",
                "message": emdb.group("entry"),
            },
        )
    program = message = None
    kind = "other"
    prog = _PROGRAM.match(body)
    if prog:
        program, message = prog.group("prog"), prog.group("msg").strip()
        kind = "serialem" if program == "SerialEM" else ("imod" if dated else "other")
    elif body:
        message = body
    return construct(
        MrcLabel,
        {
            "index": index,
            "text": text,
            "kind": kind,
            "program": program,
            "message": message,
            "date": date,
            "time": time,
            "date_iso": date_iso,
        },
    )
