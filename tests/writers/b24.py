"""A deposition tree laid out as Diamond's B24 automated processing leaves it (issue 22).

Modelled on the public pipeline (DiamondLightSource/cryoem-services: recipes ``sxt-imod-beads-wbp``,
``sxt-imod-beads-sirt``, ``sxt-imod-patch-wbp``, ``sxt-aretomo``; services ``tomo_align_imod``,
``tomo_align_aretomo``, ``denoise``, ``membrain_seg``) and on PySIMRecon's configs. Every file is
small and synthetic, written by this package's writers::

    sample1/SXT/ts1.txrm                       the tilt series (TXRM, 13 images)
    sample1/SXT/ref.xrm                        the flat-field reference given to txrm2tiff
    sample1/SXT/grid_mosaic.txrm               a 2 × 2 mosaic of the grid (optional)
    sample1/SXT/Tomograms/ts1.mrc              the tilt series converted (txrm2tiff + tif2mrc)
    sample1/SXT/Tomograms/ts1.rawtlt           its angles, from ImageInfo/Angles (IMOD)
    IMOD variants:  batchDirective.adoc, align.log, ts1.xf, ts1.tlt, tilt.com / tilt_sirt.log,
                    xcorr_pt.com (patch), ts1_rec.mrc
    AreTomo:        ts1_TLT.txt, ts1.aln, ts1_Vol.mrc
    pictures:       *_thumbnail.jpeg, *_movie.png, *_projXY.jpeg, *_xy_shift_plot.json
    sample1/SXT/Denoise/<volume>.denoised.mrc  (+ <volume>.denoised_segmented.mrc)
    sample1/SXT_stack.mrc                      AreTomo's copy_output of the stack
    sample1/SIM/cell1.dv, cell1_recon.dv, cell1_recon.log (PySIMRecon), config.ini, 525.cfg,
    605.cfg, cell1_SIM_to_SXT.txt
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from writers.dv import DvSpec, write_dv
from writers.imod import (
    align_log_text,
    aln_text,
    batch_directive_text,
    rawtlt_text,
    tilt_com_text,
    tilt_log_text,
    tlt_text,
    xcorr_pt_com_text,
)
from writers.mrc import imod_label, write_mrc
from writers.simlog import ChannelFit, matrix_text, pysimrecon_config_ini_text, pysimrecon_log_text
from writers.txrm import write_txrm

__all__ = ["ANGLES", "PIXEL_UM", "Variant", "pysimrecon_channel_cfg_text", "write_b24_tree"]

Variant = Literal["imod-beads-wbp", "imod-beads-sirt", "imod-patch-wbp", "aretomo"]

ANGLES = tuple(float(a) for a in range(-60, 61, 10))
"""Tilt angles of the synthetic tilt series (13 images)."""
PIXEL_UM = 0.01
"""Pixel size of the tilt series (10 nm), and the one the pipeline gives IMOD."""
SIRT_ITERATIONS = 5
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(48)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(48)


def pysimrecon_channel_cfg_text(
    *,
    ls: float = 0.2035,
    na: float = 0.9,
    nimm: float = 1.0,
    wiener: float = 0.001,
    zoomfact: float = 2.0,
    k0angles: tuple[float, float, float] = (-0.8043, -1.8555, 0.2388),
) -> str:
    """A PySIMRecon per-channel ``.cfg``: ``[otf config]`` and ``[recon config]``, with inline
    comments as PySIMRecon's own example configs have them."""
    return "\n".join(
        [
            "[otf config]",
            "nphases=5       # Number of phases",
            f"na={na:g}          # The (effective) NA of the objective",
            f"nimm={nimm:g}          # immersion refractive index",
            "",
            "[recon config]",
            f"nimm={nimm:g}",
            f"wiener={wiener:g}   ; small means less smoothing",
            "k0angles=" + ",".join(f"{a:f}" for a in k0angles),
            f"ls={ls:g}",
            "ndirs=3",
            "nphases=5",
            f"na={na:g}",
            f"zoomfact={zoomfact:g}",
            "zzoom=1",
            "",
        ]
    )


def _pictures(folder: Path, stem: str) -> None:
    for suffix in ("_thumbnail.jpeg", "_projXY.jpeg", "_projYZ.jpeg", "_alignment.jpeg"):
        (folder / f"{stem}{suffix}").write_bytes(JPEG + suffix.encode())
    (folder / f"{stem}_movie.png").write_bytes(PNG)
    (folder / f"{stem}_xy_shift_plot.json").write_text('{"data": [], "layout": {}}\n')


def _volume(path: Path, label: str | None = None, dtype: str = "float32") -> Path:
    labels = [imod_label(label)] if label else []
    return write_mrc(path, shape=(7, 8, 8), dtype=dtype, voxel_size_a=PIXEL_UM * 1e4, labels=labels)


