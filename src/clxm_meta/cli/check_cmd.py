"""``clxm-meta check PATH``: scan, completeness, pre-upload lint, optional MD5 manifest."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import TYPE_CHECKING

from clxm_meta.cli.common import EXIT_ERROR_FINDINGS, NO_DATASET, emit, exit_for, scan_head
from clxm_meta.cli.rich_out import use_rich

if TYPE_CHECKING:
    from clxm_meta.checks.carriers import MemberFile
    from clxm_meta.checks.completeness import Completeness
    from clxm_meta.checks.manifest import ManifestEntry
    from clxm_meta.findings import Finding
    from clxm_meta.records.scan import ScanResult

__all__ = ["add_parser", "biostudies_findings", "check_lines", "row_lines", "run"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``check`` command."""
    p = sub.add_parser(
        "check", help="scan a deposition folder: datasets, pairs, completeness, pre-upload lint"
    )
    p.add_argument("path", metavar="PATH", help="the deposition folder")
    p.add_argument(
        "--format",
        choices=("text", "json", "jsonl"),
        default="text",
        dest="fmt",
        help="jsonl: one JSON record per line (a record per dataset, then the tree and a "
        "summary), streamed as the samples complete; memory does not grow with the tree",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=1,
        metavar="N",
        help="read and check the samples on N processes (default 1: in this process)",
    )
    p.add_argument(
        "--sidecar",
        help="depositor sidecar (default: the nearest clxm.yaml in PATH or above it)",
    )
    p.add_argument(
        "--manifest", metavar="FILE", help="also write an md5sum-compatible MD5 manifest to FILE"
    )
    p.add_argument(
        "--no-duplicates", action="store_true", help="skip the duplicate-content check (no hashing)"
    )
    p.add_argument("--force", action="store_true", help="overwrite the manifest file")
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar while hashing (it is drawn only on a terminal anyway)",
    )
    p.add_argument(
        "--allow-inside-input",
        action="store_true",
        help="allow the manifest to be written inside PATH (refused by default: inputs are "
        "read-only)",
    )
    p.set_defaults(run=run)


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes >= 1, got {text!r}")
    return n


def _members(result: ScanResult) -> dict[str, list[MemberFile]]:
    """Each dataset's files with their detected format and role (for true completeness hints)."""
    from clxm_meta.checks.carriers import dataset_members

    return {d.name: dataset_members(result, d.name) for d in result.datasets}


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def row_lines(comp: Completeness, *, value_width: int = 48) -> list[str]:
    """Text lines of one record's completeness: id, status in words, value with unit, source.

    An assumed value gets a second line saying what was assumed and why; an empty row gets a
    second line with its hint.
    """
    from clxm_meta.export.table import value_with_unit

    out: list[str] = []
    id_w = max((len(r.id) for r in comp.rows), default=0)
    st_w = min(34, max((len(r.status_text) for r in comp.rows if r.filled), default=0))
    for r in comp.rows:
        if r.filled:
            value = _clip(value_with_unit(r.value, r.unit), value_width)
            out.append(
                f"  {r.id:<{id_w}}  {r.status_text:<{st_w}}  {value:<{value_width}}  "
                f"{r.source_text or ''}".rstrip()
            )
            if r.assumption:
                out.append(f"  {'':<{id_w}}    assumed: {r.assumption}")
        else:
            out.append(f"  {r.id:<{id_w}}  {r.status_text}")
            if r.hint:
                out.append(f"  {'':<{id_w}}    {r.hint}")
    return out


