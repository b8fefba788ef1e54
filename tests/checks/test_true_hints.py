"""Hints say the true reason (issue 22): an ImageJ TIFF is not an OME-TIFF, OME-TIFFs in another
role are named, and a volume shared by several datasets says its values were set aside."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.checks.carriers import dataset_members
from clxm_meta.checks.completeness import completeness
from conftest import real_path
from writers.dv import DvSpec, write_dv
from writers.mrc import write_mrc
from writers.tiff import compose_ome, write_ome_tiff
from writers.txrm import write_txrm


def _hint(root: Path, dataset: str, row: str) -> str:
    result = clxm_meta.scan(root)
    comp = completeness(result.record(dataset), dataset_members(result, dataset))
    status = next(r for r in comp.rows if r.id == row)
    assert status.hint is not None, status
    return status.hint


@pytest.mark.shared
def test_imagej_tiff_is_not_called_an_ome_tiff(tmp_path: Path) -> None:
    sim = tmp_path / "SIM"
    sim.mkdir()
    shutil.copy(real_path("tiff/cudasirecon__raw.tif"), sim / "cell1.tif")
    result = clxm_meta.scan(tmp_path)
    assert [f.role for f in result.files if f.path == "SIM/cell1.tif"] == ["sim_raw"]
    hint = _hint(tmp_path, "SIM/cell1", "general.instrument")
    assert "cell1.tif (OME-TIFF) is in the dataset" not in hint
    assert "cell1.tif is an ImageJ TIFF, not an OME-TIFF" in hint


def test_ome_tiffs_in_another_role_are_named(tmp_path: Path) -> None:
    sim = tmp_path / "SIM"
    sim.mkdir()
    write_dv(sim / "cell1.dv", DvSpec(nz=45, waves=(525,)))
    for i in range(3):
        write_ome_tiff(sim / f"cell1_bf{i}.ome.tif", compose_ome(instrument=True))
    result = clxm_meta.scan(tmp_path)
    assert {f.role for f in result.files if f.path.endswith(".ome.tif")} == {"brightfield"}
    hint = _hint(tmp_path, "SIM/cell1", "general.instrument")
    assert "cell1_bf0.ome.tif, cell1_bf1.ome.tif, cell1_bf2.ome.tif (OME-TIFF) are here as" in hint


def test_volume_shared_by_three_datasets_says_why(tmp_path: Path) -> None:
    sxt = tmp_path / "SXT"
    sxt.mkdir()
    for name in ("a", "b", "c"):
        write_txrm(sxt / f"{name}.txrm", angles=[-30.0, 0.0, 30.0], reference=False)
    write_mrc(sxt / "volume_rec.mrc", shape=(4, 8, 8), voxel_size_a=100.0)
    result = clxm_meta.scan(tmp_path)
    rec = result.record("SXT/a")
    assert rec.processed.dimensions is None  # not the reconstruction of all three
    assert any(f.code == "dataset.shared_set_aside" for f in rec.findings)
    hint = _hint(tmp_path, "SXT/a", "processed.dimensions")
    assert "is shared by the 3 datasets SXT/a, SXT/b, SXT/c: its values are set aside" in hint
    assert "is in the dataset but has none" not in hint


@pytest.mark.shared
def test_sxt_dataset_of_three_ome_tiffs_does_not_lack_one(tmp_path: Path) -> None:
    """Issue 22: three txrm2tiff OME-TIFFs, and the hint said "no OME-TIFF in this dataset"."""
    sxt = tmp_path / "SXT"
    sxt.mkdir()
    for name in ("txrm_test_chip_tomo", "mosaic_4x4_bin8", "test_chip00"):
        shutil.copy(real_path(f"tiff/txrm2tiff-2.2.1__{name}.ome.tiff"), sxt)
    hint = _hint(tmp_path, "SXT/txrm2tiff-2.2.1__txrm_test_chip_tomo", "general.instrument")
    assert "no OME-TIFF in this dataset" not in hint
    assert "txrm2tiff-2.2.1__txrm_test_chip_tomo.ome.tiff (OME-TIFF) is in the dataset" in hint
