"""Composite value types used by Table 1 slots.

Units are in the attribute names (``_um``, ``_nm``, ``_s``, ``_deg``, ``_ev``). Every attribute is
optional: ``None`` means "not known", never zero.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = [
    "XYZ",
    "AttachedFile",
    "ChannelSetting",
    "ChromaticTransform",
    "DetectorSettings",
    "EnergySummary",
    "ExposureSummary",
    "FundingItem",
    "ImageDimensions",
    "IntensityRange",
    "LineSpacing",
    "Magnification",
    "MosaicLayout",
    "Objective",
    "Person",
    "ReconstructionProtocol",
    "ResidualError",
    "SimChannelProcessing",
    "SimDirection",
    "Software",
    "TiltRange",
    "TiltStep",
    "Transform",
    "ValueModel",
]


class ValueModel(BaseModel):
    """Base of the composite values: immutable, no unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class XYZ(ValueModel):
    """A per-axis quantity (pixel size, voxel size, field of view); unit given by the row."""

    x: float | None = None
    y: float | None = None
    z: float | None = None


class ImageDimensions(ValueModel):
    """Image extent in pixels and in micrometres."""

    x: int | None = None
    y: int | None = None
    z: int | None = None
    c: int | None = None
    t: int | None = None
    x_um: float | None = None
    y_um: float | None = None
    z_um: float | None = None


class Objective(ValueModel):
    """A microscope objective."""

    lens_id: int | None = None
    name: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    magnification: float | None = None
    na: float | None = None
    immersion: str | None = None
    correction: str | None = None
    working_distance_mm: float | None = None
    serial_number: str | None = None


class ChannelSetting(ValueModel):
    """Acquisition settings of one channel (wavelength index ``index``, 0-based)."""

    index: int
    excitation_nm: float | None = None
    emission_nm: float | None = None
    exposure_s: float | None = None
    attenuation: float | None = None
    """Neutral-density transmission as found in the file (fraction or percent; see the source)."""
    power_mw: float | None = None


class IntensityRange(ValueModel):
    """Minimum and maximum intensity of one channel."""

    index: int
    wavelength_nm: float | None = None
    min: float | None = None
    max: float | None = None


class DetectorSettings(ValueModel):
    """Camera settings."""

    binning: str | None = None
    gain: float | None = None
    temperature_c: float | None = None
    readout: str | None = None
    other: dict[str, str] = {}


class Software(ValueModel):
    """A program and its version."""

    name: str
    version: str | None = None


class AttachedFile(ValueModel):
    """A file attached to a record (OTF, reference, brightfield stack, mosaic ...)."""

    path: str
    role: str | None = None
    format: str | None = None
    size_bytes: int | None = None
    md5: str | None = None
    stream: str | None = None
    """For data held inside another file (e.g. the TXRM ``ReferenceData/Image`` stream)."""
    summary: dict[str, str | int | float | bool | None] = {}


class LineSpacing(ValueModel):
    """SIM illumination line spacing of one direction of one channel."""

    channel: str | None = None
    wavelength_nm: float | None = None
    direction: int
    spacing_um: float | None = None


class SimDirection(ValueModel):
    """Fit results of one SIM illumination direction."""

    direction: int
    k0_angle_rad: float | None = None
    k0_length_per_um: float | None = None
    line_spacing_um: float | None = None
    best_fit_percent: float | None = None
    """Deviation of the optimised k0 from the expected value, percent."""
    amplitude_order1: float | None = None
    amplitude_order2: float | None = None
    correlation_order1: float | None = None
    correlation_order2: float | None = None


class SimChannelProcessing(ValueModel):
    """SIM reconstruction results of one channel."""

    channel: str | None = None
    wavelength_nm: float | None = None
    directions: list[SimDirection] = []
    wiener: float | None = None
    """Wiener filter constant the reconstruction used (``wiener``)."""
    zoom_xy: float | None = None
    """Lateral zoom of the output over the input (``zoomfact``)."""
    zoom_z: float | None = None
    """Axial zoom (``zzoom``; cudasirecon prints ``zoomz``)."""
    na: float | None = None
    """Detection NA given to the reconstruction (``na``)."""
    immersion_index: float | None = None
    """Refractive index of the immersion medium given to the reconstruction (``nimm``)."""


