"""The README's Python example runs, and its quick-start commands are the ones CI relies on."""

from __future__ import annotations

import contextlib
import io
import os
import re

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_block_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks, "README has no python example"
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for block in blocks:
            exec(compile(block, "README.md", "exec"), {})
    assert "setup.pixel_size" in out.getvalue()


def test_opens_with_the_two_commands() -> None:
    commands = re.findall(r"```bash\n(.*?)\n```", README, flags=re.S)[:2]
    assert commands[0].endswith("clxm-meta check examples/deposition")
    assert commands[1].endswith("python -m pytest")
    assert os.path.isdir(ROOT / "examples" / "deposition")
