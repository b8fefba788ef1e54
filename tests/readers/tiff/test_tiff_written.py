"""Files the tests write (tests/writers/tiff.py), read back field by field."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.normalise.tiff import candidates
from clxm_meta.readers.tiff import TiffMetadata
from writers.tiff import compose_ome, write_imagej, write_ome_tiff, write_plain


def _read(path: Path) -> TiffMetadata:
    model = clxm_meta.read(path)
    assert isinstance(model, TiffMetadata)
    return model


def _cands(model: TiffMetadata) -> dict[str, object]:
    return {c.field: c for c in candidates(model)}


def test_ome_tiff_fluorescence(tmp_path: Path) -> None:
    xml = compose_ome(
        size=(8, 6, 2, 2, 1),
        channels=[
            {"name": "GFP", "ex": 488.0, "em": 525.0, "nd": 0.5},
            {"name": "RFP", "ex": 561.0, "em": 610.0},
        ],
        exposures_ms=[10, 10, 20, 20],
        acquisition_date=datetime(2024, 1, 2, 3, 4, 5),
        instrument=True,
    )
    model = _read(write_ome_tiff(tmp_path / "a.ome.tif", xml, shape=(2, 2, 6, 8)))
    assert model.flavour == "ome"
    assert model.findings == []
    assert model.series[0].kind == "ome" and model.series[0].shape == [2, 2, 6, 8]
    assert model.ome is not None
    image = model.ome.images[0]
    px = image.pixels
    assert px is not None
    assert (px.size_x, px.size_y, px.size_z, px.size_c) == (8, 6, 2, 2)
    assert (px.physical_size_x_um, px.physical_size_z_um) == (0.1, 0.25)  # 100 nm, 250 nm
    assert [c.name for c in px.channels] == ["GFP", "RFP"]
    assert [c.excitation_nm for c in px.channels] == [488.0, 561.0]
    assert [c.emission_nm for c in px.channels] == [525.0, 610.0]
    assert px.channels[0].nd_filter == 0.5
    assert [p.exposure_s for p in px.planes] == [0.01, 0.01, 0.02, 0.02]  # ms → s
    assert image.acquisition_date == "2024-01-02T03:04:05"
    ins = model.ome.instruments[0]
    assert ins.objectives[0].lens_na == 0.9
    assert ins.objectives[0].working_distance_um == 1000.0  # 1 mm
    assert ins.lasers[0].wavelength_nm == 488.0 and ins.lasers[0].power_mw == 50.0

    cands = _cands(model)
    assert all(c.kind == "SIM" for c in cands.values())
    assert cands["setup.lasers"].value == [488.0, 561.0]
    assert cands["setup.emission_filters"].value == [525.0, 610.0]
    assert cands["acquisition.n_excitation_wavelengths"].value == 2
    chans = cands["acquisition.channels"].value
    assert [(c.exposure_s, c.attenuation) for c in chans] == [(0.01, 0.5), (0.02, None)]
    assert cands["setup.objective"].value.na == 0.9
    assert cands["setup.objective"].value.working_distance_mm == 1.0
    assert cands["setup.detector"].value == "CMOS Zyla"
    assert cands["general.instrument"].value == "Acme CryoSIM 1"
    assert cands["setup.pixel_size"].value.model_dump() == {"x": 0.1, "y": 0.1, "z": 0.25}
    assert cands["setup.pixel_size"].source.locator.startswith("OME Image[0]/Pixels@PhysicalSizeX")
    assert cands["raw.dimensions"].value.c == 2


def test_ome_tiff_physical_sizes_in_um(tmp_path: Path) -> None:
    xml = compose_ome(size=(8, 6, 1, 1, 1), physical_size=(0.5, 0.25, None), physical_unit="µm")
    model = _read(write_ome_tiff(tmp_path / "b.ome.tif", xml, shape=(6, 8)))
    assert model.ome is not None
    px = model.ome.images[0].pixels
    assert px is not None
    assert (px.physical_size_x_um, px.physical_size_y_um, px.physical_size_z_um) == (
        0.5,
        0.25,
        None,
    )
    assert px.physical_size_x_as_written == "0.5 µm"
    assert candidates(model) == []  # no fluorescence channel, no SIM-like Z: kind unknown


def test_ome_without_channels_wavelengths_and_mm(tmp_path: Path) -> None:
    xml = compose_ome(size=(4, 4, 1, 1, 1), physical_size=(0.001, 0.001, None), physical_unit="mm")
    model = _read(write_ome_tiff(tmp_path / "c.ome.tif", xml, shape=(4, 4)))
    assert model.ome is not None
    assert model.ome.images[0].pixels.physical_size_x_um == 1.0  # type: ignore[union-attr]


def test_txrm2tiff_like_variable_exposure(tmp_path: Path) -> None:
    xml = compose_ome(
        size=(8, 6, 3, 1, 1),
        physical_size=(10.0, 10.0, 1.0),
        physical_unit="nm",
        physical_z_unit="reference frame",
        exposures_ms=[1000, 2000, 1500],
    )
    path = write_ome_tiff(tmp_path / "t.ome.tiff", xml, shape=(3, 6, 8), software="txrm2tiff 9.9.9")
    model = _read(path)
    assert model.flavour == "txrm2tiff" and model.writer_version == "9.9.9"
    cands = _cands(model)
    exp = cands["acquisition.exposure"].value
    assert (exp.value_s, exp.min_s, exp.max_s, exp.type) == (None, 1.0, 2.0, "variable")
    assert cands["acquisition.n_frames"].value == 3
    assert cands["setup.pixel_size"].value.model_dump() == {"x": 0.01, "y": 0.01, "z": None}
    assert cands["setup.field_of_view"].value.x == pytest.approx(0.08)
    assert "general.collection_date" not in cands  # no AcquisitionDate written


def test_bigtiff_ome(tmp_path: Path) -> None:
    xml = compose_ome(size=(8, 6, 2, 1, 1))
    model = _read(write_ome_tiff(tmp_path / "big.ome.tif", xml, bigtiff=True))
    assert model.bigtiff
    assert model.ome is not None and model.ome.images[0].pixels.size_z == 2  # type: ignore[union-attr]


def test_imagej_hyperstack(tmp_path: Path) -> None:
    path = write_imagej(
        tmp_path / "ij.tif",
        shape=(3, 2, 6, 8),
        axes="ZCYX",
        pixel_size=0.08,
        metadata={"spacing": 0.2, "unit": "micron", "finterval": 2.5},
    )
    model = _read(path)
    assert model.flavour == "imagej"
    assert model.writer == "tifffile.py"  # the Software tag wins over the ImageJ description
    ij = model.imagej
    assert ij is not None
    assert (ij.images, ij.channels, ij.slices, ij.hyperstack) == (6, 2, 3, True)
    assert ij.spacing_um == 0.2 and ij.pixel_width_um == pytest.approx(0.08)
    assert (ij.finterval_s, ij.time_unit) == (2.5, "sec")
    assert model.series[0].axes == "ZCYX"
    assert candidates(model) == []  # 2 channels, 3 slices: nothing says SIM


def test_imagej_escaped_micro_and_nm(tmp_path: Path) -> None:
    model = _read(
        write_imagej(
            tmp_path / "u.tif",
            shape=(15, 6, 8),
            axes="ZYX",
            pixel_size=80.0,
            metadata={"spacing": 125.0, "unit": "nm"},
        )
    )
    assert model.imagej is not None
    assert model.imagej.pixel_width_um == pytest.approx(0.08)
    assert model.imagej.spacing_um == pytest.approx(0.125)
    cands = _cands(model)  # 15 slices = one SIM focal plane
    assert cands["acquisition.stack_height"].value == 0.0
    model2 = _read(
        write_imagej(
            tmp_path / "v.tif",
            shape=(2, 6, 8),
            axes="ZYX",
            pixel_size=0.5,
            metadata={"spacing": 1.0, "unit": "\\u00B5m"},
        )
    )
    assert model2.imagej is not None and model2.imagej.unit == "\\u00B5m"
    assert model2.imagej.pixel_width_um == 0.5 and model2.imagej.spacing_um == 1.0


def test_imagej_unknown_unit(tmp_path: Path) -> None:
    model = _read(
        write_imagej(
            tmp_path / "f.tif",
            shape=(2, 6, 8),
            axes="ZYX",
            pixel_size=2.0,
            metadata={"spacing": 1.0, "unit": "furlong"},
        )
    )
    assert model.imagej is not None
    assert model.imagej.pixel_width_um is None and model.imagej.spacing_um is None
    assert {f.code for f in model.findings} == {"tiff.imagej_unit"}


@pytest.mark.parametrize(
    ("resolution", "unit", "expected_um"),
    [((1e4, 1e4), 3, 1.0), ((25400.0, 12700.0), 2, None), ((2.0, 2.0), 5, 0.5)],
)
def test_plain_resolution_units(
    tmp_path: Path, resolution: tuple[float, float], unit: int, expected_um: float | None
) -> None:
    path = write_plain(tmp_path / "p.tif", resolution=resolution, resolutionunit=unit)
    model = _read(path)
    page = model.first_page
    assert page.resolution_unit_code == unit
    if unit == 2:
        assert page.resolution_unit == "in"
        assert (page.pixel_size_x_um, page.pixel_size_y_um) == (1.0, 2.0)
    else:
        assert page.pixel_size_x_um == expected_um
    assert model.flavour == "plain"
    assert candidates(model) == []


def test_plain_descriptive_tags(tmp_path: Path) -> None:
    path = write_plain(
        tmp_path / "d.tif",
        description="a note",
        software="MySoft 1.2.3",
        datetime_text="2024:05:06 07:08:09",
        extratags=[
            (315, "s", 0, "Ada", True),
            (271, "s", 0, "Acme", True),
            (272, "s", 0, "X1", True),
        ],
    )
    model = _read(path)
    page = model.first_page
    assert (page.description, page.description_kind) == ("a note", "text")
    assert (model.writer, model.writer_version) == ("MySoft", "1.2.3")
    assert (page.datetime, page.datetime_iso) == ("2024:05:06 07:08:09", "2024-05-06T07:08:09")
    assert (page.artist, page.make, page.model) == ("Ada", "Acme", "X1")
    assert model.tags["Artist"] == "Ada"
    assert model.findings == []


def test_plain_bad_datetime(tmp_path: Path) -> None:
    model = _read(write_plain(tmp_path / "e.tif", extratags=[(306, "s", 0, "yesterday", True)]))
    assert model.first_page.datetime == "yesterday" and model.first_page.datetime_iso is None
    assert [f.code for f in model.findings] == ["tiff.bad_datetime"]


def test_big_binary_tag_is_left_out(tmp_path: Path) -> None:
    blob = bytes(range(256)) * 8
    model = _read(write_plain(tmp_path / "g.tif", extratags=[(65000, "B", len(blob), blob, True)]))
    key = next(k for k in model.tags if "65000" in k)
    assert model.tags[key] is None
    assert "left out" in model.tags_notes[key]
    model.model_dump_json()
