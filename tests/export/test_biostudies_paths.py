"""File-list paths BioStudies accepts: ``FileSourcesList.kt``'s pattern, in check and deposit."""

from __future__ import annotations

from pathlib import Path

import pytest

from clxm_meta.cli import main
from clxm_meta.export.biostudies.filelist import bad_path_findings, path_problem
from conftest import snapshot

NAME = "sample1,pos=2+3"


@pytest.mark.parametrize(
    "path",
    ["sample1/SIM/cell1.dv", "a b/c-d_e(1).dv", "x/it's!*.tif", "A.B/c.MRC"],
)
def test_accepted(path: str) -> None:
    assert path_problem(path) is None


@pytest.mark.parametrize(
    ("path", "chars"),
    [
        ("sample1,pos=2+3/cell1.dv", "'+' ',' '='"),
        ("a@b/c.dv", "'@'"),
        ("a~b.dv", "'~'"),
        ("a[1].dv", "'[' ']'"),
        ("a&b.dv", "'&'"),
        ("zellé.dv", "'é'"),
        ("a#b%c.dv", "'#' '%'"),
    ],
)
def test_refused_characters_are_named(path: str, chars: str) -> None:
    why = path_problem(path)
    assert why is not None and why.endswith(chars)
    [f] = bad_path_findings([path], "d")
    assert f.code == "biostudies.bad_path" and f.path == path and f.severity.value == "error"


@pytest.mark.parametrize("path", ["./a.dv", "a/../b.dv", "a/"])
def test_refused_shapes(path: str) -> None:
    assert path_problem(path) is not None


@pytest.fixture
def odd_tree(tree: Path) -> Path:
    (tree / "sample1").rename(tree / NAME)
    side = tree / "clxm.yaml"
    side.write_text(side.read_text().replace("sample1", NAME))
    return tree


def test_check_reports_each_file(odd_tree: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["check", str(odd_tree)]) == 1
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if "biostudies.bad_path" in ln]
    assert any(f"{NAME}/SIM/cell1.dv" in ln for ln in lines)
    assert any(f"{NAME}/SIM/cell1_SIR.dv" in ln for ln in lines)
    assert all("'+' ',' '='" in ln for ln in lines)


def test_deposit_refuses_naming_the_files(odd_tree: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(odd_tree)
    out = tmp_path / "out"
    assert main(["deposit", str(odd_tree), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "refused: BioStudies would not accept" in err
    assert f"{NAME}/SIM/cell1.dv" in err and "rename" in err
    assert not out.exists()
    assert snapshot(odd_tree) == before
