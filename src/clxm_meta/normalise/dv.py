"""SIM Table 1 candidates from a `DvFile` (DeltaVision / Priism). Never opens a file.

Rules (see docs/dv.md):

* A raw stack (role ``raw_sim``, ``widefield`` or ``unknown``) proposes ``setup.*``,
  ``acquisition.*`` and ``raw.*`` rows at `Precedence.HEADER`; values computed from several header
  fields (field of view, stack height, focal planes) are `Precedence.DERIVED` with the formula in
  the source's transform; values that rest on the 3 angles × 5 phases default are
  `Precedence.ASSUMPTION` and say so.
* A reconstruction (role ``processed``) proposes ``processed.*`` rows at
  `Precedence.PROCESSED_HEADER` (plus its emission wavelengths and date, which a reconstruction
  copies from the raw header).
* An OTF proposes itself as ``processing.otf_files``.
* Excitation comes only from extended-header float 10 (never from emission); exposure from float 8
  or, when that is 0 (Cockpit), from the Cockpit light entry whose wavelength equals the channel's
  excitation.
* ``setup.detector`` and ``acquisition.detector_settings`` come from a Cockpit ``[camera: ...]``
  title entry, when it names the camera / states a setting (the DV header has no binning, gain or
  camera field). ``acquisition.software`` comes from a title that names the program
  (`Precedence.HEADER`) or, failing that, from the title layout only Cockpit writes (a
  ``Date & time:`` title then ``[device type: ...]`` blocks; `Precedence.DERIVED`, no version, and
  the source's transform says it is read from the layout).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.readers.dv.model import DvChannel, DvFile
from clxm_meta.readers.dv.software import software_in_titles
from clxm_meta.readers.dv.titles import CockpitDevice, is_light_type
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.pixel_types import pixel_type_words
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import (
    XYZ,
    AttachedFile,
    ChannelSetting,
    DetectorSettings,
    ImageDimensions,
    IntensityRange,
    Objective,
    Software,
)

__all__ = ["candidates"]

READER = "dv"
WAVE_MATCH_NM = 1.0
"""A Cockpit light matches a channel when its wavelength is within this of the excitation."""
_PIXEL = "header dx, dy, dz (bytes 40-51)"
_DIMS = "header nx, ny, n_sections (bytes 0-11), NumTimes (180), NumWaves (196)"


def _r(value: float) -> float:
    return round(value, 9)


class _Out:
    def __init__(self, model: DvFile) -> None:
        self.model = model
        self.items: list[Candidate] = []

    def add(
        self,
        field: str,
        value: Any,
        source: Source,
        precedence: Precedence,
        unit: str | None = None,
    ) -> None:
        self.items.append(
            Candidate(
                field=field,
                kind=DatasetKind.SIM,
                value=value,
                unit=unit,
                source=source,
                precedence=precedence,
            )
        )

    def file(self, locator: str, transform: str | None = None) -> Source:
        return Source.file(self.model.path, READER, locator, transform)

    def derived(self, locator: str, transform: str) -> Source:
        return Source.derived(self.model.path, READER, locator, transform)

    def assumption(self, locator: str, transform: str) -> Source:
        return Source.assumption(self.model.path, READER, locator, transform)


def _pixel_type_words(model: DvFile) -> str | None:
    if model.header.dtype is not None:
        return pixel_type_words(np.dtype(model.header.dtype).name)
    name = model.header.pixel_type_name
    return name.split(" (")[0] if name else None


def _emission(model: DvFile) -> tuple[list[float], str] | None:
    waves = model.wavelengths_nm
    if waves and all(w is not None for w in waves):
        return [float(w) for w in waves if w is not None], "header wave1..wave5 (bytes 198-207)"
    ems = [c.emission_nm for c in model.channels]
    if ems and all(e is not None for e in ems):
        secs = ", ".join(str(c.first_section) for c in model.channels)
        return [e for e in ems if e is not None], f"ext header sections {secs} float 11"
    return None


def _light_for(model: DvFile, channel: DvChannel) -> tuple[int, CockpitDevice] | None:
    ck = model.cockpit
    if ck is None or channel.excitation_nm is None:
        return None
    for i, dev in enumerate(ck.devices):
        if (
            is_light_type(dev.device_type)
            and dev.wavelength_nm is not None
            and abs(dev.wavelength_nm - channel.excitation_nm) <= WAVE_MATCH_NM
        ):
            return i, dev
    return None


def _channels(out: _Out) -> None:
    model = out.model
    if model.ext_header is None:
        return
    settings: list[ChannelSetting] = []
    title_exposure = title_power = False
    for ch in model.channels:
        exposure = ch.exposure_s
        power: float | None = None
        light = _light_for(model, ch)
        if light is not None:
            dev = light[1]
            power = dev.power_mw
            title_power = title_power or power is not None
            if exposure is None and len(set(dev.exposures_ms)) == 1:
                exposure = dev.exposures_ms[0] / 1000.0
                title_exposure = True
        settings.append(
            ChannelSetting(
                index=ch.index,
                excitation_nm=ch.excitation_nm,
                emission_nm=ch.emission_nm
                if ch.emission_nm is not None
                else (float(ch.wavelength_nm) if ch.wavelength_nm is not None else None),
                exposure_s=exposure,
                attenuation=ch.nd_filter,
                power_mw=power,
            )
        )
    secs = ", ".join(str(c.first_section) for c in model.channels)
    locator = (
        f"ext header sections {secs} (first of each wave) floats 8 (exposure s), 9 (ND), "
        "10 (excitation), 11 (emission); header wave list for emission when float 11 is 0"
    )
    transform = "zero values read as not recorded"
    used = [
        w
        for w, flag in (("exposure (ms → s)", title_exposure), ("power (mW)", title_power))
        if flag
    ]
    if used:
        locator += f"; Cockpit title light entries for {' and '.join(used)}"
        transform += "; a light is matched to the channel whose excitation equals its wavelength"
    out.add("acquisition.channels", settings, out.file(locator, transform), Precedence.HEADER)
    lasers: list[float] = []
    for s in settings:
        if s.excitation_nm is not None and s.excitation_nm not in lasers:
            lasers.append(s.excitation_nm)
    if lasers:
        out.add(
            "setup.lasers",
            lasers,
            out.file(f"ext header sections {secs} float 10 (excitation wavelength)"),
            Precedence.HEADER,
            "nm",
        )
    if any(s.attenuation is not None for s in settings):
        out.add(
            "acquisition.attenuation",
            [s.attenuation for s in settings],
            out.file(
                f"ext header sections {secs} float 9 (neutral density)",
                "as stored: a fraction of 1 or a percentage",
            ),
            Precedence.HEADER,
        )


def _titles(indices: list[int]) -> str:
    return ("titles " if len(indices) > 1 else "title ") + ", ".join(str(i) for i in indices)


def _camera(out: _Out) -> None:
    """``setup.detector`` and ``acquisition.detector_settings`` from Cockpit camera entries."""
    ck = out.model.cockpit
    cams = [d for d in ck.devices if d.camera is not None] if ck is not None else []
    named = [d for d in cams if d.camera is not None and d.camera.name]
    if named:
        titles = sorted({t for d in named for t in d.titles})
        out.add(
            "setup.detector",
            "; ".join(d.camera.name for d in named if d.camera is not None and d.camera.name),
            out.file(
                f"{_titles(titles)} ('[camera: ...]' entry)",
                "the camera as written, without the settings the entry states",
            ),
            Precedence.HEADER,
        )
    stated = [d for d in cams if d.camera is not None and d.camera.settings_text]
    if len(stated) != 1 or stated[0].camera is None:
        # Several cameras with settings: one DetectorSettings cannot say which is whose.
        return
    cam = stated[0].camera
    other = {"gain type": cam.gain_kind} if cam.gain_kind and cam.gain is not None else {}
    out.add(
        "acquisition.detector_settings",
        DetectorSettings(
            binning=cam.binning,
            gain=cam.gain,
            temperature_c=cam.temperature_c,
            readout=cam.readout,
            other=other,
        ),
        out.file(
            f"{_titles(stated[0].titles)} ('[camera: ...]' entry: "
            f"{', '.join(repr(t) for t in cam.settings_text)})",
            "settings as written in the camera entry",
        ),
        Precedence.HEADER,
    )


def _software(out: _Out) -> None:
    """``acquisition.software`` from a title naming the program, else from Cockpit's layout."""
    model = out.model
    named = software_in_titles(model.titles)
    if named:
        first = named[0]
        out.add(
            "acquisition.software",
            Software(name=first.name, version=first.version),
            out.file(f"title {first.title}", "a title naming the program"),
            Precedence.HEADER,
        )
        return
    ck = model.cockpit
    if ck is not None and ck.date_time_title == 0 and ck.devices:
        blocks = sorted({t for d in ck.devices for t in d.titles})
        out.add(
            "acquisition.software",
            Software(name="Cockpit"),
            out.derived(
                f"title 0 ('Date & time: ...; pos: [...]') and {_titles(blocks)} "
                "('[device type: ...]' blocks)",
                "title layout written by Cockpit (Experiment.generateTitles); the titles do not "
                "name the program or its version",
            ),
            Precedence.DERIVED,
        )


