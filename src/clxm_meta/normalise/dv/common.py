"""Shared by the DV normaliser modules: candidate collector, locators, emission, date, sizes."""

from __future__ import annotations

from typing import Any

import numpy as np

from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.readers.dv.model import DvFile
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.pixel_types import pixel_type_words
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import ImageDimensions

READER = "dv"
_PIXEL = "header dx, dy, dz (bytes 40-51)"
_DIMS = "header nx, ny, n_sections (bytes 0-11), NumTimes (180), NumWaves (196)"


def _r(value: float) -> float:
    return round(value, 9)


class _Out:
    def __init__(self, model: DvFile) -> None:
        self.model = model
        self.items: list[Candidate] = []

    def add(
        self,
        field: str,
        value: Any,
        source: Source,
        precedence: Precedence,
        unit: str | None = None,
    ) -> None:
        self.items.append(
            Candidate(
                field=field,
                kind=DatasetKind.SIM,
                value=value,
                unit=unit,
                source=source,
                precedence=precedence,
            )
        )

    def file(self, locator: str, transform: str | None = None) -> Source:
        return Source.file(self.model.path, READER, locator, transform)

    def derived(self, locator: str, transform: str) -> Source:
        return Source.derived(self.model.path, READER, locator, transform)

    def assumption(self, locator: str, transform: str) -> Source:
        return Source.assumption(self.model.path, READER, locator, transform)


def _pixel_type_words(model: DvFile) -> str | None:
    if model.header.dtype is not None:
        return pixel_type_words(np.dtype(model.header.dtype).name)
    name = model.header.pixel_type_name
    return name.split(" (")[0] if name else None


def _emission(model: DvFile) -> tuple[list[float], str] | None:
    waves = model.wavelengths_nm
    if waves and all(w is not None for w in waves):
        return [float(w) for w in waves if w is not None], "header wave1..wave5 (bytes 198-207)"
    ems = [c.emission_nm for c in model.channels]
    if ems and all(e is not None for e in ems):
        secs = ", ".join(str(c.first_section) for c in model.channels)
        return [e for e in ems if e is not None], f"ext header sections {secs} float 11"
    return None


def _date(out: _Out, precedence: Precedence) -> None:
    model = out.model
    if model.cockpit is not None and model.cockpit.date_time is not None:
        out.add(
            "general.collection_date",
            model.cockpit.date_time,
            out.file(
                f"title {model.cockpit.date_time_title} ('Date & time:')",
                "Cockpit local time, no time zone",
            ),
            precedence,
        )
    elif model.new_type is not None and model.new_type.acquisition_time is not None:
        out.add(
            "general.collection_date",
            model.new_type.acquisition_time,
            out.file("NEW_TYPE acquisition time (f8, byte 844)", "UNIX seconds → ISO 8601 UTC"),
            precedence,
        )


def _dimensions(model: DvFile, *, with_z_um: bool) -> ImageDimensions:
    """Stack extent from the header.

    ``z_um`` only for a reconstruction: a raw SIM stack's Z interleaves angles and phases with
    focal planes, so nz × dz is not a depth.
    """
    hdr = model.header
    dx, dy, dz = hdr.dx_um, hdr.dy_um, hdr.dz_um
    z_um = None
    if with_z_um and dz is not None and model.nz is not None:
        z_um = _r(model.nz * dz)
    return ImageDimensions(
        x=hdr.nx,
        y=hdr.ny,
        z=model.nz,
        c=model.n_waves,
        t=model.n_times,
        x_um=_r(hdr.nx * dx) if dx is not None else None,
        y_um=_r(hdr.ny * dy) if dy is not None else None,
        z_um=z_um,
    )
