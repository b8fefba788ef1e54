"""The BioImages.v5 template as the submission tool's PageTab check reads it.

`pageTabTemplateValidator.ts` (EBIBioStudies/submission-tool, ``frontend/src/utils/``) looks at a
template's section and table types only through their ``name``, the ``display`` of their fields and
columns (``required`` or not), and the flags ``allowNewAttribute``, ``disableCustomSubsection`` and
``disableCustomTable``. `BIOIMAGES_V5` is that part of ``BioImages.v5.json.ts`` (2026-08-17), as
plain data; the tests parse the template's own ``.ts`` file and compare it with this.

A field name ending in ``*`` is ``display: 'required'``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["BIOIMAGES_V5", "RULES"]


def _fields(names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {"name": n.rstrip("*"), "display": "required" if n.endswith("*") else None} for n in names
    ]


def _type(
    name: str,
    fields: tuple[str, ...] = (),
    *,
    columns: tuple[str, ...] = (),
    sections: tuple[dict[str, Any], ...] = (),
    tables: tuple[dict[str, Any], ...] = (),
    **flags: bool,
) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "fieldTypes": _fields(fields)}
    if columns:
        out["columnTypes"] = _fields(columns)
    out["sectionTypes"] = list(sections)
    out["tableTypes"] = list(tables)
    out.update(flags)
    return out


_TABLES = (
    _type("Contact", columns=("Name*", "E-mail*", "Organisation*", "Role", "ORCID")),
    _type("Publication", columns=("Pubmed ID", "Title", "Authors", "DOI", "Year")),
    _type("Link", columns=("Link", "Description")),
    _type("Funding", columns=("Agency", "grant_id")),
)

_SECTIONS = (
    _type(
        "Biosample",
        (
            "Title*",
            "Organism*",
            "Description",
            "Biological entity*",
            "Experimental variable",
            "Extrinsic variable",
            "Intrinsic variable",
        ),
    ),
    _type("Specimen", ("Title*", "Sample preparation protocol*", "Growth protocol")),
    _type(
        "Image acquisition",
        ("Title*", "Imaging instrument*", "Image acquisition parameters*", "Imaging method*"),
    ),
    _type(
        "Image correlation",
        ("Title*", "Fiducials used", "Spatial and temporal alignment*", "Transformation matrix"),
    ),
    _type("Image analysis", ("Title*", "Image analysis overview*")),
    _type(
        "Annotation",
        (
            "Title*",
            "Annotation Overview*",
            "Annotation Type*",
            "Annotation Method*",
            "Annotation Confidence Level",
            "Annotation Criteria",
            "Annotation Coverage",
            "File List*",
        ),
    ),
    _type(
        "Study Component",
        ("Name*", "Description*", "File List*"),
        tables=(
            _type(
                "Associations",
                columns=(
                    "Biosample*",
                    "Specimen*",
                    "Image acquisition*",
                    "Image correlation",
                    "Image analysis",
                ),
            ),
        ),
        allowNewAttribute=False,
    ),
    _type("Author", ("Name", "Email", "Organisation", "Role", "ORCID")),
    _type("Organization", ("Name*", "Address", "RORID")),
)

BIOIMAGES_V5: dict[str, Any] = {
    "name": "BioImages.v5",
    "sectionType": _type(
        "Study",
        (
            "Title*",
            "ReleaseDate*",
            "Description*",
            "Keywords*",
            "Acknowledgements",
            "License*",
            "Funding statement",
        ),
        sections=_SECTIONS,
        tables=_TABLES,
        allowNewAttribute=False,
        disableCustomSubsection=True,
        disableCustomTable=True,
    ),
}
"""The validator's view of ``BioImages.v5.json.ts``."""

RULES = {"BioImages.v5": BIOIMAGES_V5}
"""Template rules by template name."""
