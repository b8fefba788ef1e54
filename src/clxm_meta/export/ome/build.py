"""OME-XML for the light side: one OME document per DV or TIFF image (direct.py, or ome-types).

What goes in (`OME_MAPPING` says which Table 1 row each element carries): ``Image`` with its
acquisition date; ``Pixels`` (sizes, pixel type, dimension order, physical sizes in µm);
``Channel`` (excitation / emission wavelength in nm); ``Plane`` (exposure, time, stage position);
``Instrument`` with the ``Objective`` (NA, magnification, immersion ...) referenced from the image
through ``ObjectiveSettings``, and the ``Detector`` referenced from each channel's
``DetectorSettings`` when the file names one. Only values the reader found are written: an
attribute the file does not give is absent, never 0.

DV stage positions are written in the OME unit ``reference frame``: no source states the unit the
DV extended header uses, so we do not call them micrometres.
"""

from __future__ import annotations

import math
import re
import threading
from typing import TYPE_CHECKING, Any

from clxm_meta.errors import UnsupportedFormatError
from clxm_meta.export.base import Export, MissingField
from clxm_meta.export.biostudies.filelist import dataset_info
from clxm_meta.export.ome.direct import direct_xml
from clxm_meta.readers.base import FormatModel
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.scan import ScanResult

if TYPE_CHECKING:
    from clxm_meta.readers.dv.model import DvExtHeader, DvFile
    from clxm_meta.readers.tiff import TiffMetadata

__all__ = ["DOCUMENT", "OME_MAPPING", "ome_models", "ome_xml"]

DOCUMENT = "OME-XML"

OME_MAPPING: dict[str, str] = {
    "general.collection_date": "Image/AcquisitionDate",
    "general.instrument": "Instrument/Microscope@Manufacturer,Model",
    "setup.objective": (
        "Instrument/Objective@LensNA,NominalMagnification,Immersion,Correction,"
        "WorkingDistance,Manufacturer,Model,SerialNumber (+ Image/ObjectiveSettings@ID)"
    ),
    "setup.detector": "Instrument/Detector@Type,Manufacturer,Model",
    "setup.lasers": "Image/Pixels/Channel@ExcitationWavelength (nm)",
    "setup.emission_filters": "Image/Pixels/Channel@EmissionWavelength (nm)",
    "setup.pixel_size": "Image/Pixels@PhysicalSizeX,PhysicalSizeY,PhysicalSizeZ (µm)",
    "acquisition.n_excitation_wavelengths": "Image/Pixels@SizeC",
    "acquisition.channels": (
        "Image/Pixels/Channel@ExcitationWavelength,EmissionWavelength (nm); "
        "Image/Pixels/Plane@ExposureTime (s)"
    ),
    "acquisition.n_focal_planes": "Image/Pixels@SizeZ (raw SIM: planes × angles × phases)",
    "acquisition.detector_settings": "Image/Pixels/Channel/DetectorSettings@Binning,Gain",
    "acquisition.attenuation": "Image/Pixels/Channel@NDFilter",
    "raw.dimensions": "Image/Pixels@SizeX,SizeY,SizeZ,SizeC,SizeT",
    "raw.pixel_type": "Image/Pixels@Type,SignificantBits",
    "processed.dimensions": "Image/Pixels@SizeX,SizeY,SizeZ,SizeC,SizeT (reconstruction)",
    "processed.voxel_size": "Image/Pixels@PhysicalSizeX,PhysicalSizeY,PhysicalSizeZ (reconstruction)",
    "processed.color_depth": "Image/Pixels@SignificantBits (reconstruction)",
}
"""Table 1 id → OME element/attribute that carries it in the documents written here."""

_DTYPE_TO_OME = {
    "uint8": "uint8",
    "int8": "int8",
    "uint16": "uint16",
    "int16": "int16",
    "uint32": "uint32",
    "int32": "int32",
    "float32": "float",
    "float64": "double",
    "complex64": "complex",
    "complex128": "double-complex",
    "bool": "bit",
}

# DV image sequence code → OME dimension order (first letter after XY varies fastest).
_DV_ORDER = {0: "XYZTC", 1: "XYCZT", 2: "XYZCT"}

_IMMERSION = {
    "oil": "Oil",
    "water": "Water",
    "water dipping": "WaterDipping",
    "waterdipping": "WaterDipping",
    "air": "Air",
    "dry": "Air",
    "multi": "Multi",
    "glycerol": "Glycerol",
    "glycerin": "Glycerol",
    "silicone": "Other",
    "silicon": "Other",
}

