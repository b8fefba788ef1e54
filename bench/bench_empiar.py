"""EMPIAR side of the deposition: the JSON builder, the whole deposit, the streamed entry image.

Run: python bench/bench_empiar.py
Times `build_empiar` and `build_deposit` on the example tree (scanned once, outside the timing),
then the entry image on a synthetic 256 MiB float32 tomogram (512 × 512 × 256) and a 32 MiB SIM
reconstruction (512 × 512 × 64 uint16) under CLXM_BENCH_TMP, against the obvious way (read the
whole volume with mrcfile and the whole DV with numpy, then slice / project): peak memory shows
that the entry image reads one section and one plane at a time.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import numpy as np
from _harness import compare

import clxm_meta
from clxm_meta.export.deposit.build import build_deposit, deposition_units, upload_files
from clxm_meta.export.deposit.entry_image import sim_max_projection, tomogram_slice
from clxm_meta.export.empiar.build import build_empiar
from writers.dv import DvSpec, write_dv

ROOT = Path(__file__).resolve().parents[1]
SXT = "sample1/SXT/ts1"
SCRATCH = Path(os.environ.get("CLXM_BENCH_TMP", tempfile.gettempdir())) / "clxm_bench_empiar"


def _tomogram(path: Path, shape: tuple[int, int, int]) -> Path:
    import mrcfile

    with mrcfile.new_mmap(path, shape=shape, mrc_mode=2, overwrite=True) as mrc:
        for z in range(shape[0]):
            mrc.data[z] = np.float32(z)
    return path


def _sim_dv(path: Path, nx: int, nz: int) -> Path:
    data = (np.arange(nz * nx * nx, dtype=np.uint32) % 4096).astype("<u2")
    spec = DvSpec(
        nx=nx,
        ny=nx,
        nz=nz,
        n_waves=1,
        pixel_type=6,
        waves=(525,),
        minmax=((0.0, 4095.0),),
        sequence=0,
        n_ints=0,
        n_floats=0,
        sections=[],
        pixel_data=data.tobytes(),
    )
    return write_dv(path, spec)


def main() -> None:
    result = clxm_meta.scan(ROOT / "examples" / "deposition")
    compare("EMPIAR JSON (build + validate), example SXT", lambda: build_empiar(result, SXT), {})
    from clxm_meta.checks.manifest import compute_manifest

    paths = sorted(
        {p for u in deposition_units(result) for ps in upload_files(result, u).values() for p in ps}
    )
    entries, _ = compute_manifest([(p, os.path.join(result.root, p)) for p in paths])
    md5 = {e.rel: e.md5 for e in entries if e.md5}
    compare(
        "whole deposit in memory (EMPIAR, PageTab, file list, xlsx, OME, md5.txt, README)",
        lambda: build_deposit(result, md5=md5),
        {},
        number=3,
    )
    SCRATCH.mkdir(parents=True, exist_ok=True)
    try:
        tomo = _tomogram(SCRATCH / "tomo.mrc", (256, 512, 512))
        dv = _sim_dv(SCRATCH / "sim_SIR.dv", 512, 64)

        def whole_mrc() -> object:
            import mrcfile

            with mrcfile.open(tomo, permissive=True) as mrc:
                return np.array(mrc.data[mrc.data.shape[0] // 2], dtype=np.float64)

        def whole_dv() -> object:
            model = clxm_meta.read(dv)
            raw = np.fromfile(dv, dtype="<u2", offset=model.data_offset or 1024)
            return raw.reshape(64, 512, 512).max(axis=0).astype(np.float64)

        compare(
            "tomogram central slice, 512×512×256 float32 (256 MiB)",
            lambda: tomogram_slice(str(tomo)),
            {"mrcfile.open (whole volume)": whole_mrc},
            number=1,
            repeat=3,
        )
        compare(
            "SIM max projection, 512×512×64 uint16 (32 MiB)",
            lambda: sim_max_projection(str(dv)),
            {"numpy.fromfile (whole stack)": whole_dv},
            number=1,
            repeat=3,
        )
    finally:
        for name in ("tomo.mrc", "sim_SIR.dv"):
            (SCRATCH / name).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
