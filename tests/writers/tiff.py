"""Small TIFF, OME-TIFF and ImageJ-TIFF files for the TIFF reader tests (written with tifffile).

The OME-XML is composed here with ome-types' model (or as text, for broken documents), so the tests
know every value that went in.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import tifffile
from ome_types import model as om
from ome_types import to_xml


def compose_ome(
    *,
    size: tuple[int, int, int, int, int] = (8, 6, 2, 1, 1),
    pixel_type: str = "uint16",
    physical_size: tuple[float | None, float | None, float | None] = (100.0, 100.0, 250.0),
    physical_unit: str = "nm",
    physical_z_unit: str | None = None,
    channels: Sequence[dict[str, Any]] = (),
    exposures_ms: Sequence[float] | None = None,
    acquisition_date: datetime | None = None,
    instrument: bool = False,
) -> str:
    """OME-XML for one image of ``size`` = (X, Y, Z, C, T), planes in XYZCT order.

    ``channels`` items: ``name``, ``ex`` and ``em`` (nm), ``nd``, ``binning`` and ``gain`` (a
    DetectorSettings referring to ``Detector:0``). ``exposures_ms`` gives one
    exposure per plane, in ms (written with ``ExposureTimeUnit="ms"``).
    """
    sx, sy, sz, sc, st = size
    chans = [
        om.Channel(
            id=f"Channel:0:{i}",
            name=c.get("name"),
            excitation_wavelength=c.get("ex"),
            excitation_wavelength_unit="nm",
            emission_wavelength=c.get("em"),
            emission_wavelength_unit="nm",
            nd_filter=c.get("nd"),
            samples_per_pixel=1,
            detector_settings=(
                om.DetectorSettings(id="Detector:0", binning=c.get("binning"), gain=c.get("gain"))
                if "binning" in c or "gain" in c
                else None
            ),
        )
        for i, c in enumerate(channels)
    ] or [om.Channel(id="Channel:0:0", samples_per_pixel=1)]
    planes = []
    if exposures_ms is not None:
        k = 0
        for t in range(st):
            for c in range(sc):
                for z in range(sz):
                    planes.append(
                        om.Plane(
                            the_z=z,
                            the_c=c,
                            the_t=t,
                            exposure_time=exposures_ms[k],
                            exposure_time_unit="ms",
                        )
                    )
                    k += 1
    px, py, pz = physical_size
    pixels = om.Pixels(
        id="Pixels:0",
        dimension_order="XYZCT",
        type=pixel_type,
        size_x=sx,
        size_y=sy,
        size_z=sz,
        size_c=sc,
        size_t=st,
        physical_size_x=px,
        physical_size_x_unit=physical_unit,
        physical_size_y=py,
        physical_size_y_unit=physical_unit,
        physical_size_z=pz,
        physical_size_z_unit=physical_z_unit or physical_unit,
        channels=chans,
        planes=planes,
        tiff_data_blocks=[om.TiffData()],
    )
    image = om.Image(id="Image:0", name="test", acquisition_date=acquisition_date, pixels=pixels)
    instruments = []
    if instrument:
        instruments.append(
            om.Instrument(
                id="Instrument:0",
                microscope=om.Microscope(manufacturer="Acme", model="CryoSIM 1"),
                objectives=[
                    om.Objective(
                        id="Objective:0",
                        manufacturer="Nikon",
                        model="CFI 100x",
                        lens_na=0.9,
                        nominal_magnification=100.0,
                        working_distance=1.0,
                        working_distance_unit="mm",
                    )
                ],
                detectors=[om.Detector(id="Detector:0", type="CMOS", model="Zyla")],
                lasers=[
                    om.Laser(id="LightSource:0", wavelength=488.0, power=50.0, power_unit="mW")
                ],
            )
        )
        image.instrument_ref = om.InstrumentRef(id="Instrument:0")
        image.objective_settings = om.ObjectiveSettings(id="Objective:0")
    ome = om.OME(images=[image], instruments=instruments, creator="clxm_meta tests")
    return to_xml(ome)


def _data(shape: Sequence[int], dtype: str) -> np.ndarray:
    return np.zeros(tuple(shape), dtype=dtype)


def write_ome_tiff(
    path: Path,
    xml: str,
    *,
    shape: Sequence[int] = (2, 6, 8),
    dtype: str = "uint16",
    software: str | None = None,
    bigtiff: bool = False,
    resolution: tuple[float, float] | None = None,
    resolutionunit: int | None = None,
) -> Path:
    """A TIFF whose first ImageDescription is ``xml`` (pages = product of leading dims)."""
    tifffile.imwrite(
        path,
        _data(shape, dtype),
        description=xml.encode("utf-8"),  # OME-XML is UTF-8 ("µm"); tifffile wants ASCII str
        metadata=None,
        software=software if software is not None else False,
        bigtiff=bigtiff,
        resolution=resolution,
        resolutionunit=resolutionunit,
        photometric="minisblack",
    )
    return path


def write_imagej(
    path: Path,
    *,
    shape: Sequence[int] = (3, 2, 6, 8),
    axes: str = "ZCYX",
    dtype: str = "float32",
    pixel_size: float | None = 0.08,
    metadata: dict[str, Any] | None = None,
) -> Path:
    """An ImageJ hyperstack; ``pixel_size`` in the ImageJ ``unit`` of ``metadata``."""
    meta = {"axes": axes, **(metadata or {})}
    tifffile.imwrite(
        path,
        _data(shape, dtype),
        imagej=True,
        resolution=(1 / pixel_size, 1 / pixel_size) if pixel_size else None,
        metadata=meta,
    )
    return path


def write_plain(
    path: Path,
    *,
    shape: Sequence[int] = (6, 8),
    dtype: str = "uint8",
    resolution: tuple[float, float] | None = None,
    resolutionunit: int | None = None,
    description: str | None = None,
    software: str | None = None,
    datetime_text: str | None = None,
    extratags: Sequence[tuple[int, str, int, Any, bool]] = (),
    bigtiff: bool = False,
) -> Path:
    """A plain TIFF (no ImageJ/OME/shaped metadata) with the given tags."""
    tifffile.imwrite(
        path,
        _data(shape, dtype),
        resolution=resolution,
        resolutionunit=resolutionunit,
        description=description,
        metadata=None,
        software=software if software is not None else False,
        datetime=datetime_text,
        extratags=list(extratags),
        bigtiff=bigtiff,
        photometric="minisblack",
    )
    return path


def plain_bytes(shape: Sequence[int] = (4, 4), dtype: str = "uint8") -> bytes:
    """A tiny plain TIFF as bytes (for byte-flipping tests)."""
    buf = io.BytesIO()
    tifffile.imwrite(
        buf,
        _data(shape, dtype),
        metadata=None,
        software=False,
        resolution=(1e4, 1e4),
        resolutionunit=3,
        description="hello",
        photometric="minisblack",
    )
    return buf.getvalue()


def fluorescence_ome() -> str:
    """OME-XML of a two-channel (GFP, RFP) 2-z fluorescence stack with an instrument: the
    richest document the writers make, shared by the OME-subset and assembled-model tests."""
    return compose_ome(
        size=(8, 6, 2, 2, 1),
        channels=[
            {"name": "GFP", "ex": 488.0, "em": 525.0, "nd": 0.5, "binning": "2x2", "gain": 2},
            {"name": "RFP", "ex": 561.0, "em": 610.0},
        ],
        exposures_ms=[10, 10, 20, 20],
        acquisition_date=datetime(2024, 1, 2, 3, 4, 5),
        instrument=True,
    )
