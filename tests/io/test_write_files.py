"""`write_files_in` (a deposit's files into its staging folder): one check and mkdir per folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clxm_meta.errors import OutputPathError
from clxm_meta.export.deposit.upload import place_links
from clxm_meta.io import outdir


def test_each_folder_is_made_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real = os.makedirs

    def spy(path: str, *args: object, **kwargs: object) -> None:
        made.append(path)
        real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "makedirs", spy)
    files = {f"u{i}/biostudies/f{j}.txt": f"{i}-{j}".encode() for i in range(3) for j in range(4)}
    files["README.txt"] = b"top"
    files["u0/README.txt"] = b"unit"
    outdir.write_files_in(str(tmp_path), files)
    for rel, data in files.items():
        assert (tmp_path / rel).read_bytes() == data
    # makedirs (and its recursion into missing parents) never twice on a folder; the old code
    # called it once per file
    assert len(made) == len(set(made))


@pytest.mark.parametrize("last", ["..", ".", ""])
def test_a_later_name_that_is_not_plain_is_still_checked(tmp_path: Path, last: str) -> None:
    """``a/..`` after ``a/-`` climbs: it goes through the full check, and is refused.

    ``a/.`` before ``a/x`` names the file ``a``: ``a/x`` is then refused (``a`` is no folder),
    never written beside it as ``x``.
    """
    staging = tmp_path / "staging"
    staging.mkdir()
    with pytest.raises((OutputPathError, FileExistsError, NotADirectoryError)):
        outdir.write_files_in(str(staging), {"a/-": b"1", f"a/{last}": b"2"})
    with pytest.raises((OutputPathError, FileExistsError, NotADirectoryError)):
        outdir.write_files_in(str(tmp_path / "other"), {f"a/{last}": b"1", "a/x": b"2"})
    assert not (tmp_path / "other" / "x").exists()


def test_a_later_name_never_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    """A link planted beside the first file is refused (now by the exclusive create)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    staging = tmp_path / "staging"
    (staging / "a").mkdir(parents=True)
    (staging / "a" / "y").symlink_to(outside / "victim")
    with pytest.raises((OutputPathError, FileExistsError)):
        outdir.write_files_in(str(staging), {"a/x": b"1", "a/y": b"2"})
    assert not (outside / "victim").exists()


def test_place_links_makes_each_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in.dat"
    src.write_bytes(b"x")
    made: list[str] = []
    real = os.makedirs

    def spy(path: str, *args: object, **kwargs: object) -> None:
        made.append(path)
        real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "makedirs", spy)
    out = tmp_path / "out"
    links = {f"u/upload/data/f{i}.dat": str(src) for i in range(5)} | {"v/g.dat": str(src)}
    place_links(str(out), links, "symlink")
    assert len(made) == len(set(made))
    assert all(os.readlink(out / rel) == str(src) for rel in links)


def test_plain_names_in_a_fresh_folder_resolve_no_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: no ``realpath`` (one ``lstat`` per part) nor ``makedirs`` per folder; each
    folder is made by one ``mkdir``, and the files are the same bytes with the same mode."""
    resolved: list[str] = []
    made: list[str] = []
    real_realpath, real_mkdir = os.path.realpath, os.mkdir

    def spy_realpath(path: str, *args: object, **kwargs: object) -> str:
        resolved.append(path)
        return real_realpath(path, *args, **kwargs)  # type: ignore[arg-type]

    def spy_mkdir(path: str, *args: object, **kwargs: object) -> None:
        made.append(path)
        real_mkdir(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os.path, "realpath", spy_realpath)
    monkeypatch.setattr(os, "mkdir", spy_mkdir)
    files = {
        f"u{i}/upload/empiar/f{j}.txt": f"{i}-{j}".encode() for i in range(3) for j in range(3)
    }
    files["README.txt"] = b"top"
    outdir.write_files_in(str(tmp_path), files)
    assert resolved == []
    expected = {
        str(tmp_path / f"u{i}" / p) for i in range(3) for p in ("", "upload", "upload/empiar")
    }
    assert sorted(made) == sorted(p.rstrip("/") for p in expected)
    umask = os.umask(0)
    os.umask(umask)
    for rel, data in files.items():
        assert (tmp_path / rel).read_bytes() == data
        assert (tmp_path / rel).stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_folder_there_before_gets_the_full_check(tmp_path: Path) -> None:
    """A resumed staging folder: a planted link to a folder outside is refused, not written
    through (the folder was not made by this writer, so the name is resolved in full)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "u").symlink_to(outside, target_is_directory=True)
    with pytest.raises(OutputPathError):
        outdir.write_files_in(str(staging), {"u/x.txt": b"1"})
    assert list(outside.iterdir()) == []
    (staging / "v").mkdir()
    outdir.write_files_in(str(staging), {"v/a/y.txt": b"2"})  # a real folder: written
    assert (staging / "v" / "a" / "y.txt").read_bytes() == b"2"
