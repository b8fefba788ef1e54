"""OME-XML from DV and TIFF models: validated against the OME schema, only values the file gives."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.errors import UnsupportedFormatError
from clxm_meta.export.ome.build import OME_MAPPING, ome_models, ome_xml
from clxm_meta.records.fields import fields_for
from conftest import EXAMPLE, ROOT, real_files

sys.path.insert(0, str(ROOT / "tests"))
from writers.dv import DvSpec, write_dv
from writers.tiff import compose_ome, write_imagej, write_ome_tiff, write_plain

ome_types = pytest.importorskip("ome_types")
pytest.importorskip("xmlschema")

SIM = "sample1/SIM/cell1"


def validated(xml: str):  # type: ignore[no-untyped-def]
    return ome_types.from_xml(xml, validate=True)


def test_example_dataset_images() -> None:
    result = clxm_meta.scan(EXAMPLE)
    models = ome_models(result, SIM)
    assert [p for p, _ in models] == ["sample1/SIM/cell1.dv", "sample1/SIM/cell1_SIR.dv"]
    raw = validated(ome_xml(models[0][1]).document)
    [image] = raw.images
    px = image.pixels
    assert (px.size_x, px.size_y, px.size_z, px.size_c, px.size_t) == (24, 24, 45, 2, 1)
    assert px.type.value == "uint16"
    assert px.physical_size_x == pytest.approx(0.0794) and px.physical_size_x_unit.value == "µm"
    assert px.physical_size_z == pytest.approx(0.125)
    assert [c.excitation_wavelength for c in px.channels] == [488, 561]
    assert [c.emission_wavelength for c in px.channels] == [525, 609]
    assert len(px.planes) == 90
    assert px.planes[0].exposure_time == pytest.approx(0.05)
    assert px.planes[0].exposure_time_unit.value == "s"
    assert px.planes[0].position_x_unit.value == "reference frame"  # unit not stated by DV
    assert image.acquisition_date.isoformat().startswith("2023-03-14T10:21:05")
    recon = validated(ome_xml(models[1][1]).document)
    rpx = recon.images[0].pixels
    assert rpx.type.value == "float" and (rpx.size_x, rpx.size_z) == (48, 3)
    assert [c.excitation_wavelength for c in rpx.channels] == [None, None]  # not in that file
    assert [c.emission_wavelength for c in rpx.channels] == [525, 609]  # header wave list


def test_nothing_invented_for_a_bare_dv(tmp_path: Path) -> None:
    path = write_dv(tmp_path / "bare.dv", DvSpec(d_um=(0.0, 0.0, 0.0)))
    doc = validated(ome_xml(clxm_meta.read(path)).document)
    px = doc.images[0].pixels
    assert px.physical_size_x is None and px.physical_size_z is None
    assert doc.images[0].acquisition_date is None
    assert doc.instruments == []


@pytest.mark.parametrize("writer", ["ome", "imagej", "plain"])
def test_tiff_written(tmp_path: Path, writer: str) -> None:
    path = tmp_path / f"img_{writer}.tif"
    if writer == "ome":
        xml = compose_ome(
            size=(8, 6, 2, 2, 1),
            channels=[{"name": "a", "ex": 488.0, "em": 525.0}, {"name": "b", "ex": 561.0}],
            exposures_ms=[50.0, 50.0, 100.0, 100.0],
            instrument=True,
        )
        write_ome_tiff(path, xml, shape=(2, 2, 6, 8))
    elif writer == "imagej":
        write_imagej(path, metadata={"unit": "micron", "spacing": 0.125})
    else:
        write_plain(path)
    model = clxm_meta.read(path)
    doc = validated(ome_xml(model).document)
    px = doc.images[0].pixels
    assert px.size_x == 8 and px.size_y == 6 and px.type is not None
    if writer == "ome":
        assert (px.size_z, px.size_c) == (2, 2)
        assert px.physical_size_x == pytest.approx(0.1)  # 100 nm written, µm out
        assert [c.excitation_wavelength for c in px.channels] == [488, 561]
        assert [c.emission_wavelength for c in px.channels] == [525, None]
        assert px.planes[0].exposure_time == pytest.approx(0.05)
    if writer == "imagej":
        assert (px.size_z, px.size_c) == (3, 2)
        assert px.physical_size_x == pytest.approx(0.08)
        assert px.physical_size_z == pytest.approx(0.125)


@pytest.mark.shared
@pytest.mark.parametrize(
    "path",
    real_files("dv") + real_files("tiff"),
    ids=lambda p: p.name,
)
def test_real_files_validate_or_refuse(path: Path) -> None:
    model = clxm_meta.read(path)
    if "otf" in path.name:
        with pytest.raises(UnsupportedFormatError, match="OTF"):
            ome_xml(model)
        return
    exp = ome_xml(model)
    assert exp.missing == []
    doc = validated(exp.document)
    assert doc.images[0].pixels.size_x > 0


@pytest.mark.shared
def test_real_objective_carried(real: Path) -> None:
    path = real / "dv" / "tlambert03-mrc__toxo.dv"
    if not path.is_file():
        pytest.skip("toxo.dv not available")
    model = clxm_meta.read(path)
    doc = validated(ome_xml(model).document)
    [obj] = doc.instruments[0].objectives
    assert obj.lens_na == pytest.approx(model.lens.na)
    assert obj.nominal_magnification == pytest.approx(model.lens.magnification)
    assert doc.images[0].objective_settings.id == obj.id


def test_not_an_image_is_refused() -> None:
    model = clxm_meta.read(EXAMPLE / "sample1" / "SXT" / "ts1_rec.mrc")
    with pytest.raises(UnsupportedFormatError, match="DV and TIFF"):
        ome_xml(model)


def test_sxt_dataset_has_no_light_images() -> None:
    assert ome_models(clxm_meta.scan(EXAMPLE), "sample1/SXT/ts1") == []


def test_ome_mapping_ids_are_table1_ids() -> None:
    ids = {s.id for s in fields_for("SIM")}
    assert set(OME_MAPPING) <= ids


def test_reused_serializer_is_byte_identical_to_to_xml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`_to_xml` (one serializer per thread) writes exactly what ``ome_types.to_xml`` writes."""
    from ome_types import to_xml

    import clxm_meta
    from clxm_meta.export.ome import build

    root = Path(__file__).resolve().parents[2] / "examples"
    paths = sorted(p for p in root.rglob("*") if p.suffix.lower() == ".dv")
    paths.append(write_dv(tmp_path / "written.dv", DvSpec()))
    xml = compose_ome(
        size=(8, 6, 2, 2, 1),
        channels=[{"name": "a", "ex": 488.0, "em": 525.0}, {"name": "b", "ex": 561.0}],
        exposures_ms=[50.0, 50.0, 100.0, 100.0],
        instrument=True,
    )
    paths.append(write_ome_tiff(tmp_path / "written.ome.tif", xml, shape=(2, 2, 6, 8)))
    models = [clxm_meta.read(p) for p in paths]
    monkeypatch.setattr(build, "direct_xml", lambda parts, planes: None)  # the ome-types path
    ours = [build.ome_xml(m).document for m in models]
    ours_again = [build.ome_xml(m).document for m in models]  # the reused serializer
    assert build._LOCAL.serializer is not None  # not the fallback to to_xml
    monkeypatch.setattr(build, "_to_xml", to_xml)
    theirs = [build.ome_xml(m).document for m in models]
    assert ours == ours_again == theirs
    assert all(doc.startswith("<OME ") for doc in ours), [d[:40] for d in ours]


