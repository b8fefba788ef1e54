"""Writers of SIM reconstruction text files for tests and example datasets (our own text).

* `cudasirecon_log_text`: GPU cudasirecon stdout, following the printf table of
  shared/docs/reference/formats-logs-deposition.md §B1.
* `pysimrecon_log_text`: a PySIMRecon per-file ``<stem>_recon.log`` (§B3) around that stdout.
* `cudasirecon_config_text`, `pysimrecon_config_ini_text`: config files (§B2, §B3).
* `chromagnon_csv_text`: a Chromagnon ``.chromagnon.csv`` (§B5).
* `matrix_text`, `ecclem_xml_text`: correlation transforms (docs/correlation.md).

Every function returns text; write it with ``Path.write_text`` (``newline`` as needed).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "ChannelFit",
    "DirectionSpec",
    "chromagnon_csv_text",
    "cudasirecon_config_text",
    "cudasirecon_log_text",
    "ecclem_xml_text",
    "matrix_text",
    "pysimrecon_config_ini_text",
    "pysimrecon_log_text",
]


@dataclass(frozen=True)
class DirectionSpec:
    """Fit results printed for one direction (angle rad, length 1/µm, spacing µm)."""

    angle: float
    length: float
    best_fit_percent: float = 1.5
    amp2: float = 0.85
    amp1: float = 0.95
    corr2: float = 0.62
    corr1: float = 0.71
    warning: bool = False

    @property
    def spacing(self) -> float:
        """Line spacing printed by cudasirecon: 1 / length."""
        return 1.0 / self.length


DEFAULT_DIRECTIONS = (
    DirectionSpec(angle=-0.804300, length=2.4570),
    DirectionSpec(angle=-1.855500, length=2.4571, best_fit_percent=2.25),
    DirectionSpec(angle=0.238800, length=2.4569, best_fit_percent=0.75),
)


@dataclass(frozen=True)
class ChannelFit:
    """One channel: emission wavelength and its directions."""

    wavelength_nm: int = 525
    directions: Sequence[DirectionSpec] = field(default_factory=lambda: DEFAULT_DIRECTIONS)


def _modamp_block(angle: float, mag: float, amp: float, corr: float) -> list[str]:
    return [
        f" In getmodamp: angle={angle:f}, mag={mag:f}, amp={amp / 1.3:f}, phase=0.250000",
        f" Reverse modamp is: amp={amp * 1.2:f}, phase=0.250000",
        f" Combined modamp is: amp={amp:f}, phase=0.250000",
        f" Correlation coefficient is: {corr:f}",
    ]


def cudasirecon_log_text(
    channels: Sequence[ChannelFit] | None = None,
    *,
    nx: int = 512,
    nz: int = 9,
    dxy: float = 0.08,
    dz: float = 0.125,
    wiener: float = 0.001,
    ntimes: int = 1,
) -> str:
    """The stdout of one cudasirecon run over ``channels`` (waves) and ``ntimes`` time points."""
    channels = list(channels) if channels is not None else [ChannelFit()]
    ndirs = len(channels[0].directions)
    out = [
        f"nphases=5, ndirs={ndirs}",
        "zoomz: 1",
        f"wiener={wiener:f}",
        "gamma = 0.400000",
        f"nx_raw={nx}, ny={nx}, nz={nz * ndirs * 5}",
        f"nx={nx}, ny={nx}, nz={nz}, nz0 = {nz}, nwaves={len(channels)}",
        f"dxy={dxy:f}, dz={dz:f} um",
        f"nphases=5, norders=3, ndirs={ndirs}",
        "nzotf=65, dkzotf=0.061538, nxotf=65, nyotf=1, dkrotf=0.060096",
    ]
    for t in range(ntimes):
        for w, ch in enumerate(channels):
            for d, spec in enumerate(ch.directions):
                px = spec.length * nx * dxy
                kx, ky = px * math.cos(spec.angle), px * math.sin(spec.angle)
                out.append(f"k0guess[direction {d}] = ({kx * 0.99:f}, {ky * 0.99:f}) pixels")
                out.append(
                    f"Initial guess by findk0() of k0[direction {d}] = ({kx:f},{ky:f}) pixels"
                )
                out.append("before fitk0andmodamp")
                for step in range(3):
                    out.append(
                        f" In getmodamp: angle={spec.angle + 0.001 * step:f}, "
                        f"mag={spec.length:f}, amp=0.500000, phase=0.100000"
                    )
                out.append("Optimum modulation amplitude:")
                out.extend(_modamp_block(spec.angle, spec.length, spec.amp2, spec.corr2))
                out.append(
                    f"Optimum k0 angle={spec.angle:f}, length={spec.length:f}, "
                    f"spacing={spec.spacing:f} um"
                )
                out.extend(_modamp_block(spec.angle, spec.length, spec.amp1, spec.corr1))
                prefix = "WARNING: " if spec.warning else ""
                out.append(
                    f"{prefix}best fit for k0 is {spec.best_fit_percent:.3f}% from expected value."
                )
                out.append("")
            out.append(f"Time point {t}, wave {w} done")
    return "\n".join(out) + "\n"


def cudasirecon_config_text(
    *,
    k0angles: Sequence[float] = (-0.804300, -1.8555, 0.238800),
    ls: float = 0.2035,
    na: float = 1.42,
    nimm: float = 1.515,
    wavelength: int | None = None,
    otf_file: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> str:
    """A cudasirecon ``key=value`` config."""
    lines = [
        f"nimm={nimm:g}",
        "background=0",
        "wiener=0.001",
        "k0angles=" + ",".join(f"{a:f}" for a in k0angles),
        f"ls={ls:g}",
        f"ndirs={len(k0angles)}",
        "nphases=5",
        f"na={na:g}",
        "otfRA=1",
        "dampenOrder0=1",
    ]
    if wavelength is not None:
        lines.append(f"wavelength={wavelength}")
    if otf_file is not None:
        lines.append(f"otf-file={otf_file}")
    for key, value in (extra or {}).items():
        lines.append(f"{key}={value}")
    return "\n".join(lines) + "\n"


def pysimrecon_log_text(
    channels: Sequence[ChannelFit] | None = None,
    *,
    input_path: str = "/dls/b24/data/2024/cm12345-1/cell1.dv",
    outputs: Sequence[str] = ("/dls/b24/data/2024/cm12345-1/processed/cell1_recon.dv",),
    otf_dir: str = "/dls/b24/otfs",
) -> str:
    """A PySIMRecon per-file log with one block per channel."""
    channels = list(channels) if channels is not None else [ChannelFit(525), ChannelFit(605)]
    out = ["Reconstruction log for:", input_path, "Output:", *outputs]
    for ch in channels:
        config = cudasirecon_config_text(
            k0angles=[d.angle for d in ch.directions],
            na=0.9,
            nimm=1.0,
            wavelength=ch.wavelength_nm,
            otf_file=f"{otf_dir}/{ch.wavelength_nm}_OTF.tiff",
        ).strip()
        out += [f"Channel {ch.wavelength_nm}", "Config used:", config, "-" * 80]
        out.append("The text below is the output from cudasirecon")
        out.append(cudasirecon_log_text([ch]).rstrip("\n"))
    return "\n".join(out) + "\n"


def pysimrecon_config_ini_text(
    channels: Mapping[int, tuple[str, str]] | None = None,
    *,
    directory: str = "/dls/b24/configs",
) -> str:
    """A PySIMRecon root ``config.ini``: ``{emission nm: (channel cfg, otf path)}``."""
    channels = channels or {
        525: ("525.cfg", "/dls/b24/otfs/525_OTF.tiff"),
        605: ("605.cfg", "/dls/b24/otfs/605_OTF.tiff"),
    }
    lines = ["[configs]", f"directory={directory}", "defaults=defaults.cfg"]
    lines += [f"{nm}={cfg}" for nm, (cfg, _) in channels.items()]
    lines += ["", "[otfs]"]
    lines += [f"{nm}={otf}" for nm, (_, otf) in channels.items()]
    return "\n".join(lines) + "\n"


def chromagnon_csv_text(
    rows: Sequence[Sequence[float]] | None = None,
    *,
    refwave: int = 0,
    nt: int = 1,
    pixel_size_zyx: Sequence[float] = (0.125, 0.08, 0.08),
) -> str:
    """A Chromagnon CSV; ``rows`` are ``(wavelength, tz, ty, tx, rz, mz, my, mx)`` (t = 0)."""
    rows = rows or [
        (525, 0, 0, 0, 0, 1, 1, 1),
        (605, 0.12, -0.35, 0.8, 0.05, 1.0, 1.0012, 0.9991),
        (683, -0.4, 1.1, -0.25, -0.12, 1.0, 0.9985, 1.0007),
    ]
    lines = [
        f"nt,{nt}",
        f"nw,{len(rows) // max(nt, 1)}",
        "pxlsize_z_y_x," + ",".join(f"{p:g}" for p in pixel_size_zyx),
        f"refwave,{refwave}",
        "t,wavelength,tz,ty,tx,rz,mz,my,mx",
    ]
    for i, row in enumerate(rows):
        t = i // max(len(rows) // max(nt, 1), 1)
        lines.append(",".join([str(t), *(f"{v:g}" for v in row)]))
    return "\r\n".join(lines) + "\r\n"


def matrix_text(matrix: Sequence[Sequence[float]], *, sep: str = " ", comment: str = "") -> str:
    """A plain-text matrix, one row per line, with an optional ``#`` comment line first."""
    lines = [f"# {comment}"] if comment else []
    lines += [sep.join(f"{v:g}" for v in row) for row in matrix]
    return "\n".join(lines) + "\n"


def ecclem_xml_text(matrices: Sequence[Sequence[Sequence[float]]], *, seq: str = "SXT") -> str:
    """A legacy eC-CLEM ``_transfo.xml`` with one ``MatrixTransformation`` per matrix."""
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>', "<root>", f"<{seq}>"]
    out.append('<TargetSize width="1024" height="1024" sx="0.01" sy="0.01" sz="0.01"/>')
    for order, m in enumerate(matrices):
        attrs = " ".join(f'm{r}{c}="{m[r][c]!r}"' for r in range(4) for c in range(4))
        out.append(f'<MatrixTransformation order="{order}" {attrs} process_date="Mon Jan 1"/>')
    out += [f"</{seq}>", "</root>"]
    return "\n".join(out) + "\n"
