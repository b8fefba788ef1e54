"""SIM reconstruction logs/configs → SIM Table 1 candidates (never opens a file).

Rows (all `Precedence.LOG`, locators are log line numbers):

* ``processing.software``: sirecon / cudasirecon / PySIMRecon (version only if the file states it).
* ``processing.otf_files``: OTF paths named by the log or config, as `AttachedFile` (path only).
* ``processing.per_channel``: per channel, per direction: best fit (percent off expected),
  optimised k0 angle (rad) and length (1/µm), calculated line spacing (µm), combined modulation
  amplitude and correlation coefficient of orders 1 and 2. One entry per channel: the first time
  point of each channel (an info finding when the log has more).
* ``acquisition.diffraction_angle``: optimised k0 angles of the first channel (rad, as printed), or
  a config's ``k0angles`` (the expected angles, at a lower precedence than fitted ones).
* ``acquisition.linewidth_per_k0``: calculated line spacing per direction per channel (µm).
* A PySIMRecon config (``[otf config]``/``[recon config]``, ``[configs]``/``[otfs]``):
  ``processing.software`` PySIMRecon and ``setup.objective`` NA and immersion index, as settings
  (`Precedence.DERIVED`).
"""

from __future__ import annotations

from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.readers.simrecon.model import DirectionFit, ReconRun, SimreconModel
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import (
    AttachedFile,
    LineSpacing,
    Objective,
    SimChannelProcessing,
    SimDirection,
    Software,
)

__all__ = ["candidates"]

READER = "simrecon"
SIM = DatasetKind.SIM


def _lines(values: list[int | None]) -> str:
    return ", ".join(str(v) for v in values if v is not None) or "—"


def _first_per_channel(runs: list[ReconRun]) -> list[ReconRun]:
    seen: set[str] = set()
    out: list[ReconRun] = []
    for run in runs:
        key = run.channel if run.channel is not None else f"run {run.index}"
        if key in seen or not run.directions:
            continue
        seen.add(key)
        out.append(run)
    return out


def _direction(d: DirectionFit) -> SimDirection:
    by_order = {f.order: f for f in d.fits if f.order is not None}
    o1, o2 = by_order.get(1), by_order.get(2)
    return SimDirection(
        direction=d.direction,
        k0_angle_rad=d.k0_angle_rad,
        k0_length_per_um=d.k0_length_per_um,
        line_spacing_um=d.line_spacing_um,
        best_fit_percent=d.best_fit_percent,
        amplitude_order1=o1.combined_amp if o1 else None,
        amplitude_order2=o2.combined_amp if o2 else None,
        correlation_order1=o1.correlation if o1 else None,
        correlation_order2=o2.correlation if o2 else None,
    )


def _run_locator(runs: list[ReconRun]) -> str:
    parts = []
    for run in runs:
        dirs = run.directions
        fits = [f.combined_line for d in dirs for f in d.fits]
        label = run.channel or f"run {run.index}"
        parts.append(
            f"{label}: lines {run.start_line}-{run.end_line}; Optimum k0 at "
            f"{_lines([d.k0_line for d in dirs])}; best fit at "
            f"{_lines([d.best_fit_line for d in dirs])}; combined modamp at {_lines(fits)}"
        )
        if run.wavelength_source:
            parts[-1] += f"; wavelength from {run.wavelength_source}"
    return " | ".join(parts)


def _software(model: SimreconModel) -> list[Candidate]:
    if model.software is None or model.kind in ("config", "pysimrecon_config", "softworx_log"):
        return []
    locator = f"line {model.software_line}" if model.software_line else "log content"
    transform = {
        "sirecon": "CPU sirecon stdout dialect ('1/micron', 'percent off expected')",
        "cudasirecon": "cudasirecon stdout dialect ('pixels', '% from expected')",
        "PySIMRecon": "PySIMRecon per-file log layout (runs cudasirecon)",
    }.get(model.software)
    return [
        Candidate(
            field="processing.software",
            kind=SIM,
            value=Software(name=model.software, version=model.version),
            source=Source.file(model.path, READER, locator, transform),
            precedence=Precedence.LOG,
        )
    ]


def _otfs(model: SimreconModel) -> list[Candidate]:
    if not model.otf_files:
        return []
    files = [
        AttachedFile(
            path=o.path,
            role="OTF",
            summary={"channel": o.channel} if o.channel is not None else {},
        )
        for o in model.otf_files
    ]
    locator = "lines " + _lines([o.line for o in model.otf_files])
    return [
        Candidate(
            field="processing.otf_files",
            kind=SIM,
            value=files,
            source=Source.file(model.path, READER, locator, "path as written; file not opened"),
            precedence=Precedence.LOG,
        )
    ]


_SETTINGS = {
    "wiener": "wiener",
    "zoomfact": "zoom_xy",
    "zzoom": "zoom_z",
    "zoomz": "zoom_z",
    "na": "na",
    "nimm": "immersion_index",
}
"""Run parameters (the config the reconstruction used, or what it printed) → per-channel fields."""


def _settings(run: ReconRun) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, name in _SETTINGS.items():
        param = run.parameters.get(key)
        if param is not None and name not in out and 0 < param.value < 1e6:
            out[name] = param.value
    return out


