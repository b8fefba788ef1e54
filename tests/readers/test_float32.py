"""`clxm_meta.readers.float32.shortest` is numpy's shortest float32 decimal, without numpy."""

from __future__ import annotations

import math
import random
import struct

import numpy as np

from clxm_meta.readers.float32 import F32_TINY, shortest


def _numpy(value: float) -> float | None:
    if not math.isfinite(value):
        return None
    return float(str(np.float32(value)))


def _as_f32(bits: int) -> float:
    value: float = struct.unpack("<f", struct.pack("<I", bits))[0]
    return value


def test_shortest_is_numpys_on_every_kind_of_float32() -> None:
    rng = random.Random(16)
    values = [_as_f32(rng.getrandbits(32)) for _ in range(30000)]
    values += [_as_f32(b) for b in range(0, 2000)]  # zero and the smallest denormals
    values += [_as_f32(0x00800000 + d) for d in range(-50, 50)]  # around the smallest normal
    for e in range(-149, 128):  # every power of two (a lopsided interval) and its neighbours
        bits = struct.unpack("<I", struct.pack("<f", math.ldexp(1.0, e)))[0]
        values += [_as_f32(b) for b in (bits - 1, bits, bits + 1)]
    for k in range(-45, 39):  # every power of ten's float32 neighbours
        bits = struct.unpack("<I", struct.pack("<f", 10.0**k))[0]
        values += [_as_f32(b) for b in range(max(bits - 20, 0), bits + 20)]
    values += [math.inf, -math.inf, math.nan, 3.4028234663852886e38, F32_TINY]
    for value in values:
        for signed in (value, -value):
            got, want = shortest(signed), _numpy(signed)
            assert got == want or (got is want is None), signed
            if got is not None and want is not None:
                assert math.copysign(1, got) == math.copysign(1, want) and type(got) is float


def test_decades_compare_exactly() -> None:
    """`shortest` finds a value's decade by comparing it with the float64 nearest each power of
    ten: exact only if no such float64 below 1 is itself a float32 (the value could equal it)."""
    for k in range(-46, 0):
        p = float(f"1e{k}")
        assert struct.unpack("<f", struct.pack("<f", p))[0] != p, k
