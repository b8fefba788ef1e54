"""HTML rendering of plain data: Table 1 rows, findings, key/value models.

The bottom layer of the HTML output: it knows nothing of records, scans or readers, only the JSON
shapes they dump to (a row is a mapping with ``id, label, value, unit, source, origin`` and, from a
completeness check, ``status, status_text, hint``; a finding has ``severity, code, path, field,
message``). The ``_repr_html_`` of records, format models, scan results and completeness reports
(Jupyter) and the deposition report (`clxm_meta.export.report`) are built from these pieces, so a
notebook and the report look alike.

Everything is escaped; nothing refers to the network (no scripts, fonts or images): a page made
from these pieces is self-contained.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = [
    "MISSING",
    "STYLE",
    "esc",
    "findings_table",
    "fragment",
    "mapping_table",
    "plain_value",
    "rows_table",
    "source_text",
    "value_text",
]

MISSING = "—"
"""How an unknown value is shown."""

STYLE = """
.clxm { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 13px;
  color: #1d2430; line-height: 1.4; }
.clxm h1 { font-size: 22px; margin: 0 0 4px; }
.clxm h2 { font-size: 17px; margin: 22px 0 6px; border-bottom: 2px solid #3949ab; }
.clxm h3 { font-size: 14px; margin: 14px 0 4px; }
.clxm table { border-collapse: collapse; margin: 4px 0 10px; }
.clxm th, .clxm td { border: 1px solid #d5d9e0; padding: 3px 7px; text-align: left;
  vertical-align: top; }
.clxm th { background: #eef0f6; font-weight: 600; }
.clxm td.id { font-family: ui-monospace, Menlo, Consolas, monospace; white-space: nowrap; }
.clxm td.src { color: #4a5361; font-size: 12px; max-width: 42em; }
.clxm td.val { max-width: 36em; }
.clxm tr.missing td { background: #fff4e0; }
.clxm tr.missing td.val { color: #a15c00; font-style: italic; }
.clxm tr.assumption td { background: #fffbd6; }
.clxm tr.sev-error td { background: #fde2e2; }
.clxm tr.sev-warning td { background: #fff4e0; }
.clxm tr.sev-info td { background: #eef4ff; }
.clxm .badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px;
  font-weight: 600; background: #e3e6ee; }
.clxm .badge.error { background: #c62828; color: #fff; }
.clxm .badge.warning { background: #ef6c00; color: #fff; }
.clxm .badge.info { background: #1565c0; color: #fff; }
.clxm .muted { color: #6b7380; }
.clxm .hint { color: #6b7380; font-size: 12px; }
.clxm summary { cursor: pointer; font-weight: 600; }
"""
"""One stylesheet, scoped to ``.clxm``, for the notebook fragments and the report page."""


def esc(text: object) -> str:
    """HTML-escape ``text`` (quotes too)."""
    return html.escape(str(text), quote=True)


def value_text(value: Any, unit: str | None = None) -> str:
    """A compact plain-text rendering of a row value, with its unit (``—`` when unknown).

    Dicts show as ``key=value`` pairs (``None`` attributes left out), lists joined by commas (by
    semicolons when their items are composite). A composite value that carries its own ``unit``
    attribute is not suffixed again.
    """
    text = plain_value(value)
    if text != MISSING and unit and not (isinstance(value, dict) and value.get("unit")):
        text = f"{text} {unit}"
    return text


def plain_value(value: Any) -> str:
    """A compact plain-text rendering of a value (``—`` when unknown), without a unit."""
    if value is None:
        return MISSING
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        parts = [f"{k}={plain_value(v)}" for k, v in value.items() if v not in (None, [], {})]
        return " ".join(parts) if parts else MISSING
    if isinstance(value, list | tuple):
        if not value:
            return MISSING
        sep = "; " if any(isinstance(v, dict | list) for v in value) else ", "
        return sep.join(plain_value(v) for v in value)
    return str(value)


def source_text(source: Mapping[str, Any] | None) -> str:
    """``kind · file name · locator (transform)`` of a dumped `Source` (empty for ``None``)."""
    if not source:
        return ""
    parts = [str(source.get("kind") or "")]
    if source.get("path"):
        parts.append(os.path.basename(str(source["path"])))
    if source.get("locator"):
        parts.append(str(source["locator"]))
    text = " · ".join(p for p in parts if p)
    if source.get("transform"):
        text += f" ({source['transform']})"
    return text


def fragment(body: str) -> str:
    """Wrap ``body`` with the scoped stylesheet, ready for a notebook's ``_repr_html_``."""
    return f'<div class="clxm"><style>{STYLE}</style>{body}</div>'


def rows_table(rows: Iterable[Mapping[str, Any]], *, status: bool = False) -> str:
    """A Table 1 table: id, label, value with unit, origin (or status), source.

    Empty rows are highlighted (class ``missing``) and say who supplies them; assumed values
    (class ``assumption``) say what was assumed. The full source (path included) is the ``title`` of
    the source cell, so it shows on hover.
    """
    head = "<tr><th>id</th><th>label</th><th>value</th><th>{}</th><th>source</th></tr>".format(
        "status" if status else "origin"
    )
    out = [f"<table>{head}"]
    for row in rows:
        src = row.get("source")
        filled = src is not None
        how = str(src.get("kind")) if src else ""
        css = "assumption" if how == "assumption" else ("" if filled else "missing")
        val = value_text(row.get("value"), row.get("unit")) if filled else _missing_text(row)
        third = row.get("status_text") or row.get("status") if status else row.get("origin")
        note = row.get("hint")
        shown_src = dict(src) if src else None
        if shown_src and how == "assumption" and shown_src.get("transform"):
            note = f"assumed: {shown_src.pop('transform')}"
        src_cell = esc(source_text(shown_src))
        if note:
            src_cell += f'<div class="hint">{esc(note)}</div>'
        title = esc(src.get("path") or "") if src else ""
        out.append(
            f'<tr class="{css}" data-id="{esc(row.get("id", ""))}">'
            f'<td class="id">{esc(row.get("id", ""))}</td>'
            f"<td>{esc(row.get('label', ''))}</td>"
            f'<td class="val">{esc(val)}</td>'
            f"<td>{esc(third or '')}</td>"
            f'<td class="src" title="{title}">{src_cell}</td></tr>'
        )
    out.append("</table>")
    return "".join(out)


def _missing_text(row: Mapping[str, Any]) -> str:
    origin = str(row.get("origin") or "")
    parts = origin.split("/")
    if any(p in ("file", "reconstruction", "attached") for p in parts):
        return "missing"
    if "facility" in parts:
        return "missing: facility supplies it"
    return "missing: depositor supplies it"


def findings_table(findings: Sequence[Mapping[str, Any]]) -> str:
    """Findings, most severe first, coloured by severity."""
    if not findings:
        return '<p class="muted">No findings.</p>'
    rank = {"error": 0, "warning": 1, "info": 2}
    ordered = sorted(findings, key=lambda f: rank.get(str(f.get("severity")), 3))
    out = ["<table><tr><th>severity</th><th>code</th><th>where</th><th>message</th></tr>"]
    for f in ordered:
        sev = str(f.get("severity", ""))
        where = " · ".join(
            str(x)
            for x in (
                os.path.basename(str(f["path"])) if f.get("path") else None,
                f.get("field"),
                f.get("locator"),
            )
            if x
        )
        out.append(
            f'<tr class="sev-{esc(sev)}"><td><span class="badge {esc(sev)}">{esc(sev)}</span></td>'
            f'<td class="id">{esc(f.get("code", ""))}</td>'
            f'<td title="{esc(f.get("path") or "")}">{esc(where)}</td>'
            f"<td>{esc(f.get('message', ''))}</td></tr>"
        )
    out.append("</table>")
    return "".join(out)


def mapping_table(data: Mapping[str, Any], *, limit: int = 12) -> str:
    """A two-column key/value table; nested values are shown compactly, long lists shortened."""
    out = ["<table><tr><th>field</th><th>value</th></tr>"]
    for key, val in data.items():
        if isinstance(val, list) and len(val) > limit:
            shown = value_text(val[: limit // 2]) + f", … ({len(val)} items)"
        else:
            shown = value_text(val)
        out.append(f'<tr><td class="id">{esc(key)}</td><td class="val">{esc(shown)}</td></tr>')
    out.append("</table>")
    return "".join(out)
