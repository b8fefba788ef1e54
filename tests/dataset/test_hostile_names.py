"""Hostile names, paths and symbolic links in a deposition tree (issue 23).

Nothing outside the scanned tree is ever listed, hashed or staged; a name that is not UTF-8 is a
lint error, never a crash; a link to ``/`` does not walk the disk. The CLI cases run in a
subprocess with a time limit, so a regression fails instead of hanging the test run.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.checks.manifest import compute_manifest
from clxm_meta.dataset.scan import sidecar_above
from clxm_meta.dataset.walk import walk
from clxm_meta.io.md5 import FileChangedError, md5_file
from conftest import snapshot

NOT_UTF8 = os.fsdecode(b"cell1\xfe.log")


def _cli(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    src = str(Path(clxm_meta.__file__).parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [sys.executable, "-m", "clxm_meta", "-q", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def test_not_utf8_name_is_a_lint_error_in_check_report_and_deposit(tree: Path) -> None:
    (tree / "sample1" / "SIM" / NOT_UTF8).write_text("x")
    before = snapshot(tree)
    found = [f for f in walk(tree).findings if f.code == "lint.bad_characters"]
    assert len(found) == 1 and found[0].severity == "error"
    assert found[0].path is not None and found[0].path.endswith("cell1\\xfe.log")
    found[0].model_dump_json()  # encodable: no surrogate escapes left
    proc = _cli("check", str(tree))
    assert proc.returncode == 1, proc.stderr
    assert "cell1\\xfe.log" in proc.stdout and "Traceback" not in proc.stderr
    proc = _cli("check", str(tree), "--format", "json")
    assert "Traceback" not in proc.stderr and "cell1\\\\xfe.log" in proc.stdout
    out = tree.parent / "report.html"
    proc = _cli("report", str(tree), "-o", str(out))
    assert "Traceback" not in proc.stderr and out.is_file(), proc.stderr
    proc = _cli("deposit", str(tree), "-o", str(tree.parent / "dep"))
    assert "Traceback" not in proc.stderr, proc.stderr
    md5 = tree.parent / "dep" / "md5.txt"
    assert not md5.exists() or (
        "\\xfe" not in md5.read_text() and "cell1\ufffd" not in md5.read_text()
    )
    assert snapshot(tree) == before


def test_symlink_to_root_finishes_and_is_not_followed(tree: Path) -> None:
    (tree / "sample1" / "root").symlink_to("/")
    t0 = time.monotonic()
    result = walk(tree)
    assert time.monotonic() - t0 < 10
    assert [f.code for f in result.findings] == ["scan.symlink_outside"]
    assert all(not e.rel.startswith("sample1/root") for e in result.entries)
    proc = _cli("check", str(tree), timeout=60)
    assert proc.returncode in (0, 1) and "scan.symlink_outside" in proc.stdout


def test_symlink_to_a_file_outside_is_never_listed_hashed_or_staged(tree: Path) -> None:
    secret = tree.parent / "secret.txt"
    secret.write_text("outside the deposition\n")
    (tree / "sample1" / "SXT" / "ts1.mdoc").symlink_to(secret)
    (tree / "sample1" / "SXT" / "up").symlink_to(tree.parent)
    result = clxm_meta.scan(tree)
    assert all("ts1.mdoc" not in f.path and "up/" not in f.path for f in result.files)
    codes = [f.code for f in result.all_findings() if f.code == "scan.symlink_outside"]
    assert len(codes) == 2
    out = tree.parent / "dep"
    proc = _cli("deposit", str(tree), "-o", str(out))  # refused: a file would be dropped
    assert proc.returncode == 2, proc.stderr
    assert "outside the scanned tree" in proc.stderr and not out.exists()
    (tree / "sample1" / "SXT" / "ts1.mdoc").unlink()
    (tree / "sample1" / "SXT" / "up").unlink()
    proc = _cli("deposit", str(tree), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    lists = [
        p
        for p in out.rglob("*")
        if p.name in ("md5.txt", "files.tsv", "deposition.json") and not p.is_symlink()
    ]
    assert lists
    listed = "".join(p.read_text() for p in lists)
    assert "ts1.mdoc" not in listed and "secret.txt" not in listed
    secret_md5 = hashlib.md5(secret.read_bytes(), usedforsecurity=False).hexdigest()
    assert secret_md5 not in listed  # never hashed either
    staged = [p for p in out.rglob("*") if p.is_symlink()]
    assert all(os.path.realpath(p) != str(secret.resolve()) for p in staged)


def test_links_inside_the_tree_are_still_followed(tree: Path) -> None:
    (tree / "alias").symlink_to(tree / "sample1" / "SXT", target_is_directory=True)
    result = walk(tree)
    assert any(e.rel == "alias/ts1.txrm" for e in result.entries)
    assert not [f for f in result.findings if f.code == "scan.symlink_outside"]


def test_hard_linked_copy_is_a_duplicate_warning(tree: Path) -> None:
    sxt = tree / "sample1" / "SXT"
    (sxt / "copy").mkdir()
    os.link(sxt / "ts1.txrm", sxt / "copy" / "ts1.txrm")
    found = [f for f in walk(tree).findings if f.code == "scan.same_file"]
    assert len(found) == 1 and "sample1/SXT/ts1.txrm" in found[0].message
    assert found[0].path is not None and found[0].path.endswith("SXT/copy/ts1.txrm")


class _Appender:
    """A progress sink that appends to the file after its first chunk: a file still being written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done = False

    def advance(self, nbytes: int) -> None:
        if not self.done:
            self.done = True
            with open(self.path, "ab") as fh:
                fh.write(b"more")

    def file_done(self) -> None:
        pass


