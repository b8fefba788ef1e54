"""Writers of small IMOD-family text files for tests and example datasets.

Each function returns the text of one file, following the line catalogue of
shared/docs/reference/formats-logs-deposition.md §A (written from the documented line heads, not
copied from any real file). Write them with ``Path.write_text(text)`` (or ``newline="\\r\\n"``).
"""

from __future__ import annotations

from collections.abc import Sequence


def rawtlt_text(angles: Sequence[float]) -> str:
    """A ``.rawtlt``: one acquired angle per line."""
    return "".join(f"{a:.2f}\n" for a in angles)


def tlt_text(angles: Sequence[float]) -> str:
    """A ``.tlt``: one solved angle per line, Fortran ``(f7.2)``."""
    return "".join(f"{a:7.2f}\n" for a in angles)


def align_log_text(
    residual_mean: float = 0.383,
    residual_sd: float = 0.218,
    unit: str | None = "pixels",
    n_views: int = 41,
    *,
    first_tilt: float = -60.0,
    tilt_step: float = 3.0,
    n_fiducials: int = 25,
    rotation_deg: float = -90.15,
    weighted_mean: float | None = None,
    local_areas: tuple[int, int] | None = None,
    local_mean: float = 0.483,
    leave_out: float | None = None,
    entries: bool = True,
    x_tilt_layout: bool = False,
) -> str:
    """A tiltalign log.

    ``unit=None`` writes the old dialect (``mean resid`` column, no unit); otherwise the IMOD-5
    dialect (``resid-<unit>`` column, unit after the numbers, ``(Global)`` when local areas are
    solved). ``weighted_mean`` adds robust-fitting lines; ``local_areas=(nx, ny)`` adds local-area
    lines and the local summary; ``leave_out`` adds cross-validation lines; ``x_tilt_layout`` writes
    the fixed-rotation table (no rotation column, an X-tilt column).
    """
    lines: list[str] = [""]
    if entries:
        lines += [
            "*** Entries to program tiltalign ***",
            "  ModelFile = ts.fid",
            "  TiltFile = ts.rawtlt",
            f"  RotationAngle = {rotation_deg}",
            f"  RobustFitting = {1 if weighted_mean is not None else 0}",
            f"  LocalAlignments = {1 if local_areas else 0}",
            "*** End of entries ***",
            "",
        ]
    lines += [
        " Variable Metric minimization                  Initial F:         5.123456",
        "                                               Cycle   10         1.234567",
        " Number of cycles :    53   Final   F :   0.521266",
        "",
    ]
    if weighted_mean is not None:
        lines += [
            "Starting robust fitting with    8 weight groups:   4 view groups in  2 rings",
            " Total cycles for robust fitting:   44   Final   F :  0.390226",
            " Final mean and max weight change  0.0045  0.0219",
            "  1128 weights:    2 are 0,    8 are < .1,   15 are < .2,    32 ( 2.8%) are < .5",
            "",
        ]
    n_proj = n_views * n_fiducials
    lines += [
        f"{n_views:4d} views,{76:5d} geometric variables,{n_fiducials:5d} 3-D points,"
        f"{n_proj:6d} projection points",
        f"  Ratio of total measured values to all unknowns = {2 * n_proj:5d}/ 216 =   7.69",
        "",
    ]
    if x_tilt_layout:
        lines += [f" Fixed rotation angle is {rotation_deg:7.2f}", ""]
    else:
        lines += [f" At minimum tilt, rotation angle is {rotation_deg:7.2f}", ""]
    resid_head = "mean resid" if unit is None else f"resid-{unit}"
    if x_tilt_layout:
        lines.append(
            f" view     tilt    deltilt     mag      dmag      skew     X-tilt   {resid_head}"
        )
    else:
        lines.append(
            f" view   rotation    tilt    deltilt     mag      dmag      skew    {resid_head}"
        )
    for i in range(n_views):
        tilt = first_tilt + i * tilt_step
        if x_tilt_layout:
            lines.append(
                f"{i + 1:4d}{tilt:10.1f}{0.0:10.2f}{1.0:10.4f}{0.0:10.4f}{0.0:10.2f}{0.0:10.2f}"
                f"{residual_mean:10.2f}"
            )
        else:
            lines.append(
                f"{i + 1:4d}{rotation_deg:10.1f}{tilt:10.1f}{0.0:10.2f}{1.0:10.4f}{0.0:10.4f}"
                f"{0.0:10.2f}{residual_mean:10.2f}"
            )
    lines += ["", "                     3-D point coordinates (with centroid zero)"]
    lines.append(f"   #       X         Y         Z      obj  cont  {resid_head}")
    for i in range(n_fiducials):
        lines.append(
            f"{i + 1:4d}{10.0 * i:10.2f}{-5.0 * i:10.2f}{1.5:10.2f}{1:5d}{i + 1:5d}{0.3:12.4f}"
        )
    lines += ["", " Midpoint of Z range relative to centroid in Z:    2.53", ""]
    scope = "    (Global)" if local_areas else ""
    unit_txt = f" {unit}" if unit else ""
    lines.append(
        f" Residual error mean and sd:  {residual_mean:8.4f}{residual_sd:8.3f}{unit_txt}{scope}"
    )
    if weighted_mean is not None:
        lines.append(
            f" Residual error weighted mean:  {weighted_mean:8.3f}        {unit_txt}{scope}"
        )
    lines += [
        "",
        " SURFACE ANALYSIS:",
        "",
        " Fit of one plane to all fiducials:",
        f" # of points =    {n_fiducials}",
        " Adjusted slope =  0.0004",
        " X axis tilt needed = -0.71",
        " Total tilt angle change =         0.18",
        " Unbinned thickness needed to contain centers of all fiducials =   83",
        " Incremental unbinned shift needed to center range of fiducials in Z =  4.2",
        " Total unbinned shift needed to center range of fiducials in Z =  4.2",
        "",
    ]
    if local_areas:
        nx, ny = local_areas
        lines += [
            "Extent of fiducials is   377 and   372 pixels in X and Y",
            f"Doing {nx:2d} by {ny:2d} local areas, minimum size  258 x  254",
        ]
        for ix in range(1, nx + 1):
            for iy in range(1, ny + 1):
                lines.append(
                    f" Doing local area {ix:2d} {iy:2d}, centered on  199  180, size  258  254,  10 fiducials"
                )
                lines.append(
                    f" Residual error mean and sd:  {local_mean:8.3f}   0.200{unit_txt}    (Local area {ix:3d} {iy:3d})"
                )
        lines += [
            f" Residual error local mean:   {local_mean:8.3f}    range   0.466 to   0.492{unit_txt}",
            " Ratio of local measurements to unknowns, mean: 22.44  range 20.10 to 25.00",
        ]
    if leave_out is not None:
        lines += [
            "Running 83 searches with points left out",
            f" Global leave-out error (3313 pts): {leave_out:.4f}{unit_txt}",
        ]
    lines += ["SUCCESSFULLY COMPLETED", ""]
    return "\n".join(lines)


