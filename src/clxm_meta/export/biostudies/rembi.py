"""Which Table 1 field of a SIM dataset feeds which REMBI module and PageTab attribute.

`REMBI_MAPPING` is the single table the PageTab writer is driven by (an attribute's text is built
from the fields mapped to it, in this order) and the docs are generated from. REMBI modules follow
Sarkans et al. 2021 (Nat Methods 18:1418, Supplementary Table); section and attribute names are the
BioImages.v4 template's as used by the BioImage Archive (``S-BIADTEST``, bia-agent output).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["FILE_LIST", "REMBI_MAPPING", "SHORT_LABELS", "RembiTarget"]


class RembiTarget(NamedTuple):
    """Where a Table 1 value goes in the BioStudies submission."""

    module: str
    """REMBI module (``Study``, ``Biosample``, ``Specimen``, ``Image acquisition``, ``Image data``,
    ``Image correlation``, ``Analysed data``)."""
    section: str
    """PageTab section type (``Study``, ``author``, ``Image acquisition`` ...; ``File List`` for
    values carried by the file list rather than the submission)."""
    attribute: str
    """PageTab attribute (or file list column) within that section."""


FILE_LIST = "File List"
"""Pseudo-section of the targets carried by the file list (one row per file)."""

_ACQ = ("Image acquisition", "Image acquisition")
_PARAMS = RembiTarget(*_ACQ, "Image acquisition parameters")
_INSTRUMENT = RembiTarget(*_ACQ, "Imaging instrument")
_ANALYSIS = RembiTarget("Analysed data", "Image analysis", "Image analysis overview")
_PREP = RembiTarget("Specimen", "Specimen", "Sample preparation protocol")

REMBI_MAPPING: dict[str, RembiTarget] = {
    "general.title": RembiTarget("Study", "Study", "Title"),
    "general.collection_date": _PARAMS,
    "general.facility": _INSTRUMENT,
    "general.instrument": _INSTRUMENT,
    "general.people": RembiTarget("Study", "author", "Name"),
    "general.funding": RembiTarget("Study", "Funding", "Agency"),
    "general.publication_doi": RembiTarget("Study", "Publication", "DOI"),
    "sample.sample_id": RembiTarget("Biosample", "Biosample", "Description"),
    "sample.fluorophores": _PREP,
    "sample.fiducials": RembiTarget("Image correlation", "Image correlation", "Fiducials used"),
    "sample.carrier": _PREP,
    "related.accessions": RembiTarget("Study", "Link", "Description"),
    "correlation.transform": RembiTarget(
        "Image correlation", "Image correlation", "Transformation matrix"
    ),
    "setup.objective": _INSTRUMENT,
    "setup.detector": _INSTRUMENT,
    "setup.lasers": _PARAMS,
    "setup.emission_filters": _PARAMS,
    "setup.field_of_view": _PARAMS,
    "setup.pixel_size": _PARAMS,
    "acquisition.n_excitation_wavelengths": _PARAMS,
    "acquisition.channels": _PARAMS,
    "acquisition.n_focal_planes": _PARAMS,
    "acquisition.stack_height": _PARAMS,
    "acquisition.diffraction_angle": _PARAMS,
    "acquisition.linewidth_per_k0": _PARAMS,
    "acquisition.si_acquired_order": _PARAMS,
    "acquisition.si_reported_order": _PARAMS,
    "acquisition.detector_settings": _PARAMS,
    "acquisition.attenuation": _PARAMS,
    "acquisition.software": _PARAMS,
    "acquisition.mosaic": RembiTarget("Image data", FILE_LIST, "Type"),
    "raw.format": _PARAMS,
    "raw.dimensions": _PARAMS,
    "raw.pixel_type": _PARAMS,
    "raw.intensity_range": _PARAMS,
    "raw.brightfield_stack": RembiTarget("Image data", FILE_LIST, "Type"),
    "processing.software": _ANALYSIS,
    "processing.otf_files": RembiTarget("Image data", FILE_LIST, "Type"),
    "processing.per_channel": _ANALYSIS,
    "processed.dimensions": _ANALYSIS,
    "processed.voxel_size": _ANALYSIS,
    "processed.resolution": _ANALYSIS,
    "processed.color_depth": _ANALYSIS,
    "chromatic_shift.software": _ANALYSIS,
    "chromatic_shift.transform": _ANALYSIS,
}
"""SIM Table 1 id → (REMBI module, PageTab section, attribute). Every SIM row has an entry."""

SHORT_LABELS: dict[str, str] = {
    "general.collection_date": "Collection date",
    "general.facility": "Facility",
    "general.instrument": "Instrument",
    "setup.objective": "Objective",
    "setup.detector": "Detector",
    "setup.lasers": "Excitation lasers",
    "setup.emission_filters": "Emission filters",
    "setup.field_of_view": "Field of view",
    "acquisition.channels": "Channels",
    "acquisition.n_focal_planes": "Focal planes",
    "acquisition.stack_height": "Stack height",
    "acquisition.linewidth_per_k0": "Line spacing per k0",
    "acquisition.si_acquired_order": "SI acquired order",
    "acquisition.si_reported_order": "SI reported order",
    "acquisition.detector_settings": "Detector settings",
    "acquisition.attenuation": "Attenuation",
    "acquisition.software": "Acquisition software",
    "raw.format": "Raw data format",
    "raw.dimensions": "Raw image dimensions",
    "raw.pixel_type": "Raw pixel type",
    "raw.intensity_range": "Raw intensity range",
    "processing.software": "Reconstruction software",
    "processing.per_channel": "Reconstruction per channel (best fit, k0, line spacing, amplitude)",
    "processed.dimensions": "Reconstructed image dimensions",
    "processed.voxel_size": "Reconstructed voxel size",
    "processed.resolution": "Resolution",
    "processed.color_depth": "Colour depth",
    "chromatic_shift.software": "Chromatic shift software",
    "chromatic_shift.transform": "Chromatic shift (tz, ty, tx, rz, mz, my, mx)",
}
"""Labels used inside multi-field attributes where the Table 1 label is long."""
