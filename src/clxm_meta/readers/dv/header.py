"""Decoding of the 1024-byte DV header with numpy structured dtypes, in the file's byte order.

Offsets follow docs/reference/formats-binary.md §1.2-1.5 (IVE/Priism header as archived in
tlambert03/mrc, Bio-Formats DeltavisionReader). Nothing here reads beyond the 1024 bytes given.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.dv.model import DvHeader, DvNewType, DvWaveStats

__all__ = [
    "HEADER_SIZE",
    "PIXEL_TYPES",
    "byte_order",
    "clean_float",
    "decode_header",
    "decode_new_type",
    "header_record",
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

_FIELDS: list[tuple[str, str, int, tuple[int, ...]]] = [
    # name, type, offset, shape
    ("nx", "i4", 0, ()),
    ("ny", "i4", 4, ()),
    ("n_sections", "i4", 8, ()),
    ("pixel_type", "i4", 12, ()),
    ("start", "i4", 16, (3,)),
    ("sampling", "i4", 28, (3,)),
    ("d", "f4", 40, (3,)),
    ("angles", "f4", 52, (3,)),
    ("axis_map", "i4", 64, (3,)),
    ("min1", "f4", 76, ()),
    ("max1", "f4", 80, ()),
    ("mean1", "f4", 84, ()),
    ("nspg", "i4", 88, ()),
    ("next", "i4", 92, ()),
    ("dvid", "i2", 96, ()),
    ("nblank", "i2", 98, ()),
    ("ntst", "i4", 100, ()),
    ("blank", "V24", 104, ()),
    ("n_ints", "i2", 128, ()),
    ("n_floats", "i2", 130, ()),
    ("n_subres", "i2", 132, ()),
    ("zfac", "i2", 134, ()),
    ("minmax234", "f4", 136, (6,)),
    ("image_type", "i2", 160, ()),
    ("lens_id", "i2", 162, ()),
    ("n1", "i2", 164, ()),
    ("n2", "i2", 166, ()),
    ("v1", "i2", 168, ()),
    ("v2", "i2", 170, ()),
    ("minmax5", "f4", 172, (2,)),
    ("n_times", "u2", 180, ()),
    ("img_seq", "i2", 182, ()),
    ("tilt", "f4", 184, (3,)),
    ("n_waves", "i2", 196, ()),
    ("waves", "i2", 198, (5,)),
    ("origin_zxy", "f4", 208, (3,)),
    ("n_titles_i4", "i4", 220, ()),
    ("n_titles", "i2", 222, ()),
    # NEW_TYPE block (Bio-Formats, image type 100), §1.5
    ("nt_min", "f4", 544, (7,)),
    ("nt_max", "f4", 588, (7,)),
    ("nt_mean", "f4", 632, (7,)),
    ("nt_waves", "i2", 676, (7,)),
    ("nt_time", "f8", 844, ()),
    ("nt_secondary_t", "i4", 852, ()),
    ("nt_panels", "i4", 880, ()),
]


def _dtype(order: str) -> np.dtype[Any]:
    return np.dtype(
        {
            "names": [f[0] for f in _FIELDS],
            "formats": [(order + f[1], f[3]) if f[3] else order + f[1] for f in _FIELDS],
            "offsets": [f[2] for f in _FIELDS],
            "itemsize": HEADER_SIZE,
        }
    )


_DTYPES = {"little": _dtype("<"), "big": _dtype(">")}


def byte_order(head: bytes) -> Literal["little", "big"] | None:
    """Byte order from the magic at byte 96, or ``None`` if it is not a DV magic."""
    magic = head[96:98]
    if magic == MAGIC_LE:
        return "little"
    if magic == MAGIC_BE:
        return "big"
    return None


def header_record(head: bytes, order: Literal["little", "big"]) -> np.void:
    """The 1024 header bytes as one numpy structured record."""
    rec: np.void = np.frombuffer(head[:HEADER_SIZE], dtype=_DTYPES[order], count=1)[0]
    return rec


_F32_TINY = float(np.finfo(np.float32).tiny)
"""Smallest normal float32: non-zero values below it are denormal (garbage, left unknown)."""


def clean_float(value: Any) -> float | None:
    """A float32 from the file as a Python float, or ``None`` for non-finite or denormal values.

    The value is given its shortest decimal form that round-trips in float32 (``0.08``, not
    ``0.07999999821186066``): exactly the stored float32, written as a person would.
    """
    v = np.float32(value)
    f = float(v)
    if not math.isfinite(f) or (f != 0 and abs(f) < _F32_TINY):
        return None
    return float(str(v))


def _ints(values: Any) -> tuple[int, int, int]:
    a, b, c = (int(v) for v in values)
    return (a, b, c)


def _floats3(values: Any) -> tuple[float | None, float | None, float | None]:
    a, b, c = (clean_float(v) for v in values)
    return (a, b, c)


def decode_header(rec: np.void, order: Literal["little", "big"], col: FindingCollector) -> DvHeader:
    """Build the `DvHeader` of a header record, reporting doubtful values to ``col``."""
    ptype = int(rec["pixel_type"])
    kind, ptname, bits = PIXEL_TYPES.get(ptype, (None, None, None))
    if ptype not in PIXEL_TYPES:
        col.error(
            "unknown_pixel_type",
            f"unknown pixel type {ptype}",
            field="pixel_type",
            locator="byte 12",
        )
    dtype = np.dtype(("<" if order == "little" else ">") + kind).str if kind else None
    d = [clean_float(v) for v in rec["d"]]
    for i, axis in enumerate("xyz"):
        value = d[i]
        if value is None or value <= 0:
            col.warning(
                "bad_pixel_size",
                f"d{axis} is {float(rec['d'][i])!r}, not a size; left unknown",
                field=f"d{axis}",
                locator=f"byte {40 + 4 * i}",
            )
    dx, dy, dz = (v if v is not None and v > 0 else None for v in d)
    z0, x0, y0 = (clean_float(v) for v in rec["origin_zxy"])
    blank = bytes(rec["blank"])
    seq = int(rec["img_seq"])
    return DvHeader(
        byte_order=order,
        nx=int(rec["nx"]),
        ny=int(rec["ny"]),
        n_sections=int(rec["n_sections"]),
        pixel_type=ptype,
        dtype=dtype,
        pixel_type_name=ptname,
        bits_per_pixel=bits,
        start=_ints(rec["start"]),
        sampling=_ints(rec["sampling"]),
        dx_um=dx,
        dy_um=dy,
        dz_um=dz,
        cell_angles_deg=_floats3(rec["angles"]),
        axis_map=_ints(rec["axis_map"]),
        nspg=int(rec["nspg"]),
        ext_header_bytes=int(rec["next"]),
        dvid=int(rec["dvid"]),
        nblank=int(rec["nblank"]),
        ntst=int(rec["ntst"]),
        blank_104_hex=blank.hex() if any(blank) else "",
        n_ints=int(rec["n_ints"]),
        n_floats=int(rec["n_floats"]),
        n_subres=int(rec["n_subres"]),
        zfac=int(rec["zfac"]),
        image_type=int(rec["image_type"]),
        lens_id=int(rec["lens_id"]),
        n1=int(rec["n1"]),
        n2=int(rec["n2"]),
        v1=int(rec["v1"]),
        v2=int(rec["v2"]),
        n_times=int(rec["n_times"]),
        image_sequence=seq,
        image_sequence_name=SEQUENCES.get(seq),
        tilt_deg=_floats3(rec["tilt"]),
        n_waves=int(rec["n_waves"]),
        wave_list_nm=[int(w) for w in rec["waves"]],
        origin_um=(x0, y0, z0),
        n_titles=int(rec["n_titles"]),
        n_titles_i4_220=int(rec["n_titles_i4"]),
    )


def decode_new_type(
    rec: np.void, head: bytes, file_size: int, col: FindingCollector
) -> DvNewType | None:
    """The NEW_TYPE block of an image-type-100 header, or ``None`` when empty or not sane.

    Bio-Formats' sanity rule: a panel count below 0 or above file size / (nx·ny) means the file is
    an old-type header that happens to say 100 (formats-binary.md §1.5).
    """
    if int(rec["image_type"]) != NEW_TYPE:
        return None
    if not any(head[544:HEADER_SIZE]):
        col.info(
            "new_type_empty",
            "image type 100 (NEW_TYPE) but bytes 544-1023 are all zero: read as an ordinary header",
            field="image_type",
            locator="byte 160",
        )
        return None
    panels = int(rec["nt_panels"])
    plane = max(int(rec["nx"]), 1) * max(int(rec["ny"]), 1)
    if panels < 0 or panels > file_size // plane:
        col.warning(
            "new_type_insane",
            f"image type 100 but the panel count {panels} is not plausible: NEW_TYPE block ignored",
            field="n_panels",
            locator="byte 880",
        )
        return None
    t = float(rec["nt_time"])
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
    return DvNewType(
        wavelengths_nm=[int(w) for w in rec["nt_waves"]],
        acquisition_time_s=t_s,
        acquisition_time=iso,
        secondary_n_times=int(rec["nt_secondary_t"]),
        n_panels=panels,
    )


_STAT_LOCATORS = {
    0: ("min1", "max1", "header min/max/mean (bytes 76-87)"),
    1: (0, 1, "header min2/max2 (bytes 136-143)"),
    2: (2, 3, "header min3/max3 (bytes 144-151)"),
    3: (4, 5, "header min4/max4 (bytes 152-159)"),
    4: (0, 1, "header min5/max5 (bytes 172-179)"),
}


def wave_stats(
    rec: np.void, n_waves: int, wavelengths: list[int | None], new_type: bool
) -> list[DvWaveStats]:
    """Per-wave min/max (and wave-1 mean) from the header, for the first ``n_waves`` waves."""
    out: list[DvWaveStats] = []
    for w in range(n_waves):
        mean: float | None = None
        if w == 0:
            lo, hi = clean_float(rec["min1"]), clean_float(rec["max1"])
            mean = clean_float(rec["mean1"])
            loc = _STAT_LOCATORS[0][2]
        elif w < 4:
            i, j, loc = _STAT_LOCATORS[w]
            lo, hi = clean_float(rec["minmax234"][i]), clean_float(rec["minmax234"][j])
        elif w == 4:
            lo, hi = clean_float(rec["minmax5"][0]), clean_float(rec["minmax5"][1])
            loc = _STAT_LOCATORS[4][2]
        elif new_type and w < MAX_WAVES_NEW:
            k = w - 5
            lo, hi = clean_float(rec["nt_min"][k]), clean_float(rec["nt_max"][k])
            mean = clean_float(rec["nt_mean"][k])
            loc = (
                f"NEW_TYPE min/max/mean of channel {w + 1} "
                f"(bytes {544 + 4 * k}, {588 + 4 * k}, {632 + 4 * k})"
            )
        else:
            continue
        out.append(
            DvWaveStats(
                index=w,
                wavelength_nm=wavelengths[w] if w < len(wavelengths) else None,
                min=lo,
                max=hi,
                mean=mean,
                locator=str(loc),
            )
        )
    return out
