"""Worker side of the fuzz classes (`fuzzing.classes`): run one case, check its invariants.

Imported lazily by `fuzzing.worker` for requests of kind ``class_sidecar``, ``class_names`` and
``class_writer``; answers as the reader cases do (``ok``, ``lib_error`` or ``escape`` with a
detail).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import os
import re
from collections.abc import Iterator
from typing import Any

from fuzzing.worker import SCAN_CRASH_CODES, _frames

_EXAMPLE_SCAN: list[Any] = []


class Broken(Exception):
    """An invariant does not hold (reported as an escape)."""


def run_class(req: dict[str, Any]) -> dict[str, Any]:
    """Dispatch one class case; anything but the library's own errors is an escape."""
    from clxm_meta.errors import ClxmMetaError

    kind = req["kind"]
    codes: list[str] = []
    try:
        if kind == "class_sidecar":
            codes = _sidecar(req)
        elif kind == "class_names":
            codes = _names(req)
        else:
            codes = _writer(req)
    except Broken as exc:
        return {"status": "escape", "codes": codes, "detail": f"invariant: {exc}"[:400]}
    except ClxmMetaError as exc:
        return {
            "status": "lib_error",
            "codes": [f"raise:{type(exc).__name__}"],
            "detail": str(exc)[:300],
        }
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        return {"status": "escape", "codes": codes, "detail": _frames(exc)}
    return {"status": "ok", "codes": codes}


def _strings(obj: Any) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from _strings(v)


def _utf8(text: str, what: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise Broken(f"{what} is not UTF-8 encodable: {exc}") from None


# ---------------------------------------------------------------- sidecar


def _sidecar(req: dict[str, Any]) -> list[str]:
    from clxm_meta.errors import ClxmMetaError, SidecarError
    from clxm_meta.sidecar import safe_yaml
    from clxm_meta.sidecar.biostudies import load_biostudies
    from clxm_meta.sidecar.countries import EMPIAR_COUNTRIES
    from clxm_meta.sidecar.load import load_sidecar

    safe_yaml._CACHE.clear()  # every case is a new file: never reuse a parse
    path = req["path"]
    try:
        sc = load_sidecar(path)
        info = load_biostudies(path)
    except SidecarError:
        raise
    except ClxmMetaError as exc:
        raise Broken(f"{type(exc).__name__} instead of SidecarError: {exc}") from None
    values: list[Any] = [e.value for e in sc.entries]
    values.append(info.values)
    for block in (sc.citation, sc.empiar):
        if block is not None:
            values.append(
                dataclasses.asdict(block) if dataclasses.is_dataclass(block) else vars(block)
            )
    for text in _strings(values):
        bad = safe_yaml.bad_character(text)
        if bad is not None:
            raise Broken(f"accepted a string holding {bad}: {text[:80]!r}")
    _utf8(json.dumps(values, ensure_ascii=False, default=str), "the accepted values")
    for e in sc.entries:
        if e.field == "general.people":
            for person in e.value if isinstance(e.value, list) else []:
                if not isinstance(person, dict):
                    continue
                orcid = person.get("orcid")
                if isinstance(orcid, str) and not orcid.isascii():
                    raise Broken(f"accepted a non-ASCII ORCID {orcid!r}")
                country = person.get("country")
                if country is not None and country not in EMPIAR_COUNTRIES:
                    raise Broken(f"accepted the country {country!r}")
        if e.field == "related.accessions":
            for acc in e.value if isinstance(e.value, list) else [e.value]:
                if not str(acc).isascii():
                    raise Broken(f"accepted a non-ASCII accession {acc!r}")
        if e.field == "general.funding":
            for grant in e.value if isinstance(e.value, list) else []:
                gid = grant.get("grant_id") if isinstance(grant, dict) else None
                if gid is not None and not str(gid).isascii():
                    raise Broken(f"accepted a non-ASCII grant id {gid!r}")
    findings = [*sc.findings, *info.findings]
    for f in findings:
        _utf8(f.model_dump_json(), "a finding")
        named = f.locator is not None and f.locator.startswith(("line ", "biostudies."))
        if f.code.startswith("sidecar.") and not named:
            raise Broken(f"finding {f.code} names no line: {f.locator!r}")
    return sorted({f.code for f in findings})


# ---------------------------------------------------------------- names


def _names(req: dict[str, Any]) -> list[str]:
    from clxm_meta.checks.lint import lint
    from clxm_meta.checks.manifest import compute_manifest, format_manifest
    from clxm_meta.dataset.scan import scan

    root, outside = req["root"], req["outside"]
    result = scan(root, use_sidecar=False)
    _utf8(result.model_dump_json(), "the scan result")
    findings = [*result.all_findings(), *lint(result)]
    for f in findings:
        _utf8(f.model_dump_json(), f"finding {f.code}")
        if f.code in SCAN_CRASH_CODES:
            raise Broken(f"a crash the scan caught: {f}")
    real_root = os.path.realpath(root)
    real_outside = os.path.realpath(outside)
    for f in result.files:
        real = os.path.realpath(os.path.join(root, f.path))
        if not (real == real_root or real.startswith(real_root + os.sep)):
            raise Broken(f"{f.path} is listed but resolves outside the tree ({real})")
        if real.startswith(real_outside + os.sep):
            raise Broken(f"{f.path} leads to the outside folder")
    entries, _errors = compute_manifest(
        [(f.path, os.path.join(root, f.path)) for f in result.files if f.role != "sidecar"]
    )
    manifest = format_manifest(entries)
    _utf8(manifest, "the manifest")
    secret = hashlib.md5(
        b"outside the deposition: must never be listed or hashed\n", usedforsecurity=False
    ).hexdigest()
    if secret in manifest:
        raise Broken("the outside file's MD5 is in the manifest")
    return sorted({f.code for f in findings})


# ---------------------------------------------------------------- writer

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _writer(req: dict[str, Any]) -> list[str]:
    strings: list[str] = req["strings"]
    codes = ["table1_tsv", "pagetab", "file_list", "manifest", "html"]
    _table1_tsv(strings)
    _pagetab(strings)
    _file_list(strings)
    _manifest(strings)
    _html(strings)
    if (
        int(hashlib.md5("".join(strings).encode("utf-8", "surrogatepass")).hexdigest(), 16) % 16
        == 0
    ):
        _xlsx(strings)
        codes.append("xlsx")
    return codes


def _table1_tsv(strings: list[str]) -> None:
    from clxm_meta.export.table import rows_to_tsv
    from clxm_meta.records.rows import Row

    rows = []
    for i, s in enumerate(strings):
        rows.append(
            Row.model_construct(
                dataset=s,
                kind="SIM",
                id="general.title",
                label=strings[i - 1],
                value=s if i % 2 else [s, i],
                unit=s[:5] or None,
                source={"path": s},
                origin=strings[(i + 1) % len(strings)],
            )
        )
    text = rows_to_tsv(rows)
    _utf8(text, "table1 TSV")
    lines = text.splitlines()
    if len(lines) != len(rows) + 1:
        raise Broken(f"table1 TSV has {len(lines)} lines for {len(rows)} rows")
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) != 8:
            raise Broken(f"table1 TSV line with {len(cells)} cells")
        for c in cells:
            if c[:1] in ("=", "+", "-", "@") and not _NUMBER.fullmatch(c):
                raise Broken(f"table1 TSV cell opens as a formula: {c[:40]!r}")


