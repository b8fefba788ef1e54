"""The opt-in intensity scan: exact per-channel statistics from the pixels, streamed in windows."""

from __future__ import annotations

import json
import mmap
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.writers.dv import DvSpec, write_dv
from tests.writers.mrc import write_mrc

import clxm_meta
from clxm_meta.cli import main
from clxm_meta.errors import MalformedFileError, UnsupportedFormatError
from clxm_meta.pixels import intensity as intensity_module
from clxm_meta.pixels import scan_intensities

NZ, NW, NT, NY, NX = 3, 2, 2, 5, 7


@pytest.fixture(autouse=True, params=[True, False], ids=["read", "map"])
def piece_access(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Every test with pieces read into a buffer (``preadv``) and with pieces mapped."""
    if request.param and not hasattr(os, "preadv"):
        pytest.skip("no preadv on this platform: pieces are mapped")
    monkeypatch.setattr(intensity_module, "_READ", request.param)
    return bool(request.param)


def _pixels(seq: int, big_endian: bool = False) -> tuple[np.ndarray[Any, Any], bytes]:
    """uint16 planes in file order and the expected per-wave values (wave w: values + 1000·w)."""
    rng = np.random.default_rng(seq)
    planes = []
    for p in range(NZ * NW * NT):
        _z, w, _t = clxm_meta_plane(p, seq)
        planes.append(rng.integers(0, 900, size=(NY, NX)) + 1000 * w)
    data = np.array(planes, dtype=">u2" if big_endian else "<u2")
    return data, data.tobytes()


def clxm_meta_plane(p: int, seq: int) -> tuple[int, int, int]:
    from clxm_meta.readers.dv.extended_header import plane_index

    z, w, t = plane_index(p, seq, NZ, NW, NT)
    assert z is not None and w is not None and t is not None
    return z, w, t


def _dv(tmp_path: Path, seq: int, *, big_endian: bool = False, minmax: float = 1.0) -> Path:
    _data, raw = _pixels(seq, big_endian)
    spec = DvSpec(
        nx=NX,
        ny=NY,
        nz=NZ,
        n_waves=NW,
        n_times=NT,
        waves=(525, 600),
        minmax=((0.0, minmax), (0.0, minmax)),
        sequence=seq,
        big_endian=big_endian,
        pixel_data=raw,
    )
    return write_dv(tmp_path / f"raw_{seq}.dv", spec)


def _expected(seq: int) -> list[tuple[float, float, float]]:
    data, _ = _pixels(seq)
    out = []
    for w in range(NW):
        rows = [data[p] for p in range(len(data)) if clxm_meta_plane(p, seq)[1] == w]
        block = np.array(rows, dtype=np.int64)
        out.append((float(block.min()), float(block.max()), float(block.sum()) / block.size))
    return out


@pytest.mark.parametrize("seq", [0, 1, 2])
@pytest.mark.parametrize("chunk", [1, 64 * 1024 * 1024])
def test_dv_per_channel_statistics_are_exact(tmp_path: Path, seq: int, chunk: int) -> None:
    model = clxm_meta.read(_dv(tmp_path, seq))
    scan = scan_intensities(model, chunk_bytes=chunk)
    got = [(c.min, c.max, c.mean) for c in scan.channels]
    assert got == _expected(seq)
    assert [c.wavelength_nm for c in scan.channels] == [525.0, 600.0]
    assert all(c.samples == NZ * NT * NX * NY for c in scan.channels)
    assert scan.data_bytes == NZ * NW * NT * NX * NY * 2


def test_big_endian_dv(tmp_path: Path) -> None:
    model = clxm_meta.read(_dv(tmp_path, 2, big_endian=True))
    assert [(c.min, c.max, c.mean) for c in scan_intensities(model).channels] == _expected(2)


def test_mrc_matches_numpy(tmp_path: Path) -> None:
    import mrcfile

    path = write_mrc(tmp_path / "t.mrc", shape=(6, 9, 11), dtype="int16")
    with warnings.catch_warnings():
        # mrcfile sets ``ndarray.dtype``, deprecated in NumPy 2.5: the peer's code, not the file
        warnings.simplefilter("ignore", DeprecationWarning)
        with mrcfile.open(path, permissive=True) as m:
            data = np.asarray(m.data, dtype=np.int64)
    (ch,) = scan_intensities(clxm_meta.read(path), chunk_bytes=100).channels
    assert (ch.min, ch.max) == (float(data.min()), float(data.max()))
    assert ch.mean == pytest.approx(float(data.mean()), rel=0, abs=1e-12)


def test_windows_stay_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece_access: bool
) -> None:
    lengths: list[int] = []
    if piece_access:
        real_read = os.preadv

        def reading(fd: int, buffers: list[memoryview], offset: int) -> int:
            lengths.append(buffers[0].obj.__len__())  # the whole buffer, not the part asked
            return real_read(fd, buffers, offset)

        monkeypatch.setattr(intensity_module.os, "preadv", reading)
    else:
        real = intensity_module._map

        def recording(fd: int, start: int, length: int) -> Any:
            lengths.append(length)
            return real(fd, start, length)

        monkeypatch.setattr(intensity_module, "_map", recording)
    model = clxm_meta.read(_dv(tmp_path, 0))
    chunk = 3 * NX * NY * 2 + 1
    scan = scan_intensities(model, chunk_bytes=chunk, workers=2)
    assert scan.chunk_bytes == chunk - 1  # whole samples
    # each mapping is one piece plus at most the page alignment before it
    assert lengths and max(lengths) <= chunk + mmap.ALLOCATIONGRANULARITY
    assert sum(c.samples for c in scan.channels) == NZ * NW * NT * NX * NY


@pytest.mark.parametrize("seq", [0, 1, 2])
def test_pieces_tile_the_data_one_channel_each(tmp_path: Path, seq: int) -> None:
    model = clxm_meta.read(_dv(tmp_path, seq))
    lay = intensity_module._layout(model)
    per_piece = 2 * NX * NY + 3  # pieces straddle sections within one channel's run
    pieces = intensity_module._pieces(lay, per_piece)
    at = lay.offset
    for piece in pieces:
        assert piece.offset == at and 0 < piece.count <= per_piece
        first = (piece.offset - lay.offset) // 2 // (NX * NY)
        last = (piece.offset - lay.offset + piece.count * 2 - 1) // 2 // (NX * NY)
        assert {lay.channel_of_section[s] for s in range(first, last + 1)} == {piece.channel}
        at += piece.count * 2
    assert at == lay.offset + NZ * NW * NT * NX * NY * 2


def _mrc_with(tmp_path: Path, data: np.ndarray[Any, Any]) -> Path:
    """An MRC whose pixel data are ``data`` (the writer's ramp replaced in place)."""
    path = write_mrc(tmp_path / "px.mrc", shape=data.shape, dtype=data.dtype)
    raw = path.read_bytes()
    path.write_bytes(
        raw[: len(raw) - data.nbytes] + data.astype(data.dtype.newbyteorder("<")).tobytes()
    )
    return path


@pytest.mark.parametrize(
    ("dtype", "lo", "hi"),
    [("uint16", 0, 65536), ("int16", -32768, 32768), ("int16", -5, 4000)],
)
def test_integer_sums_are_exact_at_full_range(tmp_path: Path, dtype: str, lo: int, hi: int) -> None:
    # > 2 rows of 65,536 samples at the extremes: a 32-bit accumulator would overflow here
    rng = np.random.default_rng(7)
    data = rng.integers(lo, hi, size=(3, 300, 301)).astype(dtype)
    data[0] = hi - 1
    model = clxm_meta.read(_mrc_with(tmp_path, data))
    (ch,) = scan_intensities(model, chunk_bytes=data.nbytes).channels
    as64 = data.astype(np.int64)
    assert (ch.min, ch.max, ch.samples) == (float(as64.min()), float(as64.max()), data.size)
    assert ch.mean == int(as64.sum()) / data.size


def test_result_does_not_depend_on_workers_or_windows(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    data = rng.normal(100.0, 30.0, size=(5, 64, 70)).astype(np.float32)
    data[1, 2, 3] = np.nan
    data[4, 0, 0] = np.inf
    model = clxm_meta.read(_mrc_with(tmp_path, data))
    finite = data[np.isfinite(data)]
    runs = {
        (chunk, workers): scan_intensities(model, chunk_bytes=chunk, workers=workers).channels
        for chunk in (4096, 1 << 20)
        for workers in (1, 2, 3)
    }
    for chunk in (4096, 1 << 20):  # same pieces: bit-identical whatever the workers
        assert runs[(chunk, 1)] == runs[(chunk, 2)] == runs[(chunk, 3)]
    for (ch,) in runs.values():
        assert (ch.min, ch.max, ch.samples) == (
            float(finite.min()),
            float(finite.max()),
            finite.size,
        )
        assert ch.mean == pytest.approx(float(finite.astype(np.float64).mean()), rel=1e-12)
    with pytest.raises(ValueError, match="workers"):
        scan_intensities(model, workers=0)


def test_unsupported_and_truncated(tmp_path: Path) -> None:
    log = tmp_path / "x.tlt"
    log.write_text("-60.0\n0.0\n60.0\n")
    with pytest.raises(UnsupportedFormatError):
        scan_intensities(clxm_meta.read(log))
    path = _dv(tmp_path, 0)
    raw = path.read_bytes()
    path.write_bytes(raw[:-10])
    with pytest.raises(MalformedFileError):
        scan_intensities(clxm_meta.read(path))
    assert path.read_bytes() == raw[:-10]  # read-only


def test_table1_row_comes_from_the_pixels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _dv(tmp_path, 2, minmax=5.0)  # header min/max 0..5: stale
    capsys.readouterr()
    main(["table1", str(path), "--format", "json", "--scan-intensities"])
    rows = json.loads(capsys.readouterr().out)["rows"]
    (row,) = [r for r in rows if r["id"] == "raw.intensity_range"]
    assert [(v["min"], v["max"]) for v in row["value"]] == [(e[0], e[1]) for e in _expected(2)]
    assert row["source"]["kind"] == "derived"
    assert "computed from the pixels" in row["source"]["transform"]
    main(["table1", str(path), "--format", "json"])
    rows = json.loads(capsys.readouterr().out)["rows"]
    (row,) = [r for r in rows if r["id"] == "raw.intensity_range"]
    assert [v["max"] for v in row["value"]] == [5.0, 5.0]  # without the flag: the header's


def test_inspect_reports_the_scan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _dv(tmp_path, 1)
    capsys.readouterr()
    main(["inspect", str(path), "--format", "json", "--scan-intensities"])
    block = json.loads(capsys.readouterr().out)["intensity_scan"]
    assert [c["mean"] for c in block["channels"]] == [e[2] for e in _expected(1)]
    assert block["locator"].startswith("pixel data, bytes")


def test_a_file_cut_during_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece_access: bool
) -> None:
    if not piece_access:
        pytest.skip("a mapped piece past the end of the file would be a bus error")
    path = _dv(tmp_path, 0)
    model = clxm_meta.read(path)
    monkeypatch.setattr(intensity_module, "_check_size", lambda *args: None)  # cut after it
    with open(path, "r+b") as fh:
        fh.truncate(os.path.getsize(path) - 10)
    with pytest.raises(MalformedFileError, match="cut during the scan"):
        scan_intensities(model, workers=1)
