"""The crate's root: the ``bia:Study`` with its authors, affiliations, funding, publication, links."""

from __future__ import annotations

from clxm_meta.export.biostudies.rocrate.model import Entity, ref
from clxm_meta.export.biostudies.rocrate.sources import Sources
from clxm_meta.export.biostudies.sources import person_roles
from clxm_meta.sidecar.biostudies import LICENSES

__all__ = ["ENTRY_URL", "funding", "links", "people", "publication", "study"]

ENTRY_URL = {
    "EMPIAR": ("https://www.ebi.ac.uk/empiar/{acc}/", "EMPIAR", "EMPIAR entry"),
    "S-": (
        "https://www.ebi.ac.uk/biostudies/bioimages/studies/{acc}",
        "BioStudies",
        "BioStudies study",
    ),
}
"""Accession prefix → (entry URL, link type as BIA's ``ALLOWED_LINK_TYPES``, words)."""


def study(src: Sources) -> Entity:
    """The root data entity ``./`` (``Dataset`` + ``bia:Study``); ``hasPart`` is set by the caller."""
    root = Entity("./", ["Dataset", "bia:Study"])
    slot = src.record.get("general.title")
    title = slot.value if slot is not None else None
    root.set("name", title)
    if not title:
        src.miss_row("Study/name", "general.title")
    root.set("description", src.bs.get("description"))
    if not src.bs.get("description"):
        src.miss_bs("Study/description", "Study description", "description")
    lic = src.bs.get("license")
    root.set("license", LICENSES.get(lic) if lic else None)
    if not lic:
        src.miss_bs("Study/license", "Licence (CC0 or CC BY 4.0)", "license")
    root.set("datePublished", src.bs.get("release_date"))
    if not src.bs.get("release_date"):
        src.miss_bs("Study/datePublished", "Release date (YYYY-MM-DD)", "release_date")
    root.set("keywords", list(src.bs.get("keywords") or []))
    root.set("acknowledgement", src.bs.get("acknowledgements"))
    root.set("fundingStatement", src.bs.get("funding_statement"))
    root.properties["accessionId"] = ""  # assigned by BioStudies on submission
    return root


def people(src: Sources, root: Entity) -> list[Entity]:
    """A ``bia:Contributor`` per person (``@id`` their ORCID), a ``bia:Affiliation`` per organisation.

    An organisation's ROR (as its ``website``) and address come from the sidecar's
    ``biostudies.organisations`` block, as the PageTab's ``RORID`` and ``Address`` do.
    """
    slot = src.record.get("general.people")
    people = slot.value if slot is not None else []
    if not people:
        src.miss_row("Study/author", "general.people")
        return []
    out: list[Entity] = []
    orgs: dict[str, Entity] = {}
    authors: list[dict[str, str]] = []
    for i, p in enumerate(people):
        pid = f"https://orcid.org/{p.orcid}" if p.orcid else f"#contributor-{i + 1}"
        person = Entity(pid, ["Person", "bia:Contributor"])
        person.set("name", p.name)
        person.set("email", p.email)
        person.set("role", person_roles(p, p.role))
        if p.affiliation:
            if p.affiliation not in orgs:
                org = Entity(f"#affiliation-{len(orgs) + 1}", ["Organization", "bia:Affiliation"])
                org.set("name", p.affiliation)
                known = (src.bs.get("organisations") or {}).get(p.affiliation) or {}
                org.set("address", known.get("address"))
                org.set("website", known.get("ror"))  # https://ror.org/<id>
                orgs[p.affiliation] = org
            person.set("memberOf", [ref(orgs[p.affiliation].id)])
        if any(a["@id"] == pid for a in authors):
            continue  # the same ORCID twice: one contributor
        authors.append(ref(pid))
        out.append(person)
    root.set("author", authors)
    return out + list(orgs.values())


def funding(src: Sources, root: Entity) -> list[Entity]:
    """A ``bia:Grant`` per grant, a ``bia:FundingBody`` per agency."""
    slot = src.record.get("general.funding")
    out: list[Entity] = []
    grants: list[dict[str, str]] = []
    funders: dict[str, Entity] = {}
    for i, item in enumerate(slot.value if slot is not None else []):
        if not (item.agency or item.grant_id):
            continue
        grant = Entity(f"#grant-{i + 1}", ["Grant", "bia:Grant"])
        grant.set("identifier", item.grant_id)
        if item.agency:
            if item.agency not in funders:
                body = Entity(f"#funder-{len(funders) + 1}", ["Organization", "bia:FundingBody"])
                body.set("name", item.agency)
                funders[item.agency] = body
            grant.set("funder", [ref(funders[item.agency].id)])
        grants.append(ref(grant.id))
        out.append(grant)
    root.set("funding", grants)
    return out + list(funders.values())


def publication(src: Sources, root: Entity) -> list[Entity]:
    """The ``bia:Publication`` of the publication DOI, when there is one."""
    doi = src.text("general.publication_doi")
    if not doi:
        return []
    pub = Entity("#publication-1", ["ScholarlyArticle", "bia:Publication"])
    pub.set("doi", doi)
    root.set("relatedPublication", [ref(pub.id)])
    return [pub]


def links(src: Sources, root: Entity) -> list[Entity]:
    """A ``bia:ExternalReference`` (``seeAlso``) per related EMPIAR / BioStudies entry."""
    out = []
    for acc in src.accessions():
        hit = next((v for p, v in ENTRY_URL.items() if acc.startswith(p)), None)
        if hit is None:
            continue
        url, kind, words = hit
        link = Entity(url.format(acc=acc), ["bia:ExternalReference"])
        link.set("description", f"Related {words} {acc}")
        link.set("additionalType", kind)
        out.append(link)
    root.set("seeAlso", [ref(e.id) for e in out])
    return out
