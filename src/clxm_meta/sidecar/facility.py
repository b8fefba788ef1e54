"""Facility profiles: the Table 1 rows a facility supplies (``*`` in Table 1), shared by its users.

A profile is a YAML file (docs/sidecar.md, "Facility profiles")::

    profile: 1
    name: diamond-b24
    title: Diamond Light Source, beamline B24
    references:
      protocol: {title: ..., url: https://doi.org/...}
    rows:
      all:  {general.facility: {value: ..., source: protocol, quote: "..."}}
      SIM:  {setup.objective: {value: {na: 0.9}, source: ..., quote: ...}}
      SXT:  {...}

Every value must cite a public source (``source`` names a reference with an ``https://`` URL); a
profile with an uncited value is refused. The profiles shipped with clxm_meta are in
``clxm_meta/sidecar/profiles/`` and are named by their ``name`` (``--facility diamond-b24``); any
other profile is given by its path. Precedence: a file's own header > the depositor's sidecar >
the facility profile (`clxm_meta.normalise.merge`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from pydantic import ValidationError

from clxm_meta.errors import SidecarError
from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.records.fields import DatasetKind, field_spec
from clxm_meta.records.models import record_class
from clxm_meta.records.provenance import Source, SourceKind
from clxm_meta.records.value import Value
from clxm_meta.sidecar import safe_yaml

__all__ = ["FacilityProfile", "ProfileRow", "builtin_profiles", "load_profile"]

_SCOPES = ("all", "SIM", "SXT")


@dataclass(frozen=True)
class ProfileRow:
    """One value of a profile, with the public reference it was taken from."""

    scope: str
    """``all``, ``SIM`` or ``SXT``."""
    field: str
    value: Any
    url: str
    reference: str
    """The reference's title."""
    quote: str | None
    line: int


@dataclass
class FacilityProfile:
    """A loaded, validated facility profile."""

    name: str
    path: str
    title: str | None = None
    rows: list[ProfileRow] = field(default_factory=list)

    def candidates(self, kind: DatasetKind) -> list[Candidate]:
        """The profile's values for a dataset of ``kind`` (the kind's own row wins over ``all``)."""
        best: dict[str, ProfileRow] = {}
        for row in self.rows:
            if row.scope not in ("all", kind.value):
                continue
            try:
                field_spec(kind, row.field)
            except KeyError:
                continue
            if row.field not in best or row.scope != "all":
                best[row.field] = row
        return [
            Candidate(
                field=fid,
                kind=kind,
                value=row.value,
                unit=field_spec(kind, fid).unit,
                source=self.source(row),
                precedence=Precedence.FACILITY,
            )
            for fid, row in sorted(best.items())
        ]

    def source(self, row: ProfileRow) -> Source:
        """``facility profile <name>`` with the row's key and the public reference it cites."""
        quote = f': "{row.quote}"' if row.quote else ""
        return Source(
            kind=SourceKind.FACILITY,
            path=self.path,
            reader=f"facility profile {self.name}",
            locator=f"rows.{row.scope}.{row.field} (line {row.line})",
            transform=f"cited: {row.reference} <{row.url}>{quote}",
        )


def builtin_profiles() -> dict[str, str]:
    """The profiles shipped with clxm_meta: name → path."""
    folder = resources.files("clxm_meta.sidecar") / "profiles"
    out: dict[str, str] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".yaml"):
            out[entry.name[: -len(".yaml")]] = str(entry)
    return dict(sorted(out.items()))


def _resolve(spec: str, base_dir: str | None) -> str:
    shipped = builtin_profiles()
    if spec in shipped:
        return shipped[spec]
    path = spec if base_dir is None or os.path.isabs(spec) else os.path.join(base_dir, spec)
    if os.path.isfile(path):
        return path
    raise SidecarError(
        f"no facility profile {spec!r}: give a shipped profile ({', '.join(shipped)}) or the "
        "path of a profile YAML file (docs/sidecar.md, Facility profiles)",
        path=path,
    )


def _lines(node: yaml.Node | None) -> dict[tuple[str, ...], int]:
    out: dict[tuple[str, ...], int] = {}

    def walk(n: yaml.Node, prefix: tuple[str, ...]) -> None:
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                key = (*prefix, str(k.value))
                out[key] = k.start_mark.line + 1
                walk(v, key)

    if node is not None:
        walk(node, ())
    return out


def load_profile(spec: str, base_dir: str | None = None) -> FacilityProfile:
    """Load a facility profile by shipped name (``diamond-b24``) or path.

    Parameters
    ----------
    spec
        A shipped profile's name, or a path (relative paths are taken from ``base_dir``, the
        sidecar's folder, when given).
    base_dir
        The folder relative paths start from.

    Raises
    ------
    SidecarError
        Unknown name, unreadable file, not YAML, or a value that is invalid or cites no source.
    """
    path = _resolve(spec, base_dir)
    # The sidecar's own hardened reader: a regular file of bounded size, no alias bombs, no
    # recursion, depth and duplicate keys refused (a profile may be any file a user names).
    parsed = safe_yaml.load_file(path)
    node, data = parsed.node, parsed.data
    if not isinstance(data, dict) or not isinstance(data.get("rows"), dict):
        raise SidecarError("a facility profile is a mapping with `name` and `rows`", path=path)
    lines = _lines(node)
    name = str(data.get("name") or os.path.splitext(os.path.basename(path))[0])
    refs = data.get("references") or {}
    if not isinstance(refs, dict):
        raise SidecarError("`references` must map a short name to {title, url}", path=path)
    prof = FacilityProfile(name=name, path=path, title=data.get("title"))
    for scope, block in data["rows"].items():
        if scope not in _SCOPES or not isinstance(block, dict):
            raise SidecarError(
                f"rows.{scope}: expected one of {', '.join(_SCOPES)}, each a mapping of Table 1 rows",
                path=path,
            )
        kinds = list(DatasetKind) if scope == "all" else [DatasetKind(scope)]
        for fid, entry in block.items():
            fid = str(fid)
            where = f"rows.{scope}.{fid} (line {lines.get(('rows', scope, fid), 1)})"
            if not isinstance(entry, dict) or "value" not in entry:
                raise SidecarError(f"{where}: expected {{value, source, quote}}", path=path)
            ref = refs.get(entry.get("source"))
            url = ref.get("url") if isinstance(ref, dict) else None
            if not (isinstance(url, str) and url.startswith("https://")):
                raise SidecarError(
                    f"{where}: every value of a facility profile must cite a public source: "
                    "`source:` must name an entry of `references` with an https:// url",
                    path=path,
                )
            valid = [k for k in kinds if _is_row(k, fid)]
            if not valid:
                raise SidecarError(f"{where}: {fid!r} is not a Table 1 row of {scope}", path=path)
            for k in valid:
                try:
                    record_class(k)(name="check").set(
                        fid,
                        Value[Any](value=entry["value"], source=Source(kind=SourceKind.FACILITY)),
                    )
                except ValidationError as exc:
                    raise SidecarError(f"{where}: {exc.errors()[0]['msg']}", path=path) from exc
            prof.rows.append(
                ProfileRow(
                    scope=scope,
                    field=fid,
                    value=entry["value"],
                    url=url,
                    reference=str(ref.get("title") if isinstance(ref, dict) else entry["source"]),
                    quote=str(entry["quote"]) if entry.get("quote") else None,
                    line=lines.get(("rows", scope, fid), 1),
                )
            )
    return prof


def _is_row(kind: DatasetKind, fid: str) -> bool:
    try:
        field_spec(kind, fid)
    except KeyError:
        return False
    return True
