"""Readable ``label: value unit`` lines for the ``details`` of an EMPIAR image set.

EMPIAR has no key for most of Table 1 (energy, zone plate, exposure, tilt range, residuals, ...):
they go into the free-text ``details`` of the image set they describe, one line per Table 1 row,
in the order of the protocol's table. Numbers are written as the record holds them (``g`` format,
no rounding beyond that); composite values get a short wording per type.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from clxm_meta.export.table import format_value
from clxm_meta.records.value import Value
from clxm_meta.records.values import (
    XYZ,
    AttachedFile,
    EnergySummary,
    ExposureSummary,
    FundingItem,
    ImageDimensions,
    Magnification,
    MosaicLayout,
    Person,
    ReconstructionProtocol,
    ResidualError,
    Software,
    TiltRange,
    TiltStep,
    Transform,
)

__all__ = ["detail_line", "detail_text"]


def _g(x: float | None) -> str:
    return "?" if x is None else f"{x:g}"


def _range(lo: float | None, hi: float | None, unit: str) -> str:
    return f"{_g(lo)} {unit}" if lo == hi else f"{_g(lo)}–{_g(hi)} {unit}"


def _energy(v: EnergySummary) -> str:
    text = f"{_g(v.value_ev)} eV" if v.value_ev is not None else _range(v.min_ev, v.max_ev, "eV")
    return text + (f" ({v.n_images} images)" if v.n_images else "")


def _exposure(v: ExposureSummary) -> str:
    text = f"{_g(v.value_s)} s" if v.value_s is not None else _range(v.min_s, v.max_s, "s")
    extra = [x for x in (v.type, f"{v.n_images} images" if v.n_images else None) if x]
    return text + (f" ({', '.join(extra)})" if extra else "")


def _tilt_range(v: TiltRange) -> str:
    text = f"{_g(v.start_deg)}° to {_g(v.end_deg)}°"
    if v.min_deg is not None and (v.min_deg, v.max_deg) != tuple(
        sorted((v.start_deg or 0.0, v.end_deg or 0.0))
    ):
        text += f" (min {_g(v.min_deg)}°, max {_g(v.max_deg)}°)"
    return text


def _tilt_step(v: TiltStep) -> str:
    text = f"{_g(v.step_deg)}°"
    if v.regular is False:
        text += f" (irregular: {_g(v.min_deg)}° to {_g(v.max_deg)}°, median given)"
    return text


def _residual(v: ResidualError) -> str:
    unit = f" {v.unit}" if v.unit else ""
    parts = [f"mean {_g(v.mean)}{unit}"] if v.mean is not None else []
    if v.sd is not None:
        parts.append(f"sd {_g(v.sd)}{unit}")
    return ", ".join(parts)


def _protocol(v: ReconstructionProtocol) -> str:
    parts = []
    if v.alignment:
        parts.append(f"alignment {v.alignment}")
    if v.reconstruction:
        rec = v.reconstruction + (f" ({v.iterations} iterations)" if v.iterations else "")
        if v.back_projection_also:
            rec += " and WBP"
        parts.append(f"reconstruction {rec}")
    for label, value in (
        ("fiducials seeded", v.fiducial_count),
        ("patch size", v.patch_size_px and " × ".join(str(n) for n in v.patch_size_px) + " px"),
        ("patch overlap", v.patch_overlap and " × ".join(_g(n) for n in v.patch_overlap)),
        ("tilt axis", v.tilt_axis_deg is not None and f"{_g(v.tilt_axis_deg)}°"),
        ("binning", v.binning),
        ("thickness", v.thickness_px and f"{v.thickness_px} px"),
    ):
        if value is not None and value is not False:
            parts.append(f"{label} {value}")
    return ", ".join(parts)


def _dims(v: ImageDimensions) -> str:
    px = " × ".join(str(n) for n in (v.x, v.y, v.z) if n is not None)
    um = " × ".join(_g(n) for n in (v.x_um, v.y_um, v.z_um) if n is not None)
    return f"{px} px" + (f" ({um} µm)" if um else "")


def _person(p: Person) -> str:
    extra = ", ".join(x for x in (p.affiliation, p.orcid and f"ORCID {p.orcid}") if x)
    return p.name + (f" ({extra})" if extra else "")


_PLAIN = frozenset((str, int, float, bool, type(None)))
"""Types no composite value below is: `_one` answers ``None`` for them at once."""


def _one(value: Any) -> str | None:
    """The wording of one composite value, or ``None`` to fall back to the generic rendering."""
    if type(value) in _PLAIN:  # most values: none of the models below (14 isinstance calls)
        return None
    if isinstance(value, EnergySummary):
        return _energy(value)
    if isinstance(value, ExposureSummary):
        return _exposure(value)
    if isinstance(value, TiltRange):
        return _tilt_range(value)
    if isinstance(value, TiltStep):
        return _tilt_step(value)
    if isinstance(value, ResidualError):
        return _residual(value)
    if isinstance(value, ReconstructionProtocol):
        return _protocol(value)
    if isinstance(value, ImageDimensions):
        return _dims(value)
    if isinstance(value, Software):
        return value.name + (f" {value.version}" if value.version else "")
    if isinstance(value, Magnification):
        parts = [f"X-ray {_g(value.xray)}×"] if value.xray is not None else []
        if value.optical is not None:
            parts.append(f"optical {_g(value.optical)}×")
        return ", ".join(parts)
    if isinstance(value, MosaicLayout):
        return f"{value.rows} × {value.columns}" + (
            f", overlap {_g(value.overlap_fraction)}" if value.overlap_fraction is not None else ""
        )
    if isinstance(value, AttachedFile):
        where = f" ({value.stream})" if value.stream else ""
        return value.path.rsplit("/", 1)[-1] + where
    if isinstance(value, Person):
        return _person(value)
    if isinstance(value, FundingItem):
        return " ".join(x for x in (value.agency, value.grant_id) if x)
    if isinstance(value, Transform):
        rows = "; ".join(" ".join(_g(x) for x in row) for row in value.matrix)
        return f"[{rows}]" + (f" ({value.description})" if value.description else "")
    return None


def detail_text(slot: Value[Any]) -> str:
    """The value of one Table 1 slot as text, with its unit."""
    value = slot.value
    if isinstance(value, XYZ):
        axes = [_g(x) for x in (value.x, value.y, value.z) if x is not None]
        return " × ".join(axes) + (f" {slot.unit}" if slot.unit else "")
    if isinstance(value, list) and value and _one(value[0]) is not None:
        text = "; ".join(_one(v) or "" for v in value)
    else:
        special = _one(value)
        if special is not None:
            text = special
        else:
            plain = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
            if isinstance(plain, list):
                plain = [
                    v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in plain
                ]
            text = format_value(plain)
            if slot.unit and not isinstance(value, BaseModel):
                text += f" {slot.unit}"
    return text


def detail_line(label: str, slot: Value[Any]) -> str:
    """``label: value unit`` on one line."""
    return f"{label}: {detail_text(slot)}".replace("\n", " ")
