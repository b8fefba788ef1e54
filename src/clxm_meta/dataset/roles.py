"""What each file is in a dataset: its role and the dataset kind it belongs to.

The reader's own opinion comes first (a model attribute ``role``, e.g. the DV reader's raw SIM /
reconstruction / OTF, the MRC reader's tilt series / aligned stack / tomogram), then the file name
(``_SIR``, ``_rec``, ``ref`` ...), then the format's default. Every choice carries its reason.
"""

from __future__ import annotations

import os
import re
from enum import Enum

from clxm_meta.readers.base import FormatModel
from clxm_meta.records.fields import DatasetKind

__all__ = [
    "ATTACHED_ROLES",
    "PRIMARY_ROLES",
    "ROLES",
    "Role",
    "classify",
    "kind_of",
    "name_tokens",
    "stem",
]

Role = str

ROLES: dict[Role, tuple[DatasetKind | None, str]] = {
    "sim_raw": (DatasetKind.SIM, "raw SIM stack"),
    "sim_reconstruction": (DatasetKind.SIM, "SIM reconstruction"),
    "sim_log": (DatasetKind.SIM, "SIM reconstruction log or configuration"),
    "otf": (DatasetKind.SIM, "optical transfer function (OTF)"),
    "chromatic": (DatasetKind.SIM, "chromatic-shift parameters"),
    "brightfield": (DatasetKind.SIM, "brightfield Z stack"),
    "tilt_series": (DatasetKind.SXT, "X-ray tilt series"),
    "reference": (DatasetKind.SXT, "background / flat-field reference image"),
    "mosaic": (DatasetKind.SXT, "2D mosaic of the grid area"),
    "non_referenced": (DatasetKind.SXT, "non-referenced raw tilt series"),
    "sxt_image": (DatasetKind.SXT, "single X-ray image"),
    "aligned_stack": (DatasetKind.SXT, "aligned tilt series"),
    "tomogram": (DatasetKind.SXT, "reconstructed tomogram"),
    "imod": (DatasetKind.SXT, "IMOD / tomography processing file"),
    "correlation": (None, "correlation transform (belongs to both datasets of a pair)"),
    "sidecar": (None, "depositor sidecar (not uploaded)"),
    "unknown": (None, "not recognised by any reader"),
}
"""Every role, the dataset kind it belongs to and a description."""

PRIMARY_ROLES = ("sim_raw", "tilt_series")
"""Roles that define a dataset: one dataset per primary file (plus its stem-matched files)."""

ATTACHED_ROLES = ("otf", "brightfield", "reference", "mosaic", "non_referenced")
"""Roles recorded as attached files (** rows): path, size, MD5 and a header summary."""

_RECON = {"sir", "prj", "rec", "recon", "reconstruction", "reconstructed", "proc", "processed"}
_REFERENCE = {"ref", "reference", "refs", "flat", "flatfield", "bg", "background", "dark"}
_MOSAIC = {"mosaic", "mos", "overview", "grid", "montage"}
_NONREF = {"nonref", "noref", "unreferenced", "nonreferenced", "unref"}
_BRIGHTFIELD = {"bf", "brightfield", "bright", "transmitted", "trans"}
_ALIGNED = {"ali", "aligned", "preali"}
_OTF = {"otf", "psf"}


def stem(name: str) -> str:
    """File name up to its first dot (``cell1.chromagnon.csv`` → ``cell1``)."""
    base = os.path.basename(name)
    return base.split(".", 1)[0] or base


def name_tokens(name: str) -> set[str]:
    """Lower-case words of a file name, split at ``_ - . space`` (``x_SIR.dv`` → x, sir, dv)."""
    return {t for t in re.split(r"[_\-.\s]+", os.path.basename(name).lower()) if t}


def kind_of(role: Role) -> DatasetKind | None:
    """Dataset kind of a role (``None`` for shared and unknown files)."""
    return ROLES.get(role, (None, ""))[0]


def _model_role(model: FormatModel | None) -> str | None:
    if model is None:
        return None
    for attr in ("role", "file_role", "kind"):
        raw = getattr(model, attr, None)
        if raw is None:
            continue
        text = raw.value if isinstance(raw, Enum) else raw
        if isinstance(text, str) and text:
            return text.lower()
    return None


