"""Constant in size: reading a 2 GiB file costs what reading a 2 MiB one does (time and memory).

The files are generated under the scratch folder (``CLXM_BENCH_TMP``, default /tmp/clxm_bench)
as sparse files (header written, pixel data left as a hole), read, and deleted. TXRM is not
generated: a 2 GiB OLE2 compound file needs its sector tables written out in full.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from _harness import ROOT, SCRATCH, Headline, Report, measure, standalone

import clxm_meta

SECTION = "Constant in size (2 GiB ÷ 2 MiB)"
SMALL = (16, 256, 256)  # 2 MiB of uint16
BIG = (256, 2048, 2048)  # 2 GiB of uint16


def _dv(path: Path, shape: tuple[int, int, int]) -> Path:
    sys.path.insert(0, str(ROOT))
    from tests.writers.sparse import sparse_dv

    return sparse_dv(path, shape)


def _mrc(path: Path, shape: tuple[int, int, int]) -> Path:
    sys.path.insert(0, str(ROOT))
    from tests.writers.sparse import sparse_mrc

    return sparse_mrc(path, shape)


def _ome_tiff(path: Path, shape: tuple[int, int, int]) -> Path:
    sys.path.insert(0, str(ROOT))
    from tests.writers.sparse import sparse_ome_tiff

    return sparse_ome_tiff(path, shape)


MAKERS: dict[str, tuple[str, Callable[[Path, tuple[int, int, int]], Path]]] = {
    "DV": (".dv", _dv),
    "MRC": (".mrc", _mrc),
    "OME-TIFF": (".ome.tif", _ome_tiff),
}


def run(report: Report) -> None:
    folder = SCRATCH / "size"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "| format | 2 MiB file: time, peak memory | 2 GiB file: time, peak memory | "
        "time ratio | memory ratio |",
        "|---|---|---|---|---|",
    ]
    ratios: dict[str, float] = {}
    try:
        for name, (suffix, make) in MAKERS.items():
            small = make(folder / f"small{suffix}", SMALL)
            big = make(folder / f"big{suffix}", BIG)
            ts = measure(lambda p=small: clxm_meta.read(p), number=20, repeat=7)
            tb = measure(lambda p=big: clxm_meta.read(p), number=20, repeat=7)
            assert ts.peak is not None and tb.peak is not None
            lines.append(
                f"| {name} | {ts.ms()}, {ts.peak / 1024:.0f} KiB | {tb.ms()}, "
                f"{tb.peak / 1024:.0f} KiB | {tb.median / ts.median:.2f} | "
                f"{tb.peak / ts.peak:.2f} |"
            )
            ratios[name] = tb.median / ts.median
            small.unlink()
            big.unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report.add(SECTION, *lines, "")
    if "OME-TIFF" in ratios:
        ratio = ratios["OME-TIFF"]
        report.headline(
            Headline(
                "OME-TIFF `read` time, 2 GiB file (256 IFDs) ÷ 2 MiB file (16 IFDs)",
                f"{ratio:.2f}×",
                "≤ 1.5×",
                ratio <= 1.5,
            )
        )


if __name__ == "__main__":
    standalone(run)
