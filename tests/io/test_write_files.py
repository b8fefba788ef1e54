"""`_write_files` (a deposit's files into its staging folder): one check and mkdir per folder."""

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
    outdir._write_files(str(tmp_path), files)
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
        outdir._write_files(str(staging), {"a/-": b"1", f"a/{last}": b"2"})
    with pytest.raises((OutputPathError, FileExistsError, NotADirectoryError)):
        outdir._write_files(str(tmp_path / "other"), {f"a/{last}": b"1", "a/x": b"2"})
    assert not (tmp_path / "other" / "x").exists()


def test_a_later_name_never_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    """A link planted beside the first file is refused (now by the exclusive create)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    staging = tmp_path / "staging"
    (staging / "a").mkdir(parents=True)
    (staging / "a" / "y").symlink_to(outside / "victim")
    with pytest.raises((OutputPathError, FileExistsError)):
        outdir._write_files(str(staging), {"a/x": b"1", "a/y": b"2"})
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
