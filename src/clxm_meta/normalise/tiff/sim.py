"""SIM raw data candidates of a TIFF: channels, objective, detector, software, date, instrument."""

from __future__ import annotations

from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.normalise.tiff.common import (
    READER,
    _cand,
    _common,
    _date,
    _instrument,
    _instrument_name,
)
from clxm_meta.normalise.tiff.geometry import _Geometry, _pixels
from clxm_meta.normalise.tiff.sim_layout import SIM_IMAGES_PER_PLANE, _fluorescence, _focal
from clxm_meta.readers.tiff import TiffMetadata
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import ChannelSetting, DetectorSettings, Objective, Software


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
