"""docs/biostudies.md states the REMBI and OME mappings exactly as the code has them."""

from __future__ import annotations

import re

from clxm_meta.export.biostudies.rembi import REMBI_MAPPING
from clxm_meta.export.ome.build import OME_MAPPING
from conftest import ROOT

DOC = (ROOT / "docs" / "biostudies.md").read_text(encoding="utf-8")


def _rows(n_cells: int) -> dict[str, list[str]]:
    out = {}
    for line in DOC.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        m = re.fullmatch(r"`([a-z_]+\.[a-z_0-9]+)`", cells[0]) if cells else None
        if m and len(cells) == n_cells:
            out[m.group(1)] = cells[1:]
    return out


def test_rembi_table_matches_code() -> None:
    doc = _rows(5)
    assert set(doc) == set(REMBI_MAPPING)
    for fid, target in REMBI_MAPPING.items():
        assert doc[fid][1:] == [target.module, target.section, target.attribute], fid


def test_ome_table_matches_code() -> None:
    doc = _rows(2)
    assert doc == {k: [v] for k, v in OME_MAPPING.items()}
