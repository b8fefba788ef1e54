"""What every command shares: exit codes, output helpers, plain-text rendering of nested data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from clxm_meta.findings import Finding
    from clxm_meta.records.scan import ScanResult

__all__ = [
    "EXIT_ERROR_FINDINGS",
    "EXIT_INCOMPLETE",
    "EXIT_INTERRUPTED",
    "EXIT_NOTHING",
    "EXIT_OK",
    "EXIT_USAGE",
    "TEXT_LIST_LIMIT",
    "emit",
    "exit_for",
    "plain",
    "print_findings",
]

EXIT_OK = 0
EXIT_ERROR_FINDINGS = 1
EXIT_USAGE = 2
EXIT_NOTHING = 3
"""Nothing to report: no dataset in a folder, no Table 1 value in the files (not a success)."""
EXIT_INCOMPLETE = 4
"""``deposit`` / ``export`` refused: required values are missing (nothing written; the list says
who supplies each and where). ``--allow-incomplete`` writes anyway (exit 0)."""
EXIT_INTERRUPTED = 130
"""Interrupted (SIGINT, Ctrl-C): the shell's convention, 128 + the signal number."""

TEXT_LIST_LIMIT = 12
"""In text output, lists longer than this show their first and last items only (JSON has all)."""


def plain(obj: Any, indent: int, out: list[str]) -> None:
    """Append an indented plain-text rendering of ``obj`` (dicts, lists, scalars) to ``out``."""
    pad = "  " * indent
    if isinstance(obj, dict):
        for key, val in obj.items():
            if isinstance(val, dict | list) and val:
                out.append(f"{pad}{key}:")
                plain(val, indent + 1, out)
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
                plain(val, indent + 1, out)
            else:
                out.append(f"{pad}- {_scalar(val)}")


def _scalar(val: Any) -> str:
    if val is None:
        return "—"
    if isinstance(val, dict | list):
        return "[]" if isinstance(val, list) else "{}"
    return str(val)


def emit(text: str, stream: TextIO) -> None:
    """Write ``text`` to ``stream`` with exactly one trailing newline."""
    stream.write(text if text.endswith("\n") else text + "\n")


def print_findings(findings: Sequence[Finding], stream: TextIO) -> None:
    """Write one line per finding."""
    for finding in findings:
        emit(str(finding), stream)


def exit_for(findings: Sequence[Finding], *, nothing: bool = False) -> int:
    """1 when any finding is an error; else 3 when there was ``nothing`` to report; else 0."""
    from clxm_meta.findings import Severity, worst_severity

    if worst_severity(findings) is Severity.ERROR:
        return EXIT_ERROR_FINDINGS
    return EXIT_NOTHING if nothing else EXIT_OK


NO_DATASET = (
    "no dataset: no raw SIM stack, tilt series or processed file that clxm_meta reads "
    "(nothing to report)"
)
"""What ``check`` says of a tree in which no dataset was found (plain and rich output alike)."""


def scan_head(result: ScanResult) -> tuple[str, str]:
    """The first two lines of a scan report: the root (scope, sidecar) and the file counts.

    Shared by the plain and the rich renderer so that both say the same thing.
    """
    head = f"deposition {result.root}"
    if result.scope:
        head += f", only {result.scope}"
    if result.sidecar:
        above = " found in a parent folder" if result.scope else ""
        head += f" (sidecar {result.sidecar}{above})"
    n_files = sum(1 for f in result.files if f.role != "sidecar")
    n_known = sum(1 for f in result.files if f.format is not None)
    return head, f"files: {n_files} ({n_known} recognised)"