class ChromaticTransform(ValueModel):
    """Chromagnon-style transform of one channel onto the reference channel."""

    reference_wavelength_nm: float | None = None
    wavelength_nm: float | None = None
    timepoint: int | None = None
    tz: float | None = None
    ty: float | None = None
    tx: float | None = None
    rz: float | None = None
    mz: float | None = None
    my: float | None = None
    mx: float | None = None


class Transform(ValueModel):
    """An affine transform matrix (row-major) with a description of what it maps."""

    matrix: list[list[float]]
    description: str | None = None
    source_space: str | None = None
    target_space: str | None = None


class Person(ValueModel):
    """A researcher or staff member.

    ``name`` is the display name. EMPIAR needs the name split (``('Surname', 'IN')``, first and last
    name of the corresponding author and principal investigators): give ``last_name`` and
    ``first_name``, or write ``name`` as ``"Surname, Given names"``; a plain ``"Given Surname"`` is
    never split by guessing. ``affiliation`` is the organisation (EMPIAR ``organization``).
    """

    name: str
    first_name: str | None = None
    last_name: str | None = None
    affiliation: str | None = None
    orcid: str | None = None
    email: str | None = None
    country: str | None = None
    """ISO 3166-1 alpha-2 code of the affiliation's country (``GB``, not ``UK``)."""
    role: str | None = None
    corresponding_author: bool | None = None
    principal_investigator: bool | None = None
    ror: str | None = None
    """ROR id of the affiliation (the organisation), ``https://ror.org/0xxxxxxxx``."""


class FundingItem(ValueModel):
    """A grant or beamline proposal."""

    agency: str | None = None
    grant_id: str | None = None


class EnergySummary(ValueModel):
    """X-ray energy over the images of a series, eV."""

    value_ev: float | None = None
    """The energy when it is the same for every image."""
    min_ev: float | None = None
    max_ev: float | None = None
    n_images: int | None = None


class ExposureSummary(ValueModel):
    """Exposure time over the images of a series, seconds."""

    value_s: float | None = None
    """The exposure when it is the same for every image."""
    min_s: float | None = None
    max_s: float | None = None
    n_images: int | None = None
    type: str | None = None
    """``"constant"`` or ``"variable"`` when derived from per-image values, or depositor text."""


class Magnification(ValueModel):
    """Magnifications of a transmission X-ray microscope."""

    xray: float | None = None
    optical: float | None = None


class TiltRange(ValueModel):
    """Tilt angles of a series, degrees: first/last as acquired, and extremes."""

    start_deg: float | None = None
    end_deg: float | None = None
    min_deg: float | None = None
    max_deg: float | None = None


class TiltStep(ValueModel):
    """Step between consecutive tilt angles, degrees."""

    step_deg: float | None = None
    """The step when regular (all steps equal within 0.01°); otherwise the median step."""
    min_deg: float | None = None
    max_deg: float | None = None
    regular: bool | None = None


class MosaicLayout(ValueModel):
    """A mosaic grid."""

    rows: int | None = None
    columns: int | None = None
    overlap_fraction: float | None = None


class ResidualError(ValueModel):
    """Alignment residual error."""

    mean: float | None = None
    sd: float | None = None
    unit: str | None = None


class ReconstructionProtocol(ValueModel):
    """How a tomogram was aligned and reconstructed."""

    alignment: str | None = None
    """``"fiducial"``, ``"patch tracking"``, ``"fiducialless"``, ``"AreTomo"``, ..."""
    reconstruction: str | None = None
    """``"WBP"``, ``"SIRT"``, ``"SIRT-like filter"``, ``"SART"``, ..."""
    iterations: int | None = None
    back_projection_also: bool | None = None
    """A WBP volume was asked for beside the SIRT one (batchruntomo ``doBackprojAlso``)."""
    fiducial_count: int | None = None
    """Fiducials to seed (batchruntomo ``autofidseed TargetNumberOfBeads``)."""
    patch_size_px: list[int] | None = None
    """Patch tracking: patch size in X and Y (``tiltxcorr SizeOfPatchesXandY``), pixels."""
    patch_overlap: list[float] | None = None
    """Patch tracking: overlap fraction in X and Y (``tiltxcorr OverlapOfPatchesXandY``)."""
    tilt_axis_deg: float | None = None
    """Tilt-axis rotation given to IMOD (``setupset.copyarg.rotation``), degrees."""
    binning: int | None = None
    """Binning of the aligned stack the volume is made from (``AlignedStack binByFactor``)."""
    thickness_px: int | None = None
    """Volume thickness asked of ``tilt`` (``THICKNESS``), pixels."""
