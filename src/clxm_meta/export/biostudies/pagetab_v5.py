"""The BioImages.v5 submission: what differs from the v4 document, field by field.

Follows the BioStudies submission tool's template ``BioImages.v5`` (EBIBioStudies/submission-tool,
``frontend/src/templates/BioImages.v5.json.ts``) and what the BioImage Archive's ingest
(bia-integrator ``bia-ingest``) reads:

- submission header: ``Template BioImages.v5`` and an empty ``DOI`` (BioStudies mints the study DOI);
- ``Study``: only the template's attributes (``Title``, ``ReleaseDate``, ``Description``,
  ``Keywords``, ``Acknowledgements``, ``License`` with its ``URL`` value qualifier, ``Funding
  statement``: the template allows no other); links carry a ``Type`` (``EMPIAR``, ``BioStudies``:
  bia-ingest's ``ALLOWED_LINK_TYPES``);
- contacts are ``Author`` sections with the template's fields (``Name``, ``Email``, ``Role`` from
  the template's list, ``ORCID``, and ``Organisation``: a reference to an ``Organization`` section
  with ``Name``, ``Address``, ``RORID``);
- ``Publication`` from the sidecar's ``citation:`` block (``Title``, ``Authors``, ``Year``,
  ``Pubmed ID``, ``DOI``);
- ``Biosample`` has the ``Organism`` attribute the template requires, written ``Scientific name
  (common name)`` as bia-ingest splits it, and keeps the ``Organism`` subsection with the NCBI taxon;
- ``Image acquisition`` has the ``Imaging method`` attribute the template requires and keeps the
  ``Imaging Method`` subsection with the FBbi term id. bia-ingest takes the method's name from the
  attribute when there is one (and then no FBbi id: its code says so, "TODO ... lookup the fbbi
  ID"); the subsection is where it reads the id when there is no attribute, and where any reader of
  the PageTab finds the ontology term.
"""

from __future__ import annotations

from clxm_meta.export.biostudies.pagetab import ENTRY_URL, IMAGING_METHOD, BuilderV4
from clxm_meta.export.biostudies.pagetab_model import Attribute, Link, PageTab, Section, clean_text
from clxm_meta.export.biostudies.sources import person_roles
from clxm_meta.sidecar.load import load_citation

__all__ = ["LINK_TYPES", "ROLES", "ROLE_SYNONYMS", "BuilderV5"]

ROLES = (
    "corresponding author",
    "data steward",
    "data acquisition",
    "data analyst",
    "experiment performer",
    "first author",
    "investigator",
    "principal investigator",
    "software development",
    "submitter",
)
"""The author roles the BioImages.v5 template offers (its ``Contact`` table's ``Role`` list)."""

ROLE_SYNONYMS = {"depositor": "submitter"}
"""Sidecar roles written as the template's word for them."""

LINK_TYPES = {"EMPIAR": "EMPIAR", "S-": "BioStudies"}
"""Link ``Type`` by accession prefix (bia-ingest lower-cases it against ``ALLOWED_LINK_TYPES``)."""


class BuilderV5(BuilderV4):
    """The v4 builder with the v5 template's sections where they differ."""

    template = "BioImages.v5"

    def header(self, doc: PageTab, title: str | None) -> None:
        """The v4 header, ``Template BioImages.v5`` and an empty ``DOI`` (minted by BioStudies)."""
        super().header(doc, title)
        doc.attributes.append(Attribute("DOI", ""))

    def study(self, title: str | None) -> Section:
        """``Study`` with the template's attributes only, and typed links."""
        st = Section("Study")
        st.add("Title", title)
        st.add("ReleaseDate", self.bs.get("release_date"))
        self.description_and_keywords(st)
        st.add("Acknowledgements", self.bs.get("acknowledgements"))
        self.license(st)
        st.add("Funding statement", self.bs.get("funding_statement"))
        for acc in self.accessions():
            prefix = next((p for p in ENTRY_URL if acc.upper().startswith(p)), None)
            if prefix is None:
                continue
            kind = LINK_TYPES[prefix]
            label = "EMPIAR entry" if kind == "EMPIAR" else "BioStudies study"
            st.links.append(
                Link(
                    ENTRY_URL[prefix].format(acc=acc),
                    [
                        Attribute("Type", kind),
                        Attribute("Description", f"Related {label} {acc}"),
                    ],
                )
            )
        return st

    def people(self, st: Section) -> None:
        """``Author`` sections referring to ``Organization`` sections (``RORID``, ``Address``)."""
        slot = self.record.get("general.people")
        people = slot.value if slot is not None else []
        if not people:
            self.miss_row("Author/Name", "general.people")
            return
        known = self.bs.get("organisations") or {}
        orgs: dict[str, str] = {}
        org_sections: list[Section] = []
        for i, p in enumerate(people):
            au = Section("Author")
            au.add("Name", p.name)
            au.add("Email", p.email)
            roles = person_roles(p, p.role and ROLE_SYNONYMS.get(p.role.strip().casefold(), p.role))
            where = self.person_where(i)
            if p.affiliation:
                if p.affiliation not in orgs:
                    accno = f"o{len(orgs) + 1}"
                    orgs[p.affiliation] = accno
                    org = Section("Organization", accno)
                    org.add("Name", p.affiliation)
                    extra = known.get(clean_text(p.affiliation)) or known.get(p.affiliation) or {}
                    org.add("Address", extra.get("address"))
                    org.add("RORID", extra.get("ror") or p.ror)
                    org_sections.append(org)
                au.add("Organisation", orgs[p.affiliation], reference=True)
            else:
                self.miss(
                    f"Author[{i}]/Organisation",
                    f"Affiliation of {p.name}",
                    "depositor",
                    where + ".affiliation",
                )
            au.add("Role", ", ".join(roles))
            au.add("ORCID", p.orcid)
            if not roles:
                self.miss(f"Author[{i}]/Role", f"Role of {p.name}", "depositor", where + ".role")
            st.subsections.append(au)
        st.subsections.extend(org_sections)

    def publication_and_funding(self, st: Section) -> None:
        """``Publication`` from the sidecar's ``citation:`` block, and ``Funding``."""
        pub = Section("Publication")
        cit = load_citation(self.bs.path) if self.bs.path else None
        doi = self.text("general.publication_doi")
        if cit is not None and (cit.status != "unpublished" or cit.doi or cit.pubmed_id):
            pub.add("Title", cit.title)
            if cit.authors:
                pub.add("Authors", ", ".join(a.replace(",", "") for a in cit.authors))
            pub.add("Year", str(cit.year) if cit.year else None)
            pub.add("Pubmed ID", cit.pubmed_id)
            doi = cit.doi or doi
        pub.add("DOI", doi)
        if pub.attributes:
            st.subsections.append(pub)
        self.funding(st)

    def biosample(self) -> Section:
        """The v4 ``Biosample`` with the ``Organism`` attribute the template requires."""
        bio = super().biosample()
        org = self.bs.get("organism") or {}
        name = org.get("scientific_name")
        if name:
            common = org.get("common_name")
            text = f"{name} ({common})" if common else name
            bio.attributes.insert(1, Attribute("Organism", clean_text(text)))
        return bio

    def acquisition(self) -> Section:
        """The v4 ``Image acquisition`` with the ``Imaging method`` attribute."""
        acq = super().acquisition()
        acq.attributes.append(Attribute("Imaging method", IMAGING_METHOD[0]))
        return acq
