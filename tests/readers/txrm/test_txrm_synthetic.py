"""The TXRM reader on synthetic soft X-ray tilt series (v3 and v5 layouts) and on damaged files."""

from __future__ import annotations

import contextlib
import math
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clxm_meta
from clxm_meta.errors import ClxmMetaError, MalformedFileError, UnsupportedFormatError
from clxm_meta.readers.txrm import read
from writers.cfb import build_cfb, write_cfb
from writers.txrm import DEFAULT_ANGLES, DEFAULT_DATE, txrm_streams, write_streams, write_txrm


@pytest.mark.parametrize("version", [3, 5])
@pytest.mark.parametrize("reference", [True, False])
def test_round_trip_every_field(tmp_path, version, reference):
    exposures = [1.0 + 0.5 * (i % 3) for i in range(len(DEFAULT_ANGLES))]
    path = write_txrm(
        tmp_path / "ts.txrm",
        version=version,
        energy_ev=510.5,
        pixel_size_um=0.0125,
        exposure_s=exposures,
        reference=reference,
        reference_exposure_s=3.0,
        width=8,
        height=6,
        binning=2,
        temperature=-25,
        facility="B24 Diamond",
    )
    m = read(path)
    n = len(DEFAULT_ANGLES)
    assert m.file_version == float(version)
    assert m.software_version == ("16.1.13038.42" if version == 5 else None)
    assert (m.image_width_px, m.image_height_px) == (8, 6)
    assert m.images_planned == m.images_taken == m.image_streams == n
    assert m.image_stream_bytes == 8 * 6 * 2
    assert m.data_type == "uint16"
    assert m.pixel_size_um == 0.0125
    assert m.energies_ev == [510.5] * n
    assert m.angles_deg == list(DEFAULT_ANGLES)
    assert m.exposures_s == exposures
    first = DEFAULT_DATE.isoformat(timespec="milliseconds" if version == 5 else "seconds")
    assert m.dates[0] == first
    assert len(m.dates) == n and all(m.dates)
    assert m.xray_magnification == 1300.0 and m.optical_magnification == 20.0
    assert m.zone_plate_name == "ZP 25 nm"
    assert m.objective_name == "20x" and m.camera_name == "Andor iKon-M"
    assert (m.horizontal_binning, m.vertical_binning) == (2, 2)
    assert m.binning == (2 if version == 5 else None)
    assert m.temperature_c == -25.0
    assert m.source_voltage_kv is None and m.source_current is None  # zero = not recorded
    assert m.x_positions_um == [100.5] * n and m.y_positions_um == [-20.25] * n
    assert m.mosaic is None
    assert m.ref_corrected is False
    assert m.facility == "B24 Diamond"
    if reference:
        assert m.reference is not None
        assert m.reference.stream == "ReferenceData/Image"
        assert m.reference.size_bytes == 8 * 6 * 2
        assert m.reference.exposure_s == 3.0
        assert m.reference.data_type == "uint16"
        if version == 5:
            assert (m.reference.width_px, m.reference.height_px) == (8, 6)
    else:
        assert m.reference is None
    assert m.findings == []


def test_strided_energy_layout(tmp_path):
    path = write_txrm(
        tmp_path / "s.txrm", energy_ev=[500.0, 505.0, 510.0], angles=[-1, 0, 1], strided_energy=True
    )
    m = read(path)
    assert m.energies_ev == [500.0, 505.0, 510.0]
    assert [f.code for f in m.findings] == ["txrm.strided_stream"]


def test_mosaic_and_misspellings(tmp_path):
    for version in (3, 5):
        path = write_txrm(
            tmp_path / f"m{version}.xrm", version=version, mosaic=(2, 3), angles=[0.0] * 6
        )
        m = read(path)
        assert m.mosaic is not None and (m.mosaic.rows, m.mosaic.columns) == (2, 3)


def test_case_insensitive_lookup(tmp_path):
    streams = txrm_streams(angles=[0.0, 10.0])
    streams["ImageInfo/PIXELSIZE"] = streams.pop("ImageInfo/PixelSize")
    streams["ImageInfo/mosiaccolumns"] = streams.pop("ImageInfo/MosaicColumns")
    m = read(write_streams(tmp_path / "c.txrm", streams))
    assert m.pixel_size_um == 0.01
    assert m.locators["pixel_size_um"] == "ImageInfo/PIXELSIZE"
    assert not m.findings


def test_incomplete_series(tmp_path):
    m = read(write_txrm(tmp_path / "i.txrm", angles=[-10.0, 0.0, 10.0], images_taken=2))
    assert m.images_taken == 2 and m.images_planned == 3
    assert "txrm.incomplete" in [f.code for f in m.findings]
    assert m.angles_deg == [-10.0, 0.0]


