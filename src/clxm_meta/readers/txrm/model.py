"""`TxrmFile`: the format model of a Zeiss/Xradia ``.txrm`` / ``.xrm`` compound file.

Everything the reader knows from the OLE streams, in the file's own vocabulary, with units in the
attribute names. Every attribute is optional: ``None`` means the file does not say (or says
something the reader rejected, with a finding). ``streams`` lists every stream with its size, so
content this model does not decode stays reachable.
"""

# No ``from __future__ import annotations``: pydantic would evaluate every field's annotation
# from its string, compiling each (a few ms of the start-up of ``inspect``).
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FormatModel

__all__ = ["TxrmFile", "TxrmMosaic", "TxrmReference"]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class TxrmMosaic(_Part):
    """Mosaic grid (``ImageInfo/MosiacRows``, ``MosiacColumns``, ``MosiacMode``, sic)."""

    rows: int | None = None
    columns: int | None = None
    mode: int | None = None
    """``MosiacMode``: 1 = mosaic (XM Controller v3 files only)."""
    fast_axis: int | None = None
    slow_axis: int | None = None


class TxrmReference(_Part):
    """The background (flat-field) reference stored inside the file (``ReferenceData``)."""

    stream: str
    """Name of the reference pixel stream, e.g. ``"ReferenceData/Image"`` (pixels never read)."""
    size_bytes: int
    width_px: int | None = None
    height_px: int | None = None
    data_type: str | None = None
    data_type_code: int | None = None
    exposure_s: float | None = None
    exposure_locator: str | None = None


class TxrmFile(FormatModel):
    """Metadata of one Xradia TXRM/XRM file (header streams only; pixels are never read).

    Attributes
    ----------
    file_version
        Stream ``Version`` (3.0 XM Controller, 4.0, 5.0 XRM Data Explorer era).
    software_version
        Stream ``exeVersion``: version of the acquisition software.
    image_width_px, image_height_px
        ``ImageInfo/ImageWidth`` / ``ImageHeight`` as stored (v3 mosaics: the whole mosaic).
    images_planned, images_taken
        ``ImageInfo/NoOfImages`` and ``ImageInfo/ImagesTaken``.
    image_streams
        Number of ``ImageData*/Image*`` pixel streams present (their content is not read).
    image_stream_bytes
        Size of the first image stream, bytes.
    data_type, data_type_code
        ``ImageInfo/DataType``: numpy-style name (``"uint16"``) and the vendor code.
    pixel_size_um
        ``ImageInfo/PixelSize``, micrometres (object space).
    energies_ev, angles_deg, exposures_s, dates
        Per-image X-ray energy (eV), tilt angle (degrees), exposure (s) and acquisition date-time
        (ISO 8601). A value the reader rejected is ``None`` in its place.
    x_positions_um, y_positions_um, z_positions_um
        Per-image sample stage position, micrometres.
    """

    format: Literal["txrm"] = "txrm"
    file_version: float | None = None
    software_version: str | None = None
    image_width_px: int | None = None
    image_height_px: int | None = None
    images_planned: int | None = None
    images_taken: int | None = None
    image_streams: int = 0
    image_stream_bytes: int | None = None
    data_type: str | None = None
    data_type_code: int | None = None
    pixel_size_um: float | None = None
    energies_ev: list[float | None] = Field(default_factory=list)
    angles_deg: list[float | None] = Field(default_factory=list)
    exposures_s: list[float | None] = Field(default_factory=list)
    dates: list[str | None] = Field(default_factory=list)
    binning: int | None = None
    horizontal_binning: int | None = None
    vertical_binning: int | None = None
    optical_magnification: float | None = None
    xray_magnification: float | None = None
    objective_name: str | None = None
    zone_plate_name: str | None = None
    camera_name: str | None = None
    camera_pixel_size_um: float | None = None
    frames_per_image: int | None = None
    images_averaged: int | None = None
    temperature_c: float | None = None
    source_voltage_kv: float | None = None
    source_current: float | None = None
    """``ImageInfo/XrayCurrent`` or ``Current`` when non-zero; the unit is not stated by the file."""
    acquisition_mode: int | None = None
    x_positions_um: list[float | None] = Field(default_factory=list)
    y_positions_um: list[float | None] = Field(default_factory=list)
    z_positions_um: list[float | None] = Field(default_factory=list)
    mosaic: TxrmMosaic | None = None
    reference: TxrmReference | None = None
    reference_file: str | None = None
    """``ImageInfo/ReferenceFile``: path of an external reference used at acquisition."""
    ref_corrected: bool | None = None
    """``ImageInfo/OriginalDataRefCorrected``: the stored images are already referenced."""
    facility: str | None = None
    sample_id: str | None = None
    locators: dict[str, str] = Field(default_factory=dict)
    """Model attribute → the stream it was read from (as spelled in the file)."""
    streams: dict[str, int] = Field(default_factory=dict)
    """Every stream in the file (``storage/.../name``, as spelled in the file) and its size in bytes."""
