"""``clxm-meta export empiar|pagetab|biostudies|rocrate|ome PATH -o OUT``: one archive document."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from clxm_meta.cli.common import EXIT_OK, EXIT_USAGE
from clxm_meta.cli.deposition_common import (
    add_output_options,
    add_template_option,
    checksums,
    note,
    refuse_missing,
    refuse_rejected,
    scan_for_export,
    write_file_output,
)

if TYPE_CHECKING:
    from clxm_meta.export.deposit.build import Unit
    from clxm_meta.records.scan import ScanResult

__all__ = ["EXTENSIONS", "TARGETS", "add_parser", "run"]

TARGETS = {
    "empiar": "EMPIAR deposition JSON of the SXT dataset (OUT: a .json file; default stdout)",
    "pagetab": "BioStudies PageTab of the SIM dataset (OUT: .tsv, or .json; default stdout)",
    "biostudies": "PageTab TSV + JSON, file list, SIM spreadsheet and RO-Crate (OUT: a folder)",
    "rocrate": "BIA submission RO-Crate of the SIM dataset: ro-crate-metadata.json + "
    "file_list.tsv (OUT: a folder)",
    "ome": "OME-XML of each SIM image (OUT: a folder)",
}

EXTENSIONS = {"empiar": (".json",), "pagetab": (".tsv", ".json")}
"""The endings a single-file export writes: any other (``-o x.xlsx``) is refused before the scan."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``export`` command."""
    p = sub.add_parser(
        "export",
        help="write one archive document (empiar, pagetab, biostudies, rocrate, ome)",
        description="; ".join(f"{k}: {v}" for k, v in TARGETS.items()),
    )
    p.add_argument("target", choices=tuple(TARGETS), help="what to export")
    p.add_argument("path", metavar="PATH", help="the deposition folder (read only)")
    p.add_argument("-o", "--output", metavar="OUT", help="file or folder to write")
    p.add_argument(
        "--dataset",
        metavar="NAME",
        help="dataset (or either dataset of the pair) to export; needed when there are several",
    )
    p.add_argument(
        "--format",
        choices=("tsv", "json"),
        dest="fmt",
        help="pagetab: TSV or JSON (default: from OUT's extension, else TSV)",
    )
    add_template_option(p)
    add_output_options(p)
    p.set_defaults(run=run)


def _unit(result: ScanResult, dataset: str | None) -> Unit | None:
    from clxm_meta.export.deposit.build import deposition_units

    units = deposition_units(result)
    if dataset is not None:
        hits = [u for u in units if dataset in (u.sim, u.sxt)]
        if not hits:
            names = ", ".join(d.name for d in result.datasets)
            sys.stderr.write(f"clxm-meta: no dataset {dataset!r} (datasets: {names})\n")
            return None
        return hits[0]
    if len(units) == 1:
        return units[0]
    sys.stderr.write("clxm-meta: several datasets; choose one with --dataset:\n")
    for u in units:
        sys.stderr.write(f"  {' + '.join(n for n in (u.sim, u.sxt) if n)}\n")
    return None


def _text_out(args: argparse.Namespace, text: str, roots: list[str]) -> None:
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        write_file_output(
            args.output, text, force=args.force, command=f"export {args.target}", roots=roots
        )
        note(args, f"clxm-meta: {args.target} written to {args.output}")


def _bad_extension(args: argparse.Namespace) -> str | None:
    """Why the file name of ``-o`` does not fit what the target writes (None when it does)."""
    endings = EXTENSIONS.get(args.target)
    if endings is None or args.output in (None, "-"):
        return None
    name = str(args.output).lower()
    if not name.endswith(endings):
        return (
            f"export {args.target} writes {' or '.join(endings)} only; {args.output!r} has "
            "another ending: give a name ending in " + " or ".join(endings)
        )
    if args.target == "pagetab" and args.fmt and not name.endswith(f".{args.fmt}"):
        return f"--format {args.fmt} does not fit the name {args.output!r}"
    return None


