"""The Table 1 catalogue, the record models and shared/docs/table1.md agree row for row."""

from __future__ import annotations

import re

import pytest

from clxm_meta.records import DatasetKind, SimRecord, SxtRecord, fields_for
from conftest import SHARED

ROW = re.compile(r"^\| ([a-z_]+\.[a-z_0-9]+) \| (.*?) \| (.*?) \| (.*?) \|$")


def _doc_rows() -> dict[str, list[tuple[str, str, str]]]:
    doc = SHARED / "docs" / "table1.md"
    if not doc.is_file():
        pytest.skip("../shared/docs/table1.md not available")
    section = None
    out: dict[str, list[tuple[str, str, str]]] = {"shared": [], "SIM": [], "SXT": []}
    for line in doc.read_text(encoding="utf-8").splitlines():
        if line.startswith("## Shared"):
            section = "shared"
        elif line.startswith("## Cryo-SIM"):
            section = "SIM"
        elif line.startswith("## Cryo-SXT"):
            section = "SXT"
        elif line.startswith("## "):
            section = None
        m = ROW.match(line)
        if m and section:
            out[section].append((m.group(1), m.group(2), m.group(3).replace(" / ", "/")))
    return out


@pytest.mark.parametrize("kind", [DatasetKind.SIM, DatasetKind.SXT])
def test_catalogue_matches_document(kind: DatasetKind) -> None:
    doc = _doc_rows()
    expected = doc["shared"] + doc[kind.value]
    got = [(f.id, f.label, f.origin) for f in fields_for(kind)]
    assert got == expected


@pytest.mark.parametrize(
    ("kind", "cls"), [(DatasetKind.SIM, SimRecord), (DatasetKind.SXT, SxtRecord)]
)
def test_every_row_has_a_typed_slot(
    kind: DatasetKind, cls: type[SimRecord] | type[SxtRecord]
) -> None:
    record = cls(name="x")
    ids = [f.id for f in fields_for(kind)]
    for field_id in ids:
        assert record.get(field_id) is None
    # and no slot without a row
    slots = {
        f"{section}.{attr}"
        for section, info in cls.model_fields.items()
        if section not in {"name", "files", "findings", "record_kind"}
        for attr in info.annotation.model_fields  # type: ignore[union-attr]
    }
    assert slots == set(ids)


def test_counts() -> None:
    assert len(fields_for("SIM")) == 45
    assert len(fields_for("SXT")) == 42
