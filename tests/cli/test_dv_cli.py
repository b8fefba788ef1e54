"""The command line on DV files: table1 (JSON) and inspect (text and JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clxm_meta.cli import main
from conftest import ROOT, real_path


def _rows(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, dict[str, object]]:
    code = main(["table1", *args, "--format", "json"])
    assert code == 0
    return {r["id"]: r for r in json.loads(capsys.readouterr().out)["rows"]}


def test_table1_toxo_json(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _rows(capsys, str(real_path("dv/tlambert03-mrc__toxo.dv")))
    assert rows["setup.pixel_size"]["value"] == {"x": 0.13262, "y": 0.13262, "z": 0.3}
    assert rows["setup.pixel_size"]["unit"] == "µm"
    assert rows["setup.pixel_size"]["source"]["locator"] == "header dx, dy, dz (bytes 40-51)"
    assert rows["setup.field_of_view"]["value"]["x"] == pytest.approx(128 * 0.13262)
    assert rows["setup.field_of_view"]["source"]["kind"] == "derived"
    obj = rows["setup.objective"]["value"]
    assert (obj["lens_id"], obj["na"], obj["magnification"]) == (10003, 1.35, 100.0)
    assert rows["setup.emission_filters"]["value"] == [525.0, 632.0]
    assert rows["setup.lasers"]["value"] is None  # no extended header: never from emission
    assert rows["acquisition.n_excitation_wavelengths"]["value"] == 2
    assert rows["acquisition.n_focal_planes"]["value"] == 17
    assert rows["acquisition.stack_height"]["value"] == pytest.approx(4.8)
    assert rows["raw.format"]["value"] == "DeltaVision (.dv)"
    dims = rows["raw.dimensions"]["value"]
    assert (dims["x"], dims["y"], dims["z"], dims["c"]) == (128, 128, 17, 2)
    assert rows["raw.pixel_type"]["value"] == "unsigned 16-bit integer"
    ranges = rows["raw.intensity_range"]["value"]
    assert [(r["min"], r["max"]) for r in ranges] == [(40.0, 3545.0), (0.0, 7657.0)]
    for row in rows.values():
        if row["value"] is not None:
            assert row["source"]["reader"] == "dv" and row["source"]["locator"]


def test_table1_example_cell1(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _rows(capsys, str(ROOT / "examples" / "cell1.dv"))
    assert rows["setup.lasers"]["value"] == [488.0, 561.0]
    assert rows["setup.emission_filters"]["value"] == [525.0, 609.0]
    assert rows["acquisition.n_focal_planes"]["value"] == 3
    assert rows["acquisition.stack_height"]["value"] == pytest.approx(0.25)
    assert rows["acquisition.si_acquired_order"]["value"] == "Z, Angle, Phase"
    assert rows["general.collection_date"]["value"] == "2023-03-14T10:21:05"
    ch = rows["acquisition.channels"]["value"]
    assert [(c["excitation_nm"], c["exposure_s"], c["power_mw"]) for c in ch] == [
        (488.0, 0.05, 2.5),
        (561.0, 0.1, 5.0),
    ]


def test_example_is_reproducible(tmp_path: Path) -> None:
    import runpy

    mod = runpy.run_path(str(ROOT / "scripts" / "make_examples.py"))
    mod["make_cell1_dv"](tmp_path)
    made = (tmp_path / "cell1.dv").read_bytes()
    assert made == (ROOT / "examples" / "cell1.dv").read_bytes()
    assert len(made) < 150_000


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_inspect(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    path = str(real_path("dv/cudasirecon__raw.dv"))
    assert main(["inspect", path, "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        data = json.loads(out)
        assert data["format"] == "dv" and data["role"] == "raw_sim"
        assert data["header"]["lens_id"] == 10612 and data["sim"]["nz"] == 9
    else:
        assert "role: raw_sim" in out and "ext_header_absent" in out
