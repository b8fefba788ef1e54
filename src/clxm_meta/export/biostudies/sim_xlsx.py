"""The SIM spreadsheet: Table 1's SIM column as an xlsx workbook, section by section.

The protocol's ``SIM_template.xlsx`` is not public, so this workbook mirrors Table 1 itself
(layout documented in docs/biostudies.md):

- sheet ``SIM Table 1``: a styled, frozen header row ``Section | Field | Table 1 id | Item |
  Value | Unit | Source``, then the rows of each section in the protocol's order (General, Sample,
  Microscope setup, Acquisition, Raw data, Data processing, Processed data, Chromatic shift,
  Correlation, Related IDs); one row per field, or one per channel / direction for per-channel
  values (``Item`` names it); an empty value says in ``Source`` who must supply it;
- sheet ``Files``: the dataset's file list (path, size, type, format, MD5).

The bytes are deterministic: fixed document-property dates and fixed zip entry timestamps, so a
rerun on the same inputs gives the same file.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import Any

from clxm_meta.checks.carriers import MemberFile, dataset_members
from clxm_meta.checks.completeness import RowStatus, row_status
from clxm_meta.export.base import Export, MissingField, Supplier
from clxm_meta.export.biostudies.describe import describe
from clxm_meta.export.biostudies.filelist import FileListEntry, build_file_list, dataset_info
from clxm_meta.export.biostudies.sources import sidecar_key
from clxm_meta.export.biostudies.xlsx_writer import Sheet, workbook_bytes
from clxm_meta.export.table import format_source
from clxm_meta.records.fields import DatasetKind, field_spec
from clxm_meta.records.models import Record
from clxm_meta.records.rows import Row, rows
from clxm_meta.records.scan import ScanResult

__all__ = ["DOCUMENT", "NOT_REQUIRED", "SECTIONS", "sim_workbook"]

DOCUMENT = "SIM spreadsheet"

SECTIONS: tuple[tuple[str, str], ...] = (
    ("general", "General"),
    ("sample", "Sample"),
    ("setup", "Microscope setup"),
    ("acquisition", "Acquisition"),
    ("raw", "Raw data"),
    ("processing", "Data processing"),
    ("processed", "Processed data"),
    ("chromatic_shift", "Chromatic shift"),
    ("correlation", "Correlation"),
    ("related", "Related IDs"),
)
"""Table 1 id prefix → sheet section, in the order the sheet lists them."""

HEADER = ("Section", "Field", "Table 1 id", "Item", "Value", "Unit", "Source")
FILE_HEADER = ("Files", "Size (bytes)", "Type", "Format", "MD5")
WIDTHS = (18, 44, 34, 30, 60, 8, 70)
FILE_WIDTHS = (50, 14, 36, 12, 34)

FIXED_TIME = datetime.datetime(2000, 1, 1)
"""Workbook creation/modification date written into every workbook (reproducible bytes)."""
_STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
"""What an xlsx (XML 1.0) cannot hold: C0 controls but tab and line ends, surrogates, U+FFFE/F
(the fuzz run's writer class found U+FFFE making a workbook openpyxl could not read back)."""
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")

NOT_REQUIRED = ("related.accessions", "general.publication_doi")
"""Rows that may rightly be empty when the SIM study is deposited: the SIM data go first (no
related accession exists yet) and the data may be unpublished. Shown as empty, not listed as
missing."""


class _Statuses(dict[str, RowStatus]):
    """`completeness`'s row statuses by id, each made when first asked for.

    The sheet asks only for its empty rows' (who supplies them, where); building every row's
    status, value and source dump included, was a fifth of the workbook's cost.
    """

    def __init__(self, record: Record, members: list[MemberFile]) -> None:
        super().__init__()
        self.record, self.members = record, members

    def __missing__(self, fid: str) -> RowStatus:
        status = row_status(self.record, field_spec(self.record.kind, fid), self.members)
        self[fid] = status
        return status


def _who(status: RowStatus) -> Supplier:
    if status.status == "missing_facility":
        return "facility"
    if status.status == "missing_minable":
        return "attached" if status.origin == "attached" else "file"
    return "depositor"


def _where(status: RowStatus, dataset: str, sample: str | None) -> str:
    key = f"sidecar key {sidecar_key(status.id, dataset, sample)}"
    return f"{status.hint}; {key}" if status.hint else key


def _table_rows(
    table1: list[Row], statuses: Mapping[str, RowStatus], dataset: str, sample: str | None
) -> list[tuple[Any, ...]]:
    by_section: dict[str, list[Row]] = {}
    for r in table1:
        by_section.setdefault(r.id.split(".", 1)[0], []).append(r)
    out: list[tuple[Any, ...]] = []
    for prefix, title in SECTIONS:
        for r in by_section.get(prefix, []):
            items = describe(r.id, r.value, r.unit)
            if not items:
                st = statuses[r.id]
                text = st.status_text
                note = f"{text if text.startswith('missing') else 'missing: ' + text}; "
                note += _where(st, dataset, sample)
                out.append((title, r.label, r.id, "", None, r.unit or "", note))
                continue
            src = format_source(r.source)
            for item, text, unit in items:
                value = _cell_value(r.value, text, len(items))
                out.append((title, r.label, r.id, item, value, unit, src))
    return out


def _cell_text(value: Any) -> Any:
    """Strings without the control characters xlsx cannot hold (openpyxl would refuse them)."""
    if isinstance(value, str):
        return _ILLEGAL.sub(" ", value)
    return value


def _cell_value(raw: Any, text: str, n_items: int) -> Any:
    """A plain number stays a number (so the sheet can compute with it); everything else is text."""
    if n_items == 1 and isinstance(raw, int | float) and not isinstance(raw, bool):
        return raw
    if _NUMBER.fullmatch(text):
        number = float(text)
        return (
            int(number) if number.is_integer() and "." not in text and "e" not in text else number
        )
    return text


def sim_workbook(
    result: ScanResult,
    sim: str,
    *,
    md5: Mapping[str, str] | None = None,
    files: Sequence[FileListEntry] | None = None,
) -> Export[bytes]:
    """The SIM spreadsheet of dataset ``sim`` as xlsx bytes.

    ``files`` is ``build_file_list(result, sim, md5=md5)`` when the caller made it already (the
    deposit's file list); by default it is made here.

    ``missing`` lists every empty Table 1 row that is not marked optional (nor in
    `NOT_REQUIRED`), with who supplies it and where (sidecar key, or the file that would carry it).

    Raises
    ------
    KeyError
        ``sim`` is not a dataset of the scan.
    ValueError
        ``sim`` is not a SIM dataset.
    """
    info = dataset_info(result, sim)
    if info.kind is not DatasetKind.SIM:
        raise ValueError(f"dataset {sim!r} is a {info.kind} dataset, not SIM")
    record = result.record(sim)
    table1 = rows(record)
    statuses = _Statuses(record, dataset_members(result, sim))

    if files is None:
        files = build_file_list(result, sim, md5=md5)
    # `_cell_text` inline: a call per cell cost more than the substitution
    clean = _ILLEGAL.sub
    table = Sheet(
        "SIM Table 1",
        HEADER,
        [
            [clean(" ", v) if isinstance(v, str) else v for v in values]
            for values in _table_rows(table1, statuses, sim, info.sample)
        ],
        WIDTHS,
    )
    listing = Sheet(
        "Files",
        FILE_HEADER,
        [
            [
                clean(" ", v) if isinstance(v, str) else v
                for v in (
                    e.path,
                    e.size,
                    e.attributes.get("Type", ""),
                    e.attributes.get("Format", ""),
                    e.attributes.get("MD5", ""),
                )
            ]
            for e in files
        ],
        FILE_WIDTHS,
    )
    document = workbook_bytes([table, listing], creator="clxm_meta", timestamp=_STAMP)

    missing = [
        MissingField(
            DOCUMENT,
            r.id,
            r.label,
            _who(statuses[r.id]),
            _where(statuses[r.id], sim, info.sample),
            r.id,
        )
        for r in table1
        if r.value is None and "(optional)" not in r.label and r.id not in NOT_REQUIRED
    ]
    return Export(document=document, missing=missing)
