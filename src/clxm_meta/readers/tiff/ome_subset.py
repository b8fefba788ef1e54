"""OME-XML read with the standard-library parser, for documents whose ome-types reading is known.

ome-types (xsdata + pydantic) is exact but slow: ~85 % of reading an OME-TIFF went into it, for
the few dozen attributes `clxm_meta.readers.tiff.ome` keeps. This module reads those attributes
with `xml.etree.ElementTree` (C-accelerated) and hands back plain objects with the same attribute
names as ome-types' model (``px.physical_size_x``, ``px.physical_size_x_unit`` ...), so that one
set of builders in ``ome.py`` turns either into the `OmeSummary`.

It only answers for documents inside a subset where its reading is, by construction, the one
ome-types would give (same values, same types, same defaults, no warning, no rejection):

* OME 2016-06 namespace (older schemas are transformed by ome-types' XSLT, which is left to it);
* only the elements listed in `_SPEC` (OME, Image, Pixels, Channel, Plane, TiffData, Instrument,
  Microscope, Objective, Detector, Laser, the settings and references that point to them,
  LightPath and AnnotationRef, MetadataOnly, StructuredAnnotations with comment, tag, term, long,
  double, boolean, timestamp, map and XML annotations — the content of an XML annotation's
  ``Value`` is not read, and must not use the OME namespace), each with only the attributes the
  schema gives it;
* every value of the form ome-types accepts: integers and floats in plain decimal notation within
  the schema's bounds, enumeration values spelt exactly, IDs that match the schema's ID pattern
  (a missing or malformed ID makes ome-types number it from a process-wide counter and warn), UUIDs,
  ISO 8601 dates;
* every reference (InstrumentRef, ObjectiveSettings, DetectorSettings, LightSourceSettings,
  AnnotationRef) points to an element of the document (ome-types warns otherwise).

Anything else — an element or attribute outside the subset, a value in another spelling, a missing
required attribute, a dangling reference, XML that does not parse — gives ``None`` and the caller
uses ome-types, exactly as before. ``tests/readers/tiff/test_ome_subset.py`` compares both readings
on real and written files and on documents built to reach every attribute.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Any

__all__ = ["ENUMERATIONS", "OME_2016_06", "read_subset"]

OME_2016_06 = "http://www.openmicroscopy.org/Schemas/OME/2016-06"
_NS = "{" + OME_2016_06 + "}"
_XSI_SCHEMA_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"


class _Outside(Exception):
    """The document leaves the subset: ome-types reads it."""


# --- value parsers (each returns the value ome-types would hold, or raises _Outside) -----------

Parser = Callable[[str], Any]

_INT = re.compile(r"-?[0-9]{1,30}")  # longer: outside (Python refuses ints of > 4300 digits)
_FLOAT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,5})?")
_UUID = re.compile(
    r"urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|[+-][0-9]{2}:[0-9]{2})?"
)


def _text(raw: str) -> str:
    return raw


def _int(minimum: int | None) -> Parser:
    def parse(raw: str) -> int:
        if _INT.fullmatch(raw) is None:
            raise _Outside
        value = int(raw)
        if minimum is not None and value < minimum:
            raise _Outside
        return value

    return parse


def _float(*, gt: float | None = None, ge: float | None = None, le: float | None = None) -> Parser:
    def parse(raw: str) -> float:
        if _FLOAT.fullmatch(raw) is None:
            raise _Outside
        value = float(raw)
        if (
            not math.isfinite(value)
            or (gt is not None and not value > gt)
            or (ge is not None and not value >= ge)
            or (le is not None and not value <= le)
        ):
            raise _Outside
        return value

    return parse


def _bool(raw: str) -> bool:
    if raw in ("true", "1"):
        return True
    if raw in ("false", "0"):
        return False
    raise _Outside


def _color(raw: str) -> int:
    value = _int(None)(raw)
    if not -(2**31) <= value < 2**31:
        raise _Outside
    return int(value)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SI = _words("Y Z E P T G M k h da - d c m µ n p f a z y")

ENUMERATIONS: dict[str, tuple[str, ...]] = {
    "UnitsLength": (
        *_words(
            "Ym Zm Em Pm Tm Gm Mm km hm dam m dm cm mm µm nm pm fm am zm ym Å thou li in ft yd mi "
            "ua ly pc pt pixel"
        ),
        "reference frame",
    ),
    "UnitsTime": _words("Ys Zs Es Ps Ts Gs Ms ks hs das s ds cs ms µs ns ps fs as zs ys min h d"),
    "UnitsPower": tuple(p.strip("-") + "W" for p in _SI),
    "UnitsElectricPotential": tuple(p.strip("-") + "V" for p in _SI),
    "UnitsFrequency": tuple(p.strip("-") + "Hz" for p in _SI),
    "Pixels_DimensionOrder": ("XYZCT", "XYZTC", "XYCTZ", "XYCZT", "XYTCZ", "XYTZC"),
    "PixelType": (
        "int8", "int16", "int32", "uint8", "uint16", "uint32", "float", "double", "complex",
        "double-complex", "bit",
    ),
    "Channel_IlluminationType": ("Transmitted", "Epifluorescence", "Oblique", "NonLinear", "Other"),
    "Channel_AcquisitionMode": (
        "WideField", "LaserScanningConfocalMicroscopy", "SpinningDiskConfocal", "SlitScanConfocal",
        "MultiPhotonMicroscopy", "StructuredIllumination", "SingleMoleculeImaging",
        "TotalInternalReflection", "FluorescenceLifetime", "SpectralImaging",
        "FluorescenceCorrelationSpectroscopy", "NearFieldScanningOpticalMicroscopy",
        "SecondHarmonicGenerationImaging", "PALM", "STORM", "STED", "TIRF", "FSM", "LCM", "Other",
        "BrightField", "SweptFieldConfocal", "SPIM",
    ),
    "Channel_ContrastMethod": (
        "Brightfield", "Phase", "DIC", "HoffmanModulation", "ObliqueIllumination",
        "PolarizedLight", "Darkfield", "Fluorescence", "Other",
    ),
    "ObjectiveSettings_Medium": ("Air", "Oil", "Water", "Glycerol", "Other"),
    "Binning": ("1x1", "2x2", "4x4", "8x8", "Other"),
    "Microscope_Type": ("Upright", "Inverted", "Dissection", "Electrophysiology", "Other"),
    "Objective_Correction": (
        "UV", "PlanApo", "PlanFluor", "SuperFluor", "VioletCorrected", "Achro", "Achromat",
        "Fluor", "Fl", "Fluar", "Neofluar", "Fluotar", "Apo", "PlanNeofluar", "Other",
    ),
    "Objective_Immersion": ("Oil", "Water", "WaterDipping", "Air", "Multi", "Glycerol", "Other"),
    "Detector_Type": (
        "CCD", "IntensifiedCCD", "AnalogVideo", "PMT", "Photodiode", "Spectroscopy",
        "LifetimeImaging", "CorrelationSpectroscopy", "FTIR", "EMCCD", "APD", "CMOS", "EBCCD",
        "Other",
    ),
    "Laser_Type": (
        "Excimer", "Gas", "MetalVapor", "SolidState", "Dye", "Semiconductor", "FreeElectron",
        "Other",
    ),
    "Laser_LaserMedium": (
        "Cu", "Ag", "ArFl", "ArCl", "KrFl", "KrCl", "XeFl", "XeCl", "XeBr", "N", "Ar", "Kr", "Xe",
        "HeNe", "HeCd", "CO", "CO2", "H2O", "HFl", "NdGlass", "NdYAG", "ErGlass", "ErYAG",
        "HoYLF", "HoYAG", "Ruby", "TiSapphire", "Alexandrite", "Rhodamine6G", "CoumarinC30",
        "GaAs", "GaAlAs", "EMinus", "Other",
    ),
    "Laser_Pulse": ("CW", "Single", "QSwitched", "Repetitive", "ModeLocked", "Other"),
}  # fmt: skip
"""The OME 2016-06 enumerations by ome-types' class name (a test compares them with ome-types)."""


