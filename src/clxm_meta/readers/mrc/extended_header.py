"""Decode MRC extended headers: SerialEM/IMOD bit-flag records, Agard records and FEI1/FEI2.

SerialEM (IMOD ``mrc_format.txt``): ``nint`` is the number of bytes per section and ``nreal`` a set
of bit flags saying which short items each section holds, in increasing bit order. When the bytes
the flags imply do not add up to ``nint``, the header is read the Agard way: ``nint`` int32 then
``nreal`` float32 per section, the tilt angle being the first float. FEI1/FEI2 records come already
indexed by mrcfile (``indexed_extended_header``) and are mapped here.

Everything is decoded with numpy in the main header's byte order, and bounded by the bytes that are
actually present.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from clxm_meta.readers.mrc.model import ExtHeader, ExtSection, Scalar

__all__ = [
    "SERIALEM_ITEMS",
    "ExtDecode",
    "decode_agard",
    "decode_fei",
    "decode_serialem",
    "serialem_layout",
    "tilt_steps",
    "unpack_serialem_float",
]

SERIALEM_ITEMS: tuple[tuple[int, str, int], ...] = (
    (1, "tilt", 2),
    (2, "montage", 6),
    (4, "stage", 4),
    (8, "magnification", 2),
    (16, "intensity", 2),
    (32, "dose", 4),
    (64, "reserved_64", 2),
    (128, "reserved_128", 4),
    (256, "reserved_256", 2),
    (512, "reserved_512", 4),
    (1024, "reserved_1024", 2),
)
"""(bit, item, bytes) of the SerialEM extended-header items, in file order."""

STEP_TOLERANCE_DEG = 0.05
"""Tilt steps within this spread count as regular: SerialEM stores the stage read-back to 0.01°."""

_KNOWN_BITS = sum(bit for bit, _, _ in SERIALEM_ITEMS)
MAX_EXTRA_PER_SECTION = 64
"""Agard records can declare up to 32767 numbers per section; at most this many are kept each."""


@dataclass
class ExtDecode:
    """Result of decoding: the model part plus problems for the reader to report."""

    ext: ExtHeader
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(code, message) pairs, all warnings."""


def serialem_layout(nint: int, nreal: int) -> list[tuple[int, str, int]] | None:
    """Items of a SerialEM section, or ``None`` when the flags do not describe ``nint`` bytes.

    Parameters
    ----------
    nint
        Bytes per section (header byte 128).
    nreal
        Bit flags (header byte 130).
    """
    if nint <= 0 or nreal <= 0 or nreal & ~_KNOWN_BITS:
        return None
    items = [item for item in SERIALEM_ITEMS if nreal & item[0]]
    if sum(size for _, _, size in items) != nint:
        return None
    return items


def unpack_serialem_float(s1: int, s2: int) -> float:
    """A float that SerialEM packed into two shorts (the exposure dose).

    value = sign(s1) · (|s1| · 256 + |s2| mod 256) · 2^(sign(s2) · (|s2| div 256))
    """
    mantissa = abs(s1) * 256 + abs(s2) % 256
    exponent = abs(s2) // 256
    if s1 < 0:
        mantissa = -mantissa
    if s2 < 0:
        exponent = -exponent
    return float(mantissa) * 2.0**exponent


