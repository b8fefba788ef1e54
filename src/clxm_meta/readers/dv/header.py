"""Decoding of the 1024-byte DV header with numpy structured dtypes, in the file's byte order.

Offsets follow docs/reference/formats-binary.md §1.2-1.5 (IVE/Priism header as archived in
tlambert03/mrc, Bio-Formats DeltavisionReader). Nothing here reads beyond the 1024 bytes given.
One ``struct`` pass turns the bytes into Python numbers (`header_record`); the models are built
from them without validation (`construct`): every value already has its field's exact type.
"""

from __future__ import annotations

import math
import struct
from datetime import UTC, datetime
from typing import Literal, NamedTuple

from clxm_meta.readers.base import FindingCollector, construct
from clxm_meta.readers.dv.model import DvHeader, DvNewType, DvWaveStats

__all__ = [
    "HEADER_SIZE",
    "PIXEL_TYPES",
    "HeaderValues",
    "NewTypeValues",
    "byte_order",
    "clean_float",
    "decode_header",
    "decode_new_type",
    "header_record",
    "new_type_record",
    "wave_stats",
]

HEADER_SIZE = 1024
MAGIC_LE = b"\xa0\xc0"
MAGIC_BE = b"\xc0\xa0"
MAX_WAVES_OLD = 5
MAX_WAVES_NEW = 12
NEW_TYPE = 100

PIXEL_TYPES: dict[int, tuple[str | None, str, int]] = {
    # code: (numpy kind without byte order, name, bits per pixel) - formats-binary.md §1.3
    0: ("u1", "unsigned 8-bit integer (uint8)", 8),
    1: ("i2", "signed 16-bit integer (int16)", 16),
    2: ("f4", "32-bit float (float32)", 32),
    3: (None, "complex 2 × 16-bit integer", 32),
    4: ("c8", "complex 2 × 32-bit float (complex64)", 64),
    5: ("i2", "signed 16-bit integer (int16, IW_EMTOM)", 16),
    6: ("u2", "unsigned 16-bit integer (uint16)", 16),
    7: ("i4", "signed 32-bit integer (int32)", 32),
    8: ("f8", "64-bit float (float64, Bio-Formats only)", 64),
}

SEQUENCES = {0: "ZTW", 1: "WZT", 2: "ZWT"}
"""Image sequence code (byte 182) → plane order, first letter fastest."""

_LAYOUT = "4i3i3i3f3f3i3f2i2hi24s4h6f6h2fHh3fh5h3fi"
"""Bytes 0-223 in one `struct` pass (offsets in `HeaderValues`; the int16 at 222 overlaps the
int32 at 220 and is read on its own)."""
_NEW_TYPE_LAYOUT = "7f16x7f16x7f16x7h154xdi24xi"
"""Bytes 544-883, the NEW_TYPE block (formats-binary.md §1.5)."""
_STRUCTS = {
    order: (
        struct.Struct(bo + _LAYOUT),
        struct.Struct(bo + _NEW_TYPE_LAYOUT),
        struct.Struct(bo + "h"),
    )
    for order, bo in (("little", "<"), ("big", ">"))
}


class HeaderValues(NamedTuple):
    """The header's fields as Python numbers (float32 values as the exact Python float)."""

    nx: int  # byte 0
    ny: int  # 4
    n_sections: int  # 8
    pixel_type: int  # 12
    start: tuple[int, int, int]  # 16
    sampling: tuple[int, int, int]  # 28
    d: tuple[float, float, float]  # 40
    angles: tuple[float, float, float]  # 52
    axis_map: tuple[int, int, int]  # 64
    min1: float  # 76
    max1: float  # 80
    mean1: float  # 84
    nspg: int  # 88
    next: int  # 92
    dvid: int  # 96
    nblank: int  # 98
    ntst: int  # 100
    blank: bytes  # 104-127
    n_ints: int  # 128
    n_floats: int  # 130
    n_subres: int  # 132
    zfac: int  # 134
    minmax234: tuple[float, ...]  # 136: min2, max2, min3, max3, min4, max4
    image_type: int  # 160
    lens_id: int  # 162
    n1: int  # 164
    n2: int  # 166
    v1: int  # 168
    v2: int  # 170
    minmax5: tuple[float, float]  # 172
    n_times: int  # 180, unsigned
    img_seq: int  # 182
    tilt: tuple[float, float, float]  # 184
    n_waves: int  # 196
    waves: tuple[int, ...]  # 198, five slots
    origin_zxy: tuple[float, float, float]  # 208
    n_titles_i4: int  # 220
    n_titles: int  # 222 (int16)
    order: Literal["little", "big"]


