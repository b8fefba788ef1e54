"""Read a depositor sidecar (YAML) safely, keeping the line of every key.

Layout (docs/sidecar.md)::

    version: 1
    release_instruction: HPUB          # EMPIAR: REL, EMDBPUB, HPUB, HOLD
    all:                               # Table 1 rows for every dataset
      general.people: [...]
    samples:
      sample1: {sample.sample_id: ...}
    datasets:
      sample1/SIM/cell1: {kind: SIM, general.title: ..., release_instruction: ...}
    pairs:
      - {sim: sample1/SIM/cell1, sxt: sample1/SXT/ts1}

The most specific entry wins: dataset > sample > all. Invalid entries become findings that name the
line, and are left out; a file that is not YAML at all raises `SidecarError`.
"""

from __future__ import annotations

import datetime
import itertools
import os
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from clxm_meta.errors import SidecarError
from clxm_meta.findings import Finding, Severity
from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.records.fields import DatasetKind, field_spec, fields_for
from clxm_meta.records.models import record_class
from clxm_meta.records.provenance import Source, SourceKind
from clxm_meta.records.value import Value
from clxm_meta.sidecar.citation import Citation, EmpiarOptions, parse_citation, parse_empiar
from clxm_meta.sidecar.countries import EMPIAR_COUNTRIES, country_hint
from clxm_meta.sidecar.messages import did_you_mean
from clxm_meta.sidecar.parse import parse_text
from clxm_meta.sidecar.safe_yaml import load_file
from clxm_meta.sidecar.shape import expected, slot_type
from clxm_meta.sidecar.validate import (
    RELEASE_INSTRUCTIONS,
    accession_kind,
    doi_valid,
    email_valid,
    grant_id_valid,
    normalise_orcid,
    orcid_checksum_ok,
)

__all__ = ["SIDECAR_NAME", "Entry", "Sidecar", "clean", "load_citation", "load_sidecar"]

SIDECAR_NAME = "clxm.yaml"
"""The sidecar file name looked for at the root of a deposition tree."""

TOP_KEYS = (
    "version",
    "release_instruction",
    "all",
    "samples",
    "datasets",
    "pairs",
    "biostudies",
    "citation",
    "empiar",
    "facility",
)
DATASET_META_KEYS = ("kind", "release_instruction")
SCOPE_RANK = {"all": 0, "sample": 1, "dataset": 2}


@dataclass(frozen=True)
class Entry:
    """One Table 1 value given in the sidecar."""

    scope: str
    """``"all"``, ``"sample"`` or ``"dataset"``."""
    target: str | None
    field: str
    value: Any
    line: int
    key: str
    """The YAML key path, e.g. ``datasets.sample1/SIM/cell1.general.title``."""


