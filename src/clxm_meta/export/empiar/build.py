"""Build the EMPIAR deposition JSON of one SXT dataset from the scan, its record and the sidecar.

`build_empiar` returns an `Export` whose document is the JSON-ready mapping. When nothing required
is missing the mapping has been validated by `EmpiarDeposition` (our stricter model of the schema)
and is exactly what ``empiar-depositor`` POSTs; otherwise it holds what could be filled and
``Export.missing`` lists the rest, each with who supplies it and the sidecar key.

`EMPIAR_MAPPING` says where each SXT Table 1 row goes (an EMPIAR key, or ``details``: the
free-text details of the image set it describes); docs/empiar.md is written from it.

Why this module is over 500 lines: it builds one document, and `_Builder` (most of the module)
fills that one EMPIAR JSON section by section, every method writing into the same document and the
same list of missing fields and reading the same record and sidecar; split across modules, that
shared state would have to be passed through every part.
"""

from __future__ import annotations

import posixpath
from typing import Any

from pydantic import ValidationError

from clxm_meta.export.base import Export, MissingField, Supplier
from clxm_meta.export.empiar.codes import EXPERIMENT_TYPES, RELEASE_CODES
from clxm_meta.export.empiar.details import detail_line
from clxm_meta.export.empiar.imagesets import (
    IMAGESET_ROLES,
    ImagesetDraft,
    draft,
    provenance_lines,
)
from clxm_meta.export.empiar.model import EmpiarDeposition
from clxm_meta.export.empiar.people import initials, split_name, split_text_name
from clxm_meta.records.fields import DatasetKind, fields_for
from clxm_meta.records.models import Record, SxtRecord
from clxm_meta.records.scan import ScanResult
from clxm_meta.records.values import Person
from clxm_meta.sidecar.load import Sidecar, load_sidecar
from clxm_meta.sidecar.validate import accession_kind, normalise_doi

__all__ = [
    "DETAILS_LEFT_OUT",
    "DETAIL_LABELS",
    "DOCUMENT",
    "EMPIAR_MAPPING",
    "build_empiar",
    "experiment_type",
]

DOCUMENT = "EMPIAR deposition"

_TILT = "imagesets[tilt series]"
_VOLUME = "imagesets[reconstructed volume]"
EMPIAR_MAPPING: dict[str, str] = {
    "general.title": "title",
    "general.people": "authors, corresponding_author, principal_investigator",
    "general.publication_doi": "citation[0].doi",
    "related.accessions": "biostudies_references (S-…), empiar_references (EMPIAR-…)",
    "setup.pixel_size": f"{_TILT}.pixel_width, pixel_height (Å)",
    "acquisition.n_frames": f"{_TILT}.frames_per_image",
    "acquisition.mosaic": "imagesets[stitched map]",
    "raw.format": f"{_TILT}.header_format, data_format",
    "raw.dimensions": f"{_TILT}.image_width, image_height, frames_per_image",
    "raw.pixel_type": f"{_TILT}.voxel_type",
    "raw.non_referenced_file": "imagesets[non-referenced tilt series]",
    "processing.reference_image": "imagesets[flat-field reference images] (a separate file)",
    "processed.format": f"{_VOLUME}.header_format, data_format",
    "processed.dimensions": f"{_VOLUME}.image_width, image_height, frames_per_image",
    "processed.pixel_type": f"{_VOLUME}.voxel_type",
}
"""SXT Table 1 id → the EMPIAR key it fills; every other row → ``"details"``. A row with a key of
its own is repeated in the details too (value and unit), except those in `DETAILS_LEFT_OUT`."""
for _spec in fields_for(DatasetKind.SXT):
    EMPIAR_MAPPING.setdefault(_spec.id, "details")

DETAILS_LEFT_OUT = frozenset(
    {"general.title", "general.people", "general.publication_doi", "related.accessions"}
)
"""Rows never repeated in the details: they have keys of their own and read badly as text (the
BioStudies accession gets a line of its own, and the pixel size one in Å and µm)."""

