"""The chain walk and the OME series from the XML give the model tifffile's own indexing gives.

`reader._read(..., fast=False)` is the reading before issue 21: tifffile counts the pages
(``len(TiffFile.pages)``) and builds every series (``TiffFile.series``, which loads every IFD of
an OME-TIFF). The default reading walks the IFD chain itself (`ifd_chain`) and derives the OME
series from the OME-XML and the first page (`ome_series`). Every file here is read both ways and
must give the same model dump, findings included: the real TIFFs, OME-TIFFs tifffile writes in
many layouts, the files the other tests write, and those cut short or with a damaged chain.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest
import tifffile

import clxm_meta
from clxm_meta.errors import ClxmMetaError
from clxm_meta.readers.base import file_size
from clxm_meta.readers.tiff import reader
from clxm_meta.readers.tiff.ifd_chain import ifd_offsets
from conftest import real_files
from writers.tiff import (
    compose_ome,
    fluorescence_ome,
    write_imagej,
    write_ome_tiff,
    write_plain,
)


def _dump(path: Path, *, fast: bool) -> object:
    try:
        return reader._read(path, file_size(path), strict=False, fast=fast).model_dump()
    except ClxmMetaError as exc:
        return f"{type(exc).__name__}: {exc}"


def _assert_same(path: Path) -> object:
    new = _dump(path, fast=True)
    assert new == _dump(path, fast=False), path.name
    return new


@pytest.mark.parametrize("path", real_files("tiff"), ids=lambda p: p.name)
def test_real_tiffs_read_the_same(path: Path) -> None:
    _assert_same(path)


def _imwrite(**kwargs: Any) -> Callable[[Path], Path]:
    def write(path: Path) -> Path:
        shape = kwargs.pop("shape")
        dtype = kwargs.pop("dtype", "uint16")
        tifffile.imwrite(path, np.zeros(shape, dtype=dtype), **kwargs)
        kwargs["shape"], kwargs["dtype"] = shape, dtype
        return path

    return write


OME_LAYOUTS: dict[str, Callable[[Path], Path]] = {
    "zyx": _imwrite(shape=(16, 32, 32), ome=True, metadata={"axes": "ZYX"}),
    "one_plane": _imwrite(shape=(32, 32), ome=True),
    "tczyx": _imwrite(shape=(2, 3, 4, 16, 16), ome=True, metadata={"axes": "TCZYX"}),
    "rgb": _imwrite(shape=(4, 16, 16, 3), dtype="uint8", ome=True, photometric="rgb"),
    "rgb_planar": _imwrite(
        shape=(2, 3, 16, 16), dtype="uint8", ome=True, photometric="rgb", planarconfig="separate"
    ),
    "bigtiff": _imwrite(shape=(5, 16, 16), ome=True, bigtiff=True, metadata={"axes": "ZYX"}),
    "big_endian": _imwrite(shape=(5, 16, 16), ome=True, byteorder=">", metadata={"axes": "ZYX"}),
    "tiled_zlib": _imwrite(
        shape=(3, 32, 32), ome=True, tile=(16, 16), compression="zlib", metadata={"axes": "ZYX"}
    ),
    "float32": _imwrite(shape=(3, 8, 8), dtype="float32", ome=True, metadata={"axes": "ZYX"}),
}


def _pyramid(path: Path) -> Path:
    with tifffile.TiffWriter(path, ome=True) as tw:
        tw.write(np.zeros((2, 32, 32), "uint16"), subifds=1, metadata={"axes": "ZYX"})
        tw.write(np.zeros((2, 16, 16), "uint16"), subfiletype=1)
    return path


def _two_images(path: Path) -> Path:
    with tifffile.TiffWriter(path, ome=True) as tw:
        tw.write(np.zeros((2, 8, 8), "uint16"), metadata={"axes": "ZYX"})
        tw.write(np.zeros((3, 6, 6), "uint8"), metadata={"axes": "ZYX"})
    return path


def _written(tmp_path: Path) -> list[Path]:
    out = [make(tmp_path / f"{name}.ome.tif") for name, make in OME_LAYOUTS.items()]
    out += [
        _two_images(tmp_path / "two_images.ome.tif"),
        _pyramid(tmp_path / "pyramid.ome.tif"),
        write_ome_tiff(tmp_path / "fluo.ome.tif", fluorescence_ome(), shape=(4, 6, 8)),
        write_ome_tiff(tmp_path / "plain_ome.tif", compose_ome(size=(8, 6, 2, 1, 1))),
        # the XML says 3 planes, the file holds 2: tifffile warns (a finding)
        write_ome_tiff(tmp_path / "short.ome.tif", compose_ome(size=(8, 6, 3, 1, 1))),
        # the XML says 2 planes, the file holds 3: tifffile warns too
        write_ome_tiff(
            tmp_path / "long.ome.tif", compose_ome(size=(8, 6, 2, 1, 1)), shape=(3, 6, 8)
        ),
        write_ome_tiff(tmp_path / "big.ome.tif", compose_ome(size=(8, 6, 2, 1, 1)), bigtiff=True),
        write_plain(tmp_path / "plain.tif", shape=(3, 16, 16), dtype="uint16"),
        write_plain(tmp_path / "cimg.tif", shape=(3, 8, 10), dtype="float32", software="CImg"),
        write_imagej(tmp_path / "ij.tif", shape=(3, 2, 6, 8)),
    ]
    return out


def test_written_files_read_the_same(tmp_path: Path) -> None:
    for path in _written(tmp_path):
        _assert_same(path)


def _xml_variants(tmp_path: Path) -> list[Path]:
    """OME-XML that leaves tifffile's quiet path: each must fall back and still match."""
    base = compose_ome(size=(8, 6, 2, 1, 1))
    swaps = {
        "ifd1": ("<TiffData", '<TiffData IFD="1" PlaneCount="1"/><TiffData'),
        "first_z_out": ("<Pixels", "<Pixels"),  # replaced below
        "bad_size": ('SizeZ="2"', 'SizeZ="two"'),
        "zero_size": ('SizeZ="2"', 'SizeZ="0"'),
        "binary_only": ("</OME>", '<BinaryOnly MetadataFile="x.xml" UUID="urn:uuid:1"/></OME>'),
    }
    out = []
    for name, (old, new) in swaps.items():
        xml = base.replace(old, new, 1)
        if name == "first_z_out":
            xml = base.replace("<Channel", '<TiffData FirstZ="5" IFD="0"/><Channel', 1)
        out.append(write_ome_tiff(tmp_path / f"{name}.ome.tif", xml))
    uuid_xml = base.replace(
        "<TiffData/>",
        '<TiffData><UUID FileName="other.ome.tif">urn:uuid:00000000-0000-0000-0000-000000000001'
        "</UUID></TiffData>",
    )
    out.append(write_ome_tiff(tmp_path / "uuid.ome.tif", uuid_xml))
    return out


