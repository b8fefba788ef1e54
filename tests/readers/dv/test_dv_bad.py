"""Bad DV input gives the library's errors or findings: no traceback, no header-sized allocation."""

from __future__ import annotations

import struct
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clxm_meta.errors import ClxmMetaError, MalformedFileError, UnsupportedFormatError
from clxm_meta.normalise.dv import candidates
from clxm_meta.readers.dv import read
from writers.dv import DvSpec, SectionSpec, dv_bytes


def _write(tmp_path: Path, data: bytes, name: str = "x.dv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _base() -> bytearray:
    spec = DvSpec(nz=2, sections=[SectionSpec(floats={10: 488.0})] * 2)
    return bytearray(dv_bytes(spec))


def test_truncated_header(tmp_path: Path) -> None:
    with pytest.raises(MalformedFileError):
        read(_write(tmp_path, bytes(_base()[:500])))


def test_wrong_magic(tmp_path: Path) -> None:
    raw = _base()
    raw[96:98] = b"\x00\x00"
    with pytest.raises(UnsupportedFormatError):
        read(_write(tmp_path, bytes(raw)))


def test_ext_header_longer_than_file(tmp_path: Path) -> None:
    raw = _base()
    struct.pack_into("<i", raw, 92, 10**9)
    m = read(_write(tmp_path, bytes(raw)))
    assert m.ext_header is None
    assert any(f.code == "dv.ext_header_beyond_eof" for f in m.findings)
    with pytest.raises(MalformedFileError):
        read(tmp_path / "x.dv", strict=True)


@pytest.mark.parametrize(
    ("offset", "fmt", "value", "code"),
    [
        (8, "<i", 2**31 - 1, "dv.truncated"),  # absurd section count
        (0, "<i", 2**31 - 1, "dv.truncated"),
        (8, "<i", -5, "dv.bad_dimension"),
        (4, "<i", 0, "dv.bad_dimension"),
        (92, "<i", -1024, "dv.bad_next"),
        (128, "<h", -3, "dv.bad_ext_counts"),
        (12, "<i", 99, "dv.unknown_pixel_type"),
        (222, "<h", 500, "dv.bad_title_count"),
        (182, "<h", 7, "dv.unknown_sequence"),
    ],
)
def test_absurd_fields_give_findings(
    tmp_path: Path, offset: int, fmt: str, value: int, code: str
) -> None:
    raw = _base()
    struct.pack_into(fmt, raw, offset, value)
    path = _write(tmp_path, bytes(raw))
    tracemalloc.start()
    try:
        m = read(path)
        candidates(m)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # nothing sized by the header
    assert any(f.code == code for f in m.findings), [f.code for f in m.findings]


def test_huge_ext_counts_bounded(tmp_path: Path) -> None:
    raw = _base()
    struct.pack_into("<2h", raw, 128, 32767, 32767)
    struct.pack_into("<i", raw, 8, 2**31 - 1)
    m = read(_write(tmp_path, bytes(raw)))
    assert m.ext_header is None or len(m.ext_header.sections) == 0


def test_empty_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ClxmMetaError):
        read(_write(tmp_path, b""))
    with pytest.raises(ClxmMetaError):
        read(tmp_path)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    patches=st.lists(
        st.tuples(st.integers(0, 1023), st.binary(min_size=1, max_size=8)), max_size=12
    ),
    cut=st.integers(0, 1400),
    big=st.booleans(),
)
def test_fuzz_header_bytes(
    tmp_path: Path, patches: list[tuple[int, bytes]], cut: int, big: bool
) -> None:
    raw = bytearray(dv_bytes(DvSpec(nz=2, big_endian=big, sections=[SectionSpec()] * 2)))
    for off, data in patches:
        raw[off : off + len(data)] = data
    path = _write(tmp_path, bytes(raw[: max(cut, 0)] if cut < len(raw) else raw), "f.dv")
    try:
        m = read(path)
    except ClxmMetaError:
        return
    candidates(m)
    m.model_dump_json()
