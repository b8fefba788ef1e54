"""Alignment and reconstruction protocol from the evidence in one IMOD/AreTomo file.

Decision table: formats-logs-deposition.md §A3 (alignment) and §A4 (reconstruction). One file gives
partial evidence; `evidence` lists what a model shows, `decide` picks per aspect, preferring what a
log proves ran (``settled``) over a setting or a command file that may not have run.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from clxm_meta.readers.imod.align_log_model import AlignLog
from clxm_meta.readers.imod.aretomo import AreTomoAln
from clxm_meta.readers.imod.batchruntomo import BatchruntomoAdoc, BatchruntomoLog
from clxm_meta.readers.imod.comfile import ComFile, ComParam
from clxm_meta.readers.imod.edf import Edf
from clxm_meta.readers.imod.model import ImodFile
from clxm_meta.readers.imod.text import to_float
from clxm_meta.readers.imod.tilt_log import TiltLog

__all__ = ["Evidence", "decide", "evidence"]

Aspect = Literal["alignment", "reconstruction"]

TRACKING_METHODS = {"0": "fiducial", "1": "patch tracking", "2": "RAPTOR"}
"""batchruntomo ``runtime.Fiducials.any.trackingMethod`` codes."""

EDF_TRACK_METHODS = {"seed": "fiducial", "patchtracking": "patch tracking", "raptor": "RAPTOR"}
"""etomo ``Setup.Track.A.TrackMethod`` values."""


class Evidence(BaseModel):
    """One piece of evidence for one aspect of the protocol.

    Attributes
    ----------
    aspect
        ``alignment`` or ``reconstruction``.
    value
        ``fiducial``, ``patch tracking``, ``fiducialless``, ``RAPTOR``, ``AreTomo`` (alignment);
        ``WBP``, ``SIRT``, ``SIRT-like filter`` (reconstruction).
    iterations
        SIRT (or fake-SIRT) iterations, when stated.
    locator
        Where in the file (``line 12: ...``, ``key Setup.Track.A.TrackMethod (line 40)``).
    reason
        Why this is evidence, in words.
    settled
        True when the file shows the step ran (a log); False for settings and command files.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    aspect: Aspect
    value: str
    iterations: int | None = None
    locator: str
    reason: str
    settled: bool


def evidence(model: ImodFile) -> list[Evidence]:
    """Every piece of protocol evidence in one model (empty when it has none)."""
    if isinstance(model, AlignLog):
        return _align_log(model)
    if isinstance(model, ComFile):
        return _com(model)
    if isinstance(model, TiltLog):
        return _tilt_log(model)
    if isinstance(model, Edf):
        return _edf(model)
    if isinstance(model, BatchruntomoAdoc):
        return _adoc(model)
    if isinstance(model, BatchruntomoLog):
        return _batch_log(model)
    if isinstance(model, AreTomoAln):
        title = model.title
        if title is None and not model.rows:
            return []  # an empty .aln holds no evidence of AreTomo
        return [
            Evidence(
                aspect="alignment",
                value="AreTomo",
                locator=f"line {title.line}: {title.text}" if title else "AreTomo .aln rows",
                reason="an AreTomo alignment file (marker-free alignment by AreTomo)",
                settled=True,
            )
        ]
    return []


def decide(items: list[Evidence], aspect: Aspect) -> Evidence | None:
    """The evidence that decides ``aspect``: the first settled one, else the first one."""
    mine = [e for e in items if e.aspect == aspect]
    settled = [e for e in mine if e.settled]
    chosen = settled or mine
    return chosen[0] if chosen else None


def _align_log(model: AlignLog) -> list[Evidence]:
    note = model.non_patch_model_note
    if note is None:
        return []
    return [
        Evidence(
            aspect="alignment",
            value="fiducial",
            locator=f"line {note.line}: {note.text}",
            reason="tiltalign says the fiducial model is not a patch-tracking model",
            settled=True,
        )
    ]


def _int(text: str) -> int | None:
    value = to_float(text.split()[0]) if text.split() else None
    return int(value) if value is not None and value == int(value) else None


