"""Pre-deposition lint, from the deposition protocol (shared/docs/table1.md, last section).

- ``lint.file_too_large``: a file larger than 1 TB (10^12 bytes) must be discussed with the archive;
- ``lint.path_too_long``: a path longer than 260 characters (relative to the deposition root, as
  uploaded) breaks on Windows;
- ``lint.bad_characters`` / ``lint.risky_characters``: names that break transfers (control and
  Windows-reserved characters, non-ASCII; spaces are only risky);
- ``lint.empty_file``: an empty file;
- ``lint.duplicate``: files with identical content (same size, then same MD5);
- ``lint.sim_first``: an SXT dataset paired with a SIM dataset needs the SIM data's BioStudies
  accession (``S-BIAD…``) in ``related.accessions``: SIM is deposited first;
- ``lint.release_instruction``: no EMPIAR release instruction for an SXT dataset;
- ``lint.output_name_shortened``: an output name made from a dataset path (the OME-XML file of a
  SIM image, the deposit sub-folder of a dataset) is longer than the 255-byte file-name limit and
  will be shortened with a hash (`clxm_meta.io.names`); the deposit README says what it stands for.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from clxm_meta.checks.manifest import ManifestEntry, compute_manifest
from clxm_meta.findings import Finding, Severity
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.scan import ScanResult
from clxm_meta.sidecar.validate import accession_kind

__all__ = ["MAX_FILE_BYTES", "MAX_PATH_CHARS", "lint", "pair_lint"]

MAX_FILE_BYTES = 10**12
"""1 TB: the protocol's limit for a single file."""

MAX_PATH_CHARS = 260
"""Windows path limit the protocol warns about."""

_BAD = re.compile(r'[\x00-\x1f\x7f<>:"\\|?*]')
_SAFE = re.compile(r"^[A-Za-z0-9._\-+=,@~/()\[\] ]*$")


def _names(result: ScanResult) -> list[Finding]:
    out: list[Finding] = []
    for f in result.files:
        if f.role == "sidecar":
            continue
        where = os.path.join(result.root, f.path)
        if len(f.path) > MAX_PATH_CHARS:
            out.append(
                Finding.make(
                    "lint.path_too_long",
                    Severity.ERROR,
                    f"path is {len(f.path)} characters relative to the deposition root (limit "
                    f"{MAX_PATH_CHARS} on Windows)",
                    path=where,
                )
            )
        parts = f.path.split("/")
        if _BAD.search(f.path) or any(p != p.strip() or p.endswith(".") for p in parts):
            out.append(
                Finding.make(
                    "lint.bad_characters",
                    Severity.ERROR,
                    "name holds characters that break transfers or Windows (control characters, "
                    '< > : " \\ | ? *, or a leading/trailing space or trailing dot)',
                    path=where,
                )
            )
        elif not _SAFE.match(f.path):
            out.append(
                Finding.make(
                    "lint.bad_characters",
                    Severity.WARNING,
                    "name holds non-ASCII or unusual characters; Aspera/Globus/FTP may mangle them",
                    path=where,
                )
            )
        elif " " in f.path:
            out.append(
                Finding.make(
                    "lint.risky_characters",
                    Severity.INFO,
                    "name holds spaces: quote it in command-line transfers (ascp, ftp)",
                    path=where,
                )
            )
    return out


def _sizes(result: ScanResult) -> list[Finding]:
    out: list[Finding] = []
    for f in result.files:
        if f.role == "sidecar" or f.size is None:
            continue
        where = os.path.join(result.root, f.path)
        if f.size > MAX_FILE_BYTES:
            out.append(
                Finding.make(
                    "lint.file_too_large",
                    Severity.ERROR,
                    f"{f.size / 1e12:.2f} TB: a single file must not exceed 1 TB; contact the "
                    "archive's staff (EMPIAR or BioStudies)",
                    path=where,
                )
            )
        elif f.size == 0:
            out.append(Finding.make("lint.empty_file", Severity.WARNING, "empty file", path=where))
    return out


