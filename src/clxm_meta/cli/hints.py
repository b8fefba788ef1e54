"""Helpful next steps for the usual mistakes, added to the CLI's error messages.

The library's errors say what is wrong (``nope.dv: cannot read file: No such file or directory``);
the command line also knows what the user was trying to do, so it can add the likely fix: a close
name in the same folder, the command that takes a folder (or a file), a command name for a typo.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

__all__ = ["FOLDER_COMMANDS", "command_suggestion", "hint_for", "nothing_hint", "path_hint"]

FOLDER_COMMANDS = ("check", "report", "sidecar")
"""Commands whose PATH is a deposition folder."""
_FILE_COMMANDS = ("inspect",)
_MAX_LISTED = 200
"""Folders larger than this are not searched for a close name (keep an error path cheap)."""


def _paths(args: argparse.Namespace) -> list[str]:
    out: list[str] = []
    for name in ("file", "path", "paths"):
        value = getattr(args, name, None)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out.extend(v for v in value if isinstance(v, str))
    return out


def _close_names(path: str) -> list[str]:
    """Names in the folder of ``path`` (or of its nearest existing parent) close to its name."""
    parent, name = os.path.split(os.path.normpath(path))
    parent = parent or "."
    try:
        with os.scandir(parent) as it:
            names = []
            for i, entry in enumerate(it):
                if i >= _MAX_LISTED:
                    return []
                names.append(entry.name)
    except OSError:
        return []
    import difflib  # only on an error path: `main` imports this module on every run

    return [
        os.path.join(parent, n) if parent != "." else n
        for n in difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    ]


def path_hint(path: str) -> str | None:
    """For a path that does not exist: close names in its folder, or where relative paths start."""
    if os.path.lexists(path):
        return None
    close = _close_names(path)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    return f"{path!r} does not exist (relative paths start at {os.getcwd()})"


def hint_for(args: argparse.Namespace) -> str | None:
    """A one-line hint for the error ``args.command`` just met, or ``None``."""
    command = getattr(args, "command", None)
    for path in _paths(args):
        if not os.path.lexists(path):
            return path_hint(path)
        if command in _FILE_COMMANDS and os.path.isdir(path):
            return (
                f"{command} reads one file; for a folder use `clxm-meta check {path}` "
                f"or `clxm-meta table1 {path}`"
            )
        if command in FOLDER_COMMANDS and not os.path.isdir(path):
            return (
                f"{command} takes the deposition folder (e.g. {os.path.dirname(path) or '.'!r}); "
                f"for one file use `clxm-meta inspect {path}` or `clxm-meta table1 {path}`"
            )
    return None


def command_suggestion(argv: Sequence[str], commands: Sequence[str]) -> str | None:
    """``did you mean 'check'?`` when the first non-option argument is a near miss of a command."""
    word = next((a for a in argv if not a.startswith("-")), None)
    if word is None or word in commands:
        return None
    import difflib

    close = difflib.get_close_matches(word, commands, n=1, cutoff=0.6)
    if close:
        return f"clxm-meta: unknown command {word!r}; did you mean {close[0]!r}? (clxm-meta --help lists them)"
    return None


_WALK_LIMIT = 5000
"""At most this many files are counted for the nothing-to-report hint."""
SUPPORTED = (
    ".dv .r3d .mrc .st .ali .rec .map .txrm .xrm .tif/.tiff, IMOD and SIM reconstruction logs"
)
"""What clxm_meta reads, in one line (docs/index.md has the full table)."""


def nothing_hint(args: argparse.Namespace) -> str | None:
    """For a folder command that found no dataset: what the folder holds, by file extension."""
    if getattr(args, "command", None) not in (*FOLDER_COMMANDS, "table1"):
        return None
    folders = [p for p in _paths(args) if os.path.isdir(p)]
    if not folders:
        return None
    counts: dict[str, int] = {}
    seen = 0
    for folder in folders:
        for _dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                ext = os.path.splitext(name)[1].lower() or "(no extension)"
                counts[ext] = counts.get(ext, 0) + 1
                seen += 1
            if seen >= _WALK_LIMIT:
                break
    if not counts:
        return f"the folder is empty; clxm_meta reads {SUPPORTED}"
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:6]
    found = ", ".join(f"{ext} ×{n}" for ext, n in top)
    more = "" if len(counts) <= len(top) else ", …"
    return (
        f"found {found}{more}, but no raw SIM stack, tilt series or reconstruction; "
        f"clxm_meta reads {SUPPORTED}"
    )