def tilt_com_text(
    *,
    thickness: int = 300,
    radial: tuple[float, float] | None = (0.35, 0.05),
    fake_sirt_iterations: int | None = None,
    sirt_iterations: int | None = None,
    created_version: str | None = "4.11.12",
    name: str = "ts",
) -> str:
    """A ``tilt.com`` (PIP ``Key value`` lines under ``$tilt -StandardInput``)."""
    lines = ["# Command file to run Tilt", "#"]
    if created_version:
        lines.append(f"####CreatedVersion#### {created_version}")
    lines += [
        "$tilt -StandardInput",
        f"InputProjections {name}.ali",
        f"OutputFile {name}.rec",
        "IMAGEBINNED 1",
        f"TILTFILE {name}.tlt",
        f"THICKNESS {thickness}",
    ]
    if radial is not None:
        lines.append(f"RADIAL {radial[0]} {radial[1]}")
    if fake_sirt_iterations is not None:
        lines.append(f"FakeSIRTiterations {fake_sirt_iterations}")
    if sirt_iterations is not None:
        lines.append(f"SIRTIterations {sirt_iterations}")
    lines += ["PERPENDICULAR", "MODE 2", "$if (-e ./savework) ./savework", ""]
    return "\n".join(lines)


def xcorr_pt_com_text(
    *, name: str = "ts", patch: int = 400, created_version: str = "4.11.12"
) -> str:
    """An ``xcorr_pt.com`` (patch tracking: tiltxcorr with patches, then imodchopconts)."""
    return "\n".join(
        [
            "# Command file for patch tracking",
            f"####CreatedVersion#### {created_version}",
            "$tiltxcorr -StandardInput",
            f"InputFile {name}.preali",
            f"OutputFile {name}_pt.fid",
            f"TiltFile {name}.rawtlt",
            f"SizeOfPatchesXandY {patch},{patch}",
            "OverlapOfPatchesXandY 0.33,0.33",
            "IterateCorrelations 1",
            "$imodchopconts -StandardInput",
            f"InputModel {name}_pt.fid",
            f"OutputModel {name}.fid",
            "",
        ]
    )


