"""The minimal xlsx writer: the same bytes openpyxl writes for the same table, read back by readers.

`reference_bytes` is how sim_xlsx built the workbook before issue 21 (openpyxl's object model,
then the zip rewritten with fixed entry times): the writer must give the same bytes for every
kind of cell the SIM spreadsheet can hold, so nothing a reader sees changes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

import pytest

from clxm_meta.export.biostudies.sim_xlsx import FIXED_TIME, _cell_text
from clxm_meta.export.biostudies.xlsx_writer import Sheet, column_letter, workbook_bytes

openpyxl = pytest.importorskip("openpyxl")


def reference_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook as sim_xlsx wrote it through openpyxl (main before issue 21)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="305496")
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, sh in enumerate(sheets):
        if i == 0:
            ws = wb.active
            assert ws is not None
            ws.title = sh.title
        else:
            ws = wb.create_sheet(sh.title)
        ws.append(list(sh.header))
        for cell in ws[1]:
            cell.font = bold
            cell.fill = fill
        for values in sh.rows:
            ws.append(list(values))
        for j, width in enumerate(sh.widths):
            ws.column_dimensions[chr(ord("A") + j)].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    wb.properties.creator = "clxm_meta"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


CELLS: list[Any] = [
    "plain",
    "",
    None,
    0,
    -3,
    157,
    119104,
    10**17 + 3,
    0.1,
    1e-05,
    -2.5e300,
    1 / 3,
    488.0,
    "  leading blanks",
    "trailing blank ",
    "   ",
    "a & b < c > d \"q\" 'a'",
    "=SUM(A1:A3)",
    "=",
    "+1",
    "#N/A",
    "#DIV/0!",
    "line one\nline two\ttab\r\nthree",
    "µm · Å ° — 日本 \U0001f52c",
    "x" * 40000,
    "2023-03-14T10:21:05",
]


def _sheets(rows: list[list[Any]], files: list[list[Any]]) -> list[Sheet]:
    return [
        Sheet("SIM Table 1", ("Section", "Field", "Value"), rows, (18, 44, 60)),
        Sheet("Files", ("Files", "Size (bytes)"), files, (50, 14)),
    ]


def _rows() -> list[list[Any]]:
    return [[f"r{i}", type(v).__name__, _cell_text(v)] for i, v in enumerate(CELLS)]


def test_same_bytes_as_openpyxl_for_every_kind_of_cell() -> None:
    sheets = _sheets(_rows(), [["a/b.dv", 12], ["c & d.log", None]])
    ours = workbook_bytes(sheets, creator="clxm_meta")
    assert ours == reference_bytes(sheets)


@pytest.mark.parametrize(
    ("rows", "files"),
    [([], []), ([["only"]], []), ([], [["x", 1]]), ([["a", "b", "c", "d"]], [["y", 2, "z"]])],
)
def test_same_bytes_for_empty_and_ragged_sheets(
    rows: list[list[Any]], files: list[list[Any]]
) -> None:
    sheets = _sheets(rows, files)
    assert workbook_bytes(sheets, creator="clxm_meta") == reference_bytes(sheets)


def test_openpyxl_reads_every_value_and_style_back() -> None:
    data = workbook_bytes(_sheets(_rows(), [["a/b.dv", 12]]), creator="clxm_meta")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["SIM Table 1", "Files"]
    ws = book["SIM Table 1"]
    assert [c.value for c in ws[1]] == ["Section", "Field", "Value"]
    assert ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("305496")
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:C{len(CELLS) + 1}"
    assert ws.column_dimensions["B"].width == 44
    for i, value in enumerate(CELLS, start=2):
        cell = ws.cell(i, 3)
        assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
        expected = _cell_text(value)
        if isinstance(expected, str):
            expected = expected[:32767].replace("\r\n", "\n") or None
            assert cell.value == expected, (i, value)
        elif expected is None:
            assert cell.value is None
        else:  # a number: a double in the sheet, 16 significant digits (as openpyxl writes)
            assert cell.value == pytest.approx(expected, rel=1e-15), (i, value)
    assert book.properties.creator == "clxm_meta"
    assert book["Files"]["B2"].value == 12


def test_pandas_reads_the_table() -> None:
    pandas = pytest.importorskip("pandas")
    data = workbook_bytes(_sheets(_rows(), [["a/b.dv", 12]]), creator="clxm_meta")
    frame = pandas.read_excel(io.BytesIO(data), sheet_name="SIM Table 1")
    assert list(frame.columns) == ["Section", "Field", "Value"]
    assert len(frame) == len(CELLS)
    assert frame["Value"][CELLS.index("=SUM(A1:A3)")] == "=SUM(A1:A3)"


def test_zip_is_deterministic() -> None:
    data = workbook_bytes(_sheets(_rows(), []), creator="clxm_meta")
    assert data == workbook_bytes(_sheets(_rows(), []), creator="clxm_meta")
    for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)


def test_column_letters() -> None:
    assert [column_letter(i) for i in (1, 7, 26, 27, 52, 703)] == ["A", "G", "Z", "AA", "AZ", "AAA"]


def test_no_sheet_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one sheet"):
        workbook_bytes([], creator="clxm_meta")
