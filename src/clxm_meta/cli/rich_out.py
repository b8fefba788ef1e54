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

    from clxm_meta.checks.completeness import Completeness
    from clxm_meta.findings import Finding
    from clxm_meta.records.rows import Row
    from clxm_meta.records.scan import ScanResult

__all__ = [
    "print_check_rich",
    "print_findings_rich",
    "print_model_rich",
    "print_table1_rich",
    "use_rich",
]

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


_STATUS_STYLE = {
    "file": "green",
    "derived": "green",
    "sidecar": "cyan",
    "assumption": "yellow",
    "missing_minable": "red",
    "missing_facility": "magenta",
    "missing_depositor": "magenta",
}


def print_table1_rich(rows: Sequence[Row], notes: Mapping[tuple[str, str], str]) -> None:
    """``table1`` on a terminal: one table per dataset (id, value with unit, source)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from clxm_meta.records.fields import fields_for
    from clxm_meta.render_html import MISSING, source_text, value_text

    console = Console()
    datasets: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        datasets.setdefault((r.dataset, r.kind), []).append(r)
    for (name, kind), group in datasets.items():
        filled = sum(1 for r in group if r.value is not None)
        total = len(fields_for(kind))
        hidden = " (empty rows hidden)" if len(group) < total else ""
        table = Table(
            box=box.SIMPLE_HEAD,
            title=f"{kind} dataset {name!r}: {filled} of {total} rows filled{hidden}",
            title_justify="left",
            title_style="bold",
        )
        table.add_column("id", style="cyan", no_wrap=True)
        table.add_column("value", overflow="fold", ratio=2)
        table.add_column("source", overflow="fold", ratio=3, style="dim")
        for r in group:
            if r.value is None:
                note = notes.get((r.dataset, r.id), "missing")
                table.add_row(r.id, f"[dim]{MISSING}[/dim]", f"[yellow]{note}[/yellow]")
            else:
                table.add_row(r.id, value_text(r.value, r.unit), source_text(r.source))
        console.print(table)


def print_check_rich(
    result: ScanResult, table: Sequence[Completeness], findings: Sequence[Finding]
) -> None:
    """``check`` on a terminal: the tree, then one status table per dataset, then the findings."""
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from clxm_meta.cli.common import NO_DATASET, scan_head
    from clxm_meta.render_html import value_text

    console = Console(highlight=False)
    head, files = scan_head(result)
    console.print(f"[bold]{escape(head)}[/bold]")
    console.print(files)
    if not result.datasets:
        console.print(f"[yellow]{NO_DATASET}[/yellow]")
    for sample in result.samples:
        console.print(f"sample [cyan]{sample.name}[/cyan]: {', '.join(sample.datasets)}")
    for pair in result.pairs:
        console.print(f"pair: [cyan]{pair.sim}[/cyan] (SIM) ↔ [cyan]{pair.sxt}[/cyan] (SXT)")
    for comp in table:
        grid = Table(
            box=box.SIMPLE_HEAD,
            title=f"{comp.kind} dataset {comp.dataset}: {comp.filled}/{comp.total} rows filled "
            f"({comp.score:.0%})",
            title_justify="left",
            title_style="bold",
        )
        grid.add_column("id", style="cyan", no_wrap=True)
        grid.add_column("status", max_width=22)
        grid.add_column("value", overflow="fold", ratio=2)
        grid.add_column("source / what to do", overflow="fold", ratio=3)
        for r in comp.rows:
            style = _STATUS_STYLE.get(r.status, "")
            status = f"[{style}]{r.status_text}[/{style}]" if style else r.status_text
            if r.filled:
                detail = f"[dim]{r.source_text or ''}[/dim]"
                if r.assumption:
                    detail += f"\n[yellow]assumed: {r.assumption}[/yellow]"
                grid.add_row(r.id, status, value_text(r.value, r.unit), detail)
            else:
                grid.add_row(r.id, status, "", r.hint or "")
        console.print(grid)
    print_findings_rich(findings)
