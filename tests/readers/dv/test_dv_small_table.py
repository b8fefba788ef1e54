"""The pure-Python decoder of small extended headers gives what the numpy decoder gives."""

from __future__ import annotations

import math
import struct

import numpy as np

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.dv.extended_header import channels, decode_records
from clxm_meta.readers.dv.model import DvExtHeader, RawRecords
from clxm_meta.readers.dv.small_table import decode_small


def _same(a: object, b: object) -> bool:
    """Equal, with NaN equal to NaN and the sign of zero compared."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1, a) == math.copysign(1, b)
        )
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b and type(a) is type(b)


def test_random_tables_decode_alike() -> None:
    rng = np.random.default_rng(21)
    pool = [0.0, -0.0, 0.05, 0.1, 488.0, 525.0, 1e-42, float("nan"), float("inf"), 123.456]
    for case in range(400):
        seq = int(rng.integers(0, 4))
        nz, nw, nt = (int(v) for v in rng.integers(0, 4, size=3))
        nw, nt = max(nw, 1), max(nt, 1)
        n_ints, n_floats = int(rng.integers(0, 3)), int(rng.integers(1, 24))
        count = int(rng.integers(0, 3 * 3 * 3 + 2))
        order = "little" if case % 2 else "big"
        if case % 4 == 0:
            raw = rng.integers(0, 256, size=count * 4 * (n_ints + n_floats), dtype=np.uint8)
            data = raw.tobytes()
        else:
            bo = "<" if order == "little" else ">"
            row = [float(rng.choice(pool)) for _ in range(n_floats)]
            rows = []
            for _ in range(count):
                if rng.random() < 0.3:
                    row = [float(rng.choice(pool)) for _ in range(n_floats)]
                ints = [int(v) for v in rng.integers(-5, 5, size=n_ints)]
                rows.append(struct.pack(f"{bo}{n_ints}i{n_floats}f", *ints, *row))
            data = b"".join(rows)
        source = RawRecords(data, order, n_ints, n_floats, count, seq, nz or None, nw, nt)
        big, small = decode_records(source), decode_small(source)
        assert len(big) == len(small) and big.n_bad() == small.n_bad(), case
        assert _same(
            [s.model_dump() for s in big.sections()], [s.model_dump() for s in small.sections()]
        ), case
        fields = {"n_ints": n_ints, "n_floats": n_floats, "record_bytes": 0, "declared_bytes": 0}
        ext_big = DvExtHeader.from_table(big, **fields)
        ext_small = DvExtHeader.from_table(small, **fields)  # type: ignore[arg-type]
        col_big, col_small = FindingCollector("x.dv", "dv"), FindingCollector("x.dv", "dv")
        wl: list[int | None] = [525] * nw
        got_big = channels(nw, wl, ext_big, col_big)
        got_small = channels(nw, wl, ext_small, col_small)
        assert got_big == got_small, case
        assert col_big.items == col_small.items, case
