"""``clxm-meta inspect FILE``: everything the reader found in one file."""

from __future__ import annotations

import argparse
import json
import sys

from clxm_meta.cli.common import emit, exit_for, plain, print_findings

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``inspect`` command."""
    p = sub.add_parser("inspect", help="show everything the reader found in one file")
    p.add_argument("file", help="the file to inspect")
    p.add_argument("--format", choices=("text", "json"), default="text", dest="fmt")
    p.add_argument("--reader", help="force a reader (skip detection), e.g. dv, mrc")
    p.add_argument(
        "--strict", action="store_true", help="fail on problems instead of reporting findings"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the format model of ``args.file``."""
    from clxm_meta.readers.registry import read

    model = read(args.file, format=args.reader, strict=args.strict)
    data = model.model_dump(mode="json")
    if args.fmt == "json":
        emit(json.dumps(data, indent=2, ensure_ascii=False), sys.stdout)
    else:
        findings = data.pop("findings", [])
        lines: list[str] = []
        plain(data, 0, lines)
        emit("\n".join(lines), sys.stdout)
        if findings:
            emit("findings:", sys.stdout)
            print_findings(model.findings, sys.stdout)
    return exit_for(model.findings)
