"""Write the depositor sidecar template, pre-filled with what the files say.

Every depositor and facility row of Table 1 appears once per dataset (people, funding, facility and
DOI once for all datasets; sample rows once per sample), with its label as a comment. A row the
files already fill is written with that value and its source in a comment: leave it as it is to keep
the file's value (and its provenance), or change it to override it (the override is recorded as a
``sidecar.override`` finding).

Every structured row shows its shape: an empty ``setup.objective`` is written with each of its keys
set to ``null`` and units in comments, so the depositor never has to read the source to learn it.
A value from a facility profile is written as a comment (it stays the profile's, with its
citation, unless the depositor fills the row). Regenerating from an existing sidecar
(``sidecar --sidecar OLD``) keeps every value of OLD, including rows the template would not
offer (``samples.<name>.correlation.transform``, an override of a mined row). Values looked up
online or answered at a prompt (`Fills`) are written with their source in a comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from clxm_meta.records.fields import FieldSpec, fields_for
from clxm_meta.records.models import Record
from clxm_meta.records.provenance import SourceKind
from clxm_meta.records.scan import ScanResult
from clxm_meta.sidecar.shape import key_unit, skeleton, slot_type
from clxm_meta.sidecar.validate import RELEASE_INSTRUCTIONS

if TYPE_CHECKING:
    from clxm_meta.sidecar.load import Entry, Sidecar

__all__ = ["ALL_ROWS", "SAMPLE_ROWS", "Fills", "render_template", "template_rows"]

ALL_ROWS = ("general.people", "general.funding", "general.facility", "general.publication_doi")
"""Rows written once for every dataset (under ``all:``)."""

SAMPLE_ROWS = ("sample.sample_id", "sample.fiducials", "sample.carrier")
"""Rows written once per sample (under ``samples:``)."""

SAMPLE_TEMPLATE_ROWS = (*SAMPLE_ROWS, "correlation.transform")
"""What the template writes under each sample: the sample rows and the pair's correlation
transform (mined from a correlation file when there is one)."""


@dataclass
class Fills:
    """Values to write into the template that no file gave: look-ups and answers to ``--ask``.

    ``rows`` are Table 1 rows written under ``all`` (id → value); ``blocks`` are keys of the
    ``citation`` / ``biostudies`` blocks (``("citation", "title")`` → value); ``top`` are top-level
    keys (``release_instruction``). ``notes`` says where each came from (a URL, "answered at the
    prompt"), written as a comment above it.
    """

    rows: dict[str, Any] = field(default_factory=dict)
    blocks: dict[tuple[str, str], Any] = field(default_factory=dict)
    top: dict[str, Any] = field(default_factory=dict)
    scoped: dict[tuple[str, str, str], Any] = field(default_factory=dict)
    """Rows of one sample or dataset: ``("sample" | "dataset", name, row id)`` → value."""
    notes: dict[str, str] = field(default_factory=dict)
    """Key (``"general.people"``, ``"citation"``, ``"biostudies.description"`` …) → comment."""


_PLACEHOLDERS: dict[str, Any] = {
    "general.people": [
        {
            "name": None,
            "first_name": None,
            "last_name": None,
            "affiliation": None,
            "orcid": None,
            "email": None,
            "country": None,
            "role": None,
            "corresponding_author": None,
            "principal_investigator": None,
            "ror": None,
        }
    ],
    "general.funding": [{"agency": None, "grant_id": None}],
    "related.accessions": [],
    "sample.fluorophores": [],
}


def template_rows(kind_rows: tuple[FieldSpec, ...]) -> list[FieldSpec]:
    """The depositor / facility rows of one kind that go under ``datasets:``."""
    return [
        s
        for s in kind_rows
        if ("depositor" in s.origin or "facility" in s.origin)
        and s.id not in ALL_ROWS
        and s.id not in SAMPLE_ROWS
    ]


def _dump(key: str, value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if not isinstance(value, dict | list):
        scalar = yaml.safe_dump(value, allow_unicode=True, width=1000).split("\n")[0]
        return [f"{pad}{key}: {scalar}"]
    # people and funding (lists of mappings) read best one key a line; other values in flow style
    # (a matrix inside, as in correlation.transform, stays one row a line)
    block = isinstance(value, list) and any(isinstance(v, dict) for v in value)
    nested = block and any(
        isinstance(x, dict | list) for v in value if isinstance(v, dict) for x in v.values()
    )
    text = yaml.safe_dump(
        {key: value},
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False if block and not nested else None,
        width=100,
    )
    return [pad + line for line in text.rstrip("\n").split("\n")]


def _skeleton_lines(key: str, skel: Any, indent: int) -> list[str]:
    """A structured row's placeholder in block style, one key a line, units in comments."""
    pad = " " * indent

    def keyline(k: str, prefix: str) -> str:
        unit = key_unit(k)
        return f"{prefix}{k}: null" + (f"  # {unit}" if unit else "")

    if isinstance(skel, dict):
        return [f"{pad}{key}:", *(keyline(k, pad + "  ") for k in skel)]
    if isinstance(skel, list) and skel and isinstance(skel[0], dict):
        keys = list(skel[0])
        return [
            f"{pad}{key}:",
            keyline(keys[0], pad + "  - "),
            *(keyline(k, pad + "    ") for k in keys[1:]),
        ]
    return _dump(key, skel, indent)


def _empty(spec: FieldSpec, indent: int) -> list[str]:
    if spec.id in _PLACEHOLDERS:
        value = _PLACEHOLDERS[spec.id]
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return _skeleton_lines(spec.id, value, indent)
        return _dump(spec.id, value, indent)
    return _skeleton_lines(spec.id, skeleton(slot_type(spec.kind, spec.id)), indent)


def _no_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _no_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_no_nulls(v) for v in value]
    return value


