"""Hostile text in records and sidecar values never breaks the light-side exports."""

from __future__ import annotations

import io
import json

import pytest
from biostudies_tsv import read_blocks
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clxm_meta
from clxm_meta.export.biostudies.filelist import build_file_list, file_list_json, file_list_tsv
from clxm_meta.export.biostudies.pagetab import build_pagetab, pagetab_json, pagetab_tsv
from clxm_meta.export.biostudies.pagetab_model import PageTabTsvError, clean_text
from clxm_meta.export.biostudies.sim_xlsx import sim_workbook
from clxm_meta.records.provenance import Source, SourceKind
from clxm_meta.records.scan import ScanResult
from clxm_meta.records.value import Value
from clxm_meta.records.values import Person, Software
from conftest import EXAMPLE

openpyxl = pytest.importorskip("openpyxl")

SIM = "sample1/SIM/cell1"
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40
).filter(lambda s: s.strip())
SRC = Source(kind=SourceKind.SIDECAR, path="clxm.yaml", locator="test")


@pytest.fixture(scope="module")
def base() -> ScanResult:
    return clxm_meta.scan(EXAMPLE)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=TEXT, sample=TEXT, software=TEXT, person=TEXT, affiliation=TEXT)
def test_hostile_text(
    base: ScanResult, title: str, sample: str, software: str, person: str, affiliation: str
) -> None:
    result = base.model_copy(deep=True)
    rec = result.record(SIM)
    rec.set("general.title", Value[str](value=title, source=SRC))
    rec.set("sample.sample_id", Value[str](value=sample, source=SRC))
    rec.set("processing.software", Value[Software](value=Software(name=software), source=SRC))
    rec.set(
        "general.people",
        Value[list[Person]](value=[Person(name=person, affiliation=affiliation)], source=SRC),
    )
    doc = build_pagetab(result, SIM, sxt="sample1/SXT/ts1").document
    json.dumps(pagetab_json(doc))
    try:
        text = pagetab_tsv(doc)
    except PageTabTsvError as exc:  # a value BioStudies' TSV reader cannot carry: said so
        assert "JSON form" in str(exc)
        text = None
    if text is not None:
        blocks = read_blocks(text)  # as BioStudies reads it
        assert blocks[0][0] == ["Submission"]
        header = dict(blocks[0][1])
        assert (header["Title"] or "") == clean_text(title)  # survives the TSV round trip
        assert "\x00" not in text
    book = openpyxl.load_workbook(io.BytesIO(sim_workbook(result, SIM).document))
    assert book.sheetnames == ["SIM Table 1", "Files"]
    entries = build_file_list(result, SIM)
    assert file_list_tsv(entries).count("\n") == len(entries) + 1
    file_list_json(entries)
