"""The command line: version, usage errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from clxm_meta import __version__
from clxm_meta.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_no_command_is_usage_error() -> None:
    assert main([]) == 2


def test_bad_option_is_usage_error() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["table1", "--format", "xml", "x"])
    assert exc.value.code == 2


def test_unreadable_input_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(tmp_path / "missing.dv")]) == 2
    err = capsys.readouterr().err
    assert "missing.dv" in err and "Traceback" not in err
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)))
    assert main(["table1", str(junk)]) == 2


def test_python_dash_m() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "clxm_meta", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("clxm-meta ")


def test_table1_exit_1_when_file_gives_only_error_findings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from conftest import real_path

    aborted = real_path(
        "txrm/xanespy__rep02_000072_ref_20161456_ssrl-test-data_08348.0_eV_002of010.xrm"
    )
    assert main(["table1", str(aborted), "--format", "json"]) == 1
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert doc["rows"] == []
    # findings belong to the JSON document, not to stderr as text
    assert [f["code"] for f in doc["findings"]] == ["txrm.no_images"]
    assert "no Table 1 value found" in doc["notes"][0]
    assert captured.err == ""
