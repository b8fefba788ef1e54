"""The record of what clxm-meta wrote (``.clxm-record.json``) and the folder writer built on it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from clxm_meta.errors import OutputExistsError
from clxm_meta.io.outdir import write_folder
from clxm_meta.io.record import RECORD_NAME, file_is_ours, foreign_entries, read_record

FILES = {"README.txt": b"hello\n", "a/b.txt": b"bbbb", "a/c/d.bin": b"\x00\x01"}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    target = tmp_path / "out"
    write_folder(target, FILES, force=False, command="test")
    return target


def test_a_fresh_folder_is_all_ours(out: Path) -> None:
    assert foreign_entries(str(out)) == ([], [], True)
    record = read_record(str(out))
    assert record is not None
    assert set(record) == {"README.txt", "a", "a/b.txt", "a/c", "a/c/d.bin"}
    assert json.loads((out / RECORD_NAME).read_text())["command"] == "test"


def test_same_size_other_content_is_changed(out: Path) -> None:
    (out / "a" / "b.txt").write_bytes(b"BBBB")
    assert foreign_entries(str(out)) == ([], ["a/b.txt"], True)
    assert foreign_entries(str(out), deep=False) == ([], [], True)  # sizes only
    with pytest.raises(OutputExistsError, match=r"a/b\.txt changed since"):
        write_folder(out, FILES, force=True, command="test")
    assert (out / "a" / "b.txt").read_bytes() == b"BBBB"


def test_added_entries_of_every_kind_are_not_ours(out: Path, tmp_path: Path) -> None:
    (out / ".hidden").write_text("x")
    (out / "a" / "empty").mkdir()
    (out / "a" / "link").symlink_to(tmp_path)
    os.mkfifo(out / "a" / "c" / "pipe")  # never opened (would block)
    not_ours, changed, has_record = foreign_entries(str(out))
    assert has_record and changed == []
    assert not_ours == [".hidden", "a/c/pipe", "a/empty", "a/link"]


def test_a_foreign_folder_is_named_not_its_content(out: Path) -> None:
    (out / "thesis").mkdir()
    for i in range(50):
        (out / "thesis" / f"ch{i}.tex").write_text("x")
    assert foreign_entries(str(out))[0] == ["thesis"]


@pytest.mark.parametrize("text", ["not json", "[]", '{"format": "other", "entries": []}', "{"])
def test_a_file_of_the_records_name_that_is_no_record_proves_nothing(
    tmp_path: Path, text: str
) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / RECORD_NAME).write_text(text)
    assert foreign_entries(str(folder)) == ([RECORD_NAME], [], False)
    with pytest.raises(OutputExistsError, match="did not write"):
        write_folder(folder, FILES, force=True, command="test")


def test_a_deleted_file_of_ours_does_not_block(out: Path) -> None:
    (out / "a" / "b.txt").unlink()
    assert foreign_entries(str(out)) == ([], [], True)
    write_folder(out, {"new.txt": b"n"}, force=True, command="test")
    assert sorted(p.name for p in out.iterdir()) == [RECORD_NAME, "new.txt"]


def test_an_empty_folder_is_used_without_force(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    write_folder(empty, FILES, force=False, command="test")
    assert (empty / "README.txt").read_bytes() == b"hello\n"


def test_a_single_file_is_ours_by_record_or_marker(tmp_path: Path) -> None:
    from clxm_meta.io.output import write_output_file

    path = tmp_path / "d.json"
    write_output_file(path, "{}\n", force=False, command="export empiar")
    assert file_is_ours(str(path)) == (True, "")
    path.write_text("{ }\n")
    ours, why = file_is_ours(str(path))
    assert not ours and "changed" in why
    marked = tmp_path / "r.html"
    marked.write_text('<html><head><meta name="generator" content="clxm-meta report">')
    assert file_is_ours(str(marked))[0]
    plain = tmp_path / "p.html"
    plain.write_text("<html>")
    assert file_is_ours(str(plain))[0] is False


def test_open_atomic_never_replaces_a_fifo_or_a_link(tmp_path: Path) -> None:
    import stat

    from clxm_meta.io.output import write_atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputExistsError, match="not a regular file"):
        write_atomic(fifo, "x", force=True)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    target = tmp_path / "t.txt"
    target.write_text("keep")
    link = tmp_path / "l.txt"
    link.symlink_to(target)
    with pytest.raises(OutputExistsError, match="symbolic link"):
        write_atomic(link, "x", force=True)
    assert link.is_symlink() and target.read_text() == "keep"


def test_a_name_that_is_not_utf8_is_recorded_as_it_is(tmp_path: Path) -> None:
    def stage(folder: str) -> None:
        with open(os.path.join(os.fsencode(folder), b"cell1\xfe.log"), "wb") as fh:
            fh.write(b"log")

    out = tmp_path / "out"
    write_folder(out, FILES, force=False, command="test", stage=stage)
    assert foreign_entries(str(out)) == ([], [], True)
    write_folder(out, FILES, force=True, command="test")  # replaced: it was ours
    assert not os.path.lexists(os.path.join(os.fsencode(out), b"cell1\xfe.log"))


def test_without_an_atomic_exchange_two_renames_leave_no_old_folder(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clxm_meta.io import outdir

    monkeypatch.setattr(outdir, "_exchange", lambda a, b: False)
    write_folder(out, {"new.txt": b"n"}, force=True, command="test")
    assert sorted(p.name for p in out.iterdir()) == [RECORD_NAME, "new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_an_old_output_left_by_a_killed_run_is_removed_only_when_provably_ours(
    out: Path, tmp_path: Path
) -> None:
    from clxm_meta.io.outdir import clean_stale

    pid = _dead_pid()
    edited = tmp_path / f".clxm-old-{pid}-efgh"
    write_folder(edited, FILES, force=False, command="test")
    (edited / "README.txt").write_text("my edit")
    old = tmp_path / f".clxm-old-{pid}-abcd"
    out.rename(old)  # as left by a run killed between its two renames
    assert clean_stale(str(tmp_path)) == [str(old)]
    assert not old.exists() and (edited / "README.txt").read_text() == "my edit"
