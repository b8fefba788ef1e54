"""The TXRM reader on the real samples in ../shared/data/real/txrm, checked against olefile."""

from __future__ import annotations

import struct

import olefile
import pytest

import clxm_meta
from clxm_meta.findings import Severity
from clxm_meta.readers.txrm import read
from clxm_meta.readers.txrm.cfb import CompoundFile
from clxm_meta.readers.txrm.model import TxrmFile
from conftest import real_files, real_path

TOMO = "txrm/dxchange__txrm_test_chip_tomo.txrm"
CHIP = "txrm/dxchange__test_chip00.xrm"
MOSAIC = "txrm/xanespy__mosaic_4x4_bin8.xrm"
SSRL_V4 = "txrm/xanespy__rep01_20161456_ssrl-test-data_08324.0_eV_001of003.xrm"
ABORTED_V5 = "txrm/xanespy__rep02_000072_ref_20161456_ssrl-test-data_08348.0_eV_002of010.xrm"


def ole_floats(path, name):
    with olefile.OleFileIO(str(path)) as ole:
        data = ole.openstream(name).read()
    return list(struct.unpack(f"<{len(data) // 4}f", data))


def ole_int(path, name):
    with olefile.OleFileIO(str(path)) as ole:
        return struct.unpack("<i", ole.openstream(name).read()[:4])[0]


def ole_text(path, name):
    with olefile.OleFileIO(str(path)) as ole:
        return ole.openstream(name).read().split(b"\x00")[0].decode("latin-1")


@pytest.mark.parametrize("path", real_files("txrm"), ids=lambda p: p.name)
def test_every_real_file_reads(path):
    model = clxm_meta.read(path)
    assert isinstance(model, TxrmFile)
    assert model.format == "txrm"
    with olefile.OleFileIO(str(path)) as ole:
        names = {"/".join(e) for e in ole.listdir()}
        assert set(model.streams) == names
        for name in names:
            assert model.streams[name] == ole.get_size(name)


def test_tomo_txrm_matches_olefile():
    path = real_path(TOMO)
    m = read(path)
    angles = ole_floats(path, "ImageInfo/Angles")
    assert m.angles_deg == pytest.approx(angles, rel=1e-7)
    assert m.angles_deg[0] == pytest.approx(-45.018, abs=1e-4)
    assert m.angles_deg[-1] == pytest.approx(44.9859, abs=1e-4)
    assert m.exposures_s == pytest.approx(ole_floats(path, "ImageInfo/ExpTimes")) == [5.0] * 7
    # 7 energies stored 10 slots apart in a 61-value stream
    raw_energy = ole_floats(path, "ImageInfo/Energy")
    assert len(raw_energy) == 61
    assert m.energies_ev == pytest.approx(raw_energy[::10], rel=1e-7)
    assert m.energies_ev == pytest.approx([9200.0166] * 7, abs=1e-3)
    assert any(f.code == "txrm.strided_stream" for f in m.findings)
    assert (m.image_width_px, m.image_height_px) == (256, 256)
    assert m.image_width_px == ole_int(path, "ImageInfo/ImageWidth")
    assert m.pixel_size_um == pytest.approx(ole_floats(path, "ImageInfo/PixelSize")[0], rel=1e-7)
    assert m.pixel_size_um == pytest.approx(0.15579, abs=1e-5)
    assert m.images_taken == m.images_planned == m.image_streams == 7
    assert m.data_type == "uint16" and m.data_type_code == 5
    assert m.file_version == 3.0
    assert m.dates[0] == "2015-11-09T18:19:21" and m.dates[-1] == "2015-11-09T18:20:12"
    assert len(m.dates) == 7
    assert (m.horizontal_binning, m.vertical_binning) == (8, 8)  # VerticalalBin (sic)
    assert m.xray_magnification == 38.0 and m.optical_magnification == 10.0
    assert m.temperature_c is None  # 99999 sentinel
    assert any(f.field == "ImageInfo/Temperature" for f in m.findings)
    assert m.reference is None and m.mosaic is None
    assert m.zone_plate_name is None  # NUL-filled stream
    assert m.objective_name == ole_text(path, "ImageInfo/ObjectiveName") == "Imaging"
    assert m.x_positions_um == pytest.approx(ole_floats(path, "ImageInfo/XPosition"), rel=1e-7)


