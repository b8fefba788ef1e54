"""SerialEM ``.mdoc`` autodoc files: tilt series, frame sets and montages (LF or CRLF).

``Key = value`` lines; a global header, ``[T = ...]`` title lines (also unbracketed ``T = ...``),
then one section per image: ``[ZValue = n]``, ``[FrameSet = n]`` or ``[MontSection = n]``.
Every key is kept (``values``); the ones Table 1 uses are typed (formats-logs-deposition.md §A7).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.imod.model import ImodFile, TextLine
from clxm_meta.readers.imod.text import NUMBER, LineKeeper, TextDoc, to_float, to_int

__all__ = ["Mdoc", "MdocSection", "MdocValue", "parse_mdoc"]

RE_SECTION = re.compile(r"^\[\s*(ZValue|FrameSet|MontSection)\s*=\s*(-?\d+)\s*\]$")
RE_TITLE = re.compile(r"^\[?\s*T\s*=\s*(.*?)\s*\]?$")
RE_KV = re.compile(r"^([A-Za-z][\w]*)\s*=\s*(.*?)\s*$")
RE_TILT_AXIS = re.compile(rf"Tilt axis angle\s*=\s*({NUMBER})")


class MdocValue(BaseModel):
    """One ``Key = value`` line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: str
    line: int


class MdocSection(BaseModel):
    """One image section.

    Attributes
    ----------
    type
        ``ZValue`` (an image of the stack), ``FrameSet`` or ``MontSection``.
    index
        The section number (``None`` when it has too many digits to convert).
    tilt_angle_deg
        ``TiltAngle`` (degrees), with ``tilt_angle_line``.
    values
        Every ``Key = value`` of the section, as written.
    """

    model_config = ConfigDict(extra="forbid")

    type: Literal["ZValue", "FrameSet", "MontSection"]
    index: int | None
    line: int
    tilt_angle_deg: float | None = None
    tilt_angle_line: int | None = None
    pixel_spacing_a: float | None = None
    exposure_time_s: float | None = None
    exposure_dose: float | None = None
    date_time: str | None = None
    sub_frame_path: str | None = None
    num_sub_frames: int | None = None
    values: dict[str, MdocValue] = Field(default_factory=dict)


class Mdoc(ImodFile):
    """A SerialEM metadata file.

    Attributes
    ----------
    header
        Global ``Key = value`` lines before the first section.
    titles
        ``T = ...`` title lines.
    tilt_axis_angle_deg
        From a ``Tilt axis angle = x`` title.
    sections
        Every section in file order.
    """

    kind: Literal["mdoc"] = "mdoc"
    crlf: bool = False
    header: dict[str, MdocValue] = Field(default_factory=dict)
    titles: list[TextLine] = Field(default_factory=list)
    pixel_spacing_a: float | None = None
    image_file: str | None = None
    image_size_px: tuple[int, int] | None = None
    voltage_kv: float | None = None
    tilt_axis_angle_deg: float | None = None
    sections: list[MdocSection] = Field(default_factory=list)

    @property
    def images(self) -> list[MdocSection]:
        """The ``[ZValue]`` sections (the images of the stack)."""
        return [s for s in self.sections if s.type == "ZValue"]

    @property
    def is_montage(self) -> bool:
        """True for a montage (``Montage = 1`` or ``[MontSection]`` or ``PieceCoordinates``)."""
        flag = self.header.get("Montage")
        if flag is not None and flag.value.strip() not in ("", "0"):
            return True
        if any(s.type == "MontSection" for s in self.sections):
            return True
        return any("PieceCoordinates" in s.values for s in self.images)

    @property
    def is_frame_set(self) -> bool:
        """True when the file describes frame sets (``[FrameSet]``) rather than a stack."""
        return any(s.type == "FrameSet" for s in self.sections) and not self.images

    @property
    def tilt_angles_deg(self) -> list[float]:
        """``TiltAngle`` of every ``[ZValue]`` section that has one, in section order."""
        return [s.tilt_angle_deg for s in self.images if s.tilt_angle_deg is not None]


