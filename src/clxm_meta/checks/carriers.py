"""Which files could carry a Table 1 row, and what the readers look for in them.

The completeness check uses this catalogue to say something true about an empty row: either a file
that could carry the value *is* in the dataset but does not hold it (and which header field,
stream or log line was looked for), or no such file is in the dataset. It mirrors what the
normalisers actually read: a row that no reader extracts has no carrier, and the hint says so.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clxm_meta.dataset.group import SHARED_MARK
from clxm_meta.records.fields import DatasetKind

__all__ = [
    "CARRIERS",
    "FLAVOUR_WORDS",
    "FORMAT_CARRIERS",
    "ITSELF",
    "Carrier",
    "MemberFile",
    "carriers_for",
    "dataset_members",
    "guess_members",
    "shared_members",
]


@dataclass(frozen=True)
class MemberFile:
    """A file of a dataset: path, detected format (registry name) and role in the dataset."""

    path: str
    format: str | None
    role: str | None = None
    flavour: str | None = None
    """The reader's flavour of the format, when it has one (TIFF: ``ome``, ``imagej`` ...)."""
    set_aside: str | None = None
    """Why the file's values are not used in this dataset (a file several datasets share)."""


FLAVOUR_WORDS = {
    "plain": "a plain TIFF",
    "imagej": "an ImageJ TIFF",
    "ome": "an OME-TIFF",
    "txrm2tiff": "an OME-TIFF written by txrm2tiff",
}
"""TIFF flavours in words, for hints that must not call an ImageJ TIFF an OME-TIFF."""


def dataset_members(result: Any, name: str) -> list[MemberFile]:
    """The files of dataset ``name`` of a `ScanResult` as `MemberFile`s.

    Each with its format, role, flavour, and why its values are set aside when several datasets
    share it.
    """
    from clxm_meta.records.scan_index import scan_index

    index = scan_index(result)
    info = index.datasets.get(name)
    if info is None:
        return []
    shared = index.shared_members(SHARED_MARK)
    out = []
    for m in info.members:
        model = result.models.get(m.path)
        flavour = getattr(model, "flavour", None)
        others = shared.get(m.path)
        note = (
            f"is shared by the {len(others)} datasets {', '.join(others)}: its values are set "
            "aside (name it after one dataset or move it to that dataset's folder)"
            if others
            else None
        )
        out.append(
            MemberFile(
                m.path,
                f.format if (f := index.files.get(m.path)) else None,
                m.role,
                flavour if isinstance(flavour, str) else None,
                note,
            )
        )
    return out


def shared_members(result: Any) -> dict[str, list[str]]:
    """Files joined to several datasets for want of a name match → the dataset names."""
    out: dict[str, list[str]] = {}
    for d in result.datasets:
        for m in d.members:
            if m.role != "correlation" and SHARED_MARK in m.reason:
                out.setdefault(m.path, []).append(d.name)
    return {p: names for p, names in out.items() if len(names) > 1}


@dataclass(frozen=True)
class Carrier:
    """A kind of file that carries a row.

    Attributes
    ----------
    file
        What the file is, in words ("raw DV stack").
    looks_for
        What the reader looks for in it (header field, stream, log line).
    formats
        Registry format names that match.
    roles
        Dataset roles that match (``None``: any role of those formats).
    names
        ``fnmatch`` patterns on the lower-case file name (``None``: any name).
    """

    file: str
    looks_for: str
    formats: tuple[str, ...]
    roles: tuple[str, ...] | None = None
    names: tuple[str, ...] | None = None
    flavours: tuple[str, ...] | None = None
    """Reader flavours that match (``None``: any); an unknown flavour matches."""

    def matches(self, member: MemberFile) -> bool:
        """Whether ``member`` is a file of this kind."""
        if member.format not in self.formats:
            return False
        if (
            self.flavours is not None
            and member.flavour is not None
            and member.flavour not in self.flavours
        ):
            return False
        if self.roles is not None and member.role is not None and member.role not in self.roles:
            return False
        if self.names is not None:
            base = os.path.basename(member.path).lower()
            return any(fnmatch.fnmatch(base, pat) for pat in self.names)
        return True


ITSELF = "the file itself"
"""``looks_for`` of a carrier whose presence alone fills the row (an attached file)."""

