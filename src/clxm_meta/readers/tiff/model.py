"""The TIFF format model: first-page tags, series, and the ImageJ and OME sections."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FormatModel
from clxm_meta.readers.tiff.imagej import ImageJMetadata
from clxm_meta.readers.tiff.ome import OmeSummary
from clxm_meta.readers.tiff.tags import JSONValue

__all__ = ["TiffMetadata", "TiffPage", "TiffSeries"]


class TiffSeries(BaseModel):
    """One tifffile series: an n-dimensional image made of pages."""

    model_config = ConfigDict(extra="forbid")

    index: int
    shape: list[int]
    axes: str
    dtype: str
    kind: str | None = None
    """How tifffile recognised it: ``"ome"``, ``"imagej"``, ``"shaped"``, ``"generic"`` ..."""
    n_pages: int | None = None


class TiffPage(BaseModel):
    """The first page (IFD) of the file: geometry, sample format and descriptive tags.

    Attributes
    ----------
    x_resolution, y_resolution
        XResolution / YResolution (tags 282 / 283), pixels per ``resolution_unit``.
    resolution_unit
        ``"in"``, ``"cm"``, ``"mm"``, ``"µm"``, or ``None`` for ResolutionUnit 1 (no absolute unit).
    pixel_size_x_um, pixel_size_y_um
        1 / resolution converted to µm, only when the resolution unit is a length.
    datetime
        DateTime (tag 306) as written; ``datetime_iso`` is the same in ISO 8601 when it parses.
    description_kind
        ``"ome-xml"``, ``"imagej"``, ``"json"``, ``"text"`` or ``None``.
    """

    model_config = ConfigDict(extra="forbid")

    width: int | None = None
    height: int | None = None
    samples_per_pixel: int | None = None
    bits_per_sample: int | None = None
    sample_format: str | None = None
    dtype: str | None = None
    compression: str | None = None
    photometric: str | None = None
    planar_configuration: str | None = None
    tiled: bool = False
    x_resolution: float | None = None
    y_resolution: float | None = None
    resolution_unit_code: int | None = None
    resolution_unit: str | None = None
    pixel_size_x_um: float | None = None
    pixel_size_y_um: float | None = None
    software: str | None = None
    datetime: str | None = None
    datetime_iso: str | None = None
    artist: str | None = None
    make: str | None = None
    model: str | None = None
    host_computer: str | None = None
    document_name: str | None = None
    page_name: str | None = None
    description_kind: str | None = None
    description: str | None = None
    """Plain-text descriptions only (OME-XML and ImageJ text are parsed into their own sections)."""


class TiffMetadata(FormatModel):
    """Everything a TIFF header says (first page tags, series, ImageJ and OME metadata).

    Attributes
    ----------
    flavour
        ``"txrm2tiff"``, ``"ome"``, ``"imagej"`` or ``"plain"`` (see the module docstring).
    writer, writer_version
        The program that wrote the file, from the Software tag or the ImageJ description.
    tags
        First page's tags by name (JSON-safe, bounded; see `clxm_meta.readers.tiff.tags`).
    tags_notes
        Values cut or left out of ``tags``, by tag name.
    otf_like
        The file has the layout of a CImg-written OTF (see the module docstring).
    """

    format: Literal["tiff"] = "tiff"
    flavour: Literal["plain", "imagej", "ome", "txrm2tiff"] = "plain"
    writer: str | None = None
    writer_version: str | None = None
    byte_order: Literal["little", "big"] | None = None
    bigtiff: bool = False
    n_pages: int | None = None
    series: list[TiffSeries] = Field(default_factory=list)
    n_series: int | None = None
    first_page: TiffPage = TiffPage()
    imagej: ImageJMetadata | None = None
    ome: OmeSummary | None = None
    shaped: list[dict[str, Any]] | None = None
    otf_like: bool = False
    tags: dict[str, JSONValue] = Field(default_factory=dict)
    tags_notes: dict[str, str] = Field(default_factory=dict)
