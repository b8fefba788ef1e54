"""The sidecar's ``citation:`` and ``empiar:`` blocks: what EMPIAR asks for beyond Table 1.

``citation`` is the publication the EMPIAR entry cites (EMPIAR requires one, published or not)::

    citation:
      status: unpublished          # published | unpublished | preprint
      title: Correlative cryo-SIM and cryo-SXT of U2OS cells
      journal: ...                 # published / preprint only
      journal_abbreviation: ...
      volume: "18"
      issue: "3"
      first_page: "100"
      last_page: "112"
      year: 2024
      doi: 10.1016/j.xpro.2021.100529   # default: general.publication_doi
      pubmed_id: "34027487"
      language: English
      authors: ["Carberry, J"]     # default: the people of general.people, in order;
                                   # or [{name: "Carberry, J", orcid: 0000-0002-1825-0097}]

``empiar`` holds the entry-level choices with no Table 1 row::

    empiar:
      scale: cell                  # molecule | virus | cell | tissue | organism

Parsing returns the values and a list of problems ``(message, key path)`` that the loader turns
into line-numbered findings; a bad value is left out, the rest is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clxm_meta.sidecar.messages import did_you_mean
from clxm_meta.sidecar.validate import (
    doi_valid,
    normalise_doi,
    normalise_orcid,
    orcid_checksum_ok,
)

__all__ = [
    "CITATION_KEYS",
    "CITATION_STATUSES",
    "EMPIAR_KEYS",
    "SCALES",
    "Citation",
    "EmpiarOptions",
    "Problem",
    "parse_citation",
    "parse_empiar",
]

CITATION_STATUSES = ("published", "unpublished", "preprint")
"""What ``citation.status`` may say."""

SCALES = {"molecule": "1", "virus": "2", "cell": "3", "tissue": "4", "organism": "5"}
"""EMPIAR ``scale`` codes (a string in the schema) by the word the sidecar uses."""

_TEXT_KEYS = {
    "title": 255,
    "journal": 255,
    "journal_abbreviation": 255,
    "volume": 8,
    "issue": 255,
    "first_page": 8,
    "last_page": 8,
    "language": 40,
    "details": 65535,
}
"""Free-text citation keys and the longest text EMPIAR accepts for each."""

CITATION_KEYS = ("status", *_TEXT_KEYS, "year", "doi", "pubmed_id", "authors")
"""Every key of the ``citation`` block."""

EMPIAR_KEYS = ("scale",)
"""Every key of the ``empiar`` block."""

Problem = tuple[str, tuple[str, ...]]
"""A message and the YAML key path it concerns."""


@dataclass
class Citation:
    """The ``citation`` block, validated (``None``: not given)."""

    status: str | None = None
    title: str | None = None
    journal: str | None = None
    journal_abbreviation: str | None = None
    volume: str | None = None
    issue: str | None = None
    first_page: str | None = None
    last_page: str | None = None
    language: str | None = None
    details: str | None = None
    year: int | None = None
    doi: str | None = None
    pubmed_id: str | None = None
    authors: list[str] | None = None
    author_orcids: list[str | None] | None = None
    """The ORCID of each author (same order), when an author is given as ``{name, orcid}``."""
    lines: dict[str, int] = field(default_factory=dict)
    """Line of each key in the sidecar."""


@dataclass
class EmpiarOptions:
    """The ``empiar`` block, validated."""

    scale: str | None = None
    """The scale code, ``"1"`` … ``"5"``."""
    lines: dict[str, int] = field(default_factory=dict)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool | dict | list):
        raise ValueError("expected text")
    text = str(value).strip()
    return text or None


def _author(value: Any) -> tuple[str | None, str | None]:
    """``"Surname, Initials"`` or ``{name: ..., orcid: ...}`` → (name, ORCID)."""
    if isinstance(value, dict):
        extra = sorted(set(map(str, value)) - {"name", "orcid"})
        if extra:
            raise ValueError(f"an author is a name or {{name, orcid}}, not {extra}")
        name, orcid = _text(value.get("name")), _text(value.get("orcid"))
        if orcid is not None:
            if not orcid_checksum_ok(orcid):
                raise ValueError(f"author ORCID {orcid!r} fails the ISO 7064 MOD 11-2 check digit")
            orcid = normalise_orcid(orcid)
        return name, orcid
    return _text(value), None


def parse_citation(block: Any, line_of: dict[str, int]) -> tuple[Citation | None, list[Problem]]:
    """Validate the ``citation`` block (``block`` as YAML gave it; ``line_of`` key → line)."""
    problems: list[Problem] = []
    if block is None:
        return None, problems
    if not isinstance(block, dict):
        return None, [("citation: expected a mapping (status, title, journal, ...)", ("citation",))]
    cit = Citation(lines=dict(line_of))
    for key, raw in block.items():
        key = str(key)
        where = ("citation", key)
        if key not in CITATION_KEYS:
            hint = did_you_mean(key, CITATION_KEYS)
            problems.append(
                (f"citation.{key}: unknown key{hint} (known: {', '.join(CITATION_KEYS)})", where)
            )
            continue
        try:
            if key == "status":
                text = _text(raw)
                if text is not None and text.lower() not in CITATION_STATUSES:
                    raise ValueError(f"expected one of {', '.join(CITATION_STATUSES)}")
                cit.status = text.lower() if text else None
            elif key in _TEXT_KEYS:
                text = _text(raw)
                if text is not None and len(text) > _TEXT_KEYS[key]:
                    raise ValueError(f"longer than the {_TEXT_KEYS[key]} characters EMPIAR takes")
                setattr(cit, key, text)
            elif key == "year":
                if raw is not None:
                    if isinstance(raw, bool) or not str(raw).strip().isdigit():
                        raise ValueError("expected a four-digit year")
                    year = int(str(raw).strip())
                    if not 1000 <= year <= 9999:
                        raise ValueError("expected a four-digit year")
                    cit.year = year
            elif key == "doi":
                text = _text(raw)
                if text is not None:
                    if not doi_valid(text):
                        raise ValueError("not a DOI (10.nnnn/...)")
                    cit.doi = normalise_doi(text)
            elif key == "pubmed_id":
                text = _text(raw)
                if text is not None and not (text.isdigit() and len(text) <= 8):
                    raise ValueError("expected the PubMed id, up to 8 digits")
                cit.pubmed_id = text
            elif key == "authors":
                if raw is None:
                    continue
                items = raw if isinstance(raw, list) else [raw]
                names: list[str] = []
                orcids: list[str | None] = []
                for v in items:
                    name, orcid = _author(v)
                    if name:
                        names.append(name)
                        orcids.append(orcid)
                cit.authors = names or None
                cit.author_orcids = orcids if any(orcids) else None
        except ValueError as exc:
            problems.append((f"citation.{key} {raw!r}: {exc}; ignored", where))
    return cit, problems


def parse_empiar(block: Any, line_of: dict[str, int]) -> tuple[EmpiarOptions | None, list[Problem]]:
    """Validate the ``empiar`` block."""
    if block is None:
        return None, []
    if not isinstance(block, dict):
        return None, [("empiar: expected a mapping (scale)", ("empiar",))]
    opts = EmpiarOptions(lines=dict(line_of))
    problems: list[Problem] = []
    for key, raw in block.items():
        key = str(key)
        if key not in EMPIAR_KEYS:
            problems.append(
                (f"empiar.{key}: unknown key (known: {', '.join(EMPIAR_KEYS)})", ("empiar", key))
            )
            continue
        if raw is None:
            continue
        text = str(raw).strip().lower()
        code = SCALES.get(text) or (text if text in SCALES.values() else None)
        if code is None:
            problems.append(
                (
                    f"empiar.scale {raw!r}: expected one of {', '.join(SCALES)}; ignored",
                    ("empiar", key),
                )
            )
        else:
            opts.scale = code
    return opts, problems
