"""IMOD reader on every real sample in ../shared/data/real/imod (values read off the files)."""

from __future__ import annotations

import pytest

import clxm_meta
from clxm_meta.readers import imod
from clxm_meta.readers.registry import detect
from conftest import real_files, real_path


def _read(name: str) -> imod.ImodFile:
    model = clxm_meta.read(real_path(f"imod/{name}"))
    assert isinstance(model, imod.ImodFile)
    assert model.format == "imod"
    return model


@pytest.mark.parametrize("path", real_files("imod"), ids=lambda p: p.name)
def test_every_sample_is_detected_as_imod_and_fully_parsed(path):
    assert detect(path).name == "imod"
    model = clxm_meta.read(path)
    assert model.format == "imod"
    assert model.unparsed == []
    assert not [f for f in model.findings if f.severity == "error"]


def test_aligna_log_old_dialect():
    m = _read("imod-etomo__aligna.log")
    assert isinstance(m, imod.AlignLog)
    assert m.kind == "align_log"
    assert m.dialect == "old"
    r = m.residual
    assert (r.mean, r.sd, r.unit, r.line) == (0.243, 0.259, None, 1096)
    assert m.weighted_residual is None
    assert not m.robust_fitting
    assert not m.local_alignment
    c = m.counts
    assert (c.n_views, c.n_geometric_variables, c.n_points_3d, c.n_projection_points, c.line) == (
        121,
        55,
        468,
        11232,
        492,
    )
    assert (m.ratio.measured, m.ratio.unknowns, m.ratio.ratio) == (22464, 1696, 13.25)
    assert (m.rotation.kind, m.rotation.angle_deg, m.rotation.line) == ("minimum_tilt", -11.91, 495)
    assert m.final_f.value == pytest.approx(0.1855452e-02)
    assert m.n_cycles.value == 3000
    sol = m.solution
    assert sol.residual_unit is None
    assert sol.columns == ["rotation", "tilt", "deltilt", "mag", "dmag", "skew", "resid"]
    assert len(sol.rows) == 121
    first, last = sol.rows[0], sol.rows[-1]
    assert (first.view, first.rotation_deg, first.tilt_deg, first.mag, first.residual) == (
        1,
        -12.1,
        60.2,
        1.0,
        0.52,
    )
    assert first.line == 498
    assert (last.view, last.tilt_deg, last.mag, last.residual) == (121, -59.8, 0.9799, 0.25)
    assert (sol.tilt_min_deg, sol.tilt_max_deg) == (-59.8, 60.2)
    assert m.n_fiducial_coordinates == 468
    assert m.midpoint_z.value == -7.34
    assert [p.program for p in m.programs] == ["tiltalign", "xfproduct"]
    assert m.tiltalign_entries.get("RotationAngle").value == "-11.5"
    assert m.tiltalign_entries.get("TiltFile").value == "goulbourne8a.rawtlt"
    assert [w.line for w in m.warnings] == [491, 1242]
    assert m.surface.x_axis_tilt_needed_deg.value == -0.71
    assert m.surface.total_tilt_angle_change_deg.value == 0.18
    assert m.surface.values["# of points"].value == 468
    assert m.completed
    assert m.non_patch_model_note is None
    assert any(f.code == "imod.residual_unit_absent" for f in m.findings)


def test_yaiw_align_log_modern_robust_cross_validated():
    m = _read("yaiw__align.log")
    assert isinstance(m, imod.AlignLog)
    assert m.dialect == "modern"
    r, w = m.residual, m.weighted_residual
    assert (r.mean, r.sd, r.unit, r.line) == (0.360, 0.457, "nm", 250)
    assert (w.mean, w.sd, w.unit, w.line) == (0.289, None, "nm", 251)
    c = m.counts
    assert (c.n_views, c.n_geometric_variables, c.n_points_3d, c.n_projection_points) == (
        40,
        1,
        16,
        627,
    )
    assert (m.ratio.measured, m.ratio.unknowns, m.ratio.ratio) == (1254, 124, 10.11)
    assert (m.rotation.kind, m.rotation.angle_deg) == ("minimum_tilt", 85.24)
    assert m.beam_tilt_deg.value == 0.15
    assert m.robust_fitting
    rb = m.robust
    assert (rb.n_weight_groups, rb.n_view_groups, rb.n_rings, rb.total_cycles, rb.final_f) == (
        5,
        5,
        1,
        89,
        0.289743,
    )
    assert m.robust_weights.text.startswith("627 weights:")
    assert m.leave_out_searches == 83
    lo = [(x.scope, x.variant, x.n_points, x.error, x.weighted, x.unit) for x in m.leave_out]
    assert lo == [
        ("global", "non-robust", 2942, 0.4616, 0.2839, "nm"),
        ("global", "robust", 2942, 0.4656, 0.2826, "nm"),
    ]
    assert m.robust_benefit is not None
    sol = m.solution
    assert sol.residual_unit == "nm"
    assert len(sol.rows) == 40
    assert [sol.rows[0].view, sol.rows[-1].view] == [2, 41]
    assert (sol.tilt_min_deg, sol.tilt_max_deg) == (-48.0, 69.0)
    assert sol.rows[17].residual == 1.24  # view 19
    assert m.n_fiducial_coordinates == 16
    assert (m.n_large_residuals, m.large_residuals_unit) == (8, "pixels")
    s = m.surface
    assert s.unbinned_thickness_needed_px.value == 1041
    assert s.incremental_unbinned_shift_px.value == 340.6
    assert s.total_unbinned_shift_px.value == 340.6
    assert s.x_axis_tilt_needed_deg.value == -4.46
    e = m.tiltalign_entries
    assert e.get("UnbinnedPixelSize").value == "0.135"
    assert e.get("ImagesAreBinned").value == "8"
    assert e.get("RobustFitting").value == "1"
    assert m.non_patch_model_note.line == 114
    assert m.completed and m.chunk_done
    assert m.findings == []


