"""Records: typed slots, provenance, precedence and disagreement, the flat row view."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from clxm_meta.normalise import Candidate, Precedence, build_record, values_agree
from clxm_meta.records import DatasetKind, SimRecord, Source, Value, rows
from clxm_meta.records.values import XYZ

SRC_A = Source.file("/data/a.dv", "dv", "header dx,dy,dz (bytes 40-51)")
SRC_B = Source.file("/data/a_SIR.dv", "dv", "header dx,dy,dz (bytes 40-51)")


def test_slot_validates_type() -> None:
    record = SimRecord(name="cell")
    record.set(
        "setup.pixel_size", Value[XYZ](value=XYZ(x=0.08, y=0.08, z=0.125), unit="µm", source=SRC_A)
    )
    slot = record.get("setup.pixel_size")
    assert slot is not None
    assert slot.value.x == 0.08
    with pytest.raises(ValidationError):
        record.set("acquisition.n_focal_planes", Value(value="many", source=SRC_A))  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        record.get("setup.energy")  # an SXT row


def test_precedence_and_disagreement() -> None:
    cands = [
        Candidate(
            field="acquisition.n_focal_planes",
            kind=DatasetKind.SIM,
            value=9,
            source=SRC_B,
            precedence=Precedence.PROCESSED_HEADER,
        ),
        Candidate(
            field="acquisition.n_focal_planes",
            kind=DatasetKind.SIM,
            value=10,
            source=SRC_A,
            precedence=Precedence.HEADER,
        ),
        Candidate(field="raw.format", kind=DatasetKind.SIM, value="dv", source=SRC_A),
        Candidate(
            field="setup.energy", kind=DatasetKind.SXT, value={"value_ev": 500}, source=SRC_A
        ),
    ]
    record = build_record("SIM", cands, name="cell")
    slot = record.get("acquisition.n_focal_planes")
    assert slot is not None and slot.value == 10 and slot.source == SRC_A
    codes = [f.code for f in record.findings]
    assert codes == ["normalise.disagreement"]
    assert "a_SIR.dv" in record.findings[0].message


def test_bad_value_is_a_finding_not_a_crash() -> None:
    cands = [
        Candidate(field="acquisition.n_focal_planes", kind=DatasetKind.SIM, value="x", source=SRC_A)
    ]
    record = build_record("SIM", cands, name="cell")
    assert record.get("acquisition.n_focal_planes") is None
    assert [f.code for f in record.findings] == ["normalise.bad_value"]


def test_a_chosen_value_is_validated_into_its_rows_type() -> None:
    """A candidate's JSON-like value (as a sidecar gives it) becomes the row's type on the record."""
    cands = [
        Candidate(
            field="setup.pixel_size",
            kind=DatasetKind.SIM,
            value={"x": 1, "y": "0.5"},  # JSON-like, as a sidecar gives it
            unit="µm",
            source=SRC_A,
        ),
        Candidate(field="acquisition.n_focal_planes", kind=DatasetKind.SIM, value=7, source=SRC_A),
    ]
    record = build_record("SIM", cands, name="cell")
    slot = record.get("setup.pixel_size")
    assert slot is not None and type(slot) is Value[XYZ]
    assert slot.value == XYZ(x=1.0, y=0.5) and type(slot.value.x) is float
    assert (slot.unit, slot.source) == ("µm", SRC_A)
    planes = record.get("acquisition.n_focal_planes")
    assert planes == Value[int](value=7, source=SRC_A)
    assert record.findings == []


def test_each_record_has_its_own_sections() -> None:
    """Sections come from a factory per record (not a deep copy of shared defaults): never shared."""
    a, b = SimRecord(name="a"), SimRecord(name="b")
    assert a.setup is not b.setup and a.general is not b.general
    a.set("raw.format", Value[str](value="dv", source=SRC_A))
    assert b.get("raw.format") is None
    assert a.model_fields_set == b.model_fields_set == {"name"}
    assert SimRecord(name="c").model_dump() == SimRecord.model_validate({"name": "c"}).model_dump()
    with pytest.raises(KeyError):
        a.get("setup.no_such_row")
    with pytest.raises(KeyError):
        a.get("name.x")


def test_values_agree_tolerance() -> None:
    assert values_agree(0.08, 0.080001)
    assert not values_agree(0.08, 0.09)
    assert values_agree({"x": 1.0, "y": None}, {"x": 1.0, "y": 2.0})
    assert not values_agree([1, 2], [1, 2, 3])
    assert not values_agree(True, 1)


def test_rows_shape_and_order() -> None:
    record = SimRecord(name="cell")
    record.set("raw.format", Value[str](value="dv", source=SRC_A))
    table = rows(record)
    assert [r.id for r in table][:2] == ["general.title", "general.collection_date"]
    fmt = next(r for r in table if r.id == "raw.format")
    dumped = fmt.model_dump(mode="json")
    assert list(dumped)[:6] == ["id", "label", "value", "unit", "source", "origin"]
    assert dumped["value"] == "dv"
    assert dumped["source"]["locator"] == "header dx,dy,dz (bytes 40-51)"
    unknown = next(r for r in table if r.id == "setup.pixel_size")
    assert unknown.value is None and unknown.source is None and unknown.unit == "µm"
    assert [r.id for r in rows(record, filled_only=True)] == ["raw.format"]
    json.dumps([r.model_dump(mode="json") for r in table])


def test_text_table_does_not_repeat_a_value_unit() -> None:
    from clxm_meta.export.table import rows_to_text
    from clxm_meta.records import SxtRecord
    from clxm_meta.records.values import ResidualError

    record = SxtRecord(name="ts")
    record.set(
        "processing.residual_error",
        Value[ResidualError](
            value=ResidualError(mean=0.36, sd=0.457, unit="nm"), unit="nm", source=SRC_A
        ),
    )
    text = rows_to_text(rows(record, filled_only=True))
    assert "mean=0.36 sd=0.457 unit=nm " in text
    assert "unit=nm nm" not in text
