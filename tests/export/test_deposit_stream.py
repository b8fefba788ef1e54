"""``deposit`` writes unit by unit (issue 21): same bytes as before, refusals leave nothing,
``--resume`` after a killed run keeps the units written whole and only those."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.cli import EXIT_INCOMPLETE, EXIT_INTERRUPTED, EXIT_OK, main
from clxm_meta.export.deposit.build import build_deposit, deposition_units, upload_files
from clxm_meta.export.deposit.stream import write_deposit
from clxm_meta.io.outdir import PROGRESS_DIR

SRC = Path(__file__).resolve().parents[2] / "src"

FROZEN = (72, "79b06974ffe341d396b26bb99d54623bb535916d4017dc77bfaa9de06e1ffb3f")
"""Entries and digest (`_digest`) of ``deposit deposition -o out --allow-incomplete`` run beside
the `_three_units` tree, written by the code before deposit wrote unit by unit (main at d0c7562:
build_deposit, then write_tree). README.txt names the tree as given: hence a relative path."""


def _three_units(tree: Path) -> Path:
    """Two pairs and one SIM dataset alone: three unit folders."""
    shutil.copytree(tree / "sample1", tree / "sample2")
    (tree / "sample3").mkdir()
    shutil.copytree(tree / "sample1" / "SIM", tree / "sample3" / "SIM")
    return tree


def _many(tree: Path, n: int) -> Path:
    for i in range(2, n + 1):
        shutil.copytree(tree / "sample1", tree / f"sample{i}")
    return tree


def _lines(out: Path, root: Path) -> list[str]:
    """Every file (SHA-256, the tree's path replaced) and link (target relative to the tree)."""
    lines = []
    for dirpath, dirs, files in os.walk(out):
        dirs.sort()
        links = [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]
        for name in sorted(files + links):
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, out)
            if os.path.islink(full):
                lines.append(f"{rel} -> {os.path.relpath(os.readlink(full), root)}")
            else:
                data = Path(full).read_bytes().replace(os.fsencode(str(root)), b"<ROOT>")
                lines.append(f"{rel} {hashlib.sha256(data).hexdigest()}")
    return sorted(lines)


def _digest(out: Path, root: Path) -> tuple[int, str]:
    lines = _lines(out, root)
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".clxm-"))


def _md5(result: clxm_meta.ScanResult) -> dict[str, str]:
    paths = {
        p for u in deposition_units(result) for ps in upload_files(result, u).values() for p in ps
    }
    return {p: hashlib.md5((Path(result.root) / p).read_bytes()).hexdigest() for p in paths}


