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


def _modules_after(code: str) -> set[str]:
    """Names in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    import json
    import subprocess
    import sys

    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _readers_loaded(modules: set[str]) -> set[str]:
    """Format packages whose reader or model was imported (sniff modules do not count)."""
    return {
        m.split(".")[2]
        for m in modules
        if m.startswith("clxm_meta.readers.")
        and m.count(".") >= 3
        and m.rsplit(".", 1)[1] not in ("sniff", "matrix_text", "ta_logs")
    }


def test_every_format_package_has_the_same_shape() -> None:
    root = Path(clxm_meta.__file__).parent / "readers"
    for entry in FORMATS:
        package = root / entry.module.rsplit(".", 1)[1]
        assert (package / "__init__.py").is_file(), entry.name
        assert (package / "reader.py").is_file(), entry.name
        assert (package / "model.py").is_file(), entry.name
        assert (package / "sniff.py").is_file() == entry.is_text, entry.name


def test_detecting_a_text_file_imports_sniffers_only(tmp_path: Path) -> None:
    xf = tmp_path / "TS_01.xf"
    xf.write_text("1 0 0 1 0 0\n")
    code = (
        f"from clxm_meta.readers.registry import detect\nassert detect({str(xf)!r}).name == 'imod'"
    )
    modules = _modules_after(code)
    assert _readers_loaded(modules) == set()
    assert "clxm_meta.readers.imod.sniff" in modules


def test_detecting_a_binary_file_imports_no_reader_package(tmp_path: Path) -> None:
    dv = Path(__file__).resolve().parents[2] / "examples" / "cell1.dv"
    code = f"from clxm_meta.readers.registry import detect\nassert detect({str(dv)!r}).name == 'dv'"
    modules = _modules_after(code)
    assert not any(m.startswith("clxm_meta.readers.dv") for m in modules)
    assert not any(m.endswith(".sniff") for m in modules)


def test_reading_a_text_file_imports_its_reader_only(tmp_path: Path) -> None:
    xf = tmp_path / "TS_01.xf"
    xf.write_text("1 0 0 1 0 0\n")
    modules = _modules_after(f"import clxm_meta\nclxm_meta.read({str(xf)!r})")
    assert _readers_loaded(modules) == {"imod"}


def test_package_exports_resolve_lazily() -> None:
    from clxm_meta.readers import dv, imod

    assert imod.read.__module__ == "clxm_meta.readers.imod.reader"
    assert dv.DvFile.__module__ == "clxm_meta.readers.dv.model"
    assert "read" in dir(dv)
    with pytest.raises(AttributeError):
        _ = dv.no_such_name
