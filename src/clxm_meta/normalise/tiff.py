"""TIFF / OME-TIFF / ImageJ-TIFF format model → Table 1 candidates.

Which dataset a TIFF belongs to is decided from evidence in the file, never from its name:

- **txrm2tiff output** (Software ``txrm2tiff x.y.z``) → SXT raw data rows: ``raw.format``
  ``"OME-TIFF"``, ``raw.dimensions``, ``raw.pixel_type``, ``setup.pixel_size`` and the derived
  ``setup.field_of_view``, ``acquisition.exposure`` from the OME planes, ``acquisition.n_frames``
  from SizeZ (txrm2tiff stacks the projections in Z; a single plane is either one projection or a
  stitched mosaic, so it gives no frame count), ``general.collection_date`` from AcquisitionDate.
  ``raw.type`` is *not* proposed: a float32 txrm2tiff file usually means that the reference was
  applied (image·100/reference), but a TXRM can hold float32 images itself, and this file cannot tell
  the two apart.
- **fluorescence OME-TIFF** (a channel with an excitation or emission wavelength), or an **ImageJ /
  plain / OME stack whose Z count is a multiple of 15** (3 angles × 5 phases per focal plane, e.g.
  cudasirecon's raw.tif, 135 = 9 × 15) → SIM raw data rows, as far as the file goes.
- **anything else**, including a CImg OTF (``otf_like``; an attachment, not raw data) → no candidate.

Detector and software (SIM only): ``setup.detector`` from the OME Instrument's Detector,
``acquisition.detector_settings`` from the channels' OME DetectorSettings (Binning, Gain; the
Detector's Gain when no channel states one). ``acquisition.software`` is the program that wrote
the file as the file states it: tag Software (305), else the ImageJ description's ``ImageJ=`` key,
else the OME ``Creator``; for a converted copy that is the converter rather than the acquisition
program, which its source says, and it ranks lowest (`Precedence.ASSUMPTION`), below a DV title.

Precedence: a TIFF of microscope data is, in this workflow, a converted copy of the original file
(txrm2tiff of a .txrm, Fiji of a .dv). Values read from it therefore use
`Precedence.PROCESSED_HEADER`, below the original TXRM/DV header; values computed from them use
`Precedence.DERIVED`, and the SIM stack height, which assumes 15 images per plane,
`Precedence.ASSUMPTION`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.readers.base import FormatModel
from clxm_meta.readers.tiff import TiffMetadata
from clxm_meta.readers.tiff.model import OmeImage, OmeInstrument, OmePixels
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.pixel_types import pixel_type_words
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import (
    XYZ,
    ChannelSetting,
    DetectorSettings,
    ExposureSummary,
    ImageDimensions,
    Objective,
    Software,
)

__all__ = ["SIM_IMAGES_PER_PLANE", "candidates", "sim_evidence"]

READER = "tiff"
SIM_IMAGES_PER_PLANE = 15
"""3 illumination angles × 5 phases: the usual raw 3D-SIM layout (Table 1's stack-height formula)."""


_OME_TYPES = {"float": "float32", "double": "float64", "complex": "complex64"}
_OME_TYPES["double-complex"] = "complex128"


@dataclass(frozen=True)
class _Item:
    """A value with where it came from."""

    value: Any
    locator: str
    transform: str | None = None


@dataclass
class _Geometry:
    x: _Item | None = None
    y: _Item | None = None
    z: _Item | None = None
    c: _Item | None = None
    t: _Item | None = None
    px: _Item | None = None
    py: _Item | None = None
    pz: _Item | None = None
    dtype: _Item | None = None


def _pixels(model: TiffMetadata) -> tuple[OmeImage | None, OmePixels | None]:
    if model.ome is None or not model.ome.images:
        return None, None
    image = model.ome.images[0]
    return image, image.pixels


def _geometry(model: TiffMetadata) -> _Geometry:
    geo = _Geometry()
    page = model.first_page
    _, px = _pixels(model)
    if px is not None:
        loc = "OME Image[0]/Pixels"
        for axis in "xyzct":
            size = getattr(px, f"size_{axis}")
            if size is not None:
                setattr(geo, axis, _Item(size, f"{loc}@Size{axis.upper()}"))
        for axis in "xyz":
            value = getattr(px, f"physical_size_{axis}_um")
            if value is not None:
                written = getattr(px, f"physical_size_{axis}_as_written")
                setattr(
                    geo,
                    f"p{axis}",
                    _Item(value, f"{loc}@PhysicalSize{axis.upper()}", f"{written} → µm"),
                )
        if px.type is not None:
            geo.dtype = _Item(_OME_TYPES.get(px.type, px.type), f"{loc}@Type")
    if geo.x is None and page.width is not None:
        geo.x = _Item(page.width, "tag ImageWidth (256)")
    if geo.y is None and page.height is not None:
        geo.y = _Item(page.height, "tag ImageLength (257)")
    ij = model.imagej
    if ij is not None:
        loc = "ImageJ description"
        for axis, key in (("z", "slices"), ("c", "channels"), ("t", "frames")):
            value = getattr(ij, key)
            if getattr(geo, axis) is None and value is not None:
                setattr(geo, axis, _Item(value, f"{loc} {key}"))
        for axis, value, res in (
            ("x", ij.pixel_width_um, page.x_resolution),
            ("y", ij.pixel_height_um, page.y_resolution),
        ):
            if getattr(geo, f"p{axis}") is None and value is not None:
                tag = "XResolution (282)" if axis == "x" else "YResolution (283)"
                setattr(
                    geo,
                    f"p{axis}",
                    _Item(value, f"tag {tag} + {loc} unit", f"1 / {res} {ij.unit} → µm"),
                )
        if geo.pz is None and ij.spacing_um is not None:
            geo.pz = _Item(ij.spacing_um, f"{loc} spacing", f"{ij.spacing} {ij.unit} → µm")
    for axis, value, res, tag in (
        ("x", page.pixel_size_x_um, page.x_resolution, "XResolution (282)"),
        ("y", page.pixel_size_y_um, page.y_resolution, "YResolution (283)"),
    ):
        if getattr(geo, f"p{axis}") is None and value is not None:
            setattr(
                geo,
                f"p{axis}",
                _Item(
                    value,
                    f"tag {tag} + ResolutionUnit (296)",
                    f"1 / {res} per {page.resolution_unit} → µm",
                ),
            )
    if geo.z is None and model.series:
        series = model.series[0]
        if "Z" in series.axes:
            geo.z = _Item(series.shape[series.axes.index("Z")], "tifffile series[0] axes Z")
    if geo.dtype is None and page.dtype is not None:
        geo.dtype = _Item(page.dtype, "tag BitsPerSample (258) + SampleFormat (339)")
    return geo


def _file(model: TiffMetadata, item: _Item) -> Source:
    return Source.file(model.path, READER, item.locator, item.transform)


def _join(*items: _Item | None) -> str:
    return " + ".join(i.locator for i in items if i is not None)


def _cand(
    kind: DatasetKind,
    field: str,
    value: Any,
    source: Source,
    unit: str | None = None,
    precedence: Precedence = Precedence.PROCESSED_HEADER,
) -> Candidate:
    return Candidate(
        field=field, kind=kind, value=value, unit=unit, source=source, precedence=precedence
    )


def _format_name(model: TiffMetadata) -> str:
    if model.flavour in ("ome", "txrm2tiff"):
        return "OME-TIFF"
    if model.flavour == "imagej":
        return "ImageJ TIFF"
    return "BigTIFF" if model.bigtiff else "TIFF"


def _common(
    model: TiffMetadata, kind: DatasetKind, geo: _Geometry, *, with_z: bool, why: str = ""
) -> list[Candidate]:
    """raw.format, raw.dimensions, raw.pixel_type, setup.pixel_size, setup.field_of_view."""
    out: list[Candidate] = []
    path = model.path
    writer = f"written by {model.writer} {model.writer_version or ''}".rstrip()
    out.append(
        _cand(
            kind,
            "raw.format",
            _format_name(model),
            Source.file(
                path,
                READER,
                "TIFF signature + ImageDescription",
                (
                    f"flavour {model.flavour}; {writer}"
                    if model.writer
                    else f"flavour {model.flavour}"
                )
                + why,
            ),
        )
    )
    x_um = geo.x.value * geo.px.value if geo.x and geo.px else None
    y_um = geo.y.value * geo.py.value if geo.y and geo.py else None
    if geo.x is not None or geo.y is not None:
        dims = ImageDimensions(
            x=geo.x.value if geo.x else None,
            y=geo.y.value if geo.y else None,
            z=geo.z.value if with_z and geo.z else None,
            c=geo.c.value if with_z and geo.c else None,
            t=geo.t.value if with_z and geo.t else None,
            x_um=x_um,
            y_um=y_um,
        )
        used = [geo.x, geo.y, geo.px, geo.py]
        if with_z:
            used += [geo.z, geo.c, geo.t]
        if x_um is None and y_um is None:
            src = Source.file(path, READER, _join(*used))
        else:
            src = Source.derived(path, READER, _join(*used), "x_um = size X × pixel size X (µm)")
        out.append(_cand(kind, "raw.dimensions", dims, src))
    if geo.dtype is not None:
        dtype = str(geo.dtype.value)
        wording = "1-bit" if dtype == "bit" else pixel_type_words(dtype)
        if wording:
            out.append(
                _cand(
                    kind,
                    "raw.pixel_type",
                    wording,
                    Source.file(path, READER, geo.dtype.locator, f"{dtype} → wording"),
                )
            )
    if geo.px is not None or geo.py is not None:
        pz = geo.pz.value if with_z and geo.pz else None
        size = XYZ(x=geo.px.value if geo.px else None, y=geo.py.value if geo.py else None, z=pz)
        parts = [geo.px, geo.py] + ([geo.pz] if with_z else [])
        transforms = "; ".join(
            dict.fromkeys(i.transform for i in parts if i is not None and i.transform)
        )
        out.append(
            _cand(
                kind,
                "setup.pixel_size",
                size,
                Source.file(path, READER, _join(*parts), transforms or None),
                unit="µm",
            )
        )
    if x_um is not None or y_um is not None:
        out.append(
            _cand(
                kind,
                "setup.field_of_view",
                XYZ(x=x_um, y=y_um),
                Source.derived(
                    path,
                    READER,
                    _join(geo.x, geo.y, geo.px, geo.py),
                    "size × pixel size (µm)",
                ),
                unit="µm",
                precedence=Precedence.DERIVED,
            )
        )
    return out


def _date(model: TiffMetadata, kind: DatasetKind) -> list[Candidate]:
    image, _ = _pixels(model)
    if image is not None and image.acquisition_date:
        src = Source.file(model.path, READER, "OME Image[0]/AcquisitionDate")
        return [_cand(kind, "general.collection_date", image.acquisition_date, src)]
    if model.first_page.datetime_iso:
        src = Source.file(
            model.path, READER, "tag DateTime (306)", "YYYY:MM:DD HH:MM:SS → ISO 8601"
        )
        return [_cand(kind, "general.collection_date", model.first_page.datetime_iso, src)]
    return []


def _instrument(model: TiffMetadata) -> OmeInstrument | None:
    if model.ome is None or not model.ome.instruments:
        return None
    image, _ = _pixels(model)
    ref = image.instrument_ref if image is not None else None
    for ins in model.ome.instruments:
        if ref is not None and ins.id == ref:
            return ins
    return model.ome.instruments[0] if len(model.ome.instruments) == 1 else None


def _instrument_name(model: TiffMetadata, kind: DatasetKind) -> list[Candidate]:
    ins = _instrument(model)
    if ins is None:
        return []
    name = " ".join(p for p in (ins.microscope_manufacturer, ins.microscope_model) if p)
    if not name:
        return []
    src = Source.file(model.path, READER, f"OME Instrument[{ins.id}]/Microscope")
    return [_cand(kind, "general.instrument", name, src)]


def _exposure(model: TiffMetadata) -> Candidate | None:
    _, px = _pixels(model)
    if px is None:
        return None
    times = [p.exposure_s for p in px.planes if p.exposure_s is not None]
    if not times:
        return None
    constant = max(times) - min(times) <= 1e-9 * max(abs(max(times)), 1.0)
    summary = ExposureSummary(
        value_s=times[0] if constant else None,
        min_s=min(times),
        max_s=max(times),
        n_images=len(times),
        type="constant" if constant else "variable",
    )
    transform = f"summary of {len(times)} plane exposure(s), s"
    if model.flavour == "txrm2tiff" and len(px.planes) == 1:
        transform += "; for a stitched mosaic txrm2tiff writes the mean tile exposure"
    src = Source.derived(model.path, READER, "OME Image[0]/Pixels/Plane[*]@ExposureTime", transform)
    return _cand(DatasetKind.SXT, "acquisition.exposure", summary, src, unit="s")


def _sxt(model: TiffMetadata) -> list[Candidate]:
    kind = DatasetKind.SXT
    geo = _geometry(model)
    out = _common(model, kind, geo, with_z=False)
    exposure = _exposure(model)
    if exposure is not None:
        out.append(exposure)
    _, px = _pixels(model)
    if px is not None and px.size_z is not None and px.size_z > 1:
        out.append(
            _cand(
                kind,
                "acquisition.n_frames",
                px.size_z,
                Source.file(
                    model.path,
                    READER,
                    "OME Image[0]/Pixels@SizeZ",
                    "txrm2tiff stacks the projections in Z",
                ),
            )
        )
    out += _date(model, kind)
    out += _instrument_name(model, kind)
    return out


def _fluorescence(model: TiffMetadata) -> bool:
    _, px = _pixels(model)
    return px is not None and any(
        c.excitation_nm is not None or c.emission_nm is not None for c in px.channels
    )


def _sim_like_z(geo: _Geometry) -> bool:
    nz = geo.z.value if geo.z is not None else None
    nc = geo.c.value if geo.c is not None else 1
    return (
        isinstance(nz, int)
        and nz >= SIM_IMAGES_PER_PLANE
        and nz % SIM_IMAGES_PER_PLANE == 0
        and nc in (None, 1)
    )


def _channels(model: TiffMetadata) -> list[Candidate]:
    kind = DatasetKind.SIM
    _, px = _pixels(model)
    if px is None or not px.channels:
        return []
    path = model.path
    loc = "OME Image[0]/Pixels/Channel[*]"
    out: list[Candidate] = []
    ex = [c.excitation_nm for c in px.channels]
    em = [c.emission_nm for c in px.channels]
    if any(v is not None for v in ex):
        lasers = [v for v in dict.fromkeys(ex) if v is not None]
        out.append(
            _cand(
                kind,
                "setup.lasers",
                lasers,
                Source.file(path, READER, f"{loc}@ExcitationWavelength", "distinct values, nm"),
                unit="nm",
            )
        )
        out.append(
            _cand(
                kind,
                "acquisition.n_excitation_wavelengths",
                len(lasers),
                Source.derived(
                    path, READER, f"{loc}@ExcitationWavelength", "count of distinct values"
                ),
            )
        )
    if any(v is not None for v in em):
        out.append(
            _cand(
                kind,
                "setup.emission_filters",
                [v for v in em if v is not None],
                Source.file(path, READER, f"{loc}@EmissionWavelength", "nm"),
                unit="nm",
            )
        )
    settings = []
    for ch in px.channels:
        times = {
            p.exposure_s for p in px.planes if p.the_c == ch.index and p.exposure_s is not None
        }
        settings.append(
            ChannelSetting(
                index=ch.index,
                excitation_nm=ch.excitation_nm,
                emission_nm=ch.emission_nm,
                exposure_s=times.pop() if len(times) == 1 else None,
                attenuation=ch.nd_filter,
            )
        )
    out.append(
        _cand(
            kind,
            "acquisition.channels",
            settings,
            Source.file(
                path,
                READER,
                f"{loc}@ExcitationWavelength,EmissionWavelength,NDFilter + Plane[*]@ExposureTime",
                "exposure given when the same on every plane of the channel; NDFilter is "
                "the transmitted fraction",
            ),
        )
    )
    return out


def _objective_detector(model: TiffMetadata) -> list[Candidate]:
    kind = DatasetKind.SIM
    ins = _instrument(model)
    if ins is None:
        return []
    image, _ = _pixels(model)
    out: list[Candidate] = []
    objective = None
    ref = image.objective_ref if image is not None else None
    for o in ins.objectives:
        if ref is not None and o.id == ref:
            objective = o
    if objective is None and len(ins.objectives) == 1:
        objective = ins.objectives[0]
    if objective is not None:
        out.append(
            _cand(
                kind,
                "setup.objective",
                Objective(
                    name=objective.model,
                    manufacturer=objective.manufacturer,
                    model=objective.model,
                    magnification=objective.nominal_magnification,
                    na=objective.lens_na,
                    immersion=objective.immersion,
                    correction=objective.correction,
                    working_distance_mm=(
                        objective.working_distance_um / 1000.0
                        if objective.working_distance_um is not None
                        else None
                    ),
                    serial_number=objective.serial_number,
                ),
                Source.file(model.path, READER, f"OME Instrument/Objective[{objective.id}]"),
            )
        )
    if len(ins.detectors) == 1:
        det = ins.detectors[0]
        text = " ".join(p for p in (det.type, det.manufacturer, det.model) if p)
        if text:
            out.append(
                _cand(
                    kind,
                    "setup.detector",
                    text,
                    Source.file(model.path, READER, f"OME Instrument/Detector[{det.id}]"),
                )
            )
    return out


def _detector_settings(model: TiffMetadata) -> list[Candidate]:
    """``acquisition.detector_settings`` from OME Channel/DetectorSettings (and Detector@Gain)."""
    _, px = _pixels(model)
    if px is None:
        return []
    loc = "OME Image[0]/Pixels/Channel[*]/DetectorSettings@Binning,Gain"
    stated = {
        ch.index: (ch.detector_binning, ch.detector_gain)
        for ch in px.channels
        if ch.detector_binning is not None or ch.detector_gain is not None
    }
    if len(set(stated.values())) == 1:
        binning, gain = next(iter(stated.values()))
        settings = DetectorSettings(binning=binning, gain=gain)
        transform = f"the same on {len(stated)} of {len(px.channels)} channel(s)"
    elif stated:
        other = {
            f"channel {i}": ", ".join(
                f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}"
                for k, v in (("binning", b), ("gain", g))
                if v is not None
            )
            for i, (b, g) in stated.items()
        }
        settings = DetectorSettings(other=other)
        transform = "channels differ: per channel"
    else:
        settings = DetectorSettings()
        transform = ""
    ins = _instrument(model)
    if settings.gain is None and not settings.other and ins is not None:
        gains = {d.id: d.gain for d in ins.detectors if d.gain is not None}
        if len(gains) == 1:
            det_id, gain = next(iter(gains.items()))
            settings = DetectorSettings(binning=settings.binning, gain=gain)
            loc = (loc + "; " if transform else "") + f"OME Instrument/Detector[{det_id}]@Gain"
            transform = (transform + "; " if transform else "") + "gain of the only detector"
    if settings == DetectorSettings():
        return []
    src = Source.file(model.path, READER, loc, transform or None)
    return [_cand(DatasetKind.SIM, "acquisition.detector_settings", settings, src)]


