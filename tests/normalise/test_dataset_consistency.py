"""Every cross-file consistency check is triggered by a deliberately inconsistent copy."""

from __future__ import annotations

import sys
from pathlib import Path

import clxm_meta
from clxm_meta.findings import Finding
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests"))

from writers.dv import DvSpec, write_dv
from writers.mrc import imod_label, write_mrc


def _codes(root: Path) -> list[Finding]:
    return [f for f in clxm_meta.scan(root).all_findings() if f.code.startswith("consistency.")]


def _recon(path: Path, *, d_um: tuple[float, float, float], n_waves: int = 2) -> None:
    write_dv(
        path,
        DvSpec(
            nx=48,
            ny=48,
            nz=3,
            n_waves=n_waves,
            pixel_type=2,
            d_um=d_um,
            waves=(525, 609)[:n_waves],
            minmax=((0.0, 1000.0),) * n_waves,
            sequence=1,
            n_ints=0,
            n_floats=0,
            sections=[],
        ),
    )


def test_example_is_consistent(tree: Path) -> None:
    assert _codes(tree) == []


def test_sim_pixel_size_vs_voxel_size_times_zoom(tree: Path) -> None:
    _recon(tree / "sample1" / "SIM" / "cell1_SIR.dv", d_um=(0.05, 0.05, 0.125))
    hits = [f for f in _codes(tree) if f.code == "consistency.sim_pixel_size"]
    assert hits and "zoom" in hits[0].message
    assert hits[0].path is not None and hits[0].path.endswith("cell1_SIR.dv")


def test_sim_channels_raw_vs_reconstruction(tree: Path) -> None:
    _recon(tree / "sample1" / "SIM" / "cell1_SIR.dv", d_um=(0.0397, 0.0397, 0.125), n_waves=1)
    hits = [f for f in _codes(tree) if f.code == "consistency.sim_channels"]
    assert hits and "2 channel(s)" in hits[0].message


def test_txrm_angles_vs_rawtlt(tree: Path) -> None:
    rawtlt = tree / "sample1" / "SXT" / "ts1.rawtlt"
    angles = rawtlt.read_text().split()
    angles[10] = f"{float(angles[10]) + 1.5:.2f}"
    rawtlt.write_text("\n".join(angles) + "\n")
    hits = [f for f in _codes(tree) if f.code == "consistency.tilt_angles"]
    assert hits and "angle 11" in hits[0].message


def test_frames_vs_angles(tree: Path) -> None:
    rawtlt = tree / "sample1" / "SXT" / "ts1.rawtlt"
    angles = rawtlt.read_text().split()
    rawtlt.write_text("\n".join(angles[:-1]) + "\n")
    hits = [f for f in _codes(tree) if f.code == "consistency.frames_vs_angles"]
    assert hits and "61 images" in hits[0].message and "60 angles" in hits[0].message


def test_tomogram_voxel_vs_txrm_pixel_times_binning(tree: Path) -> None:
    write_mrc(
        tree / "sample1" / "SXT" / "ts1_rec.mrc",
        shape=(8, 4, 4),
        voxel_size_a=150.0,
        labels=[imod_label("Tomographic reconstruction of ts1.ali with tilt")],
    )
    hits = [f for f in _codes(tree) if f.code == "consistency.tomogram_pixel_size"]
    assert hits and "binning 2" in hits[0].message


def test_tomogram_without_binning_must_be_whole(tree: Path) -> None:
    (tree / "sample1" / "SXT" / "tilt.com").unlink()
    write_mrc(
        tree / "sample1" / "SXT" / "ts1_rec.mrc",
        shape=(8, 4, 4),
        voxel_size_a=250.0,
        labels=[imod_label("Tomographic reconstruction of ts1.ali with tilt")],
    )
    hits = [f for f in _codes(tree) if f.code == "consistency.tomogram_pixel_size"]
    assert hits and "whole binning" in hits[0].message
