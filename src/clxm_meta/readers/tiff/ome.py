"""OME-XML (from a TIFF ImageDescription) → a typed, unit-converted summary (`OmeSummary`).

The XML is read as ome-types reads it, without schema validation by default (``validate=False``:
real writers such as txrm2tiff produce XML that is close to, but not always exactly, the schema).
Documents inside the subset of `clxm_meta.readers.tiff.ome_subset` (the elements and attributes
this summary keeps, every value in a form whose ome-types reading is known) are read by that module
with the standard-library parser, ~10× faster; every other document goes through ome-types itself.
Both give the same objects to the builders below, hence the same summary and findings
(``parsed_by="ome-types"`` either way: it names the reading, not the library that ran).
ome-types reports conversion problems as Python warnings; they are captured here and become
findings, never escaping to the caller.

When ome-types rejects the document (an attribute of the wrong type, a unit outside the OME
enumeration), a small fallback (`clxm_meta.readers.tiff.ome_fallback`) reads the first image's
``Pixels`` attributes and ``AcquisitionDate`` with the standard library XML parser, so that one bad
attribute does not hide the rest. When the XML is not well-formed at all, no OME summary is returned
and the TIFF reader falls back to plain tags.

Every length is converted to µm (wavelengths to nm) and every time to s, through
`clxm_meta.readers.tiff.ome_units`; a unit that is not a physical length (``reference frame``,
``pixel``) or that is unknown gives ``None`` plus a finding.
"""

from __future__ import annotations

import io
import warnings
import xml.etree.ElementTree as ET
from typing import Any

from clxm_meta.readers._xml import xml_hazard
from clxm_meta.readers.base import FindingCollector, assemble
from clxm_meta.readers.tiff.model import (
    OmeChannel,
    OmeDetector,
    OmeImage,
    OmeInstrument,
    OmeLaser,
    OmeObjective,
    OmePixels,
    OmePlane,
    OmeSummary,
)
from clxm_meta.readers.tiff.ome_fallback import fallback_summary, namespace_of
from clxm_meta.readers.tiff.ome_subset import OME_2016_06, read_subset
from clxm_meta.readers.tiff.ome_units import (
    UnitIssues,
    as_written,
    length_in,
    number_of,
    text_of,
    time_in_s,
)

__all__ = ["parse_ome"]

_POWER_TO_MW = {"W": 1e3, "mW": 1.0, "µW": 1e-3, "nW": 1e-6, "kW": 1e6}


# --- helpers ------------------------------------------------------------------------------------


# --- ome-types path -----------------------------------------------------------------------------


