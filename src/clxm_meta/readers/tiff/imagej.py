"""ImageJ hyperstack metadata (the ``ImageJ=`` ImageDescription) → a typed, unit-converted model.

ImageJ writes ``key=value`` lines: ``images``, ``channels``, ``slices``, ``frames``, ``hyperstack``,
``unit`` (the spatial unit, often ``micron`` or the micro sign escaped as backslash-u00B5 followed by m), ``spacing`` (Z step in
that unit), ``finterval`` (frame interval), ``tunit`` (time unit; ImageJ leaves it out when it is
``sec``), ``min``/``max`` (the *display* range, not necessarily the data range), ``mode``, ``loop``.
The X/Y pixel size is the inverse of the XResolution/YResolution tags, in ``unit``. tifffile parses the
lines (``TiffFile.imagej_metadata``); this module only types and converts them.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict

from clxm_meta.readers.base import FindingCollector, assemble
from clxm_meta.readers.units import (
    canonical_length_unit,
    convert_length,
    convert_time,
    resolution_pixel_size,
)

__all__ = ["ImageJMetadata", "parse_imagej"]

_KNOWN = {
    "ImageJ",
    "images",
    "channels",
    "slices",
    "frames",
    "hyperstack",
    "mode",
    "unit",
    "yunit",
    "zunit",
    "spacing",
    "finterval",
    "tunit",
    "min",
    "max",
    "loop",
    "Info",
    "Labels",
    "Ranges",
    "LUTs",
    "Plot",
    "ROI",
    "Overlays",
    "Properties",
}


class ImageJMetadata(BaseModel):
    """What the ImageJ description says, with lengths in µm and times in s.

    Attributes
    ----------
    unit
        The spatial unit as written (``"micron"``, an escaped micro sign + ``m``, ``"pixel"`` ...).
    pixel_width_um, pixel_height_um
        1 / XResolution and 1 / YResolution in ``unit``, converted to µm.
    spacing_um
        Z step, converted to µm.
    finterval_s
        Frame interval in s (``tunit`` if given, else ImageJ's default ``sec``).
    min, max
        The display range saved by ImageJ (not a scan of the data).
    other
        Any other scalar key of the description.
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)

    version: str | None = None
    images: int | None = None
    channels: int | None = None
    slices: int | None = None
    frames: int | None = None
    hyperstack: bool | None = None
    mode: str | None = None
    unit: str | None = None
    spacing: float | None = None
    spacing_um: float | None = None
    pixel_width_um: float | None = None
    pixel_height_um: float | None = None
    finterval: float | None = None
    time_unit: str | None = None
    finterval_s: float | None = None
    min: float | None = None
    max: float | None = None
    loop: bool | None = None
    n_labels: int | None = None
    has_info: bool = False
    other: dict[str, str | int | float | bool] = {}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def parse_imagej(
    meta: dict[str, Any],
    x_resolution: float | None,
    y_resolution: float | None,
    collector: FindingCollector,
) -> ImageJMetadata:
    """Type and convert ``TiffFile.imagej_metadata``.

    Parameters
    ----------
    meta
        The dictionary tifffile parsed from the description (and the IJMetadata tag).
    x_resolution, y_resolution
        XResolution / YResolution of the first page, pixels per ``unit``.
    collector
        Receives unit findings.
    """
    loc = "ImageJ description"
    unit = meta.get("unit")
    unit_text = str(unit) if unit is not None else None
    xy_unit = unit_text
    z_unit = str(meta["zunit"]) if "zunit" in meta else unit_text
    spacing = _float(meta.get("spacing"))
    spacing_um = None
    if spacing is not None:
        if z_unit is None:
            collector.warning(
                "imagej_unit",
                f"{loc} spacing={spacing} has no unit; Z step reported as unknown",
                field="spacing_um",
                locator=f"{loc} spacing",
            )
        else:
            conv = convert_length(spacing, z_unit, "µm")
            spacing_um = conv.value
            if conv.problem is not None:
                collector.warning(
                    "imagej_unit",
                    f"{loc} spacing={spacing} {z_unit}: {conv.problem}; Z step reported as unknown",
                    field="spacing_um",
                    locator=f"{loc} spacing",
                )
    widths: list[float | None] = []
    for axis, res in (("X", x_resolution), ("Y", y_resolution)):
        if res is None or xy_unit is None:
            widths.append(None)
            continue
        conv = resolution_pixel_size(res, xy_unit, "µm")
        widths.append(conv.value)
        if conv.problem is not None and canonical_length_unit(xy_unit) != "pixel":
            collector.warning(
                "imagej_unit",
                f"{loc} unit={xy_unit} with {axis}Resolution={res}: {conv.problem}; "
                f"pixel size {axis} reported as unknown",
                field=f"pixel_{'width' if axis == 'X' else 'height'}_um",
                locator=f"{loc} unit",
            )
    if canonical_length_unit(xy_unit) == "pixel":
        collector.info(
            "imagej_uncalibrated",
            "ImageJ unit is 'pixel': the image is not spatially calibrated",
            field="pixel_width_um",
            locator=f"{loc} unit",
        )
    finterval = _float(meta.get("finterval"))
    tunit = str(meta["tunit"]) if "tunit" in meta else "sec"
    finterval_s = None
    if finterval is not None:
        tconv = convert_time(finterval, tunit, "s")
        finterval_s = tconv.value
        if tconv.problem is not None:
            collector.warning(
                "imagej_unit",
                f"{loc} finterval={finterval} {tunit}: {tconv.problem}; reported as unknown",
                field="finterval_s",
                locator=f"{loc} finterval",
            )
    labels = meta.get("Labels")
    other = {
        str(k): v
        for k, v in meta.items()
        if k not in _KNOWN and isinstance(v, str | int | float | bool) and len(str(v)) <= 256
    }
    return assemble(
        ImageJMetadata,
        version=str(meta["ImageJ"]) if meta.get("ImageJ") is not None else None,
        images=_int(meta.get("images")),
        channels=_int(meta.get("channels")),
        slices=_int(meta.get("slices")),
        frames=_int(meta.get("frames")),
        hyperstack=meta.get("hyperstack") if isinstance(meta.get("hyperstack"), bool) else None,
        mode=str(meta["mode"]) if meta.get("mode") is not None else None,
        unit=unit_text,
        spacing=spacing,
        spacing_um=spacing_um,
        pixel_width_um=widths[0],
        pixel_height_um=widths[1],
        finterval=finterval,
        time_unit=tunit if finterval is not None else None,
        finterval_s=finterval_s,
        min=_float(meta.get("min")),
        max=_float(meta.get("max")),
        loop=meta.get("loop") if isinstance(meta.get("loop"), bool) else None,
        n_labels=len(labels) if isinstance(labels, list | tuple) else None,
        has_info=isinstance(meta.get("Info"), str),
        other=other,
    )