def _enum(name: str) -> Parser:
    allowed = frozenset(ENUMERATIONS[name])

    def parse(raw: str) -> str:
        if raw not in allowed:
            raise _Outside
        return raw

    return parse


_AUTHORITY = re.compile(r"[\w.-]+")
_NO_SPACE = re.compile(r"\S+")


def _id(kind: str) -> Parser:
    r"""The OME schema's LSID pattern ``(urn:lsid:([\w\-\.]+\.[\w\-\.]+)+:KIND:\S+)|(KIND:\S+)``.

    Checked piece by piece: as one regular expression its nested repeat backtracks exponentially
    on a crafted id (issue 23). ``([\w.-]+\.[\w.-]+)+`` is exactly a run of ``[\w.-]`` with a
    ``.`` somewhere after its first character and before its last; it cannot hold ``:``, so the
    authority ends at the first ``:``.
    """
    own = f"{kind}:"

    def parse(raw: str) -> str:
        rest: str | None = None
        if raw.startswith("urn:lsid:"):
            authority, colon, tail = raw[len("urn:lsid:") :].partition(":")
            if (
                colon
                and _AUTHORITY.fullmatch(authority)
                and "." in authority[1:-1]
                and tail.startswith(own)
            ):
                rest = tail[len(own) :]
        if rest is None and raw.startswith(own):
            rest = raw[len(own) :]
        if rest is None or _NO_SPACE.fullmatch(rest) is None:
            raise _Outside
        return raw

    return parse