_OME_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")


def _dtype_name(dtype: str | None) -> str | None:
    if not dtype:
        return None
    import numpy as np

    try:
        return _DTYPE_TO_OME.get(np.dtype(dtype).name)
    except TypeError:
        return None


def _positive(v: float | None) -> float | None:
    return v if v is not None and v > 0 else None


def _date(text: str | None) -> str | None:
    if text and _OME_DATE.match(text):
        return text if len(text) > 16 else text + ":00"
    return None


def _immersion(text: str | None) -> str | None:
    if not text:
        return None
    return _IMMERSION.get(text.strip().lower())


_OME_BINNING = ("1x1", "2x2", "4x4", "8x8")
"""OME's Binning values besides ``Other``."""


def _dv_camera(model: DvFile) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Detectors named by Cockpit camera entries, and the settings of the one that states any.

    The same reading as the normaliser's ``setup.detector`` / ``acquisition.detector_settings``:
    the camera's name as written goes to Detector@Model (the title does not split maker and
    model); gain and binning go to every channel's DetectorSettings only when a single camera
    is named.
    """
    ck = model.cockpit
    cams = [d.camera for d in (ck.devices if ck is not None else []) if d.camera is not None]
    named = [c for c in cams if c.name]
    detectors = [{"model": c.name} for c in named]
    if len(named) != 1 or len(cams) != 1:
        return detectors, {}
    cam = named[0]
    settings: dict[str, Any] = {"gain": cam.gain}
    if cam.binning is not None:
        settings["binning"] = cam.binning if cam.binning in _OME_BINNING else "Other"
    return detectors, settings


def _dv_parts(model: DvFile) -> dict[str, Any]:
    h = model.header
    if model.role == "otf":
        raise UnsupportedFormatError(
            "an OTF is not an image (its header sizes are reciprocal space): no OME document",
            path=model.path,
        )
    if model.nz is None:
        raise UnsupportedFormatError(
            "the header's section count does not split into Z × waves × times: no OME document",
            path=model.path,
        )
    pixels: dict[str, Any] = {
        "size_x": h.nx,
        "size_y": h.ny,
        "size_z": model.nz,
        "size_c": model.n_waves,
        "size_t": model.n_times,
        "type": _dtype_name(h.dtype),
        "dimension_order": _DV_ORDER.get(h.image_sequence, "XYZTC"),
        "physical_size_x": _positive(h.dx_um),
        "physical_size_y": _positive(h.dy_um),
        "physical_size_z": _positive(h.dz_um),
        "significant_bits": h.bits_per_pixel,
    }
    detectors, camera_settings = _dv_camera(model)
    channels = []
    for c in model.channels:
        channels.append(
            {
                **camera_settings,
                "excitation_wavelength": _positive(c.excitation_nm),
                # The header wave list is the emission wavelength (as Bio-Formats and the
                # normaliser's setup.emission_filters read it) when section float 11 is empty.
                "emission_wavelength": _positive(
                    c.emission_nm if c.emission_nm is not None else c.wavelength_nm
                ),
                "nd_filter": c.nd_filter,
            }
        )
    planes = _dv_planes(model.ext_header) if model.ext_header is not None else []
    objective = None
    if model.lens is not None:
        lens = model.lens
        objective = {
            "lens_na": lens.na,
            "nominal_magnification": lens.magnification,
            "immersion": _immersion(lens.immersion),
            "working_distance": (
                lens.working_distance_mm * 1000 if lens.working_distance_mm is not None else None
            ),
            "manufacturer": lens.manufacturer,
            "model": lens.model or lens.name,
        }
    date = None
    if model.cockpit is not None:
        date = _date(model.cockpit.date_time)
    if date is None and model.new_type is not None:
        date = _date(model.new_type.acquisition_time)
    return {
        "name": model.path.replace("\\", "/").rsplit("/", 1)[-1],
        "date": date,
        "pixels": pixels,
        "channels": channels,
        "planes": planes,
        "objective": objective,
        "detectors": detectors,
        "microscope": None,
    }


_DV_PLANE_FLOATS = ("exposure_s", "time_s", "stage_x", "stage_y", "stage_z")
"""The extended-header floats of an OME ``Plane``, in the order of `_dv_planes`' dict keys."""


