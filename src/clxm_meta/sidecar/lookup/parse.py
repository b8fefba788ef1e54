"""Read the services' JSON answers (each API's documented record format) into sidecar values.

Every reader takes the decoded JSON and returns plain dicts; a field the answer does not carry is
left out (never guessed). A malformed answer gives `LookupFailedError`.
"""

from __future__ import annotations

import re
from typing import Any

from clxm_meta.errors import LookupFailedError
from clxm_meta.sidecar.validate import normalise_orcid, orcid_checksum_ok

__all__ = ["citation_crossref", "citation_europepmc", "person_orcid", "ror_match", "ror_org"]


def _get(data: Any, *path: str | int) -> Any:
    for p in path:
        if isinstance(p, int):
            if not isinstance(data, list) or len(data) <= p:
                return None
        elif not isinstance(data, dict):
            return None
        data = data[p] if isinstance(p, int) else data.get(p)
    return data


def _text(value: Any) -> str | None:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        t = " ".join(str(value).split())
        return t or None
    return None


def _untagged(value: Any) -> str | None:
    """Text with the HTML markup Europe PMC keeps in abstracts (``<h4>``, ``<i>``) removed."""
    t = _text(value)
    return _text(re.sub(r"<[^>]{0,200}>", " ", t)) if t else None


def _orcid(value: Any) -> str | None:
    t = _text(value)
    if t is None:
        return None
    t = normalise_orcid(t.replace("http://orcid.org/", "https://orcid.org/"))
    return t if orcid_checksum_ok(t) else None


def person_orcid(data: Any, orcid: str) -> tuple[dict[str, Any], str | None]:
    """``(person, ror_id)`` from an ORCID v3.0 ``/record``: name, current employer, its country.

    The current affiliation is the first employment without an end date (ORCID lists the most
    recent first); its ROR id is given when ORCID disambiguated the organisation with ROR.
    """
    if not isinstance(data, dict):
        raise LookupFailedError(f"ORCID {orcid}: the answer is not an ORCID record")
    given = _text(_get(data, "person", "name", "given-names", "value"))
    family = _text(_get(data, "person", "name", "family-name", "value"))
    if given is None and family is None:
        raise LookupFailedError(f"ORCID {orcid}: the record has no public name")
    person: dict[str, Any] = {
        "name": " ".join(p for p in (given, family) if p),
        "first_name": given,
        "last_name": family,
        "orcid": orcid,
    }
    emails = _get(data, "person", "emails", "email") or []
    for item in emails if isinstance(emails, list) else []:
        email = _text(_get(item, "email"))
        if email:
            person["email"] = email
            break
    ror: str | None = None
    groups = _get(data, "activities-summary", "employments", "affiliation-group") or []
    for group in groups if isinstance(groups, list) else []:
        summaries = _get(group, "summaries") or []
        for summary in summaries if isinstance(summaries, list) else []:
            emp = _get(summary, "employment-summary")
            if not isinstance(emp, dict) or emp.get("end-date") is not None:
                continue
            org = emp.get("organization") or {}
            name = _text(_get(org, "name"))
            if name is None:
                continue
            dept = _text(emp.get("department-name"))
            person["affiliation"] = f"{name}, {dept}" if dept else name
            country = _text(_get(org, "address", "country"))
            if country and re.fullmatch(r"[A-Z]{2}", country):
                person["country"] = country
            dis = _get(org, "disambiguated-organization") or {}
            if _text(_get(dis, "disambiguation-source")) == "ROR":
                ror = _text(_get(dis, "disambiguated-organization-identifier"))
            return {k: v for k, v in person.items() if v is not None}, ror
    return {k: v for k, v in person.items() if v is not None}, None


def ror_org(data: Any) -> dict[str, str]:
    """``{ror, name, country}`` of a ROR organisation record (API v2; v1's ``country`` too)."""
    from clxm_meta.sidecar.biostudies import ror_url

    ror = ror_url(str(data.get("id"))) if isinstance(data, dict) and _text(data.get("id")) else None
    if ror is None:
        raise LookupFailedError("ROR: the answer is not an organisation record with a valid id")
    out = {"ror": ror}
    names = data.get("names")
    if isinstance(names, list):
        shown = [n for n in names if "ror_display" in (_get(n, "types") or [])]
        name = _text(_get(shown[0] if shown else names[0], "value")) if names else None
    else:
        name = _text(data.get("name"))
    if name:
        out["name"] = name
    country = _text(_get(data, "locations", 0, "geonames_details", "country_code")) or _text(
        _get(data, "country", "country_code")
    )
    if country:
        out["country"] = country
    return out


def ror_match(data: Any) -> dict[str, str] | None:
    """The organisation ROR's affiliation matching chose (``chosen: true``), or ``None``."""
    items = _get(data, "items")
    if not isinstance(items, list):
        raise LookupFailedError("ROR: the answer is not an affiliation match")
    chosen = [i for i in items if isinstance(i, dict) and i.get("chosen") is True]
    return ror_org(chosen[0]["organization"]) if len(chosen) == 1 else None


