"""``sidecar --ask``: prompts for the required values still missing, and only those."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from clxm_meta.cli import main
from clxm_meta.cli.ask import missing_keys
from conftest import bare


def test_ask_prompts_only_for_missing_required_values_and_writes_them(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare(tree)
    prompts: list[str] = []
    answers = {
        "[release_instruction]": "hold",
        "[biostudies.license]": "cc by 4.0",
        "[biostudies.release_date]": ["31/01/2027", "2027-01-31"],  # the first is refused
        "[biostudies.keywords]": "cryo-SIM, soft X-ray tomography",
        "which person?": "1",
        "[datasets.sample1/SXT/ts1.general.title]": "Cryo-SXT of synthetic cell 1",
    }

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        for key, answer in answers.items():
            if key in prompt:
                if isinstance(answer, list):
                    return answer.pop(0)
                return answer
        return ""  # skip the rest

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", ask)
    out = tmp_path / "clxm.yaml"
    assert main(["-q", "sidecar", str(tree), "--ask", "-o", str(out)]) == 0
    data = yaml.safe_load(out.read_text())
    assert data["release_instruction"] == "HOLD"
    assert data["biostudies"]["license"] == "CC BY 4.0"
    assert data["biostudies"]["release_date"] == "2027-01-31"
    assert data["biostudies"]["keywords"] == ["cryo-SIM", "soft X-ray tomography"]
    assert data["all"]["general.people"][0]["corresponding_author"] is True
    assert data["datasets"]["sample1/SXT/ts1"]["general.title"] == "Cryo-SXT of synthetic cell 1"
    # only the missing: the SIM title and the people are in the sidecar, so never asked
    assert not [p for p in prompts if "sample1/SIM/cell1.general.title" in p]
    assert sum("[biostudies.release_date]" in p for p in prompts) == 2
    # what was skipped is still missing, the answers no longer are
    left = {k for k, _ in missing_keys(str(tree), out.read_text(), None)}
    assert "biostudies.description" in left and "biostudies.license" not in left
    assert "release_instruction" not in left


def test_ask_needs_a_terminal(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sidecar", str(tree), "--ask"]) == 2
    assert "--ask needs a terminal" in capsys.readouterr().err
