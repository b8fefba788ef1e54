"""``clxm-meta table1 PATH...``: the Table 1 rows that files (or dataset folders) yield."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from clxm_meta.cli.common import EXIT_OK, EXIT_USAGE, emit, exit_for, print_findings
from clxm_meta.cli.rich_out import use_rich
from clxm_meta.errors import ClxmMetaError

if TYPE_CHECKING:
    from clxm_meta.checks.carriers import MemberFile
    from clxm_meta.findings import Finding
    from clxm_meta.normalise.candidate import Candidate
    from clxm_meta.readers.base import FormatModel
    from clxm_meta.records.models import Record

__all__ = ["Gathered", "add_parser", "gather", "records_for_paths", "run"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``table1`` command."""
    p = sub.add_parser("table1", help="print the Table 1 rows that the given files yield")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files (or dataset folders)")
    p.add_argument("--format", choices=("text", "json", "tsv"), default="text", dest="fmt")
    p.add_argument("--filled", action="store_true", help="only rows with a value")
    p.add_argument("--name", help="dataset name (default: the file stem)")
    p.add_argument(
        "--sidecar",
        help="depositor sidecar for folders (default: the nearest clxm.yaml in PATH or above it)",
    )
    p.add_argument(
        "--scan-intensities",
        action="store_true",
        help="read the pixels of the raw DV/MRC files given (not folders) for an exact "
        "raw.intensity_range (streamed; outranks the header's statistics)",
    )
    p.set_defaults(run=run)


@dataclass
class Gathered:
    """What the paths yield: records, extra findings, a usage status, files and sidecars used."""

    records: list[Record] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    status: int = EXIT_OK
    members: dict[str, list[MemberFile]] = field(default_factory=dict)
    sidecars: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """One-line remarks for the user (nothing found in a folder, no value in a file)."""


def gather(
    paths: Sequence[str],
    name: str | None,
    sidecar: str | None = None,
    *,
    scan_intensities: bool = False,
) -> Gathered:
    """Records for a mix of files (one dataset) and folders (scanned)."""
    from clxm_meta.checks.carriers import dataset_members
    from clxm_meta.dataset.scan import scan
    from clxm_meta.findings import Severity
    from clxm_meta.normalise.build import build_records
    from clxm_meta.readers.registry import read

    files = [p for p in paths if not os.path.isdir(p)]
    dirs = [p for p in paths if os.path.isdir(p)]
    out = Gathered()
    for directory in dirs:
        result = scan(directory, sidecar=sidecar)
        out.records.extend(result.records)
        out.findings.extend(f for f in result.findings if f.severity is not Severity.INFO)
        for d in result.datasets:
            out.members[d.name] = dataset_members(result, d.name)
        if result.sidecar and result.sidecar not in out.sidecars:
            out.sidecars.append(result.sidecar)
        if not result.records:
            out.notes.append(
                f"{directory}: no dataset found (no raw or processed file that clxm_meta reads)"
            )
    models: list[FormatModel] = []
    for path in files:
        try:
            models.append(read(path))
        except ClxmMetaError as exc:
            from clxm_meta.cli.hints import path_hint

            print(f"clxm-meta: {exc}", file=sys.stderr)
            hint = path_hint(path)
            if hint is not None:
                print(f"clxm-meta: hint: {hint}", file=sys.stderr)
            out.status = EXIT_USAGE
    if models:
        extra = _intensity_candidates(models, out) if scan_intensities else []
        built = build_records(models, name=name, extra=extra)
        if not built:
            # Nothing to tabulate (an aborted acquisition, say): the files' findings still decide
            # the exit code, so a script sees error findings as exit 1.
            for model in models:
                out.notes.append(f"{model.path}: no Table 1 value found")
                out.findings.extend(model.findings)
        out.records.extend(built)
    return out


def _intensity_candidates(models: list[FormatModel], out: Gathered) -> list[Candidate]:
    """``raw.intensity_range`` from the pixels of the raw stacks among ``models``."""
    from clxm_meta.normalise.build import candidates_for
    from clxm_meta.pixels.intensity import intensity_candidates, scan_intensities
    from clxm_meta.records.fields import DatasetKind

    extra: list[Candidate] = []
    for model in models:
        if model.format not in ("dv", "mrc"):
            continue
        if not any(
            c.field.startswith("raw.") and c.kind is DatasetKind.SIM for c in candidates_for(model)
        ):
            continue  # not a raw light-microscopy stack: raw.intensity_range is not its row
        try:
            extra.extend(intensity_candidates(scan_intensities(model)))
        except (ClxmMetaError, OSError) as exc:
            out.notes.append(f"{model.path}: intensity scan not done: {exc}")
    return extra


def records_for_paths(
    paths: Sequence[str], name: str | None, sidecar: str | None = None
) -> tuple[list[Record], list[Finding], int]:
    """Records for a mix of files (one dataset) and folders (scanned); extra findings; status."""
    got = gather(paths, name, sidecar)
    return got.records, got.findings, got.status


def run(args: argparse.Namespace) -> int:
    """Print the rows of every record the paths yield."""
    from clxm_meta.checks.completeness import completeness
    from clxm_meta.export.table import rows_to_text, rows_to_tsv
    from clxm_meta.records.rows import Row, rows

    got = gather(args.paths, args.name, args.sidecar, scan_intensities=args.scan_intensities)
    records = got.records
    table: list[Row] = [row for rec in records for row in rows(rec, filled_only=args.filled)]
    findings = [*got.findings, *(f for rec in records for f in rec.findings)]
    if args.fmt == "json":
        doc = {
            "rows": [r.model_dump(mode="json") for r in table],
            "findings": [f.model_dump(mode="json") for f in findings],
            "sidecars": got.sidecars,
            "notes": got.notes,
        }
        emit(json.dumps(doc, indent=2, ensure_ascii=False), sys.stdout)
    elif args.fmt == "tsv":
        sys.stdout.write(rows_to_tsv(table))
    else:
        for note in got.notes:
            print(f"clxm-meta: {note}", file=sys.stderr)
        for used in got.sidecars:
            emit(f"sidecar: {used}", sys.stdout)
        if table:
            notes = {
                (comp.dataset, r.id): r.status_text
                for rec in records
                for comp in (completeness(rec, got.members.get(rec.name)),)
                for r in comp.rows
                if not r.filled
            }
            if use_rich():
                from clxm_meta.cli.rich_out import print_table1_rich

                print_table1_rich(table, notes)
            else:
                emit(rows_to_text(table, notes=notes), sys.stdout)
        if findings and use_rich():
            from clxm_meta.cli.rich_out import print_findings_rich

            print_findings_rich(findings)
        elif findings:
            emit("findings:", sys.stdout)
            print_findings(findings, sys.stdout)
    if args.fmt == "tsv":
        for note in got.notes:
            print(f"clxm-meta: {note}", file=sys.stderr)
        if findings:
            print_findings(findings, sys.stderr)
    if got.status != EXIT_OK:
        return got.status
    return exit_for(findings, nothing=not records)
