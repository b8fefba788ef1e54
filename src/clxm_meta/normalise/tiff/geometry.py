"""Image geometry of a TIFF: sizes, pixel sizes and pixel type, each with where it was read.

OME Pixels first, then the ImageJ description, then the baseline TIFF tags and tifffile's series.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clxm_meta.readers.tiff import TiffMetadata
from clxm_meta.readers.tiff.model import OmeImage, OmePixels

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