def _row(
    spec: FieldSpec,
    record: Record | None,
    indent: int,
    entry: Entry | None = None,
    fill: tuple[Any, str] | None = None,
) -> list[str]:
    unit = f" ({spec.unit})" if spec.unit else ""
    head = f"{' ' * indent}# {spec.label}{unit}  [{spec.origin}]"
    if fill is not None:
        return [f"{head} {fill[1]}", *_dump(spec.id, fill[0], indent)]
    if entry is not None:
        return [
            f"{head} from the sidecar (line {entry.line})",
            *_dump(spec.id, entry.value, indent),
        ]
    slot = record.get(spec.id) if record is not None else None
    if slot is None:
        return [head, *_empty(spec, indent)]
    value = slot.model_dump(mode="json")["value"]
    src = slot.source
    if src.kind is SourceKind.FACILITY:
        shown = yaml.safe_dump(
            _no_nulls(value), default_flow_style=True, allow_unicode=True, width=10_000
        ).splitlines()[0]
        return [
            f"{head} from the {src.reader}: {shown}",
            f"{' ' * indent}#   {src.transform}; fill the row to replace it",
            *_empty(spec, indent),
        ]
    note = "from the sidecar" if src.kind is SourceKind.SIDECAR else f"mined: {src}"
    return [f"{head} {note}", *_dump(spec.id, value, indent)]


def _first_with(records: list[Record], field_id: str) -> Record | None:
    for r in records:
        try:
            if r.get(field_id) is not None:
                return r
        except KeyError:
            continue
    return None


def _entries(sc: Sidecar | None) -> dict[tuple[str, str | None, str], Entry]:
    return {(e.scope, e.target, e.field): e for e in sc.entries} if sc is not None else {}


def _kept(
    entries: dict[tuple[str, str | None, str], Entry],
    scope: str,
    target: str | None,
    written: set[str],
    indent: int,
) -> list[str]:
    """The sidecar's values of one entry that the template did not write (kept as they were)."""
    out: list[str] = []
    for (sc_scope, sc_target, fid), e in entries.items():
        if sc_scope == scope and sc_target == target and fid not in written:
            out.append(f"{' ' * indent}# kept from the sidecar (line {e.line})")
            out.extend(_dump(fid, e.value, indent))
    return out