def test_a_multi_unit_deposit_is_byte_identical_to_the_one_written_at_once(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _three_units(tree).resolve()
    assert root == tmp_path.resolve() / "deposition"
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    assert main(["deposit", "deposition", "-o", "out", "--allow-incomplete", "-q"]) == EXIT_OK
    assert _digest(out, root) == FROZEN
    assert _leftovers(tmp_path) == []
    # the library's in-memory deposit is the same documents
    result = clxm_meta.scan("deposition")
    files = build_deposit(result, md5=_md5(result)).files
    for rel, data in files.items():
        assert (out / rel).read_bytes() == data, rel
    assert not (out / PROGRESS_DIR).exists()


@pytest.mark.parametrize("kind", ["thread", "process"])
def test_units_built_on_an_executor_give_the_same_folder(
    tree: Path, tmp_path: Path, kind: str
) -> None:
    root = _three_units(tree)
    result = clxm_meta.scan(root)
    serial = write_deposit(tmp_path / "serial", result, md5=_md5(result))
    pool = ThreadPoolExecutor(2) if kind == "thread" else ProcessPoolExecutor(2)
    with pool:
        summary = write_deposit(tmp_path / "out", result, md5=_md5(result), executor=pool)
    assert summary.written and len(summary.units) == 3
    assert summary.files == serial.files
    assert _lines(tmp_path / "out", root) == _lines(tmp_path / "serial", root)


def test_a_refusal_after_staging_leaves_the_output_and_no_staging_folder(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _three_units(tree)
    out = tmp_path / "out"
    assert main(["deposit", str(root), "-o", str(out)]) == EXIT_INCOMPLETE
    assert "nothing written" in capsys.readouterr().err
    assert not out.exists() and _leftovers(tmp_path) == []
    # over an earlier output: it stays as it was
    assert main(["deposit", str(root), "-o", str(out), "--allow-incomplete", "-q"]) == EXIT_OK
    before = _lines(out, root)
    assert main(["deposit", str(root), "-o", str(out), "--force"]) == EXIT_INCOMPLETE
    assert _lines(out, root) == before and _leftovers(tmp_path) == []


def _kill_after(
    args: list[str], staging_parent: Path, units: int, *, interrupt: bool = False
) -> list[str]:
    """Run ``clxm-meta`` ARGS in a subprocess, stop it once ``units`` units are noted, kill it
    (or, with ``interrupt``, send it SIGINT: a Ctrl-C).

    Returns the notes present when it was stopped.
    """
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "clxm_meta", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # a test runner started in the background (``pytest &``) ignores SIGINT, and so would
        # its children: give the run Ctrl-C's default meaning back
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    notes: list[str] = []
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            found = sorted(staging_parent.glob(f".clxm-deposit-*/{PROGRESS_DIR}/unit-*.json"))
            if len(found) >= units:
                proc.send_signal(signal.SIGSTOP)
                notes = sorted(
                    p.name
                    for p in staging_parent.glob(f".clxm-deposit-*/{PROGRESS_DIR}/unit-*.json")
                )
                break
            time.sleep(0.005)
    finally:
        if interrupt and notes:
            proc.send_signal(signal.SIGINT)
            proc.send_signal(signal.SIGCONT)
            assert proc.wait(timeout=120) == EXIT_INTERRUPTED
            said = proc.stderr.read().decode() if proc.stderr else ""
            assert "clxm-meta: interrupted" in said and "--resume" in said, said
            assert "Traceback" not in said, said
        proc.kill()
        proc.wait()
        if proc.stderr:
            proc.stderr.close()
    assert notes, "the run was not stopped"
    return notes


def _inodes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.lstat().st_ino
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


def test_resume_after_a_kill_keeps_the_finished_units_and_matches_an_uninterrupted_run(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _many(tree, 8)
    args = [str(root), "--allow-incomplete"]
    out = tmp_path / "run" / "out"
    notes = _kill_after(["deposit", *args, "-q", "-o", str(out)], out.parent, 2)
    assert not out.exists()
    (staging,) = out.parent.glob(".clxm-deposit-*")
    names = sorted(p.name for p in staging.iterdir() if not p.name.startswith(".clxm"))
    done = names[: len(notes)]  # units are written in order: the first ones are whole
    before = {name: _inodes(staging / name) for name in done}
    assert main(["deposit", *args, "-o", str(out), "--resume"]) == EXIT_OK
    err = capsys.readouterr().err
    assert f"resumed an unfinished run: {len(notes)} of 8 units kept whole" in err
    for name in done:  # not rebuilt: the very same files, moved into place
        assert _inodes(out / name) == before[name], name
    reference = tmp_path / "ref" / "out"
    assert main(["deposit", *args, "-o", str(reference)]) == EXIT_OK
    assert _lines(out, root) == _lines(reference, root)
    assert _leftovers(out.parent) == []


def test_resume_rebuilds_a_unit_whose_files_changed(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _many(tree, 6)
    args = [str(root), "--allow-incomplete"]
    out = tmp_path / "run" / "out"
    notes = _kill_after(["deposit", *args, "-q", "-o", str(out)], out.parent, 2)
    (staging,) = out.parent.glob(".clxm-deposit-*")
    first = sorted(p for p in staging.iterdir() if not p.name.startswith(".clxm"))[0]
    readme = first / "README.txt"
    readme.write_bytes(readme.read_bytes() + b"edited\n")
    (first / "extra.txt").write_text("not ours")
    assert main(["deposit", *args, "-o", str(out), "--resume"]) == EXIT_OK
    err = capsys.readouterr().err
    assert f"{len(notes) - 1} of 6 units kept whole" in err
    assert b"edited" not in (out / first.name / "README.txt").read_bytes()
    assert not (out / first.name / "extra.txt").exists()
    reference = tmp_path / "ref" / "out"
    assert main(["deposit", *args, "-o", str(reference)]) == EXIT_OK
    assert _lines(out, root) == _lines(reference, root)


def test_resume_never_crosses_other_inputs_or_options(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _many(tree, 6)
    out = tmp_path / "run" / "out"
    reference = tmp_path / "ref" / "out"
    first = ["deposit", str(root), "--allow-incomplete", "-q", "-o", str(out)]
    resume = ["deposit", str(root), "--allow-incomplete", "-o", str(out), "--resume"]
    fresh = ["deposit", str(root), "--allow-incomplete", "-q", "-o", str(reference)]
    _kill_after(first, out.parent, 1)
    # other options: nothing resumed, everything built, the killed run's folder removed
    assert main([*resume, "--copy"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "made from other inputs, options or clxm-meta version: not resumed" in err
    assert _leftovers(out.parent) == []
    assert main([*fresh, "--copy"]) == EXIT_OK
    assert _lines(out, root) == _lines(reference, root)
    # another sidecar
    shutil.rmtree(out)
    shutil.rmtree(reference)
    _kill_after(first, out.parent, 1)
    sidecar = root / "clxm.yaml"
    sidecar.write_text(
        sidecar.read_text(encoding="utf-8").replace("synthetic cell 1", "synthetic cell one"),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(resume) == EXIT_OK
    assert "not resumed" in capsys.readouterr().err
    assert main(fresh) == EXIT_OK
    assert _lines(out, root) == _lines(reference, root)
    assert (
        b"synthetic cell one"
        in (out / "sample1_SXT_ts1" / "empiar" / "deposition.json").read_bytes()
    )


def test_a_ctrl_c_leaves_the_staging_folder_for_resume(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _many(tree, 5)
    out = tmp_path / "run" / "out"
    args = ["deposit", str(root), "--allow-incomplete", "-o", str(out)]
    notes = _kill_after([*args, "-q"], out.parent, 1, interrupt=True)
    assert not out.exists() and len(list(out.parent.glob(".clxm-deposit-*"))) == 1
    assert main([*args, "--resume"]) == EXIT_OK
    assert (
        f"resumed an unfinished run: {len(notes)} of 5 units kept whole" in capsys.readouterr().err
    )
    assert _leftovers(out.parent) == []


def test_without_resume_a_killed_runs_staging_folder_is_removed(tree: Path, tmp_path: Path) -> None:
    root = _many(tree, 4)
    out = tmp_path / "run" / "out"
    args = ["deposit", str(root), "--allow-incomplete", "-q", "-o", str(out)]
    _kill_after(args, out.parent, 1)
    assert len(list(out.parent.glob(".clxm-deposit-*"))) == 1
    assert main(args) == EXIT_OK
    assert _leftovers(out.parent) == []