def _uuid(raw: str) -> str:
    if _UUID.fullmatch(raw) is None:
        raise _Outside
    return raw


def _datetime(raw: str) -> datetime:
    if _DATETIME.fullmatch(raw) is None:
        raise _Outside
    try:
        return datetime.fromisoformat(raw)
    except ValueError:  # e.g. month 13
        raise _Outside from None


_LENGTH = _enum("UnitsLength")
_TIME = _enum("UnitsTime")
_POWER = _enum("UnitsPower")
_POTENTIAL = _enum("UnitsElectricPotential")
_FREQUENCY = _enum("UnitsFrequency")
_DIMENSION_ORDER = _enum("Pixels_DimensionOrder")
_PIXEL_TYPE = _enum("PixelType")
_ILLUMINATION = _enum("Channel_IlluminationType")
_ACQUISITION_MODE = _enum("Channel_AcquisitionMode")
_CONTRAST = _enum("Channel_ContrastMethod")
_MEDIUM = _enum("ObjectiveSettings_Medium")
_BINNING = _enum("Binning")
_MICROSCOPE_TYPE = _enum("Microscope_Type")
_CORRECTION = _enum("Objective_Correction")
_IMMERSION = _enum("Objective_Immersion")
_DETECTOR_TYPE = _enum("Detector_Type")
_LASER_TYPE = _enum("Laser_Type")
_LASER_MEDIUM = _enum("Laser_LaserMedium")
_PULSE = _enum("Laser_Pulse")


# --- the element table ----------------------------------------------------------------------------


# Plain classes with __slots__, not dataclasses: a dataclass compiles its generated methods when
# the class is made (~0.3 ms each on `inspect` start-up); these records need only __init__.


class _Attr:
    __slots__ = ("default", "name", "parse", "required")

    def __init__(self, name: str, parse: Parser, default: Any = None, required: bool = False):
        self.name = name
        """The ome-types field name."""
        self.parse = parse
        self.default = default
        self.required = required


class _Child:
    __slots__ = ("many", "name", "required", "spec")

    def __init__(
        self, name: str, many: bool = False, required: bool = False, spec: str | None = None
    ):
        self.name = name
        self.many = many
        self.required = required
        self.spec = spec
        """Key of its `_SPEC` entry when not its element name (an annotation's ``Value``)."""