def _reference(monkeypatch: pytest.MonkeyPatch, fn):  # type: ignore[no-untyped-def]
    """Run ``fn`` with every plane built and serialised by ome-types (the code before issue 21)."""
    from ome_types import to_xml

    from clxm_meta.export.ome import build

    with monkeypatch.context() as m:
        m.setattr(build, "_planes_xml", lambda planes: None)
        m.setattr(build, "_to_xml", to_xml)
        return fn()


def _written_models(tmp_path: Path) -> list:  # type: ignore[type-arg]
    root = Path(__file__).resolve().parents[2] / "examples"
    paths = sorted(p for p in root.rglob("*") if p.suffix.lower() == ".dv")
    paths.append(write_dv(tmp_path / "written.dv", DvSpec()))
    xml = compose_ome(
        size=(8, 6, 2, 2, 1),
        channels=[{"name": "a", "ex": 488.0, "em": 525.0}, {"name": "b", "ex": 561.0}],
        exposures_ms=[50.0, 50.0, 100.0, 100.0],
        instrument=True,
    )
    paths.append(write_ome_tiff(tmp_path / "written.ome.tif", xml, shape=(2, 2, 6, 8)))
    return [clxm_meta.read(p) for p in paths]


def test_planes_written_directly_are_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: the Plane elements written without ome-types give the very same documents."""
    models = _written_models(tmp_path)
    ours = [ome_xml(m).document for m in models]
    assert sum(d.count("<Plane ") for d in ours) > 100  # the example's raw stack has its planes
    assert ours == _reference(monkeypatch, lambda: [ome_xml(m).document for m in models])


@pytest.mark.parametrize(
    "plane",
    [
        {"delta_t": 1e-05, "exposure_time": 1, "position_x": 1e20, "position_y": -0.0},
        {"position_x": 123456789.123456789, "position_z": 3, "position_unit": "reference frame"},
        {"position_y": 2.5, "position_unit": "Å"},
        {"exposure_time": 0.05, "delta_t": 12.0},
        {},
    ],
)
def test_plane_numbers_formatted_as_ome_types(
    plane: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    from clxm_meta.export.ome import build

    planes = [{"the_z": z, "the_c": 0, "the_t": 1, **plane} for z in range(3)]
    assert build._planes_xml(planes) is not None  # the direct path, not the fallback
    parts = {
        "name": "x.dv",
        "date": None,
        "pixels": {
            "size_x": 2,
            "size_y": 2,
            "size_z": 3,
            "size_c": 1,
            "size_t": 2,
            "type": "uint16",
            "dimension_order": "XYZCT",
        },
        "channels": [],
        "planes": planes,
        "objective": None,
        "detectors": [],
        "microscope": None,
    }
    monkeypatch.setattr(build, "_dv_parts", lambda model: parts)
    from clxm_meta.readers.dv.model import DvFile

    model = DvFile.model_construct(path="x.dv")
    ours = ome_xml(model).document
    assert ours.count("<Plane ") == 3
    assert ours == _reference(monkeypatch, lambda: ome_xml(model).document)


@pytest.mark.parametrize(
    "odd",
    [
        {"the_z": -1},
        {"the_z": True},
        {"exposure_time": float("nan")},
        {"position_x": "1.0"},
        {"position_unit": "furlong", "position_x": 1.0},
        {"the_t": None},
        {"hash_sha1": "ab"},
    ],
)
def test_unusual_plane_values_go_through_ome_types(odd: dict) -> None:  # type: ignore[type-arg]
    from clxm_meta.export.ome import build

    assert build._planes_xml([{"the_z": 0, "the_c": 0, "the_t": 0, **odd}]) is None


@pytest.mark.shared
@pytest.mark.parametrize("path", real_files("dv") + real_files("tiff"), ids=lambda p: p.name)
def test_real_files_planes_byte_identical(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = clxm_meta.read(path)
    try:
        ours = ome_xml(model).document
    except UnsupportedFormatError:
        return
    assert ours == _reference(monkeypatch, lambda: ome_xml(model).document)
