"""Write the example files under examples/ (small, synthetic, deterministic).

Usage: python scripts/make_examples.py [--out examples]

One function per example; `main` calls them all. The DV writer lives in tests/writers/dv.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from writers.dv import DvSpec, SectionSpec, write_dv  # noqa: E402

__all__ = ["main", "make_cell1_dv"]


def make_cell1_dv(out: Path) -> Path:
    """A raw 3D-SIM stack as Cockpit at B24 writes it (formats-binary.md §1.6, §1.7, §1.9).

    Two channels (488/561 nm excitation, 525/609 nm emission), 3 z planes × 3 angles × 5 phases,
    24 × 24 uint16, ImgSequence 1 (WZT), extended header of 8 ints + 32 floats per section with
    elapsed time, stage position, per-plane min/max/mean, exposure, excitation and emission, and
    Cockpit titles ("Date & time:", "SI order: Z, Angle, Phase", light entries with ms and mW).
    """
    nx = ny = 24
    n_waves, nz_true, angles, phases = 2, 3, 3, 5
    nz = nz_true * angles * phases
    excitation = (488.0, 561.0)
    emission = (525, 609)
    exposure_s = (0.05, 0.1)
    n_planes = nz * n_waves
    rng = np.random.default_rng(24)
    # WZT: wave fastest, then Z, then time (one time point).
    data = rng.integers(90, 4000, size=(nz, n_waves, ny, nx), dtype=np.uint16)
    minmax = [(float(data[:, w].min()), float(data[:, w].max())) for w in range(n_waves)]
    sections = []
    for p in range(n_planes):
        w, z = p % n_waves, p // n_waves
        plane = data[z, w]
        sections.append(
            SectionSpec(
                floats={
                    1: round(0.12 * p, 3),
                    2: 1203.5,
                    3: -455.2,
                    4: 3021.75 + 0.125 * (z % (nz_true * phases) // phases),
                    5: float(plane.min()),
                    6: float(plane.max()),
                    7: float(plane.mean()),
                    8: exposure_s[w],
                    10: excitation[w],
                    11: float(emission[w]),
                    12: 1.0,
                }
            )
        )
    titles = [
        "Date & time: 2023/03/14 10:21:05; pos: ['1203.50', '-455.20', '3021.75']",
        "SI order: Z, Angle, Phase",
        "[light source: 488nm: 50.000ms 2.500 mW;561nm: 100.000ms 5.000 mW]",
        "[camera: Andor iXon Ultra 888, EM gain 200]",
    ]
    spec = DvSpec(
        nx=nx,
        ny=ny,
        nz=nz,
        n_waves=n_waves,
        pixel_type=6,
        d_um=(0.0794, 0.0794, 0.125),
        waves=emission,
        minmax=minmax,
        mean1=float(data[:, 0].mean()),
        sequence=1,
        titles=titles,
        sections=sections,
        pixel_data=data.astype("<u2").tobytes(),
    )
    out.mkdir(parents=True, exist_ok=True)
    return write_dv(out / "cell1.dv", spec)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "examples")
    args = parser.parse_args(argv)
    for path in (make_cell1_dv(args.out),):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
