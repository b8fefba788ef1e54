"""Scan resilience: a tree mixing good files with corrupt, unreadable, vanishing, FIFO, socket and
symbolic-link-loop entries gives records for the good files and one finding per bad entry; the exit
code reflects the errors; a partial manifest is still written; a file growing during the scan gives
a finding, not a value.

Tests run as root here, where permission bits do not stop reads: "unreadable" is simulated with a
monkeypatched ``open`` that raises ``PermissionError`` for one path, which is what a non-root user
gets from a ``chmod 000`` file (readers, detection and the MD5 manifest all open files with it).
"""

from __future__ import annotations

import builtins
import importlib
import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest

import clxm_meta
from clxm_meta.cli import main
from conftest import snapshot

CLEAN: dict[str, Any] = {}


def _records(tree: Path) -> dict[str, Any]:
    res = clxm_meta.scan(tree)
    return {r.name: json.loads(r.model_dump_json()) for r in res.records}


def _lock(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | os.PathLike) and os.path.realpath(file) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)


def _bad_entries(tree: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    junk = tree / "junk"
    junk.mkdir()
    corrupt = junk / "broken.dv"
    corrupt.write_bytes((tree / "sample1" / "SIM" / "cell1.dv").read_bytes()[:500])
    unreadable = junk / "locked.mrc"
    unreadable.write_bytes((tree / "sample1" / "SXT" / "ts1_rec.mrc").read_bytes())
    _lock(monkeypatch, unreadable.resolve())
    vanishing = junk / "gone.tlt"
    vanishing.write_text("0.0\n")
    scan_mod = importlib.import_module("clxm_meta.dataset.scan")
    real_detect = scan_mod.detect

    def vanish(path: str | os.PathLike[str]) -> Any:
        if Path(path) == vanishing and vanishing.exists():
            vanishing.unlink()
        return real_detect(path)

    monkeypatch.setattr(scan_mod, "detect", vanish)
    fifo = junk / "pipe.dv"
    os.mkfifo(fifo)
    sock_path = junk / "sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    sock.close()
    os.symlink("loop_b", junk / "loop_a")
    os.symlink("loop_a", junk / "loop_b")
    os.symlink("..", junk / "up")
    return {
        "corrupt": corrupt,
        "unreadable": unreadable,
        "vanishing": vanishing,
        "fifo": fifo,
        "socket": sock_path,
        "loop_a": junk / "loop_a",
        "loop_b": junk / "loop_b",
        "up": junk / "up",
    }


def test_mixed_tree_good_records_one_finding_per_bad_entry(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = _records(tree)
    bad = _bad_entries(tree, monkeypatch)
    before = snapshot(tree)
    manifest = tmp_path / "md5.txt"
    code = main(["check", str(tree), "--format", "json", "--manifest", str(manifest)])
    data = json.loads(capsys.readouterr().out)
    assert code == 1  # errors (corrupt, unreadable) are in the exit code
    # the good datasets are unchanged by their bad neighbours
    res = clxm_meta.scan(tree)
    after_records = {r.name: json.loads(r.model_dump_json()) for r in res.records}
    assert {name: after_records.get(name) for name in clean} == clean
    scan_findings = [f for f in data["findings"] if f["code"].startswith("scan.")]
    for what, path in bad.items():
        mine = [f for f in scan_findings if f["path"] == str(path)]
        assert len(mine) == 1, (what, mine)
    codes = {
        what: next(f["code"] for f in scan_findings if f["path"] == str(p))
        for what, p in bad.items()
    }
    assert codes["corrupt"] == "scan.unreadable"
    assert codes["unreadable"] == "scan.unreadable"
    assert codes["vanishing"] == "scan.vanished"
    assert codes["fifo"] == codes["socket"] == "scan.not_regular"
    assert codes["loop_a"] == codes["loop_b"] == codes["up"] == "scan.symlink_loop"
    # the partial manifest is written: every readable file, not the locked one, which is a finding
    listed = {line.split("  ", 1)[1] for line in manifest.read_text().splitlines()}
    assert "junk/locked.mrc" not in listed
    assert "junk/broken.dv" in listed and "sample1/SIM/cell1.dv" in listed
    assert any(f["code"] == "manifest.unreadable" for f in data["findings"])
    after = snapshot(tree)
    assert {k: v for k, v in after.items() if "gone.tlt" not in k} == {
        k: v for k, v in before.items() if "gone.tlt" not in k
    }


def test_file_growing_during_scan_gives_a_finding(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scan_mod = importlib.import_module("clxm_meta.dataset.scan")
    growing = tree / "sample1" / "SXT" / "ts1.tlt"
    real_read = scan_mod.read

    def read_while_written(path: str | os.PathLike[str], **kw: Any) -> Any:
        model = real_read(path, **kw)
        if Path(path) == growing:
            with open(growing, "a") as fh:  # the acquisition appends a view meanwhile
                fh.write("   63.00\n")
        return model

    monkeypatch.setattr(scan_mod, "read", read_while_written)
    res = clxm_meta.scan(tree)
    hits = [f for f in res.findings if f.code == "scan.changed_during_scan"]
    assert [Path(f.path or "") for f in hits] == [growing]
    assert hits[0].severity == "error"
    assert "sample1/SXT/ts1.tlt" not in res.models  # no value from a half-written file
    monkeypatch.setattr(scan_mod, "read", real_read)
    assert main(["check", str(tree)]) == 0  # once complete, the next scan is clean again
    capsys.readouterr()


def test_file_rewritten_during_scan_exit_code(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scan_mod = importlib.import_module("clxm_meta.dataset.scan")
    target = tree / "sample1" / "SIM" / "cell1.chromagnon.csv"
    real_read = scan_mod.read

    def touch_after(path: str | os.PathLike[str], **kw: Any) -> Any:
        model = real_read(path, **kw)
        if Path(path) == target:
            st = target.stat()
            os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        return model

    monkeypatch.setattr(scan_mod, "read", touch_after)
    assert main(["check", str(tree)]) == 1
