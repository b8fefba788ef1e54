"""Table 1 values in words: one ``(item, text, unit)`` triple per reportable part of a value.

Exporters for people (the BioStudies PageTab, the SIM spreadsheet) need readable text, not JSON:
``"excitation 488 nm, emission 525 nm, exposure 0.05 s"`` rather than a dict. Per-channel and
per-direction values are split into one item each (``item`` names the channel / direction), so
the spreadsheet can give each its own row and the PageTab can join them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from clxm_meta.records.rows import cache_scope

__all__ = ["Item", "describe", "number", "one_line", "shared_descriptions"]

Item = tuple[str, str, str]
"""``(item label, text, unit)``; the label is empty for a value with one part."""

_PER_CHANNEL_LISTS = {"setup.lasers", "setup.emission_filters", "acquisition.attenuation"}
_PER_DIRECTION_LISTS = {"acquisition.diffraction_angle"}


def number(v: Any) -> str:
    """A number as written by people: ``0.0794``, ``488``, ``1.5e-05``."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _parts(d: dict[str, Any], spec: list[tuple[str, str, str]]) -> str:
    out = []
    for key, label, unit in spec:
        v = d.get(key)
        if v is None or v == "" or v == {}:
            continue
        text = number(v)
        out.append(f"{label} {text}{(' ' + unit) if unit else ''}".strip())
    return ", ".join(out)


def _xyz(d: dict[str, Any]) -> str:
    return ", ".join(f"{k} {number(d[k])}" for k in ("x", "y", "z") if d.get(k) is not None)


def _dimensions(d: dict[str, Any]) -> str:
    axes = [(k, d[k]) for k in ("x", "y", "z") if d.get(k) is not None]
    text = " × ".join(str(v) for _, v in axes)
    if axes:
        text += f" px ({', '.join(k for k, _ in axes)})"
    extra = []
    if d.get("c") is not None:
        extra.append(f"{d['c']} channel{'s' if d['c'] != 1 else ''}")
    if d.get("t") is not None:
        extra.append(f"{d['t']} time point{'s' if d['t'] != 1 else ''}")
    um = [number(d[k]) for k in ("x_um", "y_um", "z_um") if d.get(k) is not None]
    if um:
        extra.append(" × ".join(um) + " µm")
    return "; ".join([t for t in [text, *extra] if t])


def _objective(d: dict[str, Any]) -> str:
    head = " ".join(str(d[k]) for k in ("manufacturer", "model", "name") if d.get(k))
    optics = []
    if d.get("magnification") is not None:
        optics.append(f"{number(d['magnification'])}×")
    if d.get("na") is not None:
        optics.append(f"NA {number(d['na'])}")
    if d.get("immersion"):
        optics.append(str(d["immersion"]))
    if d.get("correction"):
        optics.append(str(d["correction"]))
    if d.get("working_distance_mm") is not None:
        optics.append(f"WD {number(d['working_distance_mm'])} mm")
    if d.get("serial_number"):
        optics.append(f"serial {d['serial_number']}")
    if d.get("lens_id") is not None:
        optics.append(f"lens ID {d['lens_id']}")
    return ", ".join([t for t in [head, *optics] if t])


def _software(d: dict[str, Any]) -> str:
    return f"{d['name']} {d['version']}" if d.get("version") else str(d.get("name", ""))


def _person(d: dict[str, Any]) -> str:
    extra = [str(d[k]) for k in ("role", "affiliation") if d.get(k)]
    if d.get("orcid"):
        extra.append(f"ORCID {d['orcid']}")
    return f"{d.get('name', '')}" + (f" ({'; '.join(extra)})" if extra else "")


def _matrix(d: dict[str, Any]) -> str:
    rows = "; ".join(" ".join(number(v) for v in row) for row in d.get("matrix", []))
    text = f"[{rows}]"
    spaces = " → ".join(str(d[k]) for k in ("source_space", "target_space") if d.get(k))
    notes = "; ".join(t for t in (spaces, d.get("description") or "") if t)
    return f"{text} ({notes})" if notes else text


