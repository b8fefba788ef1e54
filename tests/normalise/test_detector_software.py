"""Detector, detector settings and acquisition software: filled from what DV titles and TIFF/OME
metadata state, never guessed (written files and the real samples)."""

from __future__ import annotations

from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.checks.carriers import MemberFile
from clxm_meta.checks.completeness import completeness
from clxm_meta.normalise import dv as dv_norm
from clxm_meta.normalise import tiff as tiff_norm
from clxm_meta.normalise.build import build_record
from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.readers.dv import read as read_dv
from clxm_meta.readers.dv.camera import parse_camera
from clxm_meta.readers.dv.model import DvFile
from clxm_meta.readers.dv.software import software_in_titles
from clxm_meta.readers.tiff import TiffMetadata
from clxm_meta.records.provenance import SourceKind
from conftest import real_path
from writers.dv import DvSpec, SectionSpec, write_dv
from writers.tiff import compose_ome, write_imagej, write_ome_tiff

DATE = "Date & time: 2023/03/14 10:21:05; pos: ['1.00', '2.00', '3.00']"
LIGHTS = "[light source: 488nm: 50.000ms 2.500 mW;laser 561: 100.000ms 5.000 mW]"
CAMERA = "[camera: Andor iXon Ultra 888, EM gain 200]"


def _dv(tmp_path: Path, titles: tuple[str, ...], name: str = "raw.dv") -> DvFile:
    sections = [
        SectionSpec(floats={8: 0.05, 10: (488.0, 561.0)[w], 11: (525.0, 609.0)[w]})
        for _z in range(30)
        for w in range(2)
    ]
    spec = DvSpec(
        nz=30,
        n_waves=2,
        waves=(525, 609),
        minmax=((0.0, 1.0), (0.0, 1.0)),
        sequence=1,
        titles=titles,
        sections=sections,
    )
    model = read_dv(write_dv(tmp_path / name, spec))
    assert model.role == "raw_sim"
    return model


def _by_field(cands: list[Candidate]) -> dict[str, Candidate]:
    return {c.field: c for c in cands}


# --- the DV title bug: a camera model number is not a wavelength ---------------------------------


def test_camera_model_number_is_not_a_wavelength(tmp_path: Path) -> None:
    m = _dv(tmp_path, (DATE, "SI order: Z, Angle, Phase", LIGHTS, CAMERA))
    assert m.cockpit is not None
    devices = {d.device_type: d for d in m.cockpit.devices}
    camera = devices["camera"]
    assert camera.wavelength_nm is None  # was 888, from 'Ultra 888'
    assert camera.titles == [3]
    assert camera.camera is not None and camera.camera.name == "Andor iXon Ultra 888"
    lights = [d for d in m.cockpit.devices if d.device_type == "light source"]
    assert [d.wavelength_nm for d in lights] == [488, 561]  # light entries: with or without 'nm'
    assert [d.titles for d in lights] == [[2], [2]]


def test_wavelength_outside_lights_only_with_nm(tmp_path: Path) -> None:
    m = _dv(tmp_path, (DATE, "[filter: BP 525nm;ND 500]", "[camera: Zyla 555]"))
    assert m.cockpit is not None
    assert [(d.device_type, d.wavelength_nm) for d in m.cockpit.devices] == [
        ("filter", 525),
        ("filter", None),
        ("camera", None),
    ]


def test_no_light_is_matched_to_a_camera(tmp_path: Path) -> None:
    # A camera whose model number equals a channel's excitation lends it no exposure or power.
    m = _dv(tmp_path, (DATE, "[camera: Prime 488, gain 2]"))
    chans = _by_field(dv_norm.candidates(m))["acquisition.channels"]
    assert [c.power_mw for c in chans.value] == [None, None]
    assert "Cockpit title" not in (chans.source.locator or "")


# --- DV: detector, detector settings, software -----------------------------------------------------


def test_cockpit_camera_fills_detector_and_settings(tmp_path: Path) -> None:
    m = _dv(tmp_path, (DATE, "SI order: Z, Angle, Phase", LIGHTS, CAMERA))
    c = _by_field(dv_norm.candidates(m))
    det = c["setup.detector"]
    assert det.value == "Andor iXon Ultra 888"
    assert det.source.kind is SourceKind.FILE and det.source.locator.startswith("title 3 ")
    assert det.precedence is Precedence.HEADER
    ds = c["acquisition.detector_settings"]
    assert ds.value.gain == 200.0 and ds.value.other == {"gain type": "EM"}
    assert (ds.value.binning, ds.value.temperature_c, ds.value.readout) == (None, None, None)
    assert "'EM gain 200'" in (ds.source.locator or "")
    sw = c["acquisition.software"]
    assert (sw.value.name, sw.value.version) == ("Cockpit", None)
    assert sw.source.kind is SourceKind.DERIVED and sw.precedence is Precedence.DERIVED
    assert "title layout written by Cockpit" in (sw.source.transform or "")
    assert "titles 2, 3" in (sw.source.locator or "")
    record = build_record("SIM", dv_norm.candidates(m), name="raw")  # type: ignore[arg-type]
    assert record.get("setup.detector").value == "Andor iXon Ultra 888"  # type: ignore[union-attr]
    assert not [f for f in record.findings if f.severity != "info"]


