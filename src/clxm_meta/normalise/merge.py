"""Build one dataset's record from its files' format models and the depositor sidecar.

Order of sources for a row (`clxm_meta.normalise.candidate.Precedence`): sidecar > raw header >
processed header > log > derived > assumption. A sidecar value that agrees with the mined value
is not used (the file stays the source); one that differs replaces it and the override is recorded
as a ``sidecar.override`` finding naming both values and sources. Attached-file rows come from the
dataset's own files (OTF, brightfield, reference, mosaic, non-referenced raw) unless a reader
already proposed them. Cross-file checks are in `clxm_meta.normalise.consistency`.
"""

from __future__ import annotations

from collections.abc import Sequence

from clxm_meta.findings import Finding, Severity
from clxm_meta.normalise.build import _plain, build_record, values_agree
from clxm_meta.normalise.candidate import Candidate
from clxm_meta.normalise.consistency import FileInput, check_consistency
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.models import Record

__all__ = ["merge_dataset"]


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
    """
    cands = [c for f in files for c in f.candidates if c.kind is kind]
    notes: list[Finding] = []
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
    cands, overrides = _apply_sidecar(cands, sidecar, kind)
    consistency = check_consistency(files)
    return build_record(
        kind,
        cands,
        name=name,
        files=[f.path for f in files],
        findings=[*findings, *notes, *overrides, *consistency],
    )
