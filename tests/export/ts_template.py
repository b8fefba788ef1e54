"""Read a submission-tool template (``BioImages.v5.json.ts``) in tests: a small TypeScript literal reader.

The template is a TypeScript module whose default export is an object literal (single- or
double-quoted strings, bare keys, trailing commas, identifiers such as ``organismDefaultOptions``
for imported values, ``as Template.TemplateDefinition`` at the end). `read_template` returns it as
Python data (identifiers as ``{"$ref": name}``), so tests take the rules from the tool's own file.
`validator_view` keeps what ``pageTabTemplateValidator.ts`` looks at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_TOKEN = re.compile(
    r"""\s+|//[^\n]*|/\*.*?\*/|(?P<str>'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")"""
    r"""|(?P<num>-?\d+(?:\.\d+)?)|(?P<id>[A-Za-z_$][\w$.]*)|(?P<p>[{}\[\]:,;])""",
    re.S,
)
_ESC = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _unquote(text: str) -> str:
    out = []
    i = 1
    while i < len(text) - 1:
        c = text[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = text[i + 1]
        if n == "u":
            out.append(chr(int(text[i + 2 : i + 6], 16)))
            i += 6
        else:
            out.append(_ESC.get(n, n))
            i += 2
    return "".join(out)


def _tokens(text: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ValueError(f"cannot read the template at {text[pos : pos + 40]!r}")
        pos = m.end()
        if m.group("str"):
            out.append(("value", _unquote(m.group("str"))))
        elif m.group("num"):
            out.append(("value", float(m.group("num"))))
        elif m.group("id"):
            word = m.group("id")
            known = {"true": True, "false": False, "null": None, "undefined": None}
            out.append(("value", known[word]) if word in known else ("id", word))
        elif m.group("p"):
            out.append(("p", m.group("p")))
    return out


def _parse(tokens: list[tuple[str, Any]], i: int) -> tuple[Any, int]:
    kind, value = tokens[i]
    if kind == "p" and value == "{":
        obj: dict[str, Any] = {}
        i += 1
        while tokens[i] != ("p", "}"):
            key = tokens[i][1]
            assert tokens[i + 1] == ("p", ":"), tokens[i : i + 3]
            obj[str(key)], i = _parse(tokens, i + 2)
            if tokens[i] == ("p", ","):
                i += 1
        return obj, i + 1
    if kind == "p" and value == "[":
        arr: list[Any] = []
        i += 1
        while tokens[i] != ("p", "]"):
            item, i = _parse(tokens, i)
            arr.append(item)
            if tokens[i] == ("p", ","):
                i += 1
        return arr, i + 1
    if kind == "id":
        return {"$ref": value}, i + 1
    return value, i + 1


def read_template(path: Path) -> dict[str, Any]:
    """The default export of a template ``.ts`` file."""
    text = path.read_text(encoding="utf-8")
    start = text.index("export default") + len("export default")
    tokens = _tokens(text[start:])
    value, _ = _parse(tokens, 0)
    assert isinstance(value, dict)
    return value


_FLAGS = ("allowNewAttribute", "disableCustomSubsection", "disableCustomTable")


def _fields(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"name": f["name"], "display": "required" if f.get("display") == "required" else None}
        for f in items
    ]


def _type_view(t: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": t["name"], "fieldTypes": _fields(t.get("fieldTypes") or [])}
    if t.get("columnTypes"):
        out["columnTypes"] = _fields(t["columnTypes"])
    out["sectionTypes"] = [_type_view(s) for s in t.get("sectionTypes") or []]
    out["tableTypes"] = [_type_view(s) for s in t.get("tableTypes") or []]
    out.update({k: t[k] for k in _FLAGS if k in t})
    return out


def validator_view(template: dict[str, Any]) -> dict[str, Any]:
    """What the template validator reads: names, required fields, the three flags."""
    return {"name": template["name"], "sectionType": _type_view(template["sectionType"])}