def tilt_log_text(
    *,
    sirt_iterations: int | None = None,
    fake_sirt_iterations: int | None = None,
    thickness: int = 300,
    nx: int = 512,
    ny: int = 512,
    angles: Sequence[float] = (-60.0, -30.0, 0.0, 30.0, 60.0),
) -> str:
    """A ``tilt.log`` (WBP by default; SIRT lines with ``sirt_iterations``)."""
    lines = [""]
    if fake_sirt_iterations is not None:
        lines += [
            "*** Entries to program tilt ***",
            "  InputProjections = ts.ali",
            f"  THICKNESS = {thickness}",
            f"  FakeSIRTiterations = {fake_sirt_iterations}",
            "*** End of entries ***",
            "",
        ]
    lines += [
        f" Number of columns, rows, sections .....    {nx}    {ny}    {len(angles)}",
        " Pixel spacing (Angstroms)..............    10.000    10.000    10.000",
        "",
        f" Thickness of reconstructed slice is  {thickness} pixels.",
        " Radial weighting function parameters IRMAX =  179  IWIDE =   25",
        " Output map is sectioned perpendicular to the tilt axis",
        f" Full aligned stack will be assumed to be {nx:5d} by {ny:5d} pixels",
        " Projection angles:",
        "",
    ]
    for i in range(0, len(angles), 8):
        lines.append("".join(f"{a:8.2f}" for a in angles[i : i + 8]))
    lines.append("")
    if sirt_iterations is not None:
        lines.append(f"  {sirt_iterations} iterations of SIRT algorithm will be done")
        for it in range(1, sirt_iterations + 1):
            lines.append(f"Iter {it:03d}, slices    1-  {ny}, diff rec mean&sd:   0.01   0.20")
    lines += [f" Reconstruction of {ny:5d} slices complete.", ""]
    return "\n".join(lines)


def batchruntomo_log_text(
    *,
    dataset: str = "ts",
    steps: Sequence[str] = ("eraser.com", "xcorr.com", "track.com", "align.com", "tilt.com"),
    residual: tuple[float, float, str] | None = (0.36, 0.457, "nm"),
    finished: bool = True,
) -> str:
    """A ``batchruntomo.log`` with finished steps and the re-printed residual line."""
    lines = [
        "Batchruntomo started on data set, Mon Jan  1 10:00:00 2024",
        f"Starting data set {dataset}",
        "Starting axis A",
    ]
    for step in steps:
        lines.append(f"Successfully finished {step}   in 00:01.5")
        if step.startswith("align") and residual is not None:
            mean, sd, unit = residual
            lines.append(f" Residual error mean and sd:  {mean:8.3f}{sd:8.3f} {unit}")
    if finished:
        lines.append("Batchruntomo finished with data set, Mon Jan  1 10:30:00 2024")
    return "\n".join(lines) + "\n"


def aln_text(
    angles: Sequence[float] = (-60.0, -30.0, 0.0, 30.0, 60.0),
    *,
    raw_size: tuple[int, int, int] | None = None,
    rot: float = 85.3,
    dark_frames: Sequence[int] = (),
    local_rows: int = 0,
) -> str:
    """An AreTomo ``.aln`` with one global row per angle."""
    nz = raw_size[2] if raw_size else len(angles) + len(dark_frames)
    nx, ny = (raw_size[0], raw_size[1]) if raw_size else (1024, 1024)
    lines = [
        "# AreTomo Alignment / Priims bprmMn ",
        f"# RawSize = {nx} {ny} {nz}",
        "# NumPatches = 0",
    ]
    for d in dark_frames:
        lines.append(f"# DarkFrame =    {d}   {d}   {-66.0 + d:8.2f}")
    lines += [
        "# AlphaOffset =     0.00",
        "# BetaOffset =     0.00",
        "# SEC     ROT         GMAG       TX          TY      SMEAN     SFIT    SCALE     BASE     TILT",
    ]
    for i, a in enumerate(angles):
        lines.append(
            f"{i:5d}{rot:10.4f}{1.0:11.5f}{1.5:11.3f}{-2.25:11.3f}{1.0:9.2f}{1.0:9.2f}{1.0:9.2f}"
            f"{0.0:9.2f}{a:10.2f}"
        )
    if local_rows:
        lines.append("# Local Alignment")
        for i in range(local_rows):
            lines.append(f"{i:4d}{0:4d}{10.0:9.2f}{20.0:9.2f}{0.5:9.2f}{0.5:9.2f}{1.0:6.1f}")
    return "\n".join(lines) + "\n"


