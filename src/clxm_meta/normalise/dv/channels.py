"""Channels, camera and software of a DV file: extended header floats and Cockpit title entries."""

from __future__ import annotations

from clxm_meta.normalise.candidate import Precedence
from clxm_meta.normalise.dv.common import _Out
from clxm_meta.readers.dv.model import DvChannel, DvFile
from clxm_meta.readers.dv.software import software_in_titles
from clxm_meta.readers.dv.titles import CockpitDevice, is_light_type
from clxm_meta.records.values import ChannelSetting, DetectorSettings, Software

WAVE_MATCH_NM = 1.0
"""A Cockpit light matches a channel when its wavelength is within this of the excitation."""


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
