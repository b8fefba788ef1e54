"""`clxm-meta inspect` on every TIFF prints what it printed before the pure-Python TIFF header path.

Issue 21 reads the header and first IFD of a TIFF without tifffile (and numpy) where it can: the
text and ``--format json`` output must not change by a byte. Pinned here, from the tifffile-only
reader: every real TIFF sample (skipped when ../shared is absent) and the TIFFs the writers make
(ImageJ hyperstack, OME-TIFF, plain, BigTIFF, big-endian, LZW/zlib/packbits compression, tiled,
multi-page, resolution and text tags). Paths are written ``<dir>/NAME``. Regenerate (after a
deliberate change) with ``CLXM_PIN_WRITE=1``.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import tifffile

from clxm_meta.cli import main
from conftest import GOLDEN, real_files
from writers.tiff import compose_ome, fluorescence_ome, write_imagej, write_ome_tiff, write_plain

PINNED = GOLDEN / "inspect_cli_tiff"


def _imwrite(
    shape: tuple[int, ...], dtype: str = "uint16", **kwargs: object
) -> Callable[[Path], Path]:
    def write(path: Path) -> Path:
        tifffile.imwrite(path, np.zeros(shape, dtype=dtype), **kwargs)  # type: ignore[arg-type]
        return path

    return write


def _compressed(write: Callable[[Path], Path], code: int) -> Callable[[Path], Path]:
    """``write``, then the Compression tag (259) of every page set to ``code`` (header-only
    reading never decodes the strips; tifffile cannot write LZW without imagecodecs)."""

    def patched(path: Path) -> Path:
        write(path)
        with tifffile.TiffFile(path) as tif:
            offsets = [
                tag.offset for page in tif.pages for tag in page.tags.values() if tag.code == 259
            ]
            order = tif.byteorder
            value_at = 12 if tif.is_bigtiff else 8
        with path.open("r+b") as fh:
            for offset in offsets:
                fh.seek(offset + value_at)
                fh.write(struct.pack(order + "H", code))
        return path

    return patched


WRITTEN: dict[str, Callable[[Path], Path]] = {
    "imagej_hyperstack.tif": lambda p: write_imagej(p, shape=(3, 2, 6, 8)),
    "imagej_tzcyx.tif": lambda p: write_imagej(
        p, shape=(2, 3, 2, 6, 8), axes="TZCYX", metadata={"unit": "um", "spacing": 0.2}
    ),
    "ome.ome.tif": lambda p: write_ome_tiff(p, compose_ome(size=(8, 6, 2, 1, 1))),
    "fluo.ome.tif": lambda p: write_ome_tiff(p, fluorescence_ome(), shape=(4, 6, 8)),
    "ome_big.ome.tif": lambda p: write_ome_tiff(
        p, compose_ome(size=(8, 6, 2, 1, 1)), bigtiff=True, software="txrm2tiff 2.2.1"
    ),
    "plain.tif": lambda p: write_plain(p),
    "plain_multi.tif": lambda p: write_plain(p, shape=(3, 16, 16), dtype="uint16"),
    "plain_tags.tif": lambda p: write_plain(
        p,
        resolution=(1e4, 1e4),
        resolutionunit=3,
        description="a plain description",
        software="MyScope 1.2.3",
        datetime_text="2024:01:02 03:04:05",
        extratags=[(315, "s", 0, "someone", True), (271, "s", 0, "Acme", True)],
    ),
    "plain_bad_date.tif": lambda p: write_plain(p, extratags=[(306, "s", 0, "yesterday", True)]),
    "cimg.tif": lambda p: write_plain(p, shape=(3, 8, 10), dtype="float32", software="CImg"),
    "bigtiff.tif": lambda p: write_plain(p, shape=(2, 8, 8), bigtiff=True),
    "big_endian.tif": _imwrite((2, 8, 8), "int16", byteorder=">", metadata=None),
    "lzw.tif": _compressed(_imwrite((2, 16, 16), "uint8", metadata=None), 5),
    "zlib_tiled.tif": _compressed(_imwrite((32, 32), "uint16", tile=(16, 16), metadata=None), 8),
    "packbits.tif": _compressed(_imwrite((16, 16), "uint8", metadata=None), 32773),
    "jpeg_unknown.tif": _compressed(_imwrite((16, 16), "uint8", metadata=None), 7),
    "unknown_compression.tif": _compressed(_imwrite((16, 16), "uint8", metadata=None), 60000),
    "rgb.tif": _imwrite((8, 8, 3), "uint8", photometric="rgb", metadata=None),
    "shaped.tif": _imwrite((2, 3, 8, 8), "float64", photometric="minisblack"),
    "float64_bigendian_bigtiff.tif": _imwrite(
        (4, 8), "float64", byteorder=">", bigtiff=True, metadata=None
    ),
}


def _check(path: Path, name: str, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["inspect", str(path), "--format", fmt])
    out = capsys.readouterr().out.replace(str(path.parent), "<dir>")
    pinned = PINNED / f"{name}.{fmt}.txt"
    if os.environ.get("CLXM_PIN_WRITE"):
        pinned.write_text(f"exit {code}\n{out}")
    assert f"exit {code}\n{out}" == pinned.read_text()


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("path", real_files("tiff"), ids=lambda p: p.name)
def test_real_tiff_inspect_is_pinned(
    path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _check(path, f"real_{path.name}", fmt, capsys)


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("name", sorted(WRITTEN))
def test_written_tiff_inspect_is_pinned(
    name: str, fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = WRITTEN[name](tmp_path / name)
    _check(path, f"written_{name}", fmt, capsys)