_LIBRARY_WRITERS = ("tifffile", "tifffile.py", "libtiff")
"""Writers that are programming libraries: they name no program used to acquire or convert."""


def _software(model: TiffMetadata) -> list[Candidate]:
    """``acquisition.software``: the program that wrote the file, as the file states it."""
    first = model.first_page
    imagej = model.imagej.version if model.imagej is not None else None
    if model.writer and first.software and model.writer.lower() not in _LIBRARY_WRITERS:
        value = Software(name=model.writer, version=model.writer_version)
        locator = f"tag Software (305) = {first.software!r}"
    elif imagej:
        value = Software(name="ImageJ", version=imagej)
        locator = f"ImageDescription 'ImageJ={imagej}'"
    elif model.ome is not None and model.ome.creator:
        creator = model.ome.creator.strip()
        if not creator:
            return []
        name, _, version = creator.rpartition(" ")
        if not name or not version[:1].isdigit():
            name, version = creator, ""
        value = Software(name=name, version=version or None)
        locator = f"OME@Creator = {creator!r}"
    else:
        return []
    src = Source.file(
        model.path,
        READER,
        locator,
        "the program that wrote this TIFF; for a converted copy (e.g. Fiji of a .dv) it is the "
        "converter, not the acquisition program",
    )
    return [
        _cand(DatasetKind.SIM, "acquisition.software", value, src, precedence=Precedence.ASSUMPTION)
    ]


