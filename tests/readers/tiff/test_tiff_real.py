"""The TIFF reader on the real samples, checked against what tifffile and ome-types say directly.

Where bioio is wrong (shared/docs/reference/formats-binary.md §5; re-checked with bioio 3.6.0 +
bioio-ome-tiff 1.4.0 on the tomo file): bioio-ome-tiff returns the raw ``physical_size_*`` numbers
ignoring their units, ``PhysicalPixelSizes(Z=1.0, Y=155.789..., X=155.789...)``: X/Y are nm taken as
µm, and Z = 1.0 comes from ``PhysicalSizeZ="1" PhysicalSizeZUnit="reference frame"``, which is not a
length. We convert X/Y to 0.155789 µm and report Z as unknown with a finding. (bioio-ome-tiff also
fails on the single-plane mosaic file: "axes don't match array".)
"""

from __future__ import annotations

import warnings

import ome_types
import pytest
import tifffile

import clxm_meta
from clxm_meta.normalise.build import build_records
from clxm_meta.normalise.tiff import candidates
from clxm_meta.readers.tiff import TiffMetadata
from conftest import real_files, real_path

TOMO = "tiff/txrm2tiff-2.2.1__txrm_test_chip_tomo.ome.tiff"
CHIP = "tiff/txrm2tiff-2.2.1__test_chip00.ome.tiff"
MOSAIC = "tiff/txrm2tiff-2.2.1__mosaic_4x4_bin8.ome.tiff"
SIM_RAW = "tiff/cudasirecon__raw.tif"
OTF = "tiff/cudasirecon__otf.tif"


def _read(rel: str) -> TiffMetadata:
    model = clxm_meta.read(real_path(rel))
    assert isinstance(model, TiffMetadata)
    return model


def _ome(path: object) -> ome_types.OME:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return ome_types.from_tiff(path, validate=False)


def _by_field(model: TiffMetadata) -> dict[str, object]:
    return {c.field: c for c in candidates(model)}


@pytest.mark.parametrize("path", real_files("tiff"), ids=lambda p: p.name)
def test_every_real_tiff_reads_and_matches_tifffile(path: object) -> None:
    model = clxm_meta.read(path)
    assert isinstance(model, TiffMetadata)
    with tifffile.TiffFile(path) as tif:
        page = tif.pages.first
        assert model.n_pages == len(tif.pages)
        assert model.first_page.width == page.imagewidth
        assert model.first_page.height == page.imagelength
        assert model.first_page.dtype == str(page.dtype)
        assert model.bigtiff == tif.is_bigtiff
        assert [s.shape for s in model.series] == [list(s.shape) for s in tif.series]
        assert [s.axes for s in model.series] == [s.axes for s in tif.series]
        assert model.tags["ImageWidth"] == page.imagewidth
    assert all(f.severity != "error" for f in model.findings)
    model.model_dump_json()  # JSON-safe


def test_tomo_matches_ome_types() -> None:
    model = _read(TOMO)
    ome = _ome(real_path(TOMO))
    px_ref = ome.images[0].pixels
    assert model.flavour == "txrm2tiff"
    assert (model.writer, model.writer_version) == ("txrm2tiff", "2.2.1")
    assert model.n_pages == 7
    assert model.series[0].shape == [7, 256, 256]
    assert model.first_page.dtype == "uint16"
    assert model.ome is not None and model.ome.parsed_by == "ome-types"
    image = model.ome.images[0]
    px = image.pixels
    assert px is not None
    assert (px.size_x, px.size_y, px.size_z, px.size_c, px.size_t) == (256, 256, 7, 1, 1)
    assert px.type == "uint16" == px_ref.type.value
    # nm → µm, checked against ome-types' raw number and unit
    assert px_ref.physical_size_x_unit.value == "nm"
    assert px.physical_size_x_um == pytest.approx(px_ref.physical_size_x / 1000)
    assert px.physical_size_x_um == pytest.approx(0.155789, abs=1e-6)
    assert px.physical_size_y_um == pytest.approx(0.155789, abs=1e-6)
    # Z "reference frame" (txrm2tiff) → unknown + finding
    assert px_ref.physical_size_z_unit.value == "reference frame"
    assert px.physical_size_z_um is None
    assert px.physical_size_z_as_written == "1.0 reference frame"
    codes = [f.code for f in model.findings]
    assert "tiff.ome_unit" in codes
    assert any(f.field == "physical_size_z_um" for f in model.findings)
    assert "tiff.txrm2tiff_no_angles" in codes
    assert image.acquisition_date == "2015-11-09T18:19:21"
    assert [p.exposure_s for p in px.planes] == [p.exposure_time for p in px_ref.planes]
    assert [p.exposure_s for p in px.planes] == [5.0] * 7
    # positions: nm → µm; Z in "reference frame" → unknown
    assert px.planes[0].position_x_um == pytest.approx(px_ref.planes[0].position_x / 1000)
    assert all(p.position_z_um is None for p in px.planes)
    # tags: resolution in px/cm agrees with the OME pixel size
    assert model.first_page.resolution_unit == "cm"
    assert model.first_page.pixel_size_x_um == pytest.approx(0.155789, abs=1e-6)


