"""Safe XML for the readers: entity declarations, external DTDs and external entities are refused.

OME-XML (in TIFF ImageDescription tags) and eC-CLEM transform files never need a DTD or entities,
but an XML parser that honours them can be made to read local files or remote URLs (XXE) or to
expand a few hundred bytes into gigabytes (billion laughs). Every XML document a reader parses first
goes through `xml_hazard`, a streaming expat pass whose handlers refuse:

* any DOCTYPE (neither format has one; an internal subset is where entities are declared),
* any entity declaration, general or parameter, internal or external (the only way to define
  entities; without one, only the five predefined entities and character references exist),
* any external entity reference; parameter-entity parsing is switched off altogether;
* elements nested deeper than `MAX_DEPTH` (ome-types and pydantic recurse once per level and end
  in ``RecursionError`` / "Maximum serialization depth exceeded" a few hundred levels down).

The pass sees the document exactly as the parser will: text given as ``str`` is parsed as ``str``
(expat then ignores the declared ``encoding=``, as ``ElementTree.fromstring`` does); a document
that ends the pass early (malformed, or an unknown declared ``encoding=``, which used to wave
documents through while the tree builder still expanded their entities) is refused all the same
when a ``<!DOCTYPE`` or ``<!ENTITY`` appears anywhere in its raw text, in UTF-8 or UTF-16.

`parse_xml` runs that check and then builds an `xml.etree.ElementTree` element with one error type
for every failure (malformed, refused, undecodable), so that callers can turn it into a finding.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.parsers import expat

__all__ = ["XmlError", "parse_xml", "xml_hazard"]


class XmlError(ValueError):
    """The XML is malformed or was refused; ``refused`` tells which."""

    def __init__(self, message: str, *, refused: bool = False) -> None:
        super().__init__(message)
        self.refused = refused


class _Refused(Exception):
    pass


def _refuse_doctype(
    name: str, system_id: str | None, public_id: str | None, has_internal_subset: int
) -> None:
    if system_id or public_id:
        raise _Refused(f"DOCTYPE {name} refers to an external DTD ({system_id or public_id})")


def _refuse_any_doctype() -> None:
    # at the end of the DOCTYPE, so that an entity declaration in it is named first
    raise _Refused("has a DOCTYPE (a DTD is never needed)")


def _refuse_entity(name: str, is_parameter: int, *_args: object) -> None:
    kind = "parameter entity" if is_parameter else "entity"
    raise _Refused(f"declares the {kind} {name!r} (entity declarations are not processed)")


def _refuse_unparsed(name: str, *_args: object) -> None:
    raise _Refused(f"declares the unparsed entity {name!r}")


def _refuse_external(
    context: str | None, base: str | None, system_id: str | None, *_: object
) -> int:
    raise _Refused(f"refers to the external entity {system_id!r}")


MAX_DEPTH = 128
"""Deepest element nesting accepted; OME-XML and eC-CLEM files nest fewer than 20 levels."""


class _Depth:
    """Start/end handlers that refuse nesting deeper than `MAX_DEPTH`."""

    def __init__(self) -> None:
        self.depth = 0

    def start(self, *_args: object) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(f"nests elements more than {MAX_DEPTH} levels deep")

    def end(self, *_args: object) -> None:
        self.depth -= 1


def xml_hazard(text: str | bytes) -> str | None:
    """Why ``text`` is refused (external DTD, entities, deep nesting), or ``None`` when it is safe.

    Malformed XML that declares nothing dangerous before the error is not a hazard (``None``): the
    real parser reports it. The pass is streaming (no tree is built) and stops at the first hazard.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EndDoctypeDeclHandler = _refuse_any_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_unparsed
    parser.ExternalEntityRefHandler = _refuse_external
    depth = _Depth()
    parser.StartElementHandler = depth.start
    parser.EndElementHandler = depth.end
    try:
        parser.Parse(text, True)
    except _Refused as exc:
        return str(exc)
    except (expat.ExpatError, ValueError, LookupError):
        # malformed or undecodable (an unknown encoding="..."): the real parser fails the same
        # way, but the raw text must still hold no DTD
        pass
    return _raw_hazard(text)


_MARKERS = tuple(
    marker.encode(codec)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)


def _raw_hazard(text: str | bytes) -> str | None:
    """A DOCTYPE or ENTITY declaration anywhere in the raw text, whatever the declared encoding."""
    if isinstance(text, str):
        for word in ("<!DOCTYPE", "<!ENTITY"):
            if word in text:
                return f"holds {word} (a DTD is never needed)"
        return None
    for raw in _MARKERS:
        if raw in text:
            return "holds a <!DOCTYPE or <!ENTITY declaration (a DTD is never needed)"
    return None


def parse_xml(text: str | bytes) -> ET.Element:
    """Parse a whole XML document after `xml_hazard` found nothing to refuse.

    Raises
    ------
    XmlError
        Refused (``refused=True``), not well-formed, or not decodable.
    """
    hazard = xml_hazard(text)
    if hazard is not None:
        raise XmlError(f"XML refused: {hazard}", refused=True)
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise XmlError(f"XML cannot be parsed: {exc}") from None
    except (ValueError, LookupError) as exc:  # lone surrogates; an unknown declared encoding
        raise XmlError(f"XML cannot be decoded: {exc}") from None
