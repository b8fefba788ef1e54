"""--entry-image on a tomogram whose header declares a huge slice (issue 23): bounded by the file."""

from __future__ import annotations

import os
import struct
import tracemalloc
from pathlib import Path

import mrcfile
import numpy as np
import pytest

from clxm_meta.export.deposit.entry_image import MAX_SIDE, tomogram_slice


def _mrc(path: Path, nx: int, ny: int, nz: int) -> Path:
    with mrcfile.new(str(path), overwrite=True) as mrc:
        mrc.set_data(np.arange(4 * 4 * 3, dtype=np.float32).reshape(3, 4, 4))
    with open(path, "r+b") as fh:
        fh.write(struct.pack("<3i", nx, ny, nz))
    return path


def test_header_larger_than_the_file_is_refused_without_allocating(tmp_path: Path) -> None:
    path = _mrc(tmp_path / "rec.mrc", 60_000, 60_000, 3)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="the file holds"):
            tomogram_slice(str(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20


def test_a_huge_sparse_slice_is_subsampled(tmp_path: Path) -> None:
    nx = ny = 12_000
    path = _mrc(tmp_path / "rec.mrc", nx, ny, 1)
    try:
        os.truncate(path, 1024 + nx * ny * 4)  # sparse: the holes read as zeros
    except OSError:
        pytest.skip("no sparse files here")
    tracemalloc.start()
    try:
        plane = tomogram_slice(str(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert max(plane.shape) <= MAX_SIDE
    assert peak < 64 * 2**20  # the full slice as float64 would be 1.1 GB


def test_small_slice_is_read_whole(tmp_path: Path) -> None:
    path = _mrc(tmp_path / "rec.mrc", 4, 4, 3)
    plane = tomogram_slice(str(path))
    assert plane.shape == (4, 4) and plane[0, 0] == 16.0
