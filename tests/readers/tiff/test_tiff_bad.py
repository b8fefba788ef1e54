"""Bad TIFF input: a library error or a finding, never a raw traceback."""

from __future__ import annotations

import struct
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clxm_meta
from clxm_meta.errors import ClxmMetaError, MalformedFileError
from clxm_meta.normalise.tiff import candidates
from clxm_meta.readers import tiff as tiff_reader
from clxm_meta.readers.tiff import TiffMetadata
from writers.tiff import compose_ome, plain_bytes, write_ome_tiff, write_plain

BROKEN_XML = (
    '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0">'
    '<Pixels ID="Pixels:0" SizeX="8" SizeY="6" SizeZ="1" SizeC="1" SizeT="1" Type="uint8" '
    'PhysicalSizeX="0.1"'
)
"""Cut in the middle of a tag: not well-formed (tifffile still treats it as a description)."""


def _codes(model: TiffMetadata) -> list[str]:
    return [f.code for f in model.findings]


def test_broken_ome_falls_back_to_tags(tmp_path: Path) -> None:
    path = write_ome_tiff(
        tmp_path / "broken.ome.tif",
        BROKEN_XML + "</OME>",
        shape=(6, 8),
        dtype="uint8",
        resolution=(1e4, 1e4),
        resolutionunit=3,
    )
    model = clxm_meta.read(path)
    assert isinstance(model, TiffMetadata)
    assert model.flavour == "ome" and model.ome is None
    assert "tiff.ome_unparsable" in _codes(model)
    assert model.first_page.pixel_size_x_um == 1.0
    # the strict mode only raises for error-level findings; a broken OME block is a warning
    assert isinstance(clxm_meta.read(path, strict=True), TiffMetadata)


def test_schema_invalid_ome_unknown_unit(tmp_path: Path) -> None:
    xml = compose_ome(size=(8, 6, 1, 1, 1), physical_size=(2.0, 2.0, None), physical_unit="nm")
    xml = xml.replace('PhysicalSizeXUnit="nm"', 'PhysicalSizeXUnit="furlong"')
    assert "furlong" in xml
    model = clxm_meta.read(write_ome_tiff(tmp_path / "unit.ome.tif", xml, shape=(6, 8)))
    assert isinstance(model, TiffMetadata)
    assert model.ome is not None and model.ome.parsed_by == "fallback"
    px = model.ome.images[0].pixels
    assert px is not None
    assert (px.size_x, px.size_y) == (8, 6)
    assert px.physical_size_x_um is None  # unknown unit: not guessed
    assert px.physical_size_y_um == 0.002
    codes = _codes(model)
    assert "tiff.ome_invalid" in codes and "tiff.ome_unit" in codes
    assert "tiff.ome_warning" in codes  # ome-types' ConverterWarning captured, not raised


def test_schema_invalid_size(tmp_path: Path) -> None:
    xml = compose_ome(size=(8, 6, 1, 1, 1)).replace('SizeX="8"', 'SizeX="eight"')
    model = clxm_meta.read(write_ome_tiff(tmp_path / "size.ome.tif", xml, shape=(6, 8)))
    assert isinstance(model, TiffMetadata)
    assert model.ome is not None and model.ome.images[0].pixels is not None
    assert model.ome.images[0].pixels.size_x is None
    assert "tiff.ome_value" in _codes(model)
    # the normaliser falls back to the ImageWidth tag
    assert candidates(model) == []


def test_txrm2tiff_with_broken_ome_uses_tags(tmp_path: Path) -> None:
    path = write_ome_tiff(
        tmp_path / "t.ome.tiff",
        BROKEN_XML + "</OME>",
        shape=(6, 8),
        software="txrm2tiff 2.2.1",
        resolution=(64189.18674625411, 64189.18674625411),
        resolutionunit=3,
    )
    model = clxm_meta.read(path)
    assert isinstance(model, TiffMetadata)
    cands = {c.field: c for c in candidates(model)}
    assert cands["setup.pixel_size"].value.x == pytest.approx(0.155789, abs=1e-6)
    assert cands["setup.pixel_size"].source.locator.startswith("tag XResolution (282)")
    assert "acquisition.exposure" not in cands