def test_camera_block_cut_at_80_characters(tmp_path: Path) -> None:
    block = (
        "[camera: Hamamatsu ORCA-Flash4.0 V3 C13440-20CU, bin 2x2, temperature -20 C, "
        "readout 100 MHz]"
    )
    chunks = (block[:80], block[80:])
    m = _dv(tmp_path, (DATE, *chunks))
    c = _by_field(dv_norm.candidates(m))
    assert c["setup.detector"].value == "Hamamatsu ORCA-Flash4.0 V3 C13440-20CU"
    assert c["setup.detector"].source.locator.startswith("titles 1, 2 ")
    ds = c["acquisition.detector_settings"].value
    assert (ds.binning, ds.gain, ds.temperature_c, ds.readout) == ("2x2", None, -20.0, "100 MHz")


def test_camera_without_settings_gives_no_settings(tmp_path: Path) -> None:
    m = _dv(tmp_path, (DATE, "[camera: Andor Zyla 4.2]"))
    c = _by_field(dv_norm.candidates(m))
    assert c["setup.detector"].value == "Andor Zyla 4.2"
    assert "acquisition.detector_settings" not in c


def test_titles_naming_the_program(tmp_path: Path) -> None:
    m = _dv(tmp_path, (DATE, "Acquired with softWoRx 7.2.1", LIGHTS))
    sw = _by_field(dv_norm.candidates(m))["acquisition.software"]
    assert (sw.value.name, sw.value.version) == ("softWoRx", "7.2.1")
    assert sw.source.kind is SourceKind.FILE and sw.source.locator == "title 1"
    assert sw.precedence is Precedence.HEADER


def test_no_titles_no_detector_or_software(tmp_path: Path) -> None:
    c = _by_field(dv_norm.candidates(_dv(tmp_path, ())))
    assert not {"setup.detector", "acquisition.detector_settings", "acquisition.software"} & set(c)
    # A date title alone is not Cockpit's layout: no device blocks, no software.
    c = _by_field(dv_norm.candidates(_dv(tmp_path, (DATE,), "d.dv")))
    assert "acquisition.software" not in c


@pytest.mark.parametrize(
    ("entry", "name", "settings"),
    [
        ("Andor iXon Ultra 888, EM gain 200", "Andor iXon Ultra 888", {"gain": 200.0}),
        ("EM gain 300", None, {"gain": 300.0}),
        ("Zyla, binning: 4", "Zyla", {"binning": "4x4"}),
        (
            "Prime BSI, Temp = -25.5 °C, readout speed 200 MHz",
            "Prime BSI",
            {"temperature_c": -25.5},
        ),
        ("Camera 2, gain high", "Camera 2, gain high", {}),  # not a number: kept as written
    ],
)
def test_parse_camera(entry: str, name: str | None, settings: dict[str, object]) -> None:
    cam = parse_camera(entry)
    assert cam.name == name
    for key, value in settings.items():
        assert getattr(cam, key) == value


def test_software_in_titles() -> None:
    found = software_in_titles(["", "COCKPIT v2.1 run", "x softworx", "DECON3D: 4 0.1"])
    assert [(s.name, s.version, s.title) for s in found] == [
        ("Cockpit", "2.1", 1),
        ("softWoRx", None, 2),
    ]
    assert software_in_titles(["mycockpit-2", "IMGCORR:  Norm=on  Method=1"]) == []


# --- TIFF / OME-TIFF ---------------------------------------------------------------------------------


def _tiff(path: Path) -> TiffMetadata:
    model = clxm_meta.read(path)
    assert isinstance(model, TiffMetadata)
    return model


def _fluo(tmp_path: Path, channels: list[dict[str, object]], **kw: object) -> TiffMetadata:
    xml = compose_ome(size=(8, 6, 2, 2, 1), channels=channels, instrument=True)
    return _tiff(write_ome_tiff(tmp_path / "f.ome.tif", xml, shape=(2, 2, 6, 8), **kw))  # type: ignore[arg-type]


def test_ome_detector_settings_same_on_every_channel(tmp_path: Path) -> None:
    chans: list[dict[str, object]] = [
        {"ex": 488.0, "em": 525.0, "binning": "2x2", "gain": 1.5},
        {"ex": 561.0, "em": 610.0, "binning": "2x2", "gain": 1.5},
    ]
    c = _by_field(tiff_norm.candidates(_fluo(tmp_path, chans)))
    ds = c["acquisition.detector_settings"]
    assert (ds.value.binning, ds.value.gain) == ("2x2", 1.5)
    assert "DetectorSettings@Binning,Gain" in (ds.source.locator or "")
    assert c["setup.detector"].value == "CMOS Zyla"
    # Software: the OME Creator of the written document, with what it means.
    sw = c["acquisition.software"]
    assert sw.value.name == "clxm_meta tests" and sw.source.locator.startswith("OME@Creator")
    assert sw.precedence is Precedence.ASSUMPTION
    assert "converter" in (sw.source.transform or "")