class _Element:
    __slots__ = (
        "attrs",
        "children",
        "defaults",
        "foreign",
        "lists",
        "n_required",
        "reference",
        "required_children",
        "text",
    )

    def __init__(
        self,
        attrs: dict[str, _Attr],
        children: dict[str, _Child] | None = None,
        text: Parser | None = None,
        reference: bool = False,
        foreign: bool = False,
    ):
        self.attrs = attrs
        self.children = {} if children is None else children
        self.text = text
        """Parser of the element's text, for elements that hold a value (their field is ``value``)."""
        self.reference = reference
        """Its ID refers to another element (ome-types warns when that element is missing)."""
        self.foreign = foreign
        """Holds any XML outside the OME namespace (an XMLAnnotation's ``Value``), not read."""
        defaults = {a.name: a.default for a in attrs.values()}
        defaults.update((c.name, None) for c in self.children.values())
        self.defaults: dict[str, Any] = defaults
        """Every field with its default: attributes, single children (``None``), lists (filled in)."""
        self.lists = tuple(c.name for c in self.children.values() if c.many)
        self.n_required = sum(a.required for a in attrs.values())
        self.required_children = tuple(c.name for c in self.children.values() if c.required)


def _a(name: str, parse: Parser, default: Any = None, *, required: bool = False) -> _Attr:
    return _Attr(name, parse, default, required)


def _ident(kind: str) -> _Attr:
    return _Attr("id", _id(kind), required=True)


_ANNOTATION_VALUES: dict[str, Parser | None] = {
    "CommentAnnotation": _text,
    "TagAnnotation": _text,
    "TermAnnotation": _text,
    "LongAnnotation": _int(None),
    "DoubleAnnotation": _float(),
    "BooleanAnnotation": _bool,
    "TimestampAnnotation": _datetime,
    "MapAnnotation": None,
    "XMLAnnotation": None,
}
"""The annotation kinds of the subset, with the parser of their ``Value`` text (``None``: structured)."""


def _annotation(kind: str) -> _Element:
    return _Element(
        {
            "ID": _ident("Annotation"),
            "Namespace": _a("namespace", _text),
            "Annotator": _a("annotator", _id("Experimenter")),
        },
        {
            "Description": _Child("description"),
            "AnnotationRef": _Child("annotation_refs", many=True),
            "Value": _Child("value", required=True, spec=f"{kind}.Value"),
        },
    )


_MANUFACTURER = {
    "Manufacturer": _a("manufacturer", _text),
    "Model": _a("model", _text),
    "SerialNumber": _a("serial_number", _text),
    "LotNumber": _a("lot_number", _text),
}

