"""The ``clxm-meta`` command: a thin layer that parses arguments, calls the API and renders.

Exit codes (a contract for scripts): 0 ok; 1 at least one finding of severity error;
2 bad usage or unreadable / unsupported input (including an unreadable sidecar and an output that
exists without ``--force``, an output inside the scanned tree); 3 nothing to report (``table1`` on
a folder without a dataset or on files that yield no Table 1 value, ``check`` on a folder without a
dataset), with no error finding; 4 ``deposit`` / ``export`` refused because required values are
missing (nothing written).

One module per command (``<name>_cmd.py``), each with ``add_parser(sub)`` and ``run(args)``; the
command modules import the library lazily, inside ``run``, so that ``--help`` and ``--version`` stay
fast. To add a command, write its module and name it in `COMMANDS`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NoReturn, cast

from clxm_meta.cli.common import (
    EXIT_ERROR_FINDINGS,
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_USAGE,
)
from clxm_meta.errors import ClxmMetaError

if TYPE_CHECKING:
    import argparse

__all__ = [
    "COMMANDS",
    "EXIT_ERROR_FINDINGS",
    "EXIT_INCOMPLETE",
    "EXIT_INTERRUPTED",
    "EXIT_NOTHING",
    "EXIT_OK",
    "EXIT_USAGE",
    "entry",
    "main",
]

COMMANDS = (
    "clxm_meta.cli.inspect_cmd",
    "clxm_meta.cli.table1_cmd",
    "clxm_meta.cli.check_cmd",
    "clxm_meta.cli.sidecar_cmd",
    "clxm_meta.cli.report_cmd",
    "clxm_meta.cli.deposit_cmd",
    "clxm_meta.cli.export_cmd",
)
"""Command modules, in the order ``--help`` lists them."""


def _command_name(module: str) -> str:
    """``clxm_meta.cli.table1_cmd`` -> ``table1``."""
    return module.rsplit(".", 1)[1].removesuffix("_cmd")


_PARSER_NAMES = frozenset(
    {
        "EPILOG",
        "_CommandParser",
        "_HelpFormatter",
        "_RawDescriptionHelpFormatter",
        "_VersionAction",
        "_add_common_flags",
        "_columns",
        "_parser",
    }
)
"""Names defined in `clxm_meta.cli.parser`, still reachable here (imported on first use)."""


def __getattr__(name: str) -> Any:
    if name in _PARSER_NAMES:
        from clxm_meta.cli import parser

        return getattr(parser, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _inspect_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """``inspect FILE`` with nothing else: what the parser would return, without building it.

    The commonest run, so its start-up matters (issue 21): argparse, gettext's locale lookups and
    the parser are ~5 % of a fresh ``clxm-meta inspect FILE``. ``None`` for any other command
    line (options, another command, a file name starting with ``-``): those go to argparse. A test
    compares the two on many file names.
    """
    if len(argv) != 2 or argv[0] != "inspect" or argv[1].startswith("-"):
        return None
    from clxm_meta.cli import inspect_cmd

    args = SimpleNamespace(
        quiet=False,
        verbose=False,
        command="inspect",
        file=argv[1],
        fmt="text",
        reader=None,
        strict=False,
        scan_intensities=False,
        run=inspect_cmd.run,
    )
    return cast("argparse.Namespace", args)  # the same attributes, read the same way


def _verbose_error(exc: BaseException) -> None:
    cause = exc.__cause__ or exc.__context__
    while cause is not None:
        print(f"clxm-meta:   caused by {type(cause).__name__}: {cause}", file=sys.stderr)
        cause = cause.__cause__ or cause.__context__


def entry() -> NoReturn:
    """The ``clxm-meta`` program (console script, ``python -m clxm_meta``): run and exit.

    In-process callers (tests, other tools) call `main`, which returns the code instead.
    """
    from clxm_meta.cli.fast_exit import exit_process

    argv = sys.argv[1:]
    status = main(argv)
    exit_process(status, _command_word(argv))


def _command_word(argv: Sequence[str]) -> str | None:
    """The first word that is not an option: the command (no top-level option takes a value)."""
    return next((a for a in argv if not a.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    from clxm_meta.cli.hints import command_suggestion, hint_for

    argv = list(sys.argv[1:] if argv is None else argv)
    names = [_command_name(n) for n in COMMANDS]
    first = _command_word(argv)
    suggestion = command_suggestion(argv, names)
    if suggestion is not None:
        print(suggestion, file=sys.stderr)
        return EXIT_USAGE
    args = _inspect_args(argv)
    if args is None:
        from clxm_meta.cli.parser import _parser

        parser = _parser(first if first in names else None)
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
    started = time.perf_counter()
    if args.verbose:
        import logging

        logging.basicConfig(level=logging.INFO, format="clxm-meta: %(name)s: %(message)s")
    try:
        status: int = args.run(args)
    except ClxmMetaError as exc:
        print(f"clxm-meta: {exc}", file=sys.stderr)
        if args.verbose:
            _verbose_error(exc)
        hint = hint_for(args)
        if hint is not None:
            print(f"clxm-meta: hint: {hint}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("clxm-meta: interrupted; nothing was moved into place", file=sys.stderr)
        if args.command == "deposit":
            print(
                "clxm-meta: hint: run the same command with --resume to keep the units already "
                "written",
                file=sys.stderr,
            )
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `clxm-meta table1 ... | head`
        sys.stderr.close()
        return EXIT_OK
    if status == EXIT_NOTHING and not args.quiet:
        from clxm_meta.cli.hints import nothing_hint

        hint = nothing_hint(args)
        if hint is not None:
            print(f"clxm-meta: hint: {hint}", file=sys.stderr)
    if args.verbose:
        elapsed = time.perf_counter() - started
        print(f"clxm-meta: {args.command} took {elapsed:.2f} s, exit {status}", file=sys.stderr)
    return status
