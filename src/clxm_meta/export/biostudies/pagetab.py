"""The BioStudies / BioImage Archive submission (PageTab) of a cryo-SIM dataset.

Two templates: ``BioImages.v5`` (the default, what the BioStudies submission tool offers for new
BioImage Archive studies; its differences are in `clxm_meta.export.biostudies.pagetab_v5`) and
``BioImages.v4`` (today's document, kept for whoever needs it). The v4 document, section by section,
in the template's order: the submission header (``Title``, ``ReleaseDate``,
``AttachTo BioImages``, ``Template BioImages.v4``), ``Study`` (title, description, keywords,
licence, links to related accessions), ``author`` with ``<affiliation>`` references to
``organization`` sections, ``Publication``, ``Funding``, ``Biosample`` (+ ``Organism``),
``Specimen``, ``Image acquisition`` (+ ``Imaging Method``: FBbi structured illumination microscopy),
``Image correlation`` (when the dataset has a correlative SXT partner or a transform), ``Image
analysis`` and the ``Study Component`` naming its file list, with ``Associations`` naming the
other sections by title.

Where a Table 1 value goes is `REMBI_MAPPING` (clxm_meta.export.biostudies.rembi); the study facts that are
not Table 1 rows come from the sidecar's ``biostudies:`` block. Nothing is invented: a required
value that no file and no sidecar gives is left out and listed in `Export.missing`.
"""

from __future__ import annotations

from collections.abc import Mapping

from clxm_meta.export.base import Export
from clxm_meta.export.biostudies.pagetab_model import (
    Attribute,
    Link,
    PageTab,
    Section,
    clean_text,
    pagetab_json,
    pagetab_tsv,
)
from clxm_meta.export.biostudies.rembi import REMBI_MAPPING, RembiTarget
from clxm_meta.export.biostudies.sources import Sources, ncbi_taxon_digits, person_roles
from clxm_meta.records.scan import ScanResult
from clxm_meta.sidecar.biostudies import LICENSES

__all__ = [
    "DEFAULT_TEMPLATE",
    "DOCUMENT",
    "FILE_LIST_NAME",
    "IMAGING_METHOD",
    "REMBI_MAPPING",
    "TEMPLATES",
    "PageTab",
    "RembiTarget",
    "build_pagetab",
    "pagetab_json",
    "pagetab_tsv",
]

DOCUMENT = "BioStudies PageTab"
TEMPLATES = ("BioImages.v5", "BioImages.v4")
"""The BioImage Archive templates the PageTab can be written for (``--bia-template``)."""
DEFAULT_TEMPLATE = "BioImages.v5"
FILE_LIST_NAME = "files.tsv"
"""The file list the Study Component names (written next to the submission by ``deposit``)."""

IMAGING_METHOD = ("structured illumination microscopy (SIM)", "FBbi", "FBbi:00000332")
"""Ontology value, ontology name and term id of the imaging method (FBbi)."""

ENTRY_URL = {
    "EMPIAR": "https://www.ebi.ac.uk/empiar/{acc}/",
    "S-": "https://www.ebi.ac.uk/biostudies/bioimages/studies/{acc}",
}


