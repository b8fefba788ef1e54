"""MD5 manifest: progress reporting (bytes, files), the terminal-only bar, no file hashed twice."""

from __future__ import annotations

import io
import shutil
import threading
from pathlib import Path

import pytest

from clxm_meta.checks import manifest as manifest_module
from clxm_meta.checks.manifest import compute_manifest
from clxm_meta.cli import main
from clxm_meta.cli.progress import NullProgress, bytes_progress, wants_progress


class Recorder:
    def __init__(self) -> None:
        self.bytes = 0
        self.files = 0
        self._lock = threading.Lock()

    def advance(self, nbytes: int) -> None:
        with self._lock:
            self.bytes += nbytes

    def file_done(self) -> None:
        with self._lock:
            self.files += 1


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_counts_every_byte_and_file(tmp_path: Path) -> None:
    sizes = [0, 1, 5 * 1024 * 1024 + 3, 4096]
    files = []
    for i, size in enumerate(sizes):
        p = tmp_path / f"f{i}.bin"
        p.write_bytes(b"x" * size)
        files.append((p.name, str(p)))
    files.append(("gone.bin", str(tmp_path / "gone.bin")))
    rec = Recorder()
    entries, errors = compute_manifest(files, workers=3, progress=rec)
    assert rec.bytes == sum(sizes)
    assert rec.files == len(files)  # the unreadable one counts as done
    assert [e.code for e in errors] == ["manifest.unreadable"]
    assert len(entries) == len(files)


def test_bar_only_on_a_terminal_and_not_quiet() -> None:
    assert wants_progress(False, FakeTty()) is True
    assert wants_progress(True, FakeTty()) is False
    assert wants_progress(False, io.StringIO()) is False


def test_disabled_bar_is_a_null_sink_and_enabled_bar_accepts_updates() -> None:
    with bytes_progress("MD5", 10, 2, enabled=False) as sink:
        assert isinstance(sink, NullProgress)
    with bytes_progress("MD5", 10, 2, enabled=True) as sink:
        sink.advance(4)
        sink.file_done()
        sink.advance(6)
        sink.file_done()


def test_check_manifest_is_silent_off_a_terminal(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "md5.txt"
    assert main(["check", str(tree), "--manifest", str(out), "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert out.read_text().count("\n") >= 5


def test_check_manifest_hashes_each_file_once(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(tree / "sample1" / "SIM" / "cell1.log", tree / "sample1" / "copy.log")
    opened: list[str] = []
    real_md5 = manifest_module.md5_file

    def counting(path: str, *args: object, **kwargs: object) -> str:
        opened.append(str(path))
        return real_md5(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(manifest_module, "md5_file", counting)
    out = tmp_path / "md5.txt"
    assert main(["check", str(tree), "--format", "json", "--manifest", str(out)]) == 0
    assert len(opened) == len(set(opened))  # the duplicate check reused the manifest's MD5s
    assert any(p.endswith("copy.log") for p in opened)


def test_existing_manifest_refused_before_hashing(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "md5.txt"
    out.write_text("keep\n")

    def boom(*args: object, **kwargs: object) -> str:
        raise AssertionError("hashed although the output exists")

    monkeypatch.setattr(manifest_module, "md5_file", boom)
    assert main(["check", str(tree), "--manifest", str(out), "--no-duplicates"]) == 2
    assert out.read_text() == "keep\n"


def test_a_small_file_is_read_with_a_small_buffer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: zeroing a 4 MiB buffer per file cost more than hashing a deposit's small files."""
    import hashlib

    from clxm_meta.io import md5 as md5mod

    sizes: list[int] = []

    def spy(n: int) -> bytearray:
        sizes.append(n)
        return bytearray(n)

    monkeypatch.setattr(md5mod, "bytearray", spy, raising=False)
    path = tmp_path / "small.txt"
    path.write_bytes(b"x" * 1000)
    assert md5mod.md5_file(path) == hashlib.md5(b"x" * 1000).hexdigest()
    big = tmp_path / "big.bin"
    big.write_bytes(b"y" * (md5mod.SMALL_BUFFER * 3 + 7))
    assert md5mod.md5_file(big, chunk_size=md5mod.SMALL_BUFFER * 2) == (
        hashlib.md5(b"y" * (md5mod.SMALL_BUFFER * 3 + 7)).hexdigest()
    )
    assert sizes == [md5mod.SMALL_BUFFER, md5mod.SMALL_BUFFER * 2]