def _focal(model: TiffMetadata, geo: _Geometry) -> list[Candidate]:
    """Focal planes and stack height from one reading of the Z layout.

    A size Z that is a multiple of 15 is read as a raw 3D-SIM stack with angles × phases folded
    into Z (3 × 5, which the file does not state): both rows then use Z / 15 planes, and the
    assumption is stated once, on ``acquisition.n_focal_planes``. Any other size Z is taken as the
    number of focal planes itself.
    """
    if geo.z is None or not isinstance(geo.z.value, int):
        return []
    kind = DatasetKind.SIM
    nz = geo.z.value
    out: list[Candidate] = []
    if nz % SIM_IMAGES_PER_PLANE == 0 and nz >= SIM_IMAGES_PER_PLANE:
        planes = nz // SIM_IMAGES_PER_PLANE
        out.append(
            _cand(
                kind,
                "acquisition.n_focal_planes",
                planes,
                Source.assumption(
                    model.path,
                    READER,
                    geo.z.locator,
                    f"size Z {nz} / {SIM_IMAGES_PER_PLANE}: a raw 3D-SIM stack with 3 angles × "
                    f"5 phases per focal plane folded into Z (cudasirecon and B24 defaults; the "
                    f"file does not record them), so {nz} images = {planes} planes × "
                    f"{SIM_IMAGES_PER_PLANE}",
                ),
                precedence=Precedence.ASSUMPTION,
            )
        )
        if geo.pz is not None:
            out.append(
                _cand(
                    kind,
                    "acquisition.stack_height",
                    (planes - 1) * geo.pz.value,
                    Source.assumption(
                        model.path,
                        READER,
                        _join(geo.z, geo.pz),
                        f"(planes − 1) × Z step = ({planes} − 1) × {geo.pz.value:g}, with the "
                        "planes of acquisition.n_focal_planes (same assumption)",
                    ),
                    unit="µm",
                    precedence=Precedence.ASSUMPTION,
                )
            )
        return out
    out.append(_cand(kind, "acquisition.n_focal_planes", nz, _file(model, geo.z)))
    if geo.pz is not None:
        out.append(
            _cand(
                kind,
                "acquisition.stack_height",
                (nz - 1) * geo.pz.value,
                Source.derived(
                    model.path,
                    READER,
                    _join(geo.z, geo.pz),
                    f"(size Z − 1) × Z step = ({nz} − 1) × {geo.pz.value:g}",
                ),
                unit="µm",
                precedence=Precedence.DERIVED,
            )
        )
    return out


