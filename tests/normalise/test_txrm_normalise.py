"""SXT Table 1 rows from TXRM/XRM files (normalise/txrm.py) and the CLI on a real file."""

from __future__ import annotations

import json

import pytest

import clxm_meta
from clxm_meta.cli import main
from clxm_meta.normalise.candidate import Precedence
from clxm_meta.normalise.txrm import candidates
from clxm_meta.records.provenance import SourceKind
from conftest import real_path
from writers.txrm import write_txrm


def record(path):
    [rec] = clxm_meta.records_from_files([path])
    assert rec.kind.value == "SXT"
    return rec


def test_soft_xray_tilt_series_rows(tmp_path):
    path = write_txrm(
        tmp_path / "ts.txrm",
        version=5,
        energy_ev=520.0,
        pixel_size_um=0.01,
        exposure_s=1.5,
        width=8,
        height=8,
    )
    rec = record(path)
    assert rec.setup.energy.value.value_ev == 520.0 and rec.setup.energy.unit == "eV"
    assert rec.setup.zone_plate.value == "ZP 25 nm"
    assert rec.setup.magnification.value.xray == 1300.0
    assert rec.setup.pixel_size.value.x == 0.01
    assert rec.setup.field_of_view.value.x == pytest.approx(0.08)
    assert rec.setup.field_of_view.source.kind is SourceKind.DERIVED
    assert rec.acquisition.exposure.value.value_s == 1.5
    assert rec.acquisition.exposure.value.type == "constant"
    tr = rec.acquisition.tilt_range.value
    assert (tr.start_deg, tr.end_deg, tr.min_deg, tr.max_deg) == (-60.0, 60.0, -60.0, 60.0)
    assert rec.acquisition.tilt_range.source.locator == "stream ImageInfo/Angles"
    step = rec.acquisition.tilt_step.value
    assert step.step_deg == 10.0 and step.regular is True
    assert rec.acquisition.tilt_step.source.kind is SourceKind.DERIVED
    assert rec.acquisition.n_frames.value == 13
    assert rec.raw.format.value == ".txrm"
    assert rec.raw.pixel_type.value == "unsigned 16-bit integer"
    dims = rec.raw.dimensions.value
    assert (dims.x, dims.y, dims.z, dims.x_um) == (8, 8, 13, pytest.approx(0.08))
    assert rec.raw.type.value.startswith("not referenced")
    ref = rec.processing.reference_image.value
    assert ref.stream == "ReferenceData/Image" and ref.role == "reference"
    assert ref.summary["exposure_s"] == 2.0
    assert rec.general.collection_date.value == "2023-05-04T10:11:12.345"
    assert rec.general.instrument is None  # the file names no machine
    assert rec.acquisition.overlaps is None


def test_every_candidate_has_provenance(tmp_path):
    path = write_txrm(tmp_path / "ts.txrm", version=3)
    cands = candidates(clxm_meta.read(path))
    assert cands
    for c in cands:
        assert c.source.path == str(path) and c.source.reader == "txrm" and c.source.locator
        if c.precedence is Precedence.DERIVED:
            assert c.source.kind is SourceKind.DERIVED and c.source.transform


def test_single_image_has_no_tilt_rows(tmp_path):
    rec = record(write_txrm(tmp_path / "one.xrm", angles=[0.0], reference=False))
    assert rec.acquisition.tilt_range is None and rec.acquisition.tilt_step is None
    assert rec.acquisition.n_frames.value == 1
    assert rec.processing.reference_image is None
    assert rec.raw.type.value == "not referenced"


def test_irregular_steps(tmp_path):
    rec = record(write_txrm(tmp_path / "irr.txrm", angles=[-30.0, -20.0, 0.0, 10.0]))
    step = rec.acquisition.tilt_step.value
    assert step.regular is False and step.min_deg == 10.0 and step.max_deg == 20.0
    assert any(f.code == "txrm.irregular_tilt_steps" for f in rec.findings)


def test_mosaic_goes_to_overlaps_not_tilts(tmp_path):
    rec = record(write_txrm(tmp_path / "m.xrm", version=3, mosaic=(2, 2), angles=[0.0] * 4))
    assert (rec.acquisition.overlaps.value.rows, rec.acquisition.overlaps.value.columns) == (2, 2)
    assert rec.acquisition.mosaic.value.role == "mosaic"
    assert rec.acquisition.tilt_range is None and rec.acquisition.n_frames is None
    assert rec.setup.energy is not None


def test_real_mosaic_field_of_view_is_one_tile():
    rec = record(real_path("txrm/xanespy__mosaic_4x4_bin8.xrm"))
    assert rec.setup.field_of_view.value.x == pytest.approx(256 * 0.15578948, rel=1e-6)
    assert rec.acquisition.overlaps.value.rows == 4


def test_cli_table1_json_on_real_tomo(capsys):
    path = real_path("txrm/dxchange__txrm_test_chip_tomo.txrm")
    code = main(["table1", str(path), "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)["rows"]}
    assert rows["setup.energy"]["value"]["value_ev"] == pytest.approx(9200.017, abs=1e-3)
    assert rows["setup.energy"]["source"]["locator"] == "stream ImageInfo/Energy"
    assert rows["setup.pixel_size"]["value"]["x"] == pytest.approx(0.15579, abs=1e-5)
    assert rows["acquisition.tilt_range"]["value"]["start_deg"] == pytest.approx(-45.018)
    assert rows["acquisition.tilt_step"]["value"]["step_deg"] == pytest.approx(15.0)
    assert rows["acquisition.tilt_step"]["source"]["kind"] == "derived"
    assert rows["acquisition.exposure"]["value"]["value_s"] == 5.0
    assert rows["acquisition.n_frames"]["value"] == 7
    assert rows["raw.dimensions"]["value"]["x"] == 256
    assert rows["general.collection_date"]["value"] == "2015-11-09T18:19:21"
    assert all(r["kind"] == "SXT" for r in rows.values())
    assert rows["setup.zone_plate"]["value"] is None


def test_cli_aborted_file_reports_finding(capsys):
    path = real_path(
        "txrm/xanespy__rep02_000072_ref_20161456_ssrl-test-data_08348.0_eV_002of010.xrm"
    )
    assert main(["table1", str(path)]) == 1  # an error finding, even with no Table 1 value
    captured = capsys.readouterr()
    assert "txrm.no_images" in captured.out
    assert "no Table 1 value found" in captured.err
