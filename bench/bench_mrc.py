"""MRC header reading: clxm_meta.read vs mrcfile (header_only, permissive) + extended header.

The peer job is what a user would write by hand: mrcfile for the header and the extended header,
plus, for a SerialEM stack, the tilt angles decoded from the raw extended header with numpy.
clxm_meta does more (labels, IMOD fields, role, checks and findings).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import mrcfile
import numpy as np
from _harness import REAL, Comparison, Headline, Report, compare, standalone, worst

import clxm_meta

SECTION = "MRC: clxm_meta.read vs mrcfile"
PEER = "mrcfile header_only + ext header"


def _mrcfile_header(path: Path) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with mrcfile.open(path, header_only=True, permissive=True) as mrc:
            return mrc.header.copy(), mrc.voxel_size.copy(), mrc.extended_header.copy()


def _mrcfile_tilts(path: Path) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with mrcfile.open(path, header_only=True, permissive=True) as mrc:
            h = mrc.header
            extra2 = h.extra2.tobytes()
            order = h.mode.dtype.byteorder if h.mode.dtype.byteorder in "<>" else "<"
            nint = int(np.frombuffer(extra2, f"{order}i2", 1, 16)[0])
            raw = mrc.extended_header.tobytes()
            n = min(int(h.nz), len(raw) // nint) if nint > 0 else 0
            rows = np.frombuffer(raw, f"{order}i2", n * nint // 2).reshape(n, nint // 2)
            return h.copy(), rows[:, 0] / 100.0


def run(report: Report) -> None:
    folder = REAL / "mrc"
    if not folder.is_dir():
        print("bench_mrc: ../shared/data/real/mrc not available, skipped")
        return
    comps: list[Comparison] = []
    for path in sorted(folder.iterdir()):
        peers = {PEER: lambda p=path: _mrcfile_header(p)}
        if path.suffix == ".st":
            peers["mrcfile + numpy tilts"] = lambda p=path: _mrcfile_tilts(p)
        comp = compare(
            f"{path.name} ({path.stat().st_size:,} B)",
            lambda p=path: clxm_meta.read(p),
            peers,
            number=50,
        )
        report.add_comparison(SECTION, comp)
        comps.append(comp)
    if comps:
        w = worst(comps, PEER)
        report.headline(
            Headline(
                "MRC `read` vs `mrcfile.open(header_only=True, permissive=True)` + extended header",
                w.text(),
                "≥ 0.67× (within 1.5×)",
                w.read > 0 and w.ratio >= 0.67,
            )
        )


if __name__ == "__main__":
    standalone(run)
