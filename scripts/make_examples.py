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
from writers.imod import align_log_text, rawtlt_text, tilt_com_text, tlt_text  # noqa: E402
from writers.mrc import imod_label, write_mrc  # noqa: E402
from writers.simlog import (  # noqa: E402
    ChannelFit,
    chromagnon_csv_text,
    cudasirecon_log_text,
    matrix_text,
)
from writers.txrm import write_txrm  # noqa: E402

__all__ = ["main", "make_cell1_dv", "make_deposition"]

DEPOSITION_ANGLES = tuple(float(a) for a in range(-60, 61, 2))
"""Tilt angles of the example tilt series: −60…+60° in 2° steps (61 images)."""
TXRM_PIXEL_UM = 0.01
"""Pixel size of the example tilt series (10 nm)."""
TOMO_BINNING = 2
"""Binning of the example tomogram relative to the tilt series."""
SIM_TO_SXT = (
    (1.0, 0.0, 0.0, 12.5),
    (0.0, 1.0, 0.0, -3.0),
    (0.0, 0.0, 1.0, 0.5),
    (0.0, 0.0, 0.0, 1.0),
)
"""The example's SIM → SXT correlation matrix (a translation), written to the sample folder."""


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


def _sim_reconstruction(path: Path) -> Path:
    """``cell1_SIR.dv``: the 3D-SIM reconstruction of cell1.dv (zoom 2 in XY, 3 planes, float32)."""
    nx = ny = 48
    n_waves, nz = 2, 3
    data = np.linspace(0.0, 1000.0, nx * ny * nz * n_waves, dtype="<f4")
    return write_dv(
        path,
        DvSpec(
            nx=nx,
            ny=ny,
            nz=nz,
            n_waves=n_waves,
            pixel_type=2,
            d_um=(0.0397, 0.0397, 0.125),
            waves=(525, 609),
            minmax=((0.0, 1000.0), (0.0, 1000.0)),
            sequence=1,
            titles=["SIR: cudasirecon reconstruction of cell1.dv"],
            n_ints=0,
            n_floats=0,
            sections=[],
            pixel_data=data.tobytes(),
        ),
    )


def _tilt_com() -> str:
    """IMOD's tilt.com for the example, reconstructing from the aligned stack binned by 2."""
    text = tilt_com_text(thickness=8, radial=(0.35, 0.035), name="ts1")
    return text.replace("IMAGEBINNED 1", f"IMAGEBINNED {TOMO_BINNING}").replace(
        "OutputFile ts1.rec", "OutputFile ts1_rec.mrc"
    )


SIDECAR_TEXT = """\
# Example depositor sidecar, filled for a complete deposit (see docs/sidecar.md).
version: 1
release_instruction: HPUB
all:
  general.people:
    - name: Josiah Carberry
      first_name: Josiah
      last_name: Carberry
      affiliation: Example University, Department of Microscopy
      orcid: 0000-0002-1825-0097
      email: j.carberry@example.org
      country: GB
      role: depositor
      corresponding_author: true
      principal_investigator: true
  general.funding:
    - agency: Example Research Council
      grant_id: ERC-0000-EXAMPLE
  general.facility: Example beamline (synthetic data written by clxm_meta's own writers)
samples:
  sample1:
    sample.sample_id: Synthetic example cells (no biological sample)
    sample.fiducials: 150 nm gold beads, random on the support film
    sample.carrier: 3 mm gold finder grid, holey carbon
datasets:
  sample1/SIM/cell1:
    kind: SIM
    general.title: Example cryo-SIM of synthetic cell 1
    sample.fluorophores: [synthetic 488 nm dye, synthetic 561 nm dye]
  sample1/SXT/ts1:
    kind: SXT
    general.title: Example cryo-SXT tilt series of synthetic cell 1
# EMPIAR citation: the data are not published (yet).
citation:
  status: unpublished
  title: Correlative cryo-SIM and cryo-SXT of a synthetic example cell
empiar:
  scale: cell
# BioStudies study facts (not Table 1 rows).
biostudies:
  release_date: 2027-01-31
  description: Correlative cryo-SIM and cryo-SXT of a synthetic example cell, written by
    clxm_meta's own test writers to show a complete deposition.
  keywords: [cryo-SIM, soft X-ray tomography, correlative microscopy]
  license: CC0
  organism: {scientific_name: Homo sapiens, common_name: human, ncbi_taxon: "9606"}
  biological_entity: synthetic example cells
  sample_preparation: Synthetic data; no sample was prepared.
"""