def _date(out: _Out, precedence: Precedence) -> None:
    model = out.model
    if model.cockpit is not None and model.cockpit.date_time is not None:
        out.add(
            "general.collection_date",
            model.cockpit.date_time,
            out.file(
                f"title {model.cockpit.date_time_title} ('Date & time:')",
                "Cockpit local time, no time zone",
            ),
            precedence,
        )
    elif model.new_type is not None and model.new_type.acquisition_time is not None:
        out.add(
            "general.collection_date",
            model.new_type.acquisition_time,
            out.file("NEW_TYPE acquisition time (f8, byte 844)", "UNIX seconds → ISO 8601 UTC"),
            precedence,
        )


def _raw(out: _Out) -> None:
    model, hdr = out.model, out.model.header
    dx, dy, dz = hdr.dx_um, hdr.dy_um, hdr.dz_um
    if dx is not None and dy is not None:
        out.add(
            "setup.pixel_size", XYZ(x=dx, y=dy, z=dz), out.file(_PIXEL), Precedence.HEADER, "µm"
        )
        out.add(
            "setup.field_of_view",
            XYZ(x=_r(hdr.nx * dx), y=_r(hdr.ny * dy)),
            out.derived("header nx, ny (bytes 0-7), dx, dy (bytes 40-47)", "nx × dx, ny × dy"),
            Precedence.DERIVED,
            "µm",
        )
    if hdr.lens_id:
        lens = model.lens
        obj = (
            Objective(
                lens_id=lens.lens_id,
                name=lens.name,
                manufacturer=lens.manufacturer,
                model=lens.model,
                magnification=lens.magnification,
                na=lens.na,
                immersion=lens.immersion,
                correction=lens.correction,
                working_distance_mm=lens.working_distance_mm,
            )
            if lens is not None
            else Objective(lens_id=hdr.lens_id)
        )
        out.add(
            "setup.objective",
            obj,
            out.file(
                f"header LensNum (byte 162) = {hdr.lens_id}",
                "lens table clxm_meta.readers.dv.lenses"
                if lens is not None
                else "lens ID not in the lens table: ID only",
            ),
            Precedence.HEADER,
        )
    emission = _emission(model)
    if emission is not None:
        out.add(
            "setup.emission_filters", emission[0], out.file(emission[1]), Precedence.HEADER, "nm"
        )
    out.add(
        "acquisition.n_excitation_wavelengths",
        model.n_waves,
        out.file(
            "header NumWaves (byte 196)",
            None if hdr.n_waves == model.n_waves else f"stored {hdr.n_waves}, read as 1",
        ),
        Precedence.HEADER,
    )
    _channels(out)
    _focal(out)
    _camera(out)
    _software(out)
    out.add(
        "raw.format",
        "DeltaVision (.dv)",
        out.file(f"magic -16224 at byte 96 ({hdr.byte_order}-endian)"),
        Precedence.HEADER,
    )
    if hdr.nx > 0 and hdr.ny > 0:
        out.add(
            "raw.dimensions",
            _dimensions(model, with_z_um=False),
            out.file(
                f"{_DIMS}, dx, dy (bytes 40-47)",
                "z = n_sections / (waves × times): planes per channel as stored "
                "(raw SIM: focal planes × angles × phases); x_um = nx × dx, y_um = ny × dy",
            ),
            Precedence.HEADER,
        )
    words = _pixel_type_words(model)
    if words is not None:
        out.add(
            "raw.pixel_type",
            words,
            out.file(f"header PixelType (byte 12) = {hdr.pixel_type}"),
            Precedence.HEADER,
        )
    ranges = [
        IntensityRange(index=s.index, wavelength_nm=s.wavelength_nm, min=s.min, max=s.max)
        for s in model.intensity
    ]
    if any(r.min is not None or r.max is not None for r in ranges):
        out.add(
            "raw.intensity_range",
            ranges,
            out.file("; ".join(s.locator for s in model.intensity)),
            Precedence.HEADER,
        )
    _date(out, Precedence.HEADER)