def _pages(text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    first, _, last = text.partition("-")
    return first.strip() or None, last.strip() or None


def citation_crossref(data: Any, doi: str) -> dict[str, Any]:
    """The ``citation`` block from a Crossref ``/works/{doi}`` answer."""
    msg = _get(data, "message")
    if not isinstance(msg, dict):
        raise LookupFailedError(f"DOI {doi}: the Crossref answer has no work")
    authors = []
    for a in msg.get("author") or []:
        family, given = _text(_get(a, "family")), _text(_get(a, "given"))
        name = f"{family}, {given}" if family and given else (family or _text(_get(a, "name")))
        if name:
            entry: dict[str, Any] = {"name": name}
            if orcid := _orcid(_get(a, "ORCID")):
                entry["orcid"] = orcid
            authors.append(entry)
    year = _get(msg, "issued", "date-parts", 0, 0) or _get(msg, "published", "date-parts", 0, 0)
    first, last = _pages(_text(msg.get("page")))
    kind = _text(msg.get("type"))
    out: dict[str, Any] = {
        "status": "preprint" if kind == "posted-content" else "published",
        "title": _text(_get(msg, "title", 0)),
        "journal": _text(_get(msg, "container-title", 0)),
        "journal_abbreviation": _text(_get(msg, "short-container-title", 0)),
        "volume": _text(msg.get("volume")),
        "issue": _text(msg.get("issue")),
        "first_page": first,
        "last_page": last,
        "year": year if isinstance(year, int) else None,
        "doi": _text(msg.get("DOI")) or doi,
        "authors": authors or None,
    }
    if out["title"] is None:
        raise LookupFailedError(f"DOI {doi}: the Crossref record has no title")
    return {k: v for k, v in out.items() if v is not None}


def citation_europepmc(data: Any, what: str) -> dict[str, Any] | None:
    """The ``citation`` block (plus ``abstract``, ``keywords``) from a Europe PMC core search.

    ``None`` when the search found no record (a DOI Europe PMC does not index).
    """
    results = _get(data, "resultList", "result")
    if not isinstance(results, list):
        raise LookupFailedError(f"{what}: the Europe PMC answer has no result list")
    if not results:
        return None
    r = results[0]
    authors = []
    for a in _get(r, "authorList", "author") or []:
        family, initials = _text(_get(a, "lastName")), _text(_get(a, "initials"))
        name = f"{family}, {initials}" if family and initials else _text(_get(a, "fullName"))
        if name:
            entry: dict[str, Any] = {"name": name}
            if _text(_get(a, "authorId", "type")) == "ORCID" and (
                orcid := _orcid(_get(a, "authorId", "value"))
            ):
                entry["orcid"] = orcid
            authors.append(entry)
    first, last = _pages(_text(r.get("pageInfo")))
    year = _text(_get(r, "journalInfo", "yearOfPublication")) or _text(r.get("pubYear"))
    types = [str(t).lower() for t in (_get(r, "pubTypeList", "pubType") or [])]
    out: dict[str, Any] = {
        "status": "preprint" if "preprint" in types else "published",
        "title": _text(r.get("title")),
        "journal": _text(_get(r, "journalInfo", "journal", "title")),
        "journal_abbreviation": _text(_get(r, "journalInfo", "journal", "isoabbreviation")),
        "volume": _text(_get(r, "journalInfo", "volume")),
        "issue": _text(_get(r, "journalInfo", "issue")),
        "first_page": first,
        "last_page": last,
        "year": int(year) if year and year.isdigit() else None,
        "doi": _text(r.get("doi")),
        "pubmed_id": _text(r.get("pmid")),
        "authors": authors or None,
        "abstract": _untagged(r.get("abstractText")),
        "keywords": [k for k in (_text(x) for x in _get(r, "keywordList", "keyword") or []) if k]
        or None,
    }
    if out["title"]:
        out["title"] = out["title"].rstrip(".")
    return {k: v for k, v in out.items() if v is not None}


def organism_ena(data: Any, name: str) -> dict[str, str]:
    """``{scientific_name, common_name, ncbi_taxon}`` from ENA's taxonomy by scientific name.

    Only a record whose scientific name is exactly ``name`` (case aside) is taken.
    """
    if not isinstance(data, list):
        raise LookupFailedError(f"organism {name!r}: the ENA answer is not a list of taxa")
    hits = [
        t
        for t in data
        if isinstance(t, dict)
        and str(t.get("scientificName", "")).casefold() == name.strip().casefold()
        and _text(t.get("taxId"))
    ]
    if len(hits) != 1:
        raise LookupFailedError(f"organism {name!r}: ENA has {len(hits)} taxa of that name")
    out = {"scientific_name": str(hits[0]["scientificName"]), "ncbi_taxon": str(hits[0]["taxId"])}
    common = _text(hits[0].get("commonName"))
    if common:
        out["common_name"] = common
    return out