class NewTypeValues(NamedTuple):
    """The NEW_TYPE block (bytes 544-883) as Python numbers."""

    nt_min: tuple[float, ...]  # 544, waves 6-12
    nt_max: tuple[float, ...]  # 588
    nt_mean: tuple[float, ...]  # 632
    nt_waves: tuple[int, ...]  # 676
    nt_time: float  # 844, float64
    nt_secondary_t: int  # 852
    nt_panels: int  # 880


def byte_order(head: bytes) -> Literal["little", "big"] | None:
    """Byte order from the magic at byte 96, or ``None`` if it is not a DV magic."""
    magic = head[96:98]
    if magic == MAGIC_LE:
        return "little"
    if magic == MAGIC_BE:
        return "big"
    return None


def header_record(head: bytes, order: Literal["little", "big"]) -> HeaderValues:
    """The header fields of ``head`` (at least 224 bytes), decoded in one pass."""
    main, _, short = _STRUCTS[order]
    v = main.unpack_from(head)
    return HeaderValues(
        v[0],
        v[1],
        v[2],
        v[3],
        v[4:7],
        v[7:10],
        v[10:13],
        v[13:16],
        v[16:19],
        v[19],
        v[20],
        v[21],
        v[22],
        v[23],
        v[24],
        v[25],
        v[26],
        v[27],
        v[28],
        v[29],
        v[30],
        v[31],
        v[32:38],
        v[38],
        v[39],
        v[40],
        v[41],
        v[42],
        v[43],
        v[44:46],
        v[46],
        v[47],
        v[48:51],
        v[51],
        v[52:57],
        v[57:60],
        v[60],
        short.unpack_from(head, 222)[0],
        order,
    )


def new_type_record(head: bytes, order: Literal["little", "big"]) -> NewTypeValues:
    """The NEW_TYPE block of a 1024-byte header."""
    v = _STRUCTS[order][1].unpack_from(head, 544)
    return NewTypeValues(v[0:7], v[7:14], v[14:21], v[21:28], v[28], v[29], v[30])


_F32_TINY = 1.1754943508222875e-38
"""Smallest normal float32 (``np.finfo(np.float32).tiny``): non-zero values below it are denormal
(garbage, left unknown)."""

_F32_EXACT_INT = 16777216.0
"""2**24: every integer up to it is a float32, and its shortest decimal form is the integer."""

_F32 = struct.Struct("<f")
_FORMS = ("%.5e", "%.6e", "%.7e")
"""e-notation with 6, 7, 8 significant digits (correctly rounded, ties to even)."""


def _is_float32(text: str, value: float) -> bool:
    """Whether the decimal ``text`` reads back (via float64) as the float32 ``value``."""
    try:
        back: float = _F32.unpack(_F32.pack(float(text)))[0]
    except OverflowError:  # rounded beyond the float32 range
        return False
    return back == value


def _numpy_shortest(value: float) -> float:
    import numpy as np

    return float(str(np.float32(value)))