def test_single_xrm_with_internal_reference():
    path = real_path(CHIP)
    m = read(path)
    assert (m.image_width_px, m.image_height_px) == (512, 512)
    assert m.pixel_size_um == pytest.approx(0.07789, abs=1e-5)
    assert m.energies_ev == pytest.approx([7191.05], abs=0.01)
    assert m.exposures_s == pytest.approx([39.88], abs=0.01)
    assert m.dates == ["2015-11-08T11:58:08"]
    assert m.reference is not None
    with olefile.OleFileIO(str(path)) as ole:
        assert m.reference.size_bytes == ole.get_size("ReferenceData/Image") == 512 * 512 * 2
    assert m.reference.exposure_s == ole_floats(path, "ReferenceData/ExpTime")[0] == 40.0
    assert m.reference.data_type == "uint16"
    assert m.reference_file is not None and m.reference_file.endswith("_bkg.xrm")
    assert m.temperature_c == -30.0


def test_mosaic_xrm():
    path = real_path(MOSAIC)
    m = read(path)
    assert m.mosaic is not None
    assert (m.mosaic.rows, m.mosaic.columns, m.mosaic.mode) == (4, 4, 1)
    assert m.mosaic.rows == ole_int(path, "ImageInfo/MosiacRows")
    assert m.images_taken == 16 and m.image_streams == 1
    assert (m.image_width_px, m.image_height_px) == (1024, 1024)
    assert m.energies_ev == pytest.approx([8412.98] * 16, abs=0.01)


def test_version_4_file_that_txrm2tiff_refuses():
    path = real_path(SSRL_V4)
    m = read(path)
    assert m.file_version == 4.0
    assert m.software_version == "10.6.2605.12638"
    assert m.camera_name == "Retiga"  # garbage after the NUL dropped
    assert m.objective_name == "10x"
    assert m.pixel_size_um == pytest.approx(0.0312, rel=1e-6)
    assert (m.image_width_px, m.image_height_px) == (1024, 1024)
    assert m.energies_ev == [None]  # the file stores 0
    assert any(f.field == "ImageInfo/Energy" for f in m.findings)
    assert m.dates == ["2016-05-29T15:02:37"]
    assert m.frames_per_image == 4


def test_aborted_v5_is_a_finding_not_a_crash():
    path = real_path(ABORTED_V5)
    m = read(path)
    assert m.file_version == 5.0
    assert m.software_version == "12.1.5339.17569"
    assert m.images_taken == 0 and m.images_planned == 1 and m.image_streams == 0
    assert [f.code for f in m.findings if f.severity is Severity.ERROR] == ["txrm.no_images"]
    assert m.angles_deg == [] and m.energies_ev == []
    with pytest.raises(clxm_meta.MalformedFileError):
        read(path, strict=True)
    assert clxm_meta.build_records([m]) == []


def test_header_only_never_opens_pixel_streams(monkeypatch):
    path = real_path(CHIP)
    opened: list[str] = []
    original = olefile.OleFileIO.openstream

    def spy(self, name):
        opened.append(name if isinstance(name, str) else "/".join(name))
        return original(self, name)

    monkeypatch.setattr(olefile.OleFileIO, "openstream", spy)
    fast_read = CompoundFile.read

    def fast_spy(self, name):
        opened.append(name)
        return fast_read(self, name)

    monkeypatch.setattr(CompoundFile, "read", fast_spy)  # the fast index reads streams itself
    read(path)
    assert opened
    assert not [
        n for n in opened if n.lower().startswith("imagedata") or n == "ReferenceData/Image"
    ]
