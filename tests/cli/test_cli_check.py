"""`clxm-meta check`, `clxm-meta table1 DIR` and the manifest option; inputs stay untouched."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from clxm_meta.cli import main
from conftest import snapshot


def test_check_example_text(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(tree)
    assert main(["check", str(tree)]) == 0
    out = capsys.readouterr().out
    assert "pair: sample1/SIM/cell1 (SIM) <-> sample1/SXT/ts1 (SXT)" in out
    assert "SIM dataset sample1/SIM/cell1:" in out and "SXT dataset sample1/SXT/ts1:" in out
    assert any(
        line.split() == ["general.publication_doi", "you", "supply", "in", "clxm.yaml"]
        for line in out.splitlines()
    )
    assert "0 error(s), 1 warning(s)" in out and "lint.sim_first" in out
    assert snapshot(tree) == before


def test_check_json_and_manifest(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(tree)
    manifest = tmp_path / "md5.txt"
    assert main(["check", str(tree), "--format", "json", "--manifest", str(manifest)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["name"] for d in data["datasets"]] == ["sample1/SIM/cell1", "sample1/SXT/ts1"]
    assert data["pairs"][0]["sim"] == "sample1/SIM/cell1"
    assert {c["kind"] for c in data["completeness"]} == {"SIM", "SXT"}
    assert any(f["code"] == "lint.sim_first" for f in data["findings"])
    lines = manifest.read_text().splitlines()
    listed = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in lines}
    expected = {str(p.relative_to(tree)) for p in tree.rglob("*") if p.is_file()} - {"clxm.yaml"}
    assert set(listed) == expected
    for rel, md5 in listed.items():
        assert md5 == hashlib.md5((tree / rel).read_bytes()).hexdigest()
    # never overwrite without --force
    assert main(["check", str(tree), "--manifest", str(manifest)]) == 2
    assert main(["check", str(tree), "--manifest", str(manifest), "--force"]) == 0
    assert snapshot(tree) == before


def test_check_error_exit_1(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "sample1" / "bad|name.txt").write_text("x")
    assert main(["check", str(tree)]) == 1
    assert "lint.bad_characters" in capsys.readouterr().out


def test_check_bad_input_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "missing")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_table1_on_a_folder(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(tree)
    assert main(["table1", str(tree), "--format", "json", "--filled"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert {(r["dataset"], r["kind"]) for r in rows} == {
        ("sample1/SIM/cell1", "SIM"),
        ("sample1/SXT/ts1", "SXT"),
    }
    title = next(r for r in rows if r["id"] == "general.title" and r["kind"] == "SXT")
    assert title["source"]["kind"] == "sidecar"
    assert main(["table1", str(tree)]) == 0
    text = capsys.readouterr().out
    assert "SIM dataset 'sample1/SIM/cell1'" in text and "SXT dataset 'sample1/SXT/ts1'" in text
    assert snapshot(tree) == before


def test_sidecar_command_leaves_tree_untouched(tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    assert main(["sidecar", str(tree), "-o", str(tmp_path / "new.yaml")]) == 0
    assert snapshot(tree) == before