def render_template(
    result: ScanResult, *, fills: Fills | None = None, facility: str | None = None
) -> str:
    """The sidecar template for a scanned tree (deterministic text).

    Parameters
    ----------
    result
        The scan; its sidecar (if any) gives the values to keep.
    fills
        Values looked up online or answered at a prompt, written with their source.
    facility
        The facility profile to name in the ``facility`` key (default: the scan's).
    """
    from clxm_meta.sidecar.load import load_sidecar

    fills = fills or Fills()
    sc = load_sidecar(result.sidecar) if result.sidecar else None
    entries = _entries(sc)
    recs = {r.name: r for r in result.records}
    fac = facility or result.facility or (sc.facility if sc is not None else None)
    out = [
        "# clxm_meta depositor sidecar: what no file knows (Table 1 rows marked depositor/facility).",
        "# Fill in, save as clxm.yaml at the root of the deposition, then run `clxm-meta check`.",
        "# Values already written were mined from the files (source in the comment): keep them to",
        "# keep the file as the source, or change them to override (the override is reported).",
        "# Leave unknown values empty (null). ORCIDs are checked (ISO 7064 MOD 11-2); accessions",
        "# must look like S-BIADnnn (BioStudies) or EMPIAR-nnnnn. Structured rows show their keys;",
        "# docs/sidecar.md has a filled example of each.",
        "version: 1",
        "",
        "# Facility profile merged beneath this file (rows the facility supplies, each with its",
        "# public source): a shipped name (diamond-b24) or the path of a profile YAML.",
        *_dump("facility", fac, 0),
        "",
        "# EMPIAR release instruction of the SXT data (protocol, Table 3):",
        *(f"#   {k}: {v}" for k, v in RELEASE_INSTRUCTIONS.items()),
    ]
    if "release_instruction" in fills.top:
        out.append(f"# {fills.notes.get('release_instruction', 'given')}")
        out.extend(_dump("release_instruction", fills.top["release_instruction"], 0))
    else:
        out.extend(_dump("release_instruction", _existing_release(result, sc), 0))
    out += ["", "# Rows shared by every dataset (a dataset entry below overrides them).", "all:"]
    all_records = list(result.records)
    for fid in ALL_ROWS:
        spec = next(s for s in fields_for("SIM") if s.id == fid)
        fill = (fills.rows[fid], fills.notes.get(fid, "")) if fid in fills.rows else None
        out.extend(
            _row(spec, _first_with(all_records, fid), 2, entries.get(("all", None, fid)), fill)
        )
    extra = {fid: v for fid, v in fills.rows.items() if fid not in ALL_ROWS}
    for fid, value in extra.items():
        out.append(f"  # {fills.notes.get(fid, '')}".rstrip())
        out.extend(_dump(fid, value, 2))
    out.extend(_kept(entries, "all", None, {*ALL_ROWS, *extra}, 2))
    out.append("")
    out.append("# One entry per sample (protocol step 1: each time point or state is a sample).")
    out.append("samples:")
    samples = [s.name for s in result.samples]
    samples += sorted(sc.samples - set(samples)) if sc is not None else []
    if not samples:
        out[-1] = "samples: {}"
    members_of = {s.name: s.datasets for s in result.samples}
    for name in samples:
        out.append(f"  {yaml.safe_dump(name, default_style=None).splitlines()[0]}:")
        members = [recs[d] for d in members_of.get(name, []) if d in recs]
        for fid in SAMPLE_TEMPLATE_ROWS:
            spec = next(s for s in fields_for("SIM") if s.id == fid)
            fill = _scoped(fills, "sample", name, fid)
            out.extend(
                _row(spec, _first_with(members, fid), 4, entries.get(("sample", name, fid)), fill)
            )
        out.extend(_release_line(sc, ("sample", name), 4))
        out.extend(_kept(entries, "sample", name, set(SAMPLE_TEMPLATE_ROWS), 4))
    out.append("")
    out.append("# One entry per dataset (SIM → BioStudies, SXT → EMPIAR).")
    names = [r.name for r in result.records]
    unknown = sorted(set(sc.datasets) - set(names)) if sc is not None else []
    out.append("datasets:" if names or unknown else "datasets: {}")
    for rec in result.records:
        out.append(f"  {yaml.safe_dump(rec.name).splitlines()[0]}:")
        out.append(f"    kind: {rec.kind.value}")
        out.extend(_release_line(sc, ("dataset", rec.name), 4))
        rows = template_rows(fields_for(rec.kind))
        for spec in rows:
            fill = _scoped(fills, "dataset", rec.name, spec.id)
            out.extend(_row(spec, rec, 4, entries.get(("dataset", rec.name, spec.id)), fill))
        out.extend(_kept(entries, "dataset", rec.name, {s.id for s in rows}, 4))
    for name in unknown:  # kept although the scan has no such dataset (a finding says so)
        kind = sc.datasets[name][0] if sc is not None else None
        out.append(f"  {yaml.safe_dump(name).splitlines()[0]}:")
        if kind is not None:
            out.append(f"    kind: {kind.value}")
        out.extend(_release_line(sc, ("dataset", name), 4))
        out.extend(_kept(entries, "dataset", name, set(), 4))
    out.append("")
    out.append("# Correlative pairs (SIM + SXT of the same area). Found by folder/name rules;")
    out.append("# an explicit list here replaces those rules.")
    pairs = [{"sim": p.sim, "sxt": p.sxt} for p in result.pairs]
    out.extend(_dump("pairs", pairs, 0))
    out.extend(_empiar_blocks(result, sc, fills))
    return "\n".join(out) + "\n"


