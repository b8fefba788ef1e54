"""``clxm-meta sidecar PATH``: write the depositor sidecar template (YAML)."""

from __future__ import annotations

import argparse
import sys

from clxm_meta.cli.common import EXIT_OK

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``sidecar`` command."""
    p = sub.add_parser("sidecar", help="write the depositor sidecar template (YAML)")
    p.add_argument("path", metavar="PATH", help="the deposition folder")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--sidecar", help="existing sidecar whose values to keep")
    p.add_argument(
        "--force",
        action="store_true",
        help="replace a template clxm-meta wrote (never one that was edited, never one inside "
        "the scanned tree)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the sidecar template for ``args.path``."""
    from clxm_meta.cli.deposition_common import write_file_output
    from clxm_meta.dataset.scan import scan
    from clxm_meta.io.output import check_not_input, check_replace_file
    from clxm_meta.sidecar.template import render_template

    if args.output is not None:
        # the sidecar lives in the tree: a new one may be written there, nothing there replaced
        check_not_input(args.output, args.path, allow_inside=True)
        check_replace_file(args.output, force=args.force)
    result = scan(args.path, sidecar=args.sidecar)
    text = render_template(result)
    if args.output is not None:
        check_not_input(args.output, result.root, allow_inside=True)
        write_file_output(
            args.output, text, force=args.force, command="sidecar", roots=[args.path, result.root]
        )
        if not getattr(args, "quiet", False):
            print(f"clxm-meta: sidecar template written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK
