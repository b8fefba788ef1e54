"""Hostile and broken MRC files: a library error or a finding, never a traceback or a huge read."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clxm_meta.errors import ClxmMetaError, MalformedFileError
from clxm_meta.normalise.mrc import candidates
from clxm_meta.readers.mrc import read
from clxm_meta.readers.registry import read as registry_read
from writers.mrc import patch, write_mrc


def _codes(model: object) -> set[str]:
    return {f.code for f in model.findings}  # type: ignore[attr-defined]


@pytest.fixture
def stack(tmp_path: Path) -> Path:
    return write_mrc(
        tmp_path / "ts.st",
        shape=(5, 8, 8),
        dtype="int16",
        tilt_angles=[-20.0, -10.0, 0.0, 10.0, 20.0],
    )


def test_nsymbt_larger_than_file(stack: Path) -> None:
    patch(stack, 92, (2**31 - 1).to_bytes(4, "little"))
    tracemalloc.start()
    try:
        model = read(stack)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # nothing allocated from the declared size
    assert "mrc.ext_header_beyond_file" in _codes(model)
    assert model.header.nsymbt == 2**31 - 1
    assert model.data_bytes_present == 0
    with pytest.raises(MalformedFileError, match="extended header"):
        read(stack, strict=True)


def test_negative_nsymbt(stack: Path) -> None:
    patch(stack, 92, (-5).to_bytes(4, "little", signed=True))
    model = read(stack)
    assert "mrc.nsymbt_negative" in _codes(model)
    assert model.ext_header.size == 0


def test_truncated_header(tmp_path: Path, stack: Path) -> None:
    short = tmp_path / "short.mrc"
    short.write_bytes(stack.read_bytes()[:700])
    with pytest.raises(MalformedFileError, match="truncated header"):
        read(short)
    with pytest.raises(ClxmMetaError):
        registry_read(short)


def test_truncated_data_and_ext_header(tmp_path: Path, stack: Path) -> None:
    cut = tmp_path / "cut.st"
    cut.write_bytes(stack.read_bytes()[: 1024 + 4])  # 2 of 5 SerialEM records (2 bytes each)
    model = read(cut)
    codes = _codes(model)
    assert "mrc.ext_header_beyond_file" in codes
    assert model.ext_header.n_sections == 2
    assert "mrc.ext_header_short" in codes
    assert model.tilt_angles_deg == [-20.0, -10.0]


@pytest.mark.parametrize("stamp", [b"\x00\x00\x00\x00", b"\x44\x20\x20\x20", b"\xff\xff\xff\xff"])
def test_wrong_machine_stamp(stack: Path, stamp: bytes) -> None:
    patch(stack, 212, stamp)
    model = read(stack)
    assert model.header.byte_order == "<"
    if stamp[:2] != b"\x44\x20":
        assert "mrc.machine_stamp" in _codes(model)
    assert model.header.nx == 8


def test_byte_order_flipped_by_mode(tmp_path: Path) -> None:
    path = write_mrc(tmp_path / "be.mrc", shape=(2, 4, 4), dtype="int16", big_endian=True)
    patch(path, 212, b"\x44\x44\x00\x00")  # claims little-endian
    model = read(path)
    assert model.header.byte_order == ">"
    assert model.header.byte_order_source.startswith("flipped")
    assert (model.header.nx, model.header.mode) == (4, 1)
    assert "mrc.machine_stamp" in _codes(model)


def test_absurd_dimensions(stack: Path) -> None:
    patch(stack, 0, np.array([2**31 - 1, 2**31 - 1, 2**31 - 1], "<i4").tobytes())
    model = read(stack)
    assert model.header.nx == 2**31 - 1
    assert "mrc.data_missing" in _codes(model)
    assert model.data_bytes_expected == 2 * (2**31 - 1) ** 3
    # a 5-section extended header does not become 2^31 sections
    assert model.ext_header.n_sections == 5
    assert {c.field for c in candidates(model)} >= {"acquisition.n_frames"}


def test_negative_dimensions(stack: Path) -> None:
    patch(stack, 4, (-8).to_bytes(4, "little", signed=True))
    model = read(stack)
    assert "mrc.bad_dimensions" in _codes(model)
    assert model.data_bytes_expected is None
    assert not any(c.field.endswith("dimensions") for c in candidates(model))
    with pytest.raises(MalformedFileError, match="ny"):
        read(stack, strict=True)


def test_garbage_exttyp_and_unknown_mode(stack: Path) -> None:
    patch(stack, 104, b"\xcd\xcd\xcd\xcd")
    patch(stack, 12, (7).to_bytes(4, "little"))
    model = read(stack)
    codes = _codes(model)
    assert {"mrc.exttyp_garbage", "mrc.unknown_mode"} <= codes
    assert model.header.exttyp is None and model.header.dtype is None
    assert model.ext_header.interpretation == "serialem"  # nint/nreal still describe it


def test_missing_map_id_when_forced(stack: Path) -> None:
    patch(stack, 208, b"XXXX")
    model = registry_read(stack, format="mrc")
    assert "mrc.no_map_id" in _codes(model)


def test_nlabl_out_of_range(stack: Path) -> None:
    patch(stack, 220, (99).to_bytes(4, "little"))
    model = read(stack)
    assert "mrc.nlabl_invalid" in _codes(model)
    assert len(model.labels) == 10


def test_nan_header_floats(stack: Path) -> None:
    patch(stack, 40, np.array([np.nan, np.inf, 1.0], "<f4").tobytes())
    model = read(stack)
    assert model.header.cella_a.x is None and model.header.voxel_size_a.y is None
    assert "mrc.voxel_size_unknown" in _codes(model)


def test_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ClxmMetaError):
        read(tmp_path)
    with pytest.raises(ClxmMetaError):
        read(tmp_path / "nope.mrc")


_BASE: dict[str, bytes] = {}


def _base_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    if "b" not in _BASE:
        path = write_mrc(
            tmp_path_factory.mktemp("base") / "b.st",
            shape=(4, 6, 6),
            dtype="int16",
            tilt_angles=[-3.0, -1.0, 1.0, 3.0],
            stage_um=[(1.0, 2.0)] * 4,
            labels=["SerialEM: x"],
        )
        _BASE["b"] = path.read_bytes()
    return _BASE["b"]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    flips=st.lists(
        st.tuples(st.integers(0, 1023 + 4 * 8), st.integers(0, 255)), min_size=1, max_size=12
    ),
    cut=st.one_of(st.none(), st.integers(0, 1200)),
)
def test_flipped_header_bytes_never_traceback(
    tmp_path_factory: pytest.TempPathFactory, flips: list[tuple[int, int]], cut: int | None
) -> None:
    data = bytearray(_base_bytes(tmp_path_factory))
    for offset, value in flips:
        if offset < len(data):
            data[offset] = value
    if cut is not None:
        data = data[:cut]
    path = tmp_path_factory.mktemp("fuzz") / "f.mrc"
    path.write_bytes(bytes(data))
    try:
        model = read(path)
    except ClxmMetaError:
        return
    model.model_dump_json()
    candidates(model)
