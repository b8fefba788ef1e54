"""A small DeltaVision writer for tests and examples (test-only, not part of the package).

Writes the 1024-byte header (formats-binary.md §1.2), optional titles, an optional extended header
(ints + floats per section, in file plane order) and zero pixel data, in either byte order.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DvSpec", "SectionSpec", "dv_bytes", "write_dv"]

_PIXEL_BYTES = {0: 1, 1: 2, 2: 4, 3: 4, 4: 8, 5: 2, 6: 2, 7: 4, 8: 8}


@dataclass
class SectionSpec:
    """Extended-header floats of one section (index = float number); unspecified floats are 0."""

    floats: dict[int, float] = field(default_factory=dict)
    ints: Sequence[int] = ()


@dataclass
class DvSpec:
    """Everything the writer puts in a file."""

    nx: int = 8
    ny: int = 6
    nz: int = 2
    n_waves: int = 1
    n_times: int = 1
    pixel_type: int = 6
    d_um: tuple[float, float, float] = (0.1, 0.1, 0.2)
    waves: Sequence[int] = (525,)
    minmax: Sequence[tuple[float, float]] = ((0.0, 100.0),)
    mean1: float = 10.0
    lens_id: int = 0
    image_type: int = 0
    sequence: int = 0
    origin_zxy: tuple[float, float, float] = (0.0, 0.0, 0.0)
    titles: Sequence[str] = ()
    n_ints: int = 8
    n_floats: int = 32
    sections: Sequence[SectionSpec] | None = None
    """One per plane (file order); ``None`` writes no extended header (``next = 0``)."""
    pad_ext_to: int | None = None
    """Round the extended header up to a multiple of this (OMX-style padding)."""
    big_endian: bool = False
    n_sections: int | None = None
    """Override the section count (default nz · n_waves · n_times)."""
    next_override: int | None = None
    write_pixels: bool = True
    pixel_data: bytes | None = None
    """Pixel bytes to write instead of zeros."""


def _header(spec: DvSpec, next_bytes: int) -> bytes:
    e = ">" if spec.big_endian else "<"
    buf = bytearray(1024)
    n_sections = (
        spec.n_sections if spec.n_sections is not None else spec.nz * spec.n_waves * spec.n_times
    )

    def put(fmt: str, off: int, *vals: object) -> None:
        struct.pack_into(e + fmt, buf, off, *vals)

    put("4i", 0, spec.nx, spec.ny, n_sections, spec.pixel_type)
    put("3i", 28, 1, 1, 1)
    put("3f", 40, *spec.d_um)
    put("3f", 52, 90.0, 90.0, 90.0)
    put("3i", 64, 1, 2, 3)
    mm = list(spec.minmax) + [(0.0, 0.0)] * (5 - len(spec.minmax))
    put("3f", 76, mm[0][0], mm[0][1], spec.mean1)
    put("i", 92, next_bytes)
    put("h", 96, -16224)
    put("4h", 128, spec.n_ints, spec.n_floats, 0, 0)
    put("6f", 136, mm[1][0], mm[1][1], mm[2][0], mm[2][1], mm[3][0], mm[3][1])
    put("2h", 160, spec.image_type, spec.lens_id)
    put("2f", 172, mm[4][0], mm[4][1])
    put("2h", 180, spec.n_times, spec.sequence)
    put("h", 196, spec.n_waves)
    waves = list(spec.waves)[:5] + [0] * (5 - min(len(spec.waves), 5))
    put("5h", 198, *waves)
    put("3f", 208, *spec.origin_zxy)
    put("h", 222, len(spec.titles))
    for i, title in enumerate(spec.titles):
        raw = title.encode("latin-1")[:80]
        buf[224 + 80 * i : 224 + 80 * i + len(raw)] = raw
    return bytes(buf)


def _ext(spec: DvSpec) -> bytes:
    if spec.sections is None:
        return b""
    e = ">" if spec.big_endian else "<"
    out = bytearray()
    for sec in spec.sections:
        ints = list(sec.ints) + [0] * (spec.n_ints - len(sec.ints))
        floats = [0.0] * spec.n_floats
        for k, v in sec.floats.items():
            floats[k] = v
        out += struct.pack(f"{e}{spec.n_ints}i{spec.n_floats}f", *ints, *floats)
    if spec.pad_ext_to:
        out += bytes(-len(out) % spec.pad_ext_to)
    return bytes(out)


def dv_bytes(spec: DvSpec) -> bytes:
    """The whole file as bytes."""
    ext = _ext(spec)
    next_bytes = spec.next_override if spec.next_override is not None else len(ext)
    n_sections = (
        spec.n_sections if spec.n_sections is not None else spec.nz * spec.n_waves * spec.n_times
    )
    pixels = (
        spec.pixel_data
        if spec.pixel_data is not None
        else (
            bytes(spec.nx * spec.ny * n_sections * _PIXEL_BYTES[spec.pixel_type])
            if spec.write_pixels
            else b""
        )
    )
    return _header(spec, next_bytes) + ext + pixels


def write_dv(path: str | Path, spec: DvSpec) -> Path:
    """Write ``spec`` to ``path``; return the path."""
    path = Path(path)
    path.write_bytes(dv_bytes(spec))
    return path