def _focal(out: _Out) -> None:
    model, dz = out.model, out.model.header.dz_um
    sim = model.sim
    if model.role == "raw_sim" and sim is not None:
        if sim.nz is not None and sim.angles and sim.phases:
            n = sim.angles * sim.phases
            out.add(
                "acquisition.n_focal_planes",
                sim.nz,
                out.assumption(
                    f"{_DIMS}",
                    f"header Z {sim.nz_header} / ({sim.angles} angles × {sim.phases} phases); "
                    + sim.counts_note,
                ),
                Precedence.ASSUMPTION,
            )
            if dz is not None:
                out.add(
                    "acquisition.stack_height",
                    _r((sim.nz - 1) * dz),
                    out.assumption(
                        f"{_DIMS}, dz (bytes 48-51)",
                        f"(planes − 1) × dz = ({sim.nz} − 1) × {dz}, with the planes of "
                        f"acquisition.n_focal_planes (header Z {sim.nz_header} / {n}; same "
                        "assumption)",
                    ),
                    Precedence.ASSUMPTION,
                    "µm",
                )
        if sim.acquired_order is not None and model.cockpit is not None:
            out.add(
                "acquisition.si_acquired_order",
                sim.acquired_order,
                out.file(
                    f"title {model.cockpit.si_order_title} ('SI order:')",
                    "Cockpit loop order, outermost first",
                ),
                Precedence.HEADER,
            )
        else:
            out.add(
                "acquisition.si_acquired_order",
                sim.data_order,
                out.assumption(
                    "no SI order title",
                    "acquisition order not recorded; taken as the stored order: "
                    + sim.data_order_note,
                ),
                Precedence.ASSUMPTION,
            )
        out.add(
            "acquisition.si_reported_order",
            sim.data_order,
            out.assumption(
                f"header ImgSequence (byte 182) = {model.header.image_sequence_name}",
                sim.data_order_note,
            ),
            Precedence.ASSUMPTION,
        )
    elif model.role == "widefield" and model.nz is not None:
        out.add(
            "acquisition.n_focal_planes",
            model.nz,
            out.derived(_DIMS, "n_sections / (waves × times)"),
            Precedence.DERIVED,
        )
        if dz is not None:
            out.add(
                "acquisition.stack_height",
                _r((model.nz - 1) * dz),
                out.derived(
                    f"{_DIMS}, dz (bytes 48-51)", f"(nz − 1) × dz = ({model.nz} − 1) × {dz}"
                ),
                Precedence.DERIVED,
                "µm",
            )