def run(args: argparse.Namespace) -> int:
    """Export one document of ``args.path``."""
    import json
    import os

    from clxm_meta.export.deposit import build as dep
    from clxm_meta.export.deposit.build import check_outside
    from clxm_meta.io.outdir import check_target
    from clxm_meta.io.output import check_replace_file

    if args.target in ("biostudies", "rocrate", "ome") and not args.output:
        sys.stderr.write(f"clxm-meta: export {args.target} writes a folder: give -o OUT\n")
        return EXIT_USAGE
    why = _bad_extension(args)
    if why is not None:
        sys.stderr.write(f"clxm-meta: {why} (nothing written)\n")
        return EXIT_USAGE
    out = args.output if args.output not in (None, "-") else None
    if out is not None:  # refuse before the scan
        check_outside(out, args.path, allow_inside=args.allow_inside)
        if args.target in ("biostudies", "rocrate", "ome"):
            check_target(os.path.abspath(out), force=args.force, deep=False)
        else:
            check_replace_file(out, force=args.force)
    result, status = scan_for_export(args, out)
    if result is None:
        return status
    unit = _unit(result, args.dataset)
    if unit is None:
        return EXIT_USAGE
    side = unit.sxt if args.target == "empiar" else unit.sim
    if side is None:
        kind = "SXT" if args.target == "empiar" else "SIM"
        sys.stderr.write(f"clxm-meta: {args.target} needs a {kind} dataset; this one has none\n")
        return EXIT_USAGE
    unit = dep.Unit("", unit.sim, unit.sxt)
    if args.target == "empiar":
        from clxm_meta.export.empiar.build import build_empiar

        export = build_empiar(result, side)
        status = refuse_missing(export.missing, args.allow_incomplete)
        if not status:
            text = json.dumps(export.document, indent=2, ensure_ascii=False) + "\n"
            _text_out(args, text, [args.path, result.root])
        return status
    if args.target == "pagetab":
        from clxm_meta.export.biostudies.pagetab import build_pagetab, pagetab_json, pagetab_tsv

        page = build_pagetab(result, side, sxt=unit.sxt, template=args.bia_template)
        status = refuse_missing(page.missing, args.allow_incomplete)
        if status:
            return status
        fmt = args.fmt or ("json" if str(args.output or "").endswith(".json") else "tsv")
        rejected = [
            f
            for f in dep.biostudies_rejections(result, unit, page.document)
            if f.code == "biostudies.not_accepted" or (fmt == "tsv" and "tsv" in f.code)
        ]
        status = refuse_rejected(rejected)
        if status:
            return status
        text = (
            json.dumps(pagetab_json(page.document), indent=2, ensure_ascii=False) + "\n"
            if fmt == "json"
            else pagetab_tsv(page.document)
        )
        _text_out(args, text, [args.path, result.root])
        return EXIT_OK
    if args.target == "biostudies":
        md5, status = checksums(result, dep.upload_files(result, unit)["BioStudies"])
        if md5 is None:
            return status
        part = dep.biostudies_files(result, unit, md5, template=args.bia_template)
        for m in part.info:
            note(args, f"clxm-meta: worth adding (not required): {m}")
    elif args.target == "rocrate":
        part = dep.rocrate_part(result, unit)
    else:
        part = dep.ome_files(result, unit)
    status = refuse_missing(part.missing, args.allow_incomplete) or refuse_rejected(part.rejected)
    if status:
        return status
    # the folder's own files: biostudies/x -> x, ome/x -> x, biostudies/ro-crate/x -> x
    cut = len("biostudies/ro-crate/") if args.target == "rocrate" else None

    def own(path: str) -> str:
        return path[cut:] if cut else path.split("/", 1)[1]

    files = {own(k): v for k, v in part.files.items()}
    dep.write_tree(args.output, files, force=args.force, command=f"export {args.target}")
    note(args, f"clxm-meta: {args.target} written to {args.output}:")
    for path in sorted(files):
        note(args, f"  {path}")
    for name, full in part.shortened:
        note(args, f"clxm-meta: name shortened to fit the file-name limit: {own(name)} ({full})")
    return EXIT_OK
