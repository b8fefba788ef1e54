"""Turn look-up results into template `Fills`, merged with what the sidecar already says.

The depositor's own values win: a person already in the sidecar (same ORCID) keeps every key the
depositor gave and gains only the keys that were empty; a citation key already filled is kept.
Each filled part is written with the URLs it came from in a comment.
"""

from __future__ import annotations

from typing import Any

from clxm_meta.sidecar.lookup import LookedUp
from clxm_meta.sidecar.template import Fills

__all__ = ["fills_from_lookup", "merge_people"]

_ORG_KEYS = ("ror", "country")
"""A person's keys that belong to the looked-up affiliation, not to the person."""


def merge_people(
    existing: list[dict[str, Any]] | None, found: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``existing`` people completed by ``found`` (matched by ORCID); new ORCIDs appended.

    A person the sidecar gives another affiliation than ORCID's keeps it, and does not take the
    ROR id and country of ORCID's.
    """
    out = [dict(p) for p in existing or []]
    by_orcid = {p.get("orcid"): p for p in out if p.get("orcid")}
    for person in found:
        mine = by_orcid.get(person.get("orcid"))
        if mine is None:
            out.append(dict(person))
            continue
        other_org = mine.get("affiliation") not in (None, "", person.get("affiliation"))
        for key, value in person.items():
            if other_org and key in _ORG_KEYS:
                continue  # the looked-up ROR id and country are those of another affiliation
            if mine.get(key) in (None, ""):
                mine[key] = value
    return out


def fills_from_lookup(
    found: LookedUp,
    *,
    people: list[dict[str, Any]] | None = None,
    publication_doi: str | None = None,
) -> Fills:
    """The `Fills` of a look-up: ``general.people``, the ``citation`` block, the study facts.

    Parameters
    ----------
    found
        What `clxm_meta.sidecar.lookup.lookup_all` found.
    people
        The sidecar's ``all.general.people`` (kept, completed by the look-up).
    publication_doi
        The sidecar's ``general.publication_doi`` (the citation's DOI fills it when empty).
    """
    fills = Fills()
    if found.people:
        fills.rows["general.people"] = merge_people(people, found.people)
        fills.notes["general.people"] = "looked up: " + " ".join(found.urls.get("people", []))
        orgs = {
            str(p["affiliation"]): {"ror": p["ror"]}
            for p in fills.rows["general.people"]
            if p.get("affiliation") and p.get("ror")
        }
        if orgs:  # the BioImages.v5 Organization sections take their ROR id from here
            fills.blocks[("biostudies", "organisations")] = orgs
    if found.citation:
        for key, value in found.citation.items():
            fills.blocks[("citation", key)] = value
        fills.notes["citation"] = "looked up: " + " ".join(found.urls.get("citation", []))
        doi = found.citation.get("doi")
        if doi and not publication_doi:
            fills.rows["general.publication_doi"] = doi
            fills.notes["general.publication_doi"] = "looked up: the citation's DOI"
    if found.abstract:
        fills.blocks[("biostudies", "description")] = found.abstract
    if found.keywords:
        fills.blocks[("biostudies", "keywords")] = found.keywords
    if found.organism:
        fills.blocks[("biostudies", "organism")] = found.organism
    if found.abstract or found.keywords or found.organism:
        what = [
            w
            for w, v in (
                ("description (the paper's abstract)", found.abstract),
                ("keywords", found.keywords),
                ("organism", found.organism),
            )
            if v
        ]
        fills.notes["biostudies"] = f"{', '.join(what)} looked up: " + " ".join(
            found.urls.get("biostudies", [])
        )
    return fills