def test_ta_solution_log():
    m = _read("tomo_preprocessing__taSolution.log")
    assert isinstance(m, imod.AlignLog)
    assert (m.kind, m.ta_view, m.dialect) == ("ta_log", "solution", "modern")
    assert m.beam_tilt_deg.value == 0.14
    assert (m.rotation.angle_deg, m.rotation.line) == (85.23, 3)
    assert m.solution.residual_unit == "nm"
    assert len(m.solution.rows) == 40
    last = m.solution.rows[-1]
    assert (last.view, last.tilt_deg, last.residual) == (41, 69.6, 0.36)
    assert m.residual is None
    assert m.findings == []


def test_aligna_com():
    m = _read("imod-etomo__aligna.com")
    assert isinstance(m, imod.ComFile)
    assert (m.kind, m.com_name, m.created_version, m.created_version_line) == (
        "com",
        "align",
        "3.10.4",
        3,
    )
    assert [c.program for c in m.commands] == [
        "tiltalign",
        "xfproduct",
        "b3dcopy",
        "b3dcopy",
        "if",
        "if",
    ]
    assert len(m.command("tiltalign").params) == 51
    assert m.param("tiltalign", "RotationAngle").value == "-12.5"
    assert m.param("tiltalign", "LocalAlignments").value == "1"
    assert m.param("tiltalign", "ShiftZFromOriginal").value == ""
    assert m.param("tiltalign", "ExcludeList").value == "1"
    assert m.param("xfproduct", "OutputFile").value == "BBa_fid.xf"


def test_tilta_com():
    m = _read("imod-etomo__tilta.com")
    assert isinstance(m, imod.ComFile)
    assert (m.com_name, m.created_version) == ("tilt", "4.0.15")
    tilt = m.command("tilt")
    assert len(tilt.params) == 21
    assert tilt.get("THICKNESS").value == "84"
    assert (tilt.get("RADIAL").value, tilt.get("RADIAL").line) == ("0.35 0.05", 21)
    assert tilt.get("FakeSIRTiterations") is None


def test_edf_new_revision():
    m = _read("etomofiles__TS_001.edf")
    assert isinstance(m, imod.Edf)
    assert m.revision == "1.12"
    assert m.etomo_version == ("4.12.17", 105)
    assert m.date_comment.text == "Wed May 07 21:10:58 CEST 2025"
    assert m.dataset_name == "TS_001"
    assert m.get("Setup.PixelSize").value == "0.6192"
    assert m.get("Setup.ImageRotationA").value == "83.9"
    assert m.get("Setup.Track.A.TrackMethod").value == "Seed"
    assert m.get("Setup.AxisType").value == "Single Axis"
    assert "batchruntomo.a.align.AngleOffset" in m.batchruntomo_keys
    assert len(m.properties) == 109


def test_edf_old_revision():
    m = _read("imod-etomo__setup_revision_1_5.edf")
    assert isinstance(m, imod.Edf)
    assert m.revision == "1.5"
    assert m.etomo_version is None
    assert m.date_comment.text == "Mon Mar 15 18:12:06 MST 2004"
    assert m.dataset_name == "hvemuni5_by2"
    assert m.get("Setup.AxisType").value == "Dual Axis"
    assert m.get("Setup.PixelSize").value == "2.84"
    assert m.batchruntomo_keys == []


