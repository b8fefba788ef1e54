"""Output safety: atomic writes (a killed writer leaves the old file or none), one complete file when
two writers race, no overwrite without force, nothing written inside the input tree, no output name
escaping its output folder."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from clxm_meta.cli import main
from clxm_meta.errors import OutputExistsError, OutputPathError
from clxm_meta.io.output import (
    TEMP_PREFIX,
    check_outside_input,
    open_atomic,
    output_path_in,
    write_atomic,
)
from conftest import snapshot

SRC = Path(__file__).resolve().parents[2] / "src"


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _leftovers(folder: Path, target: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != target)


# ---------------------------------------------------------------- atomic write, overwrite


def test_write_text_and_bytes(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.txt", "µm\nline\n")
    assert (tmp_path / "a.txt").read_bytes() == "µm\nline\n".encode()
    write_atomic(tmp_path / "b.bin", b"\x00\xff")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"
    assert _leftovers(tmp_path, "") == ["a.txt", "b.bin"]


def test_never_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    with pytest.raises(OutputExistsError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    write_atomic(target, "new", force=True)
    assert target.read_text() == "new"
    assert _leftovers(tmp_path, "out.json") == []


def test_exception_mid_write_leaves_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), open_atomic(target, force=True) as fh:
        fh.write("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert _leftovers(tmp_path, "out.txt") == []


def test_target_appearing_during_write_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(OutputExistsError), open_atomic(target) as fh:
        fh.write("mine")
        target.write_text("theirs")  # another writer got there first
    assert target.read_text() == "theirs"
    assert _leftovers(tmp_path, "out.txt") == []


_KILLABLE = """
    import sys, time
    from clxm_meta.io.output import open_atomic
    target, force = sys.argv[1], sys.argv[2] == "1"
    with open_atomic(target, force=force) as fh:
        fh.write("new " * 100_000)
        fh.flush()
        print("writing", flush=True)
        time.sleep(60)
"""


@pytest.mark.parametrize("existing", [True, False])
def test_killed_writer_leaves_old_file_or_none(tmp_path: Path, existing: bool) -> None:
    target = tmp_path / "manifest.txt"
    if existing:
        target.write_text("old complete manifest\n")
    proc = _python(_KILLABLE, str(target), "1")
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing", proc.stderr
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate(timeout=30)  # reaps the child and closes its pipes
    assert proc.returncode == -signal.SIGKILL
    if existing:
        assert target.read_text() == "old complete manifest\n"
    else:
        assert not target.exists()
    # only the killed writer's temporary file may be left, never a partial target
    assert all(name.startswith(TEMP_PREFIX) for name in _leftovers(tmp_path, target.name))


_RACER = """
    import sys
    from clxm_meta.io.output import write_atomic
    from clxm_meta.errors import OutputExistsError
    target, tag, force = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
    body = (tag * 64 + "\\n") * 40_000  # 2.6 MB, so that the writes overlap
    try:
        write_atomic(target, body, force=force)
    except OutputExistsError:
        print("exists")
    else:
        print("written")
