"""The DV extended header: one record per plane, ``n_ints`` int32 then ``n_floats`` float32.

Float meanings (formats-binary.md §1.6; Bio-Formats ``DVExtHdrFields``, Cockpit ``dataSaver.py``):
0 photosensor, 1 elapsed time (s), 2-4 stage x/y/z, 5-7 min/max/mean, 8 exposure (s), 9 neutral
density, 10 excitation (nm), 11 emission (nm), 12 intensity scaling, 13 energy conversion.
Records are in file plane order and mapped to (z, wave, time) by the image sequence (§1.4).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.dv.header import HEADER_SIZE
from clxm_meta.readers.dv.model import DvChannel, DvExtHeader, DvSection

__all__ = ["MAX_EXT_BYTES", "channels", "decode_ext_header", "plane_index"]

MAX_EXT_BYTES = 64 * 1024 * 1024
"""Extended-header bytes read at most (about 400 000 Cockpit sections); the rest is reported."""

_NAMED = (
    "photosensor_mv",
    "time_s",
    "stage_x",
    "stage_y",
    "stage_z",
    "min",
    "max",
    "mean",
    "exposure_s",
    "nd_filter",
    "excitation_nm",
    "emission_nm",
    "intensity_scaling",
    "energy_conversion",
)


def _clean_table(floats: np.ndarray[Any, Any]) -> tuple[list[list[float | None]], int]:
    """Every float of the table via `clean_float` rules, vectorised; also the count of bad ones.

    Values go through float32's shortest decimal form (``0.1``, not ``0.10000000149``), which is
    the costly part, so only the named columns and the non-zero spare floats are converted; the
    spare zeros (most of a Cockpit record) stay 0.0 without a string round-trip.
    """
    f32 = floats.astype(np.float32)
    tiny = np.finfo(np.float32).tiny
    bad = ~np.isfinite(f32) | ((f32 != 0) & (np.abs(f32) < tiny))
    convert = bad.copy()
    convert[:, : len(_NAMED)] = True
    convert |= f32 != 0
    values = np.zeros(f32.shape, dtype=np.float64)
    picked = f32[convert & ~bad]
    values[convert & ~bad] = np.array(picked.astype(str).tolist(), dtype=np.float64)
    rows: list[list[float | None]] = values.tolist()
    if bad.any():
        for r, c in zip(*np.nonzero(bad), strict=True):
            rows[int(r)][int(c)] = None
    return rows, int(bad.sum())


def plane_index(
    p: int, seq: int, nz: int | None, nw: int, nt: int
) -> tuple[int | None, int | None, int | None]:
    """(z, wave, time) of plane ``p`` for image sequence ``seq`` (first letter fastest)."""
    if nz is None or nz <= 0:
        return (None, None, None)
    if seq == 0:  # ZTW
        return (p % nz, p // (nz * nt), (p // nz) % nt)
    if seq == 1:  # WZT
        return ((p // nw) % nz, p % nw, p // (nw * nz))
    if seq == 2:  # ZWT
        return (p % nz, (p // nz) % nw, p // (nz * nw))
    return (None, None, None)


def decode_ext_header(
    raw: bytes,
    *,
    order: Literal["little", "big"],
    n_ints: int,
    n_floats: int,
    declared_bytes: int,
    n_sections: int,
    seq: int,
    nz: int | None,
    nw: int,
    nt: int,
    col: FindingCollector,
) -> DvExtHeader:
    """Decode the records held in ``raw`` (already bounded by the caller)."""
    rec_bytes = 4 * (n_ints + n_floats)
    n = min(len(raw) // rec_bytes, max(n_sections, 0))
    bo = "<" if order == "little" else ">"
    fields: list[tuple[str, str, tuple[int]]] = [
        ("ints", bo + "i4", (n_ints,)),
        ("floats", bo + "f4", (n_floats,)),
    ]
    table: np.ndarray[Any, Any] = np.frombuffer(raw, dtype=np.dtype(fields), count=n)
    floats_all, bad = _clean_table(table["floats"])
    ints_all = table["ints"].tolist()
    sections: list[DvSection] = []
    named = _NAMED[: min(n_floats, len(_NAMED))]
    for i in range(n):
        row = floats_all[i]
        values: dict[str, Any] = dict(zip(named, row, strict=False))
        other = {k: v for k, v in enumerate(row) if k >= len(_NAMED) and v}
        z, w, t = plane_index(i, seq, nz, nw, nt)
        sections.append(
            DvSection.model_construct(
                index=i,
                z=z,
                wave=w,
                time=t,
                ints=ints_all[i],
                other_floats=other,
                **values,
            )
        )
    if bad:
        col.warning(
            "ext_header_garbage",
            f"{bad} extended-header float(s) are NaN, infinite or denormal: left unknown",
            field="ext_header",
            locator=f"bytes {HEADER_SIZE}-{HEADER_SIZE + n * rec_bytes - 1}",
        )
    if n < n_sections:
        col.warning(
            "ext_header_short",
            f"the extended header holds {n} of {n_sections} section records "
            f"({rec_bytes} bytes each)",
            field="next",
            locator="byte 92",
        )
    return DvExtHeader(
        n_ints=n_ints,
        n_floats=n_floats,
        record_bytes=rec_bytes,
        declared_bytes=declared_bytes,
        sections=sections,
    )


def _positive(v: float | None) -> float | None:
    return v if v is not None and v > 0 else None


def channels(
    nw: int,
    wavelengths: list[int | None],
    ext: DvExtHeader | None,
    col: FindingCollector,
) -> list[DvChannel]:
    """One `DvChannel` per wave: header wavelength plus the first section of that wave.

    Zero exposure, ND, excitation or emission mean "not recorded" (Cockpit leaves exposure at 0)
    and are left unknown. A value that differs between sections of the same wave is reported.
    """
    out: list[DvChannel] = []
    for w in range(nw):
        wl = wavelengths[w] if w < len(wavelengths) else None
        secs = [s for s in ext.sections if s.wave == w] if ext is not None else []
        if not secs:
            out.append(DvChannel(index=w, wavelength_nm=wl))
            continue
        first = secs[0]
        for name in ("exposure_s", "excitation_nm", "emission_nm", "nd_filter"):
            seen = {getattr(s, name) for s in secs}
            if len(seen) > 1:
                col.info(
                    "ext_header_varies",
                    f"wave {w}: {name} varies across its {len(secs)} sections "
                    f"({len(seen)} values); the first section's value is used",
                    field=name,
                )
        out.append(
            DvChannel(
                index=w,
                wavelength_nm=wl,
                excitation_nm=_positive(first.excitation_nm),
                emission_nm=_positive(first.emission_nm),
                exposure_s=_positive(first.exposure_s),
                nd_filter=_positive(first.nd_filter),
                first_section=first.index,
            )
        )
    return out
