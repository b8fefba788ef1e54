"""Render Table 1 rows as text, TSV or JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from clxm_meta.records.rows import Row
from clxm_meta.render_html import MISSING, plain_value, source_text, value_text

__all__ = [
    "format_source",
    "format_value",
    "neutralise_cell",
    "rows_to_json",
    "rows_to_text",
    "rows_to_tsv",
    "value_with_unit",
]


format_value = plain_value
"""A compact human rendering of a row value (``None`` attributes left out)."""

format_source = source_text
"""A compact human rendering of a row source: ``kind · file name · locator (transform)``."""

value_with_unit = value_text
"""``format_value`` followed by the unit, unless the value is unknown or carries its own unit."""


def rows_to_json(rows: Sequence[Row]) -> str:
    """The rows as a JSON list of objects (stable key order, UTF-8, no trailing spaces)."""
    return json.dumps([r.model_dump(mode="json") for r in rows], indent=2, ensure_ascii=False)


_FORMULA_START = "=+-@"
_BREAKS = re.compile("\r\n|[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
"""A tab and everything `str.splitlines` takes for a line end."""
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def neutralise_cell(text: str) -> str:
    """One TSV cell that a spreadsheet opens as text, never as a formula.

    Tabs and line ends (also NEL and U+2028) become spaces: they would split the cell or the row.
    A cell starting with ``=``, ``+``, ``-`` or ``@`` (what Excel, LibreOffice and Google Sheets
    take as the start of a formula, e.g. ``=HYPERLINK(...)`` in a folder name) gets a leading apostrophe, as OWASP
    advises against CSV injection, unless it is a plain number such as ``-0.5``.
    """
    text = _BREAKS.sub(" ", text)
    if text and text[0] in _FORMULA_START and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def rows_to_tsv(rows: Sequence[Row]) -> str:
    """The rows as TSV with a header line; values and sources JSON-encoded.

    Every cell goes through `neutralise_cell` (no formula, no stray tab or line end).
    """
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
        lines.append("\t".join(neutralise_cell(c) for c in cells))
    return "\n".join(lines) + "\n"


def _empty_note(origin: str) -> str:
    parts = origin.split("/")
    if any(p in ("file", "reconstruction", "attached") for p in parts):
        return "missing: not in these files"
    if "facility" in parts:
        return "facility to supply (in clxm.yaml)"
    return "you supply in clxm.yaml"


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


def rows_to_text(
    rows: Sequence[Row],
    *,
    width: int = 120,
    notes: Mapping[tuple[str, str], str] | None = None,
) -> str:
    """A readable table per dataset: id, value with unit, and source.

    Parameters
    ----------
    rows
        The rows (all of them, or only the filled ones: the count is always out of every Table 1
        row of the dataset's kind).
    width
        Line width used to wrap long values.
    notes
        What to print for an empty row, by ``(dataset, id)`` (e.g. the completeness check's
        plain-language status). Default: who supplies it, from the row's origin.
    """
    from clxm_meta.records.fields import fields_for

    out: list[str] = []
    datasets: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        datasets.setdefault((r.dataset, r.kind), []).append(r)
    for (name, kind), group in datasets.items():
        filled = sum(1 for r in group if r.value is not None)
        total = len(fields_for(kind))
        hidden = " (empty rows hidden)" if len(group) < total else ""
        out.append(f"{kind} dataset {name!r}: {filled} of {total} rows filled{hidden}")
        id_w = max(len(r.id) for r in group)
        value_w = max(20, min(50, width - id_w - 40))
        for r in group:
            if r.value is None:
                note = (notes or {}).get((r.dataset, r.id)) or _empty_note(r.origin)
                out.append(f"  {r.id:<{id_w}}  {MISSING:<{value_w}}  {note}")
                continue
            vlines = _wrap(value_with_unit(r.value, r.unit), value_w)
            out.append(f"  {r.id:<{id_w}}  {vlines[0]:<{value_w}}  {format_source(r.source)}")
            out.extend(f"  {'':<{id_w}}  {v}" for v in vlines[1:])
        out.append("")
    return "\n".join(out)