_RAW_DV = ("sim_raw",)
"""Roles of a raw SIM stack (DV or TIFF)."""
_ANY_DV = ("sim_raw", "brightfield")
_RECON = ("sim_reconstruction",)
_SXT_RAW = ("tilt_series", "sxt_image", "mosaic")
_OME = "OME-TIFF"
_OME_FLAVOURS = ("ome", "txrm2tiff")
FORMAT_CARRIERS = frozenset({_OME})
"""Carriers named by a format, not a role: a hint that none is in the dataset says so when files
of that format are there in another role (three OME-TIFFs that are not the raw stack)."""

_SIM: dict[str, tuple[Carrier, ...]] = {
    "general.collection_date": (
        Carrier("raw DV stack", "'Date & time:' title line", ("dv",), _RAW_DV),
        Carrier(_OME, "OME Image/AcquisitionDate", ("tiff",), _RAW_DV, flavours=_OME_FLAVOURS),
    ),
    "general.instrument": (
        Carrier(_OME, "OME Instrument/Microscope", ("tiff",), _RAW_DV, flavours=_OME_FLAVOURS),
    ),
    "correlation.transform": (
        Carrier("correlation transform file", "3x4 / 4x4 matrix", ("correlation",)),
    ),
    "setup.lasers": (
        Carrier(
            "raw DV stack",
            "extended-header float 10 (excitation wavelength) per section",
            ("dv",),
            _RAW_DV,
        ),
        Carrier(
            _OME, "OME Channel@ExcitationWavelength", ("tiff",), _RAW_DV, flavours=_OME_FLAVOURS
        ),
    ),
    "setup.detector": (
        Carrier("raw DV stack", "Cockpit '[camera: ...]' title entry", ("dv",), _RAW_DV),
        Carrier(_OME, "OME Instrument/Detector", ("tiff",), _RAW_DV, flavours=_OME_FLAVOURS),
    ),
    "setup.emission_filters": (
        Carrier("DV stack", "header wave1..wave5 (bytes 198-207)", ("dv",)),
        Carrier(_OME, "OME Channel@EmissionWavelength", ("tiff",), _RAW_DV, flavours=_OME_FLAVOURS),
    ),
    "setup.field_of_view": (
        Carrier("raw DV stack", "header nx, ny, dx, dy", ("dv",), _ANY_DV),
        Carrier(
            "TIFF stack", "image size and resolution tags / OME PhysicalSize", ("tiff",), _RAW_DV
        ),
    ),
    "setup.pixel_size": (
        Carrier("raw DV stack", "header dx, dy, dz (bytes 40-51)", ("dv",), _ANY_DV),
        Carrier("TIFF stack", "resolution tags with a unit / OME PhysicalSize", ("tiff",), _RAW_DV),
    ),
    "acquisition.n_excitation_wavelengths": (
        Carrier("raw DV stack", "header NumWaves (byte 196)", ("dv",), _ANY_DV),
        Carrier("TIFF stack", "ImageJ channels / OME SizeC", ("tiff",), _RAW_DV),
    ),
    "acquisition.channels": (
        Carrier(
            "raw DV stack",
            "extended-header floats 8-10 (exposure, excitation) per wave",
            ("dv",),
            _RAW_DV,
        ),
        Carrier(
            _OME, "OME Channel and Plane@ExposureTime", ("tiff",), _RAW_DV, flavours=_OME_FLAVOURS
        ),
    ),
    "acquisition.n_focal_planes": (
        Carrier("raw DV stack", "header n_sections, NumWaves, NumTimes", ("dv",), _ANY_DV),
        Carrier(
            "TIFF stack", "ImageJ slices / OME SizeZ", ("tiff",), _RAW_DV, flavours=_OME_FLAVOURS
        ),
    ),
    "acquisition.stack_height": (
        Carrier("raw DV stack", "header n_sections and dz", ("dv",), _ANY_DV),
        Carrier(
            "TIFF stack", "ImageJ slices and spacing", ("tiff",), _RAW_DV, flavours=_OME_FLAVOURS
        ),
    ),
    "acquisition.diffraction_angle": (
        Carrier("SIM reconstruction log", "'Optimum k0 angle' lines", ("simrecon",)),
    ),
    "acquisition.si_acquired_order": (
        Carrier("raw DV stack", "'SI order:' title line", ("dv",), _RAW_DV),
    ),
    "acquisition.si_reported_order": (
        Carrier("raw DV stack", "header ImgSequence (byte 182)", ("dv",), _RAW_DV),
    ),
    "acquisition.detector_settings": (
        Carrier(
            "raw DV stack",
            "gain, binning, temperature or read-out rate in a Cockpit '[camera: ...]' title entry",
            ("dv",),
            _RAW_DV,
        ),
        Carrier(
            _OME,
            "OME Channel/DetectorSettings@Binning,Gain or Detector@Gain",
            ("tiff",),
            _RAW_DV,
            flavours=_OME_FLAVOURS,
        ),
    ),
    "acquisition.software": (
        Carrier(
            "raw DV stack",
            "a title naming Cockpit, softWoRx or AcquireSR, or Cockpit's title layout",
            ("dv",),
            _RAW_DV,
        ),
        Carrier(
            "TIFF stack",
            "tag Software (305), ImageJ description 'ImageJ=' key or OME@Creator",
            ("tiff",),
            _RAW_DV,
        ),
    ),
    "acquisition.mosaic": (
        Carrier("mosaic image", ITSELF, ("tiff", "txrm", "dv", "mrc"), ("mosaic",)),
    ),
    "raw.format": (Carrier("raw SIM stack", ITSELF, ("dv", "tiff", "mrc"), _ANY_DV),),
    "raw.dimensions": (
        Carrier("raw SIM stack", "header image size", ("dv", "tiff", "mrc"), _ANY_DV),
    ),
    "raw.pixel_type": (
        Carrier("raw SIM stack", "header pixel type", ("dv", "tiff", "mrc"), _ANY_DV),
    ),
    "raw.intensity_range": (
        Carrier("raw DV stack", "header min/max (bytes 76-87, 136-143)", ("dv",), _ANY_DV),
    ),
    "raw.brightfield_stack": (
        Carrier("brightfield stack", ITSELF, ("dv", "tiff", "mrc"), ("brightfield",)),
    ),
    "processing.software": (
        Carrier("SIM reconstruction log", "program / version line", ("simrecon",)),
    ),
    "processing.otf_files": (
        Carrier("OTF file", ITSELF, ("dv", "tiff", "mrc"), ("otf",)),
        Carrier("SIM reconstruction log", "OTF file name", ("simrecon",)),
    ),
    "processing.per_channel": (
        Carrier("SIM reconstruction log", "per-wave k0, best fit, amplitude lines", ("simrecon",)),
    ),
    "processed.dimensions": (
        Carrier("SIM reconstruction", "header image size", ("dv", "mrc", "tiff"), _RECON),
    ),
    "processed.voxel_size": (
        Carrier("SIM reconstruction", "header pixel spacing", ("dv", "mrc", "tiff"), _RECON),
    ),
    "processed.color_depth": (
        Carrier("SIM reconstruction", "header pixel type", ("dv", "mrc", "tiff"), _RECON),
    ),
    "chromatic_shift.software": (
        Carrier("Chromagnon file", "program / version line", ("chromatic",)),
    ),
    "chromatic_shift.transform": (
        Carrier("Chromagnon file", "per-channel transform rows", ("chromatic",)),
    ),
}