def _ints(text: str) -> list[int]:
    """Whole numbers of a list value (``"5"``, ``"10,15,20"``, ``"10 15"``); others dropped."""
    out = []
    for part in text.replace(",", " ").split()[:100]:
        value = to_float(part)
        if value is not None and value == int(value) and 0 < value < 1e6:
            out.append(int(value))
    return out


def _com(model: ComFile) -> list[Evidence]:
    out: list[Evidence] = []
    name = model.com_name or ""
    xcorr = model.command("tiltxcorr")
    if xcorr is not None:
        patches = xcorr.get("SizeOfPatchesXandY")
        output = xcorr.get("OutputFile")
        if (
            patches is not None
            or name == "xcorr_pt"
            or (output is not None and output.value.endswith("_pt.fid"))
        ):
            where = patches or output
            loc = f"line {where.line}: {where.key} {where.value}" if where else f"line {xcorr.line}"
            out.append(
                Evidence(
                    aspect="alignment",
                    value="patch tracking",
                    locator=loc,
                    reason="tiltxcorr set up for patch tracking",
                    settled=False,
                )
            )
    track = model.command("beadtrack")
    if track is not None:
        out.append(
            Evidence(
                aspect="alignment",
                value="fiducial",
                locator=f"line {track.line}: ${track.program}",
                reason="beadtrack command file (fiducial seed and track)",
                settled=False,
            )
        )
    sirt = model.command("sirtsetup")
    if sirt is not None or name == "tilt_for_sirt":
        line = sirt.line if sirt is not None else 1
        out.append(
            Evidence(
                aspect="reconstruction",
                value="SIRT",
                locator=f"line {line}",
                reason=f"{name or 'sirtsetup'} command file (etomo SIRT)",
                settled=False,
            )
        )
    tilt = model.command("tilt")
    if tilt is not None:
        out.extend(
            _tilt_params(
                tilt.get("FakeSIRTiterations"), tilt.get("SIRTIterations"), tilt.get("RADIAL")
            )
        )
    return out


def _tilt_params(
    fake: ComParam | None, sirt: ComParam | None, radial: ComParam | None
) -> list[Evidence]:
    if sirt is not None:
        return [
            Evidence(
                aspect="reconstruction",
                value="SIRT",
                iterations=_int(sirt.value),
                locator=f"line {sirt.line}: {sirt.key} {sirt.value}",
                reason="tilt runs SIRT iterations",
                settled=False,
            )
        ]
    if fake is not None:
        return [
            Evidence(
                aspect="reconstruction",
                value="SIRT-like filter",
                iterations=_int(fake.value),
                locator=f"line {fake.line}: {fake.key} {fake.value}",
                reason="weighted back-projection with a SIRT-like filter",
                settled=False,
            )
        ]
    if radial is not None:
        return [
            Evidence(
                aspect="reconstruction",
                value="WBP",
                locator=f"line {radial.line}: {radial.key} {radial.value}",
                reason="R-weighted back-projection (RADIAL, no SIRT option)",
                settled=False,
            )
        ]
    return []


def _tilt_log(model: TiltLog) -> list[Evidence]:
    if model.sirt_iterations is not None:
        it = model.sirt_iterations
        return [
            Evidence(
                aspect="reconstruction",
                value="SIRT",
                iterations=int(it.value),
                locator=f"line {it.line}: {int(it.value)} iterations of SIRT",
                reason="tilt ran SIRT iterations",
                settled=True,
            )
        ]
    if model.fake_sirt_iterations is not None:
        it = model.fake_sirt_iterations
        return [
            Evidence(
                aspect="reconstruction",
                value="SIRT-like filter",
                iterations=int(it.value),
                locator=f"line {it.line}: FakeSIRTiterations {int(it.value)}",
                reason="tilt ran with a SIRT-like filter",
                settled=True,
            )
        ]
    if model.radial is not None and model.radial_line is not None:
        return [
            Evidence(
                aspect="reconstruction",
                value="WBP",
                locator=f"line {model.radial_line}: Radial weighting function parameters",
                reason="tilt ran R-weighted back-projection and no SIRT",
                settled=True,
            )
        ]
    return []


