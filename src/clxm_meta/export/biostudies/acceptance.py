"""Will the archive accept this PageTab? The BioStudies submission tool's own checks, in Python.

Before the submission tool (EBIBioStudies/submission-tool) accepts a PageTab JSON on its Direct
Upload page it runs two checks (``frontend/src/utils/``):

- ``pageTabStructureValidator.ts``: the document is an object; every section has a string
  ``type``; ``attributes``, ``subsections``, ``links`` and ``files`` are arrays; each attribute has
  a string ``name``, each link a string ``url``, each file a string ``path``;
- ``pageTabTemplateValidator.ts``, against the template the submission names (``Template``):
  every attribute a section type does not define is refused where the template forbids new ones
  (``allowNewAttribute``, inherited from the parent section, false by default); every
  ``display: 'required'`` field is present; a reference attribute names an existing accno; a
  subsection's type is one the template defines (exact spelling, case included) where custom
  subsections are disabled; links and files only where the template has a ``Link`` / ``File``
  table or allows custom tables.

`validate_structure` and `validate_template` are those two, rule for rule, with the tool's messages
and paths; `acceptance_problems` runs both as the tool does. Template rules: `template_rules`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from clxm_meta.export.biostudies.template_rules import RULES
from clxm_meta.findings import Finding, Severity

__all__ = [
    "ACCEPTANCE_CODE",
    "Problem",
    "acceptance_findings",
    "acceptance_problems",
    "validate_structure",
    "validate_template",
]

ACCEPTANCE_CODE = "biostudies.not_accepted"
"""Finding code of a rule of the submission tool that the PageTab breaks."""


@dataclass(frozen=True)
class Problem:
    """One rule broken: the tool's message, where (its path notation) and the field concerned."""

    message: str
    path: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        return self.message + (f" (at {self.path})" if self.path else "")

    @property
    def missing_required(self) -> bool:
        """A required field is absent (a value the depositor has not given yet)."""
        return self.message.startswith("Required field ")


def _items(value: Any) -> Iterator[tuple[int, int | None, Any]]:
    """``(index, nested index, item)`` of a list whose items may be lists (``Section[]``)."""
    for i, item in enumerate(value):
        if isinstance(item, list):
            for j, nested in enumerate(item):
                yield i, j, nested
        else:
            yield i, None, item


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def validate_structure(data: Any) -> list[Problem]:
    """``validatePageTabStructure``: the shape of sections, attributes, links and files."""
    errors: list[Problem] = []
    if not isinstance(data, dict) or not data:
        return [Problem("JSON must be an object")]

    def section(sec: Any, path: str) -> None:
        if not isinstance(sec, dict):
            errors.append(Problem(f"Section at {path} must be an object", path))
            return
        if not _is_text(sec.get("type")):
            errors.append(
                Problem(
                    f"Section at {path} must have a 'type' property of type string", path, "type"
                )
            )
        attrs = sec.get("attributes")
        if attrs is not None:
            if not isinstance(attrs, list):
                errors.append(Problem(f"Attributes at {path} must be an array", path, "attributes"))
            else:
                for i, attr in enumerate(attrs):
                    where = f"{path}.attributes[{i}]"
                    if not isinstance(attr, dict):
                        errors.append(Problem(f"Attribute at {where} must be an object", where))
                    elif not _is_text(attr.get("name")):
                        errors.append(
                            Problem(
                                f"Attribute at {where} must have a 'name' property of type string",
                                where,
                                "name",
                            )
                        )
        subs = sec.get("subsections")
        if subs is not None:
            if not isinstance(subs, list):
                errors.append(
                    Problem(f"Subsections at {path} must be an array", path, "subsections")
                )
            else:
                for i, j, sub in _items(subs):
                    kind = (sub.get("type") if isinstance(sub, dict) else None) or "unknown"
                    where = (
                        f"{path}.subsections[{i} - {kind}]"
                        if j is None
                        else f"{path}.subsections[{i}][{j} - {kind}]"
                    )
                    section(sub, where)
        for key, label, need in (("links", "Link", "url"), ("files", "File", "path")):
            items = sec.get(key)
            if items is None:
                continue
            if not isinstance(items, list):
                errors.append(Problem(f"{key.capitalize()} at {path} must be an array", path, key))
                continue
            for i, j, item in _items(items):
                where = (
                    f"{path}.{key}[{i} - {label}]"
                    if j is None
                    else f"{path}.{key}[{i}][{j} - {label}]"
                )
                if not isinstance(item, dict):
                    errors.append(Problem(f"{label} must be an object", where))
                elif not _is_text(item.get(need)):
                    errors.append(
                        Problem(
                            f"{label} must have a '{need}' property of type string", where, need
                        )
                    )

    if data.get("type") == "submission":
        if not data.get("section"):
            errors.append(Problem('Submission must have a "section" property', None, "section"))
        else:
            section(data["section"], "section")
    section(data, "root")
    section = None  # type: ignore[assignment]  # it refers to itself: a cycle otherwise
    return errors