def check_lines(
    result: ScanResult, table: Sequence[Completeness], findings: Sequence[Finding]
) -> list[str]:
    """The text report of ``check`` as lines (data → lines; a richer renderer can reuse the data)."""
    out = list(scan_head(result))
    if not result.datasets:
        out.append(NO_DATASET)
    for sample in result.samples:
        out.append(f"sample {sample.name}: {', '.join(sample.datasets)}  ({sample.evidence})")
    for pair in result.pairs:
        out.append(f"pair: {pair.sim} (SIM) <-> {pair.sxt} (SXT)  ({pair.evidence})")
    for comp, info in zip(table, result.datasets, strict=True):
        filled_by = ", ".join(
            f"{k} {comp.count(k)}"
            for k in ("file", "derived", "assumption", "sidecar", "facility")
            if comp.count(k)
        )
        out.append("")
        out.append(
            f"{comp.kind} dataset {comp.dataset}: {len(info.members)} files, "
            f"{comp.filled}/{comp.total} rows filled ({comp.score:.0%}; {filled_by or 'none'})"
        )
        for m in info.members:
            out.append(f"  file {m.path} [{m.role}]: {m.reason}")
        for m in info.left_out:
            out.append(f"  left out (not uploaded) {m.path} [{m.role}]: {m.reason}")
        out.extend(row_lines(comp))
    from clxm_meta.findings import Severity

    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    out.append("")
    out.append(
        f"findings: {counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
        f"{counts[Severity.INFO]} info"
    )
    ordered = sorted(findings, key=lambda f: -f.severity.rank)
    out.extend(f"  {f}" for f in ordered)
    return out


def _cached_hasher(
    entries: list[ManifestEntry],
) -> Callable[[list[tuple[str, str]]], tuple[list[ManifestEntry], list[Finding]]]:
    """A hasher for the duplicate check that serves the manifest's MD5s (no file read twice)."""
    from clxm_meta.checks.manifest import compute_manifest

    known = {e.rel: e for e in entries}

    def hasher(todo: list[tuple[str, str]]) -> tuple[list[ManifestEntry], list[Finding]]:
        missing = [item for item in todo if item[0] not in known]
        more, errs = compute_manifest(missing) if missing else ([], [])
        return [known[rel] for rel, _ in todo if rel in known] + more, errs

    return hasher


def biostudies_findings(result: ScanResult) -> list[Finding]:
    """What BioStudies would refuse in each SIM dataset's deposition (BioImages.v5 PageTab).

    The submission tool's PageTab rules, TSV values its reader cannot read back and file-list
    paths with characters it does not take (`clxm_meta.export.deposit.build.biostudies_rejections`);
    required values not given yet are the completeness report's, not repeated here.
    """
    from clxm_meta.export.biostudies.pagetab import build_pagetab
    from clxm_meta.export.deposit.build import biostudies_rejections, deposition_units

    out: list[Finding] = []
    for unit in deposition_units(result):
        if unit.sim is None:
            continue
        page = build_pagetab(result, unit.sim, sxt=unit.sxt)
        out.extend(biostudies_rejections(result, unit, page.document))
    return out


def _manifest(
    args: argparse.Namespace, result: ScanResult
) -> tuple[list[ManifestEntry], list[Finding]]:
    """The MD5 of every file of the tree when ``--manifest`` asks for it (and MD5 errors)."""
    from clxm_meta.checks.manifest import compute_manifest
    from clxm_meta.cli.progress import bytes_progress, wants_progress

    if not args.manifest:
        return [], []
    out_abs = os.path.abspath(args.manifest)
    todo = [
        (f.path, os.path.join(result.root, f.path))
        for f in result.files
        if f.role != "sidecar" and os.path.abspath(os.path.join(result.root, f.path)) != out_abs
    ]
    sizes = {f.path: f.size for f in result.files}
    with bytes_progress(
        "MD5",
        sum(sizes.get(rel) or 0 for rel, _ in todo),
        len(todo),
        enabled=wants_progress(args.quiet),
    ) as progress:
        return compute_manifest(todo, progress=progress)


