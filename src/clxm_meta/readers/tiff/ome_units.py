"""OME-XML values and units: lengths to µm (wavelengths to nm), times to s, problems merged.

An OME element repeated many times (planes, channels) with the same bad unit gives one finding, not
one per element (`UnitIssues`).
"""

from __future__ import annotations

import re
from typing import Any

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.units import convert_length, convert_time

__all__ = ["UnitIssues", "as_written", "length_in", "number_of", "text_of", "time_in_s"]


def text_of(value: Any) -> str | None:
    """Stripped text of an ome-types value or enum member (``None`` for empty)."""
    if value is None:
        return None
    raw = getattr(value, "value", value)
    text = str(raw).strip()
    return text or None


def number_of(value: Any) -> float | None:
    """``value`` as a float, ``None`` when it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class UnitIssues:
    """Unit problems, merged over repeated elements (one finding for 7 planes, not 7)."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
        self.other: list[tuple[str, str, str, str]] = []

    def warning(self, code: str, message: str, *, field: str, locator: str) -> None:
        """Keep one non-unit problem (reported as it is)."""
        self.other.append((code, message, field, locator))

    def add(self, locator: str, field: str, problem: str, written: str) -> None:
        """Keep one unit problem; same element path (indices aside), field and problem merge."""
        generic = re.sub(r"\[\d+\]", "[*]", locator)
        self.items.setdefault((generic, field, problem), []).append((locator, written))

    def report(self, collector: FindingCollector) -> None:
        """Turn what was kept into warnings on ``collector``."""
        for (generic, field, problem), where in self.items.items():
            first_loc, first_value = where[0]
            if len(where) > 1:
                what = f"{generic} ({len(where)} elements, first {first_value})"
            else:
                what = f"{first_loc} = {first_value}"
            collector.warning(
                "ome_unit",
                f"{what}: {problem}; reported as unknown",
                field=field,
                locator=first_loc,
            )
        for code, message, field, locator in self.other:
            collector.warning(code, message, field=field, locator=locator)


def length_in(
    value: Any,
    unit: Any,
    to: str,
    issues: UnitIssues,
    locator: str,
    field: str,
) -> float | None:
    """A length in ``to`` (µm; nm for wavelengths), ``None`` plus a kept issue if not a length."""
    if value is None:
        return None
    unit_text = text_of(unit) or "µm"  # the OME schema default for lengths
    if to == "nm" and text_of(unit) is None:
        unit_text = "nm"  # ... and for wavelengths
    conv = convert_length(number_of(value), unit_text, to)
    if conv.problem is not None:
        issues.add(locator, field, conv.problem, f"{value} {unit_text}")
    return conv.value


def time_in_s(value: Any, unit: Any, issues: UnitIssues, locator: str, field: str) -> float | None:
    """A time in s (OME default unit s), ``None`` plus a kept issue when the unit is not a time."""
    if value is None:
        return None
    unit_text = text_of(unit) or "s"  # the OME schema default for times
    conv = convert_time(number_of(value), unit_text, "s")
    if conv.problem is not None:
        issues.add(locator, field, conv.problem, f"{value} {unit_text}")
    return conv.value


def as_written(value: Any, unit: Any) -> str | None:
    """``"<value> <unit>"`` as the file wrote it."""
    if value is None:
        return None
    unit_text = text_of(unit)
    return f"{value} {unit_text}" if unit_text else str(value)
