"""DV title records: decoding, and parsing of the titles Cockpit writes (B24 cryoSIM).

A DV header holds up to ten 80-byte titles. softWoRx writes processing history there
(``IMGCORR: ...``, ``DECON3D: ...``), which is kept as text. Cockpit
(MicronOxford/cockpit ``Experiment.generateTitles``, digest formats-binary.md §1.7) writes:

- title 0: ``Date & time: YYYY/MM/DD HH:MM:SS; pos: ['x', 'y', 'z']``;
- then the experiment's metadata string cut into 80-character chunks; for SIM it starts with
  ``SI order: Z, Angle, Phase`` (possibly followed by ``: SLM diff_angle 1.234``);
- then one ``[<device type>: <entry>;<entry>...]`` block per device type, also cut at 80 characters
  (mid-word). A light entry carries its exposure times (``12.000ms,20.000ms``) and may carry a power
  (``1.500 mW``);
- ``File 1 of 3; base timepoint 0`` when a run was split over several files.

Parsing is tolerant: anything that does not match stays in the text and is never an error.

A number that looks like a wavelength (300-999) is taken as one only from a light entry (device
type ``light source``, ``light power`` or one naming a laser) or when ``nm`` follows it: a camera
model such as ``Andor iXon Ultra 888`` names no wavelength. A camera entry's text is split into
the camera and the settings it states (`clxm_meta.readers.dv.camera`).
"""

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from clxm_meta.readers.base import construct
from clxm_meta.readers.dv.camera import CameraEntry, parse_camera

__all__ = [
    "CockpitDevice",
    "CockpitTitles",
    "decode_titles",
    "is_camera_type",
    "is_cockpit",
    "is_light_type",
    "parse_cockpit",
    "si_order",
]

TITLE_BYTES = 80
_DATE = re.compile(r"Date & time:\s*(\d{4})/(\d{1,2})/(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})")
_POS = re.compile(r"pos:\s*\[([^\[\]]*)\]")
_SI_ORDER = re.compile(r"SI order:\s*([A-Za-z]+(?:\s*,\s*[A-Za-z]+)*)")
_SLM = re.compile(r"SLM diff_angle\s*(-?\d+(?:\.\d*)?)")
_FILE_PART = re.compile(r"File\s+(\d+)\s+of\s+(\d+);\s*base timepoint\s+(\d+)")
_BLOCK = re.compile(r"\[([^\[\]:]+):\s*+([^\[\]]*)\]")
# A leftmost match never starts after a digit (it would start at that digit instead), so the
# look-behind changes no match; it spares a failing attempt at every digit of a number.
_EXPOSURES = re.compile(r"(?<!\d)(\d+(?:\.\d*)?)\s*ms\b")
_POWER = re.compile(r"(?<!\d)(\d+(?:\.\d*)?)\s*mW\b")
_WAVELENGTH = re.compile(r"(?<!\d)([3-9]\d\d)(?:\s*nm)?(?!\d)")
_WAVELENGTH_NM = re.compile(r"(?<![\d.])([3-9]\d\d)(?:\.\d+)?\s*nm\b")
_LIGHT_TYPES = ("light source", "light power")


def is_light_type(device_type: str) -> bool:
    """Whether a Cockpit device type is a light (its entries are named by wavelength)."""
    kind = device_type.strip().lower()
    return kind in _LIGHT_TYPES or "laser" in kind


def is_camera_type(device_type: str) -> bool:
    """Whether a Cockpit device type is a camera."""
    return "camera" in device_type.strip().lower()


class CockpitDevice(BaseModel):
    """One device entry of a Cockpit title block.

    Attributes
    ----------
    device_type
        Cockpit's device type, e.g. ``"light source"``, ``"camera"``.
    name
        The entry's text before its exposure times.
    exposures_ms
        Exposure times recorded for a light, milliseconds.
    power_mw
        Light power, milliwatts, when written.
    wavelength_nm
        A wavelength (300-999) in the name: any such number of a light entry, otherwise only one
        followed by ``nm``.
    camera
        For a camera entry, the camera and the settings its text states.
    titles
        Indices of the titles the entry was written in (an entry may cross an 80-character cut).
    text
        The whole entry as written.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    device_type: str
    name: str
    exposures_ms: list[float] = []
    power_mw: float | None = None
    wavelength_nm: int | None = None
    camera: CameraEntry | None = None
    titles: list[int] = []
    text: str


class CockpitTitles(BaseModel):
    """What Cockpit's titles say.

    Attributes
    ----------
    date_time
        Local date and time of the experiment, ISO 8601 without time zone (Cockpit writes none).
    date_time_title
        Index of the title holding it.
    stage_position
        Stage position written after ``pos:``, as numbers when they parse.
    si_order
        Structured-illumination acquisition order as written (outermost loop first), e.g.
        ``"Z, Angle, Phase"``.
    si_order_title
        Index of the title holding it.
    slm_diff_angle
        SLM diffraction angle, as written (unit not stated by Cockpit).
    file_part, file_count, base_timepoint
        From ``File i of n; base timepoint t`` when a run was split over files.
    metadata
        The experiment metadata text (titles between the date line and the device blocks).
    devices
        Every device entry of the ``[type: ...]`` blocks.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    date_time: str | None = None
    date_time_title: int | None = None
    stage_position: list[float] = []
    si_order: str | None = None
    si_order_title: int | None = None
    slm_diff_angle: float | None = None
    file_part: int | None = None
    file_count: int | None = None
    base_timepoint: int | None = None
    metadata: str | None = None
    devices: list[CockpitDevice] = []


def decode_titles(raw: bytes, count: int) -> tuple[list[str], list[str]]:
    """Decode ``count`` 80-byte titles from ``raw``.

    Returns
    -------
    titles
        Each title with spaces and NULs stripped from both ends.
    chunks
        Each title with only NUL padding removed and trailing blanks kept when the title fills
        its 80 bytes: Cockpit cuts long text at 80 characters, so consecutive chunks must be
        joined as they are.
    """
    titles: list[str] = []
    chunks: list[str] = []
    block = raw[: count * TITLE_BYTES].decode("latin-1")  # one byte, one character
    for i in range(0, count * TITLE_BYTES, TITLE_BYTES):  # short ``raw``: empty titles
        text = block[i : i + TITLE_BYTES].split("\x00", 1)[0]
        titles.append(text.strip(" \x00"))
        chunks.append(text if len(text) == TITLE_BYTES else text.rstrip())
    return titles, chunks


def _floats(text: str) -> list[float]:
    out = []
    for part in text.split(","):
        part = part.strip().strip("'\"")
        try:
            out.append(float(part))
        except ValueError:
            continue
    return out


def _device(device_type: str, entry: str, titles: list[int]) -> CockpitDevice:
    # Each pattern is tried only when its unit is in the entry at all (a search that fails costs
    # a microsecond: it is tried at every position).
    times = list(_EXPOSURES.finditer(entry)) if "ms" in entry else []
    exposures = [float(m.group(1)) for m in times]
    power = _POWER.search(entry) if "mW" in entry else None
    first_ms = times[0] if times else None
    name = entry[: first_ms.start()] if first_ms else entry
    name = name.strip().rstrip(":").strip()
    if power and not first_ms:
        name = entry[: power.start()].strip().rstrip(":").strip()
    if is_light_type(device_type):
        wave = _WAVELENGTH.search(name)
    else:
        wave = _WAVELENGTH_NM.search(name) if "nm" in name else None
    return construct(
        CockpitDevice,
        {
            "device_type": device_type.strip(),
            "name": name,
            "exposures_ms": exposures,
            "power_mw": float(power.group(1)) if power else None,
            "wavelength_nm": int(wave.group(1)) if wave else None,
            "camera": parse_camera(entry) if is_camera_type(device_type) else None,
            "titles": titles,
            "text": entry.strip(),
        },
    )


def _title_span(starts: list[int], begin: int, end: int) -> list[int]:
    """Title indices (1-based offsets into ``starts``) covering characters ``begin:end``."""
    return [
        i + 1
        for i, start in enumerate(starts)
        if start < end and (i + 1 == len(starts) or starts[i + 1] > begin)
    ]


def is_cockpit(titles: list[str]) -> bool:
    """Whether the titles are Cockpit's (title 0 is its ``Date & time:`` line)."""
    return bool(titles) and titles[0].startswith("Date & time:")


def si_order(titles: list[str], chunks: list[str]) -> tuple[str | None, int | None]:
    """`CockpitTitles.si_order` and ``si_order_title`` of Cockpit titles, without the rest.

    What a file's role needs of its titles (`clxm_meta.readers.dv.role.classify`), at a fraction
    of `parse_cockpit`'s cost.
    """
    si = _SI_ORDER.search("".join(chunks[1:]))
    order = ", ".join(p.strip() for p in si.group(1).split(",")) if si else None
    return order, next((i for i, t in enumerate(titles) if "SI order:" in t), None)


def parse_cockpit(titles: list[str], chunks: list[str]) -> CockpitTitles | None:
    """Parse Cockpit titles; ``None`` when title 0 is not Cockpit's ``Date & time:`` line."""
    if not is_cockpit(titles):
        return None
    date = _DATE.search(titles[0])
    iso: str | None = None
    if date:
        try:
            y, mo, d, h, mi, sec = map(int, date.groups())
            iso = datetime(y, mo, d, h, mi, sec).isoformat()
        except ValueError:
            iso = None
    pos = _POS.search(titles[0])
    rest = "".join(chunks[1:])
    starts: list[int] = []
    offset = 0
    for chunk in chunks[1:]:
        starts.append(offset)
        offset += len(chunk)
    devices: list[CockpitDevice] = []
    between: list[str] = []  # the text outside the blocks (what _BLOCK.sub("", rest) leaves)
    end = 0
    for block in _BLOCK.finditer(rest):
        between.append(rest[end : block.start()])
        end = block.end()
        at = block.start(2)
        for entry in block.group(2).split(";"):
            if entry.strip():
                span = _title_span(starts, at, at + len(entry))
                devices.append(_device(block.group(1), entry, span))
            at += len(entry) + 1
    between.append(rest[end:])
    metadata = "".join(between).strip() or None
    order, si_title = si_order(titles, chunks)
    slm = _SLM.search(rest)
    part = _FILE_PART.search(rest)
    return construct(
        CockpitTitles,
        {
            "date_time": iso,
            "date_time_title": 0 if iso else None,
            "stage_position": _floats(pos.group(1)) if pos else [],
            "si_order": order,
            "si_order_title": si_title,
            "slm_diff_angle": float(slm.group(1)) if slm else None,
            "file_part": int(part.group(1)) if part else None,
            "file_count": int(part.group(2)) if part else None,
            "base_timepoint": int(part.group(3)) if part else None,
            "metadata": metadata,
            "devices": devices,
        },
    )
