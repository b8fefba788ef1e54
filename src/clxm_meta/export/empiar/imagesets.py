"""The image sets of an SXT dataset for EMPIAR: one per image file (tilt series, volume, ...).

Values come from the dataset's record for the tilt series (so sidecar overrides count) and from a
record of the file alone for every other image (its own header). ``directory`` is the file's
folder under EMPIAR's reserved ``/data``: the deposition tree is uploaded as it is.
``frames_per_image`` is the number of images in the file (tilt images of a tilt series, sections
of a volume), as in the schema's working example (a tilt-series set with 121 frames per image).
Pixel sizes are written in ångström (docs/empiar.md says why).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from clxm_meta.dataset.roles import stem
from clxm_meta.export.empiar.codes import coded, other, upper_text
from clxm_meta.export.empiar.geometry import file_geometry
from clxm_meta.records.models import Record
from clxm_meta.records.values import XYZ, ImageDimensions

__all__ = [
    "IMAGESET_ROLES",
    "PIXEL_UNIT",
    "VOLUME_ROLES",
    "VOXEL_CODES",
    "ImagesetDraft",
    "data_directory",
    "draft",
    "format_code",
    "provenance_lines",
    "source_volume",
    "um_to_angstrom",
    "voxel_code",
]

PIXEL_UNIT = "Å"
"""The unit of ``pixel_width`` / ``pixel_height`` as written."""

IMAGESET_ROLES: dict[str, tuple[str, str]] = {
    "tilt_series": ("T9", "tilt series"),
    "non_referenced": ("OT", "non-referenced tilt series"),
    "aligned_stack": ("OT", "aligned tilt series"),
    "tomogram": ("T13", "reconstructed volume"),
    "denoised": ("T13", "denoised volume"),
    "segmentation": ("OT", "segmentation"),
    "mosaic": ("T11", "stitched map"),
    "reference": ("OT", "flat-field reference images"),
    "sxt_image": ("OT", "single X-ray image"),
}
"""File role → (category code, words). Files of other roles (IMOD text files, ...) are uploaded
with the data but are not image sets."""

VOXEL_CODES: dict[str, str] = {
    "unsigned 8-bit integer": "T1",
    "signed 8-bit integer": "T2",
    "unsigned 16-bit integer": "T3",
    "signed 16-bit integer": "T4",
    "unsigned 32-bit integer": "T5",
    "signed 32-bit integer": "T6",
    "32-bit float": "T7",
}
"""Table 1 pixel-type words → EMPIAR voxel type code; anything else is ``('OT', 'WORDS')``."""

VOLUME_ROLES = frozenset({"tomogram", "denoised", "segmentation"})
"""Roles whose values are the ``processed.*`` rows of their own record (volumes)."""

_FORMAT_CODES = {"mrc": "T1", "tiff": "T3"}
"""Reader name → EMPIAR header/data format code."""


def voxel_code(words: str) -> str:
    """EMPIAR ``voxel_type`` of a Table 1 pixel type (``"64-bit float"`` → OT ``64 BIT FLOAT``)."""
    code = VOXEL_CODES.get(words)
    return coded(code) if code else other(upper_text(words) or "UNKNOWN")


_READER_EXTENSIONS = {"txrm": (".txrm", ".xrm", ".txm"), "dv": (".dv", ".r3d")}
"""Extensions that agree with a reader whose EMPIAR format is written as ``('OT', ext)``."""


def format_code(reader: str | None, path: str) -> str | None:
    """EMPIAR header/data format of a file: MRC, TIFF, else ``('OT', 'EXTENSION')``.

    The content decides, not the name: a TXRM named ``.mrc`` is ``('OT', 'TXRM')``, not MRC.
    """
    if reader in _FORMAT_CODES:
        return coded(_FORMAT_CODES[reader])
    ext_raw = posixpath.splitext(path)[1].lower()
    agrees = reader is None or ext_raw in _READER_EXTENSIONS.get(reader, (ext_raw,))
    ext = upper_text(ext_raw)
    if ext and agrees:
        return other(ext)
    return other(upper_text(reader)) if reader else None


def data_directory(rel_path: str) -> str:
    """``/data/<folder of the file>`` (``/data`` for a file at the root)."""
    folder = posixpath.dirname(rel_path)
    return f"/data/{folder}" if folder and folder != "." else "/data"


def um_to_angstrom(um: float) -> float:
    """µm → Å (× 10⁴), without binary noise (``0.0794`` → ``794.0``)."""
    return float(f"{um * 1e4:.10g}")


@dataclass
class ImagesetDraft:
    """One image set being built: the values found and the required ones not found."""

    role: str
    path: str
    values: dict[str, Any] = field(default_factory=dict)
    missing: list[tuple[str, str]] = field(default_factory=list)
    """``(key, what)`` of required keys with no value."""
    details: list[str] = field(default_factory=list)


def _slot(rec: Record, fid: str) -> Any:
    try:
        slot = rec.get(fid)
    except KeyError:
        return None
    return None if slot is None else slot.value


def draft(
    role: str,
    path: str,
    reader: str | None,
    rec: Record | None,
    dataset: str,
    model: Any = None,
) -> ImagesetDraft:
    """Build the image set of one file from a record holding its values.

    ``model`` is the file's format model: what the record lacks (a mosaic proposes no ``raw.*``
    rows, a one-page TIFF no Z size) is taken from its header (`file_geometry`).
    """
    code, words = IMAGESET_ROLES[role]
    base = posixpath.basename(path)
    d = ImagesetDraft(role=role, path=path)
    d.values["name"] = f"{words.capitalize()} {base} ({dataset})"[:200]
    d.values["directory"] = data_directory(path)
    d.values["category"] = coded(code) if code != "OT" else other(words)
    fmt = format_code(reader, path)
    if fmt is None:
        d.missing.append(("header_format", "file format"))
    else:
        d.values["header_format"] = d.values["data_format"] = fmt
    d.values["num_images_or_tilt_series"] = 1
    prefix = "processed" if role in VOLUME_ROLES else "raw"
    dims = _slot(rec, f"{prefix}.dimensions") if rec is not None else None
    if not isinstance(dims, ImageDimensions):
        dims = _slot(rec, "raw.dimensions") if rec is not None else None
    ptype = _slot(rec, f"{prefix}.pixel_type") if rec is not None else None
    if ptype is None and rec is not None:
        ptype = _slot(rec, "raw.pixel_type")
    frames = dims.z if isinstance(dims, ImageDimensions) else None
    if frames is None and role == "tilt_series" and rec is not None:
        frames = _slot(rec, "acquisition.n_frames")
    geometry = file_geometry(model) if model is not None else None
    if geometry is not None:
        if not isinstance(frames, int) or frames < 1:
            frames = geometry.frames
        if not isinstance(ptype, str):
            ptype = geometry.pixel_type
        if not isinstance(dims, ImageDimensions) and (geometry.width or geometry.height):
            dims = ImageDimensions(x=geometry.width, y=geometry.height, z=geometry.frames)
        if geometry.note:
            d.details.append(geometry.note)
    if isinstance(frames, int) and frames >= 1:
        d.values["frames_per_image"] = frames
    else:
        d.missing.append(("frames_per_image", "number of images in the file"))
    if isinstance(ptype, str):
        d.values["voxel_type"] = voxel_code(ptype)
    else:
        d.missing.append(("voxel_type", "pixel type"))
    if isinstance(dims, ImageDimensions):
        if dims.x:
            d.values["image_width"] = dims.x
        if dims.y:
            d.values["image_height"] = dims.y
    pixel = _slot(rec, "setup.pixel_size") if rec is not None else None
    if not isinstance(pixel, XYZ) and geometry is not None and geometry.pixel_um is not None:
        pixel = XYZ(x=geometry.pixel_um[0], y=geometry.pixel_um[1])
    if isinstance(pixel, XYZ):
        if pixel.x:
            d.values["pixel_width"] = um_to_angstrom(pixel.x)
        if pixel.y:
            d.values["pixel_height"] = um_to_angstrom(pixel.y)
        if pixel.x or pixel.y:
            w, h = d.values.get("pixel_width"), d.values.get("pixel_height")
            d.details.append(
                f"Pixel size: {w:g} × {h:g} Å ({pixel.x:g} × {pixel.y:g} µm); pixel_width and "
                "pixel_height are in Å"
                if w and h and pixel.x and pixel.y
                else f"Pixel size: {w or h:g} Å"
            )
    return d


_DERIVED_WORDS = {"denoised": "Denoised from", "segmentation": "Segmentation of"}


def source_volume(path: str, members: list[tuple[str, str]]) -> str | None:
    """The volume a denoised volume or segmentation was made from, by name, or ``None``.

    The member volume whose stem is the longest that its stem continues
    (``ts1_rec.denoised_segmented.mrc`` → ``ts1_rec.denoised.mrc`` → ``ts1_rec.mrc``).
    """
    own = stem(path)
    best: tuple[int, str] | None = None
    for candidate, role in members:
        if candidate == path or role not in VOLUME_ROLES:
            continue
        s = stem(candidate)
        if (
            s != own
            and own.startswith(s)
            and not own[len(s)].isalnum()
            and (best is None or len(s) > best[0])
        ):
            best = (len(s), candidate)
    return best[1] if best else None


def provenance_lines(role: str, path: str, members: list[tuple[str, str]], model: Any) -> list[str]:
    """Details of a denoised volume or segmentation.

    The volume it came from and what the file says made it (its MRC labels); never a software
    name the file does not state.
    """
    if role not in _DERIVED_WORDS:
        return []
    lines = []
    source = source_volume(path, members)
    if source is not None:
        lines.append(f"{_DERIVED_WORDS[role]} {source} (by file name)")
    else:
        lines.append(f"{_DERIVED_WORDS[role]}: no volume of this dataset matches its name")
    geometry = file_geometry(model) if model is not None else None
    if geometry is not None and geometry.labels:
        lines.append("Software (MRC labels): " + "; ".join(geometry.labels))
    else:
        lines.append("Software: not stated in the file (no MRC label names it)")
    return lines
