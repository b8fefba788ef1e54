"""A small extended header decoded in pure Python: what `extended_header` does, without numpy.

``clxm-meta inspect`` of a DV file with a few hundred planes would otherwise spend most of its
start-up importing numpy to decode a few kilobytes. `decode_small` is used when the records hold
at most `SMALL_VALUES` numbers and numpy is not loaded yet (in a scan it usually is, and its
column operations are then the cheaper); every result is what the numpy decoder gives
(tests/readers/dv/test_dv_small_table.py compares the two on every sample and on random tables).
"""

from __future__ import annotations

import math
import struct
import sys
from typing import Any

from clxm_meta.readers.base import FindingCollector, construct
from clxm_meta.readers.dv.header import clean_float
from clxm_meta.readers.dv.model import DvChannel, DvSection, RawRecords
from clxm_meta.readers.float32 import F32_TINY

__all__ = ["SMALL_VALUES", "SmallTable", "decode_small", "use_small"]

SMALL_VALUES = 65536
"""Numbers (ints + floats of every record) decoded in pure Python at most."""

NAMED = (
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
"""Float meanings by index (`extended_header` holds the same tuple)."""
_CHANNEL_FIELDS = ("exposure_s", "excitation_nm", "emission_nm", "nd_filter")


def use_small(source: RawRecords) -> bool:
    """Whether to decode ``source`` here: small, and numpy not loaded yet."""
    return (
        "numpy" not in sys.modules
        and source.n_records * (source.n_ints + source.n_floats) <= SMALL_VALUES
    )


def _bad(v: float) -> bool:
    """NaN, infinite or denormal (`extended_header._bad` of one value)."""
    return v != v or v - v != 0.0 or (v != 0.0 and -F32_TINY < v < F32_TINY)


def _plane_index(
    p: int, seq: int, nz: int | None, nw: int, nt: int
) -> tuple[int | None, int | None, int | None]:
    """`extended_header.plane_index` (kept here so that this module needs no numpy)."""
    if nz is None or nz <= 0:
        return (None, None, None)
    if seq == 0:  # ZTW
        return (p % nz, p // (nz * nt), (p // nz) % nt)
    if seq == 1:  # WZT
        return ((p // nw) % nz, p % nw, p // (nw * nz))
    if seq == 2:  # ZWT
        return (p % nz, (p // nz) % nw, p // (nz * nw))
    return (None, None, None)


class SmallTable:
    """The records as Python rows: ints and float32 values (widened) of every record."""

    __slots__ = ("floats", "ints", "nt", "nw", "nz", "seq")

    def __init__(
        self,
        ints: list[list[int]],
        floats: list[list[float]],
        *,
        seq: int,
        nz: int | None,
        nw: int,
        nt: int,
    ) -> None:
        self.ints, self.floats = ints, floats
        self.seq, self.nz, self.nw, self.nt = seq, nz, nw, nt

    def __len__(self) -> int:
        return len(self.floats)

    def __reduce__(self) -> tuple[Any, ...]:  # pickling (scan executors): by value
        return (_rebuild, (self.ints, self.floats, self.seq, self.nz, self.nw, self.nt))

    def n_bad(self) -> int:
        """Count of NaN, infinite or denormal floats."""
        return sum(1 for row in self.floats for v in row if _bad(v))

    def wave_rows(self, w: int) -> list[int] | None:
        """Indices of the records of wave ``w`` (``None``: waves not mappable)."""
        seq, nz = self.seq, self.nz
        if nz is None or nz <= 0 or seq not in (0, 1, 2):
            return None
        nw, nt = self.nw, self.nt
        return [i for i in range(len(self)) if _plane_index(i, seq, nz, nw, nt)[1] == w]

    def sections(self) -> list[DvSection]:
        """One `DvSection` per record, in file order."""
        clean: dict[float, float | None] = {}  # one conversion per distinct non-zero value

        def cleaned(v: float) -> float | None:
            if v == 0.0:
                return v  # keeps the sign of -0.0, as the numpy decoder does
            if v in clean:
                return clean[v]
            out = clean[v] = clean_float(v)  # None for NaN, infinity, denormal (not cached)
            return out

        width = len(self.floats[0]) if self.floats else 0
        named = NAMED[: min(width, len(NAMED))]
        spare = len(NAMED)
        seq, nz, nw, nt = self.seq, self.nz, self.nw, self.nt
        out: list[DvSection] = []
        for i, (ints, row) in enumerate(zip(self.ints, self.floats, strict=True)):
            z, w, t = _plane_index(i, seq, nz, nw, nt)
            values: dict[str, Any] = {"index": i, "z": z, "wave": w, "time": t, "ints": ints}
            values.update(zip(named, [cleaned(v) for v in row[:spare]], strict=False))
            other: dict[int, float] = {}
            for k in range(spare, width):
                v = row[k]
                if v:
                    c = cleaned(v)
                    if c:
                        other[k] = c
            values["other_floats"] = other
            out.append(construct(DvSection, values))
        return out


def _rebuild(
    ints: list[list[int]], floats: list[list[float]], seq: int, nz: int | None, nw: int, nt: int
) -> SmallTable:
    return SmallTable(ints, floats, seq=seq, nz=nz, nw=nw, nt=nt)


def decode_small(source: RawRecords) -> SmallTable:
    """The records of ``source`` as Python rows (one `struct` pass)."""
    ni, nf = source.n_ints, source.n_floats
    bo = "<" if source.order == "little" else ">"
    record = struct.Struct(f"{bo}{ni}i{nf}f")
    ints: list[list[int]] = []
    floats: list[list[float]] = []
    for values in record.iter_unpack(source.raw[: source.n_records * record.size]):
        ints.append(list(values[:ni]))
        floats.append(list(values[ni:]))
    return SmallTable(ints, floats, seq=source.seq, nz=source.nz, nw=source.nw, nt=source.nt)


def _positive(v: float | None) -> float | None:
    return v if v is not None and v > 0 else None


def small_channels(
    nw: int, wavelengths: list[int | None], table: SmallTable, col: FindingCollector
) -> list[DvChannel]:
    """`extended_header.channels` over a `SmallTable`: the same channels and findings."""
    width = len(table.floats[0]) if table.floats else 0
    names = [n for n in _CHANNEL_FIELDS if NAMED.index(n) < width]
    columns = [NAMED.index(n) for n in names]
    out: list[DvChannel] = []
    for w in range(nw):
        wl = wavelengths[w] if w < len(wavelengths) else None
        rows = table.wave_rows(w)
        if not rows:
            out.append(DvChannel.header_only(w, wl))
            continue
        picked: dict[str, float | None] = dict.fromkeys(_CHANNEL_FIELDS)  # absent: unknown
        for name, c in zip(names, columns, strict=True):
            column = [table.floats[r][c] for r in rows]
            first = column[0]
            if not (math.isfinite(first) and all(v == first for v in column)):
                good = {v for v in column if not _bad(v)}
                n_seen = len(good) + any(_bad(v) for v in column)
                if n_seen > 1:
                    col.info(
                        "ext_header_varies",
                        f"wave {w}: {name} varies across its {len(column)} sections "
                        f"({n_seen} values); the first section's value is used",
                        field=name,
                    )
            picked[name] = clean_float(first)
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
                    "first_section": rows[0],
                },
            )
        )
    return out