def _run_jsonl(args: argparse.Namespace, pool: Executor | None) -> int:
    """``--format jsonl``: a line per dataset as its sample completes, then the tree, a summary."""
    from clxm_meta.checks.lint import lint
    from clxm_meta.checks.manifest import format_manifest
    from clxm_meta.cli.check_stream import Tally, check_unit, summary_line, tree_line, write_line
    from clxm_meta.cli.deposition_common import write_file_output
    from clxm_meta.dataset.scan import scan_units

    stream = scan_units(
        args.path, sidecar=args.sidecar, executor=pool, keep_records=False, then=check_unit
    )
    tally = Tally()
    for part in stream:
        lines, counts = part.extra
        for line in lines:
            write_line(line, sys.stdout)
        tally.unit(counts)
    tree = stream.result()
    entries, errs = _manifest(args, tree)
    hasher = _cached_hasher(entries) if entries else None
    findings = [
        *tree.findings,
        *lint(tree, check_duplicates=not args.no_duplicates, hasher=hasher),
        *errs,
    ]
    manifest_path = None
    if args.manifest:
        write_file_output(
            args.manifest,
            format_manifest(entries),
            force=args.force,
            command="clxm-meta check --manifest",
            roots=[args.path, tree.root],
        )
        manifest_path = args.manifest
    tally.add(findings)
    write_line(tree_line(tree, findings, manifest_path), sys.stdout)
    code = exit_for(findings, nothing=not tree.datasets)
    if tally.counts["error"]:  # an error in a dataset's or a unit's line
        code = EXIT_ERROR_FINDINGS
    write_line(summary_line(tally, code), sys.stdout)
    return code


def run(args: argparse.Namespace) -> int:
    """Scan ``args.path`` and print the check report."""
    from clxm_meta.checks.completeness import completeness
    from clxm_meta.checks.lint import lint
    from clxm_meta.checks.manifest import format_manifest
    from clxm_meta.cli.deposition_common import write_file_output
    from clxm_meta.dataset.scan import scan
    from clxm_meta.io.output import check_not_input, check_replace_file

    if args.manifest:  # refuse before the (long) scan and hashing
        # The single-output-file rules of every command: never over an input (inside the tree
        # only a new manifest, with --allow-inside-input), and --force replaces only a regular
        # file clxm-meta wrote and nobody changed (its record or marker says so).
        flag = "--allow-inside-input"
        check_not_input(args.manifest, args.path, allow_inside=args.allow_inside_input, flag=flag)
        check_replace_file(args.manifest, force=args.force)
    from clxm_meta.cli.jobs import executor

    with executor(args.jobs) as pool:
        if args.fmt == "jsonl":
            return _run_jsonl(args, pool)
        result = scan(args.path, sidecar=args.sidecar, executor=pool)
    entries, errs = _manifest(args, result)
    manifest_path = None
    hasher = _cached_hasher(entries) if entries else None
    findings = [
        *result.all_findings(),
        *lint(result, check_duplicates=not args.no_duplicates, hasher=hasher),
        *biostudies_findings(result),
        *errs,
    ]
    members = _members(result)
    table = [completeness(r, members.get(r.name)) for r in result.records]
    if args.manifest:
        write_file_output(
            args.manifest,
            format_manifest(entries),
            force=args.force,
            command="clxm-meta check --manifest",
            roots=[args.path, result.root],
        )
        manifest_path = args.manifest
    if args.fmt == "json":
        data = result.model_dump(mode="json", exclude={"records", "findings"})
        data["completeness"] = [c.model_dump(mode="json") for c in table]
        data["findings"] = [f.model_dump(mode="json") for f in findings]
        data["manifest"] = manifest_path
        emit(json.dumps(data, indent=2, ensure_ascii=False), sys.stdout)
    elif use_rich():
        from clxm_meta.cli.rich_out import print_check_rich

        print_check_rich(result, table, findings)
    else:
        emit("\n".join(check_lines(result, table, findings)), sys.stdout)
        if manifest_path:
            emit(f"MD5 manifest written to {manifest_path}", sys.stdout)
    return exit_for(findings, nothing=not result.datasets)
