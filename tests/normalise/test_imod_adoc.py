"""What a batchruntomo directive (``.adoc``) asks of IMOD, as Table 1 rows (issue 22)."""

from __future__ import annotations

from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.normalise.build import build_records, candidates_for
from clxm_meta.records.values import ReconstructionProtocol
from conftest import real_path
from writers.imod import align_log_text, batch_directive_text, tilt_log_text
from writers.txrm import write_txrm


def _cands(path: Path) -> dict[str, object]:
    return {c.field: c for c in candidates_for(clxm_meta.read(path))}


def _protocol(path: Path) -> ReconstructionProtocol:
    value = _cands(path)["processing.protocol"].value  # type: ignore[attr-defined]
    assert isinstance(value, ReconstructionProtocol)
    return value


def test_sirt_iterations_from_leave_iterations(tmp_path: Path) -> None:
    """Issue 22: iterations stayed null although LeaveIterations is in the directive."""
    path = tmp_path / "batchDirective.adoc"
    path.write_text(batch_directive_text(sirt=True, sirt_iterations=12))
    p = _protocol(path)
    assert (p.reconstruction, p.iterations, p.back_projection_also) == ("SIRT", 12, True)
    cand = _cands(path)["processing.protocol"]
    assert "LeaveIterations = 12" in cand.source.locator  # type: ignore[attr-defined]


def test_fiducials_pixel_axis_binning_thickness(tmp_path: Path) -> None:
    path = tmp_path / "batchDirective.adoc"
    path.write_text(
        batch_directive_text(pixel_nm=12.5, bead_nm=250, bead_count=8, tilt_axis=-3.5, out_bin=2)
    )
    p = _protocol(path)
    assert (p.alignment, p.reconstruction) == ("fiducial", "WBP")
    assert (p.fiducial_count, p.tilt_axis_deg, p.binning, p.thickness_px) == (8, -3.5, 2, 700)
    cands = _cands(path)
    pixel = cands["setup.pixel_size"]
    assert pixel.value.x == pytest.approx(0.0125)  # type: ignore[attr-defined]
    assert "setupset.copyarg.pixel = 12.5" in pixel.source.locator  # type: ignore[attr-defined]
    fid = cands["sample.fiducials"]
    assert (
        fid.value == "gold beads of 250 nm (the bead size given to IMOD); 8 beads to seed per view"
    )  # type: ignore[attr-defined]


def test_patch_tracking_gives_patches_not_beads(tmp_path: Path) -> None:
    path = tmp_path / "batchDirective.adoc"
    path.write_text(batch_directive_text(patch=True, patch_size=300, patch_overlap=0.33))
    p = _protocol(path)
    assert p.alignment == "patch tracking"
    assert (p.patch_size_px, p.patch_overlap, p.fiducial_count) == ([300, 300], [0.33, 0.33], None)
    assert "sample.fiducials" not in _cands(path)


def test_what_was_done_wins_and_a_difference_is_a_finding(tmp_path: Path) -> None:
    """The directive asks 12.5 nm of IMOD; the tilt series' header says 10 nm: the header wins."""
    write_txrm(
        tmp_path / "ts1.txrm", angles=[-30.0, 0.0, 30.0], pixel_size_um=0.01, reference=False
    )
    (tmp_path / "batchDirective.adoc").write_text(batch_directive_text(pixel_nm=12.5, sirt=True))
    (tmp_path / "tilt_sirt.log").write_text(tilt_log_text(sirt_iterations=8, thickness=700))
    (tmp_path / "align.log").write_text(align_log_text(0.3, 0.2, "nm", 3))
    models = [clxm_meta.read(p) for p in sorted(tmp_path.iterdir())]
    (rec,) = build_records(models)
    assert rec.setup.pixel_size is not None
    assert rec.setup.pixel_size.value.x == 0.01
    findings = [f for f in rec.findings if f.code == "normalise.disagreement"]
    assert any("setup.pixel_size" in f.message and "copyarg.pixel" in f.message for f in findings)
    # asked: 5 SIRT iterations (LeaveIterations); done: 8 (tilt_sirt.log): a finding, the log wins
    assert any("processing.protocol" in f.message for f in findings)
    protocol = rec.processing.protocol
    assert protocol is not None
    # the log proves SIRT ran with 8 iterations; the directive's parts fill the rest
    assert (protocol.value.reconstruction, protocol.value.iterations) == ("SIRT", 8)
    assert protocol.value.thickness_px == 700 and protocol.value.back_projection_also is True
    assert "batchDirective.adoc" in (protocol.source.transform or "")


def test_unknown_and_malformed_directives_are_no_error(tmp_path: Path) -> None:
    path = tmp_path / "batchDirective.adoc"
    path.write_text(
        batch_directive_text(
            extra=[
                "runtime.NoSuchStep.any.whatever=1",
                "comparam.tilt.tilt.THICKNESS=thick",
                "setupset.copyarg.pixel=",
                "garbage line without equals",
            ]
        )
    )
    model = clxm_meta.read(path)
    assert not [f for f in model.findings if f.severity.name == "ERROR"]
    p = _protocol(path)
    assert p.thickness_px is None  # the last THICKNESS is not a number: not guessed


@pytest.mark.shared
def test_real_directive() -> None:
    cands = _cands(real_path("imod/yaiw__fiducials.adoc"))
    p = cands["processing.protocol"].value  # type: ignore[attr-defined]
    assert (p.alignment, p.fiducial_count, p.tilt_axis_deg, p.binning) == ("fiducial", 50, 85.0, 8)
    assert cands["setup.pixel_size"].value.x == pytest.approx(6.75e-05)  # type: ignore[attr-defined]
    assert "10 nm" in cands["sample.fiducials"].value  # type: ignore[attr-defined]