def _dv_planes(ext: DvExtHeader) -> list[dict[str, Any]]:
    """The OME planes of a DV extended header: one per record whose (z, wave, time) is known.

    From the section columns (`SectionTable.plane_floats`) when the sections were not built yet:
    building a `DvSection` per record (every float of it converted) was most of a raw SIM
    stack's OME document, and the scan's model then kept them all. The values are those of
    ``ext.sections`` (tests/export/test_ome_planes.py compares both ways on every DV sample).
    """
    columns = table = None
    if "sections" not in ext.__dict__ and ext._given is None:
        table = ext.table
        # a numpy `SectionTable` (a pure-Python `SmallTable` has no columns to take)
        take = getattr(table, "plane_floats", None)
        columns = take(_DV_PLANE_FLOATS) if take is not None else None
    if table is None or columns is None:
        return [
            _dv_plane(s.z, s.wave, s.time, s.exposure_s, s.time_s, s.stage_x, s.stage_y, s.stage_z)
            for s in ext.sections
            if s.z is not None and s.wave is not None and s.time is not None
        ]
    from clxm_meta.readers.dv.extended_header import plane_index

    seq, nz, nw, nt = table.seq, table.nz, table.nw, table.nt
    planes = []
    for i, row in enumerate(columns):
        z, w, t = plane_index(i, seq, nz, nw, nt)
        if z is not None and w is not None and t is not None:
            planes.append(_dv_plane(z, w, t, *row))
    return planes


def _dv_plane(
    z: int,
    wave: int,
    time: int,
    exposure_s: float | None,
    time_s: float | None,
    stage_x: float | None,
    stage_y: float | None,
    stage_z: float | None,
) -> dict[str, Any]:
    return {
        "the_z": z,
        "the_c": wave,
        "the_t": time,
        "exposure_time": exposure_s,
        "delta_t": time_s,
        "position_x": stage_x,
        "position_y": stage_y,
        "position_z": stage_z,
        "position_unit": "reference frame",
    }


def _tiff_parts(model: TiffMetadata) -> dict[str, Any]:
    name = model.path.replace("\\", "/").rsplit("/", 1)[-1]
    if model.otf_like:
        raise UnsupportedFormatError("an OTF is not an image: no OME document", path=model.path)
    ome = model.ome
    if ome is not None and ome.images and ome.images[0].pixels is not None:
        img = ome.images[0]
        px = img.pixels
        assert px is not None
        instrument = ome.instruments[0] if ome.instruments else None
        objective = None
        if instrument is not None and instrument.objectives:
            o = instrument.objectives[0]
            objective = {
                "lens_na": o.lens_na,
                "nominal_magnification": o.nominal_magnification,
                "immersion": _immersion(o.immersion),
                "working_distance": o.working_distance_um,
                "manufacturer": o.manufacturer,
                "model": o.model,
                "serial_number": o.serial_number,
            }
        detectors = []
        if instrument is not None:
            for d in instrument.detectors:
                detectors.append(
                    {
                        "manufacturer": d.manufacturer,
                        "model": d.model,
                        "serial_number": d.serial_number,
                    }
                )
        return {
            "name": img.name or name,
            "date": _date(img.acquisition_date),
            "pixels": {
                "size_x": px.size_x,
                "size_y": px.size_y,
                "size_z": px.size_z,
                "size_c": px.size_c,
                "size_t": px.size_t,
                "type": (px.type or "").lower() or None,
                "dimension_order": px.dimension_order,
                "physical_size_x": _positive(px.physical_size_x_um),
                "physical_size_y": _positive(px.physical_size_y_um),
                "physical_size_z": _positive(px.physical_size_z_um),
                "significant_bits": px.significant_bits,
            },
            "channels": [
                {
                    "name": c.name,
                    "excitation_wavelength": _positive(c.excitation_nm),
                    "emission_wavelength": _positive(c.emission_nm),
                    "nd_filter": c.nd_filter,
                    "binning": c.detector_binning,
                    "gain": c.detector_gain,
                    "samples_per_pixel": c.samples_per_pixel,
                }
                for c in px.channels
            ],
            "planes": [
                {
                    "the_z": p.the_z,
                    "the_c": p.the_c,
                    "the_t": p.the_t,
                    "exposure_time": p.exposure_s,
                    "delta_t": p.delta_t_s,
                    "position_x": p.position_x_um,
                    "position_y": p.position_y_um,
                    "position_z": p.position_z_um,
                    "position_unit": "µm",
                }
                for p in px.planes
            ],
            "objective": objective,
            "detectors": detectors,
            "microscope": (
                {
                    "manufacturer": instrument.microscope_manufacturer,
                    "model": instrument.microscope_model,
                }
                if instrument is not None
                and (instrument.microscope_manufacturer or instrument.microscope_model)
                else None
            ),
        }
    return _plain_tiff_parts(model, name)


