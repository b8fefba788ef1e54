"""`clxm-meta table1 / inspect` on a txrm2tiff OME-TIFF."""

from __future__ import annotations

import json

import pytest

from clxm_meta.cli import main
from conftest import real_path

TOMO = "tiff/txrm2tiff-2.2.1__txrm_test_chip_tomo.ome.tiff"


def test_table1_json_rows_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    path = real_path(TOMO)
    assert main(["table1", str(path), "--format", "json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert {r["kind"] for r in rows.values()} == {"SXT"}
    assert rows["raw.format"]["value"] == "OME-TIFF"
    assert rows["raw.pixel_type"]["value"] == "unsigned 16-bit integer"
    assert rows["raw.dimensions"]["value"]["x"] == 256
    assert rows["setup.pixel_size"]["value"]["x"] == pytest.approx(0.155789, abs=1e-6)
    assert rows["setup.pixel_size"]["value"]["z"] is None
    assert rows["setup.pixel_size"]["unit"] == "µm"
    assert rows["acquisition.n_frames"]["value"] == 7
    assert rows["acquisition.exposure"]["value"]["value_s"] == 5.0
    assert rows["general.collection_date"]["value"] == "2015-11-09T18:19:21"
    src = rows["setup.pixel_size"]["source"]
    assert src["reader"] == "tiff" and src["path"] == str(path)
    assert src["locator"].startswith("OME Image[0]/Pixels@PhysicalSizeX")
    assert "nm → µm" in src["transform"]
    assert rows["general.collection_date"]["source"]["locator"] == "OME Image[0]/AcquisitionDate"
    # what the file does not hold stays unknown
    for row_id in ("acquisition.tilt_range", "setup.energy", "raw.type"):
        assert rows[row_id]["value"] is None and rows[row_id]["source"] is None
    for row in rows.values():
        assert (row["value"] is None) == (row["source"] is None)


def test_inspect_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(real_path(TOMO)), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "tiff" and data["flavour"] == "txrm2tiff"
    assert data["ome"]["images"][0]["pixels"]["physical_size_z_um"] is None
