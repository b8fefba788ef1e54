"""OME-XML (from a TIFF ImageDescription) → a typed, unit-converted summary.

The XML is parsed with ome-types, without schema validation by default (``validate=False``: real
writers such as txrm2tiff produce XML that is close to, but not always exactly, the schema). ome-types
reports conversion problems as Python warnings; they are captured here and become findings, never
escaping to the caller.

When ome-types rejects the document (an attribute of the wrong type, a unit outside the OME
enumeration), a small fallback reads the first image's ``Pixels`` attributes and ``AcquisitionDate``
with the standard library XML parser, so that one bad attribute does not hide the rest. When the XML
is not well-formed at all, no OME summary is returned and the TIFF reader falls back to plain tags.

Every length is converted to µm (wavelengths to nm) and every time to s, through
`clxm_meta.readers.units`; a unit that is not a physical length (``reference frame``, ``pixel``) or
that is unknown gives ``None`` plus a finding.
"""

from __future__ import annotations

import io
import re
import warnings
import xml.etree.ElementTree as ET
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from clxm_meta.readers._xml import XmlError, parse_xml, xml_hazard
from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.units import convert_length, convert_time

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
    "parse_ome",
]

_POWER_TO_MW = {"W": 1e3, "mW": 1.0, "µW": 1e-3, "nW": 1e-6, "kW": 1e6}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


# --- helpers ------------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    raw = getattr(value, "value", value)
    text = str(raw).strip()
    return text or None