def _plain_tiff_parts(model: TiffMetadata, name: str) -> dict[str, Any]:
    series = model.series[0] if model.series else None
    page = model.first_page
    if series is None or page.width is None or page.height is None:
        raise UnsupportedFormatError("the TIFF has no image series to describe", path=model.path)
    sizes = {"X": page.width, "Y": page.height, "Z": 1, "C": 1, "T": 1}
    for axis, n in zip(series.axes.upper(), series.shape, strict=False):
        if axis in ("Z", "C", "T"):
            sizes[axis] *= n
        elif axis in ("S",) and n > 1:
            sizes["C"] *= n
        elif axis in ("I", "Q") and n > 1:
            sizes["Z"] *= n  # an unlabelled page stack: counted as planes, say so in the findings
    ij = model.imagej
    dx = page.pixel_size_x_um if page.pixel_size_x_um is not None else None
    dy = page.pixel_size_y_um if page.pixel_size_y_um is not None else None
    dz = None
    if ij is not None:
        dx = dx if dx is not None else ij.pixel_width_um
        dy = dy if dy is not None else ij.pixel_height_um
        dz = ij.spacing_um
    return {
        "name": name,
        "date": _date(page.datetime_iso),
        "pixels": {
            "size_x": sizes["X"],
            "size_y": sizes["Y"],
            "size_z": sizes["Z"],
            "size_c": sizes["C"],
            "size_t": sizes["T"],
            "type": _dtype_name(series.dtype),
            "dimension_order": "XYCZT",
            "physical_size_x": _positive(dx),
            "physical_size_y": _positive(dy),
            "physical_size_z": _positive(dz),
            "significant_bits": page.bits_per_sample,
        },
        "channels": [],
        "planes": [],
        "objective": None,
        "detectors": [],
        "microscope": None,
    }


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _build(parts: dict[str, Any]) -> Any:
    from ome_types import model as om

    px = _clean(parts["pixels"])
    missing = [k for k in ("size_x", "size_y", "size_z", "size_c", "size_t", "type") if k not in px]
    if missing:
        return None, missing
    instrument = None
    objective_settings = None
    detector_ids: list[str] = []
    if parts["objective"] or parts["detectors"] or parts["microscope"]:
        # every value is given at construction (no list appended to afterwards), so each
        # model's set fields are exactly those written: `_to_xml` relies on it
        inst: dict[str, Any] = {}
        if parts["microscope"]:
            inst["microscope"] = om.Microscope(**_clean(parts["microscope"]))
        if parts["objective"]:
            obj = _clean(parts["objective"])
            if "working_distance" in obj:
                obj["working_distance_unit"] = "µm"
            inst["objectives"] = [om.Objective(id="Objective:0:0", **obj)]
            objective_settings = om.ObjectiveSettings(id="Objective:0:0")
        detectors = []
        for i, det in enumerate(parts["detectors"]):
            detectors.append(om.Detector(id=f"Detector:0:{i}", **_clean(det)))
            detector_ids.append(f"Detector:0:{i}")
        if detectors:
            inst["detectors"] = detectors
        instrument = om.Instrument(id="Instrument:0", **inst)
    channels = []
    for i, ch in enumerate(parts["channels"]):
        c = _clean(ch)
        settings = {k: c.pop(k) for k in ("binning", "gain") if k in c}
        if "excitation_wavelength" in c:
            c["excitation_wavelength_unit"] = "nm"
        if "emission_wavelength" in c:
            c["emission_wavelength_unit"] = "nm"
        if settings and detector_ids:
            c["detector_settings"] = om.DetectorSettings(id=detector_ids[0], **settings)
        channels.append(om.Channel(id=f"Channel:0:{i}", **c))
    if not channels:
        channels = [om.Channel(id=f"Channel:0:{i}") for i in range(px["size_c"])]
    planes = []
    for p in parts["planes"]:
        q = _clean(p)
        unit = q.pop("position_unit", "µm")
        for axis in ("x", "y", "z"):
            if f"position_{axis}" in q:
                q[f"position_{axis}_unit"] = unit
        if "exposure_time" in q:
            q["exposure_time_unit"] = "s"
        if "delta_t" in q:
            q["delta_t_unit"] = "s"
        planes.append(om.Plane(**q))
    for axis in ("x", "y", "z"):
        if f"physical_size_{axis}" in px:
            px[f"physical_size_{axis}_unit"] = "µm"
    pixels = om.Pixels(
        id="Pixels:0",
        channels=channels,
        planes=planes,
        metadata_only=om.MetadataOnly(),
        **px,
    )
    image = om.Image(id="Image:0", name=parts["name"], pixels=pixels)
    if parts["date"]:
        image.acquisition_date = parts["date"]
    if instrument is not None:
        image.instrument_ref = om.InstrumentRef(id=instrument.id)
        if objective_settings is not None:
            image.objective_settings = objective_settings
    ome = om.OME(
        creator="clxm_meta",
        images=[image],
        instruments=[instrument] if instrument is not None else [],
    )
    return ome, []