def _dimensions(model: DvFile, *, with_z_um: bool) -> ImageDimensions:
    """Stack extent from the header.

    ``z_um`` only for a reconstruction: a raw SIM stack's Z interleaves angles and phases with
    focal planes, so nz × dz is not a depth.
    """
    hdr = model.header
    dx, dy, dz = hdr.dx_um, hdr.dy_um, hdr.dz_um
    z_um = None
    if with_z_um and dz is not None and model.nz is not None:
        z_um = _r(model.nz * dz)
    return ImageDimensions(
        x=hdr.nx,
        y=hdr.ny,
        z=model.nz,
        c=model.n_waves,
        t=model.n_times,
        x_um=_r(hdr.nx * dx) if dx is not None else None,
        y_um=_r(hdr.ny * dy) if dy is not None else None,
        z_um=z_um,
    )


def _processed(out: _Out) -> None:
    model, hdr = out.model, out.model.header
    dx, dy, dz = hdr.dx_um, hdr.dy_um, hdr.dz_um
    if hdr.nx > 0 and hdr.ny > 0:
        out.add(
            "processed.dimensions",
            _dimensions(model, with_z_um=True),
            out.file(f"{_DIMS}, dx, dy, dz (bytes 40-51)", "µm extents = n × d per axis"),
            Precedence.PROCESSED_HEADER,
        )
    if dx is not None and dy is not None:
        out.add(
            "processed.voxel_size",
            XYZ(x=dx, y=dy, z=dz),
            out.file(_PIXEL),
            Precedence.PROCESSED_HEADER,
            "µm",
        )
    if hdr.bits_per_pixel is not None:
        out.add(
            "processed.color_depth",
            hdr.bits_per_pixel,
            out.file(
                f"header PixelType (byte 12) = {hdr.pixel_type}",
                f"{hdr.pixel_type_name} → bits per pixel",
            ),
            Precedence.PROCESSED_HEADER,
            "bit",
        )
    emission = _emission(model)
    if emission is not None:
        out.add(
            "setup.emission_filters",
            emission[0],
            out.file(emission[1]),
            Precedence.PROCESSED_HEADER,
            "nm",
        )
    _date(out, Precedence.PROCESSED_HEADER)


def _otf(out: _Out) -> None:
    model, hdr = out.model, out.model.header
    summary: dict[str, str | int | float | bool | None] = {
        "nx": hdr.nx,
        "ny": hdr.ny,
        "n_sections": hdr.n_sections,
        "pixel_type": hdr.pixel_type,
        "wavelength_nm": model.wavelengths_nm[0] if model.wavelengths_nm else None,
        "lens_id": hdr.lens_id or None,
    }
    out.add(
        "processing.otf_files",
        [
            AttachedFile(
                path=model.path,
                role="otf",
                format="dv",
                size_bytes=model.file_size,
                summary=summary,
            )
        ],
        out.file(
            f"{os.path.basename(model.path)}: " + "; ".join(model.role_evidence),
            "the file itself, recognised as an OTF",
        ),
        Precedence.HEADER,
    )


def candidates(model: DvFile) -> list[Candidate]:
    """Return the SIM Table 1 candidates of one DV file (see the module docstring)."""
    out = _Out(model)
    if model.role == "otf":
        _otf(out)
    elif model.role == "processed":
        _processed(out)
    else:
        _raw(out)
    return out.items