def test_short_per_image_stream_is_not_padded(tmp_path):
    streams = txrm_streams(angles=[-10.0, 0.0, 10.0])
    streams["ImageInfo/Angles"] = struct.pack("<2f", -10.0, 0.0)
    m = read(write_streams(tmp_path / "s.txrm", streams))
    assert m.angles_deg == [-10.0, 0.0]
    assert any(f.code == "txrm.stream_short" for f in m.findings)


@pytest.mark.parametrize(
    "bad",
    [float("nan"), float("inf"), 1e-40, 99999.0, 0.0],
    ids=["nan", "inf", "denormal", "sentinel", "zero"],
)
def test_junk_values_stay_unknown(tmp_path, bad):
    streams = txrm_streams(angles=[-10.0, 0.0])
    streams["ImageInfo/PixelSize"] = struct.pack("<f", bad)
    streams["ImageInfo/ExpTimes"] = struct.pack("<2f", 1.0, bad)
    m = read(write_streams(tmp_path / "j.txrm", streams))
    assert m.pixel_size_um is None
    assert m.exposures_s == [1.0, None]
    fields = {f.field for f in m.findings if f.code == "txrm.junk_value"}
    assert {"ImageInfo/PixelSize", "ImageInfo/ExpTimes"} <= fields


def test_exp_time_fallback_and_irregular_steps(tmp_path):
    streams = txrm_streams(angles=[-20.0, -10.0, 5.0, 10.0])
    del streams["ImageInfo/ExpTimes"]
    streams["ImageInfo/ExpTime"] = struct.pack("<f", 2.5)
    m = read(write_streams(tmp_path / "e.txrm", streams))
    assert m.exposures_s == [2.5]
    assert m.locators["exposures_s"] == "ImageInfo/ExpTime"
    codes = [f.code for f in m.findings]
    assert "txrm.single_exposure" in codes and "txrm.irregular_tilt_steps" in codes


def test_non_xradia_ole_file_is_unsupported(tmp_path):
    path = tmp_path / "letter.doc"
    write_cfb(path, {"WordDocument": b"\x00" * 600, "\x05SummaryInformation": b"\x00" * 100})
    with pytest.raises(UnsupportedFormatError):
        clxm_meta.read(path)


def test_truncated_file(tmp_path):
    data = build_cfb(txrm_streams())
    for size in (8, 100, 512, 1000, len(data) // 2):
        path = tmp_path / f"t{size}.txrm"
        path.write_bytes(data[:size])
        with contextlib.suppress(ClxmMetaError):
            clxm_meta.read(path)


def test_corrupt_directory(tmp_path):
    data = bytearray(build_cfb(txrm_streams()))
    first_dir = struct.unpack_from("<I", data, 48)[0]
    start = 512 * (first_dir + 1)
    data[start : start + 512] = b"\xff" * 512
    path = tmp_path / "d.txrm"
    path.write_bytes(bytes(data))
    with pytest.raises(ClxmMetaError):
        clxm_meta.read(path)


def test_stream_size_larger_than_file(tmp_path):
    data = bytearray(build_cfb(txrm_streams(angles=[0.0, 1.0])))
    first_dir = struct.unpack_from("<I", data, 48)[0]
    start = 512 * (first_dir + 1)
    # find the directory entry of ImageInfo/Angles and declare a huge size
    name = "Angles\x00".encode("utf-16-le")
    off = data.find(name, start)
    assert off > 0
    struct.pack_into("<I", data, off + 120, 0x7FFFFFF0)
    path = tmp_path / "big.txrm"
    path.write_bytes(bytes(data))
    try:
        m = clxm_meta.read(path)
    except MalformedFileError:
        return
    assert m.angles_deg == []
    assert m.findings


@settings(
    max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), min_size=1, max_size=8)
)
def test_flipped_bytes_give_library_errors_or_findings(tmp_path, flips):
    data = bytearray(_SAMPLE)
    for pos, xor in flips:
        data[pos % len(data)] ^= xor
    path = tmp_path / "flip.txrm"
    path.write_bytes(bytes(data))
    try:
        model = clxm_meta.read(path)
    except ClxmMetaError:
        return
    for value in model.angles_deg + model.energies_ev + model.exposures_s:
        assert value is None or math.isfinite(value)
    clxm_meta.build_records([model])


_SAMPLE = build_cfb(txrm_streams(angles=[-60.0, 0.0, 60.0], width=4, height=4))
