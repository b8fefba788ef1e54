"""The MRC reader on the real samples in ../shared/data/real/mrc, checked against mrcfile itself."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import mrcfile
import numpy as np
import pytest

import clxm_meta
from clxm_meta.cli import main
from clxm_meta.errors import MalformedFileError
from clxm_meta.readers.mrc import read
from clxm_meta.readers.mrc.labels import decode_label
from conftest import real_files, real_path

MRC_FILES = real_files("mrc")


def _mrcfile_view(path: Path) -> tuple[object, object, object]:
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        with mrcfile.open(path, header_only=True, permissive=True) as mrc:
            return mrc.header.copy(), mrc.voxel_size.copy(), mrc.extended_header.copy()


def _codes(model: clxm_meta.FormatModel) -> set[str]:
    return {f.code for f in model.findings}


@pytest.mark.parametrize("path", MRC_FILES, ids=lambda p: p.name)
def test_every_real_file_matches_mrcfile(path: Path) -> None:
    model = read(path)
    h, voxel, _ = _mrcfile_view(path)
    hdr = model.header
    assert (hdr.nx, hdr.ny, hdr.nz) == (int(h.nx), int(h.ny), int(h.nz))
    assert hdr.mode == int(h.mode)
    assert hdr.ispg == int(h.ispg)
    assert hdr.nsymbt == int(h.nsymbt)
    for axis in "xyz":
        assert getattr(hdr.voxel_size_a, axis) == pytest.approx(float(voxel[axis]), rel=1e-6)
        assert getattr(hdr.origin_a, axis) == pytest.approx(float(h.origin[axis]), rel=1e-6)
        assert getattr(hdr.voxel_size_nm, axis) == pytest.approx(float(voxel[axis]) / 10, rel=1e-6)
        assert getattr(hdr.voxel_size_um, axis) == pytest.approx(float(voxel[axis]) / 1e4, rel=1e-6)
    assert hdr.nlabl == int(h.nlabl)
    expected_labels = [decode_label(bytes(lab)) for lab in h.label[: int(h.nlabl)]]
    assert [lab.text for lab in model.labels] == expected_labels


@pytest.mark.parametrize("path", MRC_FILES, ids=lambda p: p.name)
def test_every_real_file_reads_through_registry(path: Path) -> None:
    model = clxm_meta.read(path)
    assert model.format == "mrc"
    json.dumps(model.model_dump(mode="json"))  # serialisable, no NaN surprises


def test_test_002_serialem_tilt_series() -> None:
    path = real_path("mrc/tomoauto__test_002_mode1.st")
    model = read(path)
    hdr = model.header
    assert (hdr.nx, hdr.ny, hdr.nz) == (24, 24, 41)
    assert hdr.dtype == "int16"
    assert hdr.voxel_size_a.x == pytest.approx(2.604)
    assert hdr.imod.stamp_present
    assert (hdr.imod.nint, hdr.imod.nreal) == (6, 5)
    ext = model.ext_header
    assert ext.interpretation == "serialem"
    assert ext.items == ["tilt", "stage"]
    assert ext.n_sections == 41 and ext.section_bytes == 6
    tilts = model.tilt_angles_deg
    assert tilts is not None and len(tilts) == 41
    assert tilts[0] == -59.99 and tilts[-1] == 59.99
    # the same angles decoded with plain numpy from the raw extended header
    _, _, raw = _mrcfile_view(path)
    plain = np.frombuffer(raw.tobytes(), dtype="<i2").reshape(41, 3)[:, 0] / 100
    assert tilts == pytest.approx(plain.tolist())
    assert ext.sections[0].stage_x_um is not None
    assert model.role == "tilt_series"
    assert any("tilt angles" in e for e in model.role_evidence)
    assert "mrc.stale_statistics" in _codes(model)
    assert hdr.statistics.representable is False
    assert hdr.statistics.min == pytest.approx(-42.33, abs=0.01)
    assert hdr.statistics.max == pytest.approx(222.75, abs=0.01)
    assert "mrc.tilt_steps_irregular" not in _codes(model)
    tilt_label = model.labels[1]
    assert tilt_label.kind == "serialem_tilt_axis"
    assert (tilt_label.tilt_axis_deg, tilt_label.binning, tilt_label.spot) == (-14.3, 1, 4)


def test_test_001_labels_and_origin() -> None:
    model = read(real_path("mrc/tomoauto__test_001_mode1.mrc"))
    assert len(model.labels) == 6
    assert [lab.program for lab in model.labels] == [
        "SerialEM",
        None,
        "NEWSTACK",
        "NEWSTACK",
        "clip",
        "NEWSTACK",
    ]
    assert model.labels[4].date_iso == "2015-11-02"
    assert model.labels[4].time == "10:43:13"
    assert model.labels[5].date == "2-Nov-15"
    origin = model.header.origin_a
    assert (origin.x, origin.y, origin.z) == pytest.approx((-4799.17, -4965.83, 0.0), abs=0.01)
    assert model.ext_header.interpretation == "none"
    assert model.tilt_angles_deg is None
    assert model.role == "tilt_series"  # SerialEM-acquired images, no reconstruction label


def test_emd_3197_map() -> None:
    model = read(real_path("mrc/ccpem-mrcfile__EMD-3197.map"))
    hdr = model.header
    assert (hdr.nx, hdr.ny, hdr.nz, hdr.dtype) == (20, 20, 20, "float32")
    assert (hdr.voxel_size_a.x, hdr.voxel_size_a.y, hdr.voxel_size_a.z) == (11.4, 11.4, 11.4)
    assert model.labels[0].kind == "emdb" and model.labels[0].message == "EMD-3197"
    assert model.role == "map"
    assert not hdr.imod.stamp_present
    assert model.data_bytes_expected == model.data_bytes_present == 32000
    assert not [f for f in model.findings if f.severity != "info"]


def test_header_only_serialem_file() -> None:
    path = real_path("mrc/imod-etomo__headerTest.st")
    model = read(path)
    hdr = model.header
    assert (hdr.nx, hdr.ny, hdr.nz) == (512, 512, 1)
    assert hdr.machine_stamp == "0x44 0x00 0x00 0x00"
    assert hdr.byte_order == "<"
    assert hdr.exttyp is None and hdr.exttyp_hex == "0xcd 0xcd 0xcd 0xcd"
    assert hdr.nversion == -842150451
    codes = _codes(model)
    assert {"mrc.machine_stamp", "mrc.exttyp_garbage", "mrc.nversion_invalid"} <= codes
    assert "mrc.data_missing" in codes
    missing = next(f for f in model.findings if f.code == "mrc.data_missing")
    assert "expected 524288 bytes" in missing.message and "file has 0" in missing.message
    assert model.data_bytes_present == 0
    assert model.labels[1].tilt_axis_deg == 77.1
    assert len(model.labels) == 2
    assert model.ext_header.interpretation == "serialem"
    assert model.ext_header.n_sections == 1
    with pytest.raises(MalformedFileError):
        read(path, strict=True)


def test_cli_table1_tilt_series_json(capsys: pytest.CaptureFixture[str]) -> None:
    path = real_path("mrc/tomoauto__test_002_mode1.st")
    code = main(["table1", str(path), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0
    doc = json.loads(captured.out)
    rows = {r["id"]: r for r in doc["rows"] if r["kind"] == "SXT"}
    assert rows["acquisition.n_frames"]["value"] == 41
    tilt = rows["acquisition.tilt_range"]
    assert tilt["value"]["start_deg"] == -59.99 and tilt["value"]["end_deg"] == 59.99
    assert "ext header sections 0-40" in tilt["source"]["locator"]
    assert rows["acquisition.tilt_step"]["value"]["step_deg"] == 3.0
    assert rows["acquisition.tilt_step"]["source"]["kind"] == "derived"
    assert rows["raw.pixel_type"]["value"] == "signed 16-bit integer"
    assert rows["raw.pixel_type"]["source"]["locator"] == "header mode (byte 12)"
    assert rows["raw.dimensions"]["value"]["x"] == 24
    assert rows["setup.pixel_size"]["value"]["x"] == pytest.approx(2.604e-4)
    assert rows["setup.pixel_size"]["unit"] == "µm"
    for row in rows.values():
        if row["value"] is not None:
            assert row["source"]["path"].endswith("tomoauto__test_002_mode1.st")
            assert row["source"]["reader"] == "mrc"
    assert any("stale_statistics" in f["code"] for f in doc["findings"])