"""


@pytest.mark.parametrize("force", [True, False])
def test_two_writers_leave_one_complete_file(tmp_path: Path, force: bool) -> None:
    target = tmp_path / "out.txt"
    bodies = {tag: (tag * 64 + "\n") * 40_000 for tag in "AB"}
    for _round in range(3):
        if target.exists():
            target.unlink()
        procs = [_python(_RACER, str(target), tag, "1" if force else "0") for tag in "AB"]
        outs = [p.communicate(timeout=60)[0].strip() for p in procs]
        assert all(p.returncode == 0 for p in procs)
        content = target.read_text()
        assert content in bodies.values()  # one writer's complete output, never a mix
        if not force:
            assert sorted(outs) == ["exists", "written"]  # exactly one wins
            winner = "AB"[outs.index("written")]
            assert content == bodies[winner]
        assert _leftovers(tmp_path, "out.txt") == []


# ---------------------------------------------------------------- where outputs may go


def test_refuse_inside_input_tree(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    with pytest.raises(OutputPathError, match="inside the input folder"):
        check_outside_input(tree / "sub" / "md5.txt", tree)
    with pytest.raises(OutputPathError):
        check_outside_input(tree, tree)
    check_outside_input(tree / "md5.txt", tree, allow=True)
    check_outside_input(tmp_path / "md5.txt", tree)
    check_outside_input(tmp_path / "tree2" / "md5.txt", tree)  # a sibling with a common prefix
    link = tmp_path / "into_tree"
    link.symlink_to(tree / "sub")
    with pytest.raises(OutputPathError):
        check_outside_input(link / "md5.txt", tree)  # resolved through the link


@pytest.mark.parametrize(
    "name", ["../x.json", "/etc/passwd", "a/../../x.json", "a/../..", "", "..", "C:"]
)
def test_output_names_escaping_the_folder_are_rejected(tmp_path: Path, name: str) -> None:
    with pytest.raises(OutputPathError):
        output_path_in(tmp_path / "out", name)


def test_output_names_inside_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    assert output_path_in(out, "a/b.json") == str(out / "a" / "b.json")
    assert output_path_in(out, "./c.json") == str(out / "c.json")
    (out / "evil").symlink_to(tmp_path)
    with pytest.raises(OutputPathError, match="symbolic link"):
        output_path_in(out, "evil/x.json")


# ---------------------------------------------------------------- through the CLI


def test_check_manifest_refused_inside_tree(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(tree)
    assert main(["check", str(tree), "--manifest", str(tree / "md5.txt")]) == 2
    assert "inside the scanned tree" in capsys.readouterr().err
    assert snapshot(tree) == before
    assert (
        main(["check", str(tree), "--manifest", str(tree / "md5.txt"), "--allow-inside-input"]) == 0
    )
    lines = (tree / "md5.txt").read_text().splitlines()
    assert lines and not any(line.endswith("  md5.txt") for line in lines)


def test_check_manifest_exists_fails_before_scanning(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "md5.txt"
    manifest.write_text("keep me\n")
    assert main(["check", str(tree), "--manifest", str(manifest)]) == 2
    assert "--force" in capsys.readouterr().err
    assert manifest.read_text() == "keep me\n"


def test_two_check_runs_write_one_complete_manifest(tree: Path, tmp_path: Path) -> None:
    manifest = tmp_path / "md5.txt"
    code = "import sys; from clxm_meta.cli import main; sys.exit(main(sys.argv[1:]))"
    args = ["check", str(tree), "--manifest", str(manifest), "--force", "--no-duplicates"]
    procs = [_python(code, *args) for _ in range(2)]
    for p in procs:
        p.communicate(timeout=120)
        assert p.returncode == 0
    lines = manifest.read_text().splitlines()
    expected = {str(p.relative_to(tree)) for p in tree.rglob("*") if p.is_file()} - {"clxm.yaml"}
    assert {line.split("  ", 1)[1] for line in lines} == expected
    for line in lines:
        md5, rel = line.split("  ", 1)
        assert md5 == hashlib.md5((tree / rel).read_bytes()).hexdigest()
    # the record of what clxm-meta wrote there (what lets a later --force replace md5.txt)
    assert _leftovers(tmp_path, "md5.txt") == [".clxm-record.json", "deposition"]


def test_check_manifest_force_replaces_only_a_manifest_it_wrote(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18: --force replaces a single output file only when clxm-meta wrote it (its record
    says so) and never anything inside the scanned tree, the manifest included."""
    theirs = tmp_path / "theirs.txt"
    theirs.write_text("a user's own file\n")
    assert main(["check", str(tree), "--manifest", str(theirs), "--force", "-q"]) == 2
    assert "did not write it" in capsys.readouterr().err
    assert theirs.read_text() == "a user's own file\n"
    ours = tmp_path / "md5.txt"
    assert main(["check", str(tree), "--manifest", str(ours), "-q"]) == 0
    assert main(["check", str(tree), "--manifest", str(ours), "--force", "-q"]) == 0
    ours.write_text(ours.read_text() + "# my note\n")  # edited: no longer ours to replace
    assert main(["check", str(tree), "--manifest", str(ours), "--force", "-q"]) == 2
    assert "changed since" in capsys.readouterr().err
    inside = tree / "md5.txt"
    args = ["check", str(tree), "--manifest", str(inside), "--allow-inside-input", "-q"]
    assert main(args) == 0
    before = snapshot(tree)
    assert main([*args, "--force"]) == 2  # never replaced inside the tree
    assert "never replaces anything in the tree" in capsys.readouterr().err
    assert snapshot(tree) == before
