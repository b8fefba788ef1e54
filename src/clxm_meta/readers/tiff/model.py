"""The TIFF format model: first-page tags, series, and the ImageJ and OME sections."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FormatModel
from clxm_meta.readers.tiff.imagej import ImageJMetadata
from clxm_meta.readers.tiff.tags import JSONValue

__all__ = [
    "OmeChannel",
    "OmeDetector",
    "OmeImage",
    "OmeInstrument",
    "OmeLaser",
    "OmeObjective",
    "OmePixels",
    "OmePlane",
    "OmeSummary",
    "TiffMetadata",
    "TiffPage",
    "TiffSeries",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class OmeChannel(_Model):
    """One ``Pixels/Channel``; wavelengths in nm."""

    index: int
    id: str | None = None
    name: str | None = None
    samples_per_pixel: int | None = None
    excitation_nm: float | None = None
    emission_nm: float | None = None
    fluor: str | None = None
    nd_filter: float | None = None
    illumination_type: str | None = None
    acquisition_mode: str | None = None
    contrast_method: str | None = None
    detector_id: str | None = None
    detector_binning: str | None = None
    detector_gain: float | None = None
    light_source_id: str | None = None
    light_source_attenuation: float | None = None
    light_source_wavelength_nm: float | None = None


class OmePlane(_Model):
    """One ``Pixels/Plane``; times in s, positions in µm."""

    the_z: int
    the_c: int
    the_t: int
    exposure_s: float | None = None
    delta_t_s: float | None = None
    position_x_um: float | None = None
    position_y_um: float | None = None
    position_z_um: float | None = None


class OmePixels(_Model):
    """``Image/Pixels``: sizes, order, type and physical sizes (µm), with the units as written."""

    dimension_order: str | None = None
    type: str | None = None
    significant_bits: int | None = None
    size_x: int | None = None
    size_y: int | None = None
    size_z: int | None = None
    size_c: int | None = None
    size_t: int | None = None
    physical_size_x_um: float | None = None
    physical_size_y_um: float | None = None
    physical_size_z_um: float | None = None
    physical_size_x_as_written: str | None = None
    """Value and unit as in the file, e.g. ``"155.789 nm"`` (kept because the unit may be odd)."""
    physical_size_y_as_written: str | None = None
    physical_size_z_as_written: str | None = None
    time_increment_s: float | None = None
    channels: list[OmeChannel] = []
    planes: list[OmePlane] = []


class OmeImage(_Model):
    """One OME ``Image``."""

    index: int
    id: str | None = None
    name: str | None = None
    description: str | None = None
    acquisition_date: str | None = None
    """ISO 8601, as written (no time zone is added)."""
    instrument_ref: str | None = None
    objective_ref: str | None = None
    objective_refractive_index: float | None = None
    objective_medium: str | None = None
    pixels: OmePixels | None = None


class OmeObjective(_Model):
    """``Instrument/Objective``."""

    id: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    serial_number: str | None = None
    lens_na: float | None = None
    nominal_magnification: float | None = None
    calibrated_magnification: float | None = None
    immersion: str | None = None
    correction: str | None = None
    working_distance_um: float | None = None


class OmeDetector(_Model):
    """``Instrument/Detector``."""

    id: str | None = None
    type: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    serial_number: str | None = None
    gain: float | None = None


class OmeLaser(_Model):
    """``Instrument/Laser``."""

    id: str | None = None
    type: str | None = None
    laser_medium: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    wavelength_nm: float | None = None
    power_mw: float | None = None


class OmeInstrument(_Model):
    """One OME ``Instrument``."""

    id: str | None = None
    microscope_manufacturer: str | None = None
    microscope_model: str | None = None
    microscope_type: str | None = None
    objectives: list[OmeObjective] = []
    detectors: list[OmeDetector] = []
    lasers: list[OmeLaser] = []


class OmeSummary(_Model):
    """What the OME-XML of a TIFF says, typed and in fixed units.

    Attributes
    ----------
    parsed_by
        ``"ome-types"``, or ``"fallback"`` when ome-types rejected the document and only the first
        image's Pixels attributes and acquisition date were read.
    """

    parsed_by: Literal["ome-types", "fallback"]
    schema_namespace: str | None = None
    creator: str | None = None
    uuid: str | None = None
    images: list[OmeImage] = []
    instruments: list[OmeInstrument] = []
    n_structured_annotations: int | None = None


class TiffSeries(BaseModel):
    """One tifffile series: an n-dimensional image made of pages."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

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

    model_config = ConfigDict(extra="forbid", defer_build=True)

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
    first_page: TiffPage = TiffPage.model_construct()  # no validator built at import
    imagej: ImageJMetadata | None = None
    ome: OmeSummary | None = None
    shaped: list[dict[str, Any]] | None = None
    otf_like: bool = False
    tags: dict[str, JSONValue] = Field(default_factory=dict)
    tags_notes: dict[str, str] = Field(default_factory=dict)