def _pagetab(strings: list[str]) -> None:
    from clxm_meta.errors import ClxmMetaError
    from clxm_meta.export.biostudies.pagetab_model import (
        PageTab,
        Section,
        pagetab_json,
        pagetab_tsv,
    )

    study = Section("Study")
    for s in strings:
        study.add("Title", s)
        study.add(s[:20] or "Name", "value")
    sub = Section("Author")
    for s in strings:
        sub.add("Name", s)
    study.subsections.append(sub)
    doc = PageTab(study)
    try:
        tsv = pagetab_tsv(doc)
    except ClxmMetaError:  # a value the TSV form cannot carry is refused (the JSON form can)
        pass
    else:
        _utf8(tsv, "PageTab TSV")
        list(csv.reader(io.StringIO(tsv), delimiter="\t", quotechar='"'))
    data = json.dumps(pagetab_json(doc), ensure_ascii=False)
    if json.loads(_utf8(data, "PageTab JSON")) != pagetab_json(doc):
        raise Broken("PageTab JSON does not read back")


def _file_list(strings: list[str]) -> None:
    from clxm_meta.errors import ClxmMetaError
    from clxm_meta.export.biostudies.filelist import FileListEntry, file_list_json, file_list_tsv

    entries = []
    for s in strings:
        entry = FileListEntry(f"data/{s}", 1, {"Description": s, "Type": "file"})
        try:
            file_list_tsv([entry])
        except ClxmMetaError:  # a path no file list can carry: refused with the library's error
            entry = FileListEntry("data/ok.dv", 1, {"Description": s})
        entries.append(entry)
    text = file_list_tsv(entries)
    _utf8(text, "file list TSV")
    lines = text.split("\n")
    if len(lines) != len(entries) + 2 or lines[-1] != "":
        raise Broken(f"file list TSV has {len(lines) - 1} lines for {len(entries)} files")
    width = lines[0].count("\t")
    if any(line.count("\t") != width for line in lines[1:-1]):
        raise Broken("file list TSV rows differ in their number of cells")
    _utf8(json.dumps(file_list_json(entries), ensure_ascii=False), "file list JSON")


def _manifest(strings: list[str]) -> None:
    from clxm_meta.checks.manifest import ManifestEntry, format_manifest

    entries = [ManifestEntry(f"d/{s}", 1, "0" * 32) for s in strings]
    text = format_manifest(entries)
    _utf8(text, "the manifest")
    if len(text.split("\n")) != len(entries) + 1:
        raise Broken("a manifest entry spans more than one line")


def _html(strings: list[str]) -> None:
    from clxm_meta.render_html import esc

    for s in strings:
        out = esc(s)
        _utf8(out, "HTML text")
        if "<" in out or ">" in out:
            raise Broken(f"HTML escape left markup: {out[:60]!r}")


def _xlsx(strings: list[str]) -> None:
    from openpyxl import load_workbook

    from clxm_meta.dataset.scan import scan
    from clxm_meta.export.biostudies.sim_xlsx import sim_workbook
    from clxm_meta.records.provenance import Source, SourceKind
    from clxm_meta.records.value import Value
    from fuzzing.corpus import EXAMPLE

    if not _EXAMPLE_SCAN:
        _EXAMPLE_SCAN.append(scan(EXAMPLE))
    base = _EXAMPLE_SCAN[0]
    result = base.model_copy(deep=True)
    sim = next(d.name for d in result.datasets if d.kind.value == "SIM")
    record = result.record(sim)
    source = Source(kind=SourceKind.SIDECAR, path="clxm.yaml", locator=strings[-1])
    record.set("general.title", Value[Any](value=strings[0], source=source))
    record.set("sample.sample_id", Value[Any](value=strings[1], source=source))
    data = sim_workbook(result, sim).document
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    raise Broken(f"spreadsheet cell {cell.coordinate} is a formula: {cell.value!r}")
