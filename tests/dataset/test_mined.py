"""Values mined from where the files are: the Diamond visit folder gives the funding row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.dataset.mined import visit_in_path
from clxm_meta.records.provenance import SourceKind


@pytest.mark.parametrize(
    ("path", "visit"),
    [
        ("/dls/b24/data/2026/cm31234-5/processing/deposition", "cm31234-5"),
        ("/dls/b24/data/2026/bi27612-3", "bi27612-3"),
        ("/data/mg28473-12/sample1/SIM", "mg28473-12"),
        ("/data/cm3123-5/x", None),  # four digits: not a visit
        ("/data/CM31234-5/x", None),  # Diamond visits are lower case
        ("/data/cm31234-5-old/x", None),  # the whole folder name must be the visit
    ],
)
def test_visit_in_path(path: str, visit: str | None) -> None:
    hit = visit_in_path(path)
    assert (hit[0] if hit else None) == visit


def test_visit_folder_fills_funding_as_a_stated_assumption(tree: Path, tmp_path: Path) -> None:
    root = tmp_path / "cm31234-5" / "deposition"
    shutil.copytree(tree, root)
    (root / "clxm.yaml").write_text("version: 1\n")
    rec = clxm_meta.scan(root).record("sample1/SXT/ts1")
    funding = rec.general.funding
    assert funding is not None
    assert funding.value[0].grant_id == "cm31234-5"
    assert funding.value[0].agency == "Diamond Light Source"
    assert funding.source.kind is SourceKind.ASSUMPTION
    assert funding.source.path == str(tmp_path / "cm31234-5")
    assert "proposal cm31234 (visit 5)" in str(funding.source.transform)
    # the depositor's funding replaces it (and the override is reported)
    (root / "clxm.yaml").write_text(
        "all:\n  general.funding: [{agency: Wellcome Trust, grant_id: 212345/Z/18/Z}]\n"
    )
    res = clxm_meta.scan(root)
    row = res.record("sample1/SXT/ts1").general.funding
    assert row is not None and row.value[0].agency == "Wellcome Trust"
    assert any(
        f.code == "sidecar.override" and "cm31234-5" in f.message for f in res.all_findings()
    )


def test_no_visit_no_funding(tree: Path) -> None:
    (tree / "clxm.yaml").write_text("version: 1\n")
    assert clxm_meta.scan(tree).record("sample1/SXT/ts1").general.funding is None
