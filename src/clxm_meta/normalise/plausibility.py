"""Plausibility of a record's values for its kind of microscopy.

A value faithful to its file can still be implausible for the dataset it ends up in: a cryo-EM
header's 0.26 nm pixel in an "SXT" dataset, say (the file was taken for an X-ray tilt series, or
its header was copied from an EM template). The value is kept as the file says it; a warning asks
the depositor to look.
"""

from __future__ import annotations

from clxm_meta.findings import Finding, Severity
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.models import Record

__all__ = ["PIXEL_RANGE_NM", "plausibility"]

PIXEL_RANGE_NM: dict[DatasetKind, tuple[float, float]] = {
    DatasetKind.SXT: (1.0, 1000.0),
    DatasetKind.SIM: (10.0, 1000.0),
}
"""Pixel sizes (nm) outside which a record's ``setup.pixel_size`` is flagged. Soft X-ray
zone-plate microscopes resolve 25-50 nm and record pixels of about 5-40 nm (10 nm at B24); SIM
cameras record 40-130 nm per pixel at the sample. The bounds are wide on purpose: a binned or
hard X-ray pixel (0.16 µm) passes, a cryo-EM pixel (0.26 nm) does not."""

_WHAT = {
    DatasetKind.SXT: "soft X-ray tomography (about 5-40 nm; cryo-EM pixels are below 1 nm)",
    DatasetKind.SIM: "3D-SIM (about 40-130 nm at the sample)",
}


_ARTICLE = {DatasetKind.SXT: "an", DatasetKind.SIM: "a"}


def plausibility(record: Record) -> list[Finding]:
    """Warnings for values that are implausible for the record's kind of microscopy."""
    out: list[Finding] = []
    slot = record.get("setup.pixel_size")
    if slot is None or slot.unit not in ("µm", "nm"):
        return out
    value = slot.value
    scale = 1000.0 if slot.unit == "µm" else 1.0
    low, high = PIXEL_RANGE_NM[record.kind]
    for axis in ("x", "y"):
        size = getattr(value, axis, None)
        if not isinstance(size, float | int) or size <= 0:
            continue
        nm = float(size) * scale
        if low <= nm <= high:
            continue
        out.append(
            Finding.make(
                "normalise.implausible",
                Severity.WARNING,
                f"setup.pixel_size: {nm:g} nm ({axis}, from {slot.source}) is implausible for "
                f"{_WHAT[record.kind]}; check that this file belongs to {_ARTICLE[record.kind]} "
                f"{record.kind} dataset "
                "and that its header pixel size is the instrument's",
                path=slot.source.path,
                field="setup.pixel_size",
            )
        )
        break
    return out
