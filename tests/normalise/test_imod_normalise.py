"""Table 1 candidates from IMOD-family files, and the table1 command on a real align.log."""

from __future__ import annotations

import json

import clxm_meta
from clxm_meta.cli import main
from clxm_meta.normalise.build import build_records
from clxm_meta.normalise.candidate import Precedence
from clxm_meta.normalise.imod import candidates, tilt_summary
from conftest import real_path


def _by_field(path):
    cands = candidates(clxm_meta.read(path))
    return {c.field: c for c in cands}


def test_yaiw_align_log_rows():
    c = _by_field(real_path("imod/yaiw__align.log"))
    res = c["processing.residual_error"]
    assert res.value.model_dump() == {"mean": 0.360, "sd": 0.457, "unit": "nm"}
    assert res.unit == "nm"
    assert res.source.locator == "line 250: Residual error mean and sd"
    assert res.precedence is Precedence.LOG
    w = c["processing.weighted_residual_error"]
    assert w.value.model_dump() == {"mean": 0.289, "sd": None, "unit": "nm"}
    assert w.source.locator == "line 251: Residual error weighted mean"
    assert c["processing.protocol"].value.alignment == "fiducial"
    assert c["processing.protocol"].source.locator.startswith("line 114:")
    assert c["processing.software"].value.name == "IMOD"
    assert c["processing.software"].value.version is None
    assert "processing.type" not in c  # an align.log does not prove manual or automated
    assert "processing.fsc_cutoff" not in c
    assert "processing.correlation_coefficients" not in c


def test_old_align_log_residual_is_pixels_stated_as_assumption():
    c = _by_field(real_path("imod/imod-etomo__aligna.log"))
    res = c["processing.residual_error"]
    assert res.value.model_dump() == {"mean": 0.243, "sd": 0.259, "unit": "pixels"}
    assert res.source.locator == "line 1096: Residual error mean and sd"
    assert "assumed unit: pixels" in res.source.transform
    assert "processing.weighted_residual_error" not in c


def test_rawtlt_preferred_over_tlt():
    raw = _by_field(real_path("imod/etomofiles__TS_001.rawtlt"))
    tlt = _by_field(real_path("imod/etomofiles__TS_001.tlt"))
    rng = raw["acquisition.tilt_range"]
    assert rng.value.model_dump() == {
        "start_deg": -60.0,
        "end_deg": 56.99,
        "min_deg": -60.0,
        "max_deg": 56.99,
    }
    assert rng.source.locator == "lines 1-40"
    assert raw["acquisition.n_frames"].value == 40
    assert raw["acquisition.tilt_step"].value.step_deg == 3.0
    assert raw["acquisition.tilt_step"].value.regular is True
    assert rng.precedence > tlt["acquisition.tilt_range"].precedence
    models = [
        clxm_meta.read(real_path("imod/etomofiles__TS_001.tlt")),
        clxm_meta.read(real_path("imod/etomofiles__TS_001.rawtlt")),
    ]
    (record,) = build_records(models)
    assert record.acquisition.tilt_range.value.start_deg == -60.0
    assert record.acquisition.tilt_range.source.path.endswith(".rawtlt")


def test_mdoc_rows_and_montage_gives_none():
    c = _by_field(real_path("imod/tomo_preprocessing__TS_01.mrc.mdoc"))
    assert c["acquisition.n_frames"].value == 41
    assert c["acquisition.tilt_range"].value.min_deg == -59.9986
    assert c["acquisition.tilt_range"].value.start_deg == 0.000999877
    assert c["acquisition.tilt_step"].value.regular is True
    assert c["acquisition.tilt_range"].source.locator == "TiltAngle lines 11-931"
    assert candidates(clxm_meta.read(real_path("imod/mdocfile__montage_section.mdoc"))) == []
    assert candidates(clxm_meta.read(real_path("imod/mdocfile__frame_set_single.mdoc"))) == []


def test_edf_software_version_type_and_protocol():
    c = _by_field(real_path("imod/etomofiles__TS_001.edf"))
    assert c["processing.software"].value.model_dump() == {"name": "IMOD", "version": "4.12.17"}
    assert c["processing.software"].source.locator == "line 105: Setup.Version.Etomo.Modified"
    assert c["processing.type"].value == "automated"
    assert "batchruntomo" in c["processing.type"].source.locator
    assert c["processing.protocol"].value.alignment == "fiducial"
    assert c["processing.protocol"].precedence is Precedence.DERIVED
    old = _by_field(real_path("imod/imod-etomo__setup_revision_1_5.edf"))
    assert old["processing.software"].value.version is None
    assert "processing.type" not in old


def test_com_versions_and_protocol():
    c = _by_field(real_path("imod/imod-etomo__tilta.com"))
    assert c["processing.software"].value.version == "4.0.15"
    assert c["processing.protocol"].value.reconstruction == "WBP"
    assert c["processing.protocol"].source.locator == "line 21: RADIAL 0.35 0.05"
    a = _by_field(real_path("imod/imod-etomo__aligna.com"))
    assert a["processing.software"].value.version == "3.10.4"


def test_adoc_is_automated():
    c = _by_field(real_path("imod/yaiw__fiducials.adoc"))
    assert c["processing.type"].value == "automated"
    assert c["processing.protocol"].value.alignment == "fiducial"
    assert c["processing.protocol"].source.locator == (
        "line 9: runtime.Fiducials.any.trackingMethod = 0; "
        "line 17: comparam.autofidseed.autofidseed.TargetNumberOfBeads = 50; "
        "line 3: setupset.copyarg.rotation = 85; line 12: runtime.AlignedStack.any.binByFactor = 8"
    )


def test_transform_files_give_no_rows():
    for name in (
        "etomofiles__TS_001.xf",
        "imod-etomo__BBa.zfac",
        "imod-etomo__BBalocal.xf",
        "etomofiles__TS_001.xtilt",
    ):
        assert candidates(clxm_meta.read(real_path(f"imod/{name}"))) == []


def test_tilt_summary_irregular():
    rng, step = tilt_summary([0.0, 2.0, -2.0, 5.0])
    assert (rng.start_deg, rng.end_deg, rng.min_deg, rng.max_deg) == (0.0, 5.0, -2.0, 5.0)
    assert step is not None
    assert (step.step_deg, step.min_deg, step.max_deg, step.regular) == (2.0, 2.0, 3.0, False)
    assert tilt_summary([1.0])[1] is None


def test_cli_table1_json_processing_rows(capsys):
    path = real_path("imod/yaiw__align.log")
    code = main(["table1", str(path), "--format", "json"])
    assert code == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    res = rows["processing.residual_error"]
    assert res["value"] == {"mean": 0.36, "sd": 0.457, "unit": "nm"}
    assert res["unit"] == "nm"
    assert res["source"]["locator"] == "line 250: Residual error mean and sd"
    assert res["source"]["reader"] == "imod"
    w = rows["processing.weighted_residual_error"]
    assert w["value"]["mean"] == 0.289
    assert w["source"]["locator"] == "line 251: Residual error weighted mean"
    assert rows["processing.protocol"]["value"]["alignment"] == "fiducial"
    assert rows["processing.software"]["value"]["name"] == "IMOD"
    assert rows["processing.fsc_cutoff"]["value"] is None
