"""The MRC reader and normaliser on files written by tests/writers/mrc.py, field by field."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from clxm_meta.normalise.build import build_records
from clxm_meta.normalise.candidate import Precedence
from clxm_meta.normalise.mrc import candidates
from clxm_meta.readers.mrc import read
from clxm_meta.readers.mrc.extended_header import unpack_serialem_float
from clxm_meta.readers.mrc.labels import parse_label
from clxm_meta.records.fields import DatasetKind
from writers.mrc import (
    IMOD_STAMP,
    imod_label,
    pack_serialem_float,
    patch,
    serialem_label,
    serialem_tilt_axis_label,
    write_mrc,
)

TILTS = [round(a, 2) for a in np.linspace(-60, 60, 21)]


def _codes(model: object) -> set[str]:
    return {f.code for f in model.findings}  # type: ignore[attr-defined]


@pytest.mark.parametrize("big_endian", [False, True])
def test_serialem_stack_all_items(tmp_path: Path, big_endian: bool) -> None:
    n = 5
    path = write_mrc(
        tmp_path / "ts.st",
        shape=(n, 8, 6),
        dtype="int16",
        voxel_size_a=(2.5, 2.5, 2.5),
        labels=[serialem_label(), serialem_tilt_axis_label(85.3, binning=2)],
        tilt_angles=[-30.0, -15.0, 0.0, 15.0, 30.0],
        montage=[(0, 0, i) for i in range(n)],
        stage_um=[(10.0 + i, -5.0) for i in range(n)],
        magnification=[29000.0] * n,
        intensity=[0.5] * n,
        dose=[1.25, 2.5, 0.75, 100.0, 3.0e-3],
        big_endian=big_endian,
    )
    model = read(path)
    hdr = model.header
    assert hdr.byte_order == (">" if big_endian else "<")
    assert hdr.machine_stamp.startswith("0x11 0x11" if big_endian else "0x44 0x44")
    assert (hdr.nx, hdr.ny, hdr.nz, hdr.mode, hdr.dtype) == (6, 8, 5, 1, "int16")
    assert hdr.exttyp == "SERI" and hdr.ispg == 0
    assert hdr.imod.stamp_present and hdr.imod.stamp == IMOD_STAMP
    assert (hdr.imod.nint, hdr.imod.nreal) == (20, 63)
    ext = model.ext_header
    assert ext.interpretation == "serialem"
    assert ext.items == ["tilt", "montage", "stage", "magnification", "intensity", "dose"]
    assert ext.n_sections == 5
    s3 = ext.sections[3]
    assert s3.tilt_deg == 15.0
    assert (s3.piece_x, s3.piece_y, s3.piece_z) == (0, 0, 3)
    assert (s3.stage_x_um, s3.stage_y_um) == (13.0, -5.0)
    assert s3.magnification == 29000.0
    assert s3.intensity == 0.5
    assert s3.dose_e_per_a2 == pytest.approx(100.0, rel=1e-4)
    assert ext.sections[4].dose_e_per_a2 == pytest.approx(3.0e-3, rel=1e-4)
    assert model.tilt_angles_deg == [-30.0, -15.0, 0.0, 15.0, 30.0]
    assert model.labels[1].tilt_axis_deg == 85.3 and model.labels[1].binning == 2
    assert model.role == "tilt_series"
    assert not [f for f in model.findings if f.severity == "error"]


@pytest.mark.parametrize("value", [1.0, -2.5, 0.001, 12345.678, 3e-7])
def test_serialem_float_round_trip(value: float) -> None:
    assert unpack_serialem_float(*pack_serialem_float(value)) == pytest.approx(value, rel=1e-4)


def test_imod_tomogram_and_its_table1_rows(tmp_path: Path) -> None:
    path = write_mrc(
        tmp_path / "cell_rec.mrc",
        shape=(10, 32, 40),
        dtype="float32",
        voxel_size_a=(100.0, 100.0, 100.0),
        labels=[
            imod_label("NEWSTACK: Images copied, transformed"),
            imod_label("Tomographic reconstruction"),
        ],
    )
    model = read(path)
    assert model.role == "tomogram"
    assert any("Tomographic reconstruction" in e for e in model.role_evidence)
    assert model.labels[1].date_iso == "2024-05-17" and model.labels[1].time == "09:30:00"
    cands = {c.field: c for c in candidates(model)}
    assert set(cands) == {
        "processed.format",
        "processed.dimensions",
        "processed.pixel_type",
        "setup.pixel_size",
    }
    assert cands["processed.format"].value == "MRC"
    dims = cands["processed.dimensions"].value
    assert (dims.x, dims.y, dims.z) == (40, 32, 10)
    assert (dims.x_um, dims.y_um, dims.z_um) == pytest.approx((0.4, 0.32, 0.1))
    assert cands["processed.pixel_type"].value == "32-bit float"
    assert cands["processed.pixel_type"].source.locator == "header mode (byte 12)"
    px = cands["setup.pixel_size"]
    assert (px.value.x, px.value.y, px.value.z) == pytest.approx((0.01, 0.01, 0.01))
    assert px.unit == "µm" and px.precedence == Precedence.PROCESSED_HEADER
    assert all(c.kind is DatasetKind.SXT for c in cands.values())
    [record] = build_records([model])
    assert record.processed.pixel_type is not None
    assert record.processed.pixel_type.value == "32-bit float"
    assert not [f for f in record.findings if f.code.startswith("normalise.")]


def test_tilt_series_rows_build_into_record(tmp_path: Path) -> None:
    path = write_mrc(
        tmp_path / "ts.st", shape=(21, 16, 16), dtype="int16", voxel_size_a=50.0, tilt_angles=TILTS
    )
    [record] = build_records([read(path)])
    assert record.kind is DatasetKind.SXT
    assert record.acquisition.n_frames is not None and record.acquisition.n_frames.value == 21
    tr = record.acquisition.tilt_range
    assert tr is not None and (tr.value.start_deg, tr.value.end_deg) == (-60.0, 60.0)
    step = record.acquisition.tilt_step
    assert step is not None and step.value.step_deg == 6.0 and step.value.regular
    assert step.source.kind == "derived"
    assert (
        record.raw.pixel_type is not None and record.raw.pixel_type.value == "signed 16-bit integer"
    )
    px = record.setup.pixel_size
    assert px is not None and px.value.x == pytest.approx(0.005) and px.value.z is None
    assert not [f for f in record.findings if f.code.startswith("normalise.")]


def test_irregular_tilts_finding(tmp_path: Path) -> None:
    angles = [0.0, 3.0, -3.0, -6.0, 6.0, 9.0]  # dose-symmetric-like order
    path = write_mrc(tmp_path / "ds.st", shape=(6, 8, 8), dtype="int16", tilt_angles=angles)
    model = read(path)
    assert "mrc.tilt_steps_irregular" in _codes(model)
    step = next(c for c in candidates(model) if c.field == "acquisition.tilt_step")
    assert step.value.regular is False


def test_plain_volume_without_imod(tmp_path: Path) -> None:
    path = write_mrc(
        tmp_path / "vol.mrc", shape=(4, 5, 6), dtype="float32", voxel_size_a=3.0, imod_stamp=False
    )
    model = read(path)
    hdr = model.header
    assert not hdr.imod.stamp_present and hdr.imod.flag_names == []
    assert hdr.nversion in (20140, 20141)
    assert model.ext_header.interpretation == "none"
    assert model.role == "map"
    assert candidates(model) == []
    assert hdr.statistics.determined and hdr.statistics.representable is None
    assert hdr.statistics.rms is not None and hdr.statistics.rms > 0
    assert model.data_bytes_expected == model.data_bytes_present == 4 * 5 * 6 * 4


def test_fei1_extended_header(tmp_path: Path) -> None:
    path = write_mrc(
        tmp_path / "fei.mrc",
        shape=(3, 4, 4),
        dtype="int16",
        fei="FEI1",
        tilt_angles=[-10.0, 0.0, 10.0],
        stage_um=[(1.0, 2.0)] * 3,
    )
    model = read(path)
    ext = model.ext_header
    assert ext.interpretation == "fei1" and ext.n_sections == 3
    assert model.tilt_angles_deg == [-10.0, 0.0, 10.0]
    assert ext.sections[0].stage_x_um == pytest.approx(1.0)
    assert ext.sections[0].extra["Metadata size"] == 768
    assert model.role == "tilt_series"


def test_agard_fallback(tmp_path: Path) -> None:
    nz, nint, nreal = 3, 2, 4
    rec = np.zeros(nz, dtype=[("i", "<i4", (nint,)), ("f", "<f4", (nreal,))])
    rec["f"][:, 0] = [-20.0, 0.0, 20.0]
    rec["i"][:, 1] = 7
    path = write_mrc(tmp_path / "agard.mrc", shape=(nz, 4, 4), dtype="int16")
    raw = path.read_bytes()
    ext = rec.tobytes()
    head = bytearray(raw[:1024])
    head[92:96] = len(ext).to_bytes(4, "little")
    head[128:130] = nint.to_bytes(2, "little")
    head[130:132] = nreal.to_bytes(2, "little")
    path.write_bytes(bytes(head) + ext + raw[1024:])
    model = read(path)
    assert model.ext_header.interpretation == "agard"
    assert model.tilt_angles_deg == [-20.0, 0.0, 20.0]
    assert model.ext_header.sections[0].extra["int_1"] == 7
    assert "mrc.ext_header_agard" in _codes(model)


@pytest.mark.parametrize(
    ("flags", "dtype"),
    [(0, "uint8"), (1, "int8"), (16, "uint4")],
    ids=["unsigned", "signed", "4bit"],
)
def test_imod_mode0_signedness(tmp_path: Path, flags: int, dtype: str) -> None:
    path = write_mrc(tmp_path / "b.mrc", shape=(2, 4, 4), dtype="int8", imod_flags=flags)
    model = read(path)
    assert model.header.mode == 0
    assert model.header.dtype == dtype
    assert model.header.dtype_note is not None


def test_mode0_without_imod_stamp_is_signed(tmp_path: Path) -> None:
    path = write_mrc(tmp_path / "b.mrc", shape=(2, 4, 4), dtype="int8", imod_stamp=False)
    assert read(path).header.dtype == "int8"


@pytest.mark.parametrize(
    ("mode", "dtype", "row"), [(12, "float16", 8), (101, "uint4", 2), (16, "rgb_uint8", 12)]
)
def test_special_modes(tmp_path: Path, mode: int, dtype: str, row: int) -> None:
    path = write_mrc(tmp_path / "m.mrc", shape=(2, 4, 4), dtype="float16")
    patch(path, 12, mode.to_bytes(4, "little"))
    model = read(path)
    assert (model.header.mode, model.header.dtype) == (mode, dtype)
    assert model.data_bytes_expected == row * 4 * 2


def test_origin_sign_inverted_flag(tmp_path: Path) -> None:
    path = write_mrc(
        tmp_path / "o.mrc", shape=(2, 4, 4), origin_a=(10.0, -20.0, 30.0), imod_flags=4
    )
    model = read(path)
    hdr = model.header
    assert (hdr.origin_a.x, hdr.origin_a.y, hdr.origin_a.z) == (10.0, -20.0, 30.0)
    assert hdr.origin_sign_inverted
    assert "origin_sign_inverted" in hdr.imod.flag_names
    assert "mrc.origin_sign_inverted" in _codes(model)


def test_undetermined_statistics(tmp_path: Path) -> None:
    path = write_mrc(tmp_path / "s.mrc", shape=(2, 4, 4))
    patch(path, 76, np.array([0.0, -1.0, -2.0], "<f4").tobytes())
    patch(path, 216, np.array([-1.0], "<f4").tobytes())
    model = read(path)
    stats = model.header.statistics
    assert (stats.min, stats.max, stats.mean, stats.rms) == (None, None, None, None)
    assert not stats.determined and not stats.rms_determined
    assert model.header.dmax == -1.0  # the raw value stays visible
    assert {"mrc.statistics_undetermined", "mrc.rms_undetermined"} <= _codes(model)


def test_roles_from_names_and_labels(tmp_path: Path) -> None:
    ali = write_mrc(
        tmp_path / "x.ali", shape=(3, 4, 4), dtype="int16", tilt_angles=[-1.0, 0.0, 1.0]
    )
    m = read(ali)
    assert m.role == "aligned_stack"
    assert candidates(m) == []
    rec = write_mrc(tmp_path / "x.rec", shape=(3, 4, 4))
    assert read(rec).role == "tomogram"
    sim = write_mrc(
        tmp_path / "sim.mrc",
        shape=(15, 4, 4),
        dtype="uint16",
        labels=["Cockpit acquisition, 3 angles x 5 phases"],
        image_stack=True,
    )
    m = read(sim)
    assert m.role == "sim_stack"
    cands = {c.field: c for c in candidates(m)}
    assert cands["raw.format"].kind is DatasetKind.SIM and cands["raw.format"].value == ".mrc"
    assert cands["raw.pixel_type"].value == "unsigned 16-bit integer"
    plain = write_mrc(tmp_path / "stack.mrc", shape=(3, 4, 4), image_stack=True)
    assert read(plain).role == "unknown"


def test_role_conflict_is_reported(tmp_path: Path) -> None:
    path = write_mrc(
        tmp_path / "odd.rec",
        shape=(3, 4, 4),
        labels=[imod_label("Tomographic reconstruction"), "OMX softWoRx acquisition"],
    )
    model = read(path)
    assert model.role == "tomogram"
    assert "mrc.role_conflict" in _codes(model)


def test_label_parsing_variants() -> None:
    lab = parse_label(0, b"TILT: something odd  ".ljust(80))
    assert lab.program == "TILT" and lab.kind == "other"
    lab = parse_label(1, b"Fourier filter 12-Mar-99  01:02:03".ljust(80))
    assert lab.date_iso == "1999-03-12" and lab.program is None
    assert parse_label(2, b" " * 80).text == ""
    assert "\ufffd" in parse_label(3, b"\xcd" * 80).text


def test_write_mrc_example_tomogram_api(tmp_path: Path) -> None:
    path = write_mrc(
        tmp_path / "example_rec.mrc",
        shape=(8, 16, 16),
        dtype="int16",
        voxel_size_a=(250.0, 250.0, 250.0),
        labels=[imod_label("Tomographic reconstruction")],
    )
    model = read(path)
    assert model.role == "tomogram"
    assert model.header.voxel_size_nm.x == 25.0
    assert not [f for f in model.findings if f.severity != "info"]
