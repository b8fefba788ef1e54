"""The HTML deposition report: one self-contained page per deposition tree.

What facility staff send to a depositor and a curator can read: the samples, datasets and
correlative pairs; each dataset's Table 1 (value, unit, source) with the empty rows grouped by who
must supply them; the findings by severity; the MD5 manifest summary. One file, no network access,
no external asset (no script, font or image), deterministic for the same inputs (no clock).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clxm_meta.render_html import STYLE, esc, findings_table, rows_table

if TYPE_CHECKING:
    from clxm_meta.checks.completeness import Completeness, RowStatus
    from clxm_meta.checks.manifest import ManifestEntry
    from clxm_meta.findings import Finding
    from clxm_meta.records.scan import ScanResult

__all__ = ["MISSING_GROUPS", "Report", "build_report", "report_html"]

MISSING_GROUPS: tuple[tuple[str, str], ...] = (
    ("depositor", "The depositor supplies (in clxm.yaml)"),
    ("facility", "The facility supplies (in clxm.yaml)"),
    ("attached", "An attached file is needed"),
    ("file", "No file of the dataset carries it"),
)
"""Who must supply an empty row, in the order the report lists them."""

_ARCHIVE = {"SIM": "BioStudies / BioImage Archive", "SXT": "EMPIAR"}


@dataclass
class Report:
    """Everything the report shows (what `build_report` gathers; `report_html` renders it)."""

    result: ScanResult
    completeness: list[Completeness]
    findings: list[Finding]
    manifest: list[ManifestEntry] | None = None
    """MD5 of every file, when computed (``None``: not asked for)."""
    version: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def who_supplies(row: RowStatus) -> str:
    """The `MISSING_GROUPS` key of an empty row."""
    parts = row.origin.split("/")
    if "attached" in parts:
        return "attached"
    if row.status == "missing_facility":
        return "facility"
    if row.status == "missing_depositor":
        return "depositor"
    return "file"


def build_report(
    root: str | os.PathLike[str],
    *,
    sidecar: str | os.PathLike[str] | None = None,
    md5: bool = False,
    check_duplicates: bool = True,
) -> Report:
    """Scan ``root`` and gather the report: completeness, findings (scan + lint), manifest.

    Parameters
    ----------
    root
        The deposition folder (read only).
    sidecar
        Depositor sidecar (default: ``root/clxm.yaml``).
    md5
        Also checksum every file (reads every byte; off by default so that a report of a large tree
        stays a header-only pass).
    check_duplicates
        Run the duplicate-content lint (hashes same-size files only).
    """
    from clxm_meta import __version__
    from clxm_meta.checks.carriers import dataset_members
    from clxm_meta.checks.completeness import completeness
    from clxm_meta.checks.lint import lint
    from clxm_meta.checks.manifest import compute_manifest
    from clxm_meta.dataset.scan import scan

    result = scan(root, sidecar=sidecar)
    findings = [*result.all_findings(), *lint(result, check_duplicates=check_duplicates)]
    members = {d.name: dataset_members(result, d.name) for d in result.datasets}
    table = [completeness(r, members.get(r.name)) for r in result.records]
    manifest = None
    if md5:
        todo = [
            (f.path, os.path.join(result.root, f.path)) for f in result.files if f.role != "sidecar"
        ]
        manifest, errs = compute_manifest(todo)
        findings.extend(errs)
    return Report(result, table, findings, manifest, version=__version__)


def _size(n: int | None) -> str:
    if n is None:
        return "—"
    value = float(n)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{n} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n} bytes"  # pragma: no cover


def _overview(rep: Report) -> list[str]:
    res = rep.result
    from clxm_meta.findings import Severity

    counts = {s: sum(1 for f in rep.findings if f.severity is s) for s in Severity}
    n_files = sum(1 for f in res.files if f.role != "sidecar")
    out = [
        "<table>",
        f"<tr><th>folder</th><td>{esc(res.root)}</td></tr>",
        f"<tr><th>sidecar</th><td>{esc(res.sidecar or 'none')}</td></tr>",
        f"<tr><th>files</th><td>{n_files} "
        f"({sum(1 for f in res.files if f.format is not None)} recognised)</td></tr>",
        f"<tr><th>datasets</th><td>{len(res.datasets)}</td></tr>",
        f"<tr><th>correlative pairs</th><td>{len(res.pairs)}</td></tr>",
        f'<tr><th>findings</th><td><span class="badge error">{counts[Severity.ERROR]} error</span> '
        f'<span class="badge warning">{counts[Severity.WARNING]} warning</span> '
        f'<span class="badge info">{counts[Severity.INFO]} info</span></td></tr>',
        "</table>",
    ]
    if res.samples:
        out.append("<h3>Samples</h3><table><tr><th>sample</th><th>datasets</th><th>why</th></tr>")
        for s in res.samples:
            out.append(
                f'<tr><td class="id">{esc(s.name)}</td><td>{esc(", ".join(s.datasets))}</td>'
                f'<td class="src">{esc(s.evidence)}</td></tr>'
            )
        out.append("</table>")
    out.append(
        "<h3>Datasets</h3><table><tr><th>dataset</th><th>kind</th><th>archive</th><th>files</th>"
        "<th>rows filled</th></tr>"
    )
    for comp, info in zip(rep.completeness, res.datasets, strict=False):
        out.append(
            f'<tr><td class="id"><a href="#ds-{esc(_anchor(comp.dataset))}">{esc(comp.dataset)}</a>'
            f"</td><td>{esc(comp.kind)}</td><td>{esc(_ARCHIVE.get(comp.kind, ''))}</td>"
            f"<td>{len(info.members)}</td>"
            f"<td>{comp.filled}/{comp.total} ({comp.score:.0%})</td></tr>"
        )
    out.append("</table>")
    if res.pairs:
        out.append(
            "<h3>Correlative pairs</h3><table><tr><th>SIM (BioStudies)</th><th>SXT (EMPIAR)</th>"
            "<th>why</th></tr>"
        )
        for p in res.pairs:
            out.append(
                f'<tr><td class="id">{esc(p.sim)}</td><td class="id">{esc(p.sxt)}</td>'
                f'<td class="src">{esc(p.evidence)}</td></tr>'
            )
        out.append("</table>")
    return out


def _anchor(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name)


def _dataset(comp: Completeness, members: Sequence[Any]) -> list[str]:
    out = [
        f'<h2 id="ds-{esc(_anchor(comp.dataset))}">{esc(comp.kind)} dataset '
        f"<code>{esc(comp.dataset)}</code></h2>",
        f"<p>{esc(_ARCHIVE.get(comp.kind, ''))}; {comp.filled} of {comp.total} Table 1 rows filled "
        f"({comp.score:.0%}).</p>",
    ]
    if members:
        out.append("<details><summary>Files of this dataset</summary><table>")
        out.append("<tr><th>file</th><th>role</th><th>why it belongs here</th></tr>")
        for m in members:
            out.append(
                f'<tr><td class="id">{esc(m.path)}</td><td>{esc(m.role)}</td>'
                f'<td class="src">{esc(m.reason)}</td></tr>'
            )
        out.append("</table></details>")
    filled = [r for r in comp.rows if r.filled]
    out.append(f"<h3>Table 1: filled rows ({len(filled)})</h3>")
    out.append(rows_table((r.model_dump(mode="json") for r in filled), status=True))
    empty = [r for r in comp.rows if not r.filled]
    out.append(f"<h3>Table 1: empty rows ({len(empty)}), by who must supply them</h3>")
    if not empty:
        out.append('<p class="muted">None.</p>')
    for key, title in MISSING_GROUPS:
        group = [r for r in empty if who_supplies(r) == key]
        if group:
            out.append(f'<h4 class="group-{key}">{esc(title)} ({len(group)})</h4>')
            out.append(rows_table((r.model_dump(mode="json") for r in group), status=True))
    return out


def _findings(findings: Sequence[Finding]) -> list[str]:
    from clxm_meta.findings import Severity

    out = [f'<h2 id="findings">Findings ({len(findings)})</h2>']
    if not findings:
        out.append('<p class="muted">No findings.</p>')
    for sev in sorted(Severity, key=lambda s: -s.rank):
        group = [f.model_dump(mode="json") for f in findings if f.severity is sev]
        if group:
            out.append(f"<h3>{esc(sev.value)} ({len(group)})</h3>")
            out.append(findings_table(group))
    return out


def _manifest(rep: Report) -> list[str]:
    files = [f for f in rep.result.files if f.role != "sidecar"]
    total = sum(f.size or 0 for f in files)
    out = [
        '<h2 id="manifest">Files and MD5 manifest</h2>',
        f"<p>{len(files)} files to upload, {esc(_size(total))} in total.</p>",
    ]
    if rep.manifest is None:
        out.append(
            '<p class="muted">Checksums not computed: run <code>clxm-meta report PATH --md5</code> '
            "or <code>clxm-meta check PATH --manifest md5.txt</code>.</p>"
        )
        return out
    ok = [e for e in rep.manifest if e.md5 is not None]
    out.append(
        f"<p>MD5 of {len(ok)} of {len(rep.manifest)} files (the <code>md5sum -c</code> "
        "compatible list is what <code>clxm-meta check --manifest</code> writes).</p>"
    )
    out.append("<details><summary>MD5 per file</summary><table>")
    out.append("<tr><th>MD5</th><th>size</th><th>file</th></tr>")
    for e in rep.manifest:
        out.append(
            f'<tr><td class="id">{esc(e.md5 or "unreadable")}</td><td>{esc(_size(e.size))}</td>'
            f'<td class="id">{esc(e.rel)}</td></tr>'
        )
    out.append("</table></details>")
    return out


def report_html(rep: Report) -> str:
    """The report as one HTML document (UTF-8, inline CSS, nothing fetched)."""
    title = f"Deposition report: {os.path.basename(os.path.normpath(rep.result.root))}"
    members = {d.name: d.members for d in rep.result.datasets}
    body = [f"<h1>{esc(title)}</h1>"]
    body.append(
        '<p class="muted">Deposition metadata (Table 1) for correlative cryo-SIM + cryo-SXT, '
        f"written by clxm-meta {esc(rep.version)}. Every value names the file and the place in it "
        "it came from (hover a source for the full path).</p>"
    )
    body += _overview(rep)
    for comp in rep.completeness:
        body += _dataset(comp, members.get(comp.dataset, []))
    body += _findings(rep.findings)
    body += _manifest(rep)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="clxm-meta report">'
        f"<title>{esc(title)}</title>"
        f"<style>{STYLE}\nbody {{ margin: 24px; background: #fff; }}\n"
        ".clxm h4 { font-size: 13px; margin: 10px 0 2px; }\n</style></head>\n"
        f'<body class="clxm">\n{"".join(body)}\n</body></html>\n'
    )
