"""Plain strings where the sidecar expects a structure, parsed when they are unambiguous.

``setup.objective: Nikon 100x/0.9 NA air`` means ``{manufacturer: Nikon, magnification: 100,
na: 0.9, immersion: air}``; ``setup.pixel_size: 0.08 x 0.08 x 0.125`` means ``{x: 0.08, y: 0.08,
z: 0.125}``; ``processing.software: IMOD 4.11.24`` means ``{name: IMOD, version: 4.11.24}``. A
string that does not fit one reading (two magnifications, an unknown word) is refused: the caller
says which keys are expected, with an example.
"""

from __future__ import annotations

import re
from typing import Any

from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.values import XYZ, Magnification, Objective, Software
from clxm_meta.sidecar.shape import slot_type

__all__ = ["parse_text"]

_MAKERS = ("Nikon", "Olympus", "Evident", "Zeiss", "Leica", "Mitutoyo", "Thorlabs")
_IMMERSION = {
    "air": "air",
    "dry": "air",
    "oil": "oil",
    "water": "water",
    "glycerol": "glycerol",
    "glycerin": "glycerol",
    "silicone": "silicone",
}
_NUM = r"(\d+(?:\.\d+)?)"


def _objective(text: str) -> dict[str, Any] | None:
    rest = text
    out: dict[str, Any] = {}
    mags = re.findall(rf"(?<![\w.]){_NUM}\s*[x×X](?![\w])", rest)
    if len(mags) > 1:
        return None
    if mags:
        out["magnification"] = float(mags[0])
        rest = re.sub(rf"(?<![\w.]){_NUM}\s*[x×X](?![\w])", " ", rest, count=1)
    nas = re.findall(rf"(?:/\s*{_NUM}(?:\s*NA)?|{_NUM}\s*NA|NA\s*{_NUM})", rest, flags=re.I)
    if len(nas) > 1:
        return None
    if nas:
        na = float(next(n for n in nas[0] if n))
        if not 0 < na < 2:
            return None
        out["na"] = na
        rest = re.sub(
            rf"(?:/\s*{_NUM}(?:\s*NA)?|{_NUM}\s*NA|NA\s*{_NUM})", " ", rest, count=1, flags=re.I
        )
    words = [w for w in re.split(r"[\s,;/]+", rest) if w]
    for w in words:
        maker = next((m for m in _MAKERS if m.casefold() == w.casefold()), None)
        if maker is not None and "manufacturer" not in out:
            out["manufacturer"] = maker
        elif w.casefold() in _IMMERSION and "immersion" not in out:
            out["immersion"] = _IMMERSION[w.casefold()]
        else:
            return None  # a word we cannot place: ambiguous, refuse
    if "na" not in out and "magnification" not in out:
        return None
    return out


def _xyz(text: str) -> dict[str, Any] | None:
    m = re.fullmatch(rf"\s*{_NUM}\s*[x×,]\s*{_NUM}(?:\s*[x×,]\s*{_NUM})?\s*(?:µm|um)?\s*", text)
    if m is None:
        return None  # one number could be x, or x and y: refuse
    x, y, z = m.groups()
    return {k: float(v) for k, v in (("x", x), ("y", y), ("z", z)) if v is not None}


def _software(text: str) -> dict[str, Any] | None:
    m = re.fullmatch(r"\s*(.+?)\s+v?(\d[\w.\-+]*)\s*", text)
    if m is None:
        return {"name": text.strip()} if text.strip() else None
    return {"name": m.group(1), "version": m.group(2)}


def _magnification(text: str) -> dict[str, Any] | None:
    m = re.fullmatch(rf"\s*{_NUM}\s*[x×]?\s*", text)
    return {"xray": float(m.group(1))} if m else None


_PARSERS = {Objective: _objective, XYZ: _xyz, Software: _software, Magnification: _magnification}


def parse_text(kind: DatasetKind | str, field_id: str, text: str) -> dict[str, Any] | None:
    """The structure ``text`` stands for in row ``field_id``, or ``None`` when it is ambiguous."""
    parser = _PARSERS.get(slot_type(kind, field_id))
    return parser(text) if parser is not None else None
