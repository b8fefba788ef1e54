"""Completeness: for every Table 1 row of a record, is it filled, with what, and if not, who fills it.

Status of a row (``status``, machine-readable, stable):

- ``file`` / ``derived`` / ``assumption`` / ``sidecar``: filled, and how;
- ``missing_minable``: empty, but the protocol says a file carries it (origin file /
  reconstruction / attached);
- ``missing_facility``: empty; the facility knows it (origin facility);
- ``missing_depositor``: empty; only the depositor knows it (sidecar).

Beside it, every row carries what a person reviewing a deposition needs: the ``value`` with its
``unit`` and ``source`` (and ``source_text``, a short rendering), ``status_text`` in plain
language, ``assumption`` (what was assumed and why) for assumed values, and for empty rows a
``hint`` that is true of *this* dataset: a file that could carry the value is in the dataset but
does not hold it (and what was looked for, ``looked_in`` names those files), or no such file is in
the dataset (`clxm_meta.checks.carriers`).

The score is the share of rows filled (0-1).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from clxm_meta.checks.carriers import (
    FLAVOUR_WORDS,
    FORMAT_CARRIERS,
    ITSELF,
    Carrier,
    MemberFile,
    carriers_for,
    guess_members,
)
from clxm_meta.dataset.roles import PRIMARY_ROLES, ROLES
from clxm_meta.records.fields import FieldSpec, fields_for
from clxm_meta.records.models import Record
from clxm_meta.records.provenance import Source

__all__ = [
    "STATUS_TEXT",
    "Completeness",
    "RowStatus",
    "completeness",
    "completeness_all",
    "missing_status",
    "row_status",
]

STATUS_TEXT: dict[str, str] = {
    "file": "from a file",
    "derived": "derived from file values",
    "assumption": "assumed: review it",
    "sidecar": "from clxm.yaml",
    "facility": "from the facility profile",
    "missing_minable": "missing: no file in this dataset carries it",
    "missing_facility": "facility to supply (in clxm.yaml)",
    "missing_depositor": "you supply in clxm.yaml",
}
"""Plain-language words for each status (a missing row's text may be more specific)."""

_MINABLE_ORIGINS = ("file", "reconstruction", "attached")


class RowStatus(BaseModel):
    """Completeness of one row: status, value, unit, source and a hint when empty."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    label: str
    origin: str
    status: str
    hint: str | None = None
    status_text: str = ""
    value: Any = None
    unit: str | None = None
    source: dict[str, Any] | None = None
    source_text: str | None = None
    assumption: str | None = None
    looked_in: list[str] = []

    @property
    def filled(self) -> bool:
        """Whether the row has a value."""
        return not self.status.startswith("missing")


class Completeness(BaseModel):
    """Completeness of one record."""

    model_config = ConfigDict(extra="forbid")

    dataset: str
    kind: str
    rows: list[RowStatus]
    filled: int
    total: int
    score: float

    def __repr__(self) -> str:
        return (
            f"<Completeness {self.kind} {self.dataset!r}: {self.filled}/{self.total} rows filled>"
        )

    def _repr_html_(self) -> str:
        """Jupyter: every row with its status in words, value, source and hint."""
        from clxm_meta.render_html import esc, fragment, rows_table

        head = (
            f"<h3>{esc(self.kind)} dataset <code>{esc(self.dataset)}</code>: "
            f"{self.filled}/{self.total} rows filled ({self.score:.0%})</h3>"
        )
        return fragment(
            head + rows_table((r.model_dump(mode="json") for r in self.rows), status=True)
        )

    def count(self, status: str) -> int:
        """Number of rows with ``status``."""
        return sum(1 for r in self.rows if r.status == status)


def short_source(source: Source) -> str:
    """A short rendering of a source: file name and locator (the sidecar line for sidecar values)."""
    parts = []
    if source.path:
        parts.append(os.path.basename(source.path))
    if source.locator:
        parts.append(source.locator)
    return " · ".join(parts) or source.kind.value


def _assumption(source: Source) -> str:
    what = source.transform or "a default"
    if what.lower().startswith("assumed: "):
        what = what[len("assumed: ") :]
    where = f" ({short_source(source)})" if source.path or source.locator else ""
    return f"{what}{where}"


def missing_status(
    spec: FieldSpec, members: Sequence[MemberFile] | None
) -> tuple[str, str, str | None, list[str]]:
    """``(status, status_text, hint, looked_in)`` of an empty row.

    Parameters
    ----------
    spec
        The Table 1 row.
    members
        The dataset's files (``None``: unknown, the hint then names the kinds of file only).
    """
    parts = spec.origin.split("/")
    facility = "facility" in parts
    if not any(p in _MINABLE_ORIGINS for p in parts):
        if facility:
            return "missing_facility", STATUS_TEXT["missing_facility"], None, []
        return "missing_depositor", STATUS_TEXT["missing_depositor"], None, []
    who = "the facility can give it in clxm.yaml" if facility else "you can give it in clxm.yaml"
    carriers = carriers_for(spec.kind, spec.id)
    if not carriers:
        return (
            "missing_minable",
            "missing: no file clxm_meta reads carries it",
            f"clxm_meta reads this row from no file yet; {who}",
            [],
        )
    present = [(m, c) for m in (members or ()) for c in carriers if c.matches(m)]
    if present:
        looked = sorted({m.path for m, _c in present})
        shown = "; ".join(
            f"{os.path.basename(m.path)} ({c.file}) {m.set_aside}"
            if m.set_aside
            else f"{os.path.basename(m.path)} ({c.file}) is in the dataset but has none: looked "
            f"for its {c.looks_for}"
            if c.looks_for != ITSELF
            else f"{os.path.basename(m.path)} ({c.file})"
            for m, c in _first_per_file(present)
        )
        return (
            "missing_minable",
            "missing: the dataset's files do not carry it",
            f"{shown}; {who}",
            looked,
        )
    kinds = " or ".join(dict.fromkeys(c.file for c in carriers))
    read = [f"the {c.file}'s {c.looks_for}" for c in carriers if c.looks_for != ITSELF]
    where = f" (clxm_meta reads it from {' or '.join(dict.fromkeys(read))})" if read else ""
    lead = "no" if members is not None else "no file named like a"
    return (
        "missing_minable",
        STATUS_TEXT["missing_minable"],
        f"{lead} {kinds} in this dataset{where}{_near_misses(carriers, members)}"
        f"{_raw_note(spec, carriers, members)}; {who}",
        [],
    )


_RAW_SECTIONS = ("general", "setup", "acquisition", "raw")
"""Sections of rows a depositor expects the raw file itself to carry."""


def _raw_note(
    spec: FieldSpec, carriers: Sequence[Carrier], members: Sequence[MemberFile] | None
) -> str:
    """For a raw-file row: the dataset's raw file is here, but its format does not carry the row.

    (The hint of ``general.instrument`` once claimed the TXRM and the DV were absent while both
    were in the dataset; the truth is that clxm_meta reads the instrument from neither.)
    """
    if spec.id.split(".", 1)[0] not in _RAW_SECTIONS or any(
        c.looks_for == ITSELF for c in carriers
    ):
        return ""
    formats = {f for c in carriers for f in c.formats}
    raw = [
        m
        for m in members or ()
        if m.role in PRIMARY_ROLES and m.format is not None and m.format not in formats
    ]
    if not raw:
        return ""
    names = ", ".join(os.path.basename(m.path) for m in raw)
    fmts = " or ".join(sorted({(m.format or "").upper() for m in raw}))
    verb = "is" if len(raw) == 1 else "are"
    return f"; {names} {verb} here, but clxm_meta reads this row from no {fmts} field"


def _near_misses(carriers: Sequence[Carrier], members: Sequence[MemberFile] | None) -> str:
    """Files of a carrier's format that are not a carrier, and why.

    The hint must not say a dataset lacks an OME-TIFF when it holds three (in another role), nor
    call an ImageJ TIFF an OME-TIFF.
    """
    notes: list[str] = []
    for c in carriers:
        near = [m for m in members or () if m.format in c.formats and not c.matches(m)]
        flavour = [
            m
            for m in near
            if c.flavours is not None and m.flavour is not None and m.flavour not in c.flavours
        ]
        for m in flavour:
            words = FLAVOUR_WORDS.get(m.flavour or "", m.flavour or "")
            notes.append(f"{os.path.basename(m.path)} is {words}, not an {c.file}")
        other_role = [
            m
            for m in near
            if m not in flavour and c.roles is not None and c.file in FORMAT_CARRIERS
        ]
        if other_role:
            names = ", ".join(os.path.basename(m.path) for m in other_role[:5])
            more = f" and {len(other_role) - 5} more" if len(other_role) > 5 else ""
            roles = ", ".join(
                sorted({ROLES.get(m.role or "", (None, m.role or ""))[1] for m in other_role})
            )
            verb = "is" if len(other_role) == 1 else "are"
            notes.append(
                f"{names}{more} ({c.file}) {verb} here as {roles}, not as the file this row is "
                "read from"
            )
    unique = list(dict.fromkeys(notes))
    return "; " + "; ".join(unique) if unique else ""


def _first_per_file(pairs: list[tuple[MemberFile, Any]]) -> list[tuple[MemberFile, Any]]:
    seen: set[str] = set()
    out = []
    for m, c in pairs:
        if m.path not in seen:
            seen.add(m.path)
            out.append((m, c))
    return out


def row_status(record: Record, spec: FieldSpec, members: Sequence[MemberFile] | None) -> RowStatus:
    """The status of Table 1 row ``spec`` of ``record`` (one row of `completeness`).

    ``members`` as `completeness` takes them once guessed: ``None`` is left as it is here.
    """
    slot = record.get(spec.id)
    if slot is not None:
        dumped = slot.model_dump(mode="json")
        kind = slot.source.kind.value
        return RowStatus(
            id=spec.id,
            label=spec.label,
            origin=spec.origin,
            status=kind,
            status_text=STATUS_TEXT.get(kind, kind),
            value=dumped["value"],
            unit=slot.unit if slot.unit is not None else spec.unit,
            source=dumped["source"],
            source_text=short_source(slot.source),
            assumption=_assumption(slot.source) if kind == "assumption" else None,
        )
    status, text, hint, looked = missing_status(spec, members)
    return RowStatus(
        id=spec.id,
        label=spec.label,
        origin=spec.origin,
        status=status,
        status_text=text,
        hint=hint,
        unit=spec.unit,
        looked_in=looked,
    )


def completeness(record: Record, members: Sequence[MemberFile] | None = None) -> Completeness:
    """Completeness of one record, row by row.

    Parameters
    ----------
    record
        A SIM or SXT record.
    members
        The dataset's files with their format and role (from a scan). Default: guessed from
        ``record.files`` by file name.
    """
    if members is None and record.files:
        members = guess_members(record.files)
    out = [row_status(record, spec, members) for spec in fields_for(record.kind)]
    filled = sum(1 for r in out if r.filled)
    return Completeness(
        dataset=record.name,
        kind=record.kind.value,
        rows=out,
        filled=filled,
        total=len(out),
        score=round(filled / len(out), 3) if out else 0.0,
    )


def completeness_all(records: Sequence[Record]) -> list[Completeness]:
    """Completeness of every record (members guessed from file names)."""
    return [completeness(r) for r in records]