def test_truncated_pixel_data(tmp_path: Path) -> None:
    full = tmp_path / "full.tif"
    write_plain(full, shape=(64, 64), dtype="uint16")
    data = full.read_bytes()
    assert data[4:8] == b"\x08\x00\x00\x00"  # tifffile writes the IFD first, pixels after it
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[: len(data) - 2000])
    try:
        model = clxm_meta.read(cut)
    except MalformedFileError:
        return  # the IFD itself was cut off: a library error is fine
    assert isinstance(model, TiffMetadata)
    assert "tiff.truncated" in _codes(model)
    with pytest.raises(MalformedFileError):
        clxm_meta.read(cut, strict=True)


def test_truncated_header(tmp_path: Path) -> None:
    path = tmp_path / "short.tif"
    path.write_bytes(plain_bytes()[:6])
    with pytest.raises(ClxmMetaError):
        clxm_meta.read(path)


def test_bad_ifd_offset(tmp_path: Path) -> None:
    data = bytearray(plain_bytes())
    data[4:8] = struct.pack("<I", 0x7FFFFFF0)
    path = tmp_path / "badifd.tif"
    path.write_bytes(bytes(data))
    with pytest.raises(MalformedFileError):
        clxm_meta.read(path)


def test_unknown_resolution_unit(tmp_path: Path) -> None:
    path = write_plain(tmp_path / "r.tif", resolution=(10.0, 10.0), resolutionunit=3)
    data = bytearray(path.read_bytes())
    entry = data.index(struct.pack("<HHI", 296, 3, 1))  # the ResolutionUnit IFD entry
    data[entry + 8 : entry + 10] = struct.pack("<H", 9)
    path.write_bytes(bytes(data))
    model = clxm_meta.read(path)
    assert isinstance(model, TiffMetadata)
    assert model.first_page.resolution_unit_code == 9
    assert model.first_page.pixel_size_x_um is None
    assert "tiff.unknown_resolution_unit" in _codes(model)


def test_zero_resolution(tmp_path: Path) -> None:
    path = write_plain(tmp_path / "z.tif", resolution=(10.0, 10.0), resolutionunit=3)
    data = bytearray(path.read_bytes())
    entry = data.index(struct.pack("<HHI", 282, 5, 1))  # XResolution: RATIONAL at an offset
    (offset,) = struct.unpack("<I", data[entry + 8 : entry + 12])
    data[offset : offset + 4] = struct.pack("<I", 0)  # numerator 0
    path.write_bytes(bytes(data))
    model = clxm_meta.read(path)
    assert isinstance(model, TiffMetadata)
    assert model.first_page.pixel_size_x_um is None
    assert "tiff.bad_resolution" in _codes(model)


def test_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(ClxmMetaError):
        tiff_reader.read(tmp_path)


SMALL = plain_bytes()


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    flips=st.lists(
        st.tuples(st.integers(0, len(SMALL) - 1), st.integers(1, 255)), min_size=1, max_size=6
    )
)
def test_flipped_bytes_never_traceback(flips: list[tuple[int, int]]) -> None:
    data = bytearray(SMALL)
    for pos, xor in flips:
        data[pos] ^= xor
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.tif"
        path.write_bytes(bytes(data))
        try:
            model = clxm_meta.read(path)
        except ClxmMetaError:
            return
        model.model_dump_json()
        candidates(model)


def test_tile_width_of_several_values_is_a_clear_error(tmp_path: Path) -> None:
    """One flipped byte (found by `test_flipped_bytes_never_traceback`) made TileWidth a tuple:
    tifffile's ``is_tiled`` raised a raw TypeError out of `read`."""
    data = bytearray(SMALL)
    data[130] ^= 88
    path = tmp_path / "x.tif"
    path.write_bytes(bytes(data))
    with pytest.raises(ClxmMetaError, match="TileWidth is not one number"):
        clxm_meta.read(path)