@dataclass
class Sidecar:
    """A parsed sidecar: valid entries, release instructions, explicit pairs and findings."""

    path: str
    entries: list[Entry] = field(default_factory=list)
    release: dict[tuple[str, str | None], tuple[str, int]] = field(default_factory=dict)
    pairs: list[tuple[str, str, str]] | None = None
    samples: set[str] = field(default_factory=set)
    datasets: dict[str, tuple[DatasetKind | None, int]] = field(default_factory=dict)
    citation: Citation | None = None
    """The ``citation`` block (EMPIAR's citation), validated."""
    empiar: EmpiarOptions | None = None
    """The ``empiar`` block (entry-level choices such as the scale), validated."""
    facility: str | None = None
    """The ``facility`` key: a shipped facility profile's name or a profile path
    (`clxm_meta.sidecar.facility`)."""
    findings: list[Finding] = field(default_factory=list)

    _index: tuple[list[Entry], int, dict[tuple[str, str | None], list[Entry]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    """`_by_target`'s index, with the ``entries`` list it was made from and its length then."""

    def _by_target(self) -> dict[tuple[str, str | None], list[Entry]]:
        """The entries by ``(scope, target)`` (``("all", None)`` for the top level), in order.

        Made on first use and again whenever ``entries`` was replaced or grew.
        """
        index = self._index
        if index is None or index[0] is not self.entries or index[1] != len(self.entries):
            table: dict[tuple[str, str | None], list[Entry]] = {}
            for e in self.entries:
                key = ("all", None) if e.scope == "all" else (e.scope, e.target)
                table.setdefault(key, []).append(e)
            index = self._index = (self.entries, len(self.entries), table)
        return index[2]

    def source(self, e: Entry) -> Source:
        """The provenance of a sidecar entry."""
        return Source(
            kind=SourceKind.SIDECAR,
            path=self.path,
            reader="sidecar",
            locator=f"{e.key} (line {e.line})",
        )

    def candidates(self, kind: DatasetKind, dataset: str, sample: str | None) -> list[Candidate]:
        """The sidecar's values for one dataset, the most specific entry per row."""
        best: dict[str, Entry] = {}
        by_target = self._by_target()
        # scope by scope, each in entry order: the same choice as one pass over every entry
        # (the most specific scope wins, then the first given), without reading the entries
        # of every other dataset and sample (a pass over all of them per dataset grew with the
        # square of the archive)
        applying = itertools.chain(
            by_target.get(("all", None), ()),
            by_target.get(("sample", sample), ()),
            by_target.get(("dataset", dataset), ()),
        )
        for e in applying:
            try:
                spec = field_spec(kind, e.field)
            except KeyError:
                continue
            cur = best.get(e.field)
            if cur is None or SCOPE_RANK[e.scope] > SCOPE_RANK[cur.scope]:
                best[e.field] = e
            del spec
        out = []
        for fid, e in sorted(best.items()):
            out.append(
                Candidate(
                    field=fid,
                    kind=kind,
                    value=e.value,
                    unit=field_spec(kind, fid).unit,
                    source=self.source(e),
                    precedence=Precedence.SIDECAR,
                )
            )
        return out

    def release_instruction(self, dataset: str, sample: str | None) -> tuple[str, str] | None:
        """``(instruction, locator)`` for a dataset: dataset > sample > top level."""
        for key in (("dataset", dataset), ("sample", sample), ("all", None)):
            hit = self.release.get(key)
            if hit is not None:
                return hit[0], f"line {hit[1]}"
        return None


def _plain_type(value: Any) -> str:
    """What the depositor wrote, in YAML words (for "got a list, expected a mapping …")."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"{value!r}"


def _row_ids() -> list[str]:
    return sorted({s.id for kd in DatasetKind for s in fields_for(kd)})


def _lines(node: yaml.Node, prefix: tuple[str, ...], out: dict[tuple[str, ...], int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = (*prefix, str(k.value))
            out[key] = k.start_mark.line + 1
            _lines(v, key, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            key = (*prefix, str(i))
            out[key] = v.start_mark.line + 1
            _lines(v, key, out)


def clean(value: Any) -> Any:
    """Drop unfilled parts: ``None``/empty strings, empty lists and mappings (→ ``None``)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, datetime.date):  # YAML reads 2021-05-03 as a date
        return value.isoformat()
    if isinstance(value, dict):
        d = {str(k): c for k, v in value.items() if (c := clean(v)) is not None}
        return d or None
    if isinstance(value, list):
        items = [c for v in value if (c := clean(v)) is not None]
        return items or None
    return value


class _Loader:
    def __init__(self, path: str, data: dict[str, Any], lines: dict[tuple[str, ...], int]) -> None:
        self.sc = Sidecar(path=path)
        self.data = data
        self.lines = lines
        self.checks: dict[DatasetKind, Any] = {}

    def _check_record(self, kind: DatasetKind) -> Any:
        """One scratch record per kind that every entry's value is validated on (by assignment).

        A record has no cross-field validators, so a value's verdict does not depend on what
        was assigned before; a new record per entry cost a deep copy of every default (most of
        loading a sidecar that names thousands of datasets).
        """
        rec = self.checks.get(kind)
        if rec is None:
            rec = self.checks[kind] = record_class(kind)(name="check")
        return rec

    def line(self, *key: str) -> int:
        return self.lines.get(tuple(key), 1)

    def find(
        self, code: str, severity: Severity, msg: str, *key: str, fld: str | None = None
    ) -> None:
        self.sc.findings.append(
            Finding.make(
                f"sidecar.{code}",
                severity,
                msg,
                path=self.sc.path,
                field=fld,
                locator=f"line {self.line(*key)}",
            )
        )

    def run(self) -> Sidecar:
        for key in self.data:
            if key not in TOP_KEYS:
                hint = did_you_mean(str(key), [*TOP_KEYS, *_row_ids()])
                self.find(
                    "unknown_key",
                    Severity.WARNING,
                    f"unknown top-level key {key!r}{hint} (known: {', '.join(TOP_KEYS)}; Table 1 "
                    "rows go under all, samples.<name> or datasets.<name>)",
                    str(key),
                )
        rel = self.data.get("release_instruction")
        if clean(rel) is not None:
            self._release(("all", None), rel, ("release_instruction",))
        self._rows("all", None, self.data.get("all"), ("all",))
        self._section("samples", "sample")
        self._section("datasets", "dataset")
        self._pairs()
        self._biostudies()
        self._blocks()
        fac = self.data.get("facility")
        if isinstance(fac, str) and fac.strip():
            self.sc.facility = fac.strip()
        elif fac is not None:
            self.find(
                "bad_value",
                Severity.ERROR,
                "facility: expected a profile name (diamond-b24) or the path of a profile file",
                "facility",
            )
        return self.sc

    def _biostudies(self) -> None:
        from clxm_meta.sidecar.biostudies import parse_block

        def line(key: str) -> int:
            return self.line("biostudies", key) if key != "biostudies" else self.line(key)

        self.sc.findings.extend(
            parse_block(self.data.get("biostudies"), self.sc.path, line).findings
        )

    def _block_lines(self, top: str) -> dict[str, int]:
        return {k[1]: v for k, v in self.lines.items() if len(k) == 2 and k[0] == top}

    def _blocks(self) -> None:
        cit, problems = parse_citation(self.data.get("citation"), self._block_lines("citation"))
        opts, more = parse_empiar(self.data.get("empiar"), self._block_lines("empiar"))
        for msg, key in [*problems, *more]:
            self.find("bad_value", Severity.ERROR, msg, *key)
        self.sc.citation = cit
        self.sc.empiar = opts

    def _section(self, top: str, scope: str) -> None:
        block = self.data.get(top)
        if block is None:
            return
        if not isinstance(block, dict):
            self.find("bad_value", Severity.ERROR, f"{top}: expected a mapping of names", top)
            return
        for name, rows in block.items():
            name = str(name)
            kind: DatasetKind | None = None
            if scope == "sample":
                self.sc.samples.add(name)
            if isinstance(rows, dict) and scope == "dataset":
                k = clean(rows.get("kind"))
                if k is not None:
                    try:
                        kind = DatasetKind(str(k).upper())
                    except ValueError:
                        self.find(
                            "bad_value",
                            Severity.ERROR,
                            f"kind {k!r}: expected SIM or SXT",
                            top,
                            name,
                            "kind",
                        )
                r = rows.get("release_instruction")
                if clean(r) is not None:
                    self._release(("dataset", name), r, (top, name, "release_instruction"))
            if scope == "dataset":
                self.sc.datasets[name] = (kind, self.line(top, name))
            self._rows(scope, name, rows, (top, name), kind)

    def _release(self, target: tuple[str, str | None], value: Any, key: tuple[str, ...]) -> None:
        text = str(value).strip().upper()
        if text not in RELEASE_INSTRUCTIONS:
            self.find(
                "bad_release_instruction",
                Severity.ERROR,
                f"release_instruction {value!r}: expected one of {', '.join(RELEASE_INSTRUCTIONS)}",
                *key,
            )
            return
        self.sc.release[target] = (text, self.line(*key))

    def _rows(
        self,
        scope: str,
        target: str | None,
        rows: Any,
        key: tuple[str, ...],
        kind: DatasetKind | None = None,
    ) -> None:
        if rows is None:
            return
        if not isinstance(rows, dict):
            self.find(
                "bad_value",
                Severity.ERROR,
                f"{'.'.join(key)}: expected a mapping of Table 1 rows",
                *key,
            )
            return
        kinds = [kind] if kind is not None else list(DatasetKind)
        for fid, raw in rows.items():
            fid = str(fid)
            if scope == "dataset" and fid in DATASET_META_KEYS:
                continue
            k = (*key, fid)
            valid_kinds = [kd for kd in kinds if any(s.id == fid for s in fields_for(kd))]
            if not valid_kinds:
                where = f"a {kind} Table 1 row" if kind else "a Table 1 row"
                known = {s.id for kd in kinds for s in fields_for(kd)}
                if scope == "dataset":
                    known.update(DATASET_META_KEYS)
                self.find(
                    "unknown_key",
                    Severity.WARNING,
                    f"{fid!r} is not {where}{did_you_mean(fid, sorted(known))}; ignored",
                    *k,
                    fld=fid,
                )
                continue
            value = clean(raw)
            if value is None:
                continue
            value = self._check_ids(fid, value, k)
            if value is None:
                continue
            if isinstance(value, str):
                value = self._parse_text(valid_kinds, fid, value, k)
                if value is None:
                    continue
            ok = True
            for kd in valid_kinds:
                try:
                    self._check_record(kd).set(
                        fid, Value[Any](value=value, source=Source(kind=SourceKind.SIDECAR))
                    )
                except ValidationError as exc:
                    err = exc.errors()[0]
                    loc = ".".join(str(p) for p in err["loc"][1:] if p not in ("value",))
                    self.find(
                        "bad_value",
                        Severity.ERROR,
                        (
                            f"{fid}: {err['msg'].lower()} at {loc}: "
                            if loc
                            else f"{fid}: got {_plain_type(value)}, "
                        )
                        + f"{expected(kd, fid)}; ignored",
                        *k,
                        fld=fid,
                    )
                    ok = False
                    break
            if ok:
                self.sc.entries.append(Entry(scope, target, fid, value, self.line(*k), ".".join(k)))

    def _parse_text(self, kinds: list[DatasetKind], fid: str, text: str, k: tuple[str, ...]) -> Any:
        """A string where a structure is expected: parsed when unambiguous, else refused."""
        from pydantic import BaseModel

        tp = slot_type(kinds[0], fid)
        if not (isinstance(tp, type) and issubclass(tp, BaseModel)):
            return text
        parsed = parse_text(kinds[0], fid, text)
        if parsed is None:
            self.find(
                "bad_value",
                Severity.ERROR,
                f"{fid}: {text!r} cannot be read as the row's keys: {expected(kinds[0], fid)}; "
                "ignored",
                *k,
                fld=fid,
            )
        return parsed

    def _check_contact(
        self, person: dict[str, Any], k: tuple[str, ...], fid: str
    ) -> dict[str, Any]:
        """Drop (with a line-numbered error) an invalid email or country of one person."""
        email = person.get("email")
        if email is not None and not (isinstance(email, str) and email_valid(email)):
            self.find(
                "bad_email",
                Severity.ERROR,
                f"email {email!r} of {person.get('name')!r} is not an address (name@domain.tld)",
                *k,
                "email",
                fld=fid,
            )
            person = {kk: vv for kk, vv in person.items() if kk != "email"}
        elif isinstance(email, str):
            person = {**person, "email": email.strip()}
        country = person.get("country")
        if country is not None:
            code = str(country).strip().upper()
            if code in EMPIAR_COUNTRIES:
                person = {**person, "country": code}
            else:
                self.find(
                    "bad_country",
                    Severity.ERROR,
                    f"country {country!r} of {person.get('name')!r} is not an ISO 3166-1 alpha-2 "
                    f"code that EMPIAR accepts{country_hint(str(country))}",
                    *k,
                    "country",
                    fld=fid,
                )
                person = {kk: vv for kk, vv in person.items() if kk != "country"}
        return person

    def _check_grant(self, item: Any, k: tuple[str, ...], fid: str) -> Any:
        """Drop (with a line-numbered error) a grant id that is not printable ASCII."""
        if not isinstance(item, dict) or item.get("grant_id") is None:
            return item
        grant = str(item["grant_id"])
        if grant_id_valid(grant):
            return item
        self.find(
            "bad_grant_id",
            Severity.ERROR,
            f"grant id {grant!r} of {item.get('agency')!r} is not printable ASCII (look-alike "
            "digits or letters?); type it in plain ASCII",
            *k,
            "grant_id",
            fld=fid,
        )
        return {kk: vv for kk, vv in item.items() if kk != "grant_id"}

    def _check_ids(self, fid: str, value: Any, k: tuple[str, ...]) -> Any:
        if fid == "general.people" and isinstance(value, list):
            fixed = []
            for i, person in enumerate(value):
                if isinstance(person, dict):
                    person = self._check_contact(person, (*k, str(i)), fid)
                if isinstance(person, dict) and isinstance(person.get("orcid"), str):
                    orcid = person["orcid"]
                    if not orcid_checksum_ok(orcid):
                        self.find(
                            "bad_orcid",
                            Severity.ERROR,
                            f"ORCID {orcid!r} of {person.get('name')!r} fails the ISO 7064 MOD 11-2 "
                            "check digit (or is not dddd-dddd-dddd-dddX)",
                            *k,
                            str(i),
                            "orcid",
                            fld=fid,
                        )
                        person = {kk: vv for kk, vv in person.items() if kk != "orcid"}
                    else:
                        person = {**person, "orcid": normalise_orcid(orcid)}
                fixed.append(person)
            return fixed
        if fid == "general.funding" and isinstance(value, list):
            return [self._check_grant(item, (*k, str(i)), fid) for i, item in enumerate(value)]
        if fid == "related.accessions":
            items = value if isinstance(value, list) else [value]
            good = []
            for i, acc in enumerate(items):
                if isinstance(acc, str) and accession_kind(acc) is not None:
                    good.append(acc.strip())
                else:
                    self.find(
                        "bad_accession",
                        Severity.ERROR,
                        f"accession {acc!r} matches neither S-BIADnnn (BioStudies) nor "
                        "EMPIAR-nnnnn; ignored",
                        *(k if not isinstance(value, list) else (*k, str(i))),
                        fld=fid,
                    )
            return good or None
        if fid == "general.publication_doi" and isinstance(value, str) and not doi_valid(value):
            self.find(
                "bad_doi",
                Severity.WARNING,
                f"{value!r} does not look like a DOI (10.nnnn/...)",
                *k,
                fld=fid,
            )
        return value

    def _pairs(self) -> None:
        block = self.data.get("pairs")
        if block is None:
            return
        if not isinstance(block, list):
            self.find(
                "bad_value",
                Severity.ERROR,
                "pairs: expected a list of {sim: ..., sxt: ...}",
                "pairs",
            )
            return
        pairs: list[tuple[str, str, str]] = []
        for i, item in enumerate(block):
            if (
                isinstance(item, dict)
                and isinstance(item.get("sim"), str)
                and isinstance(item.get("sxt"), str)
            ):
                pairs.append(
                    (item["sim"], item["sxt"], f"pairs[{i}], line {self.line('pairs', str(i))}")
                )
            elif clean(item) is not None:
                self.find(
                    "bad_value",
                    Severity.ERROR,
                    "pairs: each item needs 'sim' and 'sxt' dataset names",
                    "pairs",
                    str(i),
                )
        self.sc.pairs = pairs or None


def load_sidecar(path: str | os.PathLike[str]) -> Sidecar:
    """Read and validate a sidecar.

    Raises
    ------
    SidecarError
        The file cannot be read, is not a regular file of at most 1 MiB, is not YAML, is refused
        by `clxm_meta.sidecar.safe_yaml` (nesting, aliases, duplicate keys, impossible values,
        control characters: the message names the line) or its top level is not a mapping.
    """
    p = os.fspath(path)
    parsed = load_file(p)
    data, node = parsed.data, parsed.node
    if data is None:
        return Sidecar(path=p)
    if not isinstance(data, dict):
        raise SidecarError("the sidecar's top level must be a mapping (key: value)", path=p)
    lines: dict[tuple[str, ...], int] = {}
    if node is not None:
        _lines(node, (), lines)
    return _Loader(p, data, lines).run()


def load_citation(path: str | os.PathLike[str]) -> Citation | None:
    """The sidecar's ``citation`` block alone, as `load_sidecar` gives it in ``.citation``.

    An export that needs only the citation asks for it here instead of validating the whole
    sidecar again: the YAML parse is shared (`load_file`), and the rest of the file (every
    sample's and dataset's rows) is not looked at, so a deposit of n datasets stays linear in n.

    Raises
    ------
    SidecarError
        As `load_sidecar`.
    """
    p = os.fspath(path)
    parsed = load_file(p)
    data, node = parsed.data, parsed.node
    if data is None:
        return None
    if not isinstance(data, dict):
        raise SidecarError("the sidecar's top level must be a mapping (key: value)", path=p)
    lines: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if str(k.value) == "citation":
                lines[("citation",)] = k.start_mark.line + 1
                _lines(v, ("citation",), lines)
    block = {k[1]: v for k, v in lines.items() if len(k) == 2 and k[0] == "citation"}
    return parse_citation(data.get("citation"), block)[0]