def make_deposition(out: Path) -> Path:
    """A small deposition tree (protocol Figure 2: sample → SIM / SXT datasets).

    ``sample1/SIM``: the raw 3D-SIM stack (`make_cell1_dv`), its reconstruction ``cell1_SIR.dv``,
    the cudasirecon log ``cell1.log`` and a Chromagnon file. ``sample1/SXT``: a TXRM tilt series at
    500 eV over −60…+60° with its reference, the IMOD files (``ts1.rawtlt``, ``ts1.tlt``,
    ``align.log``, ``tilt.com``) and a
    tomogram ``ts1_rec.mrc`` binned by 2. ``sample1/sim_to_sxt_transform.txt``: the pair's SIM →
    SXT correlation matrix. ``clxm.yaml``: a sidecar filled for a complete deposit.
    """
    root = out / "deposition"
    sim = root / "sample1" / "SIM"
    sxt = root / "sample1" / "SXT"
    sim.mkdir(parents=True, exist_ok=True)
    sxt.mkdir(parents=True, exist_ok=True)
    make_cell1_dv(sim)
    _sim_reconstruction(sim / "cell1_SIR.dv")
    channels = [ChannelFit(wavelength_nm=525), ChannelFit(wavelength_nm=609)]
    log = cudasirecon_log_text(channels, nx=24, nz=3, dxy=0.0794, dz=0.125)
    (sim / "cell1.log").write_text(log, encoding="utf-8", newline="\n")
    chroma = chromagnon_csv_text(
        [(525, 0, 0, 0, 0, 1, 1, 1), (609, 0.12, -0.35, 0.8, 0.05, 1.0, 1.0012, 0.9991)],
        pixel_size_zyx=(0.125, 0.0794, 0.0794),
    )
    (sim / "cell1.chromagnon.csv").write_bytes(chroma.encode("utf-8"))
    write_txrm(
        sxt / "ts1.txrm",
        version=5,
        angles=DEPOSITION_ANGLES,
        energy_ev=500.0,
        pixel_size_um=TXRM_PIXEL_UM,
        exposure_s=1.0,
        reference=True,
        width=8,
        height=8,
        facility="Example beamline",
    )
    text_files = {
        "ts1.rawtlt": rawtlt_text(DEPOSITION_ANGLES),
        "ts1.tlt": tlt_text([a + 0.12 for a in DEPOSITION_ANGLES]),
        "align.log": align_log_text(
            0.412, 0.231, "pixels", len(DEPOSITION_ANGLES), first_tilt=-60.0, tilt_step=2.0
        ),
    }
    for name, text in text_files.items():
        (sxt / name).write_text(text, encoding="utf-8", newline="\n")
    (sxt / "tilt.com").write_text(_tilt_com(), encoding="utf-8", newline="\n")
    voxel_a = TXRM_PIXEL_UM * TOMO_BINNING * 1e4
    write_mrc(
        sxt / "ts1_rec.mrc",
        shape=(8, 4, 4),
        dtype="float32",
        voxel_size_a=voxel_a,
        labels=[imod_label("Tomographic reconstruction of ts1.ali with tilt")],
    )
    matrix = matrix_text(SIM_TO_SXT, comment="SIM -> SXT (µm), synthetic")
    (root / "sample1" / "sim_to_sxt_transform.txt").write_text(
        matrix, encoding="utf-8", newline="\n"
    )
    (root / "clxm.yaml").write_text(SIDECAR_TEXT, encoding="utf-8", newline="\n")
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "examples")
    args = parser.parse_args(argv)
    for path in (make_cell1_dv(args.out), make_deposition(args.out)):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
