"""Issue 21: TXRM float32 streams mapped through a per-value table give the old per-value loop's
values and findings (bit patterns that compare equal as floats kept apart: -0.0 and 0.0, NaNs)."""

from __future__ import annotations

import random
import struct
from array import array
from typing import Any

import pytest

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.txrm import decode


class _Streams:
    """The two calls `StreamDecoder` makes of `OleStreams`: find and read."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def find(self, *names: str) -> str | None:
        return names[0]

    def read(self, name: str) -> bytes:
        return self.data


def _old_floats(data: bytes) -> list[float]:
    """`StreamDecoder.floats_raw`'s values before issue 21's fifth round: a loop per value."""
    usable = len(data) - len(data) % 4
    arr = array("f")
    arr.frombytes(data[:usable])
    bits = array("I")
    bits.frombytes(data[:usable])
    memo: dict[int, float] = {}
    out: list[float] = []
    for b, v in zip(bits, arr, strict=True):
        got = memo.get(b)
        if got is None:
            got = memo[b] = decode._f32(v)
        out.append(got)
    return out


def _old_per_image(values: list[float], **kw: Any) -> tuple[list[float | None], list[str]]:
    out: list[float | None] = []
    problems: list[str] = []
    for i, v in enumerate(values):
        problem = decode.StreamDecoder._problem(v, **kw)
        if problem is not None:
            problems.append(f"image {i + 1}: {problem}")
        out.append(None if problem is not None else v)
    return out, problems


_PATTERNS = [
    0x00000000,  # 0.0
    0x80000000,  # -0.0
    0x7FC00000,  # NaN
    0xFFC00001,  # another NaN
    0x7F800000,  # inf
    0xFF800000,  # -inf
    0x00000001,  # denormal
    0x3F800000,  # 1.0
    0x3E19999A,  # 0.15
    0xC61C4000,  # -10000.0
    0x461C4011,  # 10000.017
    0x47C35000,  # 100000.0
]


def _stream(rng: random.Random, n: int) -> bytes:
    words = [rng.choice(_PATTERNS) if rng.random() < 0.7 else rng.getrandbits(32) for _ in range(n)]
    return struct.pack(f"<{n}I", *words) + bytes(rng.randrange(4))


def _same(a: list[Any], b: list[Any]) -> None:
    assert [repr(x) for x in a] == [repr(y) for y in b]
    assert [type(x) for x in a] == [type(y) for y in b]


@pytest.mark.parametrize("seed", range(40))
def test_floats_and_checks_equal_the_per_value_loop(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.choice([0, 1, 2, 7, 61, 433])
    data = _stream(rng, n)
    got = decode.StreamDecoder(_Streams(data), FindingCollector("x.txrm", "txrm")).floats_raw("s")  # type: ignore[arg-type]
    assert got is not None
    _same(got[1], _old_floats(data))

    kw: dict[str, Any] = rng.choice(
        [
            {"low": None, "high": None, "zero_ok": False},
            {"low": -1.0, "high": 2.0, "zero_ok": True},
            {"low": 0.5, "high": 1e4, "zero_ok": True},
            {"low": None, "high": 0.0, "zero_ok": True},
        ]
    )
    findings = FindingCollector("x.txrm", "txrm")
    dec = decode.StreamDecoder(_Streams(data), findings)  # type: ignore[arg-type]
    per = dec.per_image(n, "s", **kw)
    if n == 0:
        assert per is None
        return
    assert per is not None
    values, _ = decode.per_image_layout(_old_floats(data), n, allow_stride=not kw["zero_ok"])
    old, problems = _old_per_image(values, **kw)
    _same(per[1], old)
    junk = [f.message for f in findings.items if f.code == "txrm.junk_value"]
    if problems:
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        assert junk == [f"{problems[0]}{more}; left unknown"]
    else:
        assert junk == []
