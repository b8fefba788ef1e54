"""``clxm-meta deposit PATH -o OUTDIR``: every file of the deposition, in the protocol's order."""

from __future__ import annotations

import argparse

from clxm_meta.cli.common import EXIT_OK
from clxm_meta.cli.deposition_common import (
    add_output_options,
    add_template_option,
    checksums,
    note,
    refuse_missing,
    refuse_rejected,
    scan_for_export,
)

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
    add_template_option(p)
    add_output_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build and write the deposition of ``args.path`` into ``args.output``, unit by unit."""
    import os

    from clxm_meta.export.deposit.build import check_outside, deposition_units, upload_files
    from clxm_meta.export.deposit.stream import DepositSummary, write_deposit
    from clxm_meta.io.outdir import check_target

    out = args.output
    # refuse before the scan and the hashing (the writer checks again, under its lock)
    check_outside(out, args.path, allow_inside=args.allow_inside)
    check_target(os.path.abspath(out), force=args.force, deep=False)
    result, status = scan_for_export(args, out)
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
    refused = 0

    def accept(summary: DepositSummary) -> bool:
        nonlocal refused
        refused = refuse_missing(summary.missing, args.allow_incomplete) or refuse_rejected(
            summary.rejected
        )
        return not refused

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
        command="deposit",
    )
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
