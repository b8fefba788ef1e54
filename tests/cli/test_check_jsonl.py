"""``check --format jsonl`` and ``check --jobs N``: a record per line, streamed per unit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clxm_meta.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "deposition"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["check", *argv])
    return code, capsys.readouterr().out


@pytest.fixture
def three(tmp_path: Path) -> Path:
    root = tmp_path / "deposition"
    shutil.copytree(SAMPLE, root)
    for name in ("sample2", "sample3"):
        shutil.copytree(SAMPLE / "sample1", root / name)
    return root


def _keys(findings: list[dict[str, object]]) -> set[str]:
    return {json.dumps(f, sort_keys=True) for f in findings}


def test_jsonl_has_a_line_per_dataset_then_the_tree_and_a_summary(
    three: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(capsys, str(three), "--format", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    kinds = [line["record"] for line in lines]
    assert kinds.count("dataset") == 6
    assert kinds[-2:] == ["tree", "summary"]
    assert set(kinds) <= {"dataset", "unit", "tree", "summary"}
    summary = lines[-1]
    assert summary["datasets"] == 6 and summary["exit_code"] == code
    datasets = {x["dataset"]: x for x in lines if x["record"] == "dataset"}
    d = datasets["sample2/SIM/cell1"]
    assert d["kind"] == "SIM" and d["sample"] == "sample2"
    assert d["completeness"]["dataset"] == "sample2/SIM/cell1"
    assert len(lines[-2]["pairs"]) == 3  # one per sample


def test_jsonl_holds_the_same_completeness_and_findings_as_json(
    three: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code_json, out = _run(capsys, str(three), "--format", "json")
    whole = json.loads(out)
    code_l, out_l = _run(capsys, str(three), "--format", "jsonl")
    lines = [json.loads(line) for line in out_l.splitlines()]
    assert code_l == code_json
    comp = {x["dataset"]: x["completeness"] for x in lines if x["record"] == "dataset"}
    assert comp == {c["dataset"]: c for c in whole["completeness"]}
    streamed = set().union(*(_keys(x.get("findings", [])) for x in lines))
    assert streamed == _keys(whole["findings"])
    tree = lines[-2]
    assert tree["samples"] == whole["samples"] and tree["pairs"] == whole["pairs"]


def test_jobs_gives_the_same_report(three: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = _run(capsys, str(three), "--format", "json")
    two = _run(capsys, str(three), "--format", "json", "--jobs", "2")
    assert one == two
    one_l = _run(capsys, str(three), "--format", "jsonl")
    two_l = _run(capsys, str(three), "--format", "jsonl", "-j", "2")
    assert one_l == two_l


def test_jobs_must_be_a_positive_number(three: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", str(three), "--jobs", "0"])
    assert exc.value.code == 2
    assert "--jobs" in capsys.readouterr().err


def test_jsonl_on_a_tree_without_datasets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(capsys, str(tmp_path), "--format", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [x["record"] for x in lines] == ["tree", "summary"]
    assert code == lines[-1]["exit_code"] == 3