def test_ome_xml_outside_the_quiet_path_reads_the_same(tmp_path: Path) -> None:
    for path in _xml_variants(tmp_path):
        _assert_same(path)


def _chain(path: Path) -> tuple[str, list[int], int]:
    """Byte order, IFD offsets and next-pointer width of a classic or BigTIFF file."""
    with tifffile.TiffFile(path) as tif:
        return tif.byteorder, [p.offset for p in tif.pages], 8 if tif.is_bigtiff else 4


def _next_pointer_at(data: bytes, offset: int, order: str, width: int) -> int:
    count_fmt, entry = ("Q", 20) if width == 8 else ("H", 12)
    (count,) = struct.unpack_from(order + count_fmt, data, offset)
    return offset + (8 if width == 8 else 2) + count * entry


def test_cut_and_damaged_chains_read_the_same(tmp_path: Path) -> None:
    sources = [OME_LAYOUTS["zyx"](tmp_path / "zyx.ome.tif")]
    sources.append(OME_LAYOUTS["bigtiff"](tmp_path / "bigtiff.ome.tif"))
    sources.append(write_plain(tmp_path / "plain.tif", shape=(4, 16, 16), dtype="uint16"))
    n = 0
    for path in sources:
        data = path.read_bytes()
        order, offsets, width = _chain(path)
        fmt = order + ("Q" if width == 8 else "I")
        variants: dict[str, bytes] = {}
        for cut in (1, 100, len(data) // 3, len(data) - offsets[-1]):
            variants[f"cut{cut}"] = data[: len(data) - cut]
        middle = offsets[len(offsets) // 2]
        at = _next_pointer_at(data, middle, order, width)
        for name, value in {
            "past_end": len(data) + 10,
            "loop": offsets[1],
            "to_first": offsets[0],
            "odd": offsets[-1] + 1,
        }.items():
            damaged = bytearray(data)
            struct.pack_into(fmt, damaged, at, value)
            variants[name] = bytes(damaged)
        many_tags = bytearray(data)
        struct.pack_into(order + ("Q" if width == 8 else "H"), many_tags, middle, 5000)
        variants["many_tags"] = bytes(many_tags)
        for name, blob in variants.items():
            bad = path.with_name(f"{name}_{path.name}")
            bad.write_bytes(blob)
            _assert_same(bad)
            n += 1
    assert n == 3 * 9


def test_the_fast_path_is_taken_for_a_regular_ome_tiff(tmp_path: Path) -> None:
    """No `TiffFile.series`, no tifffile page count: only the first and the last IFD are parsed."""
    path = OME_LAYOUTS["tczyx"](tmp_path / "tczyx.ome.tif")
    with (
        mock.patch.object(tifffile.TiffFile, "series", property(_refuse)),
        mock.patch.object(tifffile.TiffPages, "__len__", _refuse),
    ):
        model = clxm_meta.read(path)
    assert model.n_pages == 24
    assert [(s.shape, s.axes, s.kind, s.n_pages) for s in model.series] == [
        ([2, 3, 4, 16, 16], "TCZYX", "ome", 24)
    ]


def _refuse(*_args: object) -> Any:
    raise AssertionError("tifffile indexed every page")


def test_chain_walk_gives_tifffiles_offsets_and_refuses_irregular_chains(tmp_path: Path) -> None:
    path = OME_LAYOUTS["zyx"](tmp_path / "zyx.ome.tif")
    order, offsets, _ = _chain(path)
    size = path.stat().st_size
    kw = {"byteorder": order, "bigtiff": False}
    assert ifd_offsets(path, offsets[0], size, limit=100, **kw) == offsets
    assert ifd_offsets(path, offsets[0], size, limit=16, **kw) == offsets  # exactly the limit
    assert ifd_offsets(path, offsets[0], size, limit=15, **kw) is None  # longer than the limit
    assert ifd_offsets(path, size - 1, size, limit=100, **kw) is None  # count not readable
    assert ifd_offsets(tmp_path / "missing.tif", 8, size, limit=100, **kw) is None


def test_chain_walk_follows_runs_and_their_breaks(tmp_path: Path) -> None:
    """Hundreds of IFDs at a fixed stride are read as runs; a damaged link inside a run is seen."""
    path = tmp_path / "many.ome.tif"
    tifffile.imwrite(path, shape=(300, 8, 8), dtype="uint8", ome=True, metadata={"axes": "ZYX"})
    order, offsets, width = _chain(path)
    size = path.stat().st_size
    kw = {"byteorder": order, "bigtiff": False}
    assert ifd_offsets(path, offsets[0], size, limit=10_000, **kw) == offsets
    data = path.read_bytes()
    for k in (5, 40, 150, 298):  # inside the first, a doubled and the last run
        at = _next_pointer_at(data, offsets[k], order, width)
        # a loop back once the chain holds 100 IFDs is one tifffile never leaves (its loop check
        # runs at the 100th IFD only): looped early here, the fallback's walk ends
        for value in (0, offsets[k + 1] + 2, *((offsets[3],) if k < 90 else ())):
            damaged = bytearray(data)
            struct.pack_into(order + "I", damaged, at, value)
            bad = tmp_path / f"bad{k}_{value}.ome.tif"
            bad.write_bytes(bytes(damaged))
            got = ifd_offsets(bad, offsets[0], size, limit=10_000, **kw)
            if value == 0:  # the chain ends there
                assert got == offsets[: k + 1], k
            elif value == offsets[3]:  # a loop back: irregular, tifffile walks it
                assert got is None, k
            else:  # a pointer into the next IFD: whatever the walk gives is tifffile's chain
                with tifffile.TiffFile(bad) as tif:
                    assert got is None or got == [p.offset for p in tif.pages], k
            _assert_same(bad)
