"""Cross-file consistency checks of one dataset (findings; no value is changed).

Each check compares what two files say about the same thing, beyond the tolerance of
`clxm_meta.normalise.build.values_agree`:

- ``consistency.sim_pixel_size``: raw DV pixel size vs reconstruction voxel size × zoom
  (zoom from the reconstruction log when it says, else it must be a whole number);
- ``consistency.sim_channels``: number (and wavelengths) of channels in the raw stack vs the
  reconstruction;
- ``consistency.tilt_angles``: tilt-series angles (TXRM/TIFF/MRC) vs the ``.rawtlt`` file;
- ``consistency.frames_vs_angles``: number of images vs number of angles;
- ``consistency.tomogram_pixel_size``: tomogram voxel size vs tilt-series pixel size × binning
  (binning from the IMOD files when they say, else it must be a whole number);
- ``consistency.converted_stack``: the tilt series converted to MRC (txrm2tiff + tif2mrc) vs the
  raw tilt series: the same number and size of images.

Values are taken from the candidates the normalisers produced (which carry units and sources), and
from a few format-model attributes read defensively (angle lists, zoom, binning).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from clxm_meta.findings import Finding, Severity
from clxm_meta.normalise.build import _plain
from clxm_meta.normalise.candidate import Candidate
from clxm_meta.readers.base import FormatModel

__all__ = ["REL_TOLERANCE", "FileInput", "check_consistency"]

REL_TOLERANCE = 0.01
"""Relative tolerance (1 %) for sizes compared across files."""

ANGLE_TOLERANCE_DEG = 0.05
"""Absolute tolerance for tilt angles compared across files."""


@dataclass
class FileInput:
    """One file of a dataset as the normaliser sees it (the model, never the file)."""

    path: str
    role: str
    model: FormatModel | None
    candidates: list[Candidate] = field(default_factory=list)

    def cand(self, *fields: str) -> Candidate | None:
        """The first candidate of this file for any of ``fields`` (in that order)."""
        for f in fields:
            for c in self.candidates:
                if c.field == f:
                    return c
        return None


_UNIT_TO_UM = {"µm": 1.0, "um": 1.0, "nm": 1e-3, "Å": 1e-4, "A": 1e-4, "mm": 1e3, "m": 1e6}


def _xyz_um(c: Candidate | None) -> tuple[float | None, float | None, float | None] | None:
    if c is None:
        return None
    v = _plain(c.value)
    scale = _UNIT_TO_UM.get(c.unit or "µm", 1.0)
    if isinstance(v, dict):
        return tuple(  # type: ignore[return-value]
            (float(v[k]) * scale if isinstance(v.get(k), int | float) else None) for k in "xyz"
        )
    if isinstance(v, int | float):
        return (float(v) * scale, float(v) * scale, None)
    return None


def _num_attr(model: FormatModel | None, names: Sequence[str]) -> tuple[float, str] | None:
    if model is None:
        return None
    for name in names:
        obj: Any = model
        for part in name.split("."):
            obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
            if obj is None:
                break
        obj = getattr(obj, "value", obj)  # a parameter object with a numeric .value
        if isinstance(obj, int | float) and not isinstance(obj, bool):
            return float(obj), name
    return None


def _com_param(model: FormatModel | None, program: str, key: str) -> tuple[float, str] | None:
    getter = getattr(model, "param", None)
    if not callable(getter):
        return None
    try:
        par = getter(program, key)
    except Exception:  # a reader's helper must not stop the checks
        return None
    text = getattr(par, "value", None)
    try:
        return (float(str(text).split()[0]), f"{program} {key}") if text is not None else None
    except ValueError:
        return None


def _angles(model: FormatModel | None) -> tuple[list[float], str] | None:
    if model is None:
        return None
    for name in ("angles_deg", "tilt_angles_deg", "angles", "tilt_angles"):
        val = getattr(model, name, None)
        if (
            isinstance(val, list | tuple)
            and val
            and all(
                a is None or (isinstance(a, int | float) and not isinstance(a, bool)) for a in val
            )
        ):
            return [float("nan") if a is None else float(a) for a in val], name
    return None


def _finding(code: str, message: str, path: str | None, fld: str | None) -> Finding:
    return Finding.make(f"consistency.{code}", Severity.WARNING, message, path=path, field=fld)


def _close(a: float, b: float, rel: float = REL_TOLERANCE) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)


def _by_role(files: Sequence[FileInput], *roles: str) -> list[FileInput]:
    return [f for f in files if f.role in roles]


def _sim_pixel(files: Sequence[FileInput]) -> list[Finding]:
    out: list[Finding] = []
    raws = _by_role(files, "sim_raw")
    recons = _by_role(files, "sim_reconstruction")
    logs = _by_role(files, "sim_log")
    zoom = next(
        (
            z
            for f in logs
            if (
                z := _num_attr(
                    f.model,
                    ("zoomfact", "zoom", "zoom_factor", "parameters.zoomfact", "parameters.zoom"),
                )
            )
        ),
        None,
    )
    zzoom = next(
        (z for f in logs if (z := _num_attr(f.model, ("zzoom", "z_zoom", "parameters.zzoom")))),
        None,
    )
    for raw in raws:
        rp = _xyz_um(raw.cand("setup.pixel_size"))
        if rp is None or rp[0] is None:
            continue
        for rec in recons:
            vp = _xyz_um(rec.cand("processed.voxel_size", "setup.pixel_size"))
            if vp is None or vp[0] is None:
                continue
            ratio = rp[0] / vp[0]
            if zoom is not None:
                if not _close(ratio, zoom[0]):
                    out.append(
                        _finding(
                            "sim_pixel_size",
                            f"raw pixel size {rp[0]:.6g} µm / reconstruction voxel size "
                            f"{vp[0]:.6g} µm = {ratio:.4g}, but the log's {zoom[1]} is "
                            f"{zoom[0]:g}",
                            rec.path,
                            "processed.voxel_size",
                        )
                    )
            elif not _close(ratio, round(ratio)) or round(ratio) < 1:
                out.append(
                    _finding(
                        "sim_pixel_size",
                        f"raw pixel size {rp[0]:.6g} µm ({raw.path}) / reconstruction voxel size "
                        f"{vp[0]:.6g} µm = {ratio:.4g}: not a whole zoom factor",
                        rec.path,
                        "processed.voxel_size",
                    )
                )
            if rp[2] is not None and vp[2] is not None:
                zr = rp[2] / vp[2]
                expected = zzoom[0] if zzoom is not None else 1.0
                if not _close(zr, expected):
                    out.append(
                        _finding(
                            "sim_pixel_size",
                            f"raw Z step {rp[2]:.6g} µm / reconstruction Z voxel {vp[2]:.6g} µm "
                            f"= {zr:.4g}, expected {expected:g} (z zoom)",
                            rec.path,
                            "processed.voxel_size",
                        )
                    )
    return out


def _n_channels(f: FileInput, *dims_fields: str) -> int | None:
    c = f.cand("acquisition.n_excitation_wavelengths")
    if c is not None and isinstance(c.value, int):
        return c.value
    d = f.cand(*dims_fields)
    if d is not None:
        v = _plain(d.value)
        if isinstance(v, dict) and isinstance(v.get("c"), int):
            return int(v["c"])
    return None


def _wavelengths(f: FileInput) -> list[float] | None:
    c = f.cand("setup.emission_filters", "setup.lasers")
    v = _plain(c.value) if c is not None else None
    if isinstance(v, list) and v and all(isinstance(x, int | float) for x in v):
        return [float(x) for x in v]
    return None


def _sim_channels(files: Sequence[FileInput]) -> list[Finding]:
    out: list[Finding] = []
    for raw in _by_role(files, "sim_raw"):
        n_raw = _n_channels(raw, "raw.dimensions")
        w_raw = _wavelengths(raw)
        for rec in _by_role(files, "sim_reconstruction"):
            n_rec = _n_channels(rec, "processed.dimensions", "raw.dimensions")
            if n_raw is not None and n_rec is not None and n_raw != n_rec:
                out.append(
                    _finding(
                        "sim_channels",
                        f"raw stack has {n_raw} channel(s) ({raw.path}), the reconstruction "
                        f"{n_rec}",
                        rec.path,
                        "acquisition.n_excitation_wavelengths",
                    )
                )
                continue
            w_rec = _wavelengths(rec)
            if (
                w_raw is not None
                and w_rec is not None
                and (
                    len(w_raw) != len(w_rec)
                    or any(
                        abs(a - b) > 1.0 for a, b in zip(sorted(w_raw), sorted(w_rec), strict=True)
                    )
                )
            ):
                out.append(
                    _finding(
                        "sim_channels",
                        f"channel wavelengths differ: raw {w_raw} nm, reconstruction {w_rec} nm",
                        rec.path,
                        "setup.emission_filters",
                    )
                )
    return out


def _series_angles(f: FileInput) -> tuple[list[float], str] | None:
    return _angles(f.model)


def _tilt(files: Sequence[FileInput]) -> list[Finding]:
    out: list[Finding] = []
    series = _by_role(files, "tilt_series")
    rawtlts = [f for f in _by_role(files, "imod") if f.path.lower().endswith(".rawtlt")]
    for ts in series:
        ts_angles = _series_angles(ts)
        n_frames_c = ts.cand("acquisition.n_frames")
        n_frames = (
            n_frames_c.value
            if n_frames_c is not None and isinstance(n_frames_c.value, int)
            else None
        )
        if n_frames is not None and ts_angles is not None and len(ts_angles[0]) != n_frames:
            out.append(
                _finding(
                    "frames_vs_angles",
                    f"{n_frames} images but {len(ts_angles[0])} angles in the same file",
                    ts.path,
                    "acquisition.n_frames",
                )
            )
        for tlt in rawtlts:
            t_angles = _angles(tlt.model)
            if t_angles is None:
                continue
            a = t_angles[0]
            if n_frames is not None and len(a) != n_frames:
                out.append(
                    _finding(
                        "frames_vs_angles",
                        f"the tilt series has {n_frames} images, {tlt.path} lists {len(a)} angles",
                        tlt.path,
                        "acquisition.n_frames",
                    )
                )
            if ts_angles is None:
                continue
            b = ts_angles[0]
            if len(a) != len(b):
                if n_frames is None:
                    out.append(
                        _finding(
                            "tilt_angles",
                            f"{ts.path} has {len(b)} angles, {tlt.path} {len(a)}",
                            tlt.path,
                            "acquisition.tilt_range",
                        )
                    )
                continue
            diffs = [abs(x - y) for x, y in zip(a, b, strict=True) if not math.isnan(x - y)]
            worst = max(diffs, default=0.0)
            if worst > ANGLE_TOLERANCE_DEG:
                i = max(
                    range(len(a)),
                    key=lambda k: 0.0 if math.isnan(a[k] - b[k]) else abs(a[k] - b[k]),
                )
                out.append(
                    _finding(
                        "tilt_angles",
                        f"angle {i + 1} is {b[i]:g}° in {ts.path} and {a[i]:g}° in {tlt.path} "
                        f"(largest difference {worst:.3g}°)",
                        tlt.path,
                        "acquisition.tilt_range",
                    )
                )
    return out


def _tomogram(files: Sequence[FileInput]) -> list[Finding]:
    out: list[Finding] = []
    binning = next(
        (
            b
            for f in _by_role(files, "imod")
            if (
                b := _com_param(f.model, "tilt", "IMAGEBINNED")
                or _num_attr(f.model, ("image_binned", "imagebinned", "bin_by_factor"))
            )
        ),
        None,
    )
    for ts in _by_role(files, "tilt_series"):
        tp = _xyz_um(ts.cand("setup.pixel_size"))
        if tp is None or tp[0] is None:
            continue
        for tomo in _by_role(files, "tomogram"):
            vp = _xyz_um(tomo.cand("setup.pixel_size", "processed.voxel_size"))
            if vp is None or vp[0] is None:
                attr = _num_attr(tomo.model, ("voxel_size_um", "pixel_size_um"))
                vp = (attr[0], None, None) if attr else None
            if vp is None or vp[0] is None:
                continue
            ratio = vp[0] / tp[0]
            if binning is not None:
                ok = _close(ratio, binning[0])
                why = f"binning {binning[0]:g} from the IMOD files"
            else:
                ok = _close(ratio, round(ratio)) and round(ratio) >= 1
                why = "a whole binning factor"
            if not ok:
                out.append(
                    _finding(
                        "tomogram_pixel_size",
                        f"tomogram voxel size {vp[0]:.6g} µm / tilt-series pixel size "
                        f"{tp[0]:.6g} µm ({ts.path}) = {ratio:.4g}; expected {why}",
                        tomo.path,
                        "setup.pixel_size",
                    )
                )
    return out


def _converted(files: Sequence[FileInput]) -> list[Finding]:
    """The tilt series converted to MRC must hold as many images, of the same size, as the raw."""
    out: list[Finding] = []
    for ts in _by_role(files, "tilt_series"):
        dims = ts.cand("raw.dimensions")
        value = _plain(dims.value) if dims is not None else None
        if not isinstance(value, dict):
            continue
        raw = (value.get("x"), value.get("y"), value.get("z"))
        for stack in _by_role(files, "converted_stack"):
            header = getattr(stack.model, "header", None)
            got = tuple(getattr(header, k, None) for k in ("nx", "ny", "nz"))
            if None in got or None in raw or got == raw:
                continue
            out.append(
                _finding(
                    "converted_stack",
                    f"{stack.path} holds {got[2]} images of {got[0]} × {got[1]} but the tilt "
                    f"series {ts.path} has {raw[2]} of {raw[0]} × {raw[1]}: not a whole "
                    "conversion of it (an unfinished or failed conversion, or another series)",
                    stack.path,
                    "raw.dimensions",
                )
            )
    return out


def check_consistency(files: Sequence[FileInput]) -> list[Finding]:
    """Run every cross-file check over the files of one dataset."""
    return [
        *_sim_pixel(files),
        *_sim_channels(files),
        *_tilt(files),
        *_tomogram(files),
        *_converted(files),
    ]
