"""A small in-memory RO-Crate: entities of the ``@graph`` and the rows of the crate's file list.

Own models rather than ro-crate-py: the crate is one flat JSON-LD graph of a dozen contextual
entities plus one TSV, which a few dataclasses write exactly and deterministically (no clock, no
generated ids), with no runtime dependency. What the entities may hold is the BIA validator's
business (see `clxm_meta.export.biostudies.rocrate.context`).
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass, field
from typing import Any

from clxm_meta.export.biostudies.rocrate.context import TERMS, context
from clxm_meta.export.json_text import dumps_indented, dumps_member

__all__ = [
    "FILE_LIST_NAME",
    "METADATA_NAME",
    "Column",
    "Entity",
    "RoCrate",
    "ref",
    "rocrate_files",
    "rocrate_json",
    "rocrate_tsv",
]

METADATA_NAME = "ro-crate-metadata.json"
FILE_LIST_NAME = "file_list.tsv"


def ref(entity_id: str) -> dict[str, str]:
    """A JSON-LD reference to the entity ``entity_id``."""
    return {"@id": entity_id}


@dataclass
class Entity:
    """One node of the graph: ``@id``, ``@type`` (a list) and properties (terms of the context).

    A property that is ``None``, ``""`` or ``[]`` is not written: an absent value stays absent.
    """

    id: str
    types: list[str]
    properties: dict[str, Any] = field(default_factory=dict)

    def set(self, name: str, value: Any) -> None:
        """Set property ``name`` (a term of `TERMS`) to ``value`` (dropped when empty)."""
        if name not in TERMS:
            raise KeyError(f"{name!r} is not a term of the crate's context")
        if value is None or value == "" or value == []:
            self.properties.pop(name, None)
            return
        self.properties[name] = value

    def get(self, name: str) -> Any:
        """The value of property ``name`` (``None`` when absent)."""
        return self.properties.get(name)

    def to_json(self) -> dict[str, Any]:
        """The entity as a compacted JSON-LD node."""
        return {"@id": self.id, "@type": list(self.types), **self.properties}


@dataclass(frozen=True)
class Column:
    """A column of the file list: its header and the property its cells give (``csvw``)."""

    name: str
    property_url: str


@dataclass
class RoCrate:
    """The crate: graph entities in writing order, the file list's columns and rows."""

    entities: list[Entity] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)

    def add(self, entity: Entity) -> Entity:
        """Append ``entity`` (its ``@id`` must be new) and return it."""
        if any(e.id == entity.id for e in self.entities):
            raise ValueError(f"two entities with @id {entity.id!r}")
        self.entities.append(entity)
        return entity

    def entity(self, entity_id: str) -> Entity | None:
        """The entity with ``@id`` ``entity_id``, if any."""
        return next((e for e in self.entities if e.id == entity_id), None)

    def of_type(self, type_name: str) -> list[Entity]:
        """The entities whose ``@type`` holds ``type_name`` (e.g. ``"bia:Dataset"``)."""
        return [e for e in self.entities if type_name in e.types]


def rocrate_json(crate: RoCrate) -> dict[str, Any]:
    """``ro-crate-metadata.json``: the context and the flat graph."""
    return {"@context": context(), "@graph": [e.to_json() for e in crate.entities]}


def rocrate_tsv(crate: RoCrate) -> str:
    """The file list as the validator reads it (pandas ``read_csv``, tab-separated, CSV quoting).

    A cell holding a tab, a quote or a line break is quoted with ``"`` and its quotes doubled,
    which is how pandas reads it back; such names are rare (``clxm-meta check`` flags them).
    """
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.name for c in crate.columns])
    for row in crate.rows:
        writer.writerow([row.get(c.name, "") for c in crate.columns])
    return buf.getvalue()


@functools.cache
def _context_text() -> str | None:
    """The ``@context`` member's text: the same in every crate, so encoded once per process."""
    return dumps_member(context())


def _metadata_text(crate: RoCrate) -> str:
    """``dumps_indented(rocrate_json(crate))`` and a line break, the context's text made once."""
    ctx = _context_text()
    graph = dumps_member([e.to_json() for e in crate.entities])
    if ctx is None or graph is None:
        return dumps_indented(rocrate_json(crate)) + "\n"
    return f'{{\n  "@context": {ctx},\n  "@graph": {graph}\n}}\n'


def rocrate_files(crate: RoCrate) -> dict[str, bytes]:
    """The crate folder's files: name → content (``ro-crate-metadata.json``, the file list)."""
    text = _metadata_text(crate)
    return {
        METADATA_NAME: text.encode("utf-8"),
        FILE_LIST_NAME: rocrate_tsv(crate).encode("utf-8"),
    }
