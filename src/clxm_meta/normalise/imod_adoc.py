"""What a batchruntomo directive file (``.adoc``) asks of IMOD, as Table 1 candidates.

A directive is a request, not a record of what ran: Diamond's pipeline (cryoem-services
``tomo_align_imod``) writes ``batchDirective.adoc`` before batchruntomo starts. So its values
rank below what a log or a header says was done (`Precedence.DERIVED` for the protocol, as any
setting; `Precedence.LOG` for the pixel size it states, below the tilt series' header): where
both exist the file that says what was done wins, and a difference is a
``normalise.disagreement`` finding naming both lines.

Rows, each with its directive line as source:

- ``processing.protocol`` parameters (`protocol_parameters`): fiducials to seed
  (``autofidseed.TargetNumberOfBeads``), patch size and overlap (``tiltxcorr`` of ``xcorr_pt``),
  the tilt-axis rotation (``setupset.copyarg.rotation``), the aligned-stack binning
  (``AlignedStack.any.binByFactor``), the volume thickness (``tilt.THICKNESS``) and whether a
  WBP volume is made beside the SIRT one (``Reconstruction.any.doBackprojAlso``).
- ``setup.pixel_size`` from ``setupset.copyarg.pixel`` (nm, the pixel size given to IMOD).
- ``sample.fiducials`` from ``setupset.copyarg.gold`` (bead size, nm) when the alignment tracks
  beads (a patch-tracking directive still names a bead size, which is then not used).
"""

from __future__ import annotations

from typing import Any

from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.readers.imod.batchruntomo import BatchruntomoAdoc, Directive
from clxm_meta.readers.imod.text import to_float
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import XYZ

__all__ = ["adoc_candidates", "protocol_parameters"]

READER = "imod"
_MAX_NUMBERS = 4


def _line(d: Directive) -> str:
    return f"line {d.line}: {d.key} = {d.value}"


def _numbers(text: str) -> list[float]:
    out = []
    for part in text.replace(",", " ").split()[:_MAX_NUMBERS]:
        value = to_float(part)
        if value is None:
            return []
        out.append(value)
    return out


def _whole(value: float) -> int | None:
    return int(value) if value == int(value) and 0 < value < 1e7 else None


def _tracking(model: BatchruntomoAdoc) -> str | None:
    d = model.get_suffix("Fiducials.any.trackingMethod")
    return d.value.strip() if d is not None else None


def protocol_parameters(model: BatchruntomoAdoc) -> tuple[dict[str, Any], list[str]]:
    """The protocol parameters a directive states, and the lines they come from."""
    values: dict[str, Any] = {}
    lines: list[str] = []
    patch = _tracking(model) == "1"

    def take(suffix: str, key: str, convert: Any) -> None:
        d = model.get_suffix(suffix)
        if d is None:
            return
        value = convert(_numbers(d.value))
        if value is not None:
            values[key] = value
            lines.append(_line(d))

    if not patch:
        take(
            "autofidseed.autofidseed.TargetNumberOfBeads",
            "fiducial_count",
            lambda n: _whole(n[0]) if len(n) == 1 else None,
        )
    else:
        take(
            "xcorr_pt.tiltxcorr.SizeOfPatchesXandY",
            "patch_size_px",
            lambda n: [w for w in (_whole(x) for x in n) if w] if len(n) == 2 else None,
        )
        take(
            "xcorr_pt.tiltxcorr.OverlapOfPatchesXandY",
            "patch_overlap",
            lambda n: n if len(n) == 2 and all(0 <= x < 1 for x in n) else None,
        )
    take("setupset.copyarg.rotation", "tilt_axis_deg", lambda n: n[0] if len(n) == 1 else None)
    take(
        "AlignedStack.any.binByFactor",
        "binning",
        lambda n: _whole(n[0]) if len(n) == 1 else None,
    )
    take("tilt.tilt.THICKNESS", "thickness_px", lambda n: _whole(n[0]) if len(n) == 1 else None)
    sirt = model.get_suffix("Reconstruction.any.useSirt")
    also = model.get_suffix("Reconstruction.any.doBackprojAlso")
    if sirt is not None and sirt.value.strip() == "1" and also is not None:
        flag = also.value.strip()
        if flag in ("0", "1"):
            values["back_projection_also"] = flag == "1"
            lines.append(_line(also))
    if values.get("patch_size_px") == []:
        del values["patch_size_px"]
    return values, lines


def adoc_candidates(model: BatchruntomoAdoc) -> list[Candidate]:
    """``setup.pixel_size`` and ``sample.fiducials`` as the directive asks them of IMOD."""
    out: list[Candidate] = []
    pixel = model.get("setupset.copyarg.pixel")
    nm = _numbers(pixel.value) if pixel is not None else []
    if pixel is not None and len(nm) == 1 and 0 < nm[0] < 1e6:
        um = round(nm[0] / 1000, 9)
        out.append(
            Candidate(
                field="setup.pixel_size",
                kind=DatasetKind.SXT,
                value=XYZ(x=um, y=um),
                unit="µm",
                source=Source.file(
                    model.path,
                    READER,
                    _line(pixel),
                    "nm → µm; the pixel size given to IMOD (asked of it, not measured): the "
                    "tilt series' header wins where it states one",
                ),
                precedence=Precedence.LOG,
            )
        )
    gold = model.get("setupset.copyarg.gold")
    size = _numbers(gold.value) if gold is not None else []
    if gold is not None and len(size) == 1 and size[0] > 0 and _tracking(model) != "1":
        seeded = model.get_suffix("autofidseed.autofidseed.TargetNumberOfBeads")
        count = _numbers(seeded.value) if seeded is not None else []
        text = f"gold beads of {size[0]:g} nm (the bead size given to IMOD)"
        locator = _line(gold)
        if seeded is not None and len(count) == 1 and _whole(count[0]):
            text += f"; {_whole(count[0])} beads to seed per view"
            locator += f"; {_line(seeded)}"
        out.append(
            Candidate(
                field="sample.fiducials",
                kind=DatasetKind.SXT,
                value=text,
                source=Source.file(model.path, READER, locator, "batchruntomo directive"),
                precedence=Precedence.DERIVED,
            )
        )
    return out
