"""The DV extended header: one record per plane, ``n_ints`` int32 then ``n_floats`` float32.

Float meanings (formats-binary.md §1.6; Bio-Formats ``DVExtHdrFields``, Cockpit ``dataSaver.py``):
0 photosensor, 1 elapsed time (s), 2-4 stage x/y/z, 5-7 min/max/mean, 8 exposure (s), 9 neutral
density, 10 excitation (nm), 11 emission (nm), 12 intensity scaling, 13 energy conversion.
Records are in file plane order and mapped to (z, wave, time) by the image sequence (§1.4).
"""

from __future__ import annotations

import functools
import math
from typing import Any, Literal

import numpy as np

from clxm_meta.readers.base import FindingCollector, construct
from clxm_meta.readers.dv.header import clean_float
from clxm_meta.readers.dv.model import DvChannel, DvExtHeader, DvSection, RawRecords
from clxm_meta.readers.dv.records import MAX_EXT_BYTES
from clxm_meta.readers.dv.small_table import SmallTable, small_channels
from clxm_meta.readers.float32 import shortest

__all__ = [
    "MAX_EXT_BYTES",
    "SectionTable",
    "channels",
    "decode_records",
    "plane_index",
]

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


def _clean_table(f32: np.ndarray[Any, Any]) -> tuple[list[list[float | None]], int]:
    """Every float of the table via `clean_float` rules, vectorised; also the count of bad ones.

    Values go through float32's shortest decimal form (``0.1``, not ``0.10000000149``), which is
    the costly part, so only the named columns and the non-zero spare floats are converted, each
    distinct value once (`clxm_meta.readers.float32.shortest`, numpy's form without numpy's
    per-value cost); zeros keep their sign in the named columns and the spare zeros (most of a
    Cockpit record) stay 0.0.
    """
    bad = _bad(f32)
    values = np.where(bad, np.float32(0), f32).astype(np.float64)  # exact; no NaN cast
    convert = f32 != 0
    convert &= ~bad
    picked = f32[convert]
    if picked.size:
        distinct, where = np.unique(picked, return_inverse=True)
        decimal = np.array([shortest(v) for v in distinct.tolist()], dtype=np.float64)
        values[convert] = decimal[where.reshape(-1)]
    if f32.shape[1] > len(_NAMED):
        values[:, len(_NAMED) :][f32[:, len(_NAMED) :] == 0] = 0.0  # no -0.0 among the spares
    rows: list[list[float | None]] = values.tolist()
    if bad.any():
        for r, c in zip(*np.nonzero(bad), strict=True):
            rows[int(r)][int(c)] = None
    return rows, int(bad.sum())


_TINY = np.float32(np.finfo(np.float32).tiny)


