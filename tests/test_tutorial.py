"""docs/tutorial.md works as written: every command of its bash blocks runs, in order, with the exit
code the page gives (``# exit N`` after a command, else 0), and ends with the archive documents."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest

from clxm_meta.cli import COMMANDS, main
from conftest import EXAMPLE, ROOT, snapshot

TUTORIAL = ROOT / "docs" / "tutorial.md"


def _commands() -> list[tuple[list[str], int]]:
    text = TUTORIAL.read_text(encoding="utf-8")
    out: list[tuple[list[str], int]] = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            if not line.strip():
                continue
            code, _, comment = line.partition("#")
            match = re.search(r"exit (\d+)", comment)
            out.append((shlex.split(code), int(match.group(1)) if match else 0))
    return out


def test_tutorial_commands_run_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    names = {m.rsplit(".", 1)[1].removesuffix("_cmd") for m in COMMANDS}
    commands = _commands()
    assert commands, "no bash block in the tutorial"
    monkeypatch.chdir(ROOT)
    before = snapshot(EXAMPLE)

    def local(arg: str) -> str:
        return str(tmp_path / arg.removeprefix("/tmp/")) if arg.startswith("/tmp/") else arg

    for argv, expected in commands:
        argv = [local(a) for a in argv]
        if argv[0] == "cp":
            shutil.copytree(argv[-2], argv[-1])
        elif argv[0] == "mv":
            shutil.move(argv[1], argv[2])
        else:
            assert argv[0] == "clxm-meta", argv
            assert argv[1] in names, f"the tutorial uses an unknown command: {argv}"
            status = main(argv[1:])
            output = capsys.readouterr()
            assert status == expected, (argv, status, output.err[-2000:])
    assert snapshot(EXAMPLE) == before
    out = tmp_path / "deposition-out"
    empiar = json.loads((out / "empiar" / "deposition.json").read_text(encoding="utf-8"))
    assert empiar["title"]
    assert (out / "biostudies" / "SIM_metadata.xlsx").stat().st_size > 0
    assert (tmp_path / "deposition.json").is_file()
    assert (tmp_path / "report.html").is_file()
    assert not (tmp_path / "refused").exists() or not any((tmp_path / "refused").iterdir())
