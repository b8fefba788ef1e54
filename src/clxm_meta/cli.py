"""The ``clxm-meta`` command: a thin layer that parses arguments, calls the API and renders.

Exit codes (a contract for scripts): 0 ok; 1 at least one finding of severity error;
2 bad usage or unreadable / unsupported input (including an unreadable sidecar and an output that
exists without ``--force``).

Commands: ``inspect FILE`` (one file's format model), ``table1 PATH...`` (Table 1 rows; a folder
gives one table per dataset), ``check PATH`` (scan + completeness + pre-deposition lint, optional
MD5 manifest), ``sidecar PATH`` (write the depositor sidecar template).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from clxm_meta import __version__
from clxm_meta.checks.completeness import Completeness, completeness
from clxm_meta.checks.lint import lint
from clxm_meta.checks.manifest import compute_manifest, format_manifest
from clxm_meta.checks.output import write_atomic
from clxm_meta.dataset.model import ScanResult
from clxm_meta.dataset.scan import scan
from clxm_meta.errors import ClxmMetaError
from clxm_meta.export.table import rows_to_json, rows_to_text, rows_to_tsv
from clxm_meta.findings import Finding, Severity, worst_severity
from clxm_meta.normalise.build import build_records
from clxm_meta.readers.base import FormatModel
from clxm_meta.readers.registry import read
from clxm_meta.records.models import Record
from clxm_meta.records.rows import Row, rows

__all__ = ["EXIT_ERROR_FINDINGS", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_ERROR_FINDINGS = 1
EXIT_USAGE = 2

TEXT_LIST_LIMIT = 12
"""In text output, lists longer than this show their first and last items only (JSON has all)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clxm-meta",
        description="Deposition metadata (Table 1) for correlative cryo-SIM + cryo-SXT data.",
    )
    parser.add_argument("--version", action="version", version=f"clxm-meta {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p_inspect = sub.add_parser("inspect", help="show everything the reader found in one file")
    p_inspect.add_argument("file", help="the file to inspect")
    p_inspect.add_argument("--format", choices=("text", "json"), default="text", dest="fmt")
    p_inspect.add_argument("--reader", help="force a reader (skip detection), e.g. dv, mrc")
    p_inspect.add_argument(
        "--strict", action="store_true", help="fail on problems instead of reporting findings"
    )

    p_table = sub.add_parser("table1", help="print the Table 1 rows that the given files yield")
    p_table.add_argument("paths", nargs="+", metavar="PATH", help="files (or dataset folders)")
    p_table.add_argument("--format", choices=("text", "json", "tsv"), default="text", dest="fmt")
    p_table.add_argument("--filled", action="store_true", help="only rows with a value")
    p_table.add_argument("--name", help="dataset name (default: the file stem)")
    p_table.add_argument(
        "--sidecar", help="depositor sidecar for folders (default: PATH/clxm.yaml)"
    )

    p_check = sub.add_parser(
        "check", help="scan a deposition folder: datasets, pairs, completeness, pre-upload lint"
    )
    p_check.add_argument("path", metavar="PATH", help="the deposition folder")
    p_check.add_argument("--format", choices=("text", "json"), default="text", dest="fmt")
    p_check.add_argument("--sidecar", help="depositor sidecar (default: PATH/clxm.yaml)")
    p_check.add_argument(
        "--manifest", metavar="FILE", help="also write an md5sum-compatible MD5 manifest to FILE"
    )
    p_check.add_argument(
        "--no-duplicates", action="store_true", help="skip the duplicate-content check (no hashing)"
    )
    p_check.add_argument("--force", action="store_true", help="overwrite the manifest file")

    p_side = sub.add_parser("sidecar", help="write the depositor sidecar template (YAML)")
    p_side.add_argument("path", metavar="PATH", help="the deposition folder")
    p_side.add_argument("-o", "--output", help="file to write (default: standard output)")
    p_side.add_argument("--sidecar", help="existing sidecar whose values to keep")
    p_side.add_argument("--force", action="store_true", help="overwrite the output file")
    return parser


def _plain(obj: Any, indent: int, out: list[str]) -> None:
    pad = "  " * indent
    if isinstance(obj, dict):
        for key, val in obj.items():
            if isinstance(val, dict | list) and val:
                out.append(f"{pad}{key}:")
                _plain(val, indent + 1, out)
            else:
                out.append(f"{pad}{key}: {_scalar(val)}")
    elif isinstance(obj, list):
        items = list(enumerate(obj))
        if len(items) > TEXT_LIST_LIMIT:
            head, tail = items[: TEXT_LIST_LIMIT // 2], items[-(TEXT_LIST_LIMIT // 2) :]
            skipped = len(items) - len(head) - len(tail)
            items = [*head, (-1, f"... {skipped} more (see --format json)"), *tail]
        for idx, val in items:
            if idx == -1:
                out.append(f"{pad}{val}")
            elif isinstance(val, dict | list) and val:
                out.append(f"{pad}- [{idx}]")
                _plain(val, indent + 1, out)
            else:
                out.append(f"{pad}- {_scalar(val)}")


def _scalar(val: Any) -> str:
    if val is None:
        return "—"
    if isinstance(val, dict | list):
        return "[]" if isinstance(val, list) else "{}"
    return str(val)


def _emit(text: str, stream: TextIO) -> None:
    stream.write(text if text.endswith("\n") else text + "\n")


def _print_findings(findings: Sequence[Finding], stream: TextIO) -> None:
    for finding in findings:
        _emit(str(finding), stream)


def _exit_for(findings: Sequence[Finding]) -> int:
    return EXIT_ERROR_FINDINGS if worst_severity(findings) is Severity.ERROR else EXIT_OK


def _cmd_inspect(args: argparse.Namespace) -> int:
    model = read(args.file, format=args.reader, strict=args.strict)
    data = model.model_dump(mode="json")
    if args.fmt == "json":
        _emit(json.dumps(data, indent=2, ensure_ascii=False), sys.stdout)
    else:
        findings = data.pop("findings", [])
        lines: list[str] = []
        _plain(data, 0, lines)
        _emit("\n".join(lines), sys.stdout)
        if findings:
            _emit("findings:", sys.stdout)
            _print_findings(model.findings, sys.stdout)
    return _exit_for(model.findings)


def _records_for_paths(
    paths: Sequence[str], name: str | None, sidecar: str | None = None
) -> tuple[list[Record], list[Finding], int]:
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


def _cmd_table1(args: argparse.Namespace) -> int:
    records, extra, status = _records_for_paths(args.paths, args.name, args.sidecar)
    table: list[Row] = [row for rec in records for row in rows(rec, filled_only=args.filled)]
    findings = [*extra, *(f for rec in records for f in rec.findings)]
    if args.fmt == "json":
        _emit(rows_to_json(table), sys.stdout)
    elif args.fmt == "tsv":
        sys.stdout.write(rows_to_tsv(table))
    else:
        if table:
            _emit(rows_to_text(table), sys.stdout)
        if findings:
            _emit("findings:", sys.stdout)
            _print_findings(findings, sys.stdout)
    if args.fmt != "text" and findings:
        _print_findings(findings, sys.stderr)
    if status != EXIT_OK:
        return status
    return _exit_for(findings)


def _check_text(
    result: ScanResult, table: Sequence[Completeness], findings: Sequence[Finding]
) -> str:
    out = [f"deposition {result.root}" + (f" (sidecar {result.sidecar})" if result.sidecar else "")]
    n_files = sum(1 for f in result.files if f.role != "sidecar")
    n_known = sum(1 for f in result.files if f.format is not None)
    out.append(f"files: {n_files} ({n_known} recognised)")
    for sample in result.samples:
        out.append(f"sample {sample.name}: {', '.join(sample.datasets)}  ({sample.evidence})")
    for pair in result.pairs:
        out.append(f"pair: {pair.sim} (SIM) <-> {pair.sxt} (SXT)  ({pair.evidence})")
    for comp, info in zip(table, result.datasets, strict=True):
        filled_by = ", ".join(
            f"{k} {comp.count(k)}"
            for k in ("file", "derived", "assumption", "sidecar")
            if comp.count(k)
        )
        out.append("")
        out.append(
            f"{comp.kind} dataset {comp.dataset}: {len(info.members)} files, "
            f"{comp.filled}/{comp.total} rows filled ({comp.score:.0%}; {filled_by or 'none'})"
        )
        for m in info.members:
            out.append(f"  file {m.path} [{m.role}]: {m.reason}")
        for r in comp.rows:
            hint = f"  ({r.hint})" if r.hint else ""
            out.append(f"  {r.status:<18} {r.id}{hint}")
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    out.append("")
    out.append(
        f"findings: {counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
        f"{counts[Severity.INFO]} info"
    )
    ordered = sorted(findings, key=lambda f: -f.severity.rank)
    out.extend(f"  {f}" for f in ordered)
    return "\n".join(out)


def _cmd_check(args: argparse.Namespace) -> int:
    result = scan(args.path, sidecar=args.sidecar)
    findings = [*result.all_findings(), *lint(result, check_duplicates=not args.no_duplicates)]
    table = [completeness(r) for r in result.records]
    manifest_path = None
    if args.manifest:
        out_abs = os.path.abspath(args.manifest)
        todo = [
            (f.path, os.path.join(result.root, f.path))
            for f in result.files
            if f.role != "sidecar" and os.path.abspath(os.path.join(result.root, f.path)) != out_abs
        ]
        entries, errs = compute_manifest(todo)
        findings.extend(errs)
        write_atomic(args.manifest, format_manifest(entries), force=args.force)
        manifest_path = args.manifest
    if args.fmt == "json":
        data = result.model_dump(mode="json", exclude={"records", "findings"})
        data["completeness"] = [c.model_dump(mode="json") for c in table]
        data["findings"] = [f.model_dump(mode="json") for f in findings]
        data["manifest"] = manifest_path
        _emit(json.dumps(data, indent=2, ensure_ascii=False), sys.stdout)
    else:
        _emit(_check_text(result, table, findings), sys.stdout)
        if manifest_path:
            _emit(f"MD5 manifest written to {manifest_path}", sys.stdout)
    return _exit_for(findings)


def _cmd_sidecar(args: argparse.Namespace) -> int:
    from clxm_meta.sidecar.template import render_template

    result = scan(args.path, sidecar=args.sidecar)
    text = render_template(result)
    if args.output:
        write_atomic(args.output, text, force=args.force)
        print(f"clxm-meta: sidecar template written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "inspect":
            return _cmd_inspect(args)
        if args.command == "table1":
            return _cmd_table1(args)
        if args.command == "check":
            return _cmd_check(args)
        if args.command == "sidecar":
            return _cmd_sidecar(args)
    except ClxmMetaError as exc:
        print(f"clxm-meta: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. `clxm-meta table1 ... | head`
        sys.stderr.close()
        return EXIT_OK
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE  # pragma: no cover - parser.error exits
