"""SIM reconstruction reader: the real sirecon logs and cudasirecon configs, values from the lines."""

from __future__ import annotations

import json

import pytest

import clxm_meta
from clxm_meta.cli import main
from clxm_meta.normalise.build import build_records, candidates_for
from clxm_meta.readers.registry import detect
from clxm_meta.readers.simrecon import SimreconModel
from conftest import real_path

CELL7 = "simlog/simrecon-notebook__processing_simple_simrecon_cell7.log"
CELL8 = "simlog/simrecon-notebook__analysis_simple_simrecon_cell8.log"
EARLY = "simlog/simrecon-notebook__explore_overlaps_cell18_earlyexit.log"


def _read(rel: str) -> SimreconModel:
    model = clxm_meta.read(real_path(rel))
    assert isinstance(model, SimreconModel)
    return model


def _codes(model: SimreconModel) -> list[str]:
    return [f.code for f in model.findings]


@pytest.mark.parametrize("rel", [CELL7, CELL8, EARLY])
def test_real_logs_detected_as_cpu_sirecon(rel: str) -> None:
    assert detect(real_path(rel)).name == "simrecon"
    model = _read(rel)
    assert (model.kind, model.dialect, model.software) == ("sirecon_log", "sirecon", "sirecon")
    assert len(model.runs) == 1
    assert [d.direction for d in model.runs[0].directions] == [0, 1, 2]
    assert model.unknown_lines == []


def test_cell7_values_from_lines() -> None:
    model = _read(CELL7)
    run = model.runs[0]
    assert run.completed and run.done_line == 128 and (run.timepoint, run.wave_index) == (0, 0)
    p = run.parameters
    assert (p["nphases"].value, p["ndirs"].value, p["nz"].value) == (5, 3, 16)
    assert p["rdistcutoff"].value == 2.905983 and p["rdistcutoff"].unit == "1/um"
    d0, d1, d2 = run.directions
    assert (d0.k0guess_x, d0.k0guess_y, d0.k0guess_line, d0.k0_vector_unit) == (
        0.400836,
        1.389779,
        16,
        "1/um",
    )
    assert (d0.k0init_x, d0.k0init_y) == (0.289159, 1.351632)
    assert (d0.k0_angle_rad, d0.k0_length_per_um, d0.line_spacing_um, d0.k0_line) == (
        1.360194,
        1.381098,
        0.724062,
        31,
    )
    assert (d0.best_fit_percent, d0.best_fit_line) == (8.211437, 37)
    assert [d.line_spacing_um for d in (d0, d1, d2)] == [0.724062, 0.724290, 0.724206]
    assert [d.best_fit_percent for d in (d0, d1, d2)] == [8.211437, 8.259688, 8.232748]
    assert [d.k0_angle_rad for d in (d0, d1, d2)] == [1.360194, 0.313396, -0.734061]
    order2, order1 = d0.fits
    assert (order2.order, order2.combined_amp, order2.reverse_amp, order2.correlation) == (
        2,
        2.960665,
        3.462881,
        0.616592,
    )
    assert (order1.order, order1.order_source) == (1, "log")
    assert (order1.combined_amp, order1.correlation, order1.combined_line) == (
        23.58354,
        0.023975,
        35,
    )
    assert d0.search_steps == 7 and d1.search_steps == 6
    assert (d2.k0final_x, d2.k0final_y) == (1.025206, -0.925)
    # one implausible amplitude (23.6, correlation 0.024), at its line
    flags = [f for f in model.findings if f.code == "simrecon.modamp_implausible"]
    assert [f.locator for f in flags] == ["line 35"]


def test_cell8_quality_flags_high_modamps() -> None:
    model = _read(CELL8)
    d = model.runs[0].directions
    assert [x.line_spacing_um for x in d] == [0.608490, 0.631956, 0.611124]
    assert [x.best_fit_percent for x in d] == [6.244695, 8.205663, 4.691724]
    assert [f.combined_amp for f in d[2].fits] == [0.305637, 84.204102]
    assert [f.order for f in d[2].fits] == [2, 1]
    assert d[2].fits[1].order_source == "line order"
    flags = [f for f in model.findings if f.code == "simrecon.modamp_implausible"]
    assert len(flags) == 3
    assert any("84.2041" in f.message for f in flags)
    assert any("40.7275" in f.message for f in flags)
    assert "simrecon.best_fit_far" not in _codes(model)
    assert model.runs[0].parameters["nxotf"].value == 81


