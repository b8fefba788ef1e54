"""Decoding of the 1024-byte DV header, in the file's byte order.

Offsets follow docs/reference/formats-binary.md §1.2-1.5 (IVE/Priism header as archived in
tlambert03/mrc, Bio-Formats DeltavisionReader). Nothing here reads beyond the 1024 bytes given.
One ``struct`` pass turns the bytes into Python numbers (`decode_header`); the models are built
from them without validation (`construct`): every value already has its field's exact type.
"""

from __future__ import annotations

import math
import struct
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple

from clxm_meta.readers.base import FindingCollector, construct
from clxm_meta.readers.dv.model import DvHeader, DvNewType, DvWaveStats
from clxm_meta.readers.float32 import F32_TINY, shortest

__all__ = [
    "HEADER_SIZE",
    "PIXEL_TYPES",
    "HeaderValues",
    "NewTypeValues",
    "byte_order",
    "clean_float",
    "decode_header",
    "decode_new_type",
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
"""Bytes 0-223 in one `struct` pass (offsets in `decode_header`; the int16 at 222 overlaps the
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


_ZEROS = bytes(HEADER_SIZE - 544)
"""What an empty NEW_TYPE block holds (compared as bytes: ``any()`` over them costs 10 ns a byte)."""

HeaderValues = tuple[Any, ...]
"""The values of bytes 0-223 in `_LAYOUT` order, as `struct` gives them (one per field, nothing
grouped: a named tuple of groups cost as much to build as the whole `DvHeader`). The indices of the
values read after the header is decoded are named below."""

_MIN1, _MAX1, _MEAN1 = 19, 20, 21  # bytes 76, 80, 84
_MINMAX234 = 32  # bytes 136-159: min2, max2, min3, max3, min4, max4
_MINMAX5 = 44  # bytes 172-179: min5, max5


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


def new_type_record(head: bytes, order: Literal["little", "big"]) -> NewTypeValues:
    """The NEW_TYPE block of a 1024-byte header."""
    v = _STRUCTS[order][1].unpack_from(head, 544)
    return NewTypeValues(v[0:7], v[7:14], v[14:21], v[21:28], v[28], v[29], v[30])


def clean_float(value: float) -> float | None:
    """A float32 from the file as its shortest decimal form, or ``None`` when it is no value.

    Non-finite and denormal values (garbage in a DV header) are left unknown; every other value is
    `clxm_meta.readers.float32.shortest` (``0.08``, not ``0.07999999821186066``).
    """
    if value != 0.0 and -F32_TINY < value < F32_TINY:  # denormal
        return None
    return shortest(value)


def _dtype_str(order: Literal["little", "big"], kind: str) -> str:
    """The ``dtype.str`` numpy gives ``kind`` in ``order`` (``|`` for single bytes)."""
    if kind == "u1":
        return "|u1"
    return ("<" if order == "little" else ">") + kind


def decode_header(
    head: bytes, order: Literal["little", "big"], col: FindingCollector
) -> tuple[DvHeader, HeaderValues]:
    """The `DvHeader` of a 1024-byte header, and its raw values; doubtful values go to ``col``.

    One ``struct`` pass over bytes 0-223 in the file's byte order; the int16 title count at 222
    overlaps the int32 at 220 and is read on its own.
    """
    main, _, short = _STRUCTS[order]
    v = main.unpack_from(head)
    ptype = v[3]
    kind, ptname, bits = PIXEL_TYPES.get(ptype, (None, None, None))
    if ptname is None:
        col.error(
            "unknown_pixel_type",
            f"unknown pixel type {ptype}",
            field="pixel_type",
            locator="byte 12",
        )
    x, y, z = v[10:13]
    dx = clean_float(x)
    dy = dx if y == x else clean_float(y)  # dx = dy, usually
    dz = clean_float(z)
    if dx is None or dx <= 0 or dy is None or dy <= 0 or dz is None or dz <= 0:
        d = [dx, dy, dz]
        for i, axis in enumerate("xyz"):
            value = d[i]
            if value is None or value <= 0:
                col.warning(
                    "bad_pixel_size",
                    f"d{axis} is {v[10 + i]!r}, not a size; left unknown",
                    field=f"d{axis}",
                    locator=f"byte {40 + 4 * i}",
                )
                d[i] = None
        dx, dy, dz = d
    blank = v[27]
    seq = v[47]
    hdr = construct(
        DvHeader,
        {
            "byte_order": order,
            "nx": v[0],
            "ny": v[1],
            "n_sections": v[2],
            "pixel_type": ptype,
            "dtype": _dtype_str(order, kind) if kind else None,
            "pixel_type_name": ptname,
            "bits_per_pixel": bits,
            "start": v[4:7],  # byte 16
            "sampling": v[7:10],  # 28
            "dx_um": dx,  # 40
            "dy_um": dy,
            "dz_um": dz,
            "cell_angles_deg": _clean3(v[13], v[14], v[15]),  # 52
            "axis_map": v[16:19],  # 64; 76-87 are min1, max1, mean1
            "nspg": v[22],  # 88
            "ext_header_bytes": v[23],  # 92
            "dvid": v[24],  # 96
            "nblank": v[25],  # 98
            "ntst": v[26],  # 100
            "blank_104_hex": "" if blank == _ZEROS[:24] else blank.hex(),  # 104
            "n_ints": v[28],  # 128
            "n_floats": v[29],  # 130
            "n_subres": v[30],  # 132
            "zfac": v[31],  # 134; 136-159 are min/max of waves 2-4
            "image_type": v[38],  # 160
            "lens_id": v[39],  # 162
            "n1": v[40],  # 164
            "n2": v[41],  # 166
            "v1": v[42],  # 168
            "v2": v[43],  # 170; 172-179 are min5, max5
            "n_times": v[46],  # 180
            "image_sequence": seq,  # 182
            "image_sequence_name": SEQUENCES.get(seq),
            "tilt_deg": _clean3(v[48], v[49], v[50]),  # 184
            "n_waves": v[51],  # 196
            "wave_list_nm": list(v[52:57]),  # 198
            "origin_um": _clean3(v[58], v[59], v[57]),  # z0, x0, y0 at 208, 212, 216
            "n_titles": short.unpack_from(head, 222)[0],
            "n_titles_i4_220": v[60],
        },
    )
    return hdr, v


def _clean3(a: float, b: float, c: float) -> tuple[float | None, float | None, float | None]:
    """`clean_float` of three values; all zero (the usual tilt and origin) costs one test."""
    if not (a or b or c):
        return (a, b, c)
    return (clean_float(a), clean_float(b), clean_float(c))


def decode_new_type(
    hdr: DvHeader, head: bytes, file_size: int, col: FindingCollector
) -> tuple[DvNewType, NewTypeValues] | None:
    """The NEW_TYPE block of an image-type-100 header, or ``None`` when empty or not sane.

    Bio-Formats' sanity rule: a panel count below 0 or above file size / (nx·ny) means the file is
    an old-type header that happens to say 100 (formats-binary.md §1.5). Also returns the block's
    raw values (its per-wave statistics are read by `wave_stats`).
    """
    if hdr.image_type != NEW_TYPE:
        return None
    if head[544:HEADER_SIZE] == _ZEROS:
        col.info(
            "new_type_empty",
            "image type 100 (NEW_TYPE) but bytes 544-1023 are all zero: read as an ordinary header",
            field="image_type",
            locator="byte 160",
        )
        return None
    nt = new_type_record(head, hdr.byte_order)
    panels = nt.nt_panels
    plane = max(hdr.nx, 1) * max(hdr.ny, 1)
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
            out.append(_stats(0, wl, rec[_MIN1], rec[_MAX1], rec[_MEAN1], _STAT_LOCATORS[0]))
        elif w < 4:
            i = 2 * (w - 1)
            mm = rec[_MINMAX234 : _MINMAX234 + 6]
            out.append(_stats(w, wl, mm[i], mm[i + 1], None, _STAT_LOCATORS[w]))
        elif w == 4:
            lo, hi = rec[_MINMAX5], rec[_MINMAX5 + 1]
            out.append(_stats(w, wl, lo, hi, None, _STAT_LOCATORS[4]))
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
