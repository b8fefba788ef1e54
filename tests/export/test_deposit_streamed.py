"""``deposit`` driven by `scan_units` (issue 21): each sample read and built in the worker, written
as it arrives; the same folder, byte for byte, as the whole-scan path, whatever ``--jobs``."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.cli import EXIT_OK, main
from clxm_meta.export.deposit import stream as stream_mod
from clxm_meta.export.deposit import streamed
from clxm_meta.export.deposit.streamed import deposit_hook, deposit_streamed
from clxm_meta.io.outdir import PROGRESS_DIR
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests"))
from export.test_deposit_identical import replicated
from export.test_deposit_stream import (
    FROZEN,
    SRC,
    _digest,
    _inodes,
    _leftovers,
    _lines,
    _many,
    _three_units,
)
from writers.b24 import write_b24_tree

pytest.importorskip("openpyxl")
pytest.importorskip("ome_types")


def _no_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the whole-scan path fail: what passes was streamed."""

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the whole-scan path was taken")

    monkeypatch.setattr(stream_mod, "write_deposit", refuse)


def _whole_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the CLI take the whole-scan path (the output before deposit streamed)."""
    monkeypatch.setattr(streamed, "deposit_streamed", lambda *_a, **_k: None)


def test_a_multi_sample_deposit_is_streamed_and_matches_the_frozen_digest(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _three_units(tree).resolve()
    monkeypatch.chdir(tmp_path)
    _no_whole(monkeypatch)
    assert main(["deposit", "deposition", "-o", "out", "--allow-incomplete", "-q"]) == EXIT_OK
    assert _digest(tmp_path / "out", root) == FROZEN
    assert _leftovers(tmp_path) == []


def _trees(tmp_path: Path, tree: Path) -> list[Path]:
    roots = [replicated(tmp_path / "replicated", 3), _three_units(tree)]
    for variant in ("imod-beads-wbp", "aretomo"):
        root = tmp_path / f"b24-{variant}"
        write_b24_tree(root, variant)  # type: ignore[arg-type]
        roots.append(root)
    return roots


def test_streamed_and_whole_scan_deposits_are_byte_identical(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for root in _trees(tmp_path, tree):
        args = ["deposit", str(root), "--allow-incomplete", "-q"]
        with monkeypatch.context() as m:
            _whole_only(m)
            assert main([*args, "-o", str(tmp_path / "whole" / root.name)]) == EXIT_OK
        assert main([*args, "-o", str(tmp_path / "streamed" / root.name)]) == EXIT_OK
        whole = _lines(tmp_path / "whole" / root.name, root)
        assert whole and _lines(tmp_path / "streamed" / root.name, root) == whole, root.name


@pytest.mark.parametrize("kind", ["jobs2", "thread", "process"])
def test_the_streamed_deposit_is_the_same_whatever_runs_the_units(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    root = replicated(tmp_path / "tree", 4)
    serial = tmp_path / "serial"
    assert main(["deposit", str(root), "-o", str(serial), "--allow-incomplete", "-q"]) == EXIT_OK
    out = tmp_path / "out"
    if kind == "jobs2":
        _no_whole(monkeypatch)
        args = ["deposit", str(root), "-o", str(out), "--allow-incomplete", "-q", "--jobs", "2"]
        assert main(args) == EXIT_OK
    else:
        options = {"entry_image": False, "link_mode": "symlink", "template": "BioImages.v5"}
        pool: Executor = ThreadPoolExecutor(2) if kind == "thread" else ProcessPoolExecutor(2)
        with pool:
            stream = clxm_meta.scan_units(
                root, executor=pool, then=functools.partial(deposit_hook, options)
            )
            done = deposit_streamed(out, stream, **options)  # type: ignore[arg-type]
        assert done is not None and done.summary.written and len(done.summary.units) == 4
    assert _lines(out, root) == _lines(serial, root)


def test_one_deposition_unit_over_several_samples_falls_back_to_the_whole_scan(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two scan units (a folder of notes beside the sample), one deposition unit: its files go at
    the top of the folder, as the whole-scan path writes them."""
    notes = tree / "zz-notes"
    notes.mkdir()
    (notes / "lab notes.txt").write_text("nothing to deposit\n")
    stream = clxm_meta.scan_units(
        tree,
        then=functools.partial(
            deposit_hook,
            {"entry_image": False, "link_mode": "symlink", "template": "BioImages.v5"},
        ),
    )
    assert stream.units >= 2
    assert deposit_streamed(tmp_path / "direct", stream) is None
    assert not (tmp_path / "direct").exists() and _leftovers(tmp_path) == []
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out), "--allow-incomplete", "-q"]) == EXIT_OK
    assert (out / "README.txt").is_file()
    ref = tmp_path / "ref"
    with monkeypatch.context() as m:
        _whole_only(m)
        assert main(["deposit", str(tree), "-o", str(ref), "--allow-incomplete", "-q"]) == EXIT_OK
    assert _lines(out, tree) == _lines(ref, tree)


def _kill_group_after(args: list[str], staging_parent: Path, units: int) -> list[str]:
    """`_kill_after` for a run with worker processes: the whole process group is killed (a
    SIGKILLed driver cannot stop its pool's workers)."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "clxm_meta", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    notes: list[str] = []
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            found = sorted(staging_parent.glob(f".clxm-deposit-*/{PROGRESS_DIR}/unit-*.json"))
            if len(found) >= units:
                os.killpg(proc.pid, signal.SIGSTOP)
                notes = sorted(
                    p.name
                    for p in staging_parent.glob(f".clxm-deposit-*/{PROGRESS_DIR}/unit-*.json")
                )
                break
            time.sleep(0.005)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert notes, "the run was not stopped"
    return notes


def test_resume_after_a_kill_with_jobs_keeps_the_whole_units(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _many(tree, 6)
    args = [str(root), "--allow-incomplete", "--jobs", "2"]
    out = tmp_path / "run" / "out"
    notes = _kill_group_after(["deposit", *args, "-q", "-o", str(out)], out.parent, 2)
    assert not out.exists()
    (staging,) = out.parent.glob(".clxm-deposit-*")
    names = sorted(p.name for p in staging.iterdir() if not p.name.startswith(".clxm"))
    done = names[: len(notes)]  # units are written in order: the first ones are whole
    before = {name: _inodes(staging / name) for name in done}
    assert main(["deposit", *args, "-o", str(out), "--resume"]) == EXIT_OK
    assert (
        f"resumed an unfinished run: {len(notes)} of 6 units kept whole" in capsys.readouterr().err
    )
    for name in done:  # not rewritten: the very same files, moved into place
        assert _inodes(out / name) == before[name], name
    reference = tmp_path / "ref" / "out"
    assert main(["deposit", str(root), "--allow-incomplete", "-o", str(reference)]) == EXIT_OK
    assert _lines(out, root) == _lines(reference, root)
    assert _leftovers(out.parent) == []
