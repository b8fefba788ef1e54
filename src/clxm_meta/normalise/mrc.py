"""Table 1 candidates from an MRC format model (`clxm_meta.readers.mrc.model.MrcFile`).

What an MRC file gives depends on its role (decided by the reader, with evidence):

* tomogram: SXT ``processed.format``, ``processed.dimensions``, ``processed.pixel_type`` and
  ``setup.pixel_size``;
* tilt series: SXT ``acquisition.tilt_range`` / ``tilt_step`` (from extended-header angles),
  ``acquisition.n_frames``, ``raw.dimensions``, ``raw.pixel_type`` and ``setup.pixel_size``;
* SIM stack (only when a label names SIM software): SIM ``raw.format``, ``raw.dimensions``,
  ``raw.pixel_type``;
* aligned stacks, maps and files of unknown role give no Table 1 value.

In a cryo-SXT dataset an MRC file is made from the microscope's TXRM, whose header outranks it:
header values here have `Precedence.PROCESSED_HEADER`, derived ones `Precedence.DERIVED`. Pixel
types are numpy names (``int16``, ``float32`` ...).
"""

from __future__ import annotations

import os
from typing import Any

from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.readers.mrc.extended_header import STEP_TOLERANCE_DEG, tilt_steps
from clxm_meta.readers.mrc.model import MrcFile
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.pixel_types import pixel_type_words
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import XYZ, ImageDimensions, TiltRange, TiltStep

__all__ = ["candidates"]

READER = "mrc"
DIMS_LOCATOR = "header nx, ny, nz (bytes 0-11)"
PIXEL_LOCATOR = "header cella / mx, my, mz (bytes 28-51)"


def _r(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.9g}")


class _Builder:
    def __init__(self, model: MrcFile) -> None:
        self.m = model
        self.out: list[Candidate] = []

    def add(
        self,
        field: str,
        value: Any,
        locator: str,
        *,
        kind: DatasetKind = DatasetKind.SXT,
        unit: str | None = None,
        transform: str | None = None,
        derived: bool = False,
    ) -> None:
        if derived:
            source = Source.derived(self.m.path, READER, locator, transform or "")
            precedence = Precedence.DERIVED
        else:
            source = Source.file(self.m.path, READER, locator, transform)
            precedence = Precedence.PROCESSED_HEADER
        self.out.append(
            Candidate(
                field=field,
                kind=kind,
                value=value,
                unit=unit,
                source=source,
                precedence=precedence,
            )
        )

    # --- shared pieces ---------------------------------------------------------------------------

    def dims_ok(self) -> bool:
        h = self.m.header
        return h.nx > 0 and h.ny > 0 and h.nz > 0

    def dimensions(self, field: str, *, volume: bool, kind: DatasetKind = DatasetKind.SXT) -> None:
        if not self.dims_ok():
            return
        h = self.m.header
        um = h.voxel_size_um

        def ext(n: int, size: float | None) -> float | None:
            return _r(n * size) if size is not None else None

        value = ImageDimensions(
            x=h.nx,
            y=h.ny,
            z=h.nz,
            x_um=ext(h.nx, um.x),
            y_um=ext(h.ny, um.y),
            z_um=ext(h.nz, um.z) if volume else None,
        )
        what = "x, y, z voxels" if volume else "x, y pixels; z = number of images"
        extent = "x_um = nx × cella.x / mx (Å → µm)" + (", same for y and z" if volume else ", y")
        self.add(
            field,
            value,
            f"{DIMS_LOCATOR}; {PIXEL_LOCATOR}",
            kind=kind,
            transform=f"{what}; {extent}",
        )

    def pixel_type(self, field: str, kind: DatasetKind = DatasetKind.SXT) -> None:
        h = self.m.header
        if h.dtype is None:
            return
        note = f"; {h.dtype_note}" if h.dtype_note else ""
        self.add(
            field,
            pixel_type_words(h.dtype),
            "header mode (byte 12)",
            kind=kind,
            transform=f"mode {h.mode} → {h.dtype}{note}",
        )

    def pixel_size(self, *, volume: bool) -> None:
        um = self.m.header.voxel_size_um
        if um.x is None and um.y is None:
            return
        value = XYZ(x=um.x, y=um.y, z=um.z if volume else None)
        self.add(
            "setup.pixel_size",
            value,
            PIXEL_LOCATOR,
            unit="µm",
            transform="cella / m in Å, ÷ 10⁴ → µm"
            + ("" if volume else "; z left out (tilt series)"),
        )

    # --- roles -----------------------------------------------------------------------------------

    def tomogram(self) -> None:
        h = self.m.header
        version = f"MRC2014 nversion {h.nversion}" if h.nversion in (20140, 20141) else "MRC"
        name = os.path.basename(self.m.path)
        self.add(
            "processed.format",
            "MRC",
            "map id 'MAP ' (byte 208); file name",
            transform=f"{version}; file {name}; role tomogram ({'; '.join(self.m.role_evidence)})",
        )
        self.dimensions("processed.dimensions", volume=True)
        self.pixel_type("processed.pixel_type")
        self.pixel_size(volume=True)

    def tilt_series(self) -> None:
        h = self.m.header
        if h.nz > 0:
            self.add(
                "acquisition.n_frames",
                h.nz,
                "header nz (byte 8)",
                transform="number of sections of the tilt series",
            )
        self.tilts()
        self.dimensions("raw.dimensions", volume=False)
        self.pixel_type("raw.pixel_type")
        self.pixel_size(volume=False)

    def tilts(self) -> None:
        angles = self.m.tilt_angles_deg
        if not angles or len(angles) < 2 or max(angles) == min(angles):
            return
        ext = self.m.ext_header
        last = len(angles) - 1
        how = {
            "serialem": "tilt×100 (SerialEM short ÷ 100)",
            "agard": "first float (Agard)",
            "fei1": "'Alpha tilt' (FEI1)",
            "fei2": "'Alpha tilt' (FEI2)",
        }.get(ext.interpretation, ext.interpretation)
        locator = f"ext header sections 0-{last} {how}"
        self.add(
            "acquisition.tilt_range",
            TiltRange(
                start_deg=angles[0], end_deg=angles[-1], min_deg=min(angles), max_deg=max(angles)
            ),
            locator,
            unit="°",
            transform="first, last, min and max of the per-section angles",
        )
        steps = tilt_steps(angles)
        if steps is None:
            return
        median, lo, hi, regular = steps
        self.add(
            "acquisition.tilt_step",
            TiltStep(step_deg=median, min_deg=lo, max_deg=hi, regular=regular),
            locator,
            unit="°",
            transform="median of consecutive angle differences; regular when all steps agree "
            f"within {STEP_TOLERANCE_DEG}°",
            derived=True,
        )

    def sim_stack(self) -> None:
        self.add(
            "raw.format",
            ".mrc",
            "map id 'MAP ' (byte 208); labels",
            kind=DatasetKind.SIM,
            transform="MRC file named a SIM stack by: " + "; ".join(self.m.role_evidence),
        )
        self.dimensions("raw.dimensions", volume=True, kind=DatasetKind.SIM)
        self.pixel_type("raw.pixel_type", kind=DatasetKind.SIM)


def candidates(model: MrcFile) -> list[Candidate]:
    """Table 1 candidates of one MRC file, according to its role.

    Parameters
    ----------
    model
        The format model from `clxm_meta.readers.mrc.read`.
    """
    builder = _Builder(model)
    if model.role == "tomogram":
        builder.tomogram()
    elif model.role == "tilt_series":
        builder.tilt_series()
    elif model.role == "sim_stack":
        builder.sim_stack()
    return builder.out
