"""The ``clxm-meta`` command: a thin layer that parses arguments, calls the API and renders.

Exit codes (a contract for scripts): 0 ok; 1 at least one finding of severity error;
2 bad usage or unreadable / unsupported input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from clxm_meta import __version__
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


def _records_for_paths(paths: Sequence[str], name: str | None) -> tuple[list[Record], int]:
    files = [p for p in paths if not os.path.isdir(p)]
    dirs = [p for p in paths if os.path.isdir(p)]
    records: list[Record] = []
    status = EXIT_OK
    for directory in dirs:
        print(f"clxm-meta: {directory}: folders are not supported yet", file=sys.stderr)
        status = EXIT_USAGE
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
            for model in models:
                print(f"clxm-meta: {model.path}: no Table 1 value found", file=sys.stderr)
                _print_findings(model.findings, sys.stderr)
        records.extend(built)
    return records, status


def _cmd_table1(args: argparse.Namespace) -> int:
    records, status = _records_for_paths(args.paths, args.name)
    table: list[Row] = [row for rec in records for row in rows(rec, filled_only=args.filled)]
    findings = [f for rec in records for f in rec.findings]
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
    except ClxmMetaError as exc:
        print(f"clxm-meta: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. `clxm-meta table1 ... | head`
        sys.stderr.close()
        return EXIT_OK
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE  # pragma: no cover - parser.error exits
