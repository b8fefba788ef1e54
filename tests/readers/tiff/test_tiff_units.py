"""clxm_meta.readers.units: spellings and explicit conversions."""

from __future__ import annotations

import pytest

from clxm_meta.readers.units import (
    canonical_length_unit,
    canonical_time_unit,
    convert_length,
    convert_time,
    resolution_pixel_size,
)


@pytest.mark.parametrize(
    ("value", "unit", "to", "expected"),
    [
        (155.789, "nm", "µm", 0.155789),
        (100.0, "nm", "µm", 0.1),
        (1.0, "mm", "µm", 1000.0),
        (1.0, "cm", "µm", 10000.0),
        (2.0, "m", "nm", 2e9),
        (10.0, "Å", "nm", 1.0),
        (1.0, "in", "µm", 25400.0),
        (0.08, "micron", "µm", 0.08),
        (0.08, "\\u00B5m", "µm", 0.08),
        (0.08, "\u03bcm", "µm", 0.08),
        (0.5, "um", "nm", 500.0),
    ],
)
def test_lengths(value: float, unit: str, to: str, expected: float) -> None:
    conv = convert_length(value, unit, to)
    assert conv.problem is None
    assert conv.value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("unit", ["reference frame", "pixel", "pixels"])
def test_not_a_length(unit: str) -> None:
    conv = convert_length(1.0, unit)
    assert conv.value is None and conv.problem is not None and "not a physical" in conv.problem


def test_unknown_and_bad_values() -> None:
    assert convert_length(1.0, "furlong").problem == "unknown length unit 'furlong'"
    assert convert_length(float("nan"), "nm").value is None
    assert convert_length(None, "nm").problem is None
    assert convert_time(1.0, "fortnight").value is None
    assert canonical_length_unit("parsec-ish") is None


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(5.0, "s", 5.0), (10, "ms", 0.01), (3, "µs", 3e-6), (2, "min", 120.0), (1, "sec", 1.0)],
)
def test_times(value: float, unit: str, expected: float) -> None:
    assert convert_time(value, unit).value == pytest.approx(expected, rel=1e-12)
    assert canonical_time_unit(unit) is not None


def test_resolution() -> None:
    assert resolution_pixel_size(1e4, "cm").value == 1.0
    assert resolution_pixel_size(25400, "in").value == 1.0
    assert resolution_pixel_size(12.5, "micron").value == 0.08
    assert resolution_pixel_size(0, "cm").value is None
    assert resolution_pixel_size(10, "pixel").problem is not None
