"""Terminal rendering with ``rich``: tables and colour on a terminal, never when piped.

Every command's plain-text output is its contract for pipes and scripts; when standard output is a
terminal (and ``TERM`` is not ``dumb``) a command may draw the same content with ``rich`` instead.
``rich`` is imported only then, so start-up and piped runs never pay for it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.table import Table

    from clxm_meta.findings import Finding

__all__ = ["print_findings_rich", "print_model_rich", "use_rich"]

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "blue"}
_LIST_LIMIT = 12


def use_rich(stream: TextIO | None = None) -> bool:
    """True when ``stream`` (standard output) is a terminal that can take rich output."""
    stream = sys.stdout if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return callable(isatty) and bool(isatty()) and os.environ.get("TERM") != "dumb"


def _short(value: Any) -> str:
    from clxm_meta.render_html import value_text

    if isinstance(value, list) and len(value) > _LIST_LIMIT:
        half = _LIST_LIMIT // 2
        return f"{value_text(value[:half])}, … {len(value) - 2 * half} more …, {value_text(value[-half:])}"
    return value_text(value)


def _inline(value: Mapping[str, Any]) -> bool:
    """A small flat mapping (a value with its line number, say) fits on one row."""
    return len(value) <= 4 and not any(isinstance(v, dict | list) for v in value.values())


def _table(data: Mapping[str, Any]) -> tuple[Table, list[tuple[str, Any]]]:
    """A key/value table of the scalar and short entries; the nested ones are returned apart."""
    from rich.table import Table

    table = Table(
        show_header=False,
        box=None,
        pad_edge=False,
    )
    table.add_column(style="cyan", max_width=36, overflow="fold")
    table.add_column(min_width=24, overflow="fold")
    nested: list[tuple[str, Any]] = []
    for key, value in data.items():
        section = isinstance(value, dict) and not _inline(value)
        rows = isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
        if section or rows:
            nested.append((key, value))
        else:
            table.add_row(key, _short(value))
    return table, nested


def print_model_rich(data: Mapping[str, Any], title: str) -> None:
    """Draw a dumped format model: top-level fields, then one table per nested section."""
    from rich.console import Console

    console = Console()
    queue: list[tuple[str | None, Any]] = [(title, data)]
    while queue:
        name, value = queue.pop(0)
        if isinstance(value, list):
            shown = value if len(value) <= _LIST_LIMIT else [*value[:6], *value[-6:]]
            for i, item in enumerate(shown):
                label = (
                    f"{name}[{i if len(value) <= _LIST_LIMIT or i < 6 else len(value) - 12 + i}]"
                )
                queue.insert(i, (label, item))
            if len(value) > _LIST_LIMIT:
                console.print(f"[dim]{name}: {len(value)} items, first and last 6 shown[/dim]")
            continue
        table, nested = _table(value)
        if table.row_count:
            console.print(f"[bold]{name}[/bold]", highlight=False)
            console.print(table)
            console.print()
        queue[0:0] = [(f"{name}.{k}" if name and name != title else k, v) for k, v in nested]


def print_findings_rich(findings: Sequence[Finding]) -> None:
    """Findings, coloured by severity."""
    from rich.console import Console
    from rich.table import Table

    if not findings:
        return
    table = Table(title="findings", title_justify="left", show_lines=False)
    for column in ("severity", "code", "field", "message"):
        table.add_column(column, overflow="fold")
    for f in sorted(findings, key=lambda f: -f.severity.rank):
        style = _SEVERITY_STYLE.get(f.severity.value, "")
        table.add_row(f"[{style}]{f.severity.value}[/{style}]", f.code, f.field or "", f.message)
    Console().print(table)