def test_a_file_growing_while_it_is_hashed_is_not_listed(tmp_path: Path) -> None:
    path = tmp_path / "growing.mrc"
    path.write_bytes(b"\0" * 10_000)
    with pytest.raises(FileChangedError):
        md5_file(path, chunk_size=4096, on_chunk=_Appender(path).advance)
    entries, findings = compute_manifest([("growing.mrc", str(path))], progress=_Appender(path))
    assert entries[0].md5 is None
    assert [f.code for f in findings] == ["manifest.changed"]


def test_hashing_an_endless_file_stops(tmp_path: Path) -> None:
    path = tmp_path / "live.log"
    path.write_bytes(b"x" * 100)
    calls = []

    def grow(nbytes: int) -> None:
        calls.append(nbytes)
        with open(path, "ab") as fh:
            fh.write(b"y" * 8192)  # always more than was just read

    with pytest.raises(FileChangedError):
        md5_file(path, chunk_size=4096, on_chunk=grow)
    assert len(calls) == 2


def test_md5_of_a_steady_file_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "steady"
    path.write_bytes(b"abc")
    assert md5_file(path) == "900150983cd24fb0d6963f7d28e17f72"


class TestSidecarAbove:
    def _layout(self, tmp_path: Path) -> tuple[Path, Path]:
        top = tmp_path / "top"
        scanned = top / "dep" / "sample1"
        scanned.mkdir(parents=True)
        sc = top / "clxm.yaml"
        sc.write_text("version: 1\n")
        return scanned, sc

    def test_own_sidecar_is_used(self, tmp_path: Path) -> None:
        scanned, sc = self._layout(tmp_path)
        sc.chmod(0o644)
        assert sidecar_above(scanned) == (str(sc), [])

    def test_world_writable_sidecar_is_ignored_with_a_finding(self, tmp_path: Path) -> None:
        scanned, sc = self._layout(tmp_path)
        sc.chmod(0o666)
        found, findings = sidecar_above(scanned)
        assert found is None
        assert [f.code for f in findings] == ["sidecar.untrusted"]
        assert "anyone can write" in findings[0].message
        result = clxm_meta.scan(scanned)
        assert result.sidecar is None
        assert "sidecar.untrusted" in {f.code for f in result.findings}

    def test_sidecar_of_another_user_is_ignored(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        scanned, sc = self._layout(tmp_path)
        sc.chmod(0o644)
        monkeypatch.setattr(os, "geteuid", lambda: sc.stat().st_uid + 1)
        found, findings = sidecar_above(scanned)
        assert found is None and "another user" in findings[0].message

    def test_search_stops_at_home(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        scanned, sc = self._layout(tmp_path)
        sc.chmod(0o644)
        monkeypatch.setenv("HOME", str(sc.parent))  # the sidecar sits in the home folder
        assert sidecar_above(scanned) == (None, [])
        monkeypatch.setenv("HOME", str(scanned.parent))  # home below the sidecar
        assert sidecar_above(scanned) == (None, [])