def _from_reader_role(fmt: str, text: str) -> Role | None:
    words = set(re.split(r"[_\-\s]+", text))
    if fmt in ("dv", "mrc", "tiff"):
        if "otf" in words:
            return "otf"
        if "brightfield" in words:
            return "brightfield"
    if fmt == "dv":
        if words & {"reconstruction", "reconstructed", "recon", "processed"}:
            return "sim_reconstruction"
        if "raw" in words or "sim" in words:
            return "sim_raw"
        if "widefield" in words:
            return "brightfield"
    if fmt == "mrc":
        if words & {"tomogram", "volume", "reconstruction"}:
            return "tomogram"
        if words & {"aligned", "ali"}:
            return "aligned_stack"
        if words & {"tilt", "tilt_series", "series", "raw"}:
            return "tilt_series"
        if words & {"sim"}:
            return "sim_reconstruction"
    if fmt in ("txrm", "tiff"):
        if words & {"reference", "ref"}:
            return "reference"
        if "mosaic" in words:
            return "mosaic"
        if words & {"tilt", "tilt_series", "series"}:
            return "tilt_series"
        if words & {"image", "single"}:
            return "sxt_image"
    return None


def _n_images(model: FormatModel | None) -> int | None:
    for attr in ("n_images", "images_taken", "number_of_images", "n_pages", "nz"):
        val = getattr(model, attr, None)
        if isinstance(val, int) and not isinstance(val, bool):
            return val
    return None


def classify(rel: str, fmt: str | None, model: FormatModel | None) -> tuple[Role, str]:
    """Return ``(role, reason)`` for one file, before folder context is known.

    Parameters
    ----------
    rel
        Path relative to the root.
    fmt
        Registry format name, ``None`` when no reader recognised the file.
    model
        The file's format model, when it could be read.
    """
    if fmt is None:
        return "unknown", "no reader recognised the content"
    reader_role = _model_role(model)
    if reader_role is not None:
        role = _from_reader_role(fmt, reader_role)
        if role is not None:
            return role, f"{fmt} reader says {reader_role!r}"
    tokens = name_tokens(rel)
    ext = os.path.splitext(rel)[1].lower()
    if fmt == "dv":
        if tokens & _OTF:
            return "otf", "DV file named as an OTF"
        if tokens & _BRIGHTFIELD:
            return "brightfield", "DV file named as a brightfield stack"
        if tokens & _RECON:
            return "sim_reconstruction", "DV file with a reconstruction suffix (_SIR, _PRJ, _rec)"
        return "sim_raw", "DV file without a reconstruction/OTF suffix: raw SIM stack"
    if fmt == "mrc":
        if tokens & _OTF:
            return "otf", "MRC file named as an OTF"
        if ext in (".rec",) or tokens & (_RECON - {"sir", "prj"}) or "tomo" in tokens:
            return "tomogram", "MRC file named as a reconstruction (.rec, _rec)"
        if tokens & {"sir", "prj"}:
            return "sim_reconstruction", "MRC file with a SIM reconstruction suffix (_SIR, _PRJ)"
        if ext in (".ali", ".preali") or tokens & _ALIGNED:
            return "aligned_stack", "MRC file named as an aligned stack (.ali)"
        if ext in (".st", ".mrcs"):
            return "tilt_series", "MRC stack with a tilt-series extension (.st)"
        return "tomogram", "MRC volume without a tilt-series extension: taken as a tomogram"
    if fmt in ("txrm", "tiff"):
        if tokens & _NONREF:
            return "non_referenced", "named as non-referenced raw data"
        if tokens & _REFERENCE:
            return "reference", "named as a reference / background image"
        if tokens & _MOSAIC:
            return "mosaic", "named as a mosaic / overview"
        if fmt == "tiff" and tokens & _BRIGHTFIELD:
            return "brightfield", "TIFF named as a brightfield stack"
        if ext == ".xrm" or _n_images(model) == 1:
            return "sxt_image", "single X-ray image (.xrm / one image)"
        return "tilt_series", "X-ray image series"
    if fmt == "simrecon":
        return "sim_log", "SIM reconstruction log / configuration (detected by content)"
    if fmt == "chromatic":
        return "chromatic", "chromatic-shift parameter file (detected by content)"
    if fmt == "imod":
        return "imod", "IMOD / tomography text file (detected by content)"
    if fmt == "correlation":
        return "correlation", "correlation transform file (detected by content)"
    return "unknown", f"format {fmt!r} has no dataset role"