def clean_float(value: float) -> float | None:
    """A float32 from the file as a Python float, or ``None`` for non-finite or denormal values.

    The value is given its shortest decimal form that round-trips in float32 (``0.08``, not
    ``0.07999999821186066``): exactly the stored float32, written as a person would - the form
    numpy's ``str(np.float32(v))`` gives (tests/readers/dv/test_dv_construct.py holds this).
    Zero and integers up to 2**24 already are that form. Otherwise the closest decimal of 6, 7, 8
    significant digits that reads back as the value is the shortest one (at most one decimal of
    up to 6 digits lies within a float32's rounding interval, and for 7 and 8 digits the closest
    is the one numpy picks), 9 digits always read back. A power of two whose closest 6-digit
    decimal does not read back has a lopsided rounding interval, which numpy handles.
    """
    if value == 0.0 or (value.is_integer() and -_F32_EXACT_INT <= value <= _F32_EXACT_INT):
        return value
    if not math.isfinite(value) or abs(value) < _F32_TINY:
        return None
    mantissa, exponent = math.frexp(value)
    if abs(mantissa) == 0.5:  # a power of two: a lopsided rounding interval
        text = _FORMS[0] % value
        return float(text) if _is_float32(text, value) else _numpy_shortest(value)
    # Both float32 neighbours lie one unit in the last place away: a decimal reads back as
    # ``value`` when its float64 lies within half of it (a tie goes to the even significand),
    # which is what packing it to float32 decides, without the pack and unpack.
    half = math.ldexp(1.0, exponent - 25)
    even = not int(abs(mantissa) * 16777216.0) & 1
    for form in _FORMS:  # 6, 7, 8 significant digits
        back = float(form % value)
        gap = abs(back - value)
        if gap < half or (gap == half and even):
            return back
    return float(f"{value:.8e}")


def _dtype_str(order: Literal["little", "big"], kind: str) -> str:
    """The ``dtype.str`` numpy gives ``kind`` in ``order`` (``|`` for single bytes)."""
    if kind == "u1":
        return "|u1"
    return ("<" if order == "little" else ">") + kind


def decode_header(rec: HeaderValues, col: FindingCollector) -> DvHeader:
    """Build the `DvHeader` of a header record, reporting doubtful values to ``col``."""
    order = rec.order
    ptype = rec.pixel_type
    kind, ptname, bits = PIXEL_TYPES.get(ptype, (None, None, None))
    if ptype not in PIXEL_TYPES:
        col.error(
            "unknown_pixel_type",
            f"unknown pixel type {ptype}",
            field="pixel_type",
            locator="byte 12",
        )
    x, y, z = rec.d
    cx = clean_float(x)
    d = [cx, cx if y == x else clean_float(y), clean_float(z)]  # dx = dy, usually
    for i, axis in enumerate("xyz"):
        value = d[i]
        if value is None or value <= 0:
            col.warning(
                "bad_pixel_size",
                f"d{axis} is {rec.d[i]!r}, not a size; left unknown",
                field=f"d{axis}",
                locator=f"byte {40 + 4 * i}",
            )
    dx, dy, dz = (v if v is not None and v > 0 else None for v in d)
    z0, x0, y0 = rec.origin_zxy
    a0, a1, a2 = rec.angles
    t0, t1, t2 = rec.tilt
    blank = rec.blank
    seq = rec.img_seq
    return construct(
        DvHeader,
        {
            "byte_order": order,
            "nx": rec.nx,
            "ny": rec.ny,
            "n_sections": rec.n_sections,
            "pixel_type": ptype,
            "dtype": _dtype_str(order, kind) if kind else None,
            "pixel_type_name": ptname,
            "bits_per_pixel": bits,
            "start": rec.start,
            "sampling": rec.sampling,
            "dx_um": dx,
            "dy_um": dy,
            "dz_um": dz,
            "cell_angles_deg": (clean_float(a0), clean_float(a1), clean_float(a2)),
            "axis_map": rec.axis_map,
            "nspg": rec.nspg,
            "ext_header_bytes": rec.next,
            "dvid": rec.dvid,
            "nblank": rec.nblank,
            "ntst": rec.ntst,
            "blank_104_hex": blank.hex() if any(blank) else "",
            "n_ints": rec.n_ints,
            "n_floats": rec.n_floats,
            "n_subres": rec.n_subres,
            "zfac": rec.zfac,
            "image_type": rec.image_type,
            "lens_id": rec.lens_id,
            "n1": rec.n1,
            "n2": rec.n2,
            "v1": rec.v1,
            "v2": rec.v2,
            "n_times": rec.n_times,
            "image_sequence": seq,
            "image_sequence_name": SEQUENCES.get(seq),
            "tilt_deg": (clean_float(t0), clean_float(t1), clean_float(t2)),
            "n_waves": rec.n_waves,
            "wave_list_nm": list(rec.waves),
            "origin_um": (clean_float(x0), clean_float(y0), clean_float(z0)),
            "n_titles": rec.n_titles,
            "n_titles_i4_220": rec.n_titles_i4,
        },
    )


