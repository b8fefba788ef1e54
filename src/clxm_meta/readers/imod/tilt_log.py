"""``tilt.log``: the output of IMOD ``tilt`` (back-projection or SIRT).

What it proves: the reconstruction method (``N iterations of SIRT algorithm`` lines, an echoed
``FakeSIRTiterations`` entry, or R-weighting without either = WBP), the slice thickness and the
output size. Line catalogue: formats-logs-deposition.md §A4.
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
from clxm_meta.readers.imod.model import ImodFile, Located, TextLine
from clxm_meta.readers.imod.text import (
    NUMBER,
    LineKeeper,
    TextDoc,
    floats,
    number,
    report_unconvertible,
)

__all__ = ["TiltLog", "parse_tilt_log"]

N = NUMBER
RE_THICKNESS = re.compile(r"Thickness of reconstructed slice is\s+(\d+)\s+(pixels|divisions)")
RE_RADIAL = re.compile(
    r"Radial weighting function parameters\s+IRMAX\s*=\s*(\d+)\s+IWIDE\s*=\s*(\d+)"
)
RE_SIRT = re.compile(r"^\s*(\d+)\s+iterations of SIRT algorithm will be done")
RE_SIRT_ITER = re.compile(r"^\s*Iter\s+\d+,")
RE_FULL = re.compile(r"Full aligned stack will be assumed to be\s+(\d+)\s+by\s+(\d+)\s+pixels")
RE_DONE = re.compile(r"Reconstruction of\s+(\d+)\s+slices complete")
RE_ALPHA = re.compile(rf"Global alpha tilt of\s+({N})\s+will be applied")
RE_MODE = re.compile(r"Data mode of output file is\s+(-?\d+)")
RE_ORIENT = re.compile(r"Output map is sectioned (perpendicular|parallel) to the tilt axis")
RE_SIZE = re.compile(r"Number of columns, rows, sections(?:[ .]*\.)?\s+(\d+)\s+(\d+)\s+(\d+)")
RE_PIXEL = re.compile(rf"Pixel spacing \(Angstroms\)(?:[ .]*\.)?\s+({N})\s+({N})\s+({N})")
RE_LOCAL = re.compile(r"Local tilt alignment information read from file")


class TiltLog(ImodFile):
    """What a tilt.log says.

    Attributes
    ----------
    sirt_iterations
        From ``N iterations of SIRT algorithm will be done`` (true SIRT).
    fake_sirt_iterations
        From an echoed ``FakeSIRTiterations`` entry (WBP with a SIRT-like filter).
    radial
        ``IRMAX`` and ``IWIDE`` of the R-weighting function.
    thickness_px
        Slice thickness, pixels.
    input_size_px
        Columns, rows, sections of the input stack (header dump).
    full_image_px
        ``Full aligned stack will be assumed to be X by Y pixels``.
    n_slices
        From ``Reconstruction of N slices complete``.
    projection_angles_deg
        The ``Projection angles:`` list.
    """

    kind: Literal["tilt_log"] = "tilt_log"
    programs: list[ProgramEntries] = Field(default_factory=list)
    sirt_iterations: Located | None = None
    n_sirt_iteration_lines: int = 0
    fake_sirt_iterations: Located | None = None
    radial: tuple[int, int] | None = None
    radial_line: int | None = None
    thickness_px: Located | None = None
    input_size_px: tuple[int, int, int] | None = None
    input_size_line: int | None = None
    pixel_spacing_a: tuple[float, float, float] | None = None
    full_image_px: tuple[int, int] | None = None
    n_slices: Located | None = None
    output_mode: int | None = None
    orientation: str | None = None
    x_axis_tilt_deg: Located | None = None
    local_alignment: TextLine | None = None
    projection_angles_deg: list[float] = Field(default_factory=list)
    projection_angles_line: int | None = None
    errors: list[TextLine] = Field(default_factory=list)

    @property
    def output_size_px(self) -> tuple[int | None, int | None, int | None]:
        """Width, thickness and number of slices of the reconstruction (as far as the log says)."""
        width = self.full_image_px[0] if self.full_image_px else None
        thick = int(self.thickness_px.value) if self.thickness_px else None
        slices = int(self.n_slices.value) if self.n_slices else None
        return width, thick, slices


def parse_tilt_log(doc: TextDoc, path: str, collector: FindingCollector) -> TiltLog:
    """Parse a tilt.log from decoded lines."""
    keep = LineKeeper()
    unconvertible: list[int] = []
    data: dict[str, object] = {}
    programs: list[ProgramEntries] = []
    angles: list[float] = []
    errors: list[TextLine] = []
    program: ProgramEntries | None = None
    in_angles = False
    n_iter = 0
    for no, text in doc.numbered():
        s = text.strip()
        if program is not None:
            if entries_end(text):
                program = None
            else:
                entry = parse_entry(text, no)
                if entry is not None:
                    program.entries.append(entry)
                    if entry.key.lower() == "fakesirtiterations":
                        vals = floats(entry.value)
                        if vals:
                            data["fake_sirt_iterations"] = Located(value=vals[0], line=no)
            continue
        name = entries_start(text)
        if name is not None:
            program = ProgramEntries(program=name, line=no)
            programs.append(program)
            continue
        if in_angles:
            vals = floats(s)
            if vals:
                angles.extend(vals)
                continue
            if not s and not angles:
                continue  # blank line between the heading and the list
            in_angles = False
        if not s:
            continue
        if s.startswith("Projection angles"):
            in_angles = True
            data["projection_angles_line"] = no
            continue
        if s.upper().startswith("ERROR"):
            errors.append(TextLine(line=no, text=s))
            continue
        try:
            matched = _match(text, no, data)
        except ValueError:  # an integer of > 4300 digits (issue 23)
            unconvertible.append(no)
            keep.add(no, text)
            continue
        if matched:
            continue
        if RE_SIRT_ITER.match(text):
            n_iter += 1
            continue
        keep.add(no, text)
    report_unconvertible(collector, unconvertible)
    if not (data or angles or programs):
        collector.warning("tilt_log_empty", "no line of tilt output was recognised")
    for err in errors:
        collector.warning("tilt_error", err.text, locator=f"line {err.line}")
    return TiltLog(
        path=path,
        file_size=doc.size,
        encoding=doc.encoding,
        line_count=len(doc.lines),
        programs=programs,
        projection_angles_deg=angles,
        n_sirt_iteration_lines=n_iter,
        errors=errors,
        unparsed=keep.kept,
        unparsed_dropped=keep.dropped,
        **data,
    )


def _match(text: str, no: int, data: dict[str, object]) -> bool:
    m = RE_SIRT.match(text)
    if m:
        data["sirt_iterations"] = Located(value=number(m.group(1)), line=no)
        return True
    m = RE_THICKNESS.search(text)
    if m:
        data["thickness_px"] = Located(value=number(m.group(1)), line=no)
        return True
    m = RE_RADIAL.search(text)
    if m:
        data["radial"] = (int(m.group(1)), int(m.group(2)))
        data["radial_line"] = no
        return True
    m = RE_FULL.search(text)
    if m:
        data["full_image_px"] = (int(m.group(1)), int(m.group(2)))
        return True
    m = RE_DONE.search(text)
    if m:
        data["n_slices"] = Located(value=number(m.group(1)), line=no)
        return True
    m = RE_ALPHA.search(text)
    if m:
        data["x_axis_tilt_deg"] = Located(value=number(m.group(1)), line=no)
        return True
    m = RE_MODE.search(text)
    if m:
        data["output_mode"] = int(m.group(1))
        return True
    m = RE_ORIENT.search(text)
    if m:
        data["orientation"] = m.group(1)
        return True
    m = RE_SIZE.search(text)
    if m and "input_size_px" not in data:
        data["input_size_px"] = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        data["input_size_line"] = no
        return True
    m = RE_PIXEL.search(text)
    if m and "pixel_spacing_a" not in data:
        data["pixel_spacing_a"] = (number(m.group(1)), number(m.group(2)), number(m.group(3)))
        return True
    if RE_LOCAL.search(text):
        data["local_alignment"] = TextLine(line=no, text=text.strip())
        return True
    return False