def _accnos(data: Mapping[str, Any], root: Any) -> set[str]:
    found: set[str] = set()
    if data.get("accno"):
        found.add(data["accno"])

    def collect(sec: Any) -> None:
        if not isinstance(sec, dict):
            return
        if sec.get("accno"):
            found.add(sec["accno"])
        if isinstance(sec.get("subsections"), list):
            for _i, _j, sub in _items(sec["subsections"]):
                collect(sub)
        for key in ("links", "files"):
            if isinstance(sec.get(key), list):
                for _i, _j, item in _items(sec[key]):
                    if isinstance(item, dict) and item.get("accno"):
                        found.add(item["accno"])

    collect(root)
    collect = None  # type: ignore[assignment]  # it refers to itself: a cycle otherwise
    return found


def validate_template(data: Mapping[str, Any], template: Mapping[str, Any]) -> list[Problem]:
    """``validateAgainstTemplate``: ``data`` (PageTab JSON) against ``template`` (its rules)."""
    errors: list[Problem] = []
    is_submission = data.get("type") == "submission"
    root = data.get("section") if is_submission else data
    accnos = _accnos(data, root)

    def type_of(tmpl: Mapping[str, Any], name: Any) -> Mapping[str, Any] | None:
        for key in ("sectionTypes", "tableTypes"):
            for t in tmpl.get(key) or []:
                if t.get("name") == name:
                    return dict(t)
        return None

    def attributes(
        attrs: list[Any], fields: list[Mapping[str, Any]], path: str, allow: bool
    ) -> None:
        names = {f.get("name") for f in fields}
        given: set[Any] = set()
        for attr in attrs:
            attr = attr if isinstance(attr, dict) else {}
            name = attr.get("name")
            given.add(name)
            where = f"{path}.attributes[{name}]"
            if name not in names and not allow:
                errors.append(
                    Problem(
                        f'Custom attribute "{name}" is not allowed in this template', where, name
                    )
                )
            if attr.get("reference") is True:
                value = attr.get("value")
                if not value:
                    errors.append(
                        Problem(
                            f'Reference attribute "{name}" must have a value (accno to reference)',
                            where,
                            name,
                        )
                    )
                elif value not in accnos:
                    errors.append(
                        Problem(
                            f'Reference attribute "{name}" references non-existent accno "{value}"',
                            where,
                            name,
                        )
                    )
        for f in fields:
            if f.get("display") == "required" and f.get("name") not in given:
                errors.append(
                    Problem(
                        f'Required field "{f.get("name")}" is missing',
                        f"{path}.attributes",
                        f.get("name"),
                    )
                )

    def section(
        sec: Mapping[str, Any], tmpl: Mapping[str, Any], path: str, inherited: bool | None
    ) -> None:
        own = tmpl.get("allowNewAttribute")
        allow = bool(own if own is not None else (inherited if inherited is not None else False))
        if sec.get("attributes"):
            fields = [*(tmpl.get("fieldTypes") or []), *(tmpl.get("columnTypes") or [])]
            attributes(list(sec["attributes"]), fields, path, allow)
        if isinstance(sec.get("subsections"), list):
            for i, j, sub in _items(sec["subsections"]):
                sub = sub if isinstance(sub, dict) else {}
                kind = sub.get("type")
                where = (
                    f"{path}.subsections[{i} - {kind}]"
                    if j is None
                    else f"{path}.subsections[{i}][{j} - {kind}]"
                )
                sub_tmpl = type_of(tmpl, kind)
                if sub_tmpl is None and tmpl.get("disableCustomSubsection"):
                    errors.append(
                        Problem(
                            f'Custom subsection type "{kind}" is not allowed in this template',
                            where,
                        )
                    )
                elif sub_tmpl is not None:
                    section(sub, sub_tmpl, where, allow)
        for key, table, label in (("links", "Link", "Links"), ("files", "File", "Files")):
            if isinstance(sec.get(key), list):
                has = any(t.get("name") == table for t in tmpl.get("tableTypes") or [])
                if not has and tmpl.get("disableCustomTable"):
                    errors.append(
                        Problem(f"{label} are not allowed in this template", f"{path}.{key}")
                    )

    start = "submission.section" if is_submission else "submission"
    section(root if isinstance(root, dict) else {}, template["sectionType"], start, None)
    section = None  # type: ignore[assignment]  # it refers to itself: a cycle otherwise
    return errors


def acceptance_problems(data: Mapping[str, Any], template: str | None = None) -> list[Problem]:
    """Both checks, as the Direct Upload page runs them; the template is the one ``data`` names.

    Raises
    ------
    KeyError
        The template (``template``, or the document's ``Template`` attribute) has no rules here.
    """
    if template is None:
        template = next(
            (
                a.get("value")
                for a in data.get("attributes") or []
                if isinstance(a, dict) and str(a.get("name", "")).lower() == "template"
            ),
            None,
        )
    rules = RULES[str(template)]
    return [*validate_structure(data), *validate_template(data, rules)]


def acceptance_findings(
    data: Mapping[str, Any], dataset: str, *, missing_is_error: bool = True
) -> list[Finding]:
    """Each broken rule as a finding naming the section and the attribute.

    ``missing_is_error=False`` makes an absent required field a warning (``check`` lists the
    missing value itself; the other rules stay errors).
    """
    out = []
    for p in acceptance_problems(data):
        severity = Severity.ERROR
        if p.missing_required and not missing_is_error:
            severity = Severity.WARNING
        out.append(
            Finding.make(
                ACCEPTANCE_CODE,
                severity,
                f"BioStudies PageTab of {dataset} would be refused by the submission tool: {p}",
                field=p.field,
                locator=p.path,
            )
        )
    return out