def test_tomo_acquisition_date_equals_ome_types() -> None:
    model = _read(TOMO)
    ome = _ome(real_path(TOMO))
    assert model.ome is not None
    assert model.ome.images[0].acquisition_date == ome.images[0].acquisition_date.isoformat()


def test_tomo_candidates_are_sxt_raw() -> None:
    model = _read(TOMO)
    cands = _by_field(model)
    assert set(cands) == {
        "raw.format",
        "raw.dimensions",
        "raw.pixel_type",
        "setup.pixel_size",
        "setup.field_of_view",
        "acquisition.exposure",
        "acquisition.n_frames",
        "general.collection_date",
    }
    assert all(c.kind == "SXT" for c in cands.values())
    assert cands["raw.format"].value == "OME-TIFF"
    assert cands["raw.pixel_type"].value == "unsigned 16-bit integer"
    assert cands["acquisition.n_frames"].value == 7
    assert cands["general.collection_date"].value == "2015-11-09T18:19:21"
    size = cands["setup.pixel_size"].value
    assert size.x == pytest.approx(0.155789, abs=1e-6) and size.z is None
    exp = cands["acquisition.exposure"].value
    assert (exp.value_s, exp.n_images, exp.type) == (5.0, 7, "constant")
    dims = cands["raw.dimensions"].value
    assert (dims.x, dims.y) == (256, 256)
    assert dims.x_um == pytest.approx(256 * 0.15578947961330414)
    assert cands["setup.pixel_size"].source.locator.startswith("OME Image[0]/Pixels@PhysicalSizeX")
    assert all(c.precedence <= 40 for c in cands.values())  # below an original TXRM header


def test_chip00_float32() -> None:
    model = _read(CHIP)
    assert model.first_page.dtype == "float32"
    assert model.ome is not None
    px = model.ome.images[0].pixels
    assert px is not None and px.type == "float"
    assert (px.size_x, px.size_y, px.size_z) == (512, 512, 1)
    assert px.physical_size_x_um == pytest.approx(0.077895, abs=1e-6)
    cands = _by_field(model)
    assert cands["raw.pixel_type"].value == "32-bit float"
    assert "raw.type" not in cands  # float alone does not prove the reference was applied
    assert "acquisition.n_frames" not in cands  # one plane: a projection or a stitched mosaic


def test_mosaic() -> None:
    model = _read(MOSAIC)
    assert model.series[0].shape == [1, 1024, 1024]
    assert model.ome is not None
    assert model.ome.images[0].acquisition_date == "2015-11-11T13:04:38"
    cands = _by_field(model)
    assert cands["raw.dimensions"].value.x == 1024
    assert "mosaic" in (cands["acquisition.exposure"].source.transform or "")


def test_cudasirecon_raw_imagej() -> None:
    model = _read(SIM_RAW)
    with tifffile.TiffFile(real_path(SIM_RAW)) as tif:
        ij = tif.imagej_metadata
    assert model.flavour == "imagej"
    assert model.byte_order == "big"
    assert model.series[0].shape == [135, 64, 64] and model.series[0].dtype == "float32"
    assert model.imagej is not None
    assert model.imagej.version == ij["ImageJ"] == "1.53c"
    assert model.imagej.slices == ij["slices"] == 135
    assert model.imagej.unit == ij["unit"] == "micron"
    assert model.imagej.spacing == ij["spacing"] == 0.125
    assert model.imagej.spacing_um == 0.125
    assert model.imagej.pixel_width_um == pytest.approx(0.08)
    assert model.imagej.min == ij["min"] and model.imagej.max == ij["max"]
    assert model.tags_notes["IJMetadata.Info"].startswith("string of")
    cands = _by_field(model)
    assert all(c.kind == "SIM" for c in cands.values())
    assert cands["raw.format"].value == "ImageJ TIFF"
    assert cands["setup.pixel_size"].value.z == 0.125
    # one reading of the layout for both rows: 135 images = 9 planes × (3 angles × 5 phases)
    assert cands["acquisition.n_focal_planes"].value == 9
    assert cands["acquisition.n_focal_planes"].source.kind == "assumption"
    assert cands["acquisition.stack_height"].value == pytest.approx(1.0)  # (135/15 - 1) × 0.125
    assert cands["acquisition.stack_height"].source.kind == "assumption"
    assert "raw.intensity_range" not in cands  # ImageJ min/max is a display range


def test_otf_gives_no_raw_rows() -> None:
    model = _read(OTF)
    assert model.writer == "CImg"
    assert model.otf_like
    assert model.series[0].shape == [3, 129, 130]
    assert "tiff.otf_like" in [f.code for f in model.findings]
    assert candidates(model) == []
    assert build_records([model]) == []