def _direction(d: dict[str, Any]) -> str:
    text = _parts(
        d,
        [
            ("k0_angle_rad", "k0 angle", "rad"),
            ("k0_length_per_um", "k0 length", "/µm"),
            ("line_spacing_um", "line spacing", "µm"),
            ("best_fit_percent", "best fit", "% off expected k0"),
        ],
    )
    amps = [number(d[k]) for k in ("amplitude_order1", "amplitude_order2") if d.get(k) is not None]
    if amps:
        text += f", amplitude {' / '.join(amps)} (order {'1 / 2' if len(amps) == 2 else '1'})"
    cors = [
        number(d[k]) for k in ("correlation_order1", "correlation_order2") if d.get(k) is not None
    ]
    if cors:
        text += f", correlation {' / '.join(cors)}"
    return text.strip(", ")


def _channel_label(d: dict[str, Any], key: str = "index") -> str:
    label = f"channel {d.get(key)}"
    wl = d.get("wavelength_nm")
    return f"{label} ({number(wl)} nm)" if wl is not None else label


def _list_items(field_id: str, value: list[Any], unit: str) -> list[Item]:
    if not value:
        return []
    first = value[0]
    if not isinstance(first, dict):
        if field_id in _PER_CHANNEL_LISTS:
            return [(f"channel {i}", number(v), unit) for i, v in enumerate(value) if v is not None]
        if field_id in _PER_DIRECTION_LISTS:
            return [
                (f"direction {i}", number(v), unit) for i, v in enumerate(value) if v is not None
            ]
        return [("", ", ".join(number(v) for v in value if v is not None), unit)]
    if field_id == "acquisition.channels":
        spec = [
            ("excitation_nm", "excitation", "nm"),
            ("emission_nm", "emission", "nm"),
            ("exposure_s", "exposure", "s"),
            ("attenuation", "neutral density", ""),
            ("power_mw", "power", "mW"),
        ]
        return [(f"channel {d['index']}", _parts(d, spec), "") for d in value]
    if field_id == "raw.intensity_range":
        return [
            (_channel_label(d), _parts(d, [("min", "min", ""), ("max", "max", "")]), "")
            for d in value
        ]
    if field_id == "acquisition.linewidth_per_k0":
        return [
            (
                f"{d.get('channel') or 'channel'}, direction {d['direction']}",
                number(d["spacing_um"]),
                "µm",
            )
            for d in value
            if d.get("spacing_um") is not None
        ]
    if field_id == "processing.per_channel":
        out = []
        for ch in value:
            name = ch.get("channel") or "channel"
            if ch.get("wavelength_nm") is not None:
                name += f" ({number(ch['wavelength_nm'])} nm)"
            for d in ch.get("directions", []):
                out.append((f"{name}, direction {d['direction']}", _direction(d), ""))
            settings = _parts(
                ch,
                [
                    ("wiener", "Wiener constant", ""),
                    ("zoom_xy", "XY zoom", ""),
                    ("zoom_z", "Z zoom", ""),
                    ("na", "NA", ""),
                    ("immersion_index", "immersion refractive index", ""),
                ],
            )
            if settings:
                out.append((f"{name}, settings", settings, ""))
        return out
    if field_id == "chromatic_shift.transform":
        # Chromagnon units (docs/chromatic.md): translations in pixels, rotation in degrees.
        spec = [("tz", "tz", "px"), ("ty", "ty", "px"), ("tx", "tx", "px"), ("rz", "rz", "°")]
        spec += [(k, k, "") for k in ("mz", "my", "mx")]
        out = []
        for d in value:
            a, b = d.get("wavelength_nm"), d.get("reference_wavelength_nm")
            label = f"{number(a) if a is not None else '?'} nm → {number(b) if b is not None else '?'} nm"
            if d.get("timepoint") not in (None, 0):
                label += f", time {d['timepoint']}"
            out.append((label, _parts(d, spec), ""))
        return out
    if field_id == "correlation.transform":
        return [
            (f"matrix {i + 1}" if len(value) > 1 else "", _matrix(d), "")
            for i, d in enumerate(value)
        ]
    if field_id == "general.people":
        return [("", _person(d), "") for d in value]
    if field_id == "general.funding":
        return [
            ("", " ".join(str(d[k]) for k in ("agency", "grant_id") if d.get(k)), "") for d in value
        ]
    if field_id == "processing.otf_files":
        return [("", str(d.get("path", "")), "") for d in value]
    return [("", _generic(d), "") for d in value]


