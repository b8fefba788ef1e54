"""PageTab, the BioStudies submission format: its model and its TSV and JSON forms.

A submission is a header (``Submission`` accession and attributes such as ``Title``,
``ReleaseDate``, ``AttachTo``, ``Template``) and one root section (``Study``) with nested
subsections. Rules of the TSV form (EBI page-tab specification, and the BioImage Archive's own
``bia-agent`` output, see shared/docs/reference/formats-logs-deposition.md §D1):

- one block per section, blocks separated by a blank line;
- the block's first line is ``Type<TAB>AccNo`` for a subsection of the root, and
  ``Type<TAB>AccNo<TAB>ParentAccNo`` for a section nested deeper (the parent needs an accession);
- then ``Name<TAB>Value`` lines; a reference attribute is written ``<name><TAB>value``
  (JSON ``"reference": true``); a value qualifier ``[Name]<TAB>value`` follows its attribute;
- a cell holding a tab, a newline or a double quote is written in double quotes (quotes doubled).

The JSON form has the shape of the archive's examples: ``{"accno", "attributes", "section":
{"type", "accno", "attributes", "subsections", "links"}, "type": "submission"}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Attribute", "Link", "PageTab", "Section", "clean_text", "pagetab_json", "pagetab_tsv"]


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def clean_text(value: object) -> str:
    """``value`` as text: line ends normalised to LF, other control characters as spaces."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(" ", text).strip()


@dataclass
class Attribute:
    """One ``Name<TAB>Value`` line.

    Attributes
    ----------
    name, value
        As written.
    reference
        A reference to another section's accession (``<affiliation>``).
    valqual
        Value qualifiers, ``(name, value)`` pairs (e.g. ``("URL", "https://...")`` of a licence).
    """

    name: str
    value: str
    reference: bool = False
    valqual: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Link:
    """A ``Link<TAB>url`` line with its attributes."""

    url: str
    attributes: list[Attribute] = field(default_factory=list)


@dataclass
class Section:
    """A section: a type, an optional accession, attributes, links and subsections."""

    type: str
    accno: str | None = None
    attributes: list[Attribute] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def add(self, name: str, value: str | None, *, reference: bool = False) -> None:
        """Append an attribute, unless ``value`` is ``None`` or blank.

        Control characters other than newlines (a NUL from a binary header, a tab) become spaces:
        neither PageTab form can carry them.
        """
        text = clean_text(value) if value is not None else ""
        if text:
            self.attributes.append(Attribute(name, text, reference=reference))

    def get(self, name: str) -> str | None:
        """The first value of attribute ``name`` (case-insensitive), or ``None``."""
        for a in self.attributes:
            if a.name.casefold() == name.casefold():
                return a.value
        return None

    def walk(self) -> list[Section]:
        """The section itself and every section below it, depth first."""
        out = [self]
        for sub in self.subsections:
            out.extend(sub.walk())
        return out


@dataclass
class PageTab:
    """A whole submission: header attributes and the root ``Study`` section."""

    section: Section
    accno: str = ""
    """Empty for a new submission (the archive assigns the accession)."""
    attributes: list[Attribute] = field(default_factory=list)


def _cell(text: str) -> str:
    if any(c in text for c in '\t\n\r"'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _line(*cells: str) -> str:
    out = [_cell(c) for c in cells]
    while len(out) > 1 and out[-1] == "":
        out.pop()
    return "\t".join(out)


def _attribute_lines(attrs: list[Attribute]) -> list[str]:
    out = []
    for a in attrs:
        name = f"<{a.name}>" if a.reference else a.name
        out.append(_line(name, a.value))
        out.extend(_line(f"[{qn}]", qv) for qn, qv in a.valqual)
    return out


def _section_blocks(sec: Section, parent: Section | None, root: Section) -> list[list[str]]:
    head = [sec.type, sec.accno or ""]
    if parent is not None and parent is not root:
        head.append(parent.accno or "")
    block = [_line(*head), *_attribute_lines(sec.attributes)]
    blocks = [block]
    for link in sec.links:
        blocks.append([_line("Link", link.url), *_attribute_lines(link.attributes)])
    for sub in sec.subsections:
        blocks.extend(_section_blocks(sub, sec, root))
    return blocks


def pagetab_tsv(doc: PageTab) -> str:
    """The submission as PageTab TSV (UTF-8 text, LF line ends, one trailing newline).

    Every nested section below the root's direct subsections must have an accession (its children
    name it as their parent); the builder gives them one.
    """
    header = [_line("Submission", doc.accno), *_attribute_lines(doc.attributes)]
    blocks = [header, *_section_blocks(doc.section, None, doc.section)]
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"


def _attr_json(a: Attribute) -> dict[str, Any]:
    out: dict[str, Any] = {"name": a.name, "value": a.value}
    if a.reference:
        out["reference"] = True
    if a.valqual:
        out["valqual"] = [{"name": n, "value": v} for n, v in a.valqual]
    return out


def _section_json(sec: Section) -> dict[str, Any]:
    out: dict[str, Any] = {"type": sec.type}
    if sec.accno:
        out["accno"] = sec.accno
    out["attributes"] = [_attr_json(a) for a in sec.attributes]
    if sec.links:
        out["links"] = [
            {"url": lk.url, "attributes": [_attr_json(a) for a in lk.attributes]}
            for lk in sec.links
        ]
    if sec.subsections:
        out["subsections"] = [_section_json(s) for s in sec.subsections]
    return out


def pagetab_json(doc: PageTab) -> dict[str, Any]:
    """The submission as PageTab JSON (a plain dict; ``json.dumps`` it)."""
    out: dict[str, Any] = {}
    if doc.accno:
        out["accno"] = doc.accno
    out["attributes"] = [_attr_json(a) for a in doc.attributes]
    out["section"] = _section_json(doc.section)
    out["type"] = "submission"
    return out