class BuilderV4(Sources):
    """The ``BioImages.v4`` PageTab, section by section (`build`)."""

    document = DOCUMENT
    template = "BioImages.v4"

    # --- sections -------------------------------------------------------------------------------

    def header(self, doc: PageTab, title: str | None) -> None:
        if title:
            doc.attributes.append(Attribute("Title", clean_text(title)))
        else:
            self.miss_row("Submission/Title", "general.title")
        date = self.bs.get("release_date")
        if date:
            doc.attributes.append(Attribute("ReleaseDate", date))
        else:
            self.miss_bs("Submission/ReleaseDate", "Release date (YYYY-MM-DD)", "release_date")
        doc.attributes.append(Attribute("AttachTo", "BioImages"))
        doc.attributes.append(Attribute("Template", self.template))

    def study(self, title: str | None) -> Section:
        st = Section("Study")
        st.add("Title", title)
        self.description_and_keywords(st)
        self.license(st)
        for acc in self.accessions():
            url = next((u for p, u in ENTRY_URL.items() if acc.startswith(p)), None)
            if url is None:
                continue
            kind = "EMPIAR entry" if acc.startswith("EMPIAR") else "BioStudies study"
            st.links.append(
                Link(url.format(acc=acc), [Attribute("Description", f"Related {kind} {acc}")])
            )
        return st

    def description_and_keywords(self, st: Section) -> None:
        """The study's ``Description`` and ``Keywords`` (from the sidecar's ``biostudies:``)."""
        value = self.bs.get("description")
        if value:
            st.add("Description", value)
        else:
            self.miss_bs("Study/Description", "Study description", "description")
        keywords = self.bs.get("keywords") or []
        for word in keywords:
            st.add("Keywords", word)
        if not keywords:
            self.miss_bs("Study/Keywords", "Keywords", "keywords")

    def license(self, st: Section) -> None:
        """The study's ``License``, with its ``URL`` value qualifier."""
        lic = self.bs.get("license")
        if lic:
            st.attributes.append(Attribute("License", lic, valqual=[("URL", LICENSES[lic])]))
        else:
            self.miss_bs("Study/License", "Licence (CC0 or CC BY 4.0)", "license")

    def accessions(self) -> list[str]:
        """Accessions to link: the SIM dataset's, and the SXT partner's EMPIAR ones.

        The partner's BioStudies accessions are left out: step 2 of README.txt adds the SIM
        study's own S-BIAD number there (EMPIAR cites it), and a study never links to itself.
        """
        out: list[str] = []
        for rec in (self.record, self.sxt_record):
            if rec is None:
                continue
            slot = rec.get("related.accessions")
            for acc in slot.value if slot is not None else []:
                if rec is self.sxt_record and acc.upper().startswith("S-"):
                    continue
                if acc not in out:
                    out.append(acc)
        return out

    def people(self, st: Section) -> None:
        slot = self.record.get("general.people")
        people = slot.value if slot is not None else []
        if not people:
            self.miss_row("author/Name", "general.people")
            return
        orgs: dict[str, str] = {}
        org_sections: list[Section] = []
        for i, p in enumerate(people):
            au = Section("author")
            au.add("Name", p.name)
            au.add("E-mail", p.email)
            roles = person_roles(p, p.role)
            au.add("Role", ", ".join(roles))
            au.add("ORCID", p.orcid)
            where = self.person_where(i)
            if not roles:
                self.miss(f"author[{i}]/Role", f"Role of {p.name}", "depositor", where + ".role")
            if p.affiliation:
                if p.affiliation not in orgs:
                    accno = f"o{len(orgs) + 1}"
                    orgs[p.affiliation] = accno
                    org = Section("organization", accno)
                    org.add("Name", p.affiliation)
                    org_sections.append(org)
                au.add("affiliation", orgs[p.affiliation], reference=True)
            else:
                self.miss(
                    f"author[{i}]/<affiliation>",
                    f"Affiliation of {p.name}",
                    "depositor",
                    where + ".affiliation",
                )
            st.subsections.append(au)
        st.subsections.extend(org_sections)

    def publication_and_funding(self, st: Section) -> None:
        doi = self.text("general.publication_doi")
        if doi:
            pub = Section("Publication")
            pub.add("DOI", doi)
            st.subsections.append(pub)
        self.funding(st)

    def funding(self, st: Section) -> None:
        """A ``Funding`` section per grant that names an agency or a grant id."""
        slot = self.record.get("general.funding")
        for i, item in enumerate(slot.value if slot is not None else []):
            fu = Section("Funding", f"funding{i + 1}")
            fu.add("Agency", item.agency)
            fu.add("grant_id", item.grant_id)
            if fu.attributes:
                st.subsections.append(fu)

    def biosample(self) -> Section:
        title = f"Sample {self.sample or self.sim}"
        bio = Section("Biosample", "Biosample-1")
        bio.add("Title", title)
        entity = self.bs.get("biological_entity")
        bio.add("Biological entity", entity)
        if not entity:
            self.miss_bs("Biosample/Biological entity", "Biological entity", "biological_entity")
        bio.add("Description", self.text("sample.sample_id"))
        org = self.bs.get("organism") or {}
        if org.get("scientific_name"):
            sub = Section("Organism", "Organism-1")
            sub.add("Scientific name", org.get("scientific_name"))
            sub.add("Common name", org.get("common_name"))
            taxon = org.get("ncbi_taxon")
            if taxon:
                sub.add("NCBI taxon ID", f"NCBI:txid{ncbi_taxon_digits(taxon)}")
            else:
                self.miss_bs(
                    "Organism/NCBI taxon ID", "NCBI taxon of the organism", "organism.ncbi_taxon"
                )
            bio.subsections.append(sub)
        else:
            self.miss_bs(
                "Organism/Scientific name", "Organism (scientific name)", "organism.scientific_name"
            )
        return bio

    def specimen(self) -> Section:
        sp = Section("Specimen", "Specimen-1")
        sp.add("Title", f"Specimen of {self.sample or self.sim}")
        sp.add(
            "Sample preparation protocol",
            self.preparation("Specimen/Sample preparation protocol"),
        )
        sp.add("Growth protocol", self.bs.get("growth_protocol"))
        return sp

    def acquisition(self) -> Section:
        acq = Section("Image acquisition", "Image acquisition-1")
        acq.add("Title", f"Cryo-SIM acquisition of {self.sim}")
        instrument = self.mapped("Image acquisition", "Imaging instrument")
        if instrument:
            acq.add("Imaging instrument", instrument)
        else:
            self.miss_row("Image acquisition/Imaging instrument", "general.instrument")
        params = self.mapped("Image acquisition", "Image acquisition parameters")
        if params:
            acq.add("Image acquisition parameters", params)
        else:
            self.miss(
                "Image acquisition/Image acquisition parameters",
                "Image acquisition parameters",
                "file",
                "the raw SIM stack (.dv) of the dataset",
            )
        method = Section("Imaging Method", "Imaging Method-1")
        for name, value in zip(
            ("Ontology Value", "Ontology Name", "Ontology Term ID"), IMAGING_METHOD, strict=True
        ):
            method.add(name, value)
        acq.subsections.append(method)
        return acq

    def correlation(self) -> Section | None:
        slot = self.transform()
        if slot is None and self.sxt is None:
            return None
        partner = f" with {self.sxt}" if self.sxt else ""
        cor = Section("Image correlation", "Image correlation-1")
        cor.add("Title", f"Correlation of {self.sim}{partner}")
        keys = (
            "Image correlation/Spatial and temporal alignment",
            "Image correlation/Transformation matrix",
        )
        aligned = self.alignment(slot, keys)
        if aligned is not None:
            cor.add("Spatial and temporal alignment", aligned[0])
            cor.add("Transformation matrix", aligned[1])
        fid_text = self.fiducials("Image correlation/Fiducials used")
        if fid_text:
            cor.add("Fiducials used", fid_text)
        return cor

    def analysis(self) -> Section | None:
        text = self.mapped("Image analysis", "Image analysis overview")
        if not text:
            return None
        an = Section("Image analysis", "Image analysis-1")
        an.add("Title", f"SIM reconstruction of {self.sim}")
        an.add("Image analysis overview", text)
        return an

    def component(self, linked: list[Section]) -> Section:
        comp = Section("Study Component", "Study Component-1")
        comp.add("Name", self.sim)
        comp.add("Description", self.component_description())
        comp.add("File List", FILE_LIST_NAME)
        assoc = Section("Associations")
        for sec in linked:
            title = sec.get("Title")
            if title:
                assoc.add(sec.type, title)
        comp.subsections.append(assoc)
        return comp

    def build(self) -> PageTab:
        title_slot = self.record.get("general.title")
        title = title_slot.value if title_slot is not None else None
        st = self.study(title)
        doc = PageTab(section=st)
        self.header(doc, title)
        self.people(st)
        self.publication_and_funding(st)
        linked = [self.biosample(), self.specimen(), self.acquisition()]
        cor = self.correlation()
        an = self.analysis()
        if an is not None:
            linked.append(an)
        if cor is not None:
            linked.append(cor)
        st.subsections.extend(linked)
        st.subsections.append(self.component(linked))
        return doc