_SPEC: dict[str, _Element] = {
    "OME": _Element(
        {"UUID": _a("uuid", _uuid), "Creator": _a("creator", _text)},
        {
            "Image": _Child("images", many=True),
            "Instrument": _Child("instruments", many=True),
            "StructuredAnnotations": _Child("structured_annotations"),
        },
    ),
    "Image": _Element(
        {"ID": _ident("Image"), "Name": _a("name", _text)},
        {
            "AcquisitionDate": _Child("acquisition_date"),
            "Description": _Child("description"),
            "InstrumentRef": _Child("instrument_ref"),
            "ObjectiveSettings": _Child("objective_settings"),
            "Pixels": _Child("pixels", required=True),
            "AnnotationRef": _Child("annotation_refs", many=True),
        },
    ),
    "AcquisitionDate": _Element({}, text=_datetime),
    "Description": _Element({}, text=_text),
    "InstrumentRef": _Element({"ID": _ident("Instrument")}, reference=True),
    "ObjectiveSettings": _Element(
        {
            "ID": _ident("Objective"),
            "CorrectionCollar": _a("correction_collar", _float()),
            "Medium": _a("medium", _MEDIUM),
            "RefractiveIndex": _a("refractive_index", _float()),
        },
        reference=True,
    ),
    "Pixels": _Element(
        {
            "ID": _ident("Pixels"),
            "DimensionOrder": _a("dimension_order", _DIMENSION_ORDER, required=True),
            "Type": _a("type", _PIXEL_TYPE, required=True),
            "SignificantBits": _a("significant_bits", _int(1)),
            "Interleaved": _a("interleaved", _bool),
            "BigEndian": _a("big_endian", _bool),
            "SizeX": _a("size_x", _int(1), required=True),
            "SizeY": _a("size_y", _int(1), required=True),
            "SizeZ": _a("size_z", _int(1), required=True),
            "SizeC": _a("size_c", _int(1), required=True),
            "SizeT": _a("size_t", _int(1), required=True),
            "PhysicalSizeX": _a("physical_size_x", _float(gt=0.0)),
            "PhysicalSizeXUnit": _a("physical_size_x_unit", _LENGTH, "µm"),
            "PhysicalSizeY": _a("physical_size_y", _float(gt=0.0)),
            "PhysicalSizeYUnit": _a("physical_size_y_unit", _LENGTH, "µm"),
            "PhysicalSizeZ": _a("physical_size_z", _float(gt=0.0)),
            "PhysicalSizeZUnit": _a("physical_size_z_unit", _LENGTH, "µm"),
            "TimeIncrement": _a("time_increment", _float()),
            "TimeIncrementUnit": _a("time_increment_unit", _TIME, "s"),
        },
        {
            "Channel": _Child("channels", many=True),
            "TiffData": _Child("tiff_data_blocks", many=True),
            "MetadataOnly": _Child("metadata_only"),
            "Plane": _Child("planes", many=True),
        },
    ),
    "Channel": _Element(
        {
            "ID": _ident("Channel"),
            "Name": _a("name", _text),
            "SamplesPerPixel": _a("samples_per_pixel", _int(1)),
            "IlluminationType": _a("illumination_type", _ILLUMINATION),
            "PinholeSize": _a("pinhole_size", _float()),
            "PinholeSizeUnit": _a("pinhole_size_unit", _LENGTH, "µm"),
            "AcquisitionMode": _a("acquisition_mode", _ACQUISITION_MODE),
            "ContrastMethod": _a("contrast_method", _CONTRAST),
            "ExcitationWavelength": _a("excitation_wavelength", _float(gt=0.0)),
            "ExcitationWavelengthUnit": _a("excitation_wavelength_unit", _LENGTH, "nm"),
            "EmissionWavelength": _a("emission_wavelength", _float(gt=0.0)),
            "EmissionWavelengthUnit": _a("emission_wavelength_unit", _LENGTH, "nm"),
            "Fluor": _a("fluor", _text),
            "NDFilter": _a("nd_filter", _float()),
            "PockelCellSetting": _a("pockel_cell_setting", _int(None)),
            "Color": _a("color", _color),
        },
        {
            "LightSourceSettings": _Child("light_source_settings"),
            "DetectorSettings": _Child("detector_settings"),
            "LightPath": _Child("light_path"),
            "AnnotationRef": _Child("annotation_refs", many=True),
        },
    ),
    "LightSourceSettings": _Element(
        {
            "ID": _ident("LightSource"),
            "Attenuation": _a("attenuation", _float(ge=0.0, le=1.0)),
            "Wavelength": _a("wavelength", _float(gt=0.0)),
            "WavelengthUnit": _a("wavelength_unit", _LENGTH, "nm"),
        },
        reference=True,
    ),
    "DetectorSettings": _Element(
        {
            "ID": _ident("Detector"),
            "Offset": _a("offset", _float()),
            "Gain": _a("gain", _float()),
            "Voltage": _a("voltage", _float()),
            "VoltageUnit": _a("voltage_unit", _POTENTIAL, "V"),
            "Zoom": _a("zoom", _float()),
            "ReadOutRate": _a("read_out_rate", _float()),
            "ReadOutRateUnit": _a("read_out_rate_unit", _FREQUENCY, "MHz"),
            "Binning": _a("binning", _BINNING),
            "Integration": _a("integration", _int(1)),
        },
        reference=True,
    ),
    "LightPath": _Element(
        {},
        {
            "AnnotationRef": _Child("annotation_refs", many=True),
        },
    ),
    "TiffData": _Element(
        {
            "IFD": _a("ifd", _int(0), 0),
            "FirstZ": _a("first_z", _int(0), 0),
            "FirstT": _a("first_t", _int(0), 0),
            "FirstC": _a("first_c", _int(0), 0),
            "PlaneCount": _a("plane_count", _int(0)),
        },
        {"UUID": _Child("uuid")},
    ),
    "UUID": _Element({"FileName": _a("file_name", _text)}, text=_uuid),
    "MetadataOnly": _Element({}),
    "Plane": _Element(
        {
            "TheZ": _a("the_z", _int(0), required=True),
            "TheT": _a("the_t", _int(0), required=True),
            "TheC": _a("the_c", _int(0), required=True),
            "DeltaT": _a("delta_t", _float()),
            "DeltaTUnit": _a("delta_t_unit", _TIME, "s"),
            "ExposureTime": _a("exposure_time", _float()),
            "ExposureTimeUnit": _a("exposure_time_unit", _TIME, "s"),
            "PositionX": _a("position_x", _float()),
            "PositionXUnit": _a("position_x_unit", _LENGTH, "reference frame"),
            "PositionY": _a("position_y", _float()),
            "PositionYUnit": _a("position_y_unit", _LENGTH, "reference frame"),
            "PositionZ": _a("position_z", _float()),
            "PositionZUnit": _a("position_z_unit", _LENGTH, "reference frame"),
        },
        {
            "AnnotationRef": _Child("annotation_refs", many=True),
        },
    ),
    "Instrument": _Element(
        {"ID": _ident("Instrument")},
        {
            "Microscope": _Child("microscope"),
            "Objective": _Child("objectives", many=True),
            "Detector": _Child("detectors", many=True),
            "Laser": _Child("lasers", many=True),
            "AnnotationRef": _Child("annotation_refs", many=True),
        },
    ),
    "Microscope": _Element({**_MANUFACTURER, "Type": _a("type", _MICROSCOPE_TYPE)}),
    "Objective": _Element(
        {
            **_MANUFACTURER,
            "ID": _ident("Objective"),
            "Correction": _a("correction", _CORRECTION),
            "Immersion": _a("immersion", _IMMERSION),
            "LensNA": _a("lens_na", _float()),
            "NominalMagnification": _a("nominal_magnification", _float()),
            "CalibratedMagnification": _a("calibrated_magnification", _float()),
            "WorkingDistance": _a("working_distance", _float()),
            "WorkingDistanceUnit": _a("working_distance_unit", _LENGTH, "µm"),
            "Iris": _a("iris", _bool),
        },
        {
            "AnnotationRef": _Child("annotation_refs", many=True),
        },
    ),
    "Detector": _Element(
        {
            **_MANUFACTURER,
            "ID": _ident("Detector"),
            "Gain": _a("gain", _float()),
            "Voltage": _a("voltage", _float()),
            "VoltageUnit": _a("voltage_unit", _POTENTIAL, "V"),
            "Offset": _a("offset", _float()),
            "Zoom": _a("zoom", _float()),
            "AmplificationGain": _a("amplification_gain", _float()),
            "Type": _a("type", _DETECTOR_TYPE),
        },
        {
            "AnnotationRef": _Child("annotation_refs", many=True),
        },
    ),
    "Laser": _Element(
        {
            **_MANUFACTURER,
            "ID": _ident("LightSource"),
            "Power": _a("power", _float()),
            "PowerUnit": _a("power_unit", _POWER, "mW"),
            "Type": _a("type", _LASER_TYPE),
            "LaserMedium": _a("laser_medium", _LASER_MEDIUM),
            "Wavelength": _a("wavelength", _float(gt=0.0)),
            "WavelengthUnit": _a("wavelength_unit", _LENGTH, "nm"),
            "FrequencyMultiplication": _a("frequency_multiplication", _int(1)),
            "Tuneable": _a("tuneable", _bool),
            "Pulse": _a("pulse", _PULSE),
            "PockelCell": _a("pockel_cell", _bool),
            "RepetitionRate": _a("repetition_rate", _float()),
            "RepetitionRateUnit": _a("repetition_rate_unit", _FREQUENCY, "Hz"),
        },
        {
            "AnnotationRef": _Child("annotation_refs", many=True),
        },
    ),
    "AnnotationRef": _Element({"ID": _ident("Annotation")}, reference=True),
    "StructuredAnnotations": _Element(
        {}, {kind: _Child(f"{kind}s", many=True) for kind in _ANNOTATION_VALUES}
    ),
    **{kind: _annotation(kind) for kind in _ANNOTATION_VALUES},
    "MapAnnotation.Value": _Element({}, {"M": _Child("ms", many=True)}),
    "M": _Element({"K": _a("k", _text)}, text=_text),
    "XMLAnnotation.Value": _Element({}, foreign=True),
    **{
        f"{kind}.Value": _Element({}, text=parse)
        for kind, parse in _ANNOTATION_VALUES.items()
        if parse
    },
}
"""Every element of the subset: its attributes (XML name → field), children and text."""