def decode_new_type(
    rec: HeaderValues, head: bytes, file_size: int, col: FindingCollector
) -> tuple[DvNewType, NewTypeValues] | None:
    """The NEW_TYPE block of an image-type-100 header, or ``None`` when empty or not sane.

    Bio-Formats' sanity rule: a panel count below 0 or above file size / (nx·ny) means the file is
    an old-type header that happens to say 100 (formats-binary.md §1.5). Also returns the block's
    raw values (its per-wave statistics are read by `wave_stats`).
    """
    if rec.image_type != NEW_TYPE:
        return None
    if not any(head[544:HEADER_SIZE]):
        col.info(
            "new_type_empty",
            "image type 100 (NEW_TYPE) but bytes 544-1023 are all zero: read as an ordinary header",
            field="image_type",
            locator="byte 160",
        )
        return None
    nt = new_type_record(head, rec.order)
    panels = nt.nt_panels
    plane = max(rec.nx, 1) * max(rec.ny, 1)
    if panels < 0 or panels > file_size // plane:
        col.warning(
            "new_type_insane",
            f"image type 100 but the panel count {panels} is not plausible: NEW_TYPE block ignored",
            field="n_panels",
            locator="byte 880",
        )
        return None
    t = nt.nt_time
    iso: str | None = None
    t_s: float | None = t if math.isfinite(t) else None
    if t_s is not None and 315532800 <= t_s < 4102444800:  # 1980-01-01 .. 2100-01-01
        iso = datetime.fromtimestamp(t_s, tz=UTC).isoformat()
    elif t_s not in (None, 0.0):
        col.warning(
            "new_type_bad_time",
            f"NEW_TYPE acquisition time {t!r} is not a plausible UNIX time; left unknown",
            field="acquisition_time",
            locator="byte 844",
        )
        t_s = None
    model = construct(
        DvNewType,
        {
            "wavelengths_nm": list(nt.nt_waves),
            "acquisition_time_s": t_s,
            "acquisition_time": iso,
            "secondary_n_times": nt.nt_secondary_t,
            "n_panels": panels,
        },
    )
    return model, nt


_STAT_LOCATORS = {
    0: "header min/max/mean (bytes 76-87)",
    1: "header min2/max2 (bytes 136-143)",
    2: "header min3/max3 (bytes 144-151)",
    3: "header min4/max4 (bytes 152-159)",
    4: "header min5/max5 (bytes 172-179)",
}


def _stats(
    w: int, wavelength: int | None, lo: float, hi: float, mean: float | None, loc: str
) -> DvWaveStats:
    return construct(
        DvWaveStats,
        {
            "index": w,
            "wavelength_nm": wavelength,
            "min": clean_float(lo),
            "max": clean_float(hi),
            "mean": clean_float(mean) if mean is not None else None,
            "locator": loc,
        },
    )


def wave_stats(
    rec: HeaderValues, n_waves: int, wavelengths: list[int | None], new_type: NewTypeValues | None
) -> list[DvWaveStats]:
    """Per-wave min/max (and wave-1 mean) from the header, for the first ``n_waves`` waves."""
    out: list[DvWaveStats] = []
    for w in range(n_waves):
        wl = wavelengths[w] if w < len(wavelengths) else None
        if w == 0:
            out.append(_stats(0, wl, rec.min1, rec.max1, rec.mean1, _STAT_LOCATORS[0]))
        elif w < 4:
            i = 2 * (w - 1)
            mm = rec.minmax234
            out.append(_stats(w, wl, mm[i], mm[i + 1], None, _STAT_LOCATORS[w]))
        elif w == 4:
            out.append(_stats(w, wl, rec.minmax5[0], rec.minmax5[1], None, _STAT_LOCATORS[4]))
        elif new_type is not None and w < MAX_WAVES_NEW:
            k = w - 5
            loc = (
                f"NEW_TYPE min/max/mean of channel {w + 1} "
                f"(bytes {544 + 4 * k}, {588 + 4 * k}, {632 + 4 * k})"
            )
            out.append(
                _stats(w, wl, new_type.nt_min[k], new_type.nt_max[k], new_type.nt_mean[k], loc)
            )
    return out