def mdoc_text(
    angles: Sequence[float] = (0.0, 3.0, -3.0, 6.0, -6.0), *, pixel_a: float = 5.4
) -> str:
    """A SerialEM tilt-series ``.mdoc`` (LF; write with ``newline="\\r\\n"`` for CRLF)."""
    lines = [
        f"PixelSpacing = {pixel_a}",
        "ImageFile = ts.mrc",
        "ImageSize = 512 512",
        "DataMode = 1",
        "",
        "[T = SerialEM: Example microscope   01-Jan-24  10:00:00    ]",
        "",
        "[T =     Tilt axis angle = 85.3, binning = 4  spot = 8  camera = 2]",
        "",
    ]
    for i, a in enumerate(angles):
        lines += [
            f"[ZValue = {i}]",
            f"TiltAngle = {a}",
            f"PixelSpacing = {pixel_a}",
            "ExposureTime = 0.8",
            f"DateTime = 01-Jan-24  10:{i:02d}:00",
            "",
        ]
    return "\n".join(lines)


def adoc_text(*, tracking_method: int = 0, fiducialless: int = 0, use_sirt: int = 0) -> str:
    """A batchruntomo directive file."""
    return "\n".join(
        [
            "setupset.copyarg.pixel = 1.0",
            "setupset.copyarg.gold = 10",
            f"runtime.Fiducials.any.trackingMethod = {tracking_method}",
            f"runtime.Fiducials.any.fiducialless = {fiducialless}",
            f"runtime.Reconstruction.any.useSirt = {use_sirt}",
            "",
        ]
    )


def batch_directive_text(
    *,
    name: str = "ts1",
    directory: str = "/dls/b24/data/2026/cm00000-1/processed/Tomograms",
    pixel_nm: float = 10.0,
    bead_nm: int = 250,
    bead_count: int = 4,
    tilt_axis: float = 0.0,
    patch: bool = False,
    patch_size: int = 200,
    patch_overlap: float = 0.5,
    sirt: bool = False,
    wbp: bool = True,
    sirt_iterations: int = 5,
    out_bin: int = 1,
    thickness: int = 700,
    extra: Sequence[str] = (),
) -> str:
    """A ``batchDirective.adoc`` with the directives B24's automated pipeline sets.

    Modelled on what cryoem-services ``tomo_align_imod`` asks of batchruntomo (copytomocoms
    arguments, bead or patch tracking, alignment, aligned-stack binning, thickness, SIRT/WBP);
    ``extra`` lines are appended as they are (unknown keys, malformed lines).
    """
    lines = [
        f"setupset.datasetDirectory={directory}",
        f"setupset.copyarg.name={name}",
        "setupset.copyarg.stackext=mrc",
        "setupset.copyarg.userawtlt=1",
        "setupset.copyarg.dual=0",
        f"setupset.copyarg.pixel={pixel_nm}",
        f"setupset.copyarg.gold={bead_nm}",
        f"setupset.copyarg.rotation={tilt_axis}",
        "setupset.copyarg.extract=0",
        "runtime.Preprocessing.any.removeXrays=1",
    ]
    if patch:
        lines.append("comparam.prenewst.newstack.BinByFactor=2")
    lines += [
        f"runtime.Fiducials.any.trackingMethod={int(patch)}",
        "runtime.Fiducials.any.seedingMethod=1",
    ]
    if not patch:
        lines += [
            "comparam.track.beadtrack.LightBeads=0",
            "comparam.track.beadtrack.LocalAreaTracking=1",
            "runtime.BeadTracking.any.numberOfRuns=2",
            f"comparam.autofidseed.autofidseed.TargetNumberOfBeads={bead_count}",
            "comparam.autofidseed.autofidseed.TwoSurfaces=0",
        ]
    else:
        lines += [
            f"comparam.xcorr_pt.tiltxcorr.SizeOfPatchesXandY={patch_size} {patch_size}",
            f"comparam.xcorr_pt.tiltxcorr.OverlapOfPatchesXandY={patch_overlap} {patch_overlap}",
            "comparam.xcorr_pt.tiltxcorr.IterateCorrelations=1",
            "runtime.PatchTracking.any.adjustTiltAngles=1",
        ]
    lines += [
        "comparam.align.tiltalign.SurfacesToAnalyze=1",
        "comparam.align.tiltalign.LocalAlignments=0",
        "comparam.align.tiltalign.RobustFitting=1",
        "runtime.AlignedStack.any.linearInterpolation=1",
        f"runtime.AlignedStack.any.binByFactor={out_bin}",
        f"comparam.tilt.tilt.THICKNESS={thickness}",
        "comparam.tilt.tilt.LOG=",
        f"runtime.Reconstruction.any.useSirt={int(sirt)}",
        f"runtime.Reconstruction.any.doBackprojAlso={int(wbp)}",
    ]
    if sirt:
        lines.append(f"comparam.sirtsetup.sirtsetup.LeaveIterations={sirt_iterations}")
    lines += ["runtime.Trimvol.any.reorient=1", *extra]
    return "\n".join(lines) + "\n"