def _channel(ch: Any, index: int, img: int, col: UnitIssues) -> OmeChannel:
    loc = f"OME Image[{img}]/Pixels/Channel[{index}]"
    ds = ch.detector_settings
    ls = ch.light_source_settings
    return assemble(
        OmeChannel,
        index=index,
        id=text_of(ch.id),
        name=text_of(ch.name),
        samples_per_pixel=ch.samples_per_pixel,
        excitation_nm=length_in(
            ch.excitation_wavelength,
            ch.excitation_wavelength_unit,
            "nm",
            col,
            f"{loc}@ExcitationWavelength",
            "excitation_nm",
        ),
        emission_nm=length_in(
            ch.emission_wavelength,
            ch.emission_wavelength_unit,
            "nm",
            col,
            f"{loc}@EmissionWavelength",
            "emission_nm",
        ),
        fluor=text_of(ch.fluor),
        nd_filter=number_of(ch.nd_filter),
        illumination_type=text_of(ch.illumination_type),
        acquisition_mode=text_of(ch.acquisition_mode),
        contrast_method=text_of(ch.contrast_method),
        detector_id=text_of(ds.id) if ds is not None else None,
        detector_binning=text_of(ds.binning) if ds is not None else None,
        detector_gain=number_of(ds.gain) if ds is not None else None,
        light_source_id=text_of(ls.id) if ls is not None else None,
        light_source_attenuation=number_of(ls.attenuation) if ls is not None else None,
        light_source_wavelength_nm=(
            length_in(
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


def _plane(pl: Any, index: int, img: int, col: UnitIssues) -> OmePlane:
    loc = f"OME Image[{img}]/Pixels/Plane[{index}]"
    return assemble(
        OmePlane,
        the_z=pl.the_z,
        the_c=pl.the_c,
        the_t=pl.the_t,
        exposure_s=time_in_s(
            pl.exposure_time, pl.exposure_time_unit, col, f"{loc}@ExposureTime", "exposure_s"
        ),
        delta_t_s=time_in_s(pl.delta_t, pl.delta_t_unit, col, f"{loc}@DeltaT", "delta_t_s"),
        position_x_um=length_in(
            pl.position_x, pl.position_x_unit, "µm", col, f"{loc}@PositionX", "position_x_um"
        ),
        position_y_um=length_in(
            pl.position_y, pl.position_y_unit, "µm", col, f"{loc}@PositionY", "position_y_um"
        ),
        position_z_um=length_in(
            pl.position_z, pl.position_z_unit, "µm", col, f"{loc}@PositionZ", "position_z_um"
        ),
    )


def _pixels(px: Any, img: int, col: UnitIssues) -> OmePixels:
    loc = f"OME Image[{img}]/Pixels"
    sizes: dict[str, float | None] = {}
    for axis in "xyz":
        value = getattr(px, f"physical_size_{axis}")
        unit = getattr(px, f"physical_size_{axis}_unit")
        sizes[axis] = length_in(
            value,
            unit,
            "µm",
            col,
            f"{loc}@PhysicalSize{axis.upper()}",
            f"physical_size_{axis}_um",
        )
    return assemble(
        OmePixels,
        dimension_order=text_of(px.dimension_order),
        type=text_of(px.type),
        significant_bits=px.significant_bits,
        size_x=px.size_x,
        size_y=px.size_y,
        size_z=px.size_z,
        size_c=px.size_c,
        size_t=px.size_t,
        physical_size_x_um=sizes["x"],
        physical_size_y_um=sizes["y"],
        physical_size_z_um=sizes["z"],
        physical_size_x_as_written=as_written(px.physical_size_x, px.physical_size_x_unit),
        physical_size_y_as_written=as_written(px.physical_size_y, px.physical_size_y_unit),
        physical_size_z_as_written=as_written(px.physical_size_z, px.physical_size_z_unit),
        time_increment_s=time_in_s(
            px.time_increment,
            px.time_increment_unit,
            col,
            f"{loc}@TimeIncrement",
            "time_increment_s",
        ),
        channels=[_channel(c, i, img, col) for i, c in enumerate(px.channels)],
        planes=[_plane(p, i, img, col) for i, p in enumerate(px.planes)],
    )


def _image(im: Any, index: int, col: UnitIssues) -> OmeImage:
    os_ = im.objective_settings
    date = im.acquisition_date
    return assemble(
        OmeImage,
        index=index,
        id=text_of(im.id),
        name=text_of(im.name),
        description=text_of(im.description),
        acquisition_date=date.isoformat() if date is not None else None,
        instrument_ref=text_of(im.instrument_ref.id) if im.instrument_ref is not None else None,
        objective_ref=text_of(os_.id) if os_ is not None else None,
        objective_refractive_index=number_of(os_.refractive_index) if os_ is not None else None,
        objective_medium=text_of(os_.medium) if os_ is not None else None,
        pixels=_pixels(im.pixels, index, col) if im.pixels is not None else None,
    )


def _instrument(ins: Any, index: int, col: UnitIssues) -> OmeInstrument:
    loc = f"OME Instrument[{index}]"
    mic = ins.microscope
    objectives = [
        assemble(
            OmeObjective,
            id=text_of(o.id),
            manufacturer=text_of(o.manufacturer),
            model=text_of(o.model),
            serial_number=text_of(o.serial_number),
            lens_na=number_of(o.lens_na),
            nominal_magnification=number_of(o.nominal_magnification),
            calibrated_magnification=number_of(o.calibrated_magnification),
            immersion=text_of(o.immersion),
            correction=text_of(o.correction),
            working_distance_um=length_in(
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
        assemble(
            OmeDetector,
            id=text_of(d.id),
            type=text_of(d.type),
            manufacturer=text_of(d.manufacturer),
            model=text_of(d.model),
            serial_number=text_of(d.serial_number),
            gain=number_of(d.gain),
        )
        for d in ins.detectors
    ]
    lasers = []
    for j, las in enumerate(ins.lasers):
        power = number_of(las.power)
        power_unit = text_of(las.power_unit) or "mW"
        factor = _POWER_TO_MW.get(power_unit)
        if power is not None and factor is None:
            col.warning(
                "ome_unit",
                f"{loc}/Laser[{j}]@Power unit {power_unit!r} is not known; power reported as unknown",
                field="power_mw",
                locator=f"{loc}/Laser[{j}]@PowerUnit",
            )
        lasers.append(
            assemble(
                OmeLaser,
                id=text_of(las.id),
                type=text_of(las.type),
                laser_medium=text_of(las.laser_medium),
                manufacturer=text_of(las.manufacturer),
                model=text_of(las.model),
                wavelength_nm=length_in(
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
    return assemble(
        OmeInstrument,
        id=text_of(ins.id),
        microscope_manufacturer=text_of(mic.manufacturer) if mic is not None else None,
        microscope_model=text_of(mic.model) if mic is not None else None,
        microscope_type=text_of(mic.type) if mic is not None else None,
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
    hazard = xml_hazard(xml)
    if hazard is not None:  # XXE / entity expansion: never handed to any parser
        collector.error(
            "ome_refused",
            f"OME-XML in ImageDescription refused: it {hazard}; external entities and entity "
            "declarations are never processed. Read from the plain TIFF tags instead",
            locator="tag ImageDescription (270)",
        )
        return None
    ome = None if validate else read_subset(xml)
    error: Exception | None = None
    namespace = OME_2016_06 if ome is not None else None  # the subset is 2016-06 only
    if ome is None:
        unsafe = _backtracking_id(xml)
        if unsafe is None:
            ome, error = _read_with_ome_types(xml, collector, validate=validate)
        else:  # ome-types' LSID pattern backtracks exponentially on it (issue 23)
            error = ValueError(f"the ID {unsafe[:80]!r} is not an OME LSID")
    issues = UnitIssues()
    if ome is None:
        assert error is not None
        message = " ".join(str(error).split())[:300]
        summary = fallback_summary(xml, issues)
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
    summary = assemble(
        OmeSummary,
        parsed_by="ome-types",
        schema_namespace=namespace or namespace_of(_root_tag(xml)),
        creator=text_of(ome.creator),
        uuid=text_of(ome.uuid),
        images=[_image(im, i, issues) for i, im in enumerate(ome.images)],
        instruments=[_instrument(ins, i, issues) for i, ins in enumerate(ome.instruments)],
        n_structured_annotations=_count_annotations(ome.structured_annotations),
    )
    issues.report(collector)
    return summary


def _read_with_ome_types(
    xml: str, collector: FindingCollector, *, validate: bool
) -> tuple[Any, Exception | None]:
    """``ome_types.from_xml`` with its warnings turned into findings: (OME or None, error)."""
    import ome_types  # imported here: costs ~0.3 s, only documents outside the subset need it

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
    return ome, error


MAX_LSID_AUTHORITY = 64
MAX_LSID_DOTS = 4
"""Longest LSID authority (``urn:lsid:AUTHORITY:Kind:n``), and most dots in it, handed to ome-types.

ome-types checks every ID against the OME schema's LSID pattern, whose nested repeat backtracks
polynomially in the authority's length, with a degree that grows with its dots, when the ID does
not match: 0.02 s at 64 characters and 4 dots, 5.7 s at 8 dots, 19 s at 3,000 characters and 2
dots, no answer in 60 s for 30 dots (issue 23). Real authorities (``export.openmicroscopy.org``)
are short with two or three dots."""


def _backtracking_id(xml: str) -> str | None:
    """The first ``ID`` whose LSID authority is longer or holds more dots than ome-types can check."""
    try:
        for _event, el in ET.iterparse(io.BytesIO(xml.encode("utf-8")), events=("start",)):
            value = el.get("ID")
            if value is not None and value.startswith("urn:lsid:"):
                authority = value[len("urn:lsid:") :].partition(":")[0]
                if len(authority) > MAX_LSID_AUTHORITY or authority.count(".") > MAX_LSID_DOTS:
                    return str(value)
    except (ET.ParseError, ValueError):
        return None
    return None


def _root_tag(xml: str) -> str:
    # The namespace as written (ome-types upgrades old schemas to 2016-06 on parsing); only the
    # start of the root element is parsed.
    try:
        for _event, el in ET.iterparse(io.BytesIO(xml.encode("utf-8")), events=("start",)):
            return str(el.tag)
    except (ET.ParseError, ValueError):  # ValueError: text that cannot be encoded
        pass
    return ""
