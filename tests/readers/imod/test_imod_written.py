"""IMOD dialects with no real sample, written by tests/writers/imod.py."""

from __future__ import annotations

import pytest

import clxm_meta
from clxm_meta.normalise.imod import candidates
from clxm_meta.readers import imod
from writers.imod import (
    adoc_text,
    align_log_text,
    aln_text,
    batchruntomo_log_text,
    mdoc_text,
    rawtlt_text,
    tilt_com_text,
    tilt_log_text,
    xcorr_pt_com_text,
)


def _write(tmp_path, name, text, newline=None):
    path = tmp_path / name
    with open(path, "w", newline=newline) as fh:
        fh.write(text)
    return path


def _rows(path):
    return {c.field: c for c in candidates(clxm_meta.read(path))}


def test_imod5_align_log_pixels_global_and_local(tmp_path):
    text = align_log_text(
        0.383, 0.218, "pixels", 35, local_areas=(2, 2), weighted_mean=0.366, leave_out=0.243
    )
    m = clxm_meta.read(_write(tmp_path, "align.log", text))
    assert isinstance(m, imod.AlignLog)
    assert m.dialect == "modern"
    assert (m.residual.mean, m.residual.sd, m.residual.unit, m.residual.tagged_global) == (
        0.383,
        0.218,
        "pixels",
        True,
    )
    assert (m.weighted_residual.mean, m.weighted_residual.unit) == (0.366, "pixels")
    assert m.solution.residual_unit == "pixels"
    assert len(m.solution.rows) == 35
    assert m.local_alignment and m.robust_fitting
    assert m.local_grid == (2, 2)
    assert m.local_extent_px == (377, 372)
    assert [(a.ix, a.iy, a.n_fiducials) for a in m.local_areas] == [
        (1, 1, 10),
        (1, 2, 10),
        (2, 1, 10),
        (2, 2, 10),
    ]
    assert [r.local_area for r in m.local_residuals] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    (summary,) = m.local_summaries
    assert (summary.mean, summary.range_min, summary.range_max, summary.unit) == (
        0.483,
        0.466,
        0.492,
        "pixels",
    )
    assert m.local_ratio.mean == 22.44
    (lo,) = m.leave_out
    assert (lo.scope, lo.variant, lo.n_points, lo.error, lo.unit) == (
        "global",
        None,
        3313,
        0.243,
        "pixels",
    )
    assert m.surface.unbinned_thickness_needed_px.value == 83
    assert m.unparsed == []
    rows = _rows(m.path)
    assert rows["processing.residual_error"].value.unit == "pixels"
    assert rows["processing.residual_error"].source.transform is None


def test_x_tilt_layout_and_fixed_rotation(tmp_path):
    m = clxm_meta.read(
        _write(tmp_path, "align.log", align_log_text(0.5, 0.1, "nm", 5, x_tilt_layout=True))
    )
    assert m.rotation.kind == "fixed"
    assert m.solution.columns == ["tilt", "deltilt", "mag", "dmag", "skew", "x-tilt", "resid"]
    row = m.solution.rows[0]
    assert (row.rotation_deg, row.tilt_deg, row.x_tilt_deg, row.residual) == (None, -60.0, 0.0, 0.5)


def test_compression_layout_is_parsed_without_residual(tmp_path):
    text = (
        " view   rotation    tilt      mag    comp-inc  comp-abs    dmag      skew\n"
        "   1     -90.1     -51.0    1.0000    1.0100    1.0100    0.0000      0.00\n"
        "   2     -90.1     -48.0    1.0000    1.0100    1.0200    0.0000      0.00\n"
        " Residual error mean and sd:   0.315   0.176\n"
    )
    m = clxm_meta.read(_write(tmp_path, "align.log", text))
    assert [r.comp_abs for r in m.solution.rows] == [1.01, 1.02]
    assert m.solution.rows[0].residual is None
    assert m.dialect == "old"


def test_old_align_log_writer_has_no_unit(tmp_path):
    m = clxm_meta.read(_write(tmp_path, "aligna.log", align_log_text(0.315, 0.176, None, 10)))
    assert (m.residual.unit, m.dialect) == (None, "old")
    assert _rows(m.path)["processing.residual_error"].value.unit == "pixels"


def test_tilt_log_wbp_and_sirt(tmp_path):
    wbp = clxm_meta.read(_write(tmp_path, "tilt.log", tilt_log_text(thickness=84)))
    assert isinstance(wbp, imod.TiltLog)
    assert wbp.radial == (179, 25)
    assert wbp.thickness_px.value == 84
    assert wbp.output_size_px == (512, 84, 512)
    assert wbp.input_size_px == (512, 512, 5)
    assert wbp.projection_angles_deg == [-60.0, -30.0, 0.0, 30.0, 60.0]
    assert _rows(wbp.path)["processing.protocol"].value.reconstruction == "WBP"
    sirt = clxm_meta.read(_write(tmp_path, "tilt_sirt.log", tilt_log_text(sirt_iterations=12)))
    assert sirt.sirt_iterations.value == 12
    assert sirt.n_sirt_iteration_lines == 12
    proto = _rows(sirt.path)["processing.protocol"]
    assert (proto.value.reconstruction, proto.value.iterations) == ("SIRT", 12)
    assert proto.source.locator.startswith(f"line {sirt.sirt_iterations.line}:")
    fake = clxm_meta.read(_write(tmp_path, "tiltf.log", tilt_log_text(fake_sirt_iterations=15)))
    assert fake.fake_sirt_iterations.value == 15
    p = _rows(fake.path)["processing.protocol"].value
    assert (p.reconstruction, p.iterations) == ("SIRT-like filter", 15)


