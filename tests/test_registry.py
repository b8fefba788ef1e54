"""Format detection by content, and clear errors for what is not ours."""

from __future__ import annotations

from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.errors import UnreadableFileError, UnsupportedFormatError
from clxm_meta.readers.registry import FORMATS, detect_bytes, get_format


def _header(at96: bytes = b"\x00\x00", at208: bytes = b"\x00\x00\x00\x00") -> bytes:
    head = bytearray(1024)
    head[96:98] = at96
    head[208:212] = at208
    return bytes(head)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (_header(b"\xa0\xc0"), "dv"),
        (_header(b"\xc0\xa0"), "dv"),
        (_header(b"\xa0\xc0", b"MAP "), "mrc"),  # MRC2014 wins over an accidental DV stamp
        (_header(at208=b"MAP "), "mrc"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "txrm"),
        (b"II*\x00" + bytes(100), "tiff"),
        (b"MM\x00*" + bytes(100), "tiff"),
        (b"II+\x00" + bytes(100), "tiff"),
    ],
)
def test_magic_bytes(head: bytes, expected: str) -> None:
    entry = detect_bytes(head, "whatever.bin")
    assert entry is not None and entry.name == expected


def test_binary_without_magic_is_unknown() -> None:
    assert detect_bytes(bytes(2048), "x.dv") is None


def test_unknown_and_empty_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.dv"
    empty.write_bytes(b"")
    with pytest.raises(UnsupportedFormatError, match="empty file"):
        clxm_meta.read(empty)
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(UnsupportedFormatError, match=r"junk\.bin"):
        clxm_meta.read(junk)
    with pytest.raises(UnreadableFileError):
        clxm_meta.read(tmp_path / "missing.dv")
    with pytest.raises(UnreadableFileError, match="directory"):
        clxm_meta.read(tmp_path)


def test_registry_names() -> None:
    names = [f.name for f in FORMATS]
    assert len(names) == len(set(names))
    with pytest.raises(UnsupportedFormatError, match="unknown format"):
        get_format("nope")
