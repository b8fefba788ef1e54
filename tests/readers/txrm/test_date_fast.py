"""Issue 21: TXRM dates read by a pattern give what `strptime` gave, on every form."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from clxm_meta.readers.imod.text import to_float
from clxm_meta.readers.txrm import decode


def reference(raw: bytes) -> str | None:
    """`parse_date` before issue 21: every format through `strptime`."""
    text = decode.plain_string(raw)
    if text is None:
        return None
    for fmt, spec in decode._DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).isoformat(timespec=spec)
        except ValueError:
            continue
    return None


EDGES = [
    b"03/14/2023 10:21:05.123",
    b"03/14/2023 10:21:05.1",
    b"03/14/2023 10:21:05.123456",
    b"03/14/2023 10:21:05.1234567",
    b"03/14/2023 10:21:05.",
    b"03/14/2023 10:21:05",
    b"03/14/23 10:21:05.12",
    b"3/14/2023 10:21:05.1",
    b"02/29/2023 10:21:05.1",
    b"02/29/2024 10:21:05.1",
    b"00/14/2023 10:21:05.1",
    b"03/14/2023 24:00:00.0",
    b"03/14/2023 10:21:60.5",
    b"03/14/0000 10:21:05.1",
    b" 03/14/2023 10:21:05.1\x00junk after the NUL",
    b"\x00",
    b"not a date",
]


@pytest.mark.parametrize("raw", EDGES)
def test_edge_dates_as_strptime(raw: bytes) -> None:
    assert decode.parse_date(raw) == reference(raw)


def test_random_dates_as_strptime() -> None:
    rnd = random.Random(21)
    for _ in range(5000):
        m, d, h = (
            rnd.choice([f"{rnd.randint(0, 99):02d}", str(rnd.randint(0, 12))]) for _ in "mdh"
        )
        y = rnd.choice([f"{rnd.randint(0, 9999):04d}", f"{rnd.randint(0, 99):02d}"])
        frac = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(0, 8)))
        tail = f".{frac}" if frac or rnd.random() < 0.3 else ""
        raw = f"{m}/{d}/{y} {h}:{rnd.randint(0, 70):02d}:{rnd.randint(0, 70):02d}{tail}".encode()
        assert decode.parse_date(raw) == reference(raw), raw


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("1.5", 1.5),
        ("-2", -2.0),
        ("1.5D-05", 1.5e-05),
        ("1.5d+03", 1500.0),
        ("1e5", 1e5),
        ("1_0", 10.0),
        ("inf", None),
        ("-Infinity", None),
        ("nan", None),
        ("1D999", None),
        ("D", None),
        ("abc", None),
        ("", None),
    ],
)
def test_imod_numbers(token: str, value: float | None) -> None:
    assert to_float(token) == value
