"""The crate's file list: ``file_list.tsv`` and its ``bia:FileList`` / ``csvw`` schema entities."""

from __future__ import annotations

from clxm_meta.export.biostudies.filelist import role_text, upload_path
from clxm_meta.export.biostudies.rocrate.context import BIA, RDF, SCHEMA
from clxm_meta.export.biostudies.rocrate.model import FILE_LIST_NAME, Column, Entity, RoCrate, ref
from clxm_meta.export.biostudies.rocrate.rembi import DATASET_ID
from clxm_meta.export.biostudies.rocrate.sources import Sources
from clxm_meta.records.scan_index import scan_index

__all__ = ["COLUMNS", "IMAGE_ROLES", "file_list"]

IMAGE_ROLES = frozenset({"sim_raw", "sim_reconstruction", "brightfield", "widefield"})
"""File roles whose files are images (``type`` ``http://bia/Image`` in the file list)."""

COLUMNS = (
    Column("file_path", BIA + "filePath"),
    Column("dataset", SCHEMA + "isPartOf"),
    Column("type", RDF + "type"),
    Column("size_in_bytes", BIA + "sizeInBytes"),
    Column("description", SCHEMA + "description"),
)
"""The file list's columns and the property of each (``bia:filePath`` and ``schema:isPartOf``
are the two the validator requires)."""


def file_list(src: Sources, crate: RoCrate) -> list[Entity]:
    """Fill ``crate``'s columns and rows (one per file of the dataset); the list's entities."""
    crate.columns = list(COLUMNS)
    files = scan_index(src.result).files  # built once per scan, not once per unit
    for member in sorted(src.info.members, key=lambda m: m.path):
        hit = files.get(member.path)
        size = hit.size if hit is not None else None
        crate.rows.append(
            {
                "file_path": upload_path(member.path),
                "dataset": DATASET_ID,
                "type": BIA + "Image" if member.role in IMAGE_ROLES else "",
                "size_in_bytes": "" if size is None else str(size),
                "description": role_text(member.role),
            }
        )
    listing = Entity(FILE_LIST_NAME, ["File", "bia:FileList"])
    listing.set("name", "File list")
    listing.set("tableSchema", ref("#file-list-schema"))
    schema = Entity("#file-list-schema", ["csvw:Schema"])
    columns = []
    for column in crate.columns:
        col = Entity(f"#column-{column.name}", ["csvw:Column"])
        col.set("columnName", column.name)
        col.set("propertyUrl", column.property_url)
        columns.append(col)
    schema.set("column", [ref(c.id) for c in columns])
    return [listing, schema, *columns]