def duplicates(
    result: ScanResult,
    hasher: Callable[[list[tuple[str, str]]], tuple[list[ManifestEntry], list[Finding]]]
    | None = None,
) -> list[Finding]:
    """Files with the same content: grouped by size first, then MD5 (only same-size files are read)."""
    by_size: dict[int, list[str]] = {}
    for f in result.files:
        if f.role != "sidecar" and f.size:
            by_size.setdefault(f.size, []).append(f.path)
    todo = [
        (rel, os.path.join(result.root, rel))
        for paths in by_size.values()
        if len(paths) > 1
        for rel in paths
    ]
    if not todo:
        return []
    entries, errors = (hasher or compute_manifest)(todo)
    by_md5: dict[str, list[str]] = {}
    for e in entries:
        if e.md5 is not None:
            by_md5.setdefault(e.md5, []).append(e.rel)
    out = list(errors)
    for md5, rels in sorted(by_md5.items()):
        if len(rels) > 1:
            out.append(
                Finding.make(
                    "lint.duplicate",
                    Severity.WARNING,
                    f"same content (MD5 {md5}) as {', '.join(sorted(rels)[1:])}",
                    path=os.path.join(result.root, sorted(rels)[0]),
                )
            )
    return out


def _sim_first(result: ScanResult) -> list[Finding]:
    out: list[Finding] = []
    by_name = {r.name: r for r in result.records}
    for pair in result.pairs:
        sxt = by_name.get(pair.sxt)
        if sxt is None:
            continue
        slot = sxt.related.accessions
        accs = slot.value if slot is not None else []
        if not any(accession_kind(a) == "BioStudies" for a in accs):
            out.append(
                Finding.make(
                    "lint.sim_first",
                    Severity.WARNING,
                    f"SXT dataset {pair.sxt!r} is paired with SIM dataset {pair.sim!r} but has no "
                    "BioStudies accession (S-BIAD…) in related.accessions: deposit the SIM data in "
                    "BioStudies first, then add its accession to the sidecar",
                    field="related.accessions",
                )
            )
    for rec in result.records:
        if rec.kind is DatasetKind.SXT and rec.name not in result.release_instructions:
            out.append(
                Finding.make(
                    "lint.release_instruction",
                    Severity.INFO,
                    f"SXT dataset {rec.name!r}: no EMPIAR release instruction (REL, EMDBPUB, HPUB "
                    "or HOLD) in the sidecar",
                )
            )
    return out


def pair_lint(result: ScanResult) -> list[Finding]:
    """The lint findings that need the records: SIM deposited first, EMPIAR release instruction.

    What `lint` adds to the file checks; a streaming check runs it on each unit's partial result
    (every pair lies inside one unit) and the file checks on the tree without its records.
    """
    return _sim_first(result)


def lint(
    result: ScanResult,
    *,
    check_duplicates: bool = True,
    hasher: Callable[[list[tuple[str, str]]], tuple[list[ManifestEntry], list[Finding]]]
    | None = None,
) -> list[Finding]:
    """Every pre-deposition lint finding of a scanned tree.

    ``hasher`` replaces `compute_manifest` for the duplicate check (e.g. one that serves MD5s
    already computed for the manifest, so that no file is read twice).
    """
    out = [*_names(result), *_sizes(result)]
    if check_duplicates:
        out.extend(duplicates(result, hasher))
    out.extend(_sim_first(result))
    out.extend(_output_names(result))
    return out


def _output_names(result: ScanResult) -> list[Finding]:
    from clxm_meta.io.names import NAME_MAX_BYTES, folder_name, is_shortened

    formats = {f.path: f.format for f in result.files}
    out: list[Finding] = []
    several = len(result.datasets) > 1
    for info in result.datasets:
        if several and folder_name(info.name) != folder_name(info.name, limit=1 << 30):
            out.append(
                Finding.make(
                    "lint.output_name_shortened",
                    Severity.WARNING,
                    f"the deposit sub-folder of dataset {info.name} is longer than "
                    f"{NAME_MAX_BYTES} bytes: it will be shortened with a hash "
                    f"({folder_name(info.name)})",
                    path=os.path.join(result.root, info.folder),
                )
            )
        if info.kind is not DatasetKind.SIM:
            continue
        for m in info.members:
            if m.role == "otf" or formats.get(m.path) not in ("dv", "tiff"):
                continue
            if is_shortened(m.path, ".ome.xml"):
                out.append(
                    Finding.make(
                        "lint.output_name_shortened",
                        Severity.WARNING,
                        f"the OME-XML name made from this path is longer than {NAME_MAX_BYTES} "
                        "bytes: deposit and export ome will shorten it with a hash (README.txt "
                        "says what it stands for); a shorter path keeps the full name",
                        path=os.path.join(result.root, m.path),
                    )
                )
    return out
