"""The Table 1 catalogue: every row of shared/docs/table1.md, its label, origin and default unit.

Generated once from ``docs/table1.md`` of the deposition protocol digest and kept in the package so
that the library does not need the document at run time. ``tests/records/test_fields.py`` checks that this
catalogue, the record models and the document agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["FIELDS", "DatasetKind", "FieldSpec", "field_spec", "fields_for"]


class DatasetKind(StrEnum):
    """The two kinds of Table 1 record."""

    SIM = "SIM"
    """Cryo-SIM dataset, deposited to BioStudies / BioImage Archive."""
    SXT = "SXT"
    """Cryo-SXT dataset, deposited to EMPIAR."""


@dataclass(frozen=True)
class FieldSpec:
    """One Table 1 row.

    ``origin`` is the code of the protocol's footnote: ``file``, ``facility``, ``attached``,
    ``reconstruction``, ``depositor`` (or two joined by ``/``).
    """

    id: str
    label: str
    origin: str
    kind: DatasetKind
    unit: str | None = None
    shared: bool = False


_SHARED = (
    ("general.title", "Dataset title", "depositor"),
    ("general.collection_date", "Data collection date", "file"),
    ("general.facility", "Data collection location (facility, RRID)", "depositor/facility"),
    ("general.instrument", "Instrument used (beamline and microscope)", "file/facility"),
    ("general.people", "Researchers and technical staff (name, affiliation, ORCID)", "depositor"),
    ("general.funding", "Funding (beamline proposal or associated)", "depositor"),
    ("general.publication_doi", "Publication DOI", "depositor"),
    ("sample.sample_id", "Sample ID (origin publication, ATCC number, ...)", "depositor"),
    ("sample.fluorophores", "Fluorophores and administration route", "depositor"),
    ("sample.fiducials", "Fiducialisation regime (size, composition, geometry)", "depositor"),
    ("sample.carrier", "Sample carrier and substrate", "depositor"),
    ("related.accessions", "Related dataset IDs (S-BIADnnnnn, EMPIAR-nnnnn)", "depositor"),
    (
        "correlation.transform",
        "Transformation matrices or other means to define the correlation",
        "file",
    ),
)

_SIM = (
    ("setup.objective", "Objective (NA, serial number)", "facility"),
    ("setup.lasers", "Lasers used", "file", "nm"),
    ("setup.detector", "Detector type", "facility"),
    ("setup.emission_filters", "Emission filters", "file", "nm"),
    ("setup.field_of_view", "FOV", "facility/file", "µm"),
    ("setup.pixel_size", "Pixel size", "file", "µm"),
    ("acquisition.n_excitation_wavelengths", "Number of excitation wavelengths", "file"),
    ("acquisition.channels", "Per channel: excitation wavelength, exposure, power", "file"),
    ("acquisition.n_focal_planes", "Number of focal planes (size Z)", "file"),
    ("acquisition.stack_height", "Stack height = ((size Z / 15) - 1) x 0.125 µm", "file", "µm"),
    ("acquisition.diffraction_angle", "Diffraction angle", "file", "rad"),
    ("acquisition.linewidth_per_k0", "Linewidth per k0 per wavelength", "facility", "µm"),
    ("acquisition.si_acquired_order", "Acquisition data order (SIacquired)", "file"),
    ("acquisition.si_reported_order", "Reported data order (SIreported)", "file"),
    (
        "acquisition.detector_settings",
        "Detector settings (gain, binning, temperature, fan)",
        "facility",
    ),
    ("acquisition.attenuation", "Attenuation filter setting", "facility"),
    ("acquisition.software", "Software (version) used", "file"),
    ("acquisition.mosaic", "2D mosaic of grid area (optional)", "attached"),
    ("raw.format", "Format type (.dv / .mrc)", "file"),
    ("raw.dimensions", "Image dimensions (width and height in pixels and microns)", "file"),
    ("raw.pixel_type", "Pixel type (unsigned byte, 32-bit float, ...)", "file"),
    ("raw.intensity_range", "Max / min intensities recorded", "file"),
    ("raw.brightfield_stack", "Associated brightfield Z stack file", "attached"),
    ("processing.software", "Reconstruction software (version)", "file"),
    ("processing.otf_files", "Associated OTF files (optional)", "attached"),
    (
        "processing.per_channel",
        "Per channel: best fit, optimized k0, calculated line spacing, amplitude",
        "reconstruction",
    ),
    ("processed.dimensions", "3D image dimensions", "file"),
    ("processed.voxel_size", "Voxel size", "file", "µm"),
    ("processed.resolution", "Resolution", "file/depositor"),
    ("processed.color_depth", "Colour depth (bits per pixel)", "file", "bit"),
    ("chromatic_shift.software", "Chromatic shift software (version)", "file"),
    ("chromatic_shift.transform", "ChA-ChB transformation: tz, ty, tx, rz, mz, my, mx", "file"),
)

_SXT = (
    (
        "setup.energy",
        "Energy of illumination (eV or Å; about 500 eV in the water window)",
        "file",
        "eV",
    ),
    ("setup.zone_plate", "Zone plate used", "facility"),
    ("setup.magnification", "Magnification", "facility"),
    ("setup.field_of_view", "FOV", "file", "µm"),
    ("setup.pixel_size", "Pixel size", "facility", "µm"),
    ("acquisition.exposure", "Exposure time and type", "file", "s"),
    ("acquisition.attenuation", "Attenuation", "facility"),
    ("acquisition.tilt_range", "Tilt series angle range (start / end)", "facility", "°"),
    ("acquisition.tilt_step", "Tilt series angle step", "facility", "°"),
    ("acquisition.n_frames", "Number of frames", "file"),
    ("acquisition.overlaps", "Overlaps with adjacent FOVs", "facility"),
    ("acquisition.radiation_damage", "Notes on radiation damage", "facility"),
    ("acquisition.mosaic", "2D mosaic of grid area (optional)", "attached"),
    ("raw.type", "Type: background subtracted / referenced", "facility"),
    ("raw.format", "Format type (.txrm / .tiff)", "file"),
    ("raw.dimensions", "Image dimensions (pixels and microns)", "facility"),
    ("raw.pixel_type", "Pixel type", "file"),
    ("raw.non_referenced_file", "Non-referenced raw data file (optional)", "attached"),
    ("processing.software", "Reconstruction software (version)", "file"),
    ("processing.reference_image", "Associated background reference image", "attached"),
    ("processing.type", "Processing type (manual / automated)", "file"),
    ("processing.protocol", "Reconstruction protocol (WBP, SIRT, Patch)", "file"),
    ("processing.residual_error", "Residual error mean / standard deviation", "reconstruction"),
    ("processing.weighted_residual_error", "Weighted mean residual error", "reconstruction"),
    ("processing.correlation_coefficients", "Correlation coefficients", "reconstruction"),
    ("processing.fsc_cutoff", "Fourier shell / ring correlation cut-off", "reconstruction"),
    ("processed.format", "Image format", "file"),
    ("processed.dimensions", "Image dimensions", "file"),
    ("processed.pixel_type", "Pixel type", "file"),
)


def _build(kind: DatasetKind, specific: tuple[tuple[str, ...], ...]) -> tuple[FieldSpec, ...]:
    out = [FieldSpec(id=r[0], label=r[1], origin=r[2], kind=kind, shared=True) for r in _SHARED]
    for r in specific:
        out.append(
            FieldSpec(
                id=r[0], label=r[1], origin=r[2], kind=kind, unit=r[3] if len(r) > 3 else None
            )
        )
    return tuple(out)


FIELDS: dict[DatasetKind, tuple[FieldSpec, ...]] = {
    DatasetKind.SIM: _build(DatasetKind.SIM, _SIM),
    DatasetKind.SXT: _build(DatasetKind.SXT, _SXT),
}
"""Every Table 1 row per dataset kind, in the order of the protocol's table."""

_INDEX = {(spec.kind, spec.id): spec for specs in FIELDS.values() for spec in specs}


def fields_for(kind: DatasetKind | str) -> tuple[FieldSpec, ...]:
    """Return the Table 1 rows of a dataset kind."""
    return FIELDS[DatasetKind(kind)]


def field_spec(kind: DatasetKind | str, field_id: str) -> FieldSpec:
    """Return one Table 1 row; `KeyError` if ``field_id`` is not a row of that kind."""
    return _INDEX[(DatasetKind(kind), field_id)]