def test_ome_detector_settings_differing_per_channel(tmp_path: Path) -> None:
    chans: list[dict[str, object]] = [
        {"ex": 488.0, "em": 525.0, "binning": "1x1"},
        {"ex": 561.0, "em": 610.0, "binning": "2x2", "gain": 3.0},
    ]
    ds = _by_field(tiff_norm.candidates(_fluo(tmp_path, chans)))["acquisition.detector_settings"]
    assert ds.value.binning is None and ds.value.gain is None
    assert ds.value.other == {"channel 0": "binning 1x1", "channel 1": "binning 2x2, gain 3"}


def test_ome_without_detector_settings(tmp_path: Path) -> None:
    chans: list[dict[str, object]] = [{"ex": 488.0, "em": 525.0}, {"ex": 561.0, "em": 610.0}]
    c = _by_field(tiff_norm.candidates(_fluo(tmp_path, chans, software="MetaMorph 7.10")))
    assert "acquisition.detector_settings" not in c
    sw = c["acquisition.software"]
    assert (sw.value.name, sw.value.version) == ("MetaMorph", "7.10")
    assert sw.source.locator == "tag Software (305) = 'MetaMorph 7.10'"


def test_imagej_version_is_the_writing_program(tmp_path: Path) -> None:
    model = _tiff(write_imagej(tmp_path / "ij.tif", shape=(30, 6, 8), axes="ZYX"))
    assert model.imagej is not None and model.imagej.version
    sw = _by_field(tiff_norm.candidates(model))["acquisition.software"]
    assert (sw.value.name, sw.value.version) == ("ImageJ", model.imagej.version)
    assert sw.source.locator == f"ImageDescription 'ImageJ={model.imagej.version}'"


def test_dv_title_outranks_the_tiff_writer(tmp_path: Path) -> None:
    dv = _dv(tmp_path, (DATE, LIGHTS, CAMERA))
    tif = _tiff(write_imagej(tmp_path / "ij.tif", shape=(30, 6, 8), axes="ZYX"))
    cands = dv_norm.candidates(dv) + tiff_norm.candidates(tif)
    record = build_record("SIM", cands, name="x")  # type: ignore[arg-type]
    assert record.get("acquisition.software").value.name == "Cockpit"  # type: ignore[union-attr]


def test_hint_names_the_titles_looked_for(tmp_path: Path) -> None:
    m = _dv(tmp_path, ())
    record = build_record("SIM", dv_norm.candidates(m), name="raw")  # type: ignore[arg-type]
    rows = {r.id: r for r in completeness(record, [MemberFile(str(m.path), "dv", "sim_raw")]).rows}
    hint = rows["acquisition.software"].hint or ""
    assert "raw.dv (raw DV stack) is in the dataset but has none" in hint
    assert "Cockpit's title layout" in hint


# --- the real samples ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["dv/cudasirecon__raw.dv", "dv/tlambert03-mrc__toxo.dv", "dv/cudasirecon__otf.dv"]
)
def test_real_dv_samples_state_no_detector_or_software(name: str) -> None:
    m = read_dv(real_path(name))
    fields = {c.field for c in dv_norm.candidates(m)}
    # toxo.dv's titles are softWoRx processing history (IMGCORR, DECON3D), naming no program.
    assert not {"setup.detector", "acquisition.detector_settings", "acquisition.software"} & fields


def test_real_imagej_raw_sim_tiff() -> None:
    model = _tiff(real_path("tiff/cudasirecon__raw.tif"))
    c = _by_field(tiff_norm.candidates(model))
    sw = c["acquisition.software"]
    assert (sw.value.name, sw.value.version) == ("ImageJ", "1.53c")
    assert sw.precedence is Precedence.ASSUMPTION
    assert "setup.detector" not in c and "acquisition.detector_settings" not in c


def test_ome_export_of_a_dv_carries_the_cockpit_camera(tmp_path: Path) -> None:
    from ome_types import from_xml

    from clxm_meta.export.ome.build import ome_xml

    block = "[camera: Hamamatsu ORCA-Flash4.0, EM gain 200, bin 3x3]"
    ome = from_xml(ome_xml(_dv(tmp_path, (DATE, LIGHTS, block))).document)
    detectors = ome.instruments[0].detectors
    assert [(d.id, d.model) for d in detectors] == [("Detector:0:0", "Hamamatsu ORCA-Flash4.0")]
    for ch in ome.images[0].pixels.channels:
        ds = ch.detector_settings
        assert ds is not None and ds.id == "Detector:0:0" and ds.gain == 200.0
        assert ds.binning is not None and ds.binning.value == "Other"  # 3x3 is not an OME value
    # No camera entry: no detector invented.
    ome = from_xml(ome_xml(_dv(tmp_path, (DATE, LIGHTS), "n.dv")).document)
    assert not ome.instruments or not ome.instruments[0].detectors
