"""The test writers: a compound file olefile reads back, and synthetic TXRM layouts."""

from __future__ import annotations

import io
import struct

import olefile
import pytest

from writers.cfb import build_cfb, write_cfb
from writers.txrm import txrm_streams, write_txrm


def test_cfb_round_trip_through_olefile(tmp_path):
    streams = {
        "Version": struct.pack("<f", 5.0),
        "ImageInfo/ImageWidth": struct.pack("<i", 8),
        "ImageData1/Image1": bytes(range(256)) * 20,  # regular sectors (>= 4096 bytes)
        "A/B/C/deep": b"x" * 5000,
        "empty": b"",
        "exactly_cutoff": b"c" * 4096,
        "just_below": b"b" * 4095,
    }
    streams.update({f"Many/S{i:02d}": bytes([i]) * i for i in range(40)})
    path = tmp_path / "t.cfb"
    write_cfb(path, streams)
    assert olefile.isOleFile(str(path))
    with olefile.OleFileIO(str(path), raise_defects=olefile.DEFECT_INCORRECT) as ole:
        assert ole.parsing_issues == []
        for name, data in streams.items():
            assert ole.get_size(name) == len(data)
            assert ole.openstream(name).read() == data
        assert ole.exists("imageinfo/imagewidth")  # olefile is case-insensitive
        assert len(ole.listdir()) == len(streams)


def test_cfb_rejects_bad_names():
    with pytest.raises(ValueError):
        build_cfb({"x" * 32: b""})
    with pytest.raises(ValueError):
        build_cfb({"a": b"", "a/b": b""})


@pytest.mark.parametrize("version", [3, 5])
def test_txrm_writer_layouts(tmp_path, version):
    path = write_txrm(tmp_path / "ts.txrm", version=version, reference=True)
    with olefile.OleFileIO(str(path)) as ole:
        assert struct.unpack("<f", ole.openstream("Version").read())[0] == version
        assert ole.exists("ReferenceData/Image")
        if version == 5:
            assert ole.exists("ReferenceData/ImageInfo/ExpTimes")
            assert ole.exists("exeVersion")
            assert ole.exists("ImageInfo/MosaicRows")
        else:
            assert ole.exists("ReferenceData/ExpTime")
            assert ole.exists("ImageInfo/MosiacRows")
            assert ole.exists("ImageInfo/VerticalalBin")
        assert ole.get_size("ImageData1/Image1") == 8 * 8 * 2


def test_txrm_writer_splits_image_storages():
    streams = txrm_streams(
        angles=[float(a) for a in range(150)], width=2, height=2, reference=False
    )
    assert "ImageData1/Image100" in streams
    assert "ImageData2/Image101" in streams
    assert "ImageData2/Image150" in streams
    build_cfb(streams)  # 150 images still fit
    assert io.BytesIO(build_cfb(streams)).read(8) == olefile.MAGIC