# --- the walk ---------------------------------------------------------------------------------


class _Walk:
    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.references: list[str] = []

    def element(self, el: ET.Element, local: str, spec: _Element, root: bool = False) -> Any:
        values = spec.defaults.copy()
        for name in spec.lists:
            values[name] = []
        seen = 0
        attrs = spec.attrs
        for key, raw in el.attrib.items():
            attr = attrs.get(key)
            if attr is None:
                if root and key == _XSI_SCHEMA_LOCATION:
                    continue
                raise _Outside
            values[attr.name] = attr.parse(raw)
            seen += attr.required
        if seen != spec.n_required:
            raise _Outside
        if spec.foreign:
            if el.attrib:
                raise _Outside
            for inner in el.iter():
                if inner is not el and (
                    not isinstance(inner.tag, str) or inner.tag.startswith(_NS)
                ):
                    raise _Outside  # OME elements inside would be bound by ome-types
            return SimpleNamespace()
        text = el.text
        if spec.text is not None:
            if len(el):
                raise _Outside
            if text is None:  # an empty element: only these read the same as empty text
                if local not in ("Description", "M"):
                    raise _Outside
                text = ""
            values["value"] = spec.text(text)
        elif text is not None and not text.isspace():
            raise _Outside
        for sub in el:
            tag = sub.tag
            if not isinstance(tag, str) or not tag.startswith(_NS):
                raise _Outside  # a comment, processing instruction or foreign element
            if sub.tail is not None and not sub.tail.isspace():
                raise _Outside
            sub_local = tag[len(_NS) :]
            place = spec.children.get(sub_local)
            if place is None:
                raise _Outside
            value = self.element(sub, sub_local, _SPEC[place.spec or sub_local])
            if place.many:
                values[place.name].append(value)
            elif values[place.name] is not None:
                raise _Outside  # a repeated single element
            else:
                values[place.name] = value
        for name in spec.required_children:
            if values[name] is None:
                raise _Outside
        ident = values.get("id")
        if ident is not None:
            (self.references.append if spec.reference else self.ids.add)(ident)
        if "value" in values and local in ("AcquisitionDate", "Description"):
            return values["value"]
        return SimpleNamespace(**values)


def read_subset(xml: str) -> Any | None:
    """The OME-XML as ome-types would read it, or ``None`` when it is outside the subset.

    Parameters
    ----------
    xml
        The OME-XML text, already checked by `clxm_meta.readers._xml.xml_hazard`.

    Returns
    -------
    object or None
        An object with ome-types' attribute names (``creator``, ``uuid``, ``images``,
        ``instruments``, ``structured_annotations``), or ``None``.
    """
    try:
        root = ET.fromstring(xml)
    except (ET.ParseError, ValueError):
        return None
    if root.tag != _NS + "OME":
        return None
    walk = _Walk()
    try:
        ome = walk.element(root, "OME", _SPEC["OME"], root=True)
    except _Outside:
        return None
    if any(ref not in walk.ids for ref in walk.references):
        return None  # ome-types warns "Reference to unknown ID"
    sa = ome.structured_annotations
    ome.structured_annotations = (
        [] if sa is None else [a for kind in _ANNOTATION_VALUES for a in getattr(sa, f"{kind}s")]
    )  # what ome-types iterates over (only their number is used)
    return ome
