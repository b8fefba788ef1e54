"""Writer of small synthetic Zeiss/Xradia TXRM/XRM files (soft X-ray tilt series), for tests.

The layouts follow what the real files hold (docs/reference/formats-binary.md §3):

* ``version=3`` (XM Controller): ``MM/DD/YY HH:MM:SS`` dates, reference as ``ReferenceData/Image`` +
  ``ReferenceData/ExpTime`` + ``ReferenceData/DataType``, the vendor's misspelt stream names
  (``MosiacRows``, ``VerticalalBin``), no ``exeVersion``.
* ``version=5`` (XRM Data Explorer era): ``MM/DD/YYYY HH:MM:SS.fff`` dates, ``exeVersion``, reference
  information under ``ReferenceData/ImageInfo/*``.

Pixel data are tiny (default 8×8 uint16) and meaningless. ``txrm_streams`` returns the stream map so
tests can damage or drop streams before writing; ``write_txrm`` writes the file.
"""

from __future__ import annotations

import math
import os
import struct
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from writers.cfb import write_cfb

__all__ = ["DEFAULT_ANGLES", "DEFAULT_DATE", "txrm_streams", "write_txrm"]

DEFAULT_ANGLES = tuple(float(a) for a in range(-60, 61, 10))
"""−60…+60° in 10° steps (13 images)."""
DEFAULT_DATE = datetime(2023, 5, 4, 10, 11, 12, 345000)
IMAGE_INTERVAL_S = 10
"""Seconds between the date stamps of consecutive images."""


def _i4(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}i", *values)


def _f4(*values: float) -> bytes:
    return struct.pack(f"<{len(values)}f", *values)


def _text(value: str, size: int, garbage: bytes = b"\xa7\x13garbage") -> bytes:
    """NUL-terminated text padded to ``size`` with garbage after the terminator, as the vendor does."""
    raw = value.encode("latin-1") + b"\x00" + garbage
    return (raw + b"\x00" * size)[:size]


def _date(when: datetime, version: int) -> bytes:
    if version >= 5:
        text = when.strftime("%m/%d/%Y %H:%M:%S.") + f"{when.microsecond // 1000:03d}"
    else:
        text = when.strftime("%m/%d/%y %H:%M:%S")
    return _text(text, 40, garbage=b"Q\x00\xbe;{\xee")


def _pixels(width: int, height: int, seed: int) -> bytes:
    return struct.pack(
        f"<{width * height}H", *((seed * 7 + i) % 65536 for i in range(width * height))
    )