def ome_xml(model: FormatModel) -> Export[str]:
    """The OME-XML document of one DV or TIFF image model.

    ``missing`` names the Pixels attributes OME requires that the file did not give (then the
    document is empty): the sizes and the pixel type.

    Raises
    ------
    UnsupportedFormatError
        ``model`` is not a DV or TIFF image (an OTF, an MRC, a log ...).
    """
    from clxm_meta.readers.dv.model import DvFile
    from clxm_meta.readers.tiff import TiffMetadata

    if isinstance(model, DvFile):
        parts = _dv_parts(model)
    elif isinstance(model, TiffMetadata):
        parts = _tiff_parts(model)
    else:
        raise UnsupportedFormatError(
            f"OME-XML is written for DV and TIFF images, not {model.format!r} files",
            path=model.path,
        )
    planes = _planes_xml(parts["planes"])
    if planes is not None:
        direct = direct_xml(parts, planes)
        if direct is not None:  # else a value the direct writer leaves to ome-types
            return Export(document=direct)
    ome, missing = _build(parts if planes is None else {**parts, "planes": []})
    if ome is None:
        return Export(
            document="",
            missing=[
                MissingField(DOCUMENT, f"Pixels@{k}", k.replace("_", " "), "file", model.path)
                for k in missing
            ],
        )
    text = _to_xml(ome)
    if planes:
        at = text.rfind(_PIXELS_END)
        if at < 0:  # not the layout the planes were written for: let ome-types write them
            ome, _ = _build(parts)
            return Export(document=_to_xml(ome))
        text = text[:at] + "".join(planes) + text[at:]
    return Export(document=text)


_PIXELS_END = "\n    </Pixels>"
_PLANE_FLOATS = (
    ("delta_t", "DeltaT", "s"),
    ("exposure_time", "ExposureTime", "s"),
    ("position_x", "PositionX", None),
    ("position_y", "PositionY", None),
    ("position_z", "PositionZ", None),
)
_PLANE_KEYS = frozenset(
    ["the_z", "the_t", "the_c", "position_unit", *(k for k, _, _ in _PLANE_FLOATS)]
)


_LENGTH_UNITS = frozenset(
    [
        "Ym",
        "Zm",
        "Em",
        "Pm",
        "Tm",
        "Gm",
        "Mm",
        "km",
        "hm",
        "dam",
        "m",
        "dm",
        "cm",
        "mm",
        "µm",
        "nm",
        "pm",
        "fm",
        "am",
        "zm",
        "ym",
        "Å",
        "thou",
        "li",
        "in",
        "ft",
        "yd",
        "mi",
        "ua",
        "ly",
        "pc",
        "pt",
        "pixel",
        "reference frame",
    ]
)
"""The OME 2016-06 schema's ``UnitsLength`` symbols (tests/export/test_ome_direct.py compares
them with ome-types' enum), listed here so that a document written without ome-types does not
import it (~0.4 s of CPU per process, once in every ``deposit --jobs`` worker)."""


