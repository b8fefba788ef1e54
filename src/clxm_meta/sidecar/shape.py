"""The shape of each Table 1 row's value: what the template writes, what an error message says.

A row's value type is the type of its slot in the record (`clxm_meta.records.models`): text, a
number, a list, or one of the composite models of `clxm_meta.records.values` (``Objective``,
``XYZ``, ``Person`` …). From it come the template's placeholder (every key with ``null``, units in
comments), the words "a mapping {manufacturer: text, na: number, …}" and an example value.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import yaml
from pydantic import BaseModel

from clxm_meta.records.fields import DatasetKind, field_spec
from clxm_meta.records.models import record_class

__all__ = [
    "EXAMPLES",
    "UNIT_SUFFIXES",
    "describe",
    "example",
    "expected",
    "key_unit",
    "skeleton",
    "slot_type",
]

UNIT_SUFFIXES = {
    "_per_um": "1/µm",
    "_percent": "%",
    "_bytes": "bytes",
    "_um": "µm",
    "_nm": "nm",
    "_mm": "mm",
    "_s": "s",
    "_deg": "°",
    "_rad": "rad",
    "_ev": "eV",
    "_mw": "mW",
    "_c": "°C",
}
"""Attribute-name suffixes of the composite values and the unit each stands for."""

EXAMPLES: dict[str, Any] = {
    "general.title": "Cryo-SXT of U2OS cell 1",
    "general.facility": "Diamond Light Source, beamline B24",
    "general.instrument": "Zeiss UltraXRM-S220c cryo-TXM",
    "setup.detector": "Andor iXon Ultra 888 EMCCD",
    "setup.zone_plate": "25 nm outermost zone width",
    "acquisition.radiation_damage": "none visible at 500 eV, 1 s per image",
    "raw.type": "referenced (flat-field divided)",
    "processed.resolution": 0.12,
    "general.people": [
        {
            "name": "Josiah Carberry",
            "first_name": "Josiah",
            "last_name": "Carberry",
            "affiliation": "Example University",
            "orcid": "0000-0002-1825-0097",
            "email": "j.carberry@example.org",
            "country": "GB",
            "corresponding_author": True,
            "principal_investigator": True,
        }
    ],
    "general.funding": [{"agency": "Wellcome Trust", "grant_id": "212345/Z/18/Z"}],
    "general.publication_doi": "10.1016/j.cell.2020.05.051",
    "sample.sample_id": "U2OS (ATCC HTB-96)",
    "sample.fiducials": "none: correlated on cell features",
    "sample.carrier": "3 mm gold finder grid, holey carbon",
    "sample.fluorophores": ["Alexa Fluor 488 (antibody)", "MitoTracker Red (live stain)"],
    "related.accessions": ["S-BIAD19"],
    "correlation.transform": [
        {
            "matrix": [[1.0, 0.0, 0.0, 12.5], [0.0, 1.0, 0.0, -3.2], [0.0, 0.0, 1.0, 0.8]],
            "description": "SIM to SXT, eC-CLEM landmarks",
            "source_space": "SIM (µm)",
            "target_space": "SXT (µm)",
        }
    ],
    "setup.objective": {
        "manufacturer": "Nikon",
        "magnification": 100,
        "na": 0.9,
        "immersion": "air",
    },
    "setup.field_of_view": {"x": 40.96, "y": 40.96},
    "setup.pixel_size": {"x": 0.0795, "y": 0.0795, "z": 0.125},
    "setup.magnification": {"xray": 1000},
    "acquisition.detector_settings": {"binning": "1x1", "gain": 100, "temperature_c": -80},
    "acquisition.linewidth_per_k0": [
        {"channel": "488", "wavelength_nm": 525, "direction": 0, "spacing_um": 0.451}
    ],
    "acquisition.tilt_range": {"start_deg": -60, "end_deg": 60},
    "acquisition.tilt_step": {"step_deg": 1.0},
    "acquisition.overlaps": {"rows": 1, "columns": 1},
    "acquisition.attenuation": [0.5, 1.0],
    "raw.dimensions": {"x": 1024, "y": 1024, "x_um": 15.6, "y_um": 15.6},
}
"""A filled example per row, where the type alone would make a poor one."""


def slot_type(kind: DatasetKind | str, field_id: str) -> Any:
    """The value type of Table 1 row ``field_id`` of a ``kind`` record (``Objective``, ``str`` …)."""
    field_spec(kind, field_id)  # KeyError for an unknown row
    section, _, attr = field_id.partition(".")
    holder = record_class(kind).model_fields[section].annotation
    assert isinstance(holder, type) and issubclass(holder, BaseModel)
    ann = holder.model_fields[attr].annotation
    value_cls = next(a for a in typing.get_args(ann) if a is not type(None))
    return value_cls.__pydantic_generic_metadata__["args"][0]


def _strip_none(tp: Any) -> Any:
    args = typing.get_args(tp)
    if (typing.get_origin(tp) in (typing.Union, types.UnionType)) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else tp
    return tp


def _word(tp: Any) -> str:
    tp = _strip_none(tp)
    if tp is str:
        return "text"
    if tp is bool:
        return "true/false"
    if tp is int:
        return "integer"
    if tp is float:
        return "number"
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_word(a) for a in typing.get_args(tp) if a is not type(None))
    if origin is list:
        return f"list of {_word(typing.get_args(tp)[0])}"
    if origin is dict:
        return "mapping"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "{" + ", ".join(tp.model_fields) + "}"
    return str(tp)


def describe(tp: Any) -> str:
    """Plain words for a value type, e.g. ``a mapping {x: number, y: number, z: number}``."""
    tp = _strip_none(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        keys = ", ".join(
            f"{k}: {_word(f.annotation)}{_unit_word(k)}" for k, f in tp.model_fields.items()
        )
        return f"a mapping {{{keys}}}"
    if typing.get_origin(tp) is list:
        inner = _strip_none(typing.get_args(tp)[0])
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return f"a list of mappings {describe(inner)[len('a mapping ') :]}"
        return f"a list of {_word(inner)}s" if _word(inner) in ("text", "number") else _word(tp)
    return _word(tp)


def _unit_word(key: str) -> str:
    unit = key_unit(key)
    return f" ({unit})" if unit else ""


def key_unit(key: str) -> str | None:
    """The unit an attribute name carries in its suffix (``working_distance_mm`` → ``mm``)."""
    for suffix, unit in UNIT_SUFFIXES.items():
        if key.endswith(suffix):
            return unit
    return None


def skeleton(tp: Any) -> Any:
    """The template's placeholder for a value type: every key ``None``, a list of one such item."""
    tp = _strip_none(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return {
            k: None
            for k, f in tp.model_fields.items()
            if typing.get_origin(_strip_none(f.annotation)) is not dict
        }
    if typing.get_origin(tp) is list:
        inner = _strip_none(typing.get_args(tp)[0])
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return [skeleton(inner)]
        return []
    return None


def example(kind: DatasetKind | str, field_id: str) -> Any:
    """An example value of a row (hand-written where it helps, else built from the type)."""
    if field_id in EXAMPLES and _fits(kind, field_id, EXAMPLES[field_id]):
        return EXAMPLES[field_id]
    return _auto_example(slot_type(kind, field_id))


def _fits(kind: DatasetKind | str, field_id: str, value: Any) -> bool:
    from pydantic import ValidationError

    from clxm_meta.records.provenance import Source, SourceKind
    from clxm_meta.records.value import Value

    try:
        record_class(kind)(name="example").set(
            field_id, Value[Any](value=value, source=Source(kind=SourceKind.SIDECAR))
        )
    except ValidationError:
        return False
    return True


def _auto_example(tp: Any) -> Any:
    tp = _strip_none(tp)
    if tp is str:
        return "..."
    if tp is int:
        return 1
    if tp is float:
        return 1.0
    if tp is bool:
        return True
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        out: dict[str, Any] = {}
        for k, f in tp.model_fields.items():
            if f.is_required() or len(out) < 2:
                v = _auto_example(f.annotation)
                if v is not None:
                    out[k] = v
        return out
    origin = typing.get_origin(tp)
    if origin is list:
        return [_auto_example(typing.get_args(tp)[0])]
    if origin in (typing.Union, types.UnionType):
        return _auto_example(typing.get_args(tp)[0])
    return None


def expected(kind: DatasetKind | str, field_id: str) -> str:
    """``expected <shape>, e.g. <example>`` for a row, one line of YAML flow style."""
    ex = yaml.safe_dump(
        example(kind, field_id),
        default_flow_style=True,
        allow_unicode=True,
        width=10_000,
        sort_keys=False,
    ).strip()
    if ex.endswith("\n...") or ex.endswith(" ..."):
        ex = ex.rsplit("...", 1)[0].strip()
    return f"expected {describe(slot_type(kind, field_id))}, e.g. {ex}"
