"""``check --format jsonl``: one JSON record per line, streamed as the units of the tree complete.

The tree is scanned with `clxm_meta.scan_units` (the unit of work a sample); each unit's
completeness, pair lint and BioStudies checks run in the worker that read it (`check_unit`), which
sends back ready-made lines, never the records or the format models. The driver writes each
unit's lines as it arrives and keeps only the tree's file list and dataset descriptions for the
tree-wide checks at the end, so memory does not grow with the records of the archive.

Records, in this order (docs/checks.md, "JSON lines"):

``{"record": "dataset", ...}``
    One per dataset, unit by unit in walk order: ``dataset``, ``kind``, ``sample``, ``folder``,
    ``members`` and ``left_out`` (path, role, reason), ``completeness`` (as in ``--format json``)
    and ``findings`` (the dataset's own: its files, its values).
``{"record": "unit", ...}``
    After a unit's datasets when the checks that need its records found something:
    ``datasets`` (the unit's) and ``findings`` (pair lint, BioStudies rejections).
``{"record": "tree", ...}``
    Once: ``root``, ``scope``, ``sidecar``, ``facility``, ``files`` (count), ``samples``,
    ``pairs``, ``manifest`` and ``findings`` (the scan's own: walk, sidecar, grouping, pairing,
    unreadable files; the file lint: names, sizes, duplicates, output names; MD5 errors).
``{"record": "summary", ...}``
    Last: ``datasets``, ``errors``, ``warnings``, ``info`` (over every line's findings) and
    ``exit_code``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from clxm_meta.findings import Finding
    from clxm_meta.records.scan import ScanResult

__all__ = ["check_unit", "dataset_lines"]


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def dataset_lines(partial: ScanResult) -> list[str]:
    """The JSON lines of one unit's datasets (made where the unit was read)."""
    from clxm_meta.checks.carriers import dataset_members
    from clxm_meta.checks.completeness import completeness

    out: list[str] = []
    by_name = {r.name: r for r in partial.records}
    for info in partial.datasets:
        rec = by_name[info.name]
        comp = completeness(rec, dataset_members(partial, info.name))
        data = info.model_dump(mode="json")
        out.append(
            _line(
                {
                    "record": "dataset",
                    "dataset": data.pop("name"),
                    **data,
                    "completeness": comp.model_dump(mode="json"),
                    "findings": [f.model_dump(mode="json") for f in rec.findings],
                }
            )
        )
    return out


def check_unit(partial: ScanResult) -> tuple[list[str], dict[str, int]]:
    """Every line of one unit and the severity counts of the findings in them.

    The lines: its datasets, then its pair lint and BioStudies findings if any; the counts also
    hold ``datasets``, the number of datasets.
    """
    from clxm_meta.checks.lint import pair_lint
    from clxm_meta.cli.check_cmd import biostudies_findings

    out = dataset_lines(partial)
    found = [*pair_lint(partial), *biostudies_findings(partial)]
    counts = {"datasets": len(partial.datasets), "error": 0, "warning": 0, "info": 0}
    for f in [*found, *(f for r in partial.records for f in r.findings)]:
        counts[f.severity.value] += 1
    if found:
        out.append(
            _line(
                {
                    "record": "unit",
                    "datasets": [d.name for d in partial.datasets],
                    "findings": [f.model_dump(mode="json") for f in found],
                }
            )
        )
    return out, counts


class Tally:
    """Severity counts over every line written (the summary and the exit code)."""

    def __init__(self) -> None:
        self.counts = {"datasets": 0, "error": 0, "warning": 0, "info": 0}

    def unit(self, counts: dict[str, int]) -> None:
        for key, n in counts.items():
            self.counts[key] = self.counts.get(key, 0) + n

    def add(self, findings: list[Finding]) -> None:
        for f in findings:
            self.counts[f.severity.value] += 1


def write_line(text: str, stream: TextIO) -> None:
    """One record, flushed: a reader of the pipe sees each unit as it completes."""
    stream.write(text + "\n")
    stream.flush()


def tree_line(tree: ScanResult, findings: list[Finding], manifest: str | None) -> str:
    """The ``tree`` record."""
    return _line(
        {
            "record": "tree",
            "root": tree.root,
            "scope": tree.scope,
            "sidecar": tree.sidecar,
            "facility": tree.facility,
            "files": len(tree.files),
            "samples": [s.model_dump(mode="json") for s in tree.samples],
            "pairs": [p.model_dump(mode="json") for p in tree.pairs],
            "manifest": manifest,
            "findings": [f.model_dump(mode="json") for f in findings],
        }
    )


def summary_line(tally: Tally, exit_code: int) -> str:
    """The last record."""
    return _line(
        {
            "record": "summary",
            "datasets": tally.counts["datasets"],
            "errors": tally.counts.get("error", 0),
            "warnings": tally.counts.get("warning", 0),
            "info": tally.counts.get("info", 0),
            "exit_code": exit_code,
        }
    )