_SXT: dict[str, tuple[Carrier, ...]] = {
    "general.collection_date": (
        Carrier("TXRM tilt series", "stream ImageInfo/Date", ("txrm",)),
        Carrier(_OME, "OME Image/AcquisitionDate", ("tiff",), _SXT_RAW, flavours=_OME_FLAVOURS),
    ),
    "general.instrument": (
        # the SXT TIFF normaliser reads it from a txrm2tiff / OME tilt series too
        Carrier(_OME, "OME Instrument/Microscope", ("tiff",), _SXT_RAW, flavours=_OME_FLAVOURS),
    ),
    "correlation.transform": _SIM["correlation.transform"],
    "setup.energy": (Carrier("TXRM file", "stream ImageInfo/Energy", ("txrm",)),),
    "setup.field_of_view": (
        Carrier("TXRM file", "streams ImageInfo/ImageWidth, ImageHeight, PixelSize", ("txrm",)),
        Carrier(
            _OME,
            "OME Pixels SizeX/SizeY and PhysicalSize",
            ("tiff",),
            _SXT_RAW,
            flavours=_OME_FLAVOURS,
        ),
    ),
    "acquisition.exposure": (
        Carrier("TXRM file", "stream ImageInfo/ExpTimes", ("txrm",)),
        Carrier(_OME, "OME Plane@ExposureTime", ("tiff",), _SXT_RAW, flavours=_OME_FLAVOURS),
    ),
    "acquisition.n_frames": (
        Carrier("tilt series", "number of images", ("txrm", "mrc", "tiff"), _SXT_RAW),
        Carrier("IMOD angle file", "one angle per line", ("imod",), None, ("*.rawtlt", "*.tlt")),
    ),
    "acquisition.mosaic": (
        Carrier(
            "mosaic TXRM",
            "streams ImageInfo/MosiacRows, MosiacColumns",
            ("txrm",),
            ("mosaic",),
        ),
        Carrier("mosaic image", ITSELF, ("tiff", "mrc"), ("mosaic",)),
    ),
    "raw.format": (Carrier("tilt series", ITSELF, ("txrm", "mrc", "tiff"), _SXT_RAW),),
    "raw.pixel_type": (
        Carrier("tilt series", "header pixel type", ("txrm", "mrc", "tiff"), _SXT_RAW),
    ),
    "raw.non_referenced_file": (
        Carrier(
            "non-referenced raw file",
            ITSELF,
            ("txrm", "mrc", "tiff"),
            ("non_referenced",),
        ),
    ),
    "processing.software": (Carrier("IMOD / AreTomo file", "program name and version", ("imod",)),),
    "processing.reference_image": (
        Carrier("TXRM tilt series", "storage ReferenceData", ("txrm",)),
        Carrier("reference image", ITSELF, ("txrm", "tiff", "mrc"), ("reference",)),
    ),
    "processing.type": (
        Carrier(
            "batchruntomo log, directive .adoc or etomo .edf",
            "batchruntomo evidence (a batchruntomo run, directives, batchruntomo.* keys)",
            ("imod",),
            None,
            ("*.adoc", "*.edf", "batchruntomo*.log", "*batch*.log"),
        ),
    ),
    "processing.protocol": (
        Carrier(
            "IMOD tilt.com / tilt.log / align.log / .edf",
            "alignment and back-projection settings",
            ("imod",),
            None,
            ("*tilt*.com", "*tilt*.log", "*align*.log", "*align*.com", "*.edf", "*.adoc"),
        ),
    ),
    "processing.residual_error": (
        Carrier(
            "IMOD align.log",
            "'Residual error mean and sd' line",
            ("imod",),
            None,
            ("*align*.log", "ta*.log", "batchruntomo*.log"),
        ),
    ),
    "processing.weighted_residual_error": (
        Carrier(
            "IMOD align.log",
            "'Residual error weighted mean' line (tiltalign prints it only with robust fitting)",
            ("imod",),
            None,
            ("*align*.log", "ta*.log", "batchruntomo*.log"),
        ),
    ),
    "processed.format": (Carrier("tomogram", ITSELF, ("mrc", "tiff"), ("tomogram",)),),
    "processed.dimensions": (
        Carrier("tomogram", "header image size", ("mrc", "tiff"), ("tomogram",)),
    ),
    "processed.pixel_type": (
        Carrier("tomogram", "header pixel type", ("mrc", "tiff"), ("tomogram",)),
    ),
}