def build_pagetab(
    result: ScanResult,
    sim: str,
    *,
    sxt: str | None = None,
    md5: Mapping[str, str] | None = None,
    template: str = DEFAULT_TEMPLATE,
) -> Export[PageTab]:
    """Build the BioStudies submission of SIM dataset ``sim``.

    Parameters
    ----------
    result
        A scan of the deposition tree (records, datasets, sidecar path).
    sim
        The SIM dataset's name.
    sxt
        Its correlative SXT partner, when there is one: adds the ``Image correlation`` section,
        the EMPIAR link and the partner's fiducials when the SIM record has none.
    md5
        Accepted for symmetry with the other builders; the submission itself carries no
        checksums (they are in the file list).
    template
        ``BioImages.v5`` (default) or ``BioImages.v4`` (`TEMPLATES`).

    Raises
    ------
    KeyError
        ``sim`` or ``sxt`` is not a dataset of the scan.
    ValueError
        ``sim`` is not a SIM dataset, or ``template`` is not one of `TEMPLATES`.
    """
    del md5
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}; choose {' or '.join(TEMPLATES)}")
    b: BuilderV4
    if template == "BioImages.v5":
        from clxm_meta.export.biostudies.pagetab_v5 import BuilderV5

        b = BuilderV5(result, sim, sxt)
    else:
        b = BuilderV4(result, sim, sxt)
    doc = b.build()
    return Export(document=doc, missing=b.missing)