def test_tilt_com_fake_sirt_and_sirt(tmp_path):
    m = clxm_meta.read(_write(tmp_path, "tilt.com", tilt_com_text(fake_sirt_iterations=15)))
    assert isinstance(m, imod.ComFile)
    assert m.param("tilt", "FakeSIRTiterations").value == "15"
    rows = _rows(m.path)
    assert rows["processing.protocol"].value.reconstruction == "SIRT-like filter"
    assert rows["processing.protocol"].value.iterations == 15
    assert rows["processing.software"].value.version == "4.11.12"
    s = clxm_meta.read(_write(tmp_path, "tiltb.com", tilt_com_text(sirt_iterations=20)))
    assert _rows(s.path)["processing.protocol"].value.reconstruction == "SIRT"


def test_xcorr_pt_com_is_patch_tracking(tmp_path):
    m = clxm_meta.read(_write(tmp_path, "xcorr_pt.com", xcorr_pt_com_text()))
    assert m.com_name == "xcorr_pt"
    proto = _rows(m.path)["processing.protocol"]
    assert proto.value.alignment == "patch tracking"
    assert proto.source.locator == "line 7: SizeOfPatchesXandY 400,400"


def test_batchruntomo_log(tmp_path):
    m = clxm_meta.read(
        _write(
            tmp_path,
            "batchruntomo.log",
            batchruntomo_log_text(steps=("xcorr_pt.com", "align.com", "tilt.com")),
        )
    )
    assert isinstance(m, imod.BatchruntomoLog)
    assert [s.comfile for s in m.steps] == ["xcorr_pt.com", "align.com", "tilt.com"]
    assert (m.residual.mean, m.residual.sd, m.residual.unit) == (0.36, 0.457, "nm")
    rows = _rows(m.path)
    assert rows["processing.type"].value == "automated"
    assert rows["processing.type"].source.locator.startswith("line 1: Batchruntomo started")
    assert rows["processing.protocol"].value.alignment == "patch tracking"
    assert rows["processing.residual_error"].value.mean == 0.36
    unfinished = clxm_meta.read(_write(tmp_path, "b2.log", batchruntomo_log_text(finished=False)))
    assert any(f.code == "imod.batchruntomo_unfinished" for f in unfinished.findings)


def test_aretomo_aln(tmp_path):
    text = aln_text(
        [-60.0, -57.0, 0.0, 57.0], raw_size=(4096, 4096, 41), dark_frames=(0,), local_rows=3
    )
    m = clxm_meta.read(_write(tmp_path, "ts.aln", text))
    assert isinstance(m, imod.AreTomoAln)
    assert m.raw_size == (4096, 4096, 41)
    assert len(m.rows) == 4 and m.rows[0].rot_deg == 85.3
    assert len(m.dark_frames) == 1 and m.n_local_rows == 3
    rows = _rows(m.path)
    assert rows["processing.software"].value.name == "AreTomo"
    assert rows["processing.protocol"].value.alignment == "AreTomo"
    assert rows["acquisition.n_frames"].value == 41
    assert rows["acquisition.tilt_range"].value.min_deg == -60.0


def test_mdoc_crlf_written(tmp_path):
    path = _write(tmp_path, "ts.mrc.mdoc", mdoc_text([0.0, 3.0, -3.0]), newline="\r\n")
    m = clxm_meta.read(path)
    assert m.crlf and len(m.images) == 3
    assert _rows(path)["acquisition.tilt_range"].value.model_dump() == {
        "start_deg": 0.0,
        "end_deg": -3.0,
        "min_deg": -3.0,
        "max_deg": 3.0,
    }


def test_rawtlt_writer_roundtrip(tmp_path):
    m = clxm_meta.read(_write(tmp_path, "ts.rawtlt", rawtlt_text([-60, -58, -56])))
    assert m.angles_deg == [-60.0, -58.0, -56.0]


@pytest.mark.parametrize(
    ("kw", "alignment", "recon"),
    [
        # useSirt = 0: batchruntomo reconstructs by weighted back-projection
        ({"tracking_method": 1}, "patch tracking", "WBP"),
        ({"fiducialless": 1}, "fiducialless", "WBP"),
        ({"use_sirt": 1}, "fiducial", "SIRT"),
    ],
)
def test_adoc_directives(tmp_path, kw, alignment, recon):
    path = _write(tmp_path, "d.adoc", adoc_text(**kw))
    p = _rows(path)["processing.protocol"].value
    assert (p.alignment, p.reconstruction) == (alignment, recon)


def test_sim_like_log_is_not_claimed(tmp_path):
    from clxm_meta.readers.imod.sniff import sniff

    assert not sniff("recon.log", b"Reconstructing with k0 angles\nbest fit for direction 0\n")
    assert sniff("align.log", b" Residual error mean and sd:   0.3  0.2\n")
    assert not sniff("notes.tlt", b"hello world\n")


def test_aretomo_tlt_file(tmp_path):
    """Issue 22: the ``<stem>_TLT.txt`` B24's AreTomo recipe writes is an angle file, uploaded."""
    path = tmp_path / "ts1_TLT.txt"
    path.write_text("".join(f"{a:.2f}  {i}\n" for i, a in enumerate((-60.0, -30.0, 0.0, 30.0))))
    m = clxm_meta.read(path)
    assert m.kind == "aretomo_tlt"
    assert m.angles_deg == [-60.0, -30.0, 0.0, 30.0]
    rows = _rows(path)
    assert rows["acquisition.tilt_range"].value.min_deg == -60.0
