"""``clxm-meta table1 PATH...``: the Table 1 rows that files (or dataset folders) yield."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from clxm_meta.cli.common import EXIT_OK, EXIT_USAGE, emit, exit_for, print_findings
from clxm_meta.errors import ClxmMetaError
from clxm_meta.findings import Finding, Severity
from clxm_meta.records.models import Record

__all__ = ["add_parser", "records_for_paths", "run"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``table1`` command."""
    p = sub.add_parser("table1", help="print the Table 1 rows that the given files yield")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files (or dataset folders)")
    p.add_argument("--format", choices=("text", "json", "tsv"), default="text", dest="fmt")
    p.add_argument("--filled", action="store_true", help="only rows with a value")
    p.add_argument("--name", help="dataset name (default: the file stem)")
    p.add_argument("--sidecar", help="depositor sidecar for folders (default: PATH/clxm.yaml)")
    p.set_defaults(run=run)


def records_for_paths(
    paths: Sequence[str], name: str | None, sidecar: str | None = None
) -> tuple[list[Record], list[Finding], int]:
    """Records for a mix of files (one dataset) and folders (scanned); extra findings; status."""
    from clxm_meta.dataset.scan import scan
    from clxm_meta.normalise.build import build_records
    from clxm_meta.readers.base import FormatModel
    from clxm_meta.readers.registry import read

    files = [p for p in paths if not os.path.isdir(p)]
    dirs = [p for p in paths if os.path.isdir(p)]
    records: list[Record] = []
    extra: list[Finding] = []
    status = EXIT_OK
    for directory in dirs:
        result = scan(directory, sidecar=sidecar)
        records.extend(result.records)
        extra.extend(f for f in result.findings if f.severity is not Severity.INFO)
        if not result.records:
            print(f"clxm-meta: {directory}: no dataset found", file=sys.stderr)
    models: list[FormatModel] = []
    for path in files:
        try:
            models.append(read(path))
        except ClxmMetaError as exc:
            print(f"clxm-meta: {exc}", file=sys.stderr)
            status = EXIT_USAGE
    if models:
        built = build_records(models, name=name)
        if not built:
            # Nothing to tabulate (an aborted acquisition, say): the files' findings still decide
            # the exit code, so a script sees error findings as exit 1.
            for model in models:
                print(f"clxm-meta: {model.path}: no Table 1 value found", file=sys.stderr)
                extra.extend(model.findings)
        records.extend(built)
    return records, extra, status


def run(args: argparse.Namespace) -> int:
    """Print the rows of every record the paths yield."""
    from clxm_meta.export.table import rows_to_json, rows_to_text, rows_to_tsv
    from clxm_meta.records.rows import Row, rows

    records, extra, status = records_for_paths(args.paths, args.name, args.sidecar)
    table: list[Row] = [row for rec in records for row in rows(rec, filled_only=args.filled)]
    findings = [*extra, *(f for rec in records for f in rec.findings)]
    if args.fmt == "json":
        emit(rows_to_json(table), sys.stdout)
    elif args.fmt == "tsv":
        sys.stdout.write(rows_to_tsv(table))
    else:
        if table:
            emit(rows_to_text(table), sys.stdout)
        if findings:
            emit("findings:", sys.stdout)
            print_findings(findings, sys.stdout)
    if args.fmt != "text" and findings:
        print_findings(findings, sys.stderr)
    if status != EXIT_OK:
        return status
    return exit_for(findings)
