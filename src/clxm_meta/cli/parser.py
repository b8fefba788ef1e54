"""The ``clxm-meta`` argument parser (argparse), built only when a run needs it.

`clxm_meta.cli.main` answers the plainest ``clxm-meta inspect FILE`` without it (see
`clxm_meta.cli._inspect_args`): argparse, gettext's locale lookups and the parser itself are a few
ms of that command's start-up.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from clxm_meta.cli import COMMANDS, _command_name


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


EPILOG = """\
exit codes: 0 ok; 1 at least one finding of severity error; 2 bad usage or unreadable /
unsupported input; 3 nothing to report; 4 deposit / export refused (required values missing); 130 interrupted.
Run `clxm-meta COMMAND --help` for a command's options. Docs: docs/index.md (mkdocs serve)."""

_COMMON_FLAGS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("-q", "--quiet"),
        "no progress bars or 'written to' notes on standard error (results and errors still print)",
    ),
    (
        ("-v", "--verbose"),
        "more on standard error: timing, the cause of an error, library log messages",
    ),
)


def _add_common_flags(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """``-q/--quiet`` and ``-v/--verbose``, accepted before or after the command name.

    At the top level they default to False; on a command they are ``SUPPRESS``-ed when not given,
    so that ``clxm-meta -q check X`` is not reset by the command's own default.
    """
    for flags, help_text in _COMMON_FLAGS:
        dest = flags[-1].lstrip("-")
        existing = parser._option_string_actions.get(flags[-1])
        if existing is not None:  # the command defines it (with its own help text)
            existing.default = argparse.SUPPRESS
            continue
        parser.add_argument(
            *flags,
            dest=dest,
            action="store_true",
            default=False if top else argparse.SUPPRESS,
            help=help_text,
        )


def _columns() -> int:
    """Terminal width as ``shutil.get_terminal_size().columns`` gives it, without shutil.

    ``COLUMNS``, then the terminal of standard output, then 80. argparse's own help formatter
    imports shutil (and the bz2/lzma it loads) on every ``add_argument``: a few ms of start-up.
    """
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, its default width (the terminal's, less 2) taken from `_columns`."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        super().__init__(
            prog, indent_increment, max_help_position, _columns() - 2 if width is None else width
        )


class _RawDescriptionHelpFormatter(_HelpFormatter, argparse.RawDescriptionHelpFormatter):
    """`_HelpFormatter` keeping the description's and the epilog's line breaks."""


class _CommandParser(argparse.ArgumentParser):
    """A command's parser: `_HelpFormatter` unless the command names another formatter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command-line parser; with ``only``, just that command's subparser.

    Building every command's parser imports every command module (and what they import at top
    level), about 25 ms that a run of one command does not need: `main` builds the full parser
    only for top-level help, usage errors and unknown commands.
    """
    parser = argparse.ArgumentParser(
        prog="clxm-meta",
        description="Deposition metadata (Table 1) for correlative cryo-SIM + cryo-SXT data: "
        "every value with its unit and the place in the file it came from.",
        epilog=EPILOG,
        formatter_class=_RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction)
    _add_common_flags(parser, top=True)
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", title="commands", parser_class=_CommandParser
    )
    for name in COMMANDS:
        if only is None or _command_name(name) == only:
            importlib.import_module(name).add_parser(sub)
    for command in sub.choices.values():
        _add_common_flags(command, top=False)
    return parser
