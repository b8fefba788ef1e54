"""IMOD / etomo / SerialEM / AreTomo models → SXT Table 1 candidates.

Each file proposes only what it proves; a dataset-level merge combines files.

- ``processing.software``: IMOD with the version a file states (etomo ``.edf``
  ``Setup.Version.Etomo.*``; ``####CreatedVersion####`` of a ``.com``, i.e. the IMOD that wrote the
  command file) at `Precedence.LOG`; any other IMOD-family file gives "IMOD" without a version at
  `Precedence.DERIVED`. AreTomo ``.aln`` gives "AreTomo" (no version in the file).
- ``processing.type``: "automated" only with batchruntomo evidence (a batchruntomo log, a directive
  ``.adoc``, ``batchruntomo.*`` keys in an ``.edf``). "manual" is never proposed from one file:
  etomo and batchruntomo write the same align.log, tilt.log and .com files, so no single file
  proves that a person drove the steps. The dataset merge may conclude "manual" from the absence
  of batchruntomo evidence across a complete dataset; that is not a per-file fact.
- ``processing.protocol``: from `clxm_meta.readers.imod.protocol` (alignment and reconstruction
  evidence); logs at `Precedence.LOG`, settings and command files at `Precedence.DERIVED`.
- ``processing.residual_error`` / ``weighted_residual_error``: the global residual lines of
  align.log (or their re-print in a batchruntomo log). Without a printed unit the values are
  pixels (older tiltalign); the source says so.
- ``acquisition.tilt_range`` / ``tilt_step`` / ``n_frames``: ``.rawtlt`` and a tilt-series
  ``.mdoc`` (acquired angles) at `Precedence.LOG`; ``.tlt`` and AreTomo TILT (solved angles) at
  `Precedence.DERIVED`. Montage and frame-set ``.mdoc`` files give none.
- An AreTomo ``.aln`` gives the tilt axis it refined (median of the ROT column) in the protocol.
- A batchruntomo directive ``.adoc`` also gives the protocol's parameters, the pixel size given
  to IMOD and the fiducials (`clxm_meta.normalise.imod_adoc`), below what a log or header says.
- ``processing.correlation_coefficients`` and ``processing.fsc_cutoff``: none of these files
  carries them.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence

from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.normalise.imod_adoc import adoc_candidates, protocol_parameters
from clxm_meta.readers.base import FormatModel
from clxm_meta.readers.imod.align_log_model import AlignLog, Residual
from clxm_meta.readers.imod.angles import AngleFile
from clxm_meta.readers.imod.aretomo import AreTomoAln
from clxm_meta.readers.imod.batchruntomo import BatchruntomoAdoc, BatchruntomoLog
from clxm_meta.readers.imod.comfile import ComFile
from clxm_meta.readers.imod.edf import Edf
from clxm_meta.readers.imod.mdoc import Mdoc
from clxm_meta.readers.imod.model import ImodFile
from clxm_meta.readers.imod.protocol import Aspect, decide, evidence
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import (
    ReconstructionProtocol,
    ResidualError,
    Software,
    TiltRange,
    TiltStep,
)

__all__ = ["REGULAR_STEP_TOLERANCE_DEG", "candidates", "tilt_summary"]

READER = "imod"
SXT = DatasetKind.SXT
REGULAR_STEP_TOLERANCE_DEG = 0.01
"""Steps that differ by at most this much count as one regular step."""


def candidates(model: FormatModel) -> list[Candidate]:
    """Table 1 candidates of one IMOD-family model (empty for other models)."""
    if not isinstance(model, ImodFile):
        return []
    out: list[Candidate] = []
    out.extend(_software(model))
    out.extend(_type(model))
    out.extend(_protocol(model))
    if isinstance(model, AlignLog | BatchruntomoLog):
        out.extend(_residuals(model, model.residual, model.weighted_residual))
    if isinstance(model, AngleFile) and model.kind in ("rawtlt", "tlt", "aretomo_tlt"):
        out.extend(_angle_file(model))
    if isinstance(model, Mdoc):
        out.extend(_mdoc(model))
    if isinstance(model, AreTomoAln):
        out.extend(_aln(model))
    if isinstance(model, BatchruntomoAdoc):
        out.extend(adoc_candidates(model))
    return out


def _cand(
    field: str, value: object, source: Source, precedence: Precedence, unit: str | None = None
) -> Candidate:
    return Candidate(
        field=field, kind=SXT, value=value, unit=unit, source=source, precedence=precedence
    )


# --- software -------------------------------------------------------------------------------


def _software(model: ImodFile) -> list[Candidate]:
    path = model.path
    if isinstance(model, AreTomoAln):
        title = model.title
        if title is None and not model.rows:
            return []  # nothing in the file says AreTomo (an empty .aln): the name is not read
        loc = f"line {title.line}: {title.text}" if title else "AreTomo .aln rows"
        return [
            _cand(
                "processing.software",
                Software(name="AreTomo"),
                Source.file(path, READER, loc, "the file states no AreTomo version"),
                Precedence.DERIVED,
            )
        ]
    if isinstance(model, Mdoc):
        return []  # SerialEM acquisition metadata, not reconstruction software
    if isinstance(model, Edf) and model.etomo_version is not None:
        version, line = model.etomo_version
        key = "Modified" if model.get("Setup.Version.Etomo.Modified") else "Created"
        return [
            _cand(
                "processing.software",
                Software(name="IMOD", version=version),
                Source.file(
                    path,
                    READER,
                    f"line {line}: Setup.Version.Etomo.{key}",
                    "etomo is part of IMOD; etomo version = IMOD version",
                ),
                Precedence.LOG,
            )
        ]
    if isinstance(model, ComFile) and model.created_version is not None:
        return [
            _cand(
                "processing.software",
                Software(name="IMOD", version=model.created_version),
                Source.file(
                    path,
                    READER,
                    f"line {model.created_version_line}: ####CreatedVersion####",
                    "IMOD version that wrote the command file",
                ),
                Precedence.LOG,
            )
        ]
    if isinstance(model, AngleFile | BatchruntomoAdoc) or model.kind in ("xf", "zfac", "local_xf"):
        return []  # plain numbers or settings: they do not prove which program ran
    return [
        _cand(
            "processing.software",
            Software(name="IMOD"),
            Source.derived(
                path,
                READER,
                f"{model.kind} file",
                "an IMOD program wrote this file; it states no version",
            ),
            Precedence.DERIVED,
        )
    ]


# --- processing type ------------------------------------------------------------------------


def _type(model: ImodFile) -> list[Candidate]:
    path = model.path
    if isinstance(model, BatchruntomoLog):
        line = model.started.line if model.started else 1
        text = model.started.text if model.started else "batchruntomo log"
        return [
            _cand(
                "processing.type",
                "automated",
                Source.file(
                    path,
                    READER,
                    f"line {line}: {text}",
                    "a batchruntomo log: the processing ran automatically",
                ),
                Precedence.LOG,
            )
        ]
    if isinstance(model, BatchruntomoAdoc) and model.directives:
        first = model.directives[0]
        return [
            _cand(
                "processing.type",
                "automated",
                Source.file(
                    path,
                    READER,
                    f"line {first.line}: {first.key}",
                    "a batchruntomo directive file (input of automated processing)",
                ),
                Precedence.DERIVED,
            )
        ]
    if isinstance(model, Edf) and model.batchruntomo_keys:
        key = model.batchruntomo_keys[0]
        line = model.properties[key].line
        return [
            _cand(
                "processing.type",
                "automated",
                Source.file(
                    path,
                    READER,
                    f"line {line}: {key}",
                    "batchruntomo.* keys: batchruntomo processed this etomo dataset",
                ),
                Precedence.LOG,
            )
        ]
    return []


# --- protocol -------------------------------------------------------------------------------


def _protocol(model: ImodFile) -> list[Candidate]:
    items = evidence(model)
    if not items:
        return []
    align = decide(items, "alignment")
    recon = decide(items, "reconstruction")
    params: dict[str, object] = {}
    lines: list[str] = []
    why = ""
    if isinstance(model, BatchruntomoAdoc):
        params, lines = protocol_parameters(model)
        why = "; parameters: batchruntomo directive (what was asked of IMOD)"
    elif isinstance(model, AreTomoAln) and model.rows:
        params = {"tilt_axis_deg": round(statistics.median(r.rot_deg for r in model.rows), 2)}
        lines = [
            f"lines {model.rows[0].line}-{model.rows[-1].line}: ROT column (tilt axis, median "
            "of the views)"
        ]
        why = "; tilt axis: as AreTomo refined it"
    value = ReconstructionProtocol.model_validate(
        {
            "alignment": align.value if align else None,
            "reconstruction": recon.value if recon else None,
            "iterations": recon.iterations if recon else None,
            **params,
        }
    )
    used = [e for e in (align, recon) if e is not None]
    locator = "; ".join([*(e.locator for e in used), *lines])
    transform = "; ".join(f"{_aspect(e.aspect)}: {e.reason}" for e in used)
    transform += why if lines else ""
    settled = all(e.settled for e in used)
    return [
        _cand(
            "processing.protocol",
            value,
            Source.file(model.path, READER, locator, transform),
            Precedence.LOG if settled else Precedence.DERIVED,
        )
    ]


def _aspect(aspect: Aspect) -> str:
    return "alignment" if aspect == "alignment" else "reconstruction"


# --- residuals ------------------------------------------------------------------------------


def _residuals(
    model: AlignLog | BatchruntomoLog, res: Residual | None, weighted: Residual | None
) -> list[Candidate]:
    out: list[Candidate] = []
    for field, item, what in (
        ("processing.residual_error", res, "Residual error mean and sd"),
        ("processing.weighted_residual_error", weighted, "Residual error weighted mean"),
    ):
        if item is None:
            continue
        unit = item.unit or "pixels"
        transform = (
            None
            if item.unit
            else ("assumed unit: pixels (the line prints no unit; older tiltalign reports pixels)")
        )
        out.append(
            _cand(
                field,
                ResidualError(mean=item.mean, sd=item.sd, unit=unit),
                Source.file(model.path, READER, f"line {item.line}: {what}", transform),
                Precedence.LOG,
                unit=unit,
            )
        )
    return out


# --- tilt angles ----------------------------------------------------------------------------


def tilt_summary(angles: Sequence[float]) -> tuple[TiltRange, TiltStep | None]:
    """Range (first/last as listed, extremes) and step (from the sorted angles) of a series."""
    rng = TiltRange(
        start_deg=angles[0], end_deg=angles[-1], min_deg=min(angles), max_deg=max(angles)
    )
    ordered = sorted(angles)
    steps = [round(b - a, 6) for a, b in itertools.pairwise(ordered)]
    if not steps:
        return rng, None
    regular = max(steps) - min(steps) <= REGULAR_STEP_TOLERANCE_DEG
    step = TiltStep(
        step_deg=round(statistics.median(steps), 6),
        min_deg=min(steps),
        max_deg=max(steps),
        regular=regular,
    )
    return rng, step


def _tilt_candidates(
    path: str,
    angles: Sequence[float],
    locator: str,
    what: str,
    precedence: Precedence,
    n_frames: bool = True,
) -> list[Candidate]:
    if not angles:
        return []
    rng, step = tilt_summary(angles)
    out = [
        _cand(
            "acquisition.tilt_range",
            rng,
            Source.derived(path, READER, locator, f"first, last, min and max of {what}"),
            precedence,
            unit="°",
        )
    ]
    if step is not None:
        out.append(
            _cand(
                "acquisition.tilt_step",
                step,
                Source.derived(
                    path,
                    READER,
                    locator,
                    f"steps between {what}, sorted: median, min, max; "
                    f"regular if within {REGULAR_STEP_TOLERANCE_DEG}°",
                ),
                precedence,
                unit="°",
            )
        )
    if n_frames:
        out.append(
            _cand(
                "acquisition.n_frames",
                len(angles),
                Source.derived(path, READER, locator, f"number of {what}"),
                precedence,
            )
        )
    return out


def _angle_file(model: AngleFile) -> list[Candidate]:
    if not model.lines:
        return []
    locator = f"lines {model.lines[0]}-{model.lines[-1]}"
    if model.kind == "rawtlt":
        return _tilt_candidates(
            model.path, model.angles_deg, locator, "the raw (acquired) tilt angles", Precedence.LOG
        )
    if model.kind == "aretomo_tlt":
        return _tilt_candidates(
            model.path,
            model.angles_deg,
            locator,
            "the tilt angles given to AreTomo (first column)",
            Precedence.LOG,
        )
    return _tilt_candidates(
        model.path,
        model.angles_deg,
        locator,
        "the solved tilt angles (tiltalign output, not the acquired ones)",
        Precedence.DERIVED,
    )


def _mdoc(model: Mdoc) -> list[Candidate]:
    if model.is_montage or model.is_frame_set:
        return []
    images = [s for s in model.images if s.tilt_angle_deg is not None]
    if len(images) < 2:
        return []
    angles = [s.tilt_angle_deg for s in images if s.tilt_angle_deg is not None]
    locator = f"TiltAngle lines {images[0].tilt_angle_line}-{images[-1].tilt_angle_line}"
    out = _tilt_candidates(
        model.path,
        angles,
        locator,
        "the SerialEM TiltAngle of each [ZValue] section",
        Precedence.LOG,
        n_frames=False,
    )
    out.append(
        _cand(
            "acquisition.n_frames",
            len(model.images),
            Source.derived(
                model.path,
                READER,
                f"[ZValue] sections, lines {model.images[0].line}-{model.images[-1].line}",
                "number of [ZValue] sections",
            ),
            Precedence.LOG,
        )
    )
    return out


def _aln(model: AreTomoAln) -> list[Candidate]:
    out: list[Candidate] = []
    if model.rows:
        locator = f"lines {model.rows[0].line}-{model.rows[-1].line} (TILT column)"
        out.extend(
            _tilt_candidates(
                model.path,
                [r.tilt_deg for r in model.rows],
                locator,
                "the AreTomo refined tilt angles",
                Precedence.DERIVED,
                n_frames=False,
            )
        )
    if model.raw_size is not None:
        out.append(
            _cand(
                "acquisition.n_frames",
                model.raw_size[2],
                Source.file(
                    model.path,
                    READER,
                    f"line {model.raw_size_line}: RawSize",
                    "third RawSize value = images in the raw series",
                ),
                Precedence.LOG,
            )
        )
    return out
