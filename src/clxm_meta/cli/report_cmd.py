"""``clxm-meta report PATH -o report.html``: the self-contained HTML deposition report."""

from __future__ import annotations

import argparse
import sys

from clxm_meta.cli.common import exit_for

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``report`` command."""
    p = sub.add_parser(
        "report",
        help="write a self-contained HTML deposition report to send to a depositor or curator",
        description="Scan a deposition folder and write one self-contained HTML page: samples, "
        "datasets and pairs, each dataset's Table 1 with value, unit and source, empty rows by who "
        "must supply them, findings by severity, the file/MD5 summary. Nothing is fetched when the "
        "page is opened.",
    )
    p.add_argument("path", metavar="PATH", help="the deposition folder")
    p.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the HTML file to write (report.html)"
    )
    p.add_argument("--sidecar", help="depositor sidecar (default: PATH/clxm.yaml)")
    p.add_argument(
        "--md5", action="store_true", help="also checksum every file (reads all the data)"
    )
    p.add_argument(
        "--no-duplicates", action="store_true", help="skip the duplicate-content check (no hashing)"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace a report clxm-meta wrote (never a file it did not write or that changed)",
    )
    p.add_argument(
        "--allow-inside-input",
        action="store_true",
        help="allow a new report to be written inside PATH (refused by default: inputs are "
        "read-only; nothing existing there is replaced)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the report of ``args.path`` to ``args.output``."""
    from clxm_meta.cli.deposition_common import write_file_output
    from clxm_meta.export.report import build_report, report_html
    from clxm_meta.io.output import check_not_input, check_replace_file

    # refuse before the scan (and the hashing with --md5)
    flag = "--allow-inside-input"
    check_not_input(args.output, args.path, allow_inside=args.allow_inside_input, flag=flag)
    check_replace_file(args.output, force=args.force)
    rep = build_report(
        args.path, sidecar=args.sidecar, md5=args.md5, check_duplicates=not args.no_duplicates
    )
    root = rep.result.root  # may lie above PATH (a sidecar found upwards)
    check_not_input(args.output, root, allow_inside=args.allow_inside_input, flag=flag)
    write_file_output(
        args.output, report_html(rep), force=args.force, command="report", roots=[args.path, root]
    )
    if not getattr(args, "quiet", False):
        if rep.result.sidecar:  # always say which sidecar's values are used
            print(f"clxm-meta: sidecar: {rep.result.sidecar}", file=sys.stderr)
        n = len(rep.result.datasets)
        print(
            f"clxm-meta: report of {n} dataset{'s' if n != 1 else ''} written to {args.output}",
            file=sys.stderr,
        )
    return exit_for(rep.findings, nothing=not rep.result.datasets)