CARRIERS: dict[DatasetKind, dict[str, tuple[Carrier, ...]]] = {
    DatasetKind.SIM: _SIM,
    DatasetKind.SXT: _SXT,
}
"""Per dataset kind and row: the files whose reader fills it. A file-origin row missing here is one
that no reader of clxm_meta extracts (e.g. ``processing.fsc_cutoff``)."""


def carriers_for(kind: DatasetKind | str, field_id: str) -> tuple[Carrier, ...]:
    """The kinds of file that carry ``field_id`` in a ``kind`` dataset (empty: none is read)."""
    return CARRIERS[DatasetKind(kind)].get(field_id, ())


_EXT_FORMAT = {
    ".dv": "dv",
    ".r3d": "dv",
    ".mrc": "mrc",
    ".st": "mrc",
    ".ali": "mrc",
    ".rec": "mrc",
    ".map": "mrc",
    ".txrm": "txrm",
    ".xrm": "txrm",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".com": "imod",
    ".edf": "imod",
    ".adoc": "imod",
    ".tlt": "imod",
    ".rawtlt": "imod",
    ".xf": "imod",
    ".mdoc": "imod",
    ".csv": "chromatic",
}


def guess_members(paths: Sequence[str]) -> list[MemberFile]:
    """Members from file names alone (roles unknown), for records built without a scan."""
    return [MemberFile(p, _EXT_FORMAT.get(os.path.splitext(p)[1].lower())) for p in paths]
