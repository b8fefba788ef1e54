"""Unit names and conversions shared by the readers.

Files spell units in many ways: OME uses ``"µm"`` (micro sign) and ``"reference frame"``, ImageJ writes
``"micron"`` or an escaped micro sign (backslash-u00B5 + m), TIFF resolution tags use a numeric code (2 inch,
3 centimetre, and tifffile's non-standard 4 millimetre, 5 micrometre). This module maps every
spelling it knows to one canonical name and converts lengths and times explicitly.

A unit that is not a physical length (``"pixel"``, ``"reference frame"``) or that this module does
not know gives no value: the functions return a `Converted` whose ``value`` is ``None`` and whose
``problem`` says why, so that the reader can report a finding instead of guessing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "LENGTH_TO_M",
    "NON_PHYSICAL_LENGTHS",
    "RESOLUTION_UNITS",
    "TIME_TO_S",
    "Converted",
    "canonical_length_unit",
    "canonical_time_unit",
    "convert_length",
    "convert_time",
    "resolution_pixel_size",
]

LENGTH_TO_M: dict[str, float] = {
    "km": 1e3,
    "m": 1.0,
    "dm": 1e-1,
    "cm": 1e-2,
    "mm": 1e-3,
    "µm": 1e-6,
    "nm": 1e-9,
    "pm": 1e-12,
    "fm": 1e-15,
    "Å": 1e-10,
    "in": 0.0254,
    "ft": 0.3048,
    "thou": 2.54e-5,
    "pt": 0.0254 / 72.0,
}
"""Metres per unit, keyed by canonical name (OME ``UnitsLength`` spelling)."""

NON_PHYSICAL_LENGTHS = frozenset({"pixel", "reference frame"})
"""Units OME allows for lengths that are not lengths: no conversion to a physical size exists."""

TIME_TO_S: dict[str, float] = {
    "d": 86400.0,
    "h": 3600.0,
    "min": 60.0,
    "s": 1.0,
    "ds": 1e-1,
    "cs": 1e-2,
    "ms": 1e-3,
    "µs": 1e-6,
    "ns": 1e-9,
    "ps": 1e-12,
}
"""Seconds per unit, keyed by canonical name (OME ``UnitsTime`` spelling)."""

_LENGTH_ALIASES: dict[str, str] = {
    "meter": "m",
    "meters": "m",
    "metre": "m",
    "metres": "m",
    "centimeter": "cm",
    "centimeters": "cm",
    "centimetre": "cm",
    "millimeter": "mm",
    "millimeters": "mm",
    "millimetre": "mm",
    "um": "µm",
    "\u03bcm": "µm",  # Greek small letter mu (U+03BC) instead of the micro sign (U+00B5)
    "\\u00b5m": "µm",  # ImageJ writes the micro sign escaped in its description
    "\\u03bcm": "µm",
    "micron": "µm",
    "microns": "µm",
    "micrometer": "µm",
    "micrometers": "µm",
    "micrometre": "µm",
    "micrometres": "µm",
    "nanometer": "nm",
    "nanometers": "nm",
    "nanometre": "nm",
    "nanometres": "nm",
    "picometer": "pm",
    "angstrom": "Å",
    "angstroms": "Å",
    "ångström": "Å",
    "\\u00c5": "Å",
    "\u212b": "Å",  # Angstrom sign (U+212B) instead of the Latin capital A with ring (U+00C5)
    "inch": "in",
    "inches": "in",
    "pixel": "pixel",
    "pixels": "pixel",
    "px": "pixel",
    "reference frame": "reference frame",
    "referenceframe": "reference frame",
}

_TIME_ALIASES: dict[str, str] = {
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
    "msec": "ms",
    "millisecond": "ms",
    "milliseconds": "ms",
    "us": "µs",
    "\u03bcs": "µs",
    "\\u00b5s": "µs",
    "microsecond": "µs",
    "microseconds": "µs",
    "nanosecond": "ns",
    "nanoseconds": "ns",
    "minute": "min",
    "minutes": "min",
    "hour": "h",
    "hours": "h",
    "hr": "h",
    "day": "d",
    "days": "d",
}

RESOLUTION_UNITS: dict[int, str | None] = {1: None, 2: "in", 3: "cm", 4: "mm", 5: "µm"}
"""TIFF ResolutionUnit (tag 296) code → length unit. 1 means "no absolute unit"; 4 and 5 are
tifffile extensions (RESUNIT.MILLIMETER, RESUNIT.MICROMETER), not in the TIFF 6.0 standard."""


@dataclass(frozen=True)
class Converted:
    """The result of a unit conversion.

    Attributes
    ----------
    value
        The converted value, or ``None`` when it cannot be converted.
    unit
        The canonical name of the source unit (``None`` if it was not recognised).
    problem
        Why ``value`` is ``None``: a sentence for a finding; ``None`` when the conversion worked.
    """

    value: float | None
    unit: str | None
    problem: str | None = None


_LENGTH_EXP = {"km": 3, "m": 0, "dm": -1, "cm": -2, "mm": -3, "µm": -6, "nm": -9, "pm": -12}
_LENGTH_EXP.update({"fm": -15, "Å": -10})
_TIME_EXP = {"s": 0, "ds": -1, "cs": -2, "ms": -3, "µs": -6, "ns": -9, "ps": -12}


def _scale(
    number: float, unit: str, to: str, factors: dict[str, float], exponents: dict[str, int]
) -> float:
    """``number`` in ``unit`` → ``to``; exact powers of ten between decimal units (no 1e-9/1e-6 noise)."""
    if unit in exponents and to in exponents:
        shift = exponents[unit] - exponents[to]
        return number * 10.0**shift if shift >= 0 else number / 10.0**-shift
    return number * factors[unit] / factors[to]


def _canonical(text: str | None, table: dict[str, float], aliases: dict[str, str]) -> str | None:
    if text is None:
        return None
    raw = str(getattr(text, "value", text)).strip()
    if raw in table or raw in NON_PHYSICAL_LENGTHS:
        return raw
    if raw.replace("\u03bc", "\u00b5") in table:
        return raw.replace("\u03bc", "\u00b5")
    low = raw.lower()
    return aliases.get(low) or aliases.get(raw)


def canonical_length_unit(text: str | None) -> str | None:
    """Canonical name of a length unit (``"µm"``, ``"nm"``, ``"pixel"`` ...), ``None`` if unknown.

    Enum members (such as ome-types ``UnitsLength``) are accepted through their ``value``.
    """
    return _canonical(text, LENGTH_TO_M, _LENGTH_ALIASES)


def canonical_time_unit(text: str | None) -> str | None:
    """Canonical name of a time unit (``"s"``, ``"ms"``, ``"µs"`` ...), ``None`` if unknown."""
    return _canonical(text, TIME_TO_S, _TIME_ALIASES)


def _finite(value: float | int | None) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def convert_length(value: float | int | None, unit: str | None, to: str = "µm") -> Converted:
    """Convert a length to unit ``to`` (a canonical name in `LENGTH_TO_M`).

    Parameters
    ----------
    value
        The number as found in the file (``None`` stays ``None``, without a problem).
    unit
        Its unit, in any spelling `canonical_length_unit` knows.
    to
        Target unit.

    Returns
    -------
    Converted
        ``value`` is ``None`` with a ``problem`` when the unit is unknown, not a physical length
        (``pixel``, ``reference frame``) or the number is not finite.
    """
    canon = canonical_length_unit(unit)
    if value is None:
        return Converted(None, canon)
    number = _finite(value)
    if number is None:
        return Converted(None, canon, f"value {value!r} is not a finite number")
    if canon is None:
        return Converted(None, None, f"unknown length unit {unit!r}")
    if canon in NON_PHYSICAL_LENGTHS:
        return Converted(None, canon, f"unit {canon!r} is not a physical length")
    return Converted(_scale(number, canon, to, LENGTH_TO_M, _LENGTH_EXP), canon)


def convert_time(value: float | int | None, unit: str | None, to: str = "s") -> Converted:
    """Convert a duration to unit ``to`` (a canonical name in `TIME_TO_S`); see `convert_length`."""
    canon = canonical_time_unit(unit)
    if value is None:
        return Converted(None, canon)
    number = _finite(value)
    if number is None:
        return Converted(None, canon, f"value {value!r} is not a finite number")
    if canon is None:
        return Converted(None, None, f"unknown time unit {unit!r}")
    return Converted(_scale(number, canon, to, TIME_TO_S, _TIME_EXP), canon)


def resolution_pixel_size(resolution: float | None, unit: str | None, to: str = "µm") -> Converted:
    """Pixel size from a resolution in pixels per ``unit`` (TIFF X/YResolution semantics).

    A resolution that is zero, negative or not finite, or a unit that is not a length, gives no
    value and a ``problem``.
    """
    number = _finite(resolution)
    if resolution is None:
        return Converted(None, canonical_length_unit(unit))
    if number is None or number <= 0:
        return Converted(None, canonical_length_unit(unit), f"resolution {resolution!r} is not > 0")
    one = convert_length(1.0, unit, to)  # one unit in the target unit, then divide: less rounding
    if one.value is None:
        return one
    return Converted(one.value / number, one.unit)