DETAIL_LABELS: dict[str, str] = {
    "general.collection_date": "Data collection date",
    "general.facility": "Facility",
    "general.instrument": "Instrument",
    "general.funding": "Funding",
    "sample.sample_id": "Sample",
    "sample.fluorophores": "Fluorophores",
    "sample.fiducials": "Fiducials",
    "sample.carrier": "Sample carrier",
    "correlation.transform": "SIM to SXT transformation",
    "setup.energy": "Energy",
    "setup.zone_plate": "Zone plate",
    "setup.magnification": "Magnification",
    "setup.field_of_view": "Field of view",
    "acquisition.exposure": "Exposure",
    "acquisition.attenuation": "Attenuation",
    "acquisition.tilt_range": "Tilt range",
    "acquisition.tilt_step": "Tilt step",
    "acquisition.n_frames": "Number of tilt images",
    "acquisition.overlaps": "Mosaic overlaps",
    "acquisition.radiation_damage": "Radiation damage",
    "acquisition.mosaic": "Mosaic",
    "raw.type": "Raw data",
    "raw.format": "Raw data format",
    "raw.dimensions": "Raw image dimensions",
    "raw.pixel_type": "Raw pixel type",
    "raw.non_referenced_file": "Non-referenced raw data",
    "processing.software": "Reconstruction software",
    "processing.reference_image": "Background reference image",
    "processing.type": "Processing",
    "processing.protocol": "Reconstruction protocol",
    "processing.residual_error": "Alignment residual error",
    "processing.weighted_residual_error": "Weighted mean residual error",
    "processing.correlation_coefficients": "Correlation coefficients",
    "processing.fsc_cutoff": "FSC / FRC cut-off",
    "processed.format": "Tomogram format",
    "processed.dimensions": "Tomogram dimensions",
    "processed.pixel_type": "Tomogram pixel type",
}
"""Short labels of the details lines (the Table 1 labels carry explanations in brackets)."""

_IN_IMAGESET_LINE = frozenset({"setup.pixel_size"})
"""Rows the image set writes itself (pixel size in Å and µm)."""

_VOLUME_SECTIONS = ("processing.", "processed.")
"""Rows described in the reconstructed volume's details (the rest: the tilt series')."""


def experiment_type(result: ScanResult, sxt: str) -> int:
    """8 (correlative light X-ray microscopy) for an SXT dataset in a pair, else 1 (soft X-ray)."""
    from clxm_meta.records.scan_index import scan_index

    return 8 if sxt in scan_index(result).pair_by_sxt else 1


