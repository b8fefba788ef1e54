"""Build one dataset's record from its files' format models and the depositor sidecar.

Order of sources for a row (`clxm_meta.normalise.candidate.Precedence`): sidecar > raw header >
processed header > log > derived > assumption. A sidecar value that agrees with the mined value
is not used (the file stays the source); one that differs replaces it and the override is recorded
as a ``sidecar.override`` finding naming both values and sources. A facility profile's values come
last: one is used only when no file gives the row (a file that disagrees wins, and a
``facility.disagrees`` warning names both), and the sidecar replaces it. Attached-file rows come from the
dataset's own files (OTF, brightfield, reference, mosaic, non-referenced raw) unless a reader
already proposed them. Cross-file checks are in `clxm_meta.normalise.consistency`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from clxm_meta.findings import Finding, Severity
from clxm_meta.normalise.build import _plain, build_record, values_agree
from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.normalise.consistency import FileInput, check_consistency
from clxm_meta.normalise.waves import name_waves
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.models import Record

__all__ = ["SET_ASIDE", "merge_dataset"]

SET_ASIDE: dict[tuple[DatasetKind, str], tuple[tuple[str, ...], tuple[str, ...]]] = {
    (DatasetKind.SXT, "setup.pixel_size"): (("tilt_series",), ("tomogram", "aligned_stack")),
    (DatasetKind.SIM, "setup.pixel_size"): (("sim_raw",), ("sim_reconstruction",)),
    (DatasetKind.SXT, "acquisition.tilt_range"): (("tilt_series",), (".tlt",)),
    (DatasetKind.SXT, "acquisition.tilt_step"): (("tilt_series",), (".tlt",)),
}
"""Rows where processed files legitimately differ from the raw file (binning, SIM zoom, solved
tilt angles in ``.tlt``): when a raw-role file gives the row, the values of the processed files
(by role, or by a name ending starting with ``.``) are set aside. Their agreement is checked by
`clxm_meta.normalise.consistency` (binning / zoom factor, ``.rawtlt`` vs the tilt series)."""


def _set_aside(
    kind: DatasetKind, files: Sequence[FileInput]
) -> tuple[list[Candidate], list[Finding]]:
    cands: list[Candidate] = []
    notes: list[Finding] = []
    for f in files:
        for c in f.candidates:
            if c.kind is not kind:
                continue
            rule = SET_ASIDE.get((kind, c.field))
            processed = rule is not None and (
                f.role in rule[1]
                or f.path.lower().endswith(tuple(e for e in rule[1] if e[0] == "."))
            )
            if rule is not None and processed:
                raw_has = any(
                    g.role in rule[0]
                    and any(x.field == c.field and x.kind is kind for x in g.candidates)
                    for g in files
                )
                if raw_has:
                    notes.append(
                        Finding.make(
                            "normalise.set_aside",
                            Severity.INFO,
                            f"{c.field}: {_plain(c.value)!r} from {os.path.basename(f.path)} is a "
                            "processed value (binning, zoom or solved angles); the raw file's "
                            "value is used, and the consistency checks compare the two",
                            path=f.path,
                            field=c.field,
                        )
                    )
                    continue
            cands.append(c)
    return cands, notes


def _apply_facility(
    file_cands: list[Candidate], facility: Sequence[Candidate], kind: DatasetKind
) -> tuple[list[Candidate], list[Finding]]:
    """Add the profile's values for rows no file gives; a file that disagrees wins, with a finding."""
    out = list(file_cands)
    findings: list[Finding] = []
    for fc in facility:
        if fc.kind is not kind:
            continue
        mined = [c for c in out if c.field == fc.field and c.kind is kind]
        if not mined:
            out.append(fc)
            continue
        best = max(mined, key=lambda c: c.precedence)
        if values_agree(best.value, fc.value):
            continue
        findings.append(
            Finding.make(
                "facility.disagrees",
                Severity.WARNING,
                f"{fc.field}: the file says {_plain(best.value)!r} ({best.source}), the "
                f"{fc.source.reader} says {_plain(fc.value)!r} ({fc.source.transform}); the "
                "file's value is used: check the file, or the profile is out of date",
                path=best.source.path,
                field=fc.field,
                locator=best.source.locator,
            )
        )
    return out, findings


def _apply_sidecar(
    file_cands: list[Candidate], sidecar: Sequence[Candidate], kind: DatasetKind
) -> tuple[list[Candidate], list[Finding]]:
    out = list(file_cands)
    findings: list[Finding] = []
    for sc in sidecar:
        mined = [c for c in out if c.field == sc.field and c.kind is kind]
        if not mined:
            out.append(sc)
            continue
        best = max(mined, key=lambda c: c.precedence)  # first among equals: max keeps the first
        if values_agree(best.value, sc.value):
            continue  # the file stays the source
        out = [c for c in out if not (c.field == sc.field and c.kind is kind)]
        out.append(sc)
        if best.precedence is Precedence.FACILITY:
            continue  # the depositor's sidecar replaces the facility profile without a note
        findings.append(
            Finding.make(
                "sidecar.override",
                Severity.INFO,
                f"{sc.field}: the sidecar's {_plain(sc.value)!r} ({sc.source.locator}) overrides "
                f"{_plain(best.value)!r} mined from {best.source}",
                path=sc.source.path,
                field=sc.field,
                locator=sc.source.locator,
            )
        )
    return out, findings


def merge_dataset(
    kind: DatasetKind,
    name: str,
    files: Sequence[FileInput],
    *,
    attached: Sequence[Candidate] = (),
    sidecar: Sequence[Candidate] = (),
    findings: Sequence[Finding] = (),
    facility: Sequence[Candidate] = (),
) -> Record:
    """Build the record of one dataset.

    Parameters
    ----------
    kind
        SIM or SXT.
    name
        Dataset name.
    files
        The dataset's files: role, format model and that model's candidates.
    attached
        Attached-file candidates (used for rows that no reader filled).
    sidecar
        The sidecar's candidates for this dataset.
    findings
        Dataset-level findings to carry (grouping, reader findings).
    facility
        A facility profile's candidates (`Precedence.FACILITY`), below every file and the sidecar.
    """
    cands, notes = _set_aside(kind, files)
    proposed = {c.field for c in cands}
    for a in attached:
        if a.kind is not kind:
            continue
        if a.field in proposed:
            notes.append(
                Finding.make(
                    "dataset.attached_not_used",
                    Severity.INFO,
                    f"{a.field}: a reader already gives this row; the separate file is listed in "
                    "the scan only",
                    path=a.source.path,
                    field=a.field,
                )
            )
            continue
        cands.append(a)
    cands = name_waves(kind, cands, files)
    cands, disagree = _apply_facility(cands, facility, kind)
    cands, overrides = _apply_sidecar(cands, sidecar, kind)
    consistency = check_consistency(files)
    return build_record(
        kind,
        cands,
        name=name,
        files=[f.path for f in files],
        findings=[*findings, *notes, *disagree, *overrides, *consistency],
    )
