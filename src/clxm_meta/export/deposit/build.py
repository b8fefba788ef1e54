"""Everything a correlative deposition needs, built in memory: the files ``clxm-meta deposit`` writes.

One *unit* per correlative pair (and one per dataset left unpaired). Per unit::

    empiar/deposition.json            the EMPIAR deposition (SXT dataset)
    empiar/entry_image.png            optional: tomogram central slice beside a SIM max projection
    biostudies/submission.pagetab.tsv the BioStudies submission (SIM dataset), and its .json form
    biostudies/files.tsv              the BioImage Archive file list
    biostudies/SIM_metadata.xlsx      every SIM Table 1 value, section by section
    biostudies/ro-crate/              BIA submission RO-Crate (ro-crate-metadata.json, file_list.tsv)
    ome/<path>.ome.xml                OME-XML of each SIM image
    md5.txt                           md5sum -c compatible, paths relative to the scanned root
    upload/biostudies/, upload/empiar/ exactly what each archive receives, as links to the inputs
                                      (export/deposit/upload.py), each with its md5.txt
    README.txt                        what to upload where, in the protocol's order; what is missing

With one unit these sit directly in the output folder; with several, each unit has a sub-folder
named after its dataset. Building never writes; `write_tree` writes the whole folder at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clxm_meta.errors import ClxmMetaError
from clxm_meta.export.base import MissingField
from clxm_meta.findings import Finding, Severity
from clxm_meta.gcpause import paused as gc_paused
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.scan import ScanResult
from clxm_meta.sidecar.load import Sidecar, load_sidecar

if TYPE_CHECKING:
    from clxm_meta.export.deposit.upload import LinkMode

__all__ = [
    "README_MARKER",
    "DepositOutput",
    "OutputInsideInputError",
    "Unit",
    "UnitOutput",
    "biostudies_files",
    "biostudies_rejections",
    "build_deposit",
    "build_unit",
    "check_outside",
    "deposition_units",
    "empiar_files",
    "ome_files",
    "ome_name",
    "rocrate_part",
    "sidecar_errors",
    "upload_files",
    "write_tree",
]

README_MARKER = "clxm-meta deposit"
"""First words of every README.txt written here (what a deposit folder is, to a reader; what may be
replaced is decided by the folder's record, `clxm_meta.io.record`)."""


class OutputInsideInputError(ClxmMetaError):
    """The output would be written inside the scanned deposition tree."""


@dataclass(frozen=True)
class Unit:
    """What goes into one set of deposition files: a pair, or one unpaired dataset."""

    folder: str
    """Sub-folder of the output (``""`` when there is only one unit)."""
    sim: str | None
    sxt: str | None


@dataclass
class UnitOutput:
    """The files of one unit and what they lack."""

    unit: Unit
    files: dict[str, bytes] = field(default_factory=dict)
    """Path in the output folder → content."""
    missing: list[MissingField] = field(default_factory=list)
    """Required values the archives need: the export refuses while this is not empty."""
    info: list[MissingField] = field(default_factory=list)
    """Values worth adding that no archive requires (the spreadsheet's empty rows)."""
    pending: list[str] = field(default_factory=list)
    """Steps of the protocol still to do (e.g. the BioStudies accession for EMPIAR)."""
    links: dict[str, str] = field(default_factory=dict)
    """Path in the output folder → absolute path of the input file staged there (upload/)."""
    rejected: list[Finding] = field(default_factory=list)
    """Rules of the archives the files break (the submission tool's PageTab check, TSV values
    BioStudies cannot read back, file-list paths it refuses): deposit refuses while not empty."""
    shortened: list[tuple[str, str]] = field(default_factory=list)
    """Output names shortened to fit the file-name limit: ``(name written, path it stands for)``."""


@dataclass
class DepositOutput:
    """Every unit of a deposition."""

    units: list[UnitOutput]

    @property
    def files(self) -> dict[str, bytes]:
        """All files, keyed by their path in the output folder."""
        return {path: data for u in self.units for path, data in u.files.items()}

    @property
    def missing(self) -> list[MissingField]:
        """Every unit's missing required values."""
        return [m for u in self.units for m in u.missing]

    @property
    def links(self) -> dict[str, str]:
        """Every input file staged in an upload folder: path in the output folder → input file."""
        return {path: src for u in self.units for path, src in u.links.items()}

    @property
    def rejected(self) -> list[Finding]:
        """Every unit's broken archive rules."""
        return [f for u in self.units for f in u.rejected]


def _safe(name: str, *, limit: int = 255) -> str:
    from clxm_meta.io.names import folder_name

    return folder_name(name, limit=limit)


def deposition_units(result: ScanResult, *, folders: bool = False) -> list[Unit]:
    """One unit per correlative pair, then one per unpaired dataset, in scan order.

    A lone unit fills the whole output (folder ``""``) unless ``folders``: a streamed deposit
    names each sample's units as a deposit of several units does, before it knows how many.
    """
    kinds = {d.name: d.kind for d in result.datasets}
    raw: list[tuple[str | None, str | None]] = [(p.sim, p.sxt) for p in result.pairs]
    paired = {n for p in result.pairs for n in (p.sim, p.sxt)}
    for d in result.datasets:
        if d.name not in paired:
            raw.append((d.name, None) if d.kind is DatasetKind.SIM else (None, d.name))
    if len(raw) == 1 and not folders:
        return [Unit("", raw[0][0], raw[0][1])]
    out = []
    for sim, sxt in raw:
        name = sxt if sxt is not None and kinds.get(sxt) else sim
        out.append(Unit(_safe(name or "dataset"), sim, sxt))
    return out


def sidecar_errors(result: ScanResult) -> list[Finding]:
    """Invalid sidecar entries (bad ORCID, accession, email, country, value): the export refuses."""
    return [
        f for f in result.findings if f.code.startswith("sidecar.") and f.severity is Severity.ERROR
    ]


def upload_files(result: ScanResult, unit: Unit) -> dict[str, list[str]]:
    """The files to upload per archive: ``{"BioStudies": [...], "EMPIAR": [...]}`` (relative paths).

    Correlation transform files belong to both datasets of a pair: they go with the SIM data (the
    PageTab's Image correlation section names them) and with the SXT data.
    """
    from clxm_meta.records.scan_index import scan_index

    index = scan_index(result)  # one lookup per name: a scan per unit made deposit quadratic
    out: dict[str, list[str]] = {"BioStudies": [], "EMPIAR": []}
    for archive, name in (("BioStudies", unit.sim), ("EMPIAR", unit.sxt)):
        info = index.datasets.get(name) if name is not None else None
        if info is not None:
            out[archive] = sorted(m.path for m in info.members)
    if unit.sim and unit.sxt:
        pair = index.pair_by_sxt.get(unit.sxt)
        sample_info = (
            index.samples.get(pair.sample) if pair is not None and pair.sample is not None else None
        )
        folder = sample_info.folder if sample_info is not None else None
        for f in index.correlation:
            if folder in (None, ".") or f.path.startswith(f"{folder}/"):
                for archive in out:
                    if f.path not in out[archive]:
                        out[archive] = sorted([*out[archive], f.path])
    return out


def _json(data: Any) -> bytes:
    from clxm_meta.export.json_text import dumps_indented

    return (dumps_indented(data) + "\n").encode("utf-8")


def empiar_files(
    result: ScanResult, unit: Unit, sidecar: Sidecar | None, prefix: str = ""
) -> UnitOutput:
    """``empiar/deposition.json`` of a unit with an SXT dataset (none otherwise)."""
    from clxm_meta.export.empiar.build import build_empiar

    out = UnitOutput(unit)
    if unit.sxt is None:
        return out
    export = build_empiar(result, unit.sxt, sidecar=sidecar)
    out.files[f"{prefix}empiar/deposition.json"] = _json(export.document)
    out.missing.extend(export.missing)
    if unit.sim is not None and not export.document.get("biostudies_references"):
        out.pending.append(
            f"EMPIAR: add the BioStudies accession of {unit.sim} (S-BIAD…) to clxm.yaml as "
            f"datasets.{unit.sxt}.related.accessions, then run deposit again"
        )
    return out


def biostudies_files(
    result: ScanResult,
    unit: Unit,
    md5: Mapping[str, str] | None,
    prefix: str = "",
    *,
    template: str | None = None,
) -> UnitOutput:
    """PageTab (TSV, JSON), file list and SIM spreadsheet of a unit with a SIM dataset.

    ``template`` is the PageTab's (``BioImages.v5`` by default, or ``BioImages.v4``). What the
    archive would refuse is listed in ``rejected`` (see `biostudies_rejections`); a TSV value
    BioStudies cannot read back leaves the TSV form out.
    """
    from clxm_meta.export.biostudies.filelist import build_file_list, file_list_tsv
    from clxm_meta.export.biostudies.pagetab import (
        DEFAULT_TEMPLATE,
        build_pagetab,
        pagetab_json,
        pagetab_tsv,
    )
    from clxm_meta.export.biostudies.pagetab_model import PageTabTsvError
    from clxm_meta.export.biostudies.sim_xlsx import sim_workbook

    out = UnitOutput(unit)
    if unit.sim is None:
        return out
    page = build_pagetab(
        result, unit.sim, sxt=unit.sxt, md5=md5, template=template or DEFAULT_TEMPLATE
    )
    tsv: str | PageTabTsvError
    try:
        tsv = pagetab_tsv(page.document)
    except PageTabTsvError as exc:
        tsv = exc  # listed in rejected; the TSV form is left out
    out.rejected.extend(biostudies_rejections(result, unit, page.document, tsv=tsv))
    if isinstance(tsv, str):
        out.files[f"{prefix}biostudies/submission.pagetab.tsv"] = tsv.encode()
    out.files[f"{prefix}biostudies/submission.pagetab.json"] = _json(pagetab_json(page.document))
    entries = build_file_list(result, unit.sim, md5=md5)
    out.files[f"{prefix}biostudies/files.tsv"] = file_list_tsv(entries).encode("utf-8")
    book = sim_workbook(result, unit.sim, md5=md5, files=entries)
    out.files[f"{prefix}biostudies/SIM_metadata.xlsx"] = book.document
    out.missing.extend(page.missing)
    out.info.extend(book.missing)
    crate = rocrate_part(result, unit, prefix)
    out.files.update(crate.files)
    asked = {m.where for m in page.missing}  # the crate lacks what the PageTab lacks: say it once
    out.missing.extend(m for m in crate.missing if m.where not in asked)
    return out


def rocrate_part(result: ScanResult, unit: Unit, prefix: str = "") -> UnitOutput:
    """``biostudies/ro-crate/`` of a unit with a SIM dataset: the BIA submission RO-Crate."""
    from clxm_meta.export.biostudies.rocrate import build_rocrate, rocrate_files

    out = UnitOutput(unit)
    if unit.sim is None:
        return out
    crate = build_rocrate(result, unit.sim, sxt=unit.sxt)
    for name, data in rocrate_files(crate.document).items():
        out.files[f"{prefix}biostudies/ro-crate/{name}"] = data
    out.missing.extend(crate.missing)
    return out


def biostudies_rejections(
    result: ScanResult, unit: Unit, doc: Any, *, tsv: str | Exception | None = None
) -> list[Finding]:
    """What BioStudies would refuse in the unit's submission, as error findings.

    ``tsv`` is ``pagetab_tsv(doc)`` or the `PageTabTsvError` it raised, when the caller made it
    already (it is then not made twice); by default it is made here.

    - the submission tool's PageTab check (`clxm_meta.export.biostudies.acceptance`), for the
      templates it has rules for; an absent required value is left to the missing list;
    - a value BioStudies' TSV reader cannot read back (`PageTabTsvError`);
    - file-list paths with characters BioStudies does not take.
    """
    from clxm_meta.export.biostudies.acceptance import acceptance_findings
    from clxm_meta.export.biostudies.filelist import bad_path_findings
    from clxm_meta.export.biostudies.pagetab import pagetab_json, pagetab_tsv
    from clxm_meta.export.biostudies.pagetab_model import PageTabTsvError
    from clxm_meta.export.biostudies.template_rules import RULES

    if unit.sim is None:
        return []
    out: list[Finding] = []
    data = pagetab_json(doc)
    template = next((a.value for a in doc.attributes if a.name == "Template"), None)
    if template in RULES:
        out.extend(
            f
            for f in acceptance_findings(data, unit.sim, missing_is_error=False)
            if f.severity is Severity.ERROR
        )
    if tsv is None:
        try:
            pagetab_tsv(doc)
        except PageTabTsvError as exc:
            tsv = exc
    if isinstance(tsv, PageTabTsvError):
        out.append(
            Finding.make(
                "biostudies.tsv_unreadable",
                Severity.ERROR,
                f"BioStudies PageTab of {unit.sim}: {tsv.message}",
            )
        )
    out.extend(bad_path_findings(upload_files(result, unit)["BioStudies"], unit.sim))
    return out


def ome_name(rel: str) -> str:
    """``sample1/SIM/cell1.dv`` → ``sample1__SIM__cell1.ome.xml``.

    A name past the 255-byte file-name limit is shortened with a stable hash suffix
    (`clxm_meta.io.names.fit_name`); the README lists what each shortened name stands for.
    """
    from clxm_meta.io.names import flat_name

    return flat_name(rel, ".ome.xml")


def ome_files(result: ScanResult, unit: Unit, prefix: str = "") -> UnitOutput:
    """One OME-XML document per SIM image of the unit."""
    from clxm_meta.export.ome.build import ome_models, ome_xml
    from clxm_meta.io.names import is_shortened

    out = UnitOutput(unit)
    if unit.sim is None:
        return out
    for rel, model in ome_models(result, unit.sim):
        export = ome_xml(model)
        if export.document:
            name = ome_name(rel)
            out.files[f"{prefix}ome/{name}"] = export.document.encode("utf-8")
            if is_shortened(rel, ".ome.xml"):
                out.shortened.append((f"{prefix}ome/{name}", rel))
        out.missing.extend(export.missing)
    return out


def _manifest(paths: Sequence[str], md5: Mapping[str, str]) -> bytes:
    from clxm_meta.checks.manifest import ManifestEntry, format_manifest

    entries = [ManifestEntry(p, None, md5[p]) for p in sorted(set(paths)) if p in md5]
    return format_manifest(entries).encode("utf-8")


def build_deposit(
    result: ScanResult,
    *,
    md5: Mapping[str, str],
    sidecar: Sidecar | None = None,
    entry_image: bool = False,
    link_mode: LinkMode = "symlink",
    template: str | None = None,
) -> DepositOutput:
    """Build every deposition file of every unit (nothing is written).

    Everything is held in memory; ``clxm-meta deposit`` instead builds and writes one unit at a
    time (`clxm_meta.export.deposit.stream.write_deposit`), through the same `build_unit`.

    Parameters
    ----------
    result
        The scan of the deposition tree.
    md5
        MD5 of the files to upload, by path relative to the root (see `upload_files`).
    sidecar
        The parsed sidecar; by default the one the scan used.
    entry_image
        Also build ``empiar/entry_image.png`` (reads pixels: a tomogram slice, a SIM projection).
    link_mode
        How `write_tree` will stage the inputs in ``upload/`` (``symlink``, ``hardlink``,
        ``copy``): README.txt says so.
    template
        The PageTab's BioImage Archive template (default ``BioImages.v5``; or ``BioImages.v4``).

    Raises
    ------
    UploadSourceError
        A file to upload resolves outside the scanned tree (never staged).
    """
    if sidecar is None and result.sidecar:
        sidecar = load_sidecar(result.sidecar)
    with gc_paused():  # every unit's documents are kept: little for the collector to free
        return DepositOutput(
            [
                build_unit(
                    result,
                    unit,
                    md5=md5,
                    sidecar=sidecar,
                    entry_image=entry_image,
                    link_mode=link_mode,
                    template=template,
                )
                for unit in deposition_units(result)
            ]
        )


def build_unit(
    result: ScanResult,
    unit: Unit,
    *,
    md5: Mapping[str, str],
    sidecar: Sidecar | None,
    entry_image: bool = False,
    link_mode: LinkMode = "symlink",
    template: str | None = None,
) -> UnitOutput:
    """Build every deposition file of one unit (nothing is written).

    A top-level function of picklable arguments, so that a worker process can run it. ``sidecar``
    is the parsed sidecar (not loaded here: `build_deposit` loads it once); the other parameters
    are those of `build_deposit`.

    The cyclic garbage collector is paused while it runs (`clxm_meta.gcpause`).

    Raises
    ------
    UploadSourceError
        A file to upload resolves outside the scanned tree (never staged).
    """
    with gc_paused():
        return _build_unit(result, unit, md5, sidecar, entry_image, link_mode, template)


def _build_unit(
    result: ScanResult,
    unit: Unit,
    md5: Mapping[str, str],
    sidecar: Sidecar | None,
    entry_image: bool,
    link_mode: LinkMode,
    template: str | None,
) -> UnitOutput:
    from clxm_meta.export.biostudies.describe import shared_descriptions
    from clxm_meta.export.deposit.readme import readme_text
    from clxm_meta.export.deposit.upload import marker_files, unit_uploads
    from clxm_meta.records.rows import shared_rows

    prefix = f"{unit.folder}/" if unit.folder else ""
    # the spreadsheet, PageTab and RO-Crate flatten the SIM record, and word its values, once
    with shared_rows(), shared_descriptions():
        parts = [
            biostudies_files(result, unit, md5, prefix, template=template),
            ome_files(result, unit, prefix),
            empiar_files(result, unit, sidecar, prefix),
        ]
    merged = UnitOutput(unit)
    full = _safe(unit.sxt or unit.sim or "dataset", limit=1 << 30)
    if unit.folder and unit.folder != full:
        merged.shortened.append((unit.folder, unit.sxt or unit.sim or ""))
    for part in parts:
        merged.files.update(part.files)
        merged.missing.extend(part.missing)
        merged.info.extend(part.info)
        merged.pending.extend(part.pending)
        merged.rejected.extend(part.rejected)
        merged.shortened.extend(part.shortened)
    if entry_image and unit.sxt is not None:
        from clxm_meta.export.deposit.entry_image import entry_image_png

        png, why = entry_image_png(result, unit.sxt, unit.sim)
        if png is not None:
            merged.files[f"{prefix}empiar/entry_image.png"] = png
        else:
            merged.pending.append(f"EMPIAR entry image not made: {why}")
    uploads = upload_files(result, unit)
    merged.files[f"{prefix}md5.txt"] = _manifest(
        [p for paths in uploads.values() for p in paths], md5
    )
    folders, merged.links = unit_uploads(
        result.root, merged.files, prefix, uploads["EMPIAR"] if unit.sxt else None, md5
    )
    for up in folders:
        merged.files.update(up.files())
    if folders:
        merged.files.update(marker_files(prefix))
    merged.files[f"{prefix}README.txt"] = readme_text(
        result, merged, uploads, folders=folders, link_mode=link_mode
    ).encode("utf-8")
    return merged


def check_outside(
    out: str | os.PathLike[str], root: str, *, allow_inside: bool, force: bool = False
) -> None:
    """Refuse an output that is, holds or lies inside the scanned tree.

    ``allow_inside`` lets a new output be created inside the tree, never an existing one
    replaced (see `clxm_meta.io.output.check_not_input`). ``force`` is accepted for symmetry
    and changes nothing: the input is never replaced.

    Raises
    ------
    OutputInsideInputError
        The output overlaps the tree.
    """
    from clxm_meta.errors import OutputPathError
    from clxm_meta.io.output import check_not_input

    del force
    try:
        check_not_input(out, root, allow_inside=allow_inside)
    except OutputPathError as exc:
        raise OutputInsideInputError(exc.message, path=exc.path) from None


def write_tree(
    outdir: str | os.PathLike[str],
    files: Mapping[str, bytes],
    *,
    force: bool,
    links: Mapping[str, str] | None = None,
    link_mode: LinkMode = "symlink",
    command: str = "deposit",
    stage: Callable[[str], None] | None = None,
) -> None:
    """Write ``files`` as the folder ``outdir``, all at once, with its record.

    ``links`` (path → absolute input file) are staged too, as ``link_mode`` says
    (`clxm_meta.export.deposit.upload.place_links`); then ``stage(staging_folder)`` may add more.
    Both happen before the record is made, so what they add is part of the output and of what
    ``--force`` may replace later (a link by its target, a copy by its SHA-256). The rules (lock,
    record, replacing only a folder clxm-meta wrote and nobody changed) are those of
    `clxm_meta.io.outdir.write_folder`.

    Raises
    ------
    OutputExistsError
        ``outdir`` exists and may not be replaced.
    UnreadableFileError
        The parent folder cannot be written.
    """
    from clxm_meta.io.outdir import write_folder

    def staged(folder: str) -> None:
        if links:
            from clxm_meta.export.deposit.upload import place_links

            place_links(folder, links, link_mode)
        if stage is not None:
            stage(folder)

    write_folder(outdir, files, force=force, command=command, stage=staged)
