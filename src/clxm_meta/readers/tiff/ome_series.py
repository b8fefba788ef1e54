"""The OME series of a regular single-image OME-TIFF, from the OME-XML and the first page alone.

tifffile builds an OME series by loading every IFD of the file as a `TiffFrame` (~50 µs a page)
and then takes its shape from the OME-XML, its data type and sample layout from the first page,
and its page count from the TiffData elements checked against the chain's length. For a file with
one ``Image`` whose ``TiffData`` reference pages of this file that exist, starting with the first,
none of that depends on the other pages' tags, so this module computes the same shape, axes, data
type and page count from the XML, the first page and the number of IFDs, without reading them.

It answers only where tifffile's ``_series_ome`` takes its quiet path: the series kind tifffile
would try first is ``ome``; the XML parses; one ``Image`` with one ``Pixels``; no ``BinaryOnly``,
no modulo annotation, no ``UUID`` (other files), no SubIFDs (pyramids); every size, index and
count an integer in range; the pages the TiffData name cover exactly the planes the sizes give
(tifffile warns otherwise) and include page 0 (its keyframe); the first page's shape is the tail
of the series' shape. Anything else gives ``None`` and the caller asks tifffile for its series, as
before. ``tests/readers/tiff/test_tiff_fast_path.py`` compares both on real and written files.

What is not read: the tags of pages 1..n-1. tifffile's frames check each of them (a frame without
StripOffsets, or whose width or strip count differs from the first page's, makes it log or give up
the series); this reading trusts a regular chain instead, which is what keeps reading a 2 GiB
OME-TIFF as cheap as reading a 2 MiB one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from math import prod
from typing import Any, NamedTuple

__all__ = ["OmeSeries", "ome_series"]

_KINDS_BEFORE_OME = ("shaped", "lsm", "mmstack")
"""Series kinds tifffile tries before ``ome`` (`TiffFile.series`)."""


class OmeSeries(NamedTuple):
    """What the reader keeps of a tifffile series (`TiffSeries` fields)."""

    shape: tuple[int, ...]
    axes: str
    dtype: str
    n_pages: int


class _Irregular(Exception):
    """tifffile would log, raise or fall back here: its own series are used."""


def _int(raw: str | None, default: int | None = None) -> int:
    if raw is None:
        if default is None:
            raise _Irregular
        return default
    try:
        return int(raw)
    except ValueError:
        raise _Irregular from None


def ome_series(tif: Any, n_pages: int) -> OmeSeries | None:
    """The single OME series of ``tif`` as tifffile would build it, or ``None`` (ask tifffile).

    ``n_pages`` is the number of IFDs in the file's chain.
    """
    try:
        if not getattr(tif, "is_ome", False):
            return None
        if any(getattr(tif, f"is_{kind}", False) for kind in _KINDS_BEFORE_OME):
            return None
        return _series(tif, n_pages)
    except Exception:  # _Irregular, or tifffile failing on a damaged first page: it answers
        return None


def _series(tif: Any, n_pages: int) -> OmeSeries:
    xml = tif.ome_metadata
    if not xml:
        raise _Irregular
    try:
        root = ET.fromstring(xml)
    except (ET.ParseError, ValueError):
        raise _Irregular from None
    images = []
    for element in root:
        tag = element.tag
        if tag.endswith("BinaryOnly"):
            raise _Irregular
        if tag.endswith("StructuredAnnotations"):
            for annotation in element:
                if annotation.attrib.get("Namespace", "").endswith("modulo"):
                    raise _Irregular
        if tag.endswith("Image"):
            images.append(element)
    if len(images) != 1:
        raise _Irregular
    pixels = [el for el in images[0] if el.tag.endswith("Pixels")]
    if len(pixels) != 1:
        raise _Irregular
    return _pixels_series(pixels[0], tif.pages.first, n_pages)


def _pixels_series(pixels: ET.Element, keyframe: Any, n_pages: int) -> OmeSeries:
    order = pixels.attrib.get("DimensionOrder")
    if order is None:
        raise _Irregular
    axes = "".join(reversed(order))
    shape = [_int(pixels.attrib.get("Size" + ax)) for ax in axes]
    if any(n < 1 for n in shape):
        raise _Irregular
    spp = 1
    first_channel = True
    ifds: list[int | None] = []
    for data in pixels:
        tag = data.tag
        if tag.endswith("Channel"):
            if first_channel:
                first_channel = False
                spp = _int(data.attrib.get("SamplesPerPixel"), spp)
                if spp > 1:
                    shape = [
                        n // spp if ax == "C" else n for n, ax in zip(shape, axes, strict=True)
                    ]
            elif _int(data.attrib.get("SamplesPerPixel"), 1) != spp:
                raise _Irregular
            continue
        if not tag.endswith("TiffData"):
            continue
        if any(child.tag.endswith("UUID") for child in data):
            raise _Irregular  # another file, or this one named by UUID
        attr = data.attrib
        ifd_index = _int(attr.get("IFD"), 0)
        num = _int(attr.get("NumPlanes"), 1 if "IFD" in attr else 0)
        num = _int(attr.get("PlaneCount"), num)
        firsts = [_int(attr.get("First" + ax), 0) for ax in axes[:-2]]
        dims = shape[:-2]
        if any(not 0 <= i < n for i, n in zip(firsts, dims, strict=True)):
            raise _Irregular  # tifffile: "invalid TiffData index"
        idx = 0
        for i, n in zip(firsts, dims, strict=True):
            idx = idx * n + i
        size = num or n_pages
        if ifd_index < 0 or size < 0 or ifd_index + size > n_pages:
            raise _Irregular  # tifffile: "index out of range"
        ifds.extend([None] * (size + idx - len(ifds)))
        for i in range(size):
            ifds[idx + i] = ifd_index + i
    if not ifds or None in ifds or 0 not in ifds:
        raise _Irregular  # no data, gaps, or a keyframe tifffile would reload
    if keyframe.subifds:
        raise _Irregular  # pyramid levels
    if keyframe.dtype is None:
        raise _Irregular  # a series of an unknown sample format is float64 to tifffile
    if spp > 1:
        if keyframe.planarconfig == 1:
            shape.append(spp)
            axes += "S"
        else:
            shape = [*shape[:-2], spp, *shape[-2:]]
            axes = axes[:-2] + "S" + axes[-2:]
    if "S" not in axes:
        shape.append(1)
        axes += "S"
    if keyframe.size < 1 or max(prod(shape) // keyframe.size, 1) != len(ifds):
        raise _Irregular  # tifffile: "expected N frames" / "missing frames"
    squeezed, squeezed_axes = _squeeze(shape, axes)
    page_shape = tuple(keyframe.shape)
    if page_shape != tuple(squeezed[-len(page_shape) :]):
        raise _Irregular  # tifffile: "cannot handle discontiguous storage"
    n = len(ifds)
    if n == 1:  # `TiffPageSeries.__len__` of one page counts the planes the shape holds
        n = prod(shape) // prod(page_shape) if prod(page_shape) > 0 else 1
    return OmeSeries(
        shape=tuple(squeezed),
        axes=squeezed_axes,
        dtype=str(keyframe.dtype),
        n_pages=n,
    )


def _squeeze(shape: list[int], axes: str) -> tuple[list[int], str]:
    """Length-1 dimensions dropped, except Y and X; the last one kept if none is left.

    The squeezing of tifffile's ``TiffPageSeries.shape`` / ``.axes`` for single-letter axes.
    """
    kept = [(n, ax) for n, ax in zip(shape, axes, strict=True) if n > 1 or ax in "XY"]
    if not kept:
        kept = [(shape[-1], axes[-1])]
    return [n for n, _ in kept], "".join(ax for _, ax in kept)
