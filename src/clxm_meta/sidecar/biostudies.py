"""The sidecar's ``biostudies:`` block: study facts BioStudies asks for that are not Table 1 rows.

REMBI (and the BioImage Archive's BioImages.v4 template) requires a study description, keywords,
a licence, the organism and biological entity of the biosample and the specimen's preparation
protocol. No file knows them and Table 1 has no row for them, so they have their own block::

    biostudies:
      release_date: 2026-06-01        # BioStudies ReleaseDate (YYYY-MM-DD)
      description: Cryo-SIM and cryo-SXT of ...
      keywords: [cryo-SIM, soft X-ray tomography]
      license: CC0                    # or "CC BY 4.0"
      organism: {scientific_name: Homo sapiens, common_name: human, ncbi_taxon: "9606"}
      biological_entity: U2OS cells
      sample_preparation: Cells grown on gold finder grids, plunge frozen ...
      growth_protocol: ...
      acknowledgements: ...           # BioImages.v5 Study attributes (optional)
      funding_statement: ...
      organisations:                  # per affiliation named in general.people (optional)
        Example University: {ror: https://ror.org/0220mzb33, address: London, UK}

Each value keeps the YAML line it came from; a bad value is a finding naming that line.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from clxm_meta.findings import Finding, Severity
from clxm_meta.sidecar.messages import did_you_mean

__all__ = [
    "BIOSTUDIES_KEYS",
    "LICENSES",
    "ORGANISATION_KEYS",
    "BiostudiesInfo",
    "load_biostudies",
    "parse_block",
    "ror_url",
]

BIOSTUDIES_KEYS = (
    "release_date",
    "description",
    "keywords",
    "license",
    "organism",
    "biological_entity",
    "sample_preparation",
    "growth_protocol",
    "acknowledgements",
    "funding_statement",
    "organisations",
)
"""The keys of the ``biostudies:`` block, in template order."""

ORGANISATION_KEYS = ("ror", "address")
"""What ``organisations.<affiliation>`` may give: its ROR id and postal address (BioImages.v5
``Organization`` section: ``RORID``, ``Address``)."""

_ROR_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_ROR = re.compile(r"^(?:https?://ror\.org/)?(0[0-9a-hjkmnp-tv-z]{6}[0-9]{2})$")

LICENSES = {
    "CC0": "https://creativecommons.org/publicdomain/zero/1.0/legalcode",
    "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/legalcode",
}
"""The licences the BioImage Archive offers, with their legal-code URL."""

ORGANISM_KEYS = ("scientific_name", "common_name", "ncbi_taxon")


def ror_url(text: str) -> str | None:
    """``text`` as ``https://ror.org/<id>`` when it is a ROR id with a valid checksum, else ``None``.

    A ROR id is ``0``, six Crockford base-32 characters and two check digits (ISO 7064 mod 97-10
    of the base-32 number), e.g. ``0220mzb33``; the full URL is accepted too.
    """
    m = _ROR.match(text.strip().lower())
    if m is None:
        return None
    ror = m.group(1)
    number = 0
    for c in ror[:7]:
        number = number * 32 + _ROR_ALPHABET.index(c)
    if 98 - (number * 100) % 97 != int(ror[7:]):
        return None
    return f"https://ror.org/{ror}"


_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass
class BiostudiesInfo:
    """The parsed block: values by key, the line of each, and findings."""

    path: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def get(self, key: str) -> Any:
        """The value of ``key`` (``None`` when not given)."""
        return self.values.get(key)

    def locator(self, key: str) -> str:
        """``biostudies.<key> (line n)``: where a value came from."""
        line = self.lines.get(key)
        return f"biostudies.{key}" + (f" (line {line})" if line else "")


def _real_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:  # 2026-02-30 has the form but is no day
        return False
    return True


def _text(v: Any) -> str | None:
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, str | int | float) and not isinstance(v, bool):
        s = str(v).strip()
        return s or None
    return None


def _line_map(node: yaml.Node | None) -> dict[str, int]:
    out: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return out
    for k, v in node.value:
        if k.value == "biostudies":
            out["biostudies"] = k.start_mark.line + 1
            if isinstance(v, yaml.MappingNode):
                for kk, _ in v.value:
                    out[str(kk.value)] = kk.start_mark.line + 1
    return out


def parse_block(block: Any, path: str | None, line: Callable[[str], int]) -> BiostudiesInfo:
    """Validate the ``biostudies:`` block ``block`` (the YAML value, ``None`` when absent).

    Parameters
    ----------
    block
        The block as loaded by YAML.
    path
        The sidecar, named by the findings.
    line
        The 1-based line of a key of the block (``"biostudies"`` for the block itself).
    """
    info = BiostudiesInfo(path=path)
    if block is None:
        return info

    def bad(key: str, msg: str, severity: Severity = Severity.ERROR) -> None:
        info.findings.append(
            Finding.make(
                "sidecar.bad_value" if severity is Severity.ERROR else "sidecar.unknown_key",
                severity,
                f"biostudies.{key}: {msg}" if key != "biostudies" else f"biostudies: {msg}",
                path=path,
                field=None,
                locator=f"line {line(key)}",
            )
        )

    if not isinstance(block, dict):
        bad("biostudies", "expected a mapping of keys")
        return info
    for key, raw in block.items():
        key = str(key)
        if key not in BIOSTUDIES_KEYS:
            hint = did_you_mean(key, BIOSTUDIES_KEYS)
            bad(
                key,
                f"unknown key{hint} (known: {', '.join(BIOSTUDIES_KEYS)}); ignored",
                Severity.WARNING,
            )
            continue
        if raw is None or raw == "" or raw == [] or raw == {}:
            continue
        value = _check(key, raw, bad)
        if value is not None:
            info.values[key] = value
            info.lines[key] = line(key)
    return info


def load_biostudies(path: str | os.PathLike[str] | None) -> BiostudiesInfo:
    """Read the ``biostudies:`` block of the sidecar at ``path`` (empty when ``None`` or absent).

    Raises
    ------
    SidecarError
        The file cannot be read or is not YAML (the main sidecar loader reports the same).
    """
    if path is None:
        return BiostudiesInfo()
    from clxm_meta.sidecar.safe_yaml import load_file

    p = os.fspath(path)
    parsed = load_file(p)  # bounded, hardened, parsed once per run (shared with load_sidecar)
    data = parsed.data
    lines = _line_map(parsed.node)
    block = data.get("biostudies") if isinstance(data, dict) else None
    return parse_block(block, p, lambda key: lines.get(key, lines.get("biostudies", 1)))


def _check(key: str, raw: Any, bad: Any) -> Any:
    if key == "keywords":
        items = raw if isinstance(raw, list) else [raw]
        words = [t for t in (_text(i) for i in items) if t]
        if len(words) != len(items):
            bad(key, "expected a list of words or phrases; non-text items ignored")
        return words or None
    if key == "organisations":
        return _organisations(raw, bad)
    if key == "organism":
        if isinstance(raw, str):
            return {"scientific_name": raw.strip()} if raw.strip() else None
        if not isinstance(raw, dict):
            bad(key, "expected {scientific_name, common_name, ncbi_taxon}")
            return None
        org = {k: t for k in ORGANISM_KEYS if (t := _text(raw.get(k)))}
        extra = sorted(set(map(str, raw)) - set(ORGANISM_KEYS))
        if extra:
            bad(key, f"unknown organism keys {extra}; ignored", Severity.WARNING)
        if "ncbi_taxon" in org and not re.fullmatch(
            r"(NCBI:txid)?\d+", org["ncbi_taxon"].replace("NCBITaxon:", "")
        ):
            bad(key, f"ncbi_taxon {org['ncbi_taxon']!r} is not a taxon number (e.g. 9606)")
            del org["ncbi_taxon"]
        return org or None
    text = _text(raw)
    if text is None:
        bad(key, "expected text")
        return None
    if key == "release_date" and not (_DATE.match(text) and _real_date(text)):
        bad(key, f"{text!r} is not a date YYYY-MM-DD")
        return None
    if key == "license":
        known = {k.casefold().replace("-", " "): k for k in LICENSES}
        canon = known.get(text.casefold().replace("-", " "))
        if canon is None:
            bad(key, f"{text!r}: the BioImage Archive offers {' or '.join(LICENSES)}")
            return None
        return canon
    return text


def _organisations(raw: Any, bad: Any) -> dict[str, dict[str, str]] | None:
    """``{affiliation: {ror, address}}``, each ROR checked (a bad one is left out)."""
    key = "organisations"
    if not isinstance(raw, dict):
        bad(key, "expected a mapping {affiliation name: {ror, address}}")
        return None
    out: dict[str, dict[str, str]] = {}
    for name, item in raw.items():
        org_name = _text(name)
        if org_name is None or not isinstance(item, dict):
            bad(key, f"{name!r}: expected {{ror, address}} under the affiliation's name")
            continue
        extra = sorted(set(map(str, item)) - set(ORGANISATION_KEYS))
        if extra:
            bad(key, f"{org_name}: unknown keys {extra}; ignored", Severity.WARNING)
        entry: dict[str, str] = {}
        ror = _text(item.get("ror"))
        if ror is not None:
            url = ror_url(ror) if ror.isascii() else None
            if url is None:
                bad(key, f"{org_name}: ror {ror!r} is not a ROR id (e.g. 0220mzb33)")
            else:
                entry["ror"] = url
        address = _text(item.get("address"))
        if address is not None:
            entry["address"] = address
        if entry:
            out[org_name] = entry
    return out or None