@pytest.mark.parametrize(
    ("name", "kind", "n", "first", "last"),
    [
        ("etomofiles__TS_001.rawtlt", "rawtlt", 40, -60.0, 56.99),
        ("etomofiles__TS_001.tlt", "tlt", 40, -57.12, 59.84),
        ("etomofiles__TS_001.xtilt", "xtilt", 40, -0.01, None),
        ("imod-etomo__BBa.tlt", "tlt", 61, 65.06, -55.12),
        ("imod-etomo__BBa.xtilt", "xtilt", 61, None, None),
    ],
)
def test_angle_files(name, kind, n, first, last):
    m = _read(name)
    assert isinstance(m, imod.AngleFile)
    assert (m.kind, m.n_views) == (kind, n)
    assert m.lines[0] == 1 and m.lines[-1] == n
    if first is not None:
        assert m.angles_deg[0] == first
    if last is not None:
        assert m.angles_deg[-1] == last


@pytest.mark.parametrize(
    ("name", "variant", "n", "a11", "dx"),
    [
        ("etomofiles__TS_001.xf", "xf", 40, 0.1020875, 2.395),
        ("imod-etomo__BBa.xf", "xf", 61, None, None),
        ("imod-etomo__BBa.tltxf", "tltxf", 61, 0.9787401, 8.908),
        ("yaiw__xf_file.xf", "xf", 41, 0.0858208, 342.263),
    ],
)
def test_xf_files(name, variant, n, a11, dx):
    m = _read(name)
    assert isinstance(m, imod.XfFile)
    assert (m.variant, m.n_views) == (variant, n)
    if a11 is not None:
        assert (m.transforms[0].a11, m.transforms[0].dx) == (a11, dx)


def test_xf_rotation_is_about_84_degrees():
    m = _read("etomofiles__TS_001.xf")
    assert m.transforms[0].rotation_deg == pytest.approx(-84.14, abs=0.01)


def test_zfac_and_local_xf():
    z = _read("imod-etomo__BBa.zfac")
    assert isinstance(z, imod.ZfacFile)
    assert z.n_views == 61
    assert z.factors[0] == (-0.002847, -0.007753)
    loc = _read("imod-etomo__BBalocal.xf")
    assert isinstance(loc, imod.LocalXf)
    assert loc.n_areas_xy == (2, 2)
    assert loc.start_xy_px == (235.0, 171.0)
    assert loc.spacing_xy_px == (149.0, 133.0)
    assert (loc.has_x_tilts, loc.pixel_size_a, loc.has_z_factors) == (False, 20.2, True)
    assert loc.n_views == 61


@pytest.mark.parametrize(
    ("name", "crlf"),
    [("mdocfile__tilt_series.mdoc", False), ("tomo_preprocessing__TS_01.mrc.mdoc", True)],
)
def test_mdoc_tilt_series_lf_and_crlf(name, crlf):
    m = _read(name)
    assert isinstance(m, imod.Mdoc)
    assert m.crlf is crlf
    assert len(m.images) == 41
    assert not m.is_montage and not m.is_frame_set
    angles = m.tilt_angles_deg
    assert (angles[0], angles[-1], min(angles), max(angles)) == (
        0.000999877,
        60.0006,
        -59.9986,
        60.0006,
    )
    assert (m.pixel_spacing_a, m.image_size_px, m.image_file) == (5.4, (924, 958), "TS_01.mrc")
    assert m.tilt_axis_angle_deg == 85.3
    assert len(m.titles) == 2
    z0 = m.images[0]
    assert (z0.index, z0.line, z0.tilt_angle_line, z0.exposure_time_s, z0.num_sub_frames) == (
        0,
        10,
        11,
        0.8,
        8,
    )
    assert z0.date_time == "30-Nov-15 15:21:38"
    assert z0.values["MinMaxMean"].value == "5 1403 623.699"


def test_mdoc_frame_set():
    m = _read("mdocfile__frame_set_single.mdoc")
    assert isinstance(m, imod.Mdoc)
    assert m.is_frame_set and not m.images
    (fs,) = m.sections
    assert (fs.type, fs.index, fs.tilt_angle_deg, fs.num_sub_frames) == ("FrameSet", 0, 32.984, 12)
    assert m.titles[0].text.startswith("SerialEM: UMass_Krios")
    assert m.voltage_kv == 300


def test_mdoc_montage():
    m = _read("mdocfile__montage_section.mdoc")
    assert isinstance(m, imod.Mdoc)
    assert m.is_montage
    assert len(m.images) == 62
    assert [s.type for s in m.sections].count("MontSection") == 1
    assert m.tilt_axis_angle_deg == -86.7
    assert m.images[0].values["PieceCoordinates"].value == "0 0 0"


def test_batchruntomo_directives():
    m = _read("yaiw__fiducials.adoc")
    assert isinstance(m, imod.BatchruntomoAdoc)
    assert len(m.directives) == 26
    assert (m.get("setupset.copyarg.pixel").value, m.get("setupset.copyarg.pixel").line) == (
        "0.0675",
        4,
    )
    assert m.get("runtime.Fiducials.any.trackingMethod").value == "0"
    assert m.get("comparam.align.tiltalign.RotOption").value == "-1"