def _planes_xml(planes: list[dict[str, Any]]) -> list[str] | None:
    """The ``Plane`` elements of ``planes`` as ome-types writes them, or ``None``.

    A raw SIM stack has hundreds of planes, and building and serialising a pydantic model per
    plane was most of the OME-XML's cost at archive scale. A plane is a flat element of three
    counts and five numbers with their units, so it is written here directly, attribute by
    attribute in the schema's order, with ome-types' number formatting (tests/export/
    test_export_ome.py compares the documents with ome-types' own on every sample). Anything
    but plain non-negative ints, finite floats and known units returns ``None``, and the planes
    then go through ome-types (which validates, coerces or refuses them as before).
    """
    out = []
    numbers: dict[float, str] = {}
    for p in planes:
        if not p.keys() <= _PLANE_KEYS:
            return None
        z, t, c = p.get("the_z"), p.get("the_t"), p.get("the_c")
        if type(z) is not int or type(t) is not int or type(c) is not int or min(z, t, c) < 0:
            return None
        unit = p.get("position_unit", "µm")
        if unit not in _LENGTH_UNITS:
            return None
        text = f'\n      <Plane TheZ="{z}" TheT="{t}" TheC="{c}"'
        for key, name, fixed in _PLANE_FLOATS:
            v = p.get(key)
            if v is None:
                continue
            if type(v) is int:
                try:
                    v = float(v)
                except OverflowError:
                    return None
            elif type(v) is not float:
                return None
            # the text of each distinct non-zero value once (a stack repeats its exposure and
            # stage x/y in every plane); zeros are not kept (0.0 == -0.0), nor is any value
            # that is not finite (the planes then go to ome-types)
            number = numbers.get(v) if v else None
            if number is None:
                if not math.isfinite(v):
                    return None
                # xsdata's float text: ``repr`` with an upper-case exponent without ``+``
                number = repr(v)
                if "e" in number:
                    number = number.upper().replace("E+", "E")
                if v:
                    numbers[v] = number
            text += f' {name}="{number}" {name}Unit="{fixed or unit}"'
        out.append(text + "/>")
    return out


_LOCAL = threading.local()
"""One xsdata serializer per thread (it holds the ``XmlContext``, whose class metadata ome-types'
`to_xml` builds anew on every call: a third of a deposit's time at archive scale)."""


def _to_xml(ome: Any) -> str:
    """``ome_types.to_xml(ome)`` with its default options, through one reused serializer.

    Byte-identical to ``to_xml`` (tests/export/test_export_ome.py compares them). The few
    ome-types internals it needs are looked up once; if a future ome-types moves them, this
    falls back to ``to_xml`` itself.
    """
    if not hasattr(_LOCAL, "serializer"):
        _LOCAL.serializer = None
        try:
            from ome_types._conversion import OME_2016_06_URI
            from xsdata_pydantic_basemodel.bindings import SerializerConfig, XmlSerializer

            if hasattr(SerializerConfig, "indent"):
                indent: dict[str, Any] = {"indent": "  "}
            else:
                indent = {"pretty_print": True, "pretty_print_indent": "  "}
            config = SerializerConfig(
                **indent,
                xml_declaration=False,
                ignore_default_attributes=False,
                ignore_unset_attributes=True,
                attribute_sort_key=None,
            )
            config.schema_location = f"{OME_2016_06_URI} {OME_2016_06_URI}/ome.xsd"
            _LOCAL.serializer = (XmlSerializer(config=config), {None: OME_2016_06_URI})
        except (ImportError, AttributeError, TypeError):
            pass
    cached = _LOCAL.serializer
    if cached is None or not hasattr(ome, "_update_set_fields"):
        from ome_types import to_xml

        return to_xml(ome)
    serializer, ns_map = cached
    # ``to_xml`` first marks as set every field that differs from its default
    # (``_update_set_fields``: a third of the document's cost, a signature inspection per
    # default). `_build` gives every value at construction, so the set fields are already
    # exactly those; tests/export/test_export_ome.py compares the documents with ``to_xml``.
    return str(serializer.render(ome, ns_map=ns_map))


def ome_models(result: ScanResult, dataset: str) -> list[tuple[str, FormatModel]]:
    """The images of ``dataset`` that get an OME document: ``(relative path, model)`` pairs.

    Raw and reconstructed DV stacks and TIFF images of a SIM dataset (not OTFs or logs), in path
    order; ``[]`` for an SXT dataset (the light side gets OME documents, X-ray data go to EMPIAR).

    Raises
    ------
    KeyError
        ``dataset`` is not a dataset of the scan.
    """
    from clxm_meta.readers.dv.model import DvFile
    from clxm_meta.readers.tiff import TiffMetadata

    info = dataset_info(result, dataset)
    if info.kind is not DatasetKind.SIM:
        return []  # OME-XML is written for the light side; X-ray images go to EMPIAR as they are
    out: list[tuple[str, FormatModel]] = []
    for member in sorted(info.members, key=lambda m: m.path):
        model = result.models.get(member.path)
        if member.role == "otf":
            continue
        if (isinstance(model, DvFile) and model.role != "otf" and model.nz is not None) or (
            isinstance(model, TiffMetadata) and not model.otf_like
        ):
            out.append((member.path, model))
    return out
