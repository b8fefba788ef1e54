"""README.txt of a deposit: what to upload where, in the protocol's order, and what is missing.

The protocol deposits the cryo-SIM data in BioStudies first: its accession (``S-BIAD…``) is then
cited by the EMPIAR entry of the cryo-SXT data. The README follows that order and says which step
is done and which is still to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from clxm_meta.records.scan import ScanResult

if TYPE_CHECKING:
    from clxm_meta.export.deposit.build import UnitOutput
    from clxm_meta.export.deposit.upload import UploadFolder

__all__ = ["readme_text"]


def _files(paths: list[str]) -> list[str]:
    return [f"       {p}" for p in paths] or ["       (none)"]


_MODES = {
    "symlink": [
        "hold symbolic links to your files (deposit --hardlink or --copy writes hard links",
        "or copies, for a client that does not follow links).",
    ],
    "hardlink": ["hold hard links to your files (the same files: do not edit them there)."],
    "copy": ["hold copies of your files."],
}


def _upload_lines(up: UploadFolder, here: str, what: str) -> list[str]:
    rel = up.folder[len(here) :]
    return [
        f"   - {rel}/ holds exactly what {what} receives, at the paths its documents name,",
        "     and nothing else (its md5.txt is not sent). Send it with one of (Table 2):",
    ]


def readme_text(
    result: ScanResult,
    out: UnitOutput,
    uploads: dict[str, list[str]],
    *,
    folders: Sequence[UploadFolder] = (),
    link_mode: str = "symlink",
) -> str:
    """The README of one unit (deterministic: no clock, paths as scanned).

    ``folders`` are the unit's upload folders (`clxm_meta.export.deposit.upload`): the README gives
    the command of each transfer method on them; ``link_mode`` says how they hold the inputs.
    """
    from clxm_meta.export.deposit.build import README_MARKER
    from clxm_meta.export.deposit.upload import biostudies_commands, empiar_commands

    unit = out.unit
    here = f"{unit.folder}/" if unit.folder else ""
    names = {p[len(here) :] for p in out.files}
    by_archive = {up.archive: up for up in folders}
    lines = [f"{README_MARKER}: deposition files for {result.root}"]
    what = []
    if unit.sim:
        what.append(f"cryo-SIM {unit.sim} -> BioStudies / BioImage Archive")
    if unit.sxt:
        what.append(f"cryo-SXT {unit.sxt} -> EMPIAR")
    lines += [", ".join(what), ""]
    if folders:
        lines += [
            "The upload folders (upload/biostudies, upload/empiar beside this README)",
            *_MODES.get(link_mode, [f"hold {link_mode} of your files."]),
            "Run the commands below from the folder of this README. <ANGLE_BRACKETS> mark what",
            "the archive hands out (secret directory, token, password); nothing else is a",
            "placeholder. ~/.aspera/connect/bin/ascp is where IBM Aspera Connect installs ascp",
            "on Linux (on a Mac: ~/Applications/Aspera\\ Connect.app/Contents/Resources/ascp).",
            "",
        ]
    step = 0
    if unit.sim:
        step += 1
        lines += [
            f"{step}. BioStudies / BioImage Archive: the cryo-SIM data"
            + (" (first: EMPIAR cites its accession)" if unit.sxt else ""),
            f"   - The files BioStudies receives, from {result.root}, keeping their folders:",
            *_files(uploads.get("BioStudies", [])),
        ]
        bio = by_archive.get("biostudies")
        if bio is not None:
            lines += _upload_lines(bio, here, "BioStudies")
            lines += biostudies_commands(bio, here)
        lines += [
            "   - Submit biostudies/submission.pagetab.tsv (or its .json form) with the file list",
            "     biostudies/files.tsv (upload the file list with the data).",
            "   - biostudies/SIM_metadata.xlsx holds every SIM Table 1 value with its source.",
        ]
        if "biostudies/ro-crate/ro-crate-metadata.json" in names:
            lines += [
                "   - biostudies/ro-crate/ is the same study as a BioImage Archive submission",
                "     RO-Crate (ro-crate-metadata.json + file_list.tsv, paths as uploaded).",
            ]
        ome = sorted(n for n in names if n.startswith("ome/"))
        if ome:
            lines.append(f"   - OME-XML of each SIM image: {', '.join(ome)}")
        if unit.sxt:
            lines.append("   - Note the accession BioStudies gives you (S-BIAD...).")
        lines.append("")
    if unit.sxt:
        if unit.sim:
            step += 1
            refs = _bio_refs(out)
            if refs:
                lines += [
                    f"{step}. Done: empiar/deposition.json cites {', '.join(refs)} "
                    "(biostudies_references).",
                    "",
                ]
            else:
                lines += [
                    f"{step}. Add that accession to clxm.yaml and run clxm-meta deposit again:",
                    "       datasets:",
                    f"         {unit.sxt}:",
                    "           related.accessions: [S-BIADnnn]",
                    "   empiar/deposition.json then cites it in biostudies_references.",
                    "",
                ]
        step += 1
        lines += [
            f"{step}. EMPIAR: the cryo-SXT data",
            "   - Create the entry with empiar/deposition.json (empiar-depositor sends it as is).",
            f"   - Upload these files from {result.root} into the entry's data/ folder, keeping",
            "     their folders (the image-set directories in the JSON are /data/<folder>):",
            *_files(uploads.get("EMPIAR", [])),
        ]
        image = "empiar/entry_image.png" if "empiar/entry_image.png" in names else None
        emp = by_archive.get("empiar")
        if emp is not None:
            lines += _upload_lines(emp, here, "EMPIAR")
            lines += empiar_commands(emp, "empiar/deposition.json", image, here)
        if image:
            lines.append("   - Upload empiar/entry_image.png as the entry image (thumbnail).")
        lines.append("")
    lines += _left_out_lines(result, unit.sim, unit.sxt)
    step += 1
    lines += [
        f"{step}. Check the uploads: from {result.root} run  md5sum -c <this folder>/md5.txt",
        "   and compare with the MD5s the archives report.",
    ]
    for up in folders:
        lines.append(f"   Before sending: (cd {up.folder[len(here) :]} && md5sum -c md5.txt)")
    lines += [
        "",
        "Still missing (required; who supplies it: where):",
    ]
    lines += [f"  - {m}" for m in out.missing] or ["  (nothing)"]
    if out.pending:
        lines += ["", "Still to do:"]
        lines += [f"  - {p}" for p in out.pending]
    if out.info:
        lines += ["", "Worth adding (not required by the archives):"]
        lines += [f"  - {m}" for m in out.info]
    if out.shortened:
        lines += [
            "",
            "Names shortened to fit the 255-byte file-name limit (a stable hash of the full name",
            "follows the ~):",
        ]
        lines += [f"  - {name[len(here) :]}  stands for  {full}" for name, full in out.shortened]
    lines += [
        "",
        "About this folder: clxm-meta lists every file it wrote here, with its size and",
        "SHA-256, in .clxm-record.json (at the top of the output folder). Running deposit again",
        "with --force replaces the folder only while everything in it is in that list and",
        "unchanged: a file you add or edit here keeps it from being replaced (exit 2), so keep",
        "your own notes elsewhere.",
    ]
    return "\n".join(lines) + "\n"


def _left_out_lines(result: ScanResult, *names: str | None) -> list[str]:
    """Files under the unit's datasets that are not uploaded, each with why (none: nothing)."""
    from clxm_meta.records.scan_index import scan_index

    index = scan_index(result)
    found = {n for n in names if n is not None and n in index.datasets}
    seen: dict[str, str] = {}
    for name in sorted(found, key=index.position.__getitem__):  # in scan order, as before
        for m in index.datasets[name].left_out:
            seen.setdefault(m.path, m.reason)
    if not seen:
        return []
    lines = ["Left out (not uploaded; upload any of them yourself if it is data):"]
    lines += [f"       {path}: {why}" for path, why in sorted(seen.items())]
    return [*lines, ""]


def _bio_refs(out: UnitOutput) -> list[str]:
    import json

    for path, data in out.files.items():
        if path.endswith("empiar/deposition.json"):
            doc = json.loads(data)
            return [r["name"] for r in doc.get("biostudies_references", [])]
    return []