def _bad(f32: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """NaN, infinite and denormal floats (left unknown, never reported as values).

    Comparisons with NaN warn of nothing in numpy, so no ``errstate`` (which costs more than the
    test itself on a header's worth of floats).
    """
    mask: np.ndarray[Any, Any] = ~np.isfinite(f32) | ((f32 != 0) & (np.abs(f32) < _TINY))
    return mask


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


class SectionTable:
    """The extended-header records as columns: one structured-array pass over the bytes.

    Holds the ints and the float32 floats of every record (native byte order) and the image
    sequence. Per-section `DvSection` objects are built only by `sections` (when someone asks for
    ``DvExtHeader.sections``); the channel summary and the findings work on the columns.
    """

    __slots__ = ("floats", "ints", "nt", "nw", "nz", "seq")

    def __init__(
        self,
        ints: np.ndarray[Any, Any],
        floats: np.ndarray[Any, Any],
        *,
        seq: int,
        nz: int | None,
        nw: int,
        nt: int,
    ) -> None:
        self.ints = ints
        self.floats = floats
        self.seq, self.nz, self.nw, self.nt = seq, nz, nw, nt

    def __len__(self) -> int:
        return int(self.floats.shape[0])

    def __reduce__(self) -> tuple[Any, ...]:  # pickling (scan executors): by value, no slots dict
        return (
            _rebuild_table,
            (self.ints, self.floats, self.seq, self.nz, self.nw, self.nt),
        )

    def waves(self) -> np.ndarray[Any, Any] | None:
        """Wave index of every record (file plane order), or ``None`` when it cannot be mapped."""
        n, seq, nz, nw, nt = len(self), self.seq, self.nz, self.nw, self.nt
        if nz is None or nz <= 0 or seq not in (0, 1, 2):
            return None
        if nw <= 0 or nt <= 0:  # not produced by the reader; keep plane_index's exact semantics
            return np.array([plane_index(i, seq, nz, nw, nt)[1] for i in range(n)], dtype=np.int64)
        p = np.arange(n, dtype=np.int64)
        if seq == 0:
            return p // (nz * nt)
        if seq == 1:
            return p % nw
        return (p // nz) % nw

    def wave_rows(self, w: int) -> tuple[slice | np.ndarray[Any, Any], int] | None:
        """The records of wave ``w`` and the first one's index (``None``: waves not mappable).

        A slice when the image sequence makes the wave's records one (ZTW, WZT), which spares the
        per-record wave array of `waves`.
        """
        n, seq, nz, nw, nt = len(self), self.seq, self.nz, self.nw, self.nt
        if nz is None or nz <= 0 or seq not in (0, 1, 2):
            return None
        if nw > 0 and nt > 0 and seq == 0:  # ZTW: wave is slowest, one block per wave
            start = min(w * nz * nt, n)
            return slice(start, min((w + 1) * nz * nt, n)), start
        if nw > 0 and nt > 0 and seq == 1:  # WZT: wave is fastest
            return slice(w, n, nw), w
        waves = self.waves()
        rows = np.flatnonzero(waves == w)
        return rows, int(rows[0]) if rows.size else 0

    def n_bad(self) -> int:
        """Count of NaN, infinite or denormal floats."""
        return int(np.count_nonzero(_bad(self.floats)))  # a bool .sum() costs several times more

    def plane_floats(self, names: tuple[str, ...]) -> list[list[float | None]] | None:
        """The floats ``names`` (`DvSection` field names) of every record, as `sections` has them.

        The same cleaning per value as `sections` (`_clean_table` on those columns only: its rules
        are per value, the spare-column rule never applies to a named column), without a
        `DvSection` per record or the other columns' conversions: what an OME document's planes
        need of a raw SIM stack. ``None`` when a name is not a column of this table.
        """
        try:
            columns = [_NAMED.index(name) for name in names]
        except ValueError:
            return None
        if not columns or max(columns) >= self.floats.shape[1]:
            return None
        rows, _ = _clean_table(np.ascontiguousarray(self.floats[:, columns]))
        return rows

    def sections(self) -> list[DvSection]:
        """One `DvSection` per record, in file order."""
        n = len(self)
        floats_all, _ = _clean_table(self.floats)
        ints_all = self.ints.tolist()
        width = self.floats.shape[1]
        named = _NAMED[: min(width, len(_NAMED))]
        spare = len(_NAMED)
        seq, nz, nw, nt = self.seq, self.nz, self.nw, self.nt
        out: list[DvSection] = []
        for i in range(n):
            row = floats_all[i]
            z, w, t = plane_index(i, seq, nz, nw, nt)
            values: dict[str, Any] = {"index": i, "z": z, "wave": w, "time": t, "ints": ints_all[i]}
            values.update(zip(named, row, strict=False))
            values["other_floats"] = (
                {k: v for k, v in enumerate(row[spare:], spare) if v} if width > spare else {}
            )
            out.append(construct(DvSection, values))
        return out


def _rebuild_table(
    ints: np.ndarray[Any, Any],
    floats: np.ndarray[Any, Any],
    seq: int,
    nz: int | None,
    nw: int,
    nt: int,
) -> SectionTable:
    return SectionTable(ints, floats, seq=seq, nz=nz, nw=nw, nt=nt)


@functools.lru_cache(maxsize=64)
def _record_dtype(order: Literal["little", "big"], n_ints: int, n_floats: int) -> np.dtype[Any]:
    """One section record: ``n_ints`` int32 then ``n_floats`` float32 (made once per layout)."""
    bo = "<" if order == "little" else ">"
    return np.dtype([("ints", bo + "i4", (n_ints,)), ("floats", bo + "f4", (n_floats,))])


def decode_records(source: RawRecords) -> SectionTable:
    """The records of ``source`` as columns: one structured-array pass over the bytes."""
    records: np.ndarray[Any, Any] = np.frombuffer(
        source.raw,
        dtype=_record_dtype(source.order, source.n_ints, source.n_floats),
        count=source.n_records,
    )
    return SectionTable(
        records["ints"].astype(np.int64),
        records["floats"].astype(np.float32),
        seq=source.seq,
        nz=source.nz,
        nw=source.nw,
        nt=source.nt,
    )


_CHANNEL_FIELDS = ("exposure_s", "excitation_nm", "emission_nm", "nd_filter")
"""The extended-header floats a channel takes from its first section, in finding order."""


def _positive(v: float | None) -> float | None:
    return v if v is not None and v > 0 else None


def _regular_firsts(
    table: SectionTable, picked: np.ndarray[Any, Any], nw: int
) -> list[tuple[int, list[float], list[bool]]] | None:
    """Per wave: its first record, that record's values, and which columns hold one value only.

    All waves at once, one comparison over a reshaped view, when every wave's records form a
    regular block of the table: WZT (wave fastest) with whole cycles, ZTW (wave slowest) or ZWT
    with exactly nz × nw × nt records. ``None`` otherwise (the caller goes wave by wave).
    """
    n, k = picked.shape
    seq, nz, nt = table.seq, table.nz, table.nt
    blocks: np.ndarray[Any, Any]
    if n == 0 or nw <= 0 or nt <= 0 or nz is None or nz <= 0:
        return None
    if seq == 1 and n % nw == 0:  # WZT: record p is wave p % nw
        blocks = picked.reshape(n // nw, nw, k)
        firsts = blocks[0]
        same = (blocks == firsts).all(axis=0)
        starts = list(range(nw))
    elif seq == 0 and n == nz * nw * nt:  # ZTW: one block of nz × nt records per wave
        blocks = picked.reshape(nw, nz * nt, k)
        firsts = blocks[:, 0]
        same = (blocks == firsts[:, None]).all(axis=1)
        starts = [w * nz * nt for w in range(nw)]
    elif seq == 2 and n == nz * nw * nt:  # ZWT: time slowest, then wave, then z
        blocks = picked.reshape(nt, nw, nz, k)
        firsts = blocks[0, :, 0]
        same = (blocks == firsts[None, :, None]).all(axis=(0, 2))
        starts = [w * nz for w in range(nw)]
    else:
        return None
    return list(zip(starts, firsts.tolist(), same.tolist(), strict=True))


def channels(
    nw: int,
    wavelengths: list[int | None],
    ext: DvExtHeader | None,
    col: FindingCollector,
    *,
    regular: bool = True,
) -> list[DvChannel]:
    """One `DvChannel` per wave: header wavelength plus the first section of that wave.

    Zero exposure, ND, excitation or emission mean "not recorded" (Cockpit leaves exposure at 0)
    and are left unknown. A value that differs between sections of the same wave is reported.
    Works on the extended header's columns: no per-section object is built. ``regular=False``
    summarises wave by wave even when the layout allows all waves at once (tests compare both).
    """
    table = ext.table if ext is not None else None
    if isinstance(table, SmallTable):
        return small_channels(nw, wavelengths, table, col)
    names: list[str] = []
    picked_columns: np.ndarray[Any, Any] | None = None
    summaries = None
    if table is not None:  # the four columns, gathered once (a record may have fewer floats)
        width = table.floats.shape[1]
        names = [n for n in _CHANNEL_FIELDS if _NAMED.index(n) < width]
        picked_columns = table.floats.take([_NAMED.index(n) for n in names], axis=1)
        if regular:
            summaries = _regular_firsts(table, picked_columns, nw)
    out: list[DvChannel] = []
    for w in range(nw):
        wl = wavelengths[w] if w < len(wavelengths) else None
        values: np.ndarray[Any, Any] | None = None
        if summaries is not None:
            first, firsts, same = summaries[w]
        else:
            found = table.wave_rows(w) if table is not None else None
            values = picked_columns[found[0]] if picked_columns is not None and found else None
            if found is None or values is None or len(values) == 0:
                out.append(DvChannel.header_only(w, wl))
                continue
            first = found[1]
            firsts = values[0].tolist()
            same = (values == values[0]).all(axis=0).tolist()
        picked: dict[str, float | None] = dict.fromkeys(_CHANNEL_FIELDS)  # absent: unknown
        for j, name in enumerate(names):
            if not (math.isfinite(firsts[j]) and same[j]):  # usually one value for the whole wave
                if values is None:  # a regular layout: the wave's records, only now
                    found = table.wave_rows(w) if table is not None else None
                    assert found is not None and picked_columns is not None
                    values = picked_columns[found[0]]
                column = values[:, j]
                bad = _bad(column)
                n_seen = int(np.unique(column[~bad]).size) + int(bool(bad.any()))
                if n_seen > 1:
                    col.info(
                        "ext_header_varies",
                        f"wave {w}: {name} varies across its {len(values)} sections "
                        f"({n_seen} values); the first section's value is used",
                        field=name,
                    )
            picked[name] = clean_float(firsts[j])
        out.append(
            construct(
                DvChannel,
                {
                    "index": w,
                    "wavelength_nm": wl,
                    "excitation_nm": _positive(picked["excitation_nm"]),
                    "emission_nm": _positive(picked["emission_nm"]),
                    "exposure_s": _positive(picked["exposure_s"]),
                    "nd_filter": _positive(picked["nd_filter"]),
                    "first_section": first,
                },
            )
        )
    return out