def _sim(model: TiffMetadata, geo: _Geometry) -> list[Candidate]:
    kind = DatasetKind.SIM
    if _fluorescence(model):
        why = "; taken as SIM: OME channels carry excitation/emission wavelengths"
    else:
        why = (
            f"; taken as raw SIM: size Z {geo.z.value if geo.z else '?'} is a multiple of "
            f"{SIM_IMAGES_PER_PLANE} (3 angles x 5 phases), which the file does not state"
        )
    out = _common(model, kind, geo, with_z=True, why=why)
    out += _focal(model, geo)
    out += _channels(model)
    out += _objective_detector(model)
    out += _detector_settings(model)
    out += _software(model)
    out += _date(model, kind)
    out += _instrument_name(model, kind)
    return out


def sim_evidence(model: FormatModel) -> tuple[str, bool] | None:
    """Why a TIFF is taken as SIM data, and whether that is a guess; ``None`` when it is not.

    The same rule as `candidates`: OME channels with excitation / emission wavelengths are
    evidence; a single-channel size Z that is a multiple of 15 (3 angles × 5 phases) is a guess.
    """
    if not isinstance(model, TiffMetadata) or model.otf_like or model.flavour == "txrm2tiff":
        return None
    if _fluorescence(model):
        return "OME channels carry excitation/emission wavelengths: fluorescence (SIM) data", False
    geo = _geometry(model)
    if _sim_like_z(geo) and geo.z is not None:
        return (
            f"size Z {geo.z.value} is a multiple of 15 (3 angles × 5 phases), which the file "
            "does not state: taken as a raw 3D-SIM stack",
            True,
        )
    return None


def candidates(model: FormatModel) -> list[Candidate]:
    """Table 1 candidates of one TIFF format model (see the module docstring for the rules)."""
    if not isinstance(model, TiffMetadata) or model.otf_like:
        return []
    if model.flavour == "txrm2tiff":
        return _sxt(model)
    geo = _geometry(model)
    if _fluorescence(model) or _sim_like_z(geo):
        return _sim(model, geo)
    return []