def _num(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class _Issues:
    """Unit problems, merged over repeated elements (one finding for 7 planes, not 7)."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
        self.other: list[tuple[str, str, str, str]] = []

    def warning(self, code: str, message: str, *, field: str, locator: str) -> None:
        self.other.append((code, message, field, locator))

    def add(self, locator: str, field: str, problem: str, written: str) -> None:
        generic = re.sub(r"\[\d+\]", "[*]", locator)
        self.items.setdefault((generic, field, problem), []).append((locator, written))

    def report(self, collector: FindingCollector) -> None:
        for (generic, field, problem), where in self.items.items():
            first_loc, first_value = where[0]
            if len(where) > 1:
                what = f"{generic} ({len(where)} elements, first {first_value})"
            else:
                what = f"{first_loc} = {first_value}"
            collector.warning(
                "ome_unit",
                f"{what}: {problem}; reported as unknown",
                field=field,
                locator=first_loc,
            )
        for code, message, field, locator in self.other:
            collector.warning(code, message, field=field, locator=locator)


def _length(
    value: Any,
    unit: Any,
    to: str,
    issues: _Issues,
    locator: str,
    field: str,
) -> float | None:
    if value is None:
        return None
    unit_text = _text(unit) or "µm"  # the OME schema default for lengths
    if to == "nm" and _text(unit) is None:
        unit_text = "nm"  # ... and for wavelengths
    conv = convert_length(_num(value), unit_text, to)
    if conv.problem is not None:
        issues.add(locator, field, conv.problem, f"{value} {unit_text}")
    return conv.value


def _time(value: Any, unit: Any, issues: _Issues, locator: str, field: str) -> float | None:
    if value is None:
        return None
    unit_text = _text(unit) or "s"  # the OME schema default for times
    conv = convert_time(_num(value), unit_text, "s")
    if conv.problem is not None:
        issues.add(locator, field, conv.problem, f"{value} {unit_text}")
    return conv.value


def _as_written(value: Any, unit: Any) -> str | None:
    if value is None:
        return None
    unit_text = _text(unit)
    return f"{value} {unit_text}" if unit_text else str(value)


# --- ome-types path -----------------------------------------------------------------------------


def _channel(ch: Any, index: int, img: int, col: _Issues) -> OmeChannel:
    loc = f"OME Image[{img}]/Pixels/Channel[{index}]"
    ds = ch.detector_settings
    ls = ch.light_source_settings
    return OmeChannel(
        index=index,
        id=_text(ch.id),
        name=_text(ch.name),
        samples_per_pixel=ch.samples_per_pixel,
        excitation_nm=_length(
            ch.excitation_wavelength,
            ch.excitation_wavelength_unit,
            "nm",
            col,
            f"{loc}@ExcitationWavelength",
            "excitation_nm",
        ),
        emission_nm=_length(
            ch.emission_wavelength,
            ch.emission_wavelength_unit,
            "nm",
            col,
            f"{loc}@EmissionWavelength",
            "emission_nm",
        ),
        fluor=_text(ch.fluor),
        nd_filter=_num(ch.nd_filter),
        illumination_type=_text(ch.illumination_type),
        acquisition_mode=_text(ch.acquisition_mode),
        contrast_method=_text(ch.contrast_method),
        detector_id=_text(ds.id) if ds is not None else None,
        detector_binning=_text(ds.binning) if ds is not None else None,
        detector_gain=_num(ds.gain) if ds is not None else None,
        light_source_id=_text(ls.id) if ls is not None else None,
        light_source_attenuation=_num(ls.attenuation) if ls is not None else None,
        light_source_wavelength_nm=(
            _length(
                ls.wavelength,
                ls.wavelength_unit,
                "nm",
                col,
                f"{loc}/LightSourceSettings@Wavelength",
                "light_source_wavelength_nm",
            )
            if ls is not None
            else None
        ),
    )


def _plane(pl: Any, index: int, img: int, col: _Issues) -> OmePlane:
    loc = f"OME Image[{img}]/Pixels/Plane[{index}]"
    return OmePlane(
        the_z=pl.the_z,
        the_c=pl.the_c,
        the_t=pl.the_t,
        exposure_s=_time(
            pl.exposure_time, pl.exposure_time_unit, col, f"{loc}@ExposureTime", "exposure_s"
        ),
        delta_t_s=_time(pl.delta_t, pl.delta_t_unit, col, f"{loc}@DeltaT", "delta_t_s"),
        position_x_um=_length(
            pl.position_x, pl.position_x_unit, "µm", col, f"{loc}@PositionX", "position_x_um"
        ),
        position_y_um=_length(
            pl.position_y, pl.position_y_unit, "µm", col, f"{loc}@PositionY", "position_y_um"
        ),
        position_z_um=_length(
            pl.position_z, pl.position_z_unit, "µm", col, f"{loc}@PositionZ", "position_z_um"
        ),
    )


def _pixels(px: Any, img: int, col: _Issues) -> OmePixels:
    loc = f"OME Image[{img}]/Pixels"
    sizes: dict[str, float | None] = {}
    for axis in "xyz":
        value = getattr(px, f"physical_size_{axis}")
        unit = getattr(px, f"physical_size_{axis}_unit")
        sizes[axis] = _length(
            value,
            unit,
            "µm",
            col,
            f"{loc}@PhysicalSize{axis.upper()}",
            f"physical_size_{axis}_um",
        )
    return OmePixels(
        dimension_order=_text(px.dimension_order),
        type=_text(px.type),
        significant_bits=px.significant_bits,
        size_x=px.size_x,
        size_y=px.size_y,
        size_z=px.size_z,
        size_c=px.size_c,
        size_t=px.size_t,
        physical_size_x_um=sizes["x"],
        physical_size_y_um=sizes["y"],
        physical_size_z_um=sizes["z"],
        physical_size_x_as_written=_as_written(px.physical_size_x, px.physical_size_x_unit),
        physical_size_y_as_written=_as_written(px.physical_size_y, px.physical_size_y_unit),
        physical_size_z_as_written=_as_written(px.physical_size_z, px.physical_size_z_unit),
        time_increment_s=_time(
            px.time_increment,
            px.time_increment_unit,
            col,
            f"{loc}@TimeIncrement",
            "time_increment_s",
        ),
        channels=[_channel(c, i, img, col) for i, c in enumerate(px.channels)],
        planes=[_plane(p, i, img, col) for i, p in enumerate(px.planes)],
    )


def _image(im: Any, index: int, col: _Issues) -> OmeImage:
    os_ = im.objective_settings
    date = im.acquisition_date
    return OmeImage(
        index=index,
        id=_text(im.id),
        name=_text(im.name),
        description=_text(im.description),
        acquisition_date=date.isoformat() if date is not None else None,
        instrument_ref=_text(im.instrument_ref.id) if im.instrument_ref is not None else None,
        objective_ref=_text(os_.id) if os_ is not None else None,
        objective_refractive_index=_num(os_.refractive_index) if os_ is not None else None,
        objective_medium=_text(os_.medium) if os_ is not None else None,
        pixels=_pixels(im.pixels, index, col) if im.pixels is not None else None,
    )


def _instrument(ins: Any, index: int, col: _Issues) -> OmeInstrument:
    loc = f"OME Instrument[{index}]"
    mic = ins.microscope
    objectives = [
        OmeObjective(
            id=_text(o.id),
            manufacturer=_text(o.manufacturer),
            model=_text(o.model),
            serial_number=_text(o.serial_number),
            lens_na=_num(o.lens_na),
            nominal_magnification=_num(o.nominal_magnification),
            calibrated_magnification=_num(o.calibrated_magnification),
            immersion=_text(o.immersion),
            correction=_text(o.correction),
            working_distance_um=_length(
                o.working_distance,
                o.working_distance_unit,
                "µm",
                col,
                f"{loc}/Objective[{j}]@WorkingDistance",
                "working_distance_um",
            ),
        )
        for j, o in enumerate(ins.objectives)
    ]
    detectors = [
        OmeDetector(
            id=_text(d.id),
            type=_text(d.type),
            manufacturer=_text(d.manufacturer),
            model=_text(d.model),
            serial_number=_text(d.serial_number),
            gain=_num(d.gain),
        )
        for d in ins.detectors
    ]
    lasers = []
    for j, las in enumerate(ins.lasers):
        power = _num(las.power)
        power_unit = _text(las.power_unit) or "mW"
        factor = _POWER_TO_MW.get(power_unit)
        if power is not None and factor is None:
            col.warning(
                "ome_unit",
                f"{loc}/Laser[{j}]@Power unit {power_unit!r} is not known; power reported as unknown",
                field="power_mw",
                locator=f"{loc}/Laser[{j}]@PowerUnit",
            )
        lasers.append(
            OmeLaser(
                id=_text(las.id),
                type=_text(las.type),
                laser_medium=_text(las.laser_medium),
                manufacturer=_text(las.manufacturer),
                model=_text(las.model),
                wavelength_nm=_length(
                    las.wavelength,
                    las.wavelength_unit,
                    "nm",
                    col,
                    f"{loc}/Laser[{j}]@Wavelength",
                    "wavelength_nm",
                ),
                power_mw=power * factor if power is not None and factor is not None else None,
            )
        )
    return OmeInstrument(
        id=_text(ins.id),
        microscope_manufacturer=_text(mic.manufacturer) if mic is not None else None,
        microscope_model=_text(mic.model) if mic is not None else None,
        microscope_type=_text(mic.type) if mic is not None else None,
        objectives=objectives,
        detectors=detectors,
        lasers=lasers,
    )


def _count_annotations(sa: Any) -> int | None:
    if sa is None:
        return None
    try:
        return len(list(sa))
    except TypeError:
        return None


# --- fallback path ------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _int_attr(el: ET.Element, name: str, col: _Issues, loc: str) -> int | None:
    raw = el.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        col.warning(
            "ome_value",
            f"{loc}@{name} = {raw!r} is not an integer; reported as unknown",
            field=name,
            locator=f"{loc}@{name}",
        )
        return None


def _fallback(xml: str, col: _Issues) -> OmeSummary | None:
    try:
        root = parse_xml(xml)
    except XmlError:
        return None
    image = next((el for el in root if _local(el.tag) == "Image"), None)
    images: list[OmeImage] = []
    if image is not None:
        loc = "OME Image[0]/Pixels"
        px_el = next((el for el in image if _local(el.tag) == "Pixels"), None)
        date_el = next((el for el in image if _local(el.tag) == "AcquisitionDate"), None)
        pixels = None
        if px_el is not None:
            sizes: dict[str, float | None] = {}
            written: dict[str, str | None] = {}
            for axis in "XYZ":
                raw = px_el.get(f"PhysicalSize{axis}")
                unit = px_el.get(f"PhysicalSize{axis}Unit")
                written[axis] = _as_written(raw, unit or "µm") if raw is not None else None
                value: float | None = None
                if raw is not None:
                    number = _num(raw)
                    if number is None:
                        col.warning(
                            "ome_value",
                            f"{loc}@PhysicalSize{axis} = {raw!r} is not a number; "
                            "reported as unknown",
                            field=f"physical_size_{axis.lower()}_um",
                            locator=f"{loc}@PhysicalSize{axis}",
                        )
                    else:
                        value = _length(
                            number,
                            unit,
                            "µm",
                            col,
                            f"{loc}@PhysicalSize{axis}",
                            f"physical_size_{axis.lower()}_um",
                        )
                sizes[axis] = value
            pixels = OmePixels(
                dimension_order=px_el.get("DimensionOrder"),
                type=px_el.get("Type"),
                size_x=_int_attr(px_el, "SizeX", col, loc),
                size_y=_int_attr(px_el, "SizeY", col, loc),
                size_z=_int_attr(px_el, "SizeZ", col, loc),
                size_c=_int_attr(px_el, "SizeC", col, loc),
                size_t=_int_attr(px_el, "SizeT", col, loc),
                physical_size_x_um=sizes["X"],
                physical_size_y_um=sizes["Y"],
                physical_size_z_um=sizes["Z"],
                physical_size_x_as_written=written["X"],
                physical_size_y_as_written=written["Y"],
                physical_size_z_as_written=written["Z"],
            )
        date = date_el.text.strip() if date_el is not None and date_el.text else None
        images.append(
            OmeImage(
                index=0,
                id=image.get("ID"),
                name=image.get("Name"),
                acquisition_date=date,
                pixels=pixels,
            )
        )
    return OmeSummary(
        parsed_by="fallback",
        schema_namespace=_namespace(root.tag),
        creator=root.get("Creator"),
        uuid=root.get("UUID"),
        images=images,
    )


def _namespace(tag: str) -> str | None:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else None


_CONTEXT: list[Any] = []


def _xml_context() -> Any:
    """One xsdata XmlContext for every parse: it caches the class metadata of the OME model.

    ome-types builds a new context per call otherwise, which is two thirds of the parse time.
    """
    if not _CONTEXT:
        from xsdata_pydantic_basemodel.bindings import XmlContext

        _CONTEXT.append(XmlContext())
    return _CONTEXT[0]


# --- entry point --------------------------------------------------------------------------------


def parse_ome(
    xml: str, collector: FindingCollector, *, validate: bool = False
) -> OmeSummary | None:
    """Parse an OME-XML document into an `OmeSummary`.

    Parameters
    ----------
    xml
        The OME-XML text (first ImageDescription of the TIFF).
    collector
        Receives findings: ome-types warnings, unit problems, parse failures.
    validate
        Validate against the OME schema (needs lxml). Off by default: lax parsing.

    Returns
    -------
    OmeSummary or None
        ``None`` when the XML is not well-formed or was refused (entity declarations or an
        external DTD, see `clxm_meta.readers._xml`); a finding says so.
    """
    import ome_types  # imported here: costs ~0.3 s, only OME files need it

    hazard = xml_hazard(xml)
    if hazard is not None:  # XXE / entity expansion: never handed to any parser
        collector.error(
            "ome_refused",
            f"OME-XML in ImageDescription refused: it {hazard}; external entities and entity "
            "declarations are never processed. Read from the plain TIFF tags instead",
            locator="tag ImageDescription (270)",
        )
        return None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            ome = ome_types.from_xml(
                xml, validate=validate, parser_kwargs={"context": _xml_context()}
            )
        except Exception as exc:  # ome-types raises lxml, pydantic and ValueError subclasses
            ome = None
            error: Exception | None = exc
        else:
            error = None
    for w in caught:
        first_line = str(w.message).strip().splitlines()
        collector.warning(
            "ome_warning",
            f"ome-types: {w.category.__name__}: {' '.join(s.strip() for s in first_line)}",
            locator="tag ImageDescription (270)",
        )
    issues = _Issues()
    if ome is None:
        assert error is not None
        message = " ".join(str(error).split())[:300]
        summary = _fallback(xml, issues)
        issues.report(collector)
        if summary is None:
            collector.warning(
                "ome_unparsable",
                f"OME-XML in ImageDescription is not well-formed ({type(error).__name__}: "
                f"{message}); read from the plain TIFF tags instead",
                locator="tag ImageDescription (270)",
            )
        else:
            collector.warning(
                "ome_invalid",
                f"ome-types rejected the OME-XML ({type(error).__name__}: {message}); only the "
                "first image's Pixels attributes and AcquisitionDate were read",
                locator="tag ImageDescription (270)",
            )
        return summary
    summary = OmeSummary(
        parsed_by="ome-types",
        schema_namespace=_namespace(_root_tag(xml)),
        creator=_text(ome.creator),
        uuid=_text(ome.uuid),
        images=[_image(im, i, issues) for i, im in enumerate(ome.images)],
        instruments=[_instrument(ins, i, issues) for i, ins in enumerate(ome.instruments)],
        n_structured_annotations=_count_annotations(ome.structured_annotations),
    )
    issues.report(collector)
    return summary


def _root_tag(xml: str) -> str:
    # The namespace as written (ome-types upgrades old schemas to 2016-06 on parsing); only the
    # start of the root element is parsed.
    try:
        for _event, el in ET.iterparse(io.BytesIO(xml.encode("utf-8")), events=("start",)):
            return str(el.tag)
    except (ET.ParseError, ValueError):  # ValueError: text that cannot be encoded
        pass
    return ""
