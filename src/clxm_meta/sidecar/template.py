"""Write the depositor sidecar template, pre-filled with what the files say.

Every depositor and facility row of Table 1 appears once per dataset (people, funding, facility and
DOI once for all datasets; sample rows once per sample), with its label as a comment. A row the
files already fill is written with that value and its source in a comment: leave it as it is to keep
the file's value (and its provenance), or change it to override it (the override is recorded as a
``sidecar.override`` finding).
"""

from __future__ import annotations

from typing import Any

import yaml

from clxm_meta.records.fields import FieldSpec, fields_for
from clxm_meta.records.models import Record
from clxm_meta.records.provenance import SourceKind
from clxm_meta.records.scan import ScanResult
from clxm_meta.sidecar.validate import RELEASE_INSTRUCTIONS

__all__ = ["ALL_ROWS", "SAMPLE_ROWS", "render_template", "template_rows"]

ALL_ROWS = ("general.people", "general.funding", "general.facility", "general.publication_doi")
"""Rows written once for every dataset (under ``all:``)."""

SAMPLE_ROWS = ("sample.sample_id", "sample.fiducials", "sample.carrier")
"""Rows written once per sample (under ``samples:``)."""

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
    block = isinstance(value, list) and any(isinstance(v, dict) for v in value)
    text = yaml.safe_dump(
        {key: value},
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False if block else None,
        width=100,
    )
    return [pad + line for line in text.rstrip("\n").split("\n")]


def _row(spec: FieldSpec, record: Record | None, indent: int) -> list[str]:
    unit = f" ({spec.unit})" if spec.unit else ""
    head = f"{' ' * indent}# {spec.label}{unit}  [{spec.origin}]"
    slot = record.get(spec.id) if record is not None else None
    if slot is None:
        return [head, *_dump(spec.id, _PLACEHOLDERS.get(spec.id), indent)]
    value = slot.model_dump(mode="json")["value"]
    src = slot.source
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


def render_template(result: ScanResult) -> str:
    """The sidecar template for a scanned tree (deterministic text)."""
    recs = {r.name: r for r in result.records}
    out = [
        "# clxm_meta depositor sidecar: what no file knows (Table 1 rows marked depositor/facility).",
        "# Fill in, save as clxm.yaml at the root of the deposition, then run `clxm-meta check`.",
        "# Values already written were mined from the files (source in the comment): keep them to",
        "# keep the file as the source, or change them to override (the override is reported).",
        "# Leave unknown values empty (null). ORCIDs are checked (ISO 7064 MOD 11-2); accessions",
        "# must look like S-BIADnnn (BioStudies) or EMPIAR-nnnnn.",
        "version: 1",
        "",
        "# EMPIAR release instruction of the SXT data (protocol, Table 3):",
        *(f"#   {k}: {v}" for k, v in RELEASE_INSTRUCTIONS.items()),
        *_dump("release_instruction", _existing_release(result), 0),
        "",
        "# Rows shared by every dataset (a dataset entry below overrides them).",
        "all:",
    ]
    all_records = list(result.records)
    for fid in ALL_ROWS:
        spec = next(s for s in fields_for("SIM") if s.id == fid)
        out.extend(_row(spec, _first_with(all_records, fid), 2))
    out.append("")
    out.append("# One entry per sample (protocol step 1: each time point or state is a sample).")
    out.append("samples:")
    if not result.samples:
        out[-1] = "samples: {}"
    for sample in result.samples:
        out.append(f"  {yaml.safe_dump(sample.name, default_style=None).splitlines()[0]}:")
        members = [recs[d] for d in sample.datasets if d in recs]
        for fid in SAMPLE_ROWS:
            spec = next(s for s in fields_for("SIM") if s.id == fid)
            out.extend(_row(spec, _first_with(members, fid), 4))
    out.append("")
    out.append("# One entry per dataset (SIM → BioStudies, SXT → EMPIAR).")
    out.append("datasets:" if result.records else "datasets: {}")
    for rec in result.records:
        out.append(f"  {yaml.safe_dump(rec.name).splitlines()[0]}:")
        out.append(f"    kind: {rec.kind.value}")
        for spec in template_rows(fields_for(rec.kind)):
            out.extend(_row(spec, rec, 4))
    out.append("")
    out.append("# Correlative pairs (SIM + SXT of the same area). Found by folder/name rules;")
    out.append("# an explicit list here replaces those rules.")
    pairs = [{"sim": p.sim, "sxt": p.sxt} for p in result.pairs]
    out.extend(_dump("pairs", pairs, 0))
    out.extend(_empiar_blocks(result))
    return "\n".join(out) + "\n"


def _empiar_blocks(result: ScanResult) -> list[str]:
    """The ``citation``, ``empiar`` and ``biostudies`` blocks, keeping the sidecar's values."""
    from clxm_meta.sidecar.biostudies import BIOSTUDIES_KEYS, load_biostudies
    from clxm_meta.sidecar.citation import CITATION_KEYS, SCALES
    from clxm_meta.sidecar.load import load_sidecar

    citation: dict[str, Any] = dict.fromkeys(CITATION_KEYS)
    scale: str | None = None
    study: dict[str, Any] = dict.fromkeys(BIOSTUDIES_KEYS)
    study["organism"] = {"scientific_name": None, "common_name": None, "ncbi_taxon": None}
    if result.sidecar:
        study.update(load_biostudies(result.sidecar).values)
        sc = load_sidecar(result.sidecar)
        if sc.citation is not None:
            for key in CITATION_KEYS:
                citation[key] = getattr(sc.citation, key)
        if sc.empiar is not None and sc.empiar.scale is not None:
            scale = next(w for w, c in SCALES.items() if c == sc.empiar.scale)
    return [
        "",
        "# EMPIAR citation (required by EMPIAR, published or not). status: published, unpublished",
        "# or preprint; doi defaults to general.publication_doi, authors to general.people.",
        *_block("citation", citation),
        "",
        f"# EMPIAR entry options. scale: {', '.join(SCALES)} (the protocol images whole cells).",
        *_block("empiar", {"scale": scale}),
        "",
        "# BioStudies study facts (not Table 1 rows; docs/biostudies.md). license: CC0 or",
        "# CC BY 4.0; release_date: YYYY-MM-DD.",
        *_block("biostudies", study),
    ]


def _block(key: str, value: dict[str, Any]) -> list[str]:
    """A mapping in block style, one key a line (easier to fill in than flow style)."""
    text = yaml.safe_dump(
        {key: value}, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    return text.rstrip("\n").split("\n")


def _existing_release(result: ScanResult) -> str | None:
    values = set(result.release_instructions.values())
    return values.pop() if len(values) == 1 else None
