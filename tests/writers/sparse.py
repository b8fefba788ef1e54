"""Large sparse files whose headers are real and whose pixels are holes (no disk, no write time).

Used by the constant-in-size test and by ``bench/bench_size.py``: both need a 2 MiB and a 2 GiB
file that differ only in their pixel count.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from tests.writers.dv import DvSpec, SectionSpec, dv_bytes

__all__ = ["sparse_dv", "sparse_mrc", "sparse_ome_tiff"]


def sparse_dv(path: Path, shape: tuple[int, int, int]) -> Path:
    """A uint16 DV of ``shape`` (z, y, x) with a full extended header and sparse pixels."""
    nz, ny, nx = shape
    spec = DvSpec(
        nx=nx,
        ny=ny,
        nz=nz,
        sections=[SectionSpec(floats={8: 0.05, 10: 488.0, 11: 525.0}) for _ in range(nz)],
        write_pixels=False,
    )
    raw = dv_bytes(spec)
    path.write_bytes(raw)
    os.truncate(path, len(raw) + nx * ny * nz * 2)
    return path


def sparse_mrc(path: Path, shape: tuple[int, int, int]) -> Path:
    """An int16 MRC of ``shape`` (z, y, x), 10 Å voxels, written by mrcfile as a sparse map."""
    import mrcfile

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mrc = mrcfile.new_mmap(str(path), shape=shape, mrc_mode=1, overwrite=True)
        mrc.voxel_size = 10.0
        mrc.close()
    return path


def sparse_ome_tiff(path: Path, shape: tuple[int, int, int]) -> Path:
    """A uint16 OME-TIFF of ``shape`` (z, y, x), one IFD a plane, written by tifffile without data.

    tifffile writes the first IFD, leaves the pixels as a hole and puts the other IFDs after them.
    """
    import tifffile

    tifffile.imwrite(path, shape=shape, dtype="uint16", ome=True, metadata={"axes": "ZYX"})
    return path