def _edf(model: Edf) -> list[Evidence]:
    out: list[Evidence] = []
    for key in ("Setup.FiducialessAlignmentA", "Setup.A.Fiducialess"):
        v = model.get(key)
        if v is not None and v.value.lower() == "true":
            out.append(
                Evidence(
                    aspect="alignment",
                    value="fiducialless",
                    locator=f"key {key}={v.value} (line {v.line})",
                    reason="etomo setting: fiducialless alignment",
                    settled=False,
                )
            )
            return out
    v = model.get("Setup.Track.A.TrackMethod")
    if v is not None and v.value.lower() in EDF_TRACK_METHODS:
        out.append(
            Evidence(
                aspect="alignment",
                value=EDF_TRACK_METHODS[v.value.lower()],
                locator=f"key Setup.Track.A.TrackMethod={v.value} (line {v.line})",
                reason="etomo setting: tracking method of axis A",
                settled=False,
            )
        )
    return out


def _adoc(model: BatchruntomoAdoc) -> list[Evidence]:
    out: list[Evidence] = []
    fl = model.get_suffix("Fiducials.any.fiducialless")
    tm = model.get_suffix("Fiducials.any.trackingMethod")
    if fl is not None and fl.value.strip() == "1":
        out.append(
            Evidence(
                aspect="alignment",
                value="fiducialless",
                locator=f"line {fl.line}: {fl.key} = {fl.value}",
                reason="batchruntomo directive",
                settled=False,
            )
        )
    elif tm is not None and tm.value.strip() in TRACKING_METHODS:
        out.append(
            Evidence(
                aspect="alignment",
                value=TRACKING_METHODS[tm.value.strip()],
                locator=f"line {tm.line}: {tm.key} = {tm.value}",
                reason="batchruntomo directive",
                settled=False,
            )
        )
    sirt = model.get_suffix("Reconstruction.any.useSirt")
    fake = model.get_suffix("tilt.tilt.FakeSIRTiterations")
    leave = model.get_suffix("sirtsetup.sirtsetup.LeaveIterations")
    if sirt is not None and sirt.value.strip() == "1":
        kept = _ints(leave.value) if leave is not None else []
        locator = f"line {sirt.line}: {sirt.key} = {sirt.value}"
        if leave is not None and kept:
            locator += f"; line {leave.line}: {leave.key} = {leave.value}"
        out.append(
            Evidence(
                aspect="reconstruction",
                value="SIRT",
                iterations=max(kept) if kept else None,
                locator=locator,
                reason="batchruntomo directive"
                + (" (the most iterations of those kept)" if len(kept) > 1 else ""),
                settled=False,
            )
        )
    elif sirt is not None and sirt.value.strip() == "0":
        out.append(
            Evidence(
                aspect="reconstruction",
                value="WBP",
                locator=f"line {sirt.line}: {sirt.key} = {sirt.value}",
                reason="batchruntomo directive (no SIRT: weighted back-projection)",
                settled=False,
            )
        )
    elif fake is not None and _int(fake.value):
        out.append(
            Evidence(
                aspect="reconstruction",
                value="SIRT-like filter",
                iterations=_int(fake.value),
                locator=f"line {fake.line}: {fake.key} = {fake.value}",
                reason="batchruntomo directive",
                settled=False,
            )
        )
    return out


def _batch_log(model: BatchruntomoLog) -> list[Evidence]:
    out: list[Evidence] = []
    steps: tuple[tuple[str, Aspect, str], ...] = (
        ("xcorr_pt", "alignment", "patch tracking"),
        ("track", "alignment", "fiducial"),
        ("sirtsetup", "reconstruction", "SIRT"),
        ("tilt_sirt", "reconstruction", "SIRT"),
    )
    for stem, aspect, value in steps:
        step = model.finished_step(stem)
        if step is not None:
            out.append(
                Evidence(
                    aspect=aspect,
                    value=value,
                    locator=f"line {step.line}: Successfully finished {step.comfile}",
                    reason=f"batchruntomo ran {step.comfile}",
                    settled=True,
                )
            )
    return out