def _sxt(root: Path, variant: Variant, *, denoise: bool, segment: bool, finished: bool) -> None:
    sxt = root / "sample1" / "SXT"
    tomo = sxt / "Tomograms"
    tomo.mkdir(parents=True)
    write_txrm(sxt / "ts1.txrm", angles=ANGLES, pixel_size_um=PIXEL_UM, reference=False)
    write_txrm(sxt / "ref.xrm", angles=[0.0], pixel_size_um=PIXEL_UM, reference=False)
    write_mrc(
        tomo / "ts1.mrc",
        shape=(len(ANGLES), 8, 8),
        dtype="uint16",
        voxel_size_a=PIXEL_UM * 1e4,
        labels=[imod_label("tif2mrc: Converted from TIFF file")],
    )
    if variant == "aretomo":
        (tomo / "ts1_TLT.txt").write_text("".join(f"{a:.2f}  {i}\n" for i, a in enumerate(ANGLES)))
        (tomo / "ts1.aln").write_text(aln_text(ANGLES, raw_size=(8, 8, len(ANGLES))))
        volume = "ts1_Vol"
    else:
        (tomo / "ts1.rawtlt").write_text(rawtlt_text(ANGLES))
        patch, sirt = variant == "imod-patch-wbp", variant == "imod-beads-sirt"
        (tomo / "batchDirective.adoc").write_text(
            batch_directive_text(
                name="ts1", pixel_nm=PIXEL_UM * 1e3, patch=patch, sirt=sirt, bead_count=8
            )
        )
        unit = "nm"
        (tomo / "align.log").write_text(
            align_log_text(0.36, 0.457, unit, len(ANGLES), tilt_step=10.0, weighted_mean=0.29)
        )
        (tomo / "ts1.xf").write_text("".join("1 0 0 1 0.5 -0.25\n" for _ in ANGLES))
        (tomo / "ts1.tlt").write_text(tlt_text(ANGLES))
        if patch:
            (tomo / "xcorr_pt.com").write_text(xcorr_pt_com_text(name="ts1", patch=200))
        if sirt:
            (tomo / "tilt_sirt.log").write_text(
                tilt_log_text(sirt_iterations=SIRT_ITERATIONS, thickness=700, angles=ANGLES)
            )
        else:
            (tomo / "tilt.com").write_text(tilt_com_text(thickness=700, name="ts1"))
        volume = "ts1_rec"
    if not finished:
        return
    _volume(tomo / f"{volume}.mrc", "tilt: Tomographic reconstruction")
    if variant == "aretomo":  # copy_output: <job folder>_stack.mrc beside the job folder
        write_mrc(
            root / "sample1" / "SXT_stack.mrc",
            shape=(len(ANGLES), 8, 8),
            dtype="uint16",
            voxel_size_a=PIXEL_UM * 1e4,
        )
    _pictures(tomo, volume)
    if denoise:
        den = sxt / "Denoise"
        den.mkdir()
        _volume(den / f"{volume}.denoised.mrc")
        (den / f"{volume}.denoised_thumbnail.jpeg").write_bytes(JPEG + b"denoised")
        if segment:
            _volume(den / f"{volume}.denoised_segmented.mrc", dtype="int16")
            (den / f"{volume}.denoised_segmented_movie.png").write_bytes(PNG + b"segmented")


def _sim(root: Path) -> None:
    sim = root / "sample1" / "SIM"
    sim.mkdir(parents=True)
    write_dv(
        sim / "cell1.dv",
        DvSpec(nx=16, ny=16, nz=45, n_waves=2, waves=(525, 605), d_um=(0.08, 0.08, 0.125)),
    )
    write_dv(
        sim / "cell1_recon.dv",
        DvSpec(
            nx=32,
            ny=32,
            nz=3,
            n_waves=2,
            pixel_type=2,
            waves=(525, 605),
            d_um=(0.04, 0.04, 0.125),
            titles=["SIR: PySIMRecon reconstruction of cell1.dv"],
        ),
    )
    (sim / "cell1_recon.log").write_text(pysimrecon_log_text([ChannelFit(525), ChannelFit(605)]))
    (sim / "config.ini").write_text(pysimrecon_config_ini_text())
    (sim / "525.cfg").write_text(pysimrecon_channel_cfg_text(ls=0.2035))
    (sim / "605.cfg").write_text(pysimrecon_channel_cfg_text(ls=0.2295))
    matrix = [[1.0, 0.0, 0.0, 12.5], [0.0, 1.0, 0.0, -3.0], [0.0, 0.0, 1.0, 0.5], [0, 0, 0, 1]]
    (sim / "cell1_SIM_to_SXT.txt").write_text(matrix_text(matrix))


def write_b24_tree(
    root: Path,
    variant: Variant = "imod-beads-wbp",
    *,
    denoise: bool = True,
    segment: bool = True,
    mosaic: bool = True,
    sim: bool = True,
    finished: bool = True,
) -> Path:
    """Write the tree under ``root`` (created) and return ``root``.

    ``finished=False`` stops where a running pipeline is: the stack, angles and alignment files
    are there, but no volume, picture, denoised volume or segmentation yet.
    """
    root.mkdir(parents=True, exist_ok=True)
    _sxt(root, variant, denoise=denoise, segment=segment, finished=finished)
    if mosaic:
        write_txrm(
            root / "sample1" / "SXT" / "grid_mosaic.txrm",
            version=3,
            angles=[0.0] * 4,
            mosaic=(2, 2),
            pixel_size_um=0.1,
            reference=False,
        )
    if sim:
        _sim(root)
    return root
