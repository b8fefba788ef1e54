"""The services' base URLs (each replaceable by an environment variable) and their record URLs."""

from __future__ import annotations

import os
import urllib.parse

__all__ = [
    "BASES",
    "base_url",
    "crossref_url",
    "europepmc_url",
    "orcid_url",
    "ror_url",
    "taxon_url",
]

BASES = {
    "orcid": ("CLXM_META_ORCID_URL", "https://pub.orcid.org/v3.0"),
    "crossref": ("CLXM_META_CROSSREF_URL", "https://api.crossref.org"),
    "europepmc": ("CLXM_META_EUROPEPMC_URL", "https://www.ebi.ac.uk/europepmc/webservices/rest"),
    "ror": ("CLXM_META_ROR_URL", "https://api.ror.org/v2"),
    "ena": ("CLXM_META_ENA_URL", "https://www.ebi.ac.uk/ena/taxonomy/rest"),
}
"""Service → (environment variable, default base URL)."""


def base_url(service: str) -> str:
    """The base URL of ``service``: its environment variable, else the public API."""
    env, default = BASES[service]
    return (os.environ.get(env) or default).rstrip("/")


def orcid_url(orcid: str) -> str:
    """The ORCID public API record of ``orcid`` (v3.0 JSON)."""
    return f"{base_url('orcid')}/{orcid}/record"


def crossref_url(doi: str) -> str:
    """The Crossref REST API work of ``doi``."""
    return f"{base_url('crossref')}/works/{urllib.parse.quote(doi, safe='')}"


def europepmc_url(*, pmid: str | None = None, doi: str | None = None) -> str:
    """The Europe PMC search (core result type) for one PubMed id or DOI."""
    query = f"EXT_ID:{pmid} AND SRC:MED" if pmid is not None else f'DOI:"{doi}"'
    params = urllib.parse.urlencode({"query": query, "resultType": "core", "format": "json"})
    return f"{base_url('europepmc')}/search?{params}"


def ror_url(*, ror_id: str | None = None, affiliation: str | None = None) -> str:
    """A ROR organisation by id, or the ROR affiliation matching of a name."""
    if ror_id is not None:
        return f"{base_url('ror')}/organizations/{ror_id.rstrip('/').rsplit('/', 1)[-1]}"
    params = urllib.parse.urlencode({"affiliation": affiliation or ""})
    return f"{base_url('ror')}/organizations?{params}"


def taxon_url(scientific_name: str) -> str:
    """The ENA taxonomy record(s) of a scientific name (gives the NCBI taxon id)."""
    return f"{base_url('ena')}/scientific-name/{urllib.parse.quote(scientific_name.strip())}"