def txrm_streams(
    *,
    version: int = 5,
    angles: Sequence[float] = DEFAULT_ANGLES,
    energy_ev: float | Sequence[float] = 500.0,
    pixel_size_um: float = 0.01,
    exposure_s: float | Sequence[float] = 1.0,
    reference: bool = True,
    reference_exposure_s: float = 2.0,
    width: int = 8,
    height: int = 8,
    date: datetime = DEFAULT_DATE,
    zone_plate: str | None = "ZP 25 nm",
    objective: str = "20x",
    camera: str = "Andor iKon-M",
    exe_version: str = "16.1.13038.42",
    xray_magnification: float = 1300.0,
    optical_magnification: float = 20.0,
    binning: int = 1,
    temperature: int = -20,
    mosaic: tuple[int, int] | None = None,
    images_taken: int | None = None,
    strided_energy: bool = False,
    facility: str | None = None,
) -> dict[str, bytes]:
    """Return the streams of a synthetic TXRM (see module docstring); one image per angle."""
    n = len(angles)
    energies = [float(energy_ev)] * n if isinstance(energy_ev, int | float) else list(energy_ev)
    exposures = [float(exposure_s)] * n if isinstance(exposure_s, int | float) else list(exposure_s)
    taken = n if images_taken is None else images_taken
    s: dict[str, bytes] = {"Version": _f4(float(version))}
    if version >= 4:
        s["exeVersion"] = _text(exe_version, 260)
    ii = "ImageInfo/"
    s[ii + "ImageWidth"] = _i4(width)
    s[ii + "ImageHeight"] = _i4(height)
    s[ii + "NoOfImages"] = _i4(n)
    s[ii + "ImagesTaken"] = _i4(taken)
    s[ii + "DataType"] = _i4(5)
    s[ii + "PixelSize"] = _f4(pixel_size_um)
    s[ii + "Angles"] = _f4(*angles)
    s[ii + "ExpTimes"] = _f4(*exposures)
    if strided_energy and n > 1:
        slots = [0.0] * (1 + 10 * (n - 1))
        for i, e in enumerate(energies):
            slots[10 * i] = e
        s[ii + "Energy"] = _f4(*slots)
    else:
        s[ii + "Energy"] = _f4(*energies)
    s[ii + "Date"] = b"".join(
        _date(date + timedelta(seconds=IMAGE_INTERVAL_S * i), version) for i in range(n)
    )
    s[ii + "XrayMagnification"] = _f4(*([xray_magnification] * n))
    s[ii + "OpticalMagnification"] = _f4(optical_magnification)
    s[ii + "ObjectiveName"] = _text(objective, 260)
    s[ii + "ZonePlateName"] = (
        _text(zone_plate, 25) if zone_plate else b"\x00\x11\xab\xfd" * 6 + b" "
    )
    s[ii + "CameraName"] = _text(camera, 80)
    s[ii + "HorizontalBin"] = _i4(binning)
    s[ii + "Temperature"] = _i4(temperature)
    s[ii + "XPosition"] = _f4(*([100.5] * n))
    s[ii + "YPosition"] = _f4(*([-20.25] * n))
    s[ii + "ZPosition"] = _f4(*([3.0] * n))
    s[ii + "Voltage"] = _f4(0.0)
    s[ii + "Current"] = _f4(0.0)
    s[ii + "OriginalDataRefCorrected"] = _i4(0)
    rows, cols = mosaic if mosaic is not None else (0, 0)
    if version >= 5:
        s[ii + "CameraBinning"] = _i4(binning)
        s[ii + "VerticalBin"] = _i4(binning)
        s[ii + "MosaicRows"] = _i4(rows)
        s[ii + "MosaicColumns"] = _i4(cols)
    else:
        s[ii + "VerticalalBin"] = _i4(binning)
        s[ii + "MosiacRows"] = _i4(rows)
        s[ii + "MosiacColumns"] = _i4(cols)
        s[ii + "MosiacMode"] = _i4(1 if mosaic else 0)
    s["SampleInfo/Facility"] = _text(facility or "", 50, garbage=b"")
    for i in range(1, taken + 1):
        s[f"ImageData{math.ceil(i / 100)}/Image{i}"] = _pixels(width, height, i)
    if reference:
        s["ReferenceData/Image"] = _pixels(width, height, 0)
        if version >= 5:
            s["ReferenceData/ImageInfo/ImageWidth"] = _i4(width)
            s["ReferenceData/ImageInfo/ImageHeight"] = _i4(height)
            s["ReferenceData/ImageInfo/DataType"] = _i4(5)
            s["ReferenceData/ImageInfo/ExpTimes"] = _f4(reference_exposure_s)
        else:
            s["ReferenceData/DataType"] = _i4(5)
            s["ReferenceData/ExpTime"] = _f4(reference_exposure_s)
    return s


def write_streams(path: str | os.PathLike[str], streams: Mapping[str, bytes]) -> Path:
    """Write a stream map (from `txrm_streams`, possibly edited) as a compound file."""
    write_cfb(path, streams)
    return Path(path)


def write_txrm(path: str | os.PathLike[str], **kwargs: object) -> Path:
    """Write a synthetic TXRM/XRM to ``path``; keyword arguments as for `txrm_streams`.

    Example::

        write_txrm(tmp_path / "ts.txrm", version=5, angles=[-60, -30, 0, 30, 60],
                   energy_ev=520.0, pixel_size_um=0.01, exposure_s=1.5, reference=True)
    """
    return write_streams(path, txrm_streams(**kwargs))  # type: ignore[arg-type]