def tilt_steps(
    angles: list[float], tolerance: float = STEP_TOLERANCE_DEG
) -> tuple[float, float, float, bool] | None:
    """Median, smallest and largest step between consecutive angles, and whether they agree.

    Returns ``None`` for fewer than two angles. Steps are rounded to 0.001°.
    """
    if len(angles) < 2:
        return None
    steps = sorted(b - a for a, b in itertools.pairwise(angles))
    n = len(steps)
    median = steps[n // 2] if n % 2 else (steps[n // 2 - 1] + steps[n // 2]) / 2
    lo, hi = steps[0], steps[-1]
    return round(median, 3), round(lo, 3), round(hi, 3), hi - lo <= tolerance + 1e-9


def _finite(value: Any) -> float | None:
    out = float(value)
    return out if math.isfinite(out) else None


def _sections_available(present: int, record: int, nz: int) -> int:
    if record <= 0 or nz <= 0:
        return 0
    return min(nz, present // record)


def _check_count(decode: ExtDecode, n: int, nz: int, present: int, record: int) -> None:
    if nz > 0 and n < nz:
        decode.problems.append(
            (
                "ext_header_short",
                f"the extended header holds {n} section record(s) of {record} bytes "
                f"({present} bytes present) but the stack has nz = {nz} sections",
            )
        )


def decode_serialem(
    buf: bytes, *, nint: int, nreal: int, nz: int, byte_order: str, declared: int
) -> ExtDecode:
    """Decode a SerialEM/IMOD bit-flag extended header.

    Parameters
    ----------
    buf
        The extended-header bytes present in the file.
    nint, nreal
        Bytes per section and item flags; ``serialem_layout(nint, nreal)`` must not be ``None``.
    nz
        Number of sections in the stack.
    byte_order
        ``"<"`` or ``">"``.
    declared
        nsymbt.
    """
    layout = serialem_layout(nint, nreal)
    if layout is None:
        raise ValueError(f"nint={nint}, nreal={nreal} is not a SerialEM layout")
    fields: list[tuple[str, str, tuple[int, ...]]] = []
    for _, name, size in layout:
        fields.append((name, f"{byte_order}i2", (size // 2,)))
    dtype = np.dtype(fields)
    n = _sections_available(len(buf), nint, nz)
    rec: npt.NDArray[Any] = np.frombuffer(buf, dtype=dtype, count=n)
    names = [name for _, name, _ in layout]
    decode = ExtDecode(
        ExtHeader(
            size=declared,
            present=len(buf),
            interpretation="serialem",
            items=names,
            section_bytes=nint,
            n_sections=n,
        )
    )
    columns = {name: rec[name].tolist() for name in names}
    sections: list[ExtSection] = []
    for i in range(n):
        kw: dict[str, Any] = {"index": i}
        extra: dict[str, Scalar] = {}
        for name in names:
            vals: list[int] = columns[name][i]
            if name == "tilt":
                kw["tilt_deg"] = vals[0] / 100.0
            elif name == "montage":
                kw["piece_x"], kw["piece_y"], kw["piece_z"] = vals
            elif name == "stage":
                kw["stage_x_um"], kw["stage_y_um"] = vals[0] / 25.0, vals[1] / 25.0
            elif name == "magnification":
                kw["magnification"] = float(vals[0] * 100)
            elif name == "intensity":
                kw["intensity"] = vals[0] / 25000.0
            elif name == "dose":
                kw["dose_e_per_a2"] = _finite(unpack_serialem_float(vals[0], vals[1]))
            else:
                for j, v in enumerate(vals):
                    extra[f"{name}_{j}"] = v
        sections.append(ExtSection(**kw, extra=extra))
    decode.ext = decode.ext.model_copy(update={"sections": sections})
    _check_count(decode, n, nz, len(buf), nint)
    return decode


def decode_agard(
    buf: bytes, *, nint: int, nreal: int, nz: int, byte_order: str, declared: int
) -> ExtDecode:
    """Decode an Agard-style extended header: ``nint`` int32 then ``nreal`` float32 per section.

    The tilt angle is the first float (IMOD ``get_extra_header_items``).
    """
    record = 4 * (max(nint, 0) + max(nreal, 0))
    decode = ExtDecode(
        ExtHeader(size=declared, present=len(buf), interpretation="agard", section_bytes=record)
    )
    if nint < 0 or nreal < 0 or record == 0:
        decode.problems.append(
            (
                "ext_header_layout",
                f"nint={nint}, nreal={nreal} describe no usable section record; "
                "the extended header was not decoded",
            )
        )
        return decode
    n = _sections_available(len(buf), record, nz)
    dtype = np.dtype(
        [("ints", f"{byte_order}i4", (nint,)), ("floats", f"{byte_order}f4", (nreal,))]
    )
    rec: npt.NDArray[Any] = np.frombuffer(buf, dtype=dtype, count=n)
    sections: list[ExtSection] = []
    nonfinite = 0
    for i in range(n):
        ints = rec[i]["ints"][:MAX_EXTRA_PER_SECTION]
        floats = rec[i]["floats"][:MAX_EXTRA_PER_SECTION]
        extra: dict[str, Scalar] = {f"int_{j}": int(v) for j, v in enumerate(ints)}
        for j, v in enumerate(floats):
            fv = _finite(v)
            nonfinite += fv is None
            extra[f"float_{j}"] = fv
        tilt = _finite(rec[i]["floats"][0]) if nreal else None
        sections.append(ExtSection(index=i, tilt_deg=tilt, extra=extra))
    if nint + nreal > MAX_EXTRA_PER_SECTION:
        decode.problems.append(
            (
                "ext_header_truncated_items",
                f"sections declare {nint} ints and {nreal} floats; only the first "
                f"{MAX_EXTRA_PER_SECTION} of each kind are kept",
            )
        )
    if nonfinite:
        decode.problems.append(
            ("ext_header_nonfinite", f"{nonfinite} extended-header float(s) are NaN or infinite")
        )
    decode.ext = decode.ext.model_copy(update={"n_sections": n, "sections": sections})
    _check_count(decode, n, nz, len(buf), record)
    return decode


_FEI_MAP: dict[str, tuple[str, float]] = {
    "Alpha tilt": ("tilt_deg", 1.0),
    "X-Stage": ("stage_x_um", 1e6),
    "Y-Stage": ("stage_y_um", 1e6),
    "Z-Stage": ("stage_z_um", 1e6),
    "Magnification": ("magnification", 1.0),
}


def _fei_scalar(value: Any) -> Scalar:
    if isinstance(value, bytes):
        return value.rstrip(b"\x00").decode("latin-1").strip()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return _finite(value)
    return None


def decode_fei(
    indexed: npt.NDArray[Any], *, kind: str, nz: int, present: int, declared: int
) -> ExtDecode:
    """Map mrcfile's ``indexed_extended_header`` (FEI1/FEI2) onto `ExtSection` records.

    Parameters
    ----------
    indexed
        mrcfile's structured array, one element per section.
    kind
        ``"fei1"`` or ``"fei2"``.
    """
    names = [n for n in (indexed.dtype.names or ()) if indexed.dtype[n].shape == ()]
    record = int(indexed.dtype.itemsize)
    sections: list[ExtSection] = []
    for i in range(len(indexed)):
        row = indexed[i]
        kw: dict[str, Any] = {"index": i}
        extra: dict[str, Scalar] = {}
        for name in names:
            value = _fei_scalar(row[name])
            if name in _FEI_MAP:
                slot, scale = _FEI_MAP[name]
                kw[slot] = value * scale if isinstance(value, float) else None
            else:
                extra[name] = value
        sections.append(ExtSection(**kw, extra=extra))
    decode = ExtDecode(
        ExtHeader(
            size=declared,
            present=present,
            interpretation=kind,
            section_bytes=record,
            n_sections=len(sections),
            sections=sections,
        )
    )
    _check_count(decode, len(sections), nz, present, record)
    return decode
