"""A minimal SpreadsheetML (.xlsx) writer for tables of strings and numbers.

The SIM spreadsheet is one or more plain tables: a bold header row on a solid fill, then rows of
text and numbers, wrapped and top-aligned, with column widths, a frozen header and an auto-filter.
Building that through openpyxl's object model cost ~2 ms a row at archive scale (a cell object,
a style lookup and an element tree per cell); here each row is one string join, so a workbook
costs what its rows cost.

The parts written are the ones openpyxl writes for such a workbook, in the same order and with the
same bytes (tests/export/test_xlsx_writer.py compares the two on every kind of cell), so the
workbook reads the same in Excel, LibreOffice, openpyxl and pandas. Cell rules follow openpyxl's:
a string is an inline string (cut at Excel's 32,767 characters, ``xml:space="preserve"`` when
it has leading or trailing blanks); one of Excel's error codes (``#N/A`` ...) is an error cell;
a number is written with 16 significant digits; ``None`` is an empty cell. A string starting with
``=`` is text, never a formula. The zip is deterministic (fixed entry times and modes), packed
by `xlsx_zip` as `zipfile` would pack it. The theme part is openpyxl's default theme, taken from the installed openpyxl.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clxm_meta.export.biostudies.xlsx_zip import zip_bytes

__all__ = ["Sheet", "column_letter", "workbook_bytes"]

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MAX_TEXT = 32767
"""Excel's longest cell text; openpyxl cuts longer strings here."""
_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-"

_HEADER_STYLE = 1
_BODY_STYLE = 2


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a header row, data rows, column widths (characters)."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    widths: Sequence[int]


def column_letter(index: int) -> str:
    """1 → ``A``, 27 → ``AA``."""
    out = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


