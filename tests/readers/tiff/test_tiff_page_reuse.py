"""The truncation check reuses the last page the series already parsed: same model, same findings.

`reader._parsed_by_series` hands the truncation check the `TiffPage` tifffile parsed while building
the series instead of parsing the IFD again. Every file here is read both ways (reuse switched off
by patching the helper) and must give the same model dump, findings included: real TIFFs, written
multi-page plain, ImageJ and OME files, the same files cut short (the last page's strips then lie
past the end) and with the last IFD's strip offsets damaged.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
import tifffile

import clxm_meta
from clxm_meta.errors import ClxmMetaError
from clxm_meta.readers.tiff import reader
from conftest import real_files
from writers.tiff import compose_ome, write_imagej, write_ome_tiff, write_plain


def _dump(path: Path) -> object:
    try:
        return clxm_meta.read(path).model_dump()
    except ClxmMetaError as exc:
        return f"{type(exc).__name__}: {exc}"


def _assert_same_both_ways(path: Path) -> None:
    reused = _dump(path)
    with mock.patch.object(reader, "_parsed_by_series", return_value=None):
        parsed_again = _dump(path)
    assert reused == parsed_again


@pytest.mark.parametrize("path", real_files("tiff"), ids=lambda p: p.name)
def test_real_tiffs(path: Path) -> None:
    _assert_same_both_ways(path)


def _written(tmp_path: Path) -> list[Path]:
    return [
        write_plain(tmp_path / "plain.tif", shape=(3, 16, 16), dtype="uint16"),
        write_plain(tmp_path / "cimg.tif", shape=(3, 8, 10), dtype="float32", software="CImg"),
        write_imagej(tmp_path / "ij.tif", shape=(3, 2, 6, 8)),
        write_ome_tiff(tmp_path / "ome.tif", compose_ome(size=(8, 6, 2, 1, 1)), shape=(2, 6, 8)),
    ]


def test_written_files_whole_cut_and_damaged(tmp_path: Path) -> None:
    reused_somewhere = False
    for path in _written(tmp_path):
        with tifffile.TiffFile(path) as tif:
            n = len(tif.pages)
            strip_tag = tif.pages[n - 1].tags.get(273)  # StripOffsets of the last page
            assert strip_tag is not None
            value_at = strip_tag.valueoffset
            reused_somewhere |= reader._parsed_by_series(tif.series, tif, n - 1) is not None
        _assert_same_both_ways(path)
        data = path.read_bytes()
        for cut in (100, len(data) // 3):
            short = path.with_name(f"cut{cut}_{path.name}")
            short.write_bytes(data[: len(data) - cut])
            _assert_same_both_ways(short)
        damaged = bytearray(data)
        damaged[value_at : value_at + 4] = b"\xff\xff\xff\x7f"  # strip offset far past the end
        bad = path.with_name(f"bad_{path.name}")
        bad.write_bytes(bytes(damaged))
        _assert_same_both_ways(bad)
    assert reused_somewhere  # the generic series of a plain multi-page file holds its pages
