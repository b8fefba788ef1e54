"""Validators for depositor-supplied identifiers (ORCID, accessions, DOI, release instruction)."""

from __future__ import annotations

import re

__all__ = [
    "ACCESSION_PATTERNS",
    "RELEASE_INSTRUCTIONS",
    "accession_kind",
    "doi_valid",
    "email_valid",
    "grant_id_valid",
    "normalise_doi",
    "normalise_orcid",
    "orcid_checksum_ok",
]

ACCESSION_PATTERNS = {
    "BioStudies": re.compile(r"S-BIAD[0-9]+", re.ASCII),
    "EMPIAR": re.compile(r"EMPIAR-[0-9]{5,}", re.ASCII),
}
"""Accession forms the protocol names: ``S-BIADnnn`` (BioStudies) and ``EMPIAR-nnnnn``."""

RELEASE_INSTRUCTIONS = {
    "REL": "release as soon as processing has finished and the depositor approved the entry",
    "EMDBPUB": "wait for the associated EMDB entry to be released",
    "HPUB": "wait for the primary citation, or one year after deposition (whichever comes first)",
    "HOLD": "wait one year after deposition",
}
"""EMPIAR release instructions (protocol, Table 3)."""

_ORCID = re.compile(r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]", re.ASCII)
_DOI = re.compile(r"10\.[0-9]{4,9}/[!-~]+", re.ASCII)
"""Identifiers accept ASCII only: ``\\d`` would take full-width and Arabic-Indic digits too."""
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


def normalise_orcid(text: str) -> str:
    """Strip an ``https://orcid.org/`` prefix and surrounding space; upper-case the check ``x``."""
    t = text.strip()
    for prefix in ("https://orcid.org/", "http://orcid.org/", "orcid.org/"):
        if t.lower().startswith(prefix):
            t = t[len(prefix) :]
    return t.upper()


def orcid_checksum_ok(orcid: str) -> bool:
    """True when ``orcid`` has the form ``dddd-dddd-dddd-dddX`` and its ISO 7064 MOD 11-2 check digit fits."""
    o = normalise_orcid(orcid)
    if not _ORCID.fullmatch(o):
        return False
    digits = o.replace("-", "")
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return digits[-1] == expected


def accession_kind(acc: str) -> str | None:
    """``"BioStudies"`` or ``"EMPIAR"`` when ``acc`` matches that archive's pattern, else ``None``."""
    for name, pattern in ACCESSION_PATTERNS.items():
        if pattern.fullmatch(acc.strip()):
            return name
    return None


def doi_valid(doi: str) -> bool:
    """True for a bare DOI ``10.nnnn/...`` (an ``https://doi.org/`` prefix is accepted)."""
    d = doi.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "doi:"):
        if d.lower().startswith(prefix):
            d = d[len(prefix) :]
    return bool(_DOI.fullmatch(d))


def normalise_doi(doi: str) -> str:
    """A bare DOI: strip an ``https://doi.org/`` or ``doi:`` prefix and surrounding space."""
    d = doi.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if d.lower().startswith(prefix):
            d = d[len(prefix) :]
    return d


def grant_id_valid(grant: str) -> bool:
    """True for a grant number in printable ASCII (funders' numbers are; look-alike digits are not)."""
    g = grant.strip()
    return bool(g) and all(" " <= ch <= "~" for ch in g)


def email_valid(email: str) -> bool:
    """True for ``local@domain.tld`` (one ``@``, no spaces, a dot in the domain).

    Stricter than the ``email`` format of the EMPIAR schema's validator (which only looks for an
    ``@``), looser than RFC 5322: enough to catch a typo before the archive's server does.
    """
    return bool(_EMAIL.match(email.strip()))