def _esc(text: str) -> str:
    """Element text as ElementTree escapes it (``&``, ``<``, ``>``)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _number(value: Any) -> str:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return ""
    return f"{value:.16g}"


def _cell(ref: str, style: int, value: Any) -> str:
    return f'<c r="{ref}" s="{style}"{_cell_body(value)}'


_BODIES: dict[tuple[type, Any], str] = {}
_BODIES_KEPT = 8192
"""Cell XML after the reference and style, by value: every workbook of a deposit repeats the
same labels, ids, units and sources (worded once, not once per cell)."""


def _cell_body(value: Any) -> str:
    kind = type(value)
    # not floats: 0.0 and -0.0 are one key but two texts
    if kind is str or kind is int or kind is bool or value is None:
        key = (kind, value)
        body = _BODIES.get(key)
        if body is None:
            body = _cell_tail(value)
            if len(_BODIES) >= _BODIES_KEPT:
                _BODIES.clear()
            _BODIES[key] = body
        return body
    return _cell_tail(value)


def _cell_tail(value: Any) -> str:
    if value is None:
        return ' t="n" />'
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        text = _number(value)
        return f' t="n"><v>{text}</v></c>' if text else ' t="n"><v /></c>'
    text = str(value)[:_MAX_TEXT]
    if text == "":
        return ' t="inlineStr" />'
    if text in _ERROR_CODES:
        return f' t="e"><v>{text}</v></c>'
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and stripped != text else ""
    return f' t="inlineStr"><is><t{space}>{_esc(text)}</t></is></c>'


def _sheet_xml(sheet: Sheet) -> tuple[str, str]:
    """The worksheet part and its used range (``A1:G64``)."""
    ncols = max([len(sheet.header), *(len(r) for r in sheet.rows)])
    letters = [column_letter(i + 1) for i in range(max(ncols, 1))]
    dims = f"A1:{letters[ncols - 1]}{len(sheet.rows) + 1}" if ncols else "A1:A1"
    cols = "".join(
        f'<col width="{w}" customWidth="1" min="{i + 1}" max="{i + 1}" />'
        for i, w in enumerate(sheet.widths)
    )
    parts = [
        f'<worksheet xmlns="{_MAIN}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1" />'
        f'<pageSetUpPr /></sheetPr><dimension ref="{dims}" /><sheetViews>'
        '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen" /><selection pane="bottomLeft" activeCell="A1" sqref="A1" /></sheetView>'
        '</sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15" />',
        f"<cols>{cols}</cols>" if cols else "",
        '<sheetData><row r="1">',
        *(_cell(f"{letters[i]}1", _HEADER_STYLE, v) for i, v in enumerate(sheet.header)),
        "</row>",
    ]
    # one f-string per cell, the column's ``<c r="X`` made once (a call per cell was half the cost)
    starts = [f'<c r="{letter}' for letter in letters]
    mid = f'" s="{_BODY_STYLE}"'
    empty = _cell_body(None)
    bodies, body = _BODIES, _cell_body
    for n, row in enumerate(sheet.rows, start=2):
        cells = [f'<row r="{n}">']
        for start, v in zip(starts, row, strict=False):  # no row is wider than ncols
            text = bodies.get((str, v)) if type(v) is str else None
            cells.append(f"{start}{n}{mid}{text or body(v)}")
        # a short row is filled with styled empty cells up to the widest row, as openpyxl does
        cells.extend(f"{starts[i]}{n}{mid}{empty}" for i in range(len(row), ncols))
        cells.append("</row>")
        parts.append("".join(cells))
    parts.append(
        f'</sheetData><autoFilter ref="{dims}" /><pageMargins left="0.75" right="0.75" top="1" '
        'bottom="1" header="0.5" footer="0.5" /></worksheet>'
    )
    return "".join(parts), dims


def _styles(body: bool) -> str:
    """The header style (bold white on ``305496``) and, when a sheet has rows, the body style."""
    body_xf = (
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" applyAlignment="1" pivotButton="0" '
        'quotePrefix="0" xfId="0"><alignment vertical="top" wrapText="1" /></xf>'
        if body
        else ""
    )
    colors = "".join(f'<rgbColor rgb="00{c}" />' for c in _INDEXED.split())
    return (
        f'<styleSheet xmlns="{_MAIN}"><numFmts count="0" /><fonts count="2"><font>'
        '<name val="Calibri" /><family val="2" /><color theme="1" /><sz val="11" />'
        '<scheme val="minor" /></font><font><b val="1" /><color rgb="00FFFFFF" /></font></fonts>'
        '<fills count="3"><fill><patternFill /></fill><fill><patternFill patternType="gray125" />'
        '</fill><fill><patternFill patternType="solid"><fgColor rgb="00305496" /></patternFill>'
        '</fill></fills><borders count="1"><border><left /><right /><top /><bottom /><diagonal />'
        '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
        f'borderId="0" /></cellStyleXfs><cellXfs count="{3 if body else 2}"><xf numFmtId="0" '
        'fontId="0" fillId="0" borderId="0" pivotButton="0" quotePrefix="0" xfId="0" />'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" pivotButton="0" quotePrefix="0" '
        f'xfId="0" />{body_xf}</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
        'builtinId="0" hidden="0" /></cellStyles><tableStyles count="0" '
        'defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16" />'
        f"<colors><indexedColors>{colors}</indexedColors></colors></styleSheet>"
    )


_INDEXED = (
    "000000 FFFFFF FF0000 00FF00 0000FF FFFF00 FF00FF 00FFFF 000000 FFFFFF FF0000 00FF00 0000FF "
    "FFFF00 FF00FF 00FFFF 800000 008000 000080 808000 800080 008080 C0C0C0 808080 9999FF 993366 "
    "FFFFCC CCFFFF 660066 FF8080 0066CC CCCCFF 000080 FF00FF FFFF00 00FFFF 800080 800000 008080 "
    "0000FF 00CCFF CCFFFF CCFFCC FFFF99 99CCFF FF99CC CC99FF FFCC99 3366FF 33CCCC 99CC00 FFCC00 "
    "FF9900 FF6600 666699 969696 003366 339966 003300 333300 993300 993366 333399 333333"
)
"""Excel's legacy indexed colour palette (the spreadsheet format's defaults, ECMA-376 §18.8.27)."""


def _workbook_xml(sheets: Sequence[Sheet], dims: Sequence[str]) -> str:
    entries = "".join(
        f'<sheet name="{_esc(s.title)}" sheetId="{i + 1}" state="visible" r:id="rId{i + 1}" />'
        for i, s in enumerate(sheets)
    )
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{_esc(_quoted(s.title))}!{_absolute(d)}</definedName>"
        for i, (s, d) in enumerate(zip(sheets, dims, strict=True))
    )
    return (
        f'<workbook xmlns:r="{_REL}" xmlns="{_MAIN}"><workbookPr /><workbookProtection />'
        '<bookViews><workbookView visibility="visible" minimized="0" showHorizontalScroll="1" '
        'showVerticalScroll="1" showSheetTabs="1" tabRatio="600" firstSheet="0" activeTab="0" '
        f'autoFilterDateGrouping="1" /></bookViews><sheets>{entries}</sheets>'
        f"<definedNames>{names}</definedNames>"
        '<calcPr calcId="124519" fullCalcOnLoad="1" /></workbook>'
    )


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    """``A1:G64`` → ``$A$1:$G$64``."""
    out = []
    for part in ref.split(":"):
        letters = part.rstrip("0123456789")
        out.append(f"${letters}${part[len(letters) :]}")
    return ":".join(out)


def _content_types(n: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
        f'ContentType="{_CT}officedocument.spreadsheetml.worksheet+xml" />'
        for i in range(n)
    )
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="{_CT}package.relationships+xml" />'
        '<Default Extension="xml" ContentType="application/xml" />'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}officedocument.spreadsheetml.'
        'styles+xml" />'
        f'<Override PartName="/xl/theme/theme1.xml" ContentType="{_CT}officedocument.theme+xml" />'
        f'<Override PartName="/docProps/core.xml" ContentType="{_CT}package.core-properties+xml" />'
        f'<Override PartName="/docProps/app.xml" ContentType="{_CT}officedocument.'
        'extended-properties+xml" />'
        f"{sheets}"
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}officedocument.spreadsheetml.'
        'sheet.main+xml" /></Types>'
    )


def _rels(n: int) -> str:
    sheets = "".join(
        f'<Relationship Type="{_REL}/worksheet" Target="/xl/worksheets/sheet{i + 1}.xml" '
        f'Id="rId{i + 1}" />'
        for i in range(n)
    )
    return (
        f'<Relationships xmlns="{_PKG_REL}">{sheets}'
        f'<Relationship Type="{_REL}/styles" Target="styles.xml" Id="rId{n + 1}" />'
        f'<Relationship Type="{_REL}/theme" Target="theme/theme1.xml" Id="rId{n + 2}" />'
        "</Relationships>"
    )


_ROOT_RELS = (
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Type="{_REL}/officeDocument" Target="xl/workbook.xml" Id="rId1" />'
    f'<Relationship Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml" '
    'Id="rId2" />'
    f'<Relationship Type="{_REL}/extended-properties" Target="docProps/app.xml" Id="rId3" />'
    "</Relationships>"
)


def _core(creator: str, stamp: str) -> str:
    return (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:creator>{_esc(creator)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _app() -> str:
    from openpyxl import __version__

    return (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>Microsoft Excel Compatible / Openpyxl '
        f"{__version__}</Application><AppVersion>{'.'.join(__version__.split('.')[:-1])}"
        "</AppVersion></Properties>"
    )


def _theme() -> str:
    from openpyxl.writer.theme import theme_xml

    return str(theme_xml)


def workbook_bytes(
    sheets: Sequence[Sheet], *, creator: str, timestamp: str = "2000-01-01T00:00:00Z"
) -> bytes:
    """The .xlsx bytes of ``sheets`` (at least one); ``timestamp`` is the created/modified date."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    bodies = [_sheet_xml(s) for s in sheets]
    # (name, text, the same in every workbook of these options: its deflated form is kept)
    parts = [
        ("docProps/app.xml", _app(), True),
        ("docProps/core.xml", _core(creator, timestamp), True),
        ("xl/theme/theme1.xml", _theme(), True),
        *((f"xl/worksheets/sheet{i + 1}.xml", xml, False) for i, (xml, _) in enumerate(bodies)),
        ("xl/styles.xml", _styles(any(s.rows for s in sheets)), True),
        ("_rels/.rels", _ROOT_RELS, True),
        ("xl/workbook.xml", _workbook_xml(sheets, [d for _, d in bodies]), False),
        ("xl/_rels/workbook.xml.rels", _rels(len(sheets)), True),
        ("[Content_Types].xml", _content_types(len(sheets)), True),
    ]
    return zip_bytes(
        [(name, text.encode("utf-8"), constant) for name, text, constant in parts],
        date_time=_ZIP_TIME,
        mode=0o600,
    )