def _generic(d: Any) -> str:
    if isinstance(d, dict):
        return ", ".join(
            f"{k.replace('_', ' ')} {_generic(v)}"
            for k, v in d.items()
            if v not in (None, "", {}, [])
        )
    if isinstance(d, list):
        return ", ".join(_generic(v) for v in d)
    return number(d)


_SHARED: ContextVar[dict[tuple[str, int, str | None], tuple[Any, list[Item]]] | None] = ContextVar(
    "clxm_meta_shared_descriptions", default=None
)
"""(field id, id(value), unit) → (value, its items), inside `shared_descriptions`."""


@contextmanager
def shared_descriptions() -> Iterator[None]:
    """Within this block, `describe` words each value object once.

    The spreadsheet, the PageTab and the RO-Crate of one deposit unit word the same rows
    (`clxm_meta.records.rows.shared_rows` hands them the same value objects). A value is known by
    its identity: the entry keeps the object alive, so its id cannot be reused by another; a value
    must not be changed inside the block. Nested blocks share the outermost one's entries.
    """
    with cache_scope(_SHARED):
        yield


def describe(field_id: str, value: Any, unit: str | None = None) -> list[Item]:
    """Split a Table 1 value (its JSON form, as in `clxm_meta.rows`) into readable items.

    Inside `shared_descriptions`, a value object already worded is not worded again.

    Parameters
    ----------
    field_id
        The Table 1 id, which decides how composite values are worded.
    value
        The row's JSON value; ``None`` gives ``[]``.
    unit
        The row's unit, attached to plain numbers and lists of numbers.
    """
    shared = _SHARED.get()
    if shared is None or value is None:
        return _describe(field_id, value, unit)
    key = (field_id, id(value), unit)
    hit = shared.get(key)
    if hit is None or hit[0] is not value:
        hit = (value, _describe(field_id, value, unit))
        shared[key] = hit
    return list(hit[1])


def _describe(field_id: str, value: Any, unit: str | None) -> list[Item]:
    u = unit or ""
    if value is None:
        return []
    if isinstance(value, list):
        return [it for it in _list_items(field_id, value, u) if it[1]]
    if not isinstance(value, dict):
        return [("", number(value), u)]
    if field_id.endswith(("pixel_size", "voxel_size", "field_of_view")):
        text = _xyz(value)
    elif field_id.endswith("dimensions"):
        text, u = _dimensions(value), ""
    elif field_id == "setup.objective":
        text = _objective(value)
    elif field_id.endswith("software"):
        text = _software(value)
    elif field_id in ("processing.residual_error", "processing.weighted_residual_error"):
        text = _parts(value, [("mean", "mean", ""), ("sd", "sd", "")])
        u = value.get("unit") or u
    elif field_id.endswith(
        ("mosaic", "brightfield_stack", "non_referenced_file", "reference_image")
    ):
        text = str(value.get("path", ""))
    else:
        text = _generic(value)
    return [("", text, u)] if text else []


def one_line(field_id: str, value: Any, unit: str | None = None) -> str:
    """The whole value on one line: items joined by ``"; "``, each with its label and unit."""
    parts = []
    for label, text, u in describe(field_id, value, unit):
        body = f"{text} {u}".strip() if u else text
        parts.append(f"{label}: {body}" if label else body)
    return "; ".join(parts)