def _fits(model: SimreconModel) -> list[Candidate]:
    runs = _first_per_channel(model.runs)
    if not runs:
        return []
    out: list[Candidate] = []
    per_channel = [
        SimChannelProcessing(
            channel=run.channel,
            wavelength_nm=run.wavelength_nm,
            directions=[_direction(d) for d in run.directions],
            **_settings(run),
        )
        for run in runs
    ]
    settings_lines = sorted(
        {p.line for run in runs for k, p in run.parameters.items() if k in _SETTINGS}
    )
    out.append(
        Candidate(
            field="processing.per_channel",
            kind=SIM,
            value=per_channel,
            source=Source.file(
                model.path,
                READER,
                _run_locator(runs)
                + (f"; settings at lines {_lines(list(settings_lines))}" if settings_lines else ""),
                "amplitudes are the 'Combined modamp' values; best fit in percent off expected k0"
                + (
                    "; settings (wiener, zoom, NA, immersion index) as the run used them"
                    if settings_lines
                    else ""
                ),
            ),
            precedence=Precedence.LOG,
        )
    )
    first = runs[0]
    angles = [d.k0_angle_rad for d in first.directions]
    if angles and all(a is not None for a in angles):
        out.append(
            Candidate(
                field="acquisition.diffraction_angle",
                kind=SIM,
                value=[a for a in angles if a is not None],
                unit="rad",
                source=Source.file(
                    model.path,
                    READER,
                    "Optimum k0 angle, lines " + _lines([d.k0_line for d in first.directions]),
                    f"optimised k0 angles of {first.channel or 'the first channel'}, as printed",
                ),
                precedence=Precedence.LOG,
            )
        )
    spacings = [
        LineSpacing(
            channel=run.channel,
            wavelength_nm=run.wavelength_nm,
            direction=d.direction,
            spacing_um=d.line_spacing_um,
        )
        for run in runs
        for d in run.directions
        if d.line_spacing_um is not None
    ]
    if spacings:
        lines = [d.k0_line for run in runs for d in run.directions]
        out.append(
            Candidate(
                field="acquisition.linewidth_per_k0",
                kind=SIM,
                value=spacings,
                unit="µm",
                source=Source.file(
                    model.path,
                    READER,
                    "Optimum k0 ... spacing, lines " + _lines(lines),
                    "calculated line spacing per direction, as printed",
                ),
                precedence=Precedence.LOG,
            )
        )
    return out


def _config_angles(model: SimreconModel) -> list[Candidate]:
    if model.k0angles_rad is None or model.runs:
        return []
    return [
        Candidate(
            field="acquisition.diffraction_angle",
            kind=SIM,
            value=list(model.k0angles_rad),
            unit="rad",
            source=Source.file(
                model.path,
                READER,
                f"line {model.k0angles_line}: k0angles",
                "expected k0 angles set in the config (not the fitted ones)",
            ),
            # Below the log's fitted angles whatever the file order: the fitted angles are what
            # processing.per_channel reports; a difference still shows as a disagreement finding.
            precedence=Precedence.DERIVED,
        )
    ]


_PYSIMRECON_SECTIONS = frozenset({"otf config", "recon config", "configs", "otfs"})


def _pysimrecon_config(model: SimreconModel) -> list[Candidate]:
    """The rows of a PySIMRecon config: software, and the objective's NA and immersion index.

    A PySIMRecon config has ``[otf config]``/``[recon config]`` or ``[configs]``/``[otfs]``.
    Settings, not a record of a run: `Precedence.DERIVED`, below a log and a raw header.
    """
    if model.kind not in ("config", "pysimrecon_config") or model.runs:
        return []
    sections = {(e.section or "").lower() for e in model.config}
    if not sections & _PYSIMRECON_SECTIONS:
        return []
    first = min((e.line for e in model.config if (e.section or "").lower() in sections), default=1)
    out = [
        Candidate(
            field="processing.software",
            kind=SIM,
            value=Software(name="PySIMRecon"),
            source=Source.file(
                model.path,
                READER,
                f"line {first}: INI sections {', '.join(sorted(sections & _PYSIMRECON_SECTIONS))}",
                "PySIMRecon config layout (it runs cudasirecon); no version in the file",
            ),
            precedence=Precedence.DERIVED,
        )
    ]
    na, nimm = model.parameters.get("na"), model.parameters.get("nimm")
    if na is not None and 0 < na.value < 2:
        lines: list[int | None] = [na.line]
        if nimm is not None:
            lines.append(nimm.line)
        out.append(
            Candidate(
                field="setup.objective",
                kind=SIM,
                value=Objective(
                    na=na.value,
                    immersion=(
                        f"refractive index {nimm.value:g}"
                        if nimm is not None and 1 <= nimm.value < 2
                        else None
                    ),
                ),
                source=Source.file(
                    model.path,
                    READER,
                    "lines " + _lines(sorted(lines, key=lambda n: n or 0)),
                    "na (and nimm) given to the reconstruction ([recon config] over [otf config])",
                ),
                precedence=Precedence.DERIVED,
            )
        )
    return out


def candidates(model: SimreconModel) -> list[Candidate]:
    """Table 1 candidates of one SIM reconstruction log or config."""
    return [
        *_software(model),
        *_otfs(model),
        *_fits(model),
        *_config_angles(model),
        *_pysimrecon_config(model),
    ]
