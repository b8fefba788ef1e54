"""``clxm-meta deposit PATH -o OUTDIR``: every file of the deposition, in the protocol's order."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from clxm_meta.cli.common import EXIT_ERROR_FINDINGS, EXIT_OK
from clxm_meta.cli.deposition_common import (
    add_output_options,
    add_template_option,
    checksums,
    note,
    refuse_missing,
    refuse_outside_findings,
    refuse_rejected,
    refuse_sidecar,
    refuse_unreadable,
    scan_for_export,
)

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from clxm_meta.export.deposit.stream import DepositSummary
    from clxm_meta.findings import Finding
    from clxm_meta.records.scan import ScanResult

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``deposit`` command."""
    p = sub.add_parser(
        "deposit",
        help="write the whole deposition: EMPIAR JSON, BioStudies PageTab + file list + "
        "spreadsheet, OME-XML, MD5 manifest, README",
    )
    p.add_argument("path", metavar="PATH", help="the deposition folder (read only)")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="folder to write")
    p.add_argument(
        "--entry-image",
        action="store_true",
        help="also make the EMPIAR entry image (reads pixels: a tomogram slice, a SIM projection)",
    )
    links = p.add_mutually_exclusive_group()
    links.add_argument(
        "--copy",
        dest="link_mode",
        action="store_const",
        const="copy",
        default="symlink",
        help="stage copies of the input files in upload/ (default: symbolic links)",
    )
    links.add_argument(
        "--hardlink",
        dest="link_mode",
        action="store_const",
        const="hardlink",
        help="stage hard links in upload/, for a client that does not follow symbolic links "
        "(same file system only)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue a run that was killed: keep the units it wrote whole (checked by their "
        "SHA-256), build the rest; only with the same inputs, sidecar, options and clxm-meta "
        "version (otherwise everything is built)",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=1,
        metavar="N",
        help="read the samples and build their documents on N processes (default 1: in this "
        "process); the folder written is the same whatever N",
    )
    add_template_option(p)
    add_output_options(p)
    p.set_defaults(run=run)


def _jobs(text: str) -> int:
    from clxm_meta.cli.check_cmd import _jobs as jobs

    return jobs(text)


def run(args: argparse.Namespace) -> int:
    """Build and write the deposition of ``args.path`` into ``args.output``, unit by unit.

    The tree is scanned as a stream of samples (`clxm_meta.scan_units`), each built where it was
    read (`clxm_meta.export.deposit.streamed`), so memory does not grow with the archive; a tree
    whose deposition units do not line up with its samples (or a single unit) is scanned whole.
    """
    import functools
    import os

    from clxm_meta.cli.jobs import executor
    from clxm_meta.dataset.scan import scan_units
    from clxm_meta.export.deposit.build import check_outside, sidecar_errors
    from clxm_meta.export.deposit.streamed import deposit_hook, deposit_streamed
    from clxm_meta.io.outdir import check_target

    out = args.output
    # refuse before the scan and the hashing (the writer checks again, under its lock)
    check_outside(out, args.path, allow_inside=args.allow_inside)
    check_target(os.path.abspath(out), force=args.force, deep=False)
    options = {
        "entry_image": args.entry_image,
        "link_mode": args.link_mode,
        "template": args.bia_template,
    }
    refused = 0

    def accept(summary: DepositSummary) -> bool:
        nonlocal refused
        refused = refuse_missing(summary.missing, args.allow_incomplete) or refuse_rejected(
            summary.rejected
        )
        return not refused

    def refuse(tree: ScanResult) -> bool:
        nonlocal refused
        if refuse_sidecar(sidecar_errors(tree)):
            refused = EXIT_ERROR_FINDINGS
        return bool(refused)

    with executor(args.jobs) as pool:
        stream = scan_units(
            args.path,
            sidecar=args.sidecar,
            executor=pool,
            keep_records=False,
            then=functools.partial(deposit_hook, options),
        )
        if stream.units < 2:
            return _whole(args, accept, lambda: refused, announce=True, executor=pool)
        check_outside(out, stream.root, allow_inside=args.allow_inside)
        early = stream.early_findings()
        refuse_outside_findings(early)
        if stream.sidecar and not getattr(args, "quiet", False):
            note(args, f"clxm-meta: sidecar: {stream.sidecar}")
        if refuse_sidecar([f for f in early if _sidecar_error(f)]):
            return EXIT_ERROR_FINDINGS
        done = deposit_streamed(
            out,
            stream,
            entry_image=args.entry_image,
            link_mode=args.link_mode,
            template=args.bia_template,
            force=args.force,
            resume=args.resume,
            refuse=refuse,
            accept=accept,
            command="deposit",
        )
        if done is None:
            return _whole(args, accept, lambda: refused, announce=False, executor=pool)
    if done.errors:
        return refuse_unreadable(done.errors)
    return _report(args, done.summary, refused)


def _sidecar_error(f: Finding) -> bool:
    from clxm_meta.findings import Severity

    return f.code.startswith("sidecar.") and f.severity is Severity.ERROR


def _whole(
    args: argparse.Namespace,
    accept: Callable[[DepositSummary], bool],
    refused: Callable[[], int],
    *,
    announce: bool,
    executor: Executor | None,
) -> int:
    """The deposit from a whole scan (`write_deposit`)."""
    from clxm_meta.export.deposit.build import deposition_units, upload_files
    from clxm_meta.export.deposit.stream import write_deposit

    out = args.output
    result, status = scan_for_export(args, out, announce=announce)
    if result is None:
        return status
    paths = [
        p
        for unit in deposition_units(result)
        for files in upload_files(result, unit).values()
        for p in files
    ]
    md5, status = checksums(result, paths)
    if md5 is None:
        return status
    deposit = write_deposit(
        out,
        result,
        md5=md5,
        entry_image=args.entry_image,
        link_mode=args.link_mode,
        template=args.bia_template,
        force=args.force,
        resume=args.resume,
        accept=accept,
        executor=executor,
        command="deposit",
    )
    return _report(args, deposit, refused())


def _report(args: argparse.Namespace, deposit: DepositSummary, refused: int) -> int:
    """The notes of a deposit written (or the refusal's exit code)."""
    out = args.output
    if deposit.resume_note:
        note(args, f"clxm-meta: --resume: {deposit.resume_note}")
    if not deposit.written:
        return refused
    files = deposit.files
    note(args, f"clxm-meta: deposition written to {out} ({len(files)} files):")
    for path in files:
        note(args, f"  {path}")
    if deposit.links:
        how = {"symlink": "as symbolic links", "hardlink": "as hard links", "copy": "as copies"}
        note(
            args,
            f"clxm-meta: {deposit.links} input files staged in upload/ "
            f"{how[args.link_mode]} (read only)",
        )
    for unit in deposit.units:
        for step in unit.pending:
            note(args, f"clxm-meta: still to do: {step}")
        for name, full in unit.shortened:
            note(args, f"clxm-meta: name shortened to fit the file-name limit: {name} ({full})")
    readmes = [p for p in files if p.endswith("README.txt")]
    note(args, f"clxm-meta: next steps in {', '.join(readmes)}")
    return EXIT_OK
