"""The SIM spreadsheet: every SIM Table 1 value present, layout, reproducible bytes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

import clxm_meta
from clxm_meta.export.biostudies.describe import describe
from clxm_meta.export.biostudies.sim_xlsx import HEADER, SECTIONS, sim_workbook
from clxm_meta.records.scan import ScanResult
from conftest import EXAMPLE, bare

openpyxl = pytest.importorskip("openpyxl")

SIM = "sample1/SIM/cell1"


@pytest.fixture(scope="module")
def example() -> ScanResult:
    return clxm_meta.scan(EXAMPLE)


@pytest.fixture(scope="module")
def book(example: ScanResult) -> Any:
    data = sim_workbook(example, SIM, md5={"sample1/SIM/cell1.dv": "f" * 32}).document
    return openpyxl.load_workbook(io.BytesIO(data))


def test_sheets_header_and_freeze(book: Any) -> None:
    assert book.sheetnames == ["SIM Table 1", "Files"]
    ws = book["SIM Table 1"]
    assert tuple(c.value for c in ws[1]) == HEADER
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    assert ws.column_dimensions["E"].width >= 40
    files = book["Files"]
    assert files.freeze_panes == "A2"
    assert files["A1"].value == "Files"


def test_sections_in_protocol_order(book: Any) -> None:
    ws = book["SIM Table 1"]
    seen: list[str] = []
    for (section,) in ws.iter_rows(min_row=2, max_col=1, values_only=True):
        if not seen or seen[-1] != section:
            seen.append(section)
    assert seen == [title for _, title in SECTIONS]


def test_every_sim_value_is_in_the_sheet(example: ScanResult, book: Any) -> None:
    ws = book["SIM Table 1"]
    cells = {}
    for fid, item, value, unit in ws.iter_rows(min_row=2, min_col=3, max_col=6, values_only=True):
        cells[(fid, item or "")] = (value, unit or "")
    for row in clxm_meta.rows(example.record(SIM)):
        items = describe(row.id, row.value, row.unit)
        if not items:
            assert cells[(row.id, "")][0] is None
            continue
        for item, text, unit in items:
            value, cell_unit = cells[(row.id, item)]
            assert str(value) == text or value == row.value, (row.id, item, value, text)
            assert cell_unit == unit


def test_per_channel_values_expanded(book: Any) -> None:
    ws = book["SIM Table 1"]
    items = [
        (r[0], r[1])
        for r in ws.iter_rows(min_row=2, min_col=3, max_col=4, values_only=True)
        if r[0] in ("acquisition.channels", "processing.per_channel")
    ]
    assert ("acquisition.channels", "channel 0") in items
    assert ("acquisition.channels", "channel 1") in items
    per_channel = [item for fid, item in items if fid == "processing.per_channel"]
    assert sum(1 for item in per_channel if "direction" in item) == 6  # 2 waves × 3 dirs
    assert sum(1 for item in per_channel if item.endswith("settings")) == 2  # wiener, zoom


def test_numbers_stay_numbers(book: Any) -> None:
    ws = book["SIM Table 1"]
    values = {
        (r[0], r[1] or ""): r[2]
        for r in ws.iter_rows(min_row=2, min_col=3, max_col=5, values_only=True)
    }
    assert values[("acquisition.n_focal_planes", "")] == 3
    assert values[("setup.lasers", "channel 0")] == 488


def test_missing_rows_say_who(tree: Path) -> None:
    bare(tree)
    example = clxm_meta.scan(tree)
    book = openpyxl.load_workbook(io.BytesIO(sim_workbook(example, SIM).document))
    ws = book["SIM Table 1"]
    sources = {r[0]: r[4] for r in ws.iter_rows(min_row=2, min_col=3, max_col=7, values_only=True)}
    assert sources["setup.objective"].startswith("missing: facility to supply")
    assert sources["processed.resolution"].startswith("missing")
    assert "sidecar key datasets.sample1/SIM/cell1.setup.objective" in sources["setup.objective"]
    missing = sim_workbook(example, SIM).missing
    keys = {m.key for m in missing}
    assert "setup.objective" in keys
    assert "acquisition.mosaic" not in keys  # optional rows are not required
    assert "related.accessions" not in keys  # the SIM study is deposited first


def test_files_sheet_has_md5(book: Any) -> None:
    rows = list(book["Files"].iter_rows(min_row=2, values_only=True))
    by_path = {r[0]: r for r in rows}
    assert by_path["sample1/SIM/cell1.dv"][4] == "f" * 32
    assert by_path["sample1/SIM/cell1.dv"][1] == (EXAMPLE / "sample1/SIM/cell1.dv").stat().st_size


def test_bytes_are_reproducible(example: ScanResult) -> None:
    a = sim_workbook(example, SIM).document
    b = sim_workbook(clxm_meta.scan(EXAMPLE), SIM).document
    assert a == b
    assert a[:2] == b"PK"


def test_not_a_sim_dataset(example: ScanResult) -> None:
    with pytest.raises(ValueError, match="not SIM"):
        sim_workbook(example, "sample1/SXT/ts1")


def test_text_is_never_a_formula(tree: Path) -> None:
    sidecar = tree / "clxm.yaml"
    sidecar.write_text(
        sidecar.read_text().replace(
            "general.title: Example cryo-SIM of synthetic cell 1", "general.title: '=1+1'"
        )
    )
    result = clxm_meta.scan(tree)
    assert result.record(SIM).general.title.value == "=1+1"
    book = openpyxl.load_workbook(io.BytesIO(sim_workbook(result, SIM).document))
    [cell] = [
        row[4]
        for row in book["SIM Table 1"].iter_rows(min_row=2)
        if row[2].value == "general.title"
    ]
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_file_list_given_by_the_caller_is_the_same_workbook(example: ScanResult) -> None:
    """Issue 21 (fifth round): the deposit passes the file list it made for files.tsv."""
    from clxm_meta.export.biostudies.filelist import build_file_list

    md5 = {"sample1/SIM/cell1.dv": "f" * 32}
    files = build_file_list(example, SIM, md5=md5)
    given = sim_workbook(example, SIM, md5=md5, files=files)
    made = sim_workbook(example, SIM, md5=md5)
    assert given.document == made.document
    assert given.missing == made.missing
