"""The EMPIAR deposition document as pydantic models (what ``empiar-depositor`` POSTs as is).

Written from the schema's rules, not copied from it, and stricter where the schema is loose:

- every model forbids unknown keys (the schema has no ``additionalProperties: false``, so a
  misspelt key would pass and be dropped by the server);
- coded imageset values full-match (the schema's patterns have no outer group);
- author names are ``('Surname', 'INITIALS')`` with the initials upper-case letters (the schema's
  regex lets ``('Smith', 'jw')`` through although its description forbids it);
- ORCIDs must pass their check digit (the schema asks for it in words only);
- ``scale`` is a string ``"1"``–``"5"`` (the schema types it string but gives an integer default).

``EmpiarDeposition.document()`` gives the JSON-ready mapping with unset optional keys left out.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from clxm_meta.export.empiar.codes import CODED_PATTERNS, EXPERIMENT_TYPES
from clxm_meta.sidecar.countries import EMPIAR_COUNTRIES
from clxm_meta.sidecar.validate import email_valid, orcid_checksum_ok

__all__ = [
    "AUTHOR_NAME",
    "Author",
    "Citation",
    "Contact",
    "EmpiarDeposition",
    "Imageset",
    "Reference",
    "Workflow",
    "WorkflowFile",
]

_NAME_CHARS = '[^0-9!"£$%^&*()]'
"""What EMPIAR's schema allows in a name: not digits nor ``!"£$%^&*()``. An ASCII apostrophe is
allowed (``O'Brien``), as the schema's patterns allow it."""
AUTHOR_NAME = re.compile(rf"\('({_NAME_CHARS}{{1,60}})', '({_NAME_CHARS}{{1,20}})'\)")
"""An author as EMPIAR writes it: ``('Surname', 'IN')``, surname ≤ 60 characters, initials ≤ 20
capital letters (checked apart: ``str.isupper`` and ``str.isalpha``, so ``É`` is a capital)."""
_PERSON_NAME = re.compile(rf"{_NAME_CHARS}+")


def _orcid(value: str | None) -> str | None:
    if value is not None and not orcid_checksum_ok(value):
        raise ValueError("not an ORCID with a valid check digit (dddd-dddd-dddd-dddX)")
    return value


def _author_name(value: str) -> str:
    match = AUTHOR_NAME.fullmatch(value)
    if not match or not (match.group(2).isalpha() and match.group(2).isupper()):
        raise ValueError(
            "expected ('Surname', 'INITIALS'): surname without digits or !\"£$%^&*(), "
            "initials upper-case letters only"
        )
    return value


def _person_name(value: str) -> str:
    if not _PERSON_NAME.fullmatch(value):
        raise ValueError('a name may not hold digits or !"£$%^&*()')
    return value


def _email(value: str) -> str:
    if not email_valid(value):
        raise ValueError("not an email address (name@domain.tld)")
    return value


def _country(value: str) -> str:
    if value not in EMPIAR_COUNTRIES:
        raise ValueError("not an ISO 3166-1 alpha-2 code EMPIAR accepts (GB, not UK)")
    return value


def _coded(key: str) -> AfterValidator:
    pattern = CODED_PATTERNS[key]

    def check(value: str) -> str:
        if not pattern.fullmatch(value):
            raise ValueError(f"not a coded {key}: expected ('Tn', '') or ('OT', 'TEXT')")
        return value

    return AfterValidator(check)


Orcid = Annotated[str | None, AfterValidator(_orcid)]
PersonName = Annotated[str, Field(max_length=60), AfterValidator(_person_name)]
Text200 = Annotated[str, Field(max_length=200)]
Text60 = Annotated[str, Field(max_length=60)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Author(_Model):
    """An entry, citation or editor author."""

    name: Annotated[str, AfterValidator(_author_name)]
    order_id: int = Field(ge=0)
    author_orcid: Orcid = None


class Contact(_Model):
    """The corresponding author or a principal investigator."""

    first_name: PersonName
    last_name: PersonName
    organization: Annotated[str, Field(max_length=255)]
    email: Annotated[str, AfterValidator(_email)]
    country: Annotated[str, AfterValidator(_country)]
    author_orcid: Orcid = None
    middle_name: PersonName | None = None
    street: Annotated[str, Field(max_length=255)] | None = None
    town_or_city: Text60 | None = None
    state_or_province: Text60 | None = None
    post_or_zip: Text60 | None = None
    telephone: Text60 | None = None
    fax: Text60 | None = None


class Reference(_Model):
    """A cross-reference ``{"name": ...}``; the pattern depends on the list it is in."""

    name: str


class Workflow(_Model):
    """A workflow of the entry (type 1 = WorkflowHub)."""

    url: Annotated[str, Field(pattern=r"^https://.+$")]
    type: Literal[1]


class WorkflowFile(_Model):
    """A workflow file uploaded with the data (e.g. a Scipion workflow)."""

    path: Annotated[str, Field(max_length=200)] | None


class Imageset(_Model):
    """One image set (a tilt series, a reconstructed volume, a mosaic, a reference...)."""

    name: Text200
    directory: Annotated[str, Field(max_length=200, pattern=r"^/?data(/[^\x00]+)?$")]
    category: Annotated[str, _coded("category")]
    header_format: Annotated[str, _coded("header_format")]
    data_format: Annotated[str, _coded("data_format")]
    num_images_or_tilt_series: int = Field(ge=1)
    frames_per_image: int = Field(ge=1)
    voxel_type: Annotated[str, _coded("voxel_type")]
    frame_range_min: int | None = None
    frame_range_max: int | None = None
    pixel_width: float | None = Field(default=None, gt=0)
    pixel_height: float | None = Field(default=None, gt=0)
    image_width: int | None = Field(default=None, ge=1)
    image_height: int | None = Field(default=None, ge=1)
    details: str | None = None
    micrographs_file_pattern: Text200 | None = None
    picked_particles_file_pattern: Text200 | None = None
    picked_particles_directory: Text200 | None = None


class Citation(_Model):
    """A citation of the entry (``published`` false for unpublished data)."""

    authors: list[Author] = Field(min_length=1)
    published: bool
    j_or_nj_citation: bool
    title: Annotated[str, Field(min_length=1, max_length=255)]
    editors: list[Author] | None = None
    journal: str | None = None
    journal_abbreviation: str | None = None
    volume: Annotated[str, Field(max_length=8)] | None = None
    issue: str | None = None
    first_page: Annotated[str, Field(max_length=8)] | None = None
    last_page: Annotated[str, Field(max_length=8)] | None = None
    year: int | None = Field(default=None, ge=1000, le=9999)
    language: Annotated[str, Field(max_length=40)] | None = None
    doi: (
        Annotated[str, Field(max_length=80, pattern=r"^10\.[0-9]{4,9}/[-._;()/:A-Za-z0-9]+$")]
        | None
    ) = None
    pubmedid: Annotated[str, Field(max_length=20, pattern=r"^[0-9]{1,8}(\.[0-9]+)?$")] | None = None
    details: Annotated[str, Field(max_length=65535)] | None = None
    country: Annotated[str, AfterValidator(_country)] | None = None
    book_chapter_title: Annotated[str, Field(max_length=80)] | None = None
    publisher: Annotated[str, Field(max_length=80)] | None = None
    publication_location: Annotated[str, Field(max_length=80)] | None = None


def _experiment_type(value: int) -> int:
    if value not in EXPERIMENT_TYPES:
        raise ValueError(f"not an EMPIAR experiment type ({sorted(EXPERIMENT_TYPES)})")
    return value


def _ref(pattern: str) -> Any:
    compiled = re.compile(pattern)

    def check(ref: Reference) -> Reference:
        if not compiled.fullmatch(ref.name):
            raise ValueError(f"{ref.name!r} does not match {pattern}")
        return ref

    return check


def _unique_orders(authors: list[Author]) -> list[Author]:
    if [a.order_id for a in authors] != list(range(len(authors))):
        raise ValueError("order_id must run 0, 1, 2 ... in list order")
    return authors


class EmpiarDeposition(_Model):
    """The whole deposition document."""

    title: Annotated[str, Field(min_length=10, max_length=255)]
    release_date: Literal["RE", "EP", "HP", "HO"]
    experiment_type: Annotated[int, AfterValidator(_experiment_type)]
    scale: Annotated[str, Field(pattern=r"^[1-5]$")] | None = None
    cross_references: list[Annotated[Reference, AfterValidator(_ref(r"EMD-[0-9]{4,}"))]] | None = (
        None
    )
    biostudies_references: list[Annotated[Reference, AfterValidator(_ref(r"S-.+"))]] | None = None
    idr_references: list[Annotated[Reference, AfterValidator(_ref(r"idr.*"))]] | None = None
    empiar_references: list[Annotated[Reference, AfterValidator(_ref(r"EMPIAR-\d+"))]] | None = None
    authors: Annotated[list[Author], Field(min_length=1), AfterValidator(_unique_orders)]
    corresponding_author: Contact
    principal_investigator: list[Contact] = Field(min_length=1)
    imagesets: list[Imageset] = Field(min_length=1)
    citation: list[Citation] = Field(min_length=1)
    workflows: list[Workflow] | None = None
    workflow_file: WorkflowFile | None = None

    def document(self) -> dict[str, Any]:
        """The JSON-ready mapping EMPIAR takes (unset optional keys left out)."""
        data: dict[str, Any] = self.model_dump(mode="json", exclude_none=True)
        if self.workflow_file is not None and self.workflow_file.path is None:
            data["workflow_file"] = {"path": None}
        return data