def _scoped(fills: Fills, scope: str, name: str, fid: str) -> tuple[Any, str] | None:
    key = (scope, name, fid)
    if key not in fills.scoped:
        return None
    return fills.scoped[key], fills.notes.get(f"{scope}:{name}:{fid}", "")


def _release_line(sc: Sidecar | None, key: tuple[str, str | None], indent: int) -> list[str]:
    if sc is None or key not in sc.release:
        return []
    return _dump("release_instruction", sc.release[key][0], indent)


def _empiar_blocks(result: ScanResult, sc: Sidecar | None, fills: Fills) -> list[str]:
    """The ``citation``, ``empiar`` and ``biostudies`` blocks, keeping the sidecar's values."""
    from clxm_meta.sidecar.biostudies import BIOSTUDIES_KEYS, load_biostudies
    from clxm_meta.sidecar.citation import CITATION_KEYS, SCALES

    citation: dict[str, Any] = dict.fromkeys(CITATION_KEYS)
    scale: str | None = None
    study: dict[str, Any] = dict.fromkeys(BIOSTUDIES_KEYS)
    study["organism"] = {"scientific_name": None, "common_name": None, "ncbi_taxon": None}
    if result.sidecar and sc is not None:
        study.update(load_biostudies(result.sidecar).values)
        if sc.citation is not None:
            for key in CITATION_KEYS:
                citation[key] = getattr(sc.citation, key)
            orcids = sc.citation.author_orcids
            if orcids and sc.citation.authors:
                citation["authors"] = [
                    {"name": n, "orcid": o} if o else n
                    for n, o in zip(sc.citation.authors, orcids, strict=True)
                ]
        if sc.empiar is not None and sc.empiar.scale is not None:
            scale = next(w for w, c in SCALES.items() if c == sc.empiar.scale)
    for (block, key), value in fills.blocks.items():
        if block == "citation" and citation.get(key) is None:
            citation[key] = value
        elif block == "biostudies" and isinstance(value, dict):
            current = study.get(key)
            have: dict[str, Any] = current if isinstance(current, dict) else {}
            study[key] = {**value, **{k: v for k, v in have.items() if v is not None}}
        elif block == "biostudies" and study.get(key) in (None, {}, []):
            study[key] = value
        elif block == "empiar" and key == "scale" and scale is None:
            scale = value
    return [
        "",
        "# EMPIAR citation (required by EMPIAR, published or not). status: published, unpublished",
        "# or preprint; doi defaults to general.publication_doi, authors to general.people.",
        *([f"# {fills.notes['citation']}"] if "citation" in fills.notes else []),
        *_block("citation", citation),
        "",
        f"# EMPIAR entry options. scale: {', '.join(SCALES)} (the protocol images whole cells).",
        *_block("empiar", {"scale": scale}),
        "",
        "# BioStudies study facts (not Table 1 rows; docs/biostudies.md). license: CC0 or",
        "# CC BY 4.0; release_date: YYYY-MM-DD.",
        *([f"# {fills.notes['biostudies']}"] if "biostudies" in fills.notes else []),
        *_block("biostudies", study),
    ]


def _block(key: str, value: dict[str, Any]) -> list[str]:
    """A mapping in block style, one key a line (easier to fill in than flow style)."""
    text = yaml.safe_dump(
        {key: value}, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    return text.rstrip("\n").split("\n")


def _existing_release(result: ScanResult, sc: Sidecar | None) -> str | None:
    if sc is not None and ("all", None) in sc.release:
        return sc.release[("all", None)][0]
    values = set(result.release_instructions.values())
    return values.pop() if len(values) == 1 else None
