"""table1 --format tsv: no cell opens as a spreadsheet formula (issue 23)."""

from __future__ import annotations

import pytest

from clxm_meta.export.table import neutralise_cell, rows_to_tsv
from clxm_meta.records.rows import Row


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-0.5", "-0.5"),
        ("+1e3", "+1e3"),
        ("", ""),
        ("a\tb\nc\rd\x85e\u2028f", "a b c d e f"),
        ("plain", "plain"),
    ],
)
def test_neutralise_cell(cell: str, safe: str) -> None:
    assert neutralise_cell(cell) == safe


def test_rows_to_tsv_neutralises_every_cell() -> None:
    fields = Row.model_fields
    base = dict.fromkeys(fields)
    base.update(
        dataset="=1+1",
        kind="SXT",
        id="general.title",
        label="@label",
        value="x",
        unit="-u",
        origin="+o",
    )
    row = Row.model_construct(**base)
    text = rows_to_tsv([row])
    lines = text.splitlines()
    assert len(lines) == 2
    cells = lines[1].split("\t")
    assert len(cells) == 8
    assert not any(c[:1] in "=+-@" for c in cells if c)
