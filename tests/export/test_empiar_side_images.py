"""EMPIAR image sets of files beside the tilt series: mosaics and single images (issue 22).

A real Xradia mosaic next to a tilt series stopped ``deposit`` (exit 4: frames_per_image and
voxel_type "to supply" from a header that holds them); a one-page txrm2tiff OME-TIFF gave no
``frames_per_image``. Their image sets now take the values from their own headers.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from clxm_meta.cli import EXIT_OK, main
from clxm_meta.export.empiar.geometry import file_geometry
from conftest import real_path
from writers.txrm import write_txrm

SXT = "sample1/SXT/ts1"


def _deposit(tree: Path, out: Path) -> dict[str, Any]:
    assert main(["deposit", str(tree), "-o", str(out), "-q"]) == EXIT_OK
    doc: dict[str, Any] = json.loads((out / "empiar/deposition.json").read_text(encoding="utf-8"))
    return doc


def _set(doc: dict[str, Any], name: str) -> dict[str, Any]:
    found = [s for s in doc["imagesets"] if name in s["name"]]
    assert len(found) == 1, [s["name"] for s in doc["imagesets"]]
    return found[0]


@pytest.mark.shared
def test_real_mosaic_beside_the_tilt_series_is_a_stitched_map(tree: Path, tmp_path: Path) -> None:
    shutil.copy(
        real_path("txrm/xanespy__mosaic_4x4_bin8.xrm"), tree / "sample1/SXT/tomo_mosaic.xrm"
    )
    doc = _deposit(tree, tmp_path / "out")
    mosaic = _set(doc, "tomo_mosaic.xrm")
    assert mosaic["category"] == "('T11', '')"
    assert mosaic["voxel_type"] == "('T3', '')"  # uint16, from ImageInfo/DataType
    assert mosaic["frames_per_image"] == 1  # one stitched image stream
    assert (mosaic["image_width"], mosaic["image_height"]) == (1024, 1024)
    assert "4 × 4 tiles (16 images taken)" in mosaic["details"]


def test_synthetic_mosaic_is_a_stitched_map(tree: Path, tmp_path: Path) -> None:
    write_txrm(
        tree / "sample1/SXT/grid_mosaic.txrm",
        version=3,
        angles=[0.0] * 4,
        mosaic=(2, 2),
        reference=False,
        width=16,
        height=16,
    )
    doc = _deposit(tree, tmp_path / "out")
    mosaic = _set(doc, "grid_mosaic.txrm")
    assert mosaic["category"] == "('T11', '')"
    assert mosaic["voxel_type"] == "('T3', '')"
    assert mosaic["frames_per_image"] == 4  # the writer stores one stream per tile
    assert "2 × 2 tiles" in mosaic["details"]


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "frames", "voxel"),
    [
        ("tiff/txrm2tiff-2.2.1__mosaic_4x4_bin8.ome.tiff", 1, "('T3', '')"),
        ("tiff/txrm2tiff-2.2.1__test_chip00.ome.tiff", 1, "('T7', '')"),
    ],
)
def test_one_page_txrm2tiff_image_has_one_frame(
    tree: Path, tmp_path: Path, name: str, frames: int, voxel: str
) -> None:
    target = tree / "sample1/SXT" / Path(name).name.replace("txrm2tiff-2.2.1__", "ref_")
    if "mosaic" in name:
        target = target.with_name("overview_mosaic.ome.tiff")
    shutil.copy(real_path(name), target)
    doc = _deposit(tree, tmp_path / "out")
    image = _set(doc, target.name)
    assert image["frames_per_image"] == frames
    assert image["voxel_type"] == voxel


@pytest.mark.shared
def test_geometry_of_real_files() -> None:
    import clxm_meta

    g = file_geometry(clxm_meta.read(real_path("txrm/xanespy__mosaic_4x4_bin8.xrm")))
    assert g is not None
    assert (g.width, g.height, g.frames, g.pixel_type) == (1024, 1024, 1, "unsigned 16-bit integer")
    g = file_geometry(clxm_meta.read(real_path("tiff/txrm2tiff-2.2.1__test_chip00.ome.tiff")))
    assert g is not None
    assert (g.width, g.height, g.frames, g.pixel_type) == (512, 512, 1, "32-bit float")
    g = file_geometry(clxm_meta.read(real_path("mrc/tomoauto__test_002_mode1.st")))
    assert g is not None
    assert (g.width, g.height, g.frames) == (24, 24, 41)


def test_volume_shared_by_three_datasets_has_size_and_type(tmp_path: Path) -> None:
    """Issue 22: a volume shared by several datasets (values set aside in each record) had an
    image set without size or type; its header gives them."""
    import clxm_meta
    from clxm_meta.export.empiar.build import build_empiar
    from writers.mrc import write_mrc

    sxt = tmp_path / "SXT"
    sxt.mkdir()
    for name in ("a", "b", "c"):
        write_txrm(sxt / f"{name}.txrm", angles=[-30.0, 0.0, 30.0], reference=False)
    write_mrc(sxt / "volume.mrc", shape=(4, 8, 6), voxel_size_a=100.0)
    result = clxm_meta.scan(tmp_path)
    doc = build_empiar(result, "SXT/b").document
    volume = _set(doc, "volume.mrc")
    assert (volume["frames_per_image"], volume["voxel_type"]) == (4, "('T7', '')")
    assert (volume["image_width"], volume["image_height"]) == (6, 8)
    assert volume["pixel_width"] == 100.0
