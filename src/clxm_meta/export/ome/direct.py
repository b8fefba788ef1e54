"""The OME-XML document written straight from its parts, without building ome-types models.

Building the pydantic models of an OME document (validation, reference linking) and serialising
them through xsdata cost ~2 ms a document, most of a deposit's OME-XML time at archive scale.
The documents written here are small and always have the same shape (one Image, its Pixels,
Channels, Planes and at most one Instrument), so `direct_xml` writes them element by element in
the OME 2016-06 order ome-types uses (its models' field order), with the same number formatting
(`float_text`) and the same attribute escaping (``xml.sax.saxutils.quoteattr``, what xsdata's
writer calls). It writes only what it knows to be exactly what ome-types would write: any value
of an unexpected type, out of the schema's range or not one of an enum's values makes it return
``None``, and `build.ome_xml` then goes through ome-types as before (which validates, coerces or
refuses). tests/export/test_ome_direct.py compares the two paths byte for byte on every sample
and on generated parts.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any
from xml.sax.saxutils import quoteattr

__all__ = ["direct_xml", "float_text"]

_HEAD = (
    '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.openmicroscopy.org/Schemas/OME/2016-06 '
    'http://www.openmicroscopy.org/Schemas/OME/2016-06/ome.xsd" Creator="clxm_meta">'
)

_PIXEL_TYPES = frozenset(
    [
        "int8",
        "int16",
        "int32",
        "uint8",
        "uint16",
        "uint32",
        "float",
        "double",
        "complex",
        "double-complex",
        "bit",
    ]
)
_DIMENSION_ORDERS = frozenset(("XYZCT", "XYZTC", "XYCTZ", "XYCZT", "XYTCZ", "XYTZC"))
_IMMERSIONS = frozenset(("Oil", "Water", "WaterDipping", "Air", "Multi", "Glycerol", "Other"))
_BINNINGS = frozenset(("1x1", "2x2", "4x4", "8x8", "Other"))
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")

_PIXELS_KEYS = frozenset(
    [
        "size_x",
        "size_y",
        "size_z",
        "size_c",
        "size_t",
        "type",
        "dimension_order",
        "significant_bits",
        "physical_size_x",
        "physical_size_y",
        "physical_size_z",
    ]
)
_CHANNEL_KEYS = frozenset(
    [
        "name",
        "samples_per_pixel",
        "excitation_wavelength",
        "emission_wavelength",
        "nd_filter",
        "binning",
        "gain",
    ]
)
_OBJECTIVE_KEYS = frozenset(
    [
        "manufacturer",
        "model",
        "serial_number",
        "immersion",
        "lens_na",
        "nominal_magnification",
        "working_distance",
    ]
)
_MAKER_KEYS = frozenset(("manufacturer", "model", "serial_number"))
_PARTS_KEYS = frozenset(
    ("name", "date", "pixels", "channels", "planes", "objective", "detectors", "microscope")
)


class _Unusual(Exception):
    """A value the direct writer does not write: the document goes through ome-types."""


def float_text(value: float) -> str:
    """A finite float as xsdata writes it (``repr``, upper-case exponent without ``+``)."""
    return repr(value).upper().replace("E+", "E")


def _int(v: Any, minimum: int) -> str:
    if type(v) is not int or v < minimum:
        raise _Unusual
    return str(v)


def _float(v: Any, positive: bool = False) -> str:
    """A float field's text; pydantic turns an int into a float (``100`` → ``100.0``)."""
    if type(v) is int:
        try:
            v = float(v)
        except OverflowError:
            raise _Unusual from None
    if type(v) is not float or not math.isfinite(v) or (positive and v <= 0):
        raise _Unusual
    return float_text(v)


def _str(v: Any) -> str:
    if type(v) is not str:
        raise _Unusual
    return quoteattr(v)


def _enum(v: Any, values: frozenset[str]) -> str:
    if type(v) is not str or v not in values:
        raise _Unusual
    return f'"{v}"'


def _given(d: Any, keys: frozenset[str]) -> dict[str, Any]:
    """``d`` without its ``None`` values (as `build._clean`), refusing keys not written here."""
    if type(d) is not dict or not d.keys() <= keys:
        raise _Unusual
    return {k: v for k, v in d.items() if v is not None}


def _maker(d: dict[str, Any]) -> list[str]:
    return [
        f"{attr}={_str(d[key])}"
        for key, attr in (
            ("manufacturer", "Manufacturer"),
            ("model", "Model"),
            ("serial_number", "SerialNumber"),
        )
        if key in d
    ]


def _element(indent: str, name: str, attrs: list[str], children: list[str]) -> str:
    head = f"\n{indent}<{name}" + "".join(" " + a for a in attrs)
    if not children:
        return head + "/>"
    return head + ">" + "".join(children) + f"\n{indent}</{name}>"


