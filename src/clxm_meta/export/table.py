"""Render Table 1 rows as text, TSV or JSON."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from clxm_meta.records.rows import Row

__all__ = ["format_source", "format_value", "rows_to_json", "rows_to_text", "rows_to_tsv"]

MISSING = "—"


def format_value(value: Any) -> str:
    """A compact human rendering of a row value (``None`` attributes left out)."""
    if value is None:
        return MISSING
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        parts = [f"{k}={format_value(v)}" for k, v in value.items() if v not in (None, [], {})]
        return " ".join(parts) if parts else MISSING
    if isinstance(value, list):
        if not value:
            return MISSING
        sep = "; " if any(isinstance(v, dict | list) for v in value) else ", "
        return sep.join(format_value(v) for v in value)
    return str(value)


def format_source(source: dict[str, Any] | None) -> str:
    """A compact human rendering of a row source."""
    if not source:
        return ""
    parts = [str(source.get("kind"))]
    if source.get("path"):
        parts.append(os.path.basename(str(source["path"])))
    if source.get("locator"):
        parts.append(str(source["locator"]))
    text = " · ".join(parts)
    if source.get("transform"):
        text += f" ({source['transform']})"
    return text


def rows_to_json(rows: Sequence[Row]) -> str:
    """The rows as a JSON list of objects (stable key order, UTF-8, no trailing spaces)."""
    return json.dumps([r.model_dump(mode="json") for r in rows], indent=2, ensure_ascii=False)


def rows_to_tsv(rows: Sequence[Row]) -> str:
    """The rows as TSV with a header line; values and sources JSON-encoded."""
    header = ["dataset", "kind", "id", "label", "value", "unit", "origin", "source"]
    lines = ["\t".join(header)]
    for r in rows:
        cells = [
            r.dataset,
            r.kind,
            r.id,
            r.label,
            "" if r.value is None else json.dumps(r.value, ensure_ascii=False),
            r.unit or "",
            r.origin,
            "" if r.source is None else json.dumps(r.source, ensure_ascii=False),
        ]
        lines.append("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells))
    return "\n".join(lines) + "\n"


def _carries_unit(value: Any) -> bool:
    """A composite value with its own ``unit`` attribute (e.g. a residual error) is not suffixed."""
    return isinstance(value, dict) and value.get("unit") is not None


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    out, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(line)
    return out


def rows_to_text(rows: Sequence[Row], *, width: int = 120) -> str:
    """A readable table per dataset: id, value with unit, and source."""
    out: list[str] = []
    datasets: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        datasets.setdefault((r.dataset, r.kind), []).append(r)
    for (name, kind), group in datasets.items():
        filled = sum(1 for r in group if r.value is not None)
        out.append(f"{kind} dataset {name!r}: {filled} of {len(group)} rows filled")
        id_w = max(len(r.id) for r in group)
        value_w = max(20, min(50, width - id_w - 40))
        for r in group:
            value = format_value(r.value)
            if r.value is not None and r.unit and not _carries_unit(r.value):
                value = f"{value} {r.unit}"
            src = format_source(r.source) if r.value is not None else f"({r.origin})"
            vlines = _wrap(value, value_w)
            out.append(f"  {r.id:<{id_w}}  {vlines[0]:<{value_w}}  {src}")
            out.extend(f"  {'':<{id_w}}  {v}" for v in vlines[1:])
        out.append("")
    return "\n".join(out)
