"""Make every look-up asked for; all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clxm_meta.errors import LookupFailedError
from clxm_meta.sidecar.lookup.http import get_json
from clxm_meta.sidecar.lookup.parse import (
    citation_crossref,
    citation_europepmc,
    organism_ena,
    person_orcid,
    ror_match,
    ror_org,
)
from clxm_meta.sidecar.lookup.services import (
    crossref_url,
    europepmc_url,
    orcid_url,
    ror_url,
    taxon_url,
)
from clxm_meta.sidecar.validate import doi_valid, normalise_doi, normalise_orcid, orcid_checksum_ok

__all__ = ["LookedUp", "lookup_all"]


@dataclass
class LookedUp:
    """What the look-ups found, with the URL each part came from."""

    people: list[dict[str, Any]] = field(default_factory=list)
    citation: dict[str, Any] = field(default_factory=dict)
    abstract: str | None = None
    keywords: list[str] | None = None
    organism: dict[str, str] | None = None
    """``{scientific_name, common_name, ncbi_taxon}`` from ENA's taxonomy."""
    urls: dict[str, list[str]] = field(default_factory=dict)
    """``"people"`` / ``"citation"`` / ``"biostudies"`` → the URLs their values came from."""


def lookup_all(
    *,
    orcids: list[str] | tuple[str, ...] = (),
    doi: str | None = None,
    pmid: str | None = None,
    organism: str | None = None,
    cache: str | None = None,
    offline: bool = False,
) -> LookedUp:
    """Look up people, a citation and an organism's taxon.

    People by ORCID (with their organisation's ROR id and country), the citation by DOI or PubMed
    id, the organism's NCBI taxon by scientific name (ENA's taxonomy).

    Raises
    ------
    LookupFailedError
        One or more look-ups failed (bad id, offline, unreachable, no record): the message is one
        line naming each, and nothing was found for anyone to half-write.
    """
    out = LookedUp()
    errors: list[str] = []

    def fetch(url: str, what: str) -> Any:
        return get_json(url, what, cache=cache, offline=offline)

    for raw in orcids:
        orcid = normalise_orcid(raw)
        if not orcid_checksum_ok(orcid):
            errors.append(f"ORCID {raw!r} (not dddd-dddd-dddd-dddX with a valid check digit)")
            continue
        try:
            url = orcid_url(orcid)
            person, ror_id = person_orcid(fetch(url, f"ORCID {orcid}"), orcid)
            urls = out.urls.setdefault("people", [])
            urls.append(url)
            org: dict[str, str] | None = None
            if ror_id is not None:
                rurl = ror_url(ror_id=ror_id)
                org = ror_org(fetch(rurl, f"ROR {ror_id}"))
                urls.append(rurl)
            elif person.get("affiliation"):
                name = str(person["affiliation"]).split(",")[0]
                rurl = ror_url(affiliation=name)
                org = ror_match(fetch(rurl, f"ROR match of {name!r}"))
                urls.append(rurl)
            if org is not None:
                person["ror"] = org["ror"]
                if "country" in org:
                    person["country"] = org["country"]
            out.people.append(person)
        except LookupFailedError as exc:
            errors.append(str(exc))
    if pmid is not None:
        pm = pmid.strip()
        if not (pm.isdigit() and len(pm) <= 8):
            errors.append(f"PubMed id {pmid!r} (expected up to 8 digits)")
        else:
            try:
                url = europepmc_url(pmid=pm)
                found = citation_europepmc(fetch(url, f"PubMed {pm}"), f"PubMed {pm}")
                if found is None:
                    raise LookupFailedError(f"PubMed {pm}: Europe PMC has no such record ({url})")
                _take_epmc(out, found, url)
            except LookupFailedError as exc:
                errors.append(str(exc))
    if doi is not None:
        if not doi_valid(doi):
            errors.append(f"DOI {doi!r} (not 10.nnnn/...)")
        else:
            d = normalise_doi(doi)
            try:
                url = crossref_url(d)
                found_cr = citation_crossref(fetch(url, f"DOI {d}"), d)
                for key, value in found_cr.items():
                    out.citation.setdefault(key, value)
                out.urls.setdefault("citation", []).append(url)
                if pmid is None:  # Europe PMC adds the PubMed id, abstract and keywords
                    eurl = europepmc_url(doi=d)
                    epmc = citation_europepmc(fetch(eurl, f"DOI {d} in Europe PMC"), f"DOI {d}")
                    if epmc is not None:
                        _take_epmc(out, epmc, eurl)
            except LookupFailedError as exc:
                errors.append(str(exc))
    if organism is not None and organism.strip():
        try:
            url = taxon_url(organism)
            out.organism = organism_ena(fetch(url, f"organism {organism!r}"), organism)
            out.urls.setdefault("biostudies", []).append(url)
        except LookupFailedError as exc:
            errors.append(str(exc))
    if errors:
        raise LookupFailedError("could not look up " + "; ".join(errors) + "; nothing written")
    return out


def _take_epmc(out: LookedUp, found: dict[str, Any], url: str) -> None:
    out.abstract = found.pop("abstract", None) or out.abstract
    out.keywords = found.pop("keywords", None) or out.keywords
    for key, value in found.items():
        out.citation.setdefault(key, value)
    out.urls.setdefault("citation", []).append(url)
    if out.abstract or out.keywords:
        out.urls.setdefault("biostudies", []).append(url)
