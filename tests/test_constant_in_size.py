"""Constant in file size: reading a 2 GiB file reads as many bytes as reading a 2 MiB one.

The large files are sparse (header written, then the file extended with ``truncate``), so they
cost no disk space and no time to make. Bytes read are counted by the kernel (``rchar`` in
/proc/self/io): a structural check, not a timing (timings are in bench/bench_size.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.writers.sparse import sparse_dv, sparse_mrc, sparse_ome_tiff

import clxm_meta

GIB2 = 2 * 1024**3
PROC_IO = Path("/proc/self/io")
pytestmark = pytest.mark.skipif(not PROC_IO.exists(), reason="needs Linux /proc/self/io")


def _rchar() -> int:
    for line in PROC_IO.read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")  # pragma: no cover


def _bytes_read(path: Path) -> tuple[int, str]:
    clxm_meta.read(path)  # warm: imports and caches do not count
    before = _rchar()
    model = clxm_meta.read(path)
    return _rchar() - before, model.format


def test_dv_read_is_constant_in_size(tmp_path: Path) -> None:
    small = sparse_dv(tmp_path / "small.dv", (16, 256, 256))  # 2 MiB of pixels
    big = sparse_dv(tmp_path / "big.dv", (256, 2048, 2048))  # 2 GiB of pixels
    assert big.stat().st_size > GIB2 > 1000 * small.stat().st_size
    n_small, fmt = _bytes_read(small)
    n_big, _ = _bytes_read(big)
    assert fmt == "dv"
    assert n_big < 256 * 1024
    assert n_big <= n_small + 64 * 1024  # the big file's larger extended header (256 records)


def test_mrc_read_is_constant_in_size(tmp_path: Path) -> None:
    small = sparse_mrc(tmp_path / "small.mrc", (16, 256, 256))
    big = sparse_mrc(tmp_path / "big.mrc", (256, 2048, 2048))
    assert big.stat().st_size > GIB2
    n_small, fmt = _bytes_read(small)
    n_big, _ = _bytes_read(big)
    assert fmt == "mrc"
    assert n_big < 256 * 1024
    assert n_big <= n_small + 4096


def test_ome_tiff_read_is_constant_in_size(tmp_path: Path) -> None:
    """The 2 GiB file has 256 IFDs to the small one's 16: only their next-IFD pointers are read
    (blocks of 4 KiB growing fourfold along a run), and only the first and the last IFD are parsed
    (issue 21)."""
    small = sparse_ome_tiff(tmp_path / "small.ome.tif", (16, 256, 256))
    big = sparse_ome_tiff(tmp_path / "big.ome.tif", (256, 2048, 2048))
    assert big.stat().st_size > GIB2 > 1000 * small.stat().st_size
    n_small, fmt = _bytes_read(small)
    n_big, _ = _bytes_read(big)
    assert fmt == "tiff"
    assert n_big < 256 * 1024
    assert n_big <= n_small + 64 * 1024  # 240 more IFDs of 166 bytes
