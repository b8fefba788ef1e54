r"""PageTab, the BioStudies submission format: its model and its TSV and JSON forms.

A submission is a header (``Submission`` accession and attributes such as ``Title``,
``ReleaseDate``, ``AttachTo``, ``Template``) and one root section (``Study``) with nested
subsections. Rules of the TSV form (EBI page-tab specification, and the BioImage Archive's own
``bia-agent`` output, see shared/docs/reference/formats-logs-deposition.md §D1):

- one block per section, blocks separated by a blank line;
- the block's first line is ``Type<TAB>AccNo`` for a subsection of the root, and
  ``Type<TAB>AccNo<TAB>ParentAccNo`` for a section nested deeper (the parent needs an accession);
- then ``Name<TAB>Value`` lines; a reference attribute is written ``<name><TAB>value``
  (JSON ``"reference": true``); a value qualifier ``[Name]<TAB>value`` follows its attribute;
- cells as BioStudies' own TSV reader reads them back (EBIBioStudies/biostudies-backend-services,
  ``commons-serialization .../tsv/deserialization/chunks/TsvChunkGenerator.kt``): before its CSV
  parser (Apache Commons CSV, tab-delimited, ``"`` quotes, surrounding spaces ignored) it escapes
  every ``"..."`` pair found on one line and turns ``\"`` back into ``"`` afterwards, so it never
  un-doubles ``""``. Hence: a single-line value is written raw, double quotes included; a value
  with a line break or a tab is written in double quotes; a value with a line break *and* a double
  quote cannot be written at all (`PageTabTsvError`: the JSON form carries it), nor can one holding
  ``\"``, nor a single-line value that opens with a ``"`` the reader would take for a quoted
  field (a quote not closed on the same stretch of text, or closed after a ``|``).

The JSON form has the shape of the archive's examples: ``{"accno", "attributes", "section":
{"type", "accno", "attributes", "subsections", "links"}, "type": "submission"}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from clxm_meta.errors import ClxmMetaError

__all__ = [
    "Attribute",
    "Link",
    "PageTab",
    "PageTabTsvError",
    "Section",
    "clean_text",
    "pagetab_json",
    "pagetab_tsv",
    "tsv_problem",
]


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x84\x86-\x9f]")
_LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")
_OPENING_PAIR = re.compile(r'"[^\n|\t"]*"')
"""The reader's pre-pass pattern (``(")([^\\n|\\t|"]*)(")``: the ``|`` is literal in it)."""


class PageTabTsvError(ClxmMetaError):
    """A value that BioStudies' TSV reader cannot read back as written (use the JSON form)."""


def clean_text(value: object) -> str:
    """``value`` as text for either PageTab form.

    Every line break (CR, CRLF, NEL, U+2028, U+2029) becomes LF, other control characters (C0 and
    C1) spaces, and surrounding white space is removed.
    """
    text = _LINE_BREAKS.sub("\n", str(value))
    return _CONTROL.sub(" ", text).strip()


def tsv_problem(text: str) -> str | None:
    """Why ``text`` cannot be a PageTab TSV cell that BioStudies reads back unchanged (or ``None``)."""
    if text != text.strip() and not any(c in text for c in "\t\n\r"):
        return "it has white space at an end (the reader trims it)"
    if '"' not in text:
        return None
    if "\n" in text or "\r" in text:
        return "it has a double quote and a line break"
    if "\t" in text:
        return "it has a double quote and a tab"
    if '\\"' in text:
        return 'it has a backslash before a double quote (the reader turns \\" into ")'
    if text.startswith('"') and not _OPENING_PAIR.match(text):
        return "it opens with a double quote the reader takes for a quoted field"
    return None


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


def _cell(text: str, where: str) -> str:
    problem = tsv_problem(text)
    if problem is not None:
        raise PageTabTsvError(
            f"{where}: {problem}, which BioStudies' TSV reader cannot read back "
            f"({text[:60]!r}{'…' if len(text) > 60 else ''}); remove it from the value, or submit "
            "the JSON form (submission.pagetab.json; clxm-meta export pagetab --format json)"
        )
    if any(c in text for c in "\t\n\r"):
        return f'"{text}"'
    return text


def _line(*cells: str, where: str) -> str:
    out = [_cell(c, where) for c in cells]
    while len(out) > 1 and out[-1] == "":
        out.pop()
    return "\t".join(out)


def _attribute_lines(attrs: list[Attribute], where: str) -> list[str]:
    out = []
    for a in attrs:
        name = f"<{a.name}>" if a.reference else a.name
        out.append(_line(name, a.value, where=f"{where} / {a.name}"))
        out.extend(_line(f"[{qn}]", qv, where=f"{where} / {a.name} [{qn}]") for qn, qv in a.valqual)
    return out


def _section_blocks(sec: Section, parent: Section | None, root: Section) -> list[list[str]]:
    head = [sec.type, sec.accno or ""]
    if parent is not None and parent is not root:
        head.append(parent.accno or "")
    where = f"section {sec.type}" + (f" {sec.accno}" if sec.accno else "")
    block = [_line(*head, where=where), *_attribute_lines(sec.attributes, where)]
    blocks = [block]
    for link in sec.links:
        lw = f"{where} / link {link.url}"
        blocks.append([_line("Link", link.url, where=lw), *_attribute_lines(link.attributes, lw)])
    for sub in sec.subsections:
        blocks.extend(_section_blocks(sub, sec, root))
    return blocks


def pagetab_tsv(doc: PageTab) -> str:
    """The submission as PageTab TSV (UTF-8 text, LF line ends, one trailing newline).

    Every nested section below the root's direct subsections must have an accession (its children
    name it as their parent); the builder gives them one.

    Raises
    ------
    PageTabTsvError
        A value BioStudies' TSV reader would not read back as written (see the module docstring);
        the message names the section and attribute and points to the JSON form.
    """
    header = [
        _line("Submission", doc.accno, where="submission header"),
        *_attribute_lines(doc.attributes, "submission header"),
    ]
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
