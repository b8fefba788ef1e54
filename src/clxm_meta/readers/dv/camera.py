"""A Cockpit camera title entry split into the camera and the settings its text states.

Cockpit writes one ``[camera: <entry>;<entry>...]`` block (digest formats-binary.md §1.7); what an
entry says about the camera is up to the device, e.g. ``Andor iXon Ultra 888, EM gain 200``. The
entry is cut at commas; a part that states a setting in words this module knows (gain, binning,
temperature, read-out rate) is taken as that setting, every other part as the camera's name. No
setting is ever guessed: a part that is not recognised stays in the name, as written.
"""

import re

from pydantic import BaseModel, ConfigDict

from clxm_meta.readers.base import construct

__all__ = ["CameraEntry", "parse_camera"]

_NUMBER = r"(-?\d+(?:\.\d*)?)"
_GAIN = re.compile(
    rf"^(?:(EM|EMCCD|analog(?:ue)?|pre-?amp)\s+)?gain\s*(?:[:=]\s*)?{_NUMBER}x?$", re.I
)
_BINNING = re.compile(r"^bin(?:ning)?\s*(?:[:=]\s*)?(\d+)(?:\s*[x×]\s*(\d+))?$", re.I)
_TEMPERATURE = re.compile(
    rf"^(?:sensor\s+)?temp(?:erature)?\s*(?:[:=]\s*)?{_NUMBER}\s*(?:°\s*C|deg(?:rees)?\s*C|C)$",
    re.I,
)
_READOUT = re.compile(
    rf"^(?:read-?\s*out(?:\s+rate)?|readout speed|speed)\s*(?:[:=]\s*)?{_NUMBER}\s*(MHz|kHz)$", re.I
)


class CameraEntry(BaseModel):
    """What a Cockpit camera entry says.

    Attributes
    ----------
    name
        The parts of the entry that state no known setting, joined by ``", "`` (the camera, as
        written); ``None`` when every part is a setting.
    gain
        Gain as written (``EM gain 200`` → 200).
    gain_kind
        The word before ``gain`` when there is one (``"EM"``).
    binning
        ``"<x>x<y>"`` (``bin 2`` → ``"2x2"``).
    temperature_c
        Sensor temperature, °C.
    readout
        Read-out rate as written with its unit (``"30 MHz"``).
    settings_text
        The parts read as settings, as written.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: str | None = None
    gain: float | None = None
    gain_kind: str | None = None
    binning: str | None = None
    temperature_c: float | None = None
    readout: str | None = None
    settings_text: list[str] = []


def parse_camera(entry: str) -> CameraEntry:
    """Split a camera entry at commas into its name and the settings it states."""
    name_parts: list[str] = []
    settings: list[str] = []
    gain: float | None = None
    gain_kind: str | None = None
    binning: str | None = None
    temperature: float | None = None
    readout: str | None = None
    for raw in entry.split(","):
        part = raw.strip()
        if not part:
            continue
        if gain is None and (m := _GAIN.match(part)):
            gain, gain_kind = float(m.group(2)), m.group(1)
        elif binning is None and (m := _BINNING.match(part)):
            binning = f"{m.group(1)}x{m.group(2) or m.group(1)}"
        elif temperature is None and (m := _TEMPERATURE.match(part)):
            temperature = float(m.group(1))
        elif readout is None and (m := _READOUT.match(part)):
            readout = f"{m.group(1)} {m.group(2)}"
        else:
            name_parts.append(part)
            continue
        settings.append(part)
    return construct(
        CameraEntry,
        {
            "name": ", ".join(name_parts) or None,
            "gain": gain,
            "gain_kind": gain_kind,
            "binning": binning,
            "temperature_c": temperature,
            "readout": readout,
            "settings_text": settings,
        },
    )