class _Builder:
    def __init__(self, result: ScanResult, sxt: str, sidecar: Sidecar | None) -> None:
        rec = result.record(sxt)
        if not isinstance(rec, SxtRecord):
            raise KeyError(f"{sxt!r} is a SIM dataset; EMPIAR takes the SXT dataset of a pair")
        self.result = result
        self.sxt = sxt
        self.rec: SxtRecord = rec
        self.sc = sidecar
        self.missing: list[MissingField] = []
        self.doc: dict[str, Any] = {}
        from clxm_meta.records.scan_index import scan_index

        pair = scan_index(result).pair_by_sxt.get(sxt)
        self.sim = pair.sim if pair is not None else None
        self.bio: list[str] = []

    # --- helpers --------------------------------------------------------------------------------

    def miss(self, key: str, label: str, who: Supplier, where: str, fid: str | None = None) -> None:
        if who in ("depositor", "facility"):
            where = f"sidecar key {where}"  # as the light-side exporters word it
        self.missing.append(MissingField(DOCUMENT, key, label, who, where, fid))

    def row_key(self, fid: str) -> str:
        """The sidecar key that fills a row of this dataset."""
        return f"datasets.{self.sxt}.{fid}"

    def people_key(self) -> str:
        """The sidecar key path of the people list in use (where it was given)."""
        slot = self.rec.general.people
        loc = slot.source.locator if slot is not None else None
        if loc and " (line" in loc:
            return loc.split(" (line", 1)[0]
        return "all.general.people"

    # --- top level ------------------------------------------------------------------------------

    def run(self) -> Export[dict[str, Any]]:
        self.title()
        self.release()
        self.doc["experiment_type"] = experiment_type(self.result, self.sxt)
        scale = self.sc.empiar.scale if self.sc and self.sc.empiar else None
        self.doc["scale"] = scale or "3"
        self.people()
        self.references()
        self.imagesets()
        self.citation()
        return self.finish()

    def title(self) -> None:
        slot = self.rec.general.title
        where = self.row_key("general.title")
        if slot is None:
            self.miss(
                "title", "Dataset title (10–255 characters)", "depositor", where, "general.title"
            )
        elif not 10 <= len(slot.value) <= 255:
            self.miss(
                "title",
                f"Dataset title must be 10–255 characters (it has {len(slot.value)})",
                "depositor",
                where,
                "general.title",
            )
        else:
            self.doc["title"] = slot.value

    def release(self) -> None:
        instruction = self.result.release_instructions.get(self.sxt)
        if instruction is None or instruction not in RELEASE_CODES:
            self.miss(
                "release_date",
                "Release instruction (REL, EMDBPUB, HPUB or HOLD)",
                "depositor",
                f"release_instruction (top level, or datasets.{self.sxt}.release_instruction)",
            )
        else:
            self.doc["release_date"] = RELEASE_CODES[instruction]

    # --- people ---------------------------------------------------------------------------------

    def people(self) -> None:
        slot = self.rec.general.people
        base = self.people_key()
        persons: list[Person] = list(slot.value) if slot is not None else []
        if not persons:
            self.miss(
                "authors",
                "Researchers (name, affiliation, ORCID, email, country)",
                "depositor",
                base,
                "general.people",
            )
            self.miss(
                "corresponding_author",
                "Corresponding author",
                "depositor",
                f"{base}[i].corresponding_author: true",
            )
            self.miss(
                "principal_investigator",
                "Principal investigator(s)",
                "depositor",
                f"{base}[i].principal_investigator: true",
            )
            return
        authors = []
        for i, person in enumerate(persons):
            name = self.author_name(person, f"authors[{i}].name", f"{base}[{i}]")
            if name is not None:
                authors.append({"name": name, "order_id": i, "author_orcid": person.orcid})
        if len(authors) == len(persons):
            self.doc["authors"] = authors
        corresponding = [i for i, p in enumerate(persons) if p.corresponding_author]
        if not corresponding:
            self.miss(
                "corresponding_author",
                "Corresponding author (one person)",
                "depositor",
                f"{base}[i].corresponding_author: true",
            )
        else:
            i = corresponding[0]
            contact = self.contact(persons[i], "corresponding_author", f"{base}[{i}]")
            if contact is not None:
                self.doc["corresponding_author"] = contact
        pis = [i for i, p in enumerate(persons) if p.principal_investigator]
        if not pis:
            self.miss(
                "principal_investigator",
                "Principal investigator (at least one person)",
                "depositor",
                f"{base}[i].principal_investigator: true",
            )
        else:
            contacts = [
                self.contact(persons[i], f"principal_investigator[{n}]", f"{base}[{i}]")
                for n, i in enumerate(pis)
            ]
            if all(c is not None for c in contacts):
                self.doc["principal_investigator"] = contacts

    def author_name(self, person: Person, key: str, where: str) -> str | None:
        split = split_name(person)
        if split is None or not split.first:
            self.miss(
                key,
                f"Surname and given names of {person.name!r}",
                "depositor",
                f"{where}.last_name and .first_name (or name: 'Surname, Given names')",
                "general.people",
            )
            return None
        return f"('{split.last}', '{initials(split.first)}')"

    def contact(self, person: Person, key: str, where: str) -> dict[str, Any] | None:
        split = split_name(person)
        out: dict[str, Any] = {}
        ok = True
        if split is None or not split.first:
            self.miss(
                f"{key}.first_name, last_name",
                f"First and last name of {person.name!r}",
                "depositor",
                f"{where}.last_name and .first_name",
            )
            ok = False
        else:
            out["first_name"], out["last_name"] = split.first, split.last
        for attr, sidecar_key, label in (
            ("affiliation", "affiliation", "Organisation"),
            ("email", "email", "Email"),
            ("country", "country", "Country (ISO 3166-1 alpha-2, e.g. GB)"),
        ):
            value = getattr(person, attr)
            if value is None:
                target = "organization" if attr == "affiliation" else attr
                self.miss(
                    f"{key}.{target}",
                    f"{label} of {person.name!r}",
                    "depositor",
                    f"{where}.{sidecar_key}",
                )
                ok = False
            else:
                out["organization" if attr == "affiliation" else attr] = value
        if person.orcid:
            out["author_orcid"] = person.orcid
        return out if ok else None

    # --- references, citation -------------------------------------------------------------------

    def accessions(self, rec: Record | None) -> list[str]:
        if rec is None or rec.related.accessions is None:
            return []
        return list(rec.related.accessions.value)

    def references(self) -> None:
        sim_rec = None
        if self.sim is not None:
            try:
                sim_rec = self.result.record(self.sim)
            except KeyError:
                sim_rec = None
        own = self.accessions(self.rec)
        bio = [a for a in [*own, *self.accessions(sim_rec)] if accession_kind(a) == "BioStudies"]
        bio = list(dict.fromkeys(bio))
        empiar = [a for a in own if accession_kind(a) == "EMPIAR"]
        if bio:
            self.doc["biostudies_references"] = [{"name": a} for a in bio]
        if empiar:
            self.doc["empiar_references"] = [{"name": a} for a in empiar]
        self.bio = bio

    def citation(self) -> None:
        cit = self.sc.citation if self.sc else None
        if cit is None or cit.status is None or cit.title is None:
            if cit is None or cit.status is None:
                self.miss(
                    "citation[0].published",
                    "Citation status (published, unpublished or preprint)",
                    "depositor",
                    "citation.status",
                )
            if cit is None or cit.title is None:
                self.miss(
                    "citation[0].title",
                    "Title of the publication (or of the planned one)",
                    "depositor",
                    "citation.title",
                )
            return
        item: dict[str, Any] = {
            "published": cit.status == "published",
            "j_or_nj_citation": cit.status != "published" or cit.journal is not None,
            "title": cit.title,
        }
        if cit.authors:
            authors = []
            for i, text in enumerate(cit.authors):
                split = split_text_name(text)
                if split is None or not split.first:
                    self.miss(
                        f"citation[0].authors[{i}].name",
                        f"Citation author {text!r} as 'Surname, Initials'",
                        "depositor",
                        f"citation.authors[{i}]",
                    )
                    continue
                author: dict[str, Any] = {
                    "name": f"('{split.last}', '{initials(split.first)}')",
                    "order_id": i,
                }
                if cit.author_orcids and cit.author_orcids[i]:
                    author["author_orcid"] = cit.author_orcids[i]
                authors.append(author)
            if len(authors) == len(cit.authors):
                item["authors"] = authors
        elif "authors" in self.doc:
            item["authors"] = [dict(a) for a in self.doc["authors"]]
        else:
            self.miss(
                "citation[0].authors",
                "Citation authors (default: the people of general.people)",
                "depositor",
                "citation.authors",
            )
        doi = cit.doi
        if doi is None and self.rec.general.publication_doi is not None:
            doi = normalise_doi(self.rec.general.publication_doi.value)
        for key, value in (
            ("journal", cit.journal),
            ("journal_abbreviation", cit.journal_abbreviation),
            ("volume", cit.volume),
            ("issue", cit.issue),
            ("first_page", cit.first_page),
            ("last_page", cit.last_page),
            ("year", cit.year),
            ("language", cit.language),
            ("doi", doi),
            ("pubmedid", cit.pubmed_id),
            ("details", cit.details),
        ):
            if value is not None:
                item[key] = value
        self.doc["citation"] = [item]

    # --- image sets -----------------------------------------------------------------------------

    def imagesets(self) -> None:
        from clxm_meta.normalise.build import build_records
        from clxm_meta.records.scan_index import scan_index

        index = scan_index(self.result)  # built once per scan, not once per unit
        info = index.datasets[self.sxt]
        fmt = {m.path: f.format for m in info.members if (f := index.files.get(m.path)) is not None}
        drafts: list[ImagesetDraft] = []
        roles = [(m.path, m.role) for m in info.members]
        for member in sorted(info.members, key=lambda m: (m.path != info.primary, m.path)):
            if member.role not in IMAGESET_ROLES:
                continue
            rec: Record | None = self.rec
            if member.path != info.primary:
                own = self.result.models.get(member.path)
                recs = build_records([own]) if own is not None else []
                rec = recs[0] if recs else None
            model = self.result.models.get(member.path)
            d = draft(member.role, member.path, fmt.get(member.path), rec, self.sxt, model)
            d.details.extend(provenance_lines(member.role, member.path, roles, model))
            drafts.append(d)
        if not drafts:
            self.miss(
                "imagesets",
                "An image file (tilt series or tomogram) in the dataset",
                "file",
                f"the dataset folder {info.folder}",
            )
            return
        self.add_details(drafts, info.members)
        out = []
        for i, d in enumerate(drafts):
            for key, what in d.missing:
                self.miss(
                    f"imagesets[{i}].{key}",
                    f"{what} of {posixpath.basename(d.path)}",
                    "file",
                    f"the header of {d.path} (clxm-meta inspect shows what it holds)",
                )
            d.values["details"] = "\n".join(d.details) if d.details else None
            out.append({k: v for k, v in d.values.items() if v is not None})
        self.doc["imagesets"] = out

    def add_details(self, drafts: list[ImagesetDraft], members: list[Any]) -> None:
        tilt = next((d for d in drafts if d.role == "tilt_series"), drafts[0])
        volume = next((d for d in drafts if d.role == "tomogram"), tilt)
        for m in members:
            if m.role == "converted_stack":
                tilt.details.append(
                    f"Converted stack: {m.path} is this tilt series converted to MRC for IMOD "
                    "(the same images; uploaded with it, not a second tilt series)"
                )
        others = sorted(posixpath.basename(m.path) for m in members if m.role not in IMAGESET_ROLES)
        if others:
            volume.details.append(f"Processing files uploaded with the data: {', '.join(others)}")
        head = [f"Experiment: {EXPERIMENT_TYPES[experiment_type(self.result, self.sxt)]}"]
        if self.sim is not None:
            head.append(f"Correlative cryo-SIM dataset: {self.sim}")
        if self.bio:
            head.append(f"BioStudies accession of the paired cryo-SIM data: {', '.join(self.bio)}")
        tilt.details[:0] = head
        for spec in fields_for(DatasetKind.SXT):
            if spec.id in DETAILS_LEFT_OUT or spec.id in _IN_IMAGESET_LINE:
                continue
            slot = self.rec.get(spec.id)
            if slot is None:
                continue
            target = volume if spec.id.startswith(_VOLUME_SECTIONS) else tilt
            target.details.append(detail_line(DETAIL_LABELS.get(spec.id, spec.label), slot))

    def source_of(self, key: str) -> str:
        """The sidecar key that fills a document key (for invalid values caught at the end)."""
        top = key.split(".", 1)[0]
        if top in ("authors", "corresponding_author", "principal_investigator"):
            return f"{self.people_key()} (names, emails, countries of the people)"
        if top == "citation":
            return "citation"
        if top == "title":
            return self.row_key("general.title")
        return "the value named by the key"

    # --- result ---------------------------------------------------------------------------------

    def finish(self) -> Export[dict[str, Any]]:
        order = (
            "title",
            "release_date",
            "experiment_type",
            "scale",
            "biostudies_references",
            "empiar_references",
            "authors",
            "corresponding_author",
            "principal_investigator",
            "imagesets",
            "citation",
        )
        doc = {k: self.doc[k] for k in order if k in self.doc}
        if self.missing:
            return Export(doc, self.missing)
        try:
            model = EmpiarDeposition.model_validate(doc)
        except ValidationError as exc:
            for err in exc.errors():
                key = ".".join(str(p) for p in err["loc"])
                self.miss(key, f"invalid value: {err['msg']}", "depositor", self.source_of(key))
            return Export(doc, self.missing)
        return Export(model.document(), [])


def build_empiar(
    result: ScanResult, sxt: str, *, sidecar: Sidecar | None = None
) -> Export[dict[str, Any]]:
    """The EMPIAR deposition document of SXT dataset ``sxt``.

    Parameters
    ----------
    result
        The scan of the deposition tree.
    sxt
        The SXT dataset's name (``ScanResult.datasets[*].name``).
    sidecar
        The parsed sidecar; by default the one the scan used (``result.sidecar``) is read again.

    Raises
    ------
    KeyError
        No dataset of that name, or it is a SIM dataset.
    """
    if sidecar is None and result.sidecar:
        sidecar = load_sidecar(result.sidecar)
    return _Builder(result, sxt, sidecar).run()