def test_early_exit_parsed_as_far_as_it_goes() -> None:
    model = _read(EARLY)
    run = model.runs[0]
    assert run.early_exit and run.early_exit_line == 84 and not run.completed
    assert [d.line_spacing_um for d in run.directions] == [0.724502, 0.724761, 0.724801]
    assert [d.best_fit_percent for d in run.directions] == [8.163148, 8.182305, 8.203719]
    assert "simrecon.early_exit" in _codes(model)
    assert run.directions[1].fits[0].combined_amp == 2.139555


def test_cudasirecon_config_real() -> None:
    path = real_path("simlog/cudasirecon__config")
    assert detect(path).name == "simrecon"
    model = clxm_meta.read(path)
    assert isinstance(model, SimreconModel)
    assert model.kind == "config" and model.runs == []
    assert model.k0angles_rad == [-0.8043, -1.8555, 0.2388] and model.k0angles_line == 4
    p = model.parameters
    assert (p["ls"].value, p["ls"].unit, p["ls"].line) == (0.2035, "um", 5)
    assert (p["na"].value, p["nimm"].value, p["wiener"].value) == (1.42, 1.515, 0.001)
    assert (p["ndirs"].value, p["nphases"].value, p["background"].value) == (3, 5, 0)
    keys = [e.key for e in model.config]
    assert keys[-1] == "dampenOrder0" and len(keys) == 10


def test_cudasirecon_config_tiff_real() -> None:
    model = clxm_meta.read(real_path("simlog/cudasirecon__config-tiff"))
    assert isinstance(model, SimreconModel)
    assert model.k0angles_rad == [0.8043, 1.8555, -0.2388]
    p = model.parameters
    assert (p["xyres"].value, p["zres"].value, p["zrespsf"].value) == (0.08, 0.125, 0.125)
    assert {e.key: e.value for e in model.config}["fastSI"] == "1"
    cands = {c.field: c for c in candidates_for(model)}
    assert cands["acquisition.diffraction_angle"].value == [0.8043, 1.8555, -0.2388]
    assert cands["acquisition.diffraction_angle"].source.locator == "line 5: k0angles"


def test_cell7_table1_candidates() -> None:
    model = _read(CELL7)
    cands = {c.field: c for c in candidates_for(model)}
    assert set(cands) == {
        "processing.software",
        "processing.per_channel",
        "acquisition.diffraction_angle",
        "acquisition.linewidth_per_k0",
    }
    per = cands["processing.per_channel"].value[0]
    assert per.directions[0].amplitude_order2 == 2.960665
    assert per.directions[2].correlation_order1 == 0.168652
    assert "Optimum k0 at 31, 56, 81" in cands["processing.per_channel"].source.locator
    lw = cands["acquisition.linewidth_per_k0"]
    assert lw.unit == "µm" and [s.spacing_um for s in lw.value] == [0.724062, 0.72429, 0.724206]
    assert cands["acquisition.diffraction_angle"].unit == "rad"
    (record,) = build_records([model])
    assert record.processing.software is not None
    assert record.processing.software.value.name == "sirecon"


def test_cli_table1_json(capsys: pytest.CaptureFixture[str]) -> None:
    path = real_path(CELL7)
    code = main(["table1", str(path), "--format", "json"])
    assert code == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    sw = rows["processing.software"]
    assert sw["value"] == {"name": "sirecon", "version": None}
    assert sw["source"]["reader"] == "simrecon" and sw["source"]["locator"].startswith("line ")
    per = rows["processing.per_channel"]
    assert per["value"][0]["directions"][1]["line_spacing_um"] == 0.72429
    assert "lines 16-128" in per["source"]["locator"]
    assert rows["acquisition.diffraction_angle"]["unit"] == "rad"
    assert rows["acquisition.linewidth_per_k0"]["unit"] == "µm"
    assert rows["processing.otf_files"]["value"] is None
