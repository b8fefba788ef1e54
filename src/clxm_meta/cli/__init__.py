"""The ``clxm-meta`` command: a thin layer that parses arguments, calls the API and renders.

Exit codes (a contract for scripts): 0 ok; 1 at least one finding of severity error;
2 bad usage or unreadable / unsupported input (including an unreadable sidecar and an output that
exists without ``--force``); 3 nothing to report (``table1`` on a folder without a dataset or on
files that yield no Table 1 value, ``check`` on a folder without a dataset), with no error finding.

One module per command (``<name>_cmd.py``), each with ``add_parser(sub)`` and ``run(args)``; the
command modules import the library lazily, inside ``run``, so that ``--help`` and ``--version`` stay
fast. To add a command, write its module and name it in `COMMANDS`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from clxm_meta.cli.common import EXIT_ERROR_FINDINGS, EXIT_NOTHING, EXIT_OK, EXIT_USAGE
from clxm_meta.errors import ClxmMetaError

__all__ = ["COMMANDS", "EXIT_ERROR_FINDINGS", "EXIT_NOTHING", "EXIT_OK", "EXIT_USAGE", "main"]

COMMANDS = (
    "clxm_meta.cli.inspect_cmd",
    "clxm_meta.cli.table1_cmd",
    "clxm_meta.cli.check_cmd",
    "clxm_meta.cli.sidecar_cmd",
    "clxm_meta.cli.report_cmd",
)
"""Command modules, in the order ``--help`` lists them."""


class _VersionAction(argparse.Action):
    """``--version``: look the version up only when asked (importlib.metadata costs ~40 ms)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(
            option_strings,
            dest,
            default=argparse.SUPPRESS,
            nargs=0,
            help="show the version and exit",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        from clxm_meta import __version__

        sys.stdout.write(f"clxm-meta {__version__}\n")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clxm-meta",
        description="Deposition metadata (Table 1) for correlative cryo-SIM + cryo-SXT data.",
    )
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(name).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        status: int = args.run(args)
        return status
    except ClxmMetaError as exc:
        print(f"clxm-meta: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. `clxm-meta table1 ... | head`
        sys.stderr.close()
        return EXIT_OK