def _num(value: str) -> float | None:
    parts = value.split()
    return to_float(parts[0]) if parts else None


def parse_mdoc(doc: TextDoc, path: str, collector: FindingCollector) -> Mdoc:
    """Parse an .mdoc file from decoded lines."""
    keep = LineKeeper()
    header: dict[str, MdocValue] = {}
    titles: list[TextLine] = []
    sections: list[MdocSection] = []
    current: MdocSection | None = None
    for no, text in doc.numbered():
        s = text.strip()
        if not s:
            continue
        m = RE_SECTION.match(s)
        if m:
            kind = m.group(1)
            assert kind in ("ZValue", "FrameSet", "MontSection")
            index = to_int(m.group(2))
            if index is None:  # more digits than Python converts (issue 23)
                collector.warning(
                    "mdoc_bad_section",
                    f"the [{kind} = ...] index has {len(m.group(2))} characters; "
                    "this section is read without an index",
                    locator=f"line {no}",
                )
            current = MdocSection(type=kind, index=index, line=no)
            sections.append(current)
            continue
        m = RE_TITLE.match(s)
        if m and (s.startswith("[") or s.startswith("T ") or s.startswith("T=")):
            titles.append(TextLine(line=no, text=m.group(1)))
            continue
        m = RE_KV.match(s)
        if m:
            key, value = m.group(1), m.group(2)
            target = current.values if current is not None else header
            target[key] = MdocValue(value=value, line=no)
            continue
        keep.add(no, text)
    for sec in sections:
        _type_section(sec, collector)
    fields: dict[str, object] = {}
    if "PixelSpacing" in header:
        fields["pixel_spacing_a"] = _num(header["PixelSpacing"].value)
    if "ImageFile" in header:
        fields["image_file"] = header["ImageFile"].value
    if "ImageSize" in header:
        parts = header["ImageSize"].value.split()
        # isdigit() is also true of "²"; to_int refuses it and > 4300 digits (issue 23)
        ok = len(parts) == 2 and all(p.lstrip("-").isdigit() for p in parts)
        sizes = [to_int(p) for p in parts] if ok else []
        if len(sizes) == 2 and sizes[0] is not None and sizes[1] is not None:
            fields["image_size_px"] = (sizes[0], sizes[1])
    if "Voltage" in header:
        fields["voltage_kv"] = _num(header["Voltage"].value)
    for title in titles:
        m = RE_TILT_AXIS.search(title.text)
        if m:
            fields["tilt_axis_angle_deg"] = to_float(m.group(1))
    if not sections and not header:
        collector.error("mdoc_empty", "no SerialEM key or section was found")
    return Mdoc(
        path=path,
        file_size=doc.size,
        encoding=doc.encoding,
        line_count=len(doc.lines),
        crlf=doc.crlf,
        header=header,
        titles=titles,
        sections=sections,
        unparsed=keep.kept,
        unparsed_dropped=keep.dropped,
        **fields,
    )


def _type_section(sec: MdocSection, collector: FindingCollector) -> None:
    v = sec.values
    if "TiltAngle" in v:
        angle = _num(v["TiltAngle"].value)
        if angle is None:
            collector.warning(
                "mdoc_bad_tilt",
                f"TiltAngle {v['TiltAngle'].value!r} is not a number",
                locator=f"line {v['TiltAngle'].line}",
            )
        sec.tilt_angle_deg, sec.tilt_angle_line = angle, v["TiltAngle"].line
    if "PixelSpacing" in v:
        sec.pixel_spacing_a = _num(v["PixelSpacing"].value)
    if "ExposureTime" in v:
        sec.exposure_time_s = _num(v["ExposureTime"].value)
    if "ExposureDose" in v:
        sec.exposure_dose = _num(v["ExposureDose"].value)
    if "DateTime" in v:
        sec.date_time = " ".join(v["DateTime"].value.split())
    if "SubFramePath" in v:
        sec.sub_frame_path = v["SubFramePath"].value
    if "NumSubFrames" in v:
        n = _num(v["NumSubFrames"].value)
        sec.num_sub_frames = int(n) if n is not None else None