def _instrument(parts: dict[str, Any]) -> tuple[str | None, bool, list[str]]:
    """The Instrument element (or ``None``), whether it has an Objective, the detector IDs."""
    if not (parts["objective"] or parts["detectors"] or parts["microscope"]):
        return None, False, []
    children = []
    if parts["microscope"]:
        m = _given(parts["microscope"], _MAKER_KEYS)
        children.append(_element("    ", "Microscope", _maker(m), []))
    if type(parts["detectors"]) is not list:
        raise _Unusual
    ids = []
    for i, det in enumerate(parts["detectors"]):
        d = _given(det, _MAKER_KEYS)
        ids.append(f"Detector:0:{i}")
        children.append(_element("    ", "Detector", [*_maker(d), f'ID="Detector:0:{i}"'], []))
    has_objective = bool(parts["objective"])
    if has_objective:
        o = _given(parts["objective"], _OBJECTIVE_KEYS)
        attrs = [*_maker(o), 'ID="Objective:0:0"']
        if "immersion" in o:
            attrs.append(f"Immersion={_enum(o['immersion'], _IMMERSIONS)}")
        for key, attr in (("lens_na", "LensNA"), ("nominal_magnification", "NominalMagnification")):
            if key in o:
                attrs.append(f'{attr}="{_float(o[key])}"')
        if "working_distance" in o:
            attrs.append(f'WorkingDistance="{_float(o["working_distance"])}"')
            attrs.append('WorkingDistanceUnit="µm"')
        children.append(_element("    ", "Objective", attrs, []))
    return _element("  ", "Instrument", ['ID="Instrument:0"'], children), has_objective, ids


def _channel(i: int, parts: Any, detector_ids: list[str]) -> str:
    c = _given(parts, _CHANNEL_KEYS)
    attrs = [f'ID="Channel:0:{i}"']
    if "name" in c:
        attrs.append(f"Name={_str(c['name'])}")
    if "samples_per_pixel" in c:
        attrs.append(f'SamplesPerPixel="{_int(c["samples_per_pixel"], 1)}"')
    for key, attr in (
        ("excitation_wavelength", "ExcitationWavelength"),
        ("emission_wavelength", "EmissionWavelength"),
    ):
        if key in c:
            attrs.append(f'{attr}="{_float(c[key], positive=True)}" {attr}Unit="nm"')
    if "nd_filter" in c:
        attrs.append(f'NDFilter="{_float(c["nd_filter"])}"')
    children = []
    if detector_ids and ("gain" in c or "binning" in c):
        settings = [f'ID="{detector_ids[0]}"']
        if "gain" in c:
            settings.append(f'Gain="{_float(c["gain"])}"')
        if "binning" in c:
            settings.append(f"Binning={_enum(c['binning'], _BINNINGS)}")
        children.append(_element("        ", "DetectorSettings", settings, []))
    return _element("      ", "Channel", attrs, children)


def _pixels(parts: dict[str, Any], planes: list[str], detector_ids: list[str]) -> str:
    px = _given(parts["pixels"], _PIXELS_KEYS)
    attrs = [
        'ID="Pixels:0"',
        f"DimensionOrder={_enum(px.get('dimension_order'), _DIMENSION_ORDERS)}",
        f"Type={_enum(px.get('type'), _PIXEL_TYPES)}",
    ]
    if "significant_bits" in px:
        attrs.append(f'SignificantBits="{_int(px["significant_bits"], 1)}"')
    for axis in "xyzct":
        attrs.append(f'Size{axis.upper()}="{_int(px.get(f"size_{axis}"), 1)}"')
    for axis in "XYZ":
        key = f"physical_size_{axis.lower()}"
        if key in px:
            value = _float(px[key], positive=True)
            attrs.append(f'PhysicalSize{axis}="{value}" PhysicalSize{axis}Unit="µm"')
    if type(parts["channels"]) is not list:
        raise _Unusual
    channels = [_channel(i, c, detector_ids) for i, c in enumerate(parts["channels"])]
    if not channels:
        channels = [f'\n      <Channel ID="Channel:0:{i}"/>' for i in range(px["size_c"])]
    return _element("    ", "Pixels", attrs, [*channels, "\n      <MetadataOnly/>", *planes])


def _date(v: Any) -> str:
    """An acquisition date ome-types writes back as given: ``YYYY-MM-DDTHH:MM:SS`` only."""
    if type(v) is not str or not _DATE.fullmatch(v):
        raise _Unusual
    try:
        datetime.fromisoformat(v)
    except ValueError:
        raise _Unusual from None
    return v


def direct_xml(parts: dict[str, Any], planes: list[str]) -> str | None:
    """The OME document of ``parts`` with the ``Plane`` elements ``planes``, or ``None``.

    ``None`` when a value is not one this writer knows to write exactly as ome-types does, or
    a required Pixels value is missing: the caller then builds the document with ome-types.
    """
    try:
        if type(parts) is not dict or parts.keys() != _PARTS_KEYS:
            raise _Unusual
        instrument, has_objective, detector_ids = _instrument(parts)
        image_children = []
        if parts["date"]:
            image_children.append(
                f"\n    <AcquisitionDate>{_date(parts['date'])}</AcquisitionDate>"
            )
        if instrument is not None:
            image_children.append('\n    <InstrumentRef ID="Instrument:0"/>')
            if has_objective:
                image_children.append('\n    <ObjectiveSettings ID="Objective:0:0"/>')
        image_children.append(_pixels(parts, planes, detector_ids))
        image = _element(
            "  ", "Image", ['ID="Image:0"', f"Name={_str(parts['name'])}"], image_children
        )
    except _Unusual:
        return None
    return _HEAD + (instrument or "") + image + "\n</OME>\n"
