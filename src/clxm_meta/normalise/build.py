"""Build Table 1 records from candidates.

For each field the candidate with the highest `Precedence` wins (the first one given on a tie). When
candidates disagree, the record gets a ``normalise.disagreement`` finding naming both sources.
"""

from __future__ import annotations

import importlib
import math
import os
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from clxm_meta.findings import Finding, Severity
from clxm_meta.normalise.candidate import Candidate
from clxm_meta.readers.base import FormatModel
from clxm_meta.readers.registry import FORMATS
from clxm_meta.records.fields import DatasetKind, field_spec
from clxm_meta.records.models import Record, record_class
from clxm_meta.records.value import Value

__all__ = ["build_record", "build_records", "candidates_for", "values_agree"]

_KNOWN_EXTENSIONS = tuple(
    sorted(
        {ext for entry in FORMATS for ext in entry.extensions if ext.startswith(".")},
        key=len,
        reverse=True,
    )
)
"""File-name endings stripped to name a single-file dataset, longest first (.ome.tiff before .tiff)."""

_ANY_VALUE = Value[Any]
"""``Value[Any]`` parametrised once: pydantic's ``__class_getitem__`` costs a cache look-up with
key hashing on every subscript, and `build_record` makes a value per chosen row."""

REL_TOLERANCE = 1e-3
"""Relative tolerance under which two numbers count as the same value."""


def candidates_for(model: FormatModel) -> list[Candidate]:
    """Return the Table 1 candidates of one format model (empty if its format has no normaliser)."""
    module_name = f"clxm_meta.normalise.{model.format}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return []
        raise
    result: list[Candidate] = module.candidates(model)
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def values_agree(a: Any, b: Any, rel: float = REL_TOLERANCE) -> bool:
    """Compare two candidate values, numbers within relative tolerance ``rel``."""
    a, b = _plain(a), _plain(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-12)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(values_agree(x, y, rel) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        keys = {k for k in a.keys() | b.keys() if a.get(k) is not None and b.get(k) is not None}
        return all(values_agree(a[k], b[k], rel) for k in keys)
    same: bool = a == b
    return same


GAP_FILLED_FIELDS = frozenset({"processing.protocol"})
"""Rows whose value is made of parts that different files state: the reconstruction protocol
(a log proves the alignment and the algorithm ran; the directive that asked for them also states
the patch size, the fiducials to seed, the thickness ...). The parts the winner lacks are taken
from the other candidate (a part both state is the winner's, and a difference is still a
``normalise.disagreement``); the source says which parts came from where."""


def _fill_gaps(winner: Candidate, other: Candidate) -> Candidate:
    a, b = winner.value, other.value
    if type(a) is not type(b) or not isinstance(a, BaseModel):
        return winner
    missing = {
        k: getattr(b, k)
        for k in type(a).model_fields
        if getattr(a, k) is None and getattr(b, k) is not None
    }
    if not missing:
        return winner
    note = f"{', '.join(missing)} from {other.source.path} ({other.source.locator or 'no locator'})"
    transform = f"{winner.source.transform}; {note}" if winner.source.transform else note
    return winner.model_copy(
        update={
            "value": a.model_copy(update=missing),
            "source": winner.source.model_copy(update={"transform": transform}),
        }
    )


def build_record(
    kind: DatasetKind | str,
    candidates: Iterable[Candidate],
    *,
    name: str,
    files: Sequence[str] = (),
    findings: Sequence[Finding] = (),
) -> Record:
    """Build one record of ``kind`` from ``candidates`` (other kinds' candidates are ignored)."""
    kind = DatasetKind(kind)
    record = record_class(kind)(name=name, files=list(files), findings=list(findings))
    chosen: dict[str, Candidate] = {}
    extra: list[Finding] = []
    for cand in candidates:
        if cand.kind is not kind:
            continue
        try:
            field_spec(kind, cand.field)
        except KeyError:
            extra.append(
                Finding.make(
                    "normalise.unknown_field",
                    Severity.WARNING,
                    f"a reader proposed {cand.field!r}, which is not a {kind} Table 1 row",
                    path=cand.source.path,
                    field=cand.field,
                )
            )
            continue
        current = chosen.get(cand.field)
        if current is None:
            chosen[cand.field] = cand
            continue
        if not values_agree(current.value, cand.value):
            winner, loser = (
                (cand, current) if cand.precedence > current.precedence else (current, cand)
            )
            extra.append(
                Finding.make(
                    "normalise.disagreement",
                    Severity.WARNING,
                    f"{cand.field}: {_plain(winner.value)!r} from {winner.source} was kept; "
                    f"{_plain(loser.value)!r} from {loser.source} disagrees",
                    path=loser.source.path,
                    field=cand.field,
                )
            )
        if cand.precedence > current.precedence:
            chosen[cand.field] = cand
        if cand.field in GAP_FILLED_FIELDS:
            other = current if chosen[cand.field] is cand else cand
            chosen[cand.field] = _fill_gaps(chosen[cand.field], other)
    for field_id, cand in chosen.items():
        try:
            record.set(field_id, _ANY_VALUE(value=cand.value, unit=cand.unit, source=cand.source))
        except ValidationError as exc:
            extra.append(
                Finding.make(
                    "normalise.bad_value",
                    Severity.ERROR,
                    f"{field_id}: value from {cand.source} does not fit the row's type: "
                    f"{exc.errors()[0]['msg']}",
                    path=cand.source.path,
                    field=field_id,
                )
            )
    from clxm_meta.normalise.plausibility import plausibility

    record.findings = [*record.findings, *extra, *plausibility(record)]
    return record


def build_records(
    models: Sequence[FormatModel],
    *,
    name: str | None = None,
    extra: Sequence[Candidate] = (),
) -> list[Record]:
    """Build one record per dataset kind that the models' candidates speak about.

    This is the single-group builder used by ``clxm-meta table1 FILE...``: all models are taken as
    one dataset. Directory scans group files into datasets first (`clxm_meta.dataset`).
    ``extra`` candidates (e.g. an intensity range computed from the pixels,
    `clxm_meta.pixels.intensity_candidates`) compete with the models' own by precedence.
    """
    cands: list[Candidate] = list(extra)
    per_model: list[tuple[FormatModel, set[DatasetKind]]] = []
    for model in models:
        own = candidates_for(model)
        cands.extend(own)
        per_model.append((model, {c.kind for c in own}))
    kinds = [k for k in DatasetKind if any(c.kind is k for c in cands)]
    files = [m.path for m in models]
    label = name or (_stem(files[0]) if len(files) == 1 else "dataset")
    records: list[Record] = []
    for k in kinds:
        # A file's findings go to the records its values went to; a file that gave no value at
        # all (an aborted acquisition, say) reports to every record.
        findings = [f for m, ks in per_model if not ks or k in ks for f in m.findings]
        records.append(build_record(k, cands, name=label, files=files, findings=findings))
    return records


def _stem(path: str) -> str:
    """Dataset name of a single file: its name without the format's extension(s).

    Only known extensions are removed, so a dotted name keeps its dots
    (``txrm2tiff-2.2.1__ts.ome.tiff`` → ``txrm2tiff-2.2.1__ts``).
    """
    base = os.path.basename(path)
    lower = base.lower()
    for ext in _KNOWN_EXTENSIONS:
        if lower.endswith(ext) and len(base) > len(ext):
            return base[: -len(ext)]
    return base
