"""What ``deposit`` and ``export`` share: options, the scan with its refusals, the missing list."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from clxm_meta.cli.common import EXIT_ERROR_FINDINGS, EXIT_INCOMPLETE, EXIT_NOTHING

if TYPE_CHECKING:
    from clxm_meta.export.base import MissingField
    from clxm_meta.findings import Finding
    from clxm_meta.records.scan import ScanResult

__all__ = [
    "add_output_options",
    "add_template_option",
    "checksums",
    "note",
    "refuse_missing",
    "refuse_outside_findings",
    "refuse_outside_links",
    "refuse_rejected",
    "refuse_sidecar",
    "refuse_unreadable",
    "scan_for_export",
    "write_file_output",
]


def add_template_option(p: argparse.ArgumentParser) -> None:
    """``--bia-template``: the BioImage Archive template of the PageTab."""
    p.add_argument(
        "--bia-template",
        choices=("BioImages.v5", "BioImages.v4"),
        default="BioImages.v5",
        help="BioImage Archive template of the PageTab (default: BioImages.v5, what the "
        "submission tool offers; BioImages.v4: the earlier document)",
    )


def add_output_options(p: argparse.ArgumentParser) -> None:
    """``--sidecar``, ``--allow-incomplete``, ``--force``, ``--allow-inside``."""
    p.add_argument("--sidecar", help="depositor sidecar (default: PATH/clxm.yaml)")
    p.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="write even when required values are missing (they are still listed)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace an earlier output clxm-meta wrote (refused when it holds anything clxm-meta "
        "did not write, or that changed since: see its .clxm-record.json)",
    )
    p.add_argument(
        "--allow-inside",
        "--allow-inside-input",
        dest="allow_inside",
        action="store_true",
        help="allow creating a new output inside the scanned tree (refused by default; nothing "
        "existing there is ever replaced)",
    )


def _err(text: str) -> None:
    sys.stderr.write(f"clxm-meta: {text}\n")


def note(args: argparse.Namespace, text: str) -> None:
    """A 'written to' note or a list line on standard error; nothing with ``-q``."""
    if not getattr(args, "quiet", False):
        sys.stderr.write(text if text.endswith("\n") else text + "\n")


def write_file_output(
    path: str, text: str | bytes, *, force: bool, command: str, roots: Sequence[str]
) -> None:
    """Write a single output file, recorded in its folder's record unless inside an input tree.

    Never over an input, a link, a folder, a device, or a file clxm-meta did not write.
    """
    from clxm_meta.io.output import is_inside, write_output_file

    inside = any(is_inside(path, root) for root in roots)
    write_output_file(path, text, force=force, command=command, record=not inside)


def scan_for_export(
    args: argparse.Namespace, out: str | None, *, announce: bool = True
) -> tuple[ScanResult | None, int]:
    """Refuse an output inside the tree, scan, refuse invalid sidecar entries.

    ``announce``: say which sidecar is used (false when a streamed deposit already said it).

    Returns the scan and 0, or ``None`` and the exit code (the reason already printed).
    """
    from clxm_meta.dataset.scan import scan
    from clxm_meta.export.deposit.build import check_outside, sidecar_errors

    if out is not None:
        check_outside(out, args.path, allow_inside=args.allow_inside)
    result = scan(args.path, sidecar=args.sidecar)
    if out is not None:  # the root may lie above PATH (a sidecar found upwards)
        check_outside(out, result.root, allow_inside=args.allow_inside)
    refuse_outside_links(result)
    if result.sidecar and announce and not getattr(args, "quiet", False):
        _err(f"sidecar: {result.sidecar}")  # always say which sidecar's values are used
    if refuse_sidecar(sidecar_errors(result)):
        return None, EXIT_ERROR_FINDINGS
    if not result.datasets:
        _err(f"nothing to export: no dataset under {args.path}")
        return None, EXIT_NOTHING
    return result, 0


def refuse_sidecar(bad: Sequence[Finding]) -> bool:
    """List the sidecar's invalid entries; True when there are some (the export is refused)."""
    if not bad:
        return False
    _err(f"refused: the sidecar has {len(bad)} invalid entr{'y' if len(bad) == 1 else 'ies'}")
    for f in bad:
        sys.stderr.write(f"  {f}\n")
    _err("fix those lines (nothing written)")
    return True


def refuse_outside_links(result: ScanResult) -> None:
    """Refuse a deposit whose tree links outside itself (the walk did not follow those links).

    Such a file is neither listed, checksummed nor staged; depositing without it would silently
    drop a file the depositor put in the tree, so the deposit stops and names it (exit 2).

    Raises
    ------
    UploadSourceError
        At least one ``scan.symlink_outside`` finding.
    """
    refuse_outside_findings(result.findings)


def refuse_outside_findings(findings: Sequence[Finding]) -> None:
    """`refuse_outside_links` on a list of findings (a streamed scan's early findings)."""
    from clxm_meta.export.deposit.upload import UploadSourceError

    outside = [f for f in findings if f.code == "scan.symlink_outside"]
    if outside:
        more = f" (and {len(outside) - 1} more)" if len(outside) > 1 else ""
        raise UploadSourceError(
            f"{outside[0].message}{more}; nothing written", path=outside[0].path
        )


def checksums(result: ScanResult, paths: Sequence[str]) -> tuple[dict[str, str] | None, int]:
    """MD5 of the files to upload (streamed, in parallel); ``None`` and 1 when one is unreadable."""
    from clxm_meta.checks.manifest import compute_manifest

    entries, errors = compute_manifest(
        [(p, os.path.join(result.root, p)) for p in sorted(set(paths))]
    )
    if errors:
        return None, refuse_unreadable(errors)
    return {e.rel: e.md5 for e in entries if e.md5 is not None}, 0


def refuse_unreadable(errors: Sequence[Finding]) -> int:
    """List the files to upload that cannot be read; the exit code."""
    for f in errors:
        sys.stderr.write(f"  {f}\n")
    _err("refused: files to upload cannot be read (nothing written)")
    return EXIT_ERROR_FINDINGS


def refuse_missing(missing: Sequence[MissingField], allow_incomplete: bool) -> int:
    """List missing required values; the exit code to return now, or 0 to go on and write."""
    if not missing:
        return 0
    head = f"{len(missing)} required value{'s are' if len(missing) != 1 else ' is'} missing"
    if allow_incomplete:
        _err(f"written incomplete (--allow-incomplete): {head}:")
    else:
        _err(f"refused: {head} (nothing written):")
    for m in missing:
        sys.stderr.write(f"  {m}\n")
    if allow_incomplete:
        return 0
    _err(
        "fill them in clxm.yaml (`clxm-meta sidecar` writes a template) or pass "
        "--allow-incomplete to write what can be written"
    )
    return EXIT_INCOMPLETE


def refuse_rejected(rejected: Sequence[Finding]) -> int:
    """List what the archive would refuse; the exit code (0 when nothing is)."""
    if not rejected:
        return 0
    n = len(rejected)
    _err(
        f"refused: BioStudies would not accept {n} thing{'s' if n != 1 else ''} (nothing written):"
    )
    for f in rejected:
        where = f" [{f.locator}]" if f.locator else ""
        path = f"{f.path}: " if f.path else ""
        sys.stderr.write(f"  {path}{f.message}{where}\n")
    return EXIT_ERROR_FINDINGS
