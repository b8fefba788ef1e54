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
    add_template_option(p)
    add_output_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build and write the deposition of ``args.path`` into ``args.output``."""
    import os

    from clxm_meta.export.deposit.build import (
        build_deposit,
        check_outside,
        deposition_units,
        upload_files,
        write_tree,
    )
    from clxm_meta.export.deposit.upload import refuse_sources_inside
    from clxm_meta.io.outdir import check_target

    out = args.output
    # refuse before the scan and the hashing (write_tree checks again, under its lock)
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
    deposit = build_deposit(
        result,
        md5=md5,
        entry_image=args.entry_image,
        link_mode=args.link_mode,
        template=args.bia_template,
    )
    status = refuse_missing(deposit.missing, args.allow_incomplete)
    if status:
        return status
    status = refuse_rejected(deposit.rejected)
    if status:
        return status
    refuse_sources_inside(deposit.links, out)
    write_tree(
        out,
        deposit.files,
        force=args.force,
        links=deposit.links,
        link_mode=args.link_mode,
        command="deposit",
    )
    files = deposit.files
    note(args, f"clxm-meta: deposition written to {out} ({len(files)} files):")
    for path in sorted(files):
        note(args, f"  {path}")
    if deposit.links:
        how = {"symlink": "as symbolic links", "hardlink": "as hard links", "copy": "as copies"}
        note(
            args,
            f"clxm-meta: {len(deposit.links)} input files staged in upload/ "
            f"{how[args.link_mode]} (read only)",
        )
    for unit in deposit.units:
        for step in unit.pending:
            note(args, f"clxm-meta: still to do: {step}")
        for name, full in unit.shortened:
            note(args, f"clxm-meta: name shortened to fit the file-name limit: {name} ({full})")
    readmes = sorted(p for p in files if p.endswith("README.txt"))
    note(args, f"clxm-meta: next steps in {', '.join(readmes)}")
    return EXIT_OK
