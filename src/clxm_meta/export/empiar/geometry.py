"""An image file's own geometry from its header: width, height, images in the file, pixel type.

The EMPIAR image set of a file that is not the dataset's tilt series (a mosaic, a single X-ray
image, a denoised volume, a segmentation ...) takes its values from the file alone. Its Table 1
record does not always hold them: a mosaic proposes no ``raw.*`` rows (so that it does not compete
with the tilt series of its dataset), and a one-page TIFF states no Z size. The format model does
hold them; this module reads them there, so that such an image set is never left without
``frames_per_image`` or ``voxel_type`` when ``clxm-meta inspect`` shows them.

Nothing is guessed: a value the header does not state stays ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clxm_meta.records.pixel_types import pixel_type_words

__all__ = ["FileGeometry", "file_geometry"]


@dataclass(frozen=True)
class FileGeometry:
    """What one image file's header says about its images."""

    width: int | None = None
    height: int | None = None
    frames: int | None = None
    """Images stored in the file (sections of a volume, pages of a TIFF, image streams of a TXRM)."""
    pixel_type: str | None = None
    """Table 1 words (``"unsigned 16-bit integer"``)."""
    note: str | None = None
    """A sentence for the image set's details, when the layout needs one (a stitched mosaic)."""
    pixel_um: tuple[float, float] | None = None
    """Pixel width and height in µm, when the header states a positive one."""
    labels: tuple[str, ...] = ()
    """What the file says made it (MRC labels: ``tilt: ...``, ``tif2mrc: ...``)."""


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _txrm(model: Any) -> FileGeometry:
    streams = _int(getattr(model, "image_streams", None))
    taken = _int(getattr(model, "images_taken", None))
    width = _int(getattr(model, "image_width_px", None))
    height = _int(getattr(model, "image_height_px", None))
    dtype = getattr(model, "data_type", None)
    note = None
    mosaic = getattr(model, "mosaic", None)
    if mosaic is not None and streams is not None:
        rows, cols = getattr(mosaic, "rows", None), getattr(mosaic, "columns", None)
        grid = f"{rows} × {cols} tiles" if rows and cols else "mosaic tiles"
        taken_text = f" ({taken} images taken)" if taken is not None else ""
        size = f" of {width} × {height} pixels" if width and height else ""
        note = (
            f"Mosaic: {grid}{taken_text} stored as {streams} stitched image"
            f"{'s' if streams != 1 else ''}{size}"
        )
    return FileGeometry(
        width=width,
        height=height,
        frames=streams if streams is not None else taken,
        pixel_type=pixel_type_words(dtype) if isinstance(dtype, str) else None,
        note=note,
    )


def _tiff(model: Any) -> FileGeometry:
    page = getattr(model, "first_page", None)
    series = list(getattr(model, "series", []) or [])
    dtype = getattr(series[0], "dtype", None) if series else getattr(page, "dtype", None)
    frames = _int(getattr(series[0], "n_pages", None)) if series else None
    if frames is None:
        frames = _int(getattr(model, "n_pages", None))
    return FileGeometry(
        width=_int(getattr(page, "width", None)),
        height=_int(getattr(page, "height", None)),
        frames=frames,
        pixel_type=pixel_type_words(dtype) if isinstance(dtype, str) else None,
    )


def _mrc(model: Any) -> FileGeometry:
    header = getattr(model, "header", None)
    dtype = getattr(header, "dtype", None)
    voxel = getattr(header, "voxel_size_um", None)
    x, y = getattr(voxel, "x", None), getattr(voxel, "y", None)
    pixel = (x, y) if isinstance(x, float) and isinstance(y, float) and x > 0 and y > 0 else None
    labels = tuple(
        t.strip()
        for t in (getattr(lab, "text", None) for lab in getattr(model, "labels", []) or [])
        if isinstance(t, str) and t.strip()
    )
    return FileGeometry(
        width=_int(getattr(header, "nx", None)),
        height=_int(getattr(header, "ny", None)),
        frames=_int(getattr(header, "nz", None)),
        pixel_type=pixel_type_words(dtype) if isinstance(dtype, str) else None,
        pixel_um=pixel,
        labels=labels,
    )


def file_geometry(model: Any) -> FileGeometry | None:
    """The geometry a TXRM/XRM, TIFF or MRC header states, or ``None`` for another format."""
    fmt = getattr(model, "format", None)
    if fmt == "txrm":
        return _txrm(model)
    if fmt == "tiff":
        return _tiff(model)
    if fmt == "mrc":
        return _mrc(model)
    return None
