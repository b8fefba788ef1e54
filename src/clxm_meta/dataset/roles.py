"""What each file is in a dataset: its role and the dataset kind it belongs to.

The reader's own opinion comes first (a model attribute ``role``, e.g. the DV reader's raw SIM /
reconstruction / OTF, the MRC reader's tilt series / aligned stack / tomogram), then the file name
(``_SIR``, ``_rec``, ``ref`` ...), then the format's default. Every choice carries its reason.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from clxm_meta.readers.base import FormatModel
from clxm_meta.records.fields import DatasetKind

__all__ = [
    "ATTACHED_ROLES",
    "LEFT_OUT_ROLES",
    "PRIMARY_ROLES",
    "ROLES",
    "Classification",
    "Role",
    "classify",
    "classify_file",
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
    "widefield": (DatasetKind.SIM, "widefield fluorescence Z stack (listed; no Table 1 row)"),
    "tilt_series": (DatasetKind.SXT, "X-ray tilt series"),
    "reference": (DatasetKind.SXT, "background / flat-field reference image"),
    "mosaic": (DatasetKind.SXT, "2D mosaic of the grid area"),
    "non_referenced": (DatasetKind.SXT, "non-referenced raw tilt series"),
    "sxt_image": (DatasetKind.SXT, "single X-ray image"),
    "aligned_stack": (DatasetKind.SXT, "aligned tilt series"),
    "tomogram": (DatasetKind.SXT, "reconstructed tomogram"),
    "converted_stack": (
        DatasetKind.SXT,
        "the tilt series converted to an MRC stack (the same images as its raw file)",
    ),
    "denoised": (DatasetKind.SXT, "denoised tomogram"),
    "segmentation": (DatasetKind.SXT, "segmentation of a tomogram"),
    "imod": (DatasetKind.SXT, "IMOD / tomography processing file"),
    "correlation": (None, "correlation transform (belongs to both datasets of a pair)"),
    "preview": (
        None,
        "picture made by the processing (thumbnail, projection, movie or plot): not data",
    ),
    "sidecar": (None, "depositor sidecar (not uploaded)"),
    "unknown": (None, "not recognised by any reader"),
}
"""Every role, the dataset kind it belongs to and a description."""

LEFT_OUT_ROLES = ("preview", "unknown")
"""Roles of files that are not uploaded: they are listed with their dataset as left out, with the
reason (`clxm_meta.records.scan.DatasetInfo.left_out`), never dropped silently."""

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
_DENOISED = {"denoised", "denoise", "cryocare", "topaz"}
_SEGMENTED = {"segmented", "segmentation", "seg", "membrain", "labels", "mask"}
_PICTURE_EXTENSIONS = frozenset(
    {".jpeg", ".jpg", ".png", ".apng", ".gif", ".webp", ".bmp", ".svg", ".mp4", ".webm", ".avi"}
)
"""Picture and movie files: a processing pipeline's thumbnails, projections and movies."""
_PLOT_WORDS = {"plot", "plots", "graph", "chart"}
_BRIGHTFIELD_TITLE = re.compile(
    r"\b(trans(mitted)?|bright[- ]?field|DIC|POL|phase[- ]contrast)\b", re.IGNORECASE
)
_FLUORESCENCE_STEPS = ("DECON3D", "DECON", "DECONV")
"""softWoRx processing steps only applied to fluorescence images (deconvolution)."""


@dataclass(frozen=True)
class Classification:
    """A file's role, why, and whether the role is a guess (a heuristic, not evidence)."""

    role: Role
    reason: str
    guessed: bool = False


_COMPOUND_EXTENSIONS = (
    ".ome.tiff",
    ".ome.tif",
    ".ome.btf",
    ".ome.tf2",
    ".ome.tf8",
    ".ome.zarr",
    ".ome.xml",
    ".mrc.mdoc",
    ".st.mdoc",
    ".tif.mdoc",
)
"""Extensions of two parts: the format's own extension is both (``x.ome.tiff`` is an OME-TIFF)."""


def stem(name: str) -> str:
    """File name without the format's own extension, everything before it kept.

    ``txrm2tiff-2.2.1__txrm_test_chip_tomo.ome.tiff`` → ``txrm2tiff-2.2.1__txrm_test_chip_tomo``
    (not ``txrm2tiff-2``: dots inside a name are part of it), ``ts1_rec.denoised.mrc`` →
    ``ts1_rec.denoised``, ``cell1.chromagnon.csv`` → ``cell1.chromagnon`` (which still joins
    dataset ``cell1``: a stem continues at a word boundary).
    """
    base = os.path.basename(name)
    lower = base.lower()
    for ext in _COMPOUND_EXTENSIONS:
        if lower.endswith(ext) and len(base) > len(ext):
            return base[: -len(ext)]
    root = os.path.splitext(base)[0]
    return root or base


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


_DV_DEFAULT = "DV file without a reconstruction/OTF suffix: raw SIM stack"
_MRC_DEFAULT = "MRC volume without a tilt-series extension: taken as a tomogram"
_XRAY_DEFAULT = "X-ray image series"
"""Reasons that are a format's default, not evidence: the role is then a guess (a TIFF taken as
an X-ray series; a TXRM is X-ray data by format)."""


def _n_images(model: FormatModel | None) -> int | None:
    for attr in ("n_images", "images_taken", "number_of_images", "n_pages", "nz"):
        val = getattr(model, attr, None)
        if isinstance(val, int) and not isinstance(val, bool):
            return val
    return None


def _dv_stack_role(model: Any, rel: str) -> Classification:
    """Brightfield or widefield fluorescence for a DV Z stack that is not SIM data, from evidence.

    Fluorescence: a deconvolution step in the titles, or two or more channels at different
    wavelengths. Brightfield: the file name or a title says so (trans, DIC, POL ...). Neither: a
    single-channel stack is taken as brightfield, and that is a guess.
    """
    tokens = name_tokens(rel)
    titles = [t for t in getattr(model, "titles", []) or [] if isinstance(t, str)]
    if tokens & _BRIGHTFIELD:
        return Classification("brightfield", "DV Z stack named as a brightfield stack")
    for i, t in enumerate(titles):
        if _BRIGHTFIELD_TITLE.search(t):
            return Classification("brightfield", f"DV Z stack whose title {i} says {t.strip()!r}")
    waves = [w for w in getattr(model, "wavelengths_nm", []) or [] if w]
    history = [h for h in getattr(model, "processing_history", []) or [] if isinstance(h, str)]
    decon = [h for h in history if h.upper() in _FLUORESCENCE_STEPS]
    if len(set(waves)) >= 2 or decon:
        parts = []
        if len(set(waves)) >= 2:
            parts.append(f"{len(waves)} channels at {', '.join(f'{w:g}' for w in waves)} nm")
        if decon:
            parts.append(f"a {decon[0]} (deconvolution) title")
        return Classification(
            "widefield",
            f"DV Z stack with {' and '.join(parts)}: widefield fluorescence, not brightfield",
        )
    return Classification(
        "brightfield",
        "DV Z stack that is not SIM data, with one channel and no fluorescence evidence: taken "
        "as the brightfield stack",
        guessed=True,
    )


def _tiff_role(rel: str, model: FormatModel) -> Classification | None:
    """A TIFF's role from what the file shows, or ``None`` (name rules and defaults decide).

    Evidence: an OTF layout, txrm2tiff (X-ray) output, or the SIM evidence the TIFF normaliser uses.
    """
    from clxm_meta.normalise.tiff import sim_evidence

    tokens = name_tokens(rel)
    if tokens & _OTF:
        return Classification("otf", "TIFF named as an OTF")
    if getattr(model, "otf_like", False):
        return Classification(
            "otf",
            "TIFF with the layout of a cudasirecon/makeotf OTF (float32, even width, interleaved "
            "complex values)",
            guessed=True,
        )
    if getattr(model, "flavour", None) == "txrm2tiff":
        role, reason = _classify_name(rel, "tiff", model)
        return Classification(role, f"written by txrm2tiff (X-ray data): {reason}")
    if tokens & (_NONREF | _REFERENCE | _MOSAIC | _BRIGHTFIELD):
        return None  # the name states the role
    found = sim_evidence(model)
    if found is None:
        return None
    why, guessed = found
    return Classification("sim_raw", f"TIFF: {why}", guessed=guessed)


def classify_file(rel: str, fmt: str | None, model: FormatModel | None) -> Classification:
    """Role of one file, before folder context is known, with whether it is a guess.

    The reader's own role comes first; for a DV stack that is not SIM data the channels,
    wavelengths and titles decide between brightfield and widefield fluorescence; name rules and
    format defaults come last and are guesses unless the name states the role.
    """
    if fmt is None:
        return _unread_role(rel)
    c = _classify_read(rel, fmt, model)
    if fmt == "mrc" and c.role in ("tomogram", "tilt_series", "aligned_stack"):
        tokens = name_tokens(rel)
        if tokens & _SEGMENTED:
            return Classification("segmentation", "MRC volume named as a segmentation (_segmented)")
        if tokens & _DENOISED:
            return Classification("denoised", "MRC volume named as denoised (.denoised)")
    return c


def _unread_role(rel: str) -> Classification:
    """A file no reader recognised: a pipeline picture, else unknown.

    A picture by its extension, or a plot JSON by its name. Both are left out of the uploads, with
    the reason.
    """
    ext = os.path.splitext(rel)[1].lower()
    if ext in _PICTURE_EXTENSIONS:
        return Classification(
            "preview", f"{ext[1:].upper()} picture (thumbnail, projection or movie): not data"
        )
    if ext == ".json" and name_tokens(rel) & _PLOT_WORDS:
        return Classification("preview", "plot data for a picture (JSON named as a plot): not data")
    return Classification("unknown", "no reader recognised the content")


def _classify_read(rel: str, fmt: str, model: FormatModel | None) -> Classification:
    reader_role = _model_role(model)
    if fmt == "dv" and reader_role == "widefield":
        return _dv_stack_role(model, rel)
    if reader_role is not None:
        role = _from_reader_role(fmt, reader_role)
        if role is not None:
            evidence = [e for e in getattr(model, "role_evidence", []) or [] if isinstance(e, str)]
            heuristic = [e for e in evidence if e.startswith("heuristic")]
            if heuristic:
                return Classification(
                    role, f"{fmt} reader says {reader_role!r} ({heuristic[0]})", guessed=True
                )
            return Classification(role, f"{fmt} reader says {reader_role!r}")
    if fmt == "tiff" and model is not None:
        tiff = _tiff_role(rel, model)
        if tiff is not None:
            return tiff
    role, reason = _classify_name(rel, fmt, model)
    guessed = reason in (_DV_DEFAULT, _MRC_DEFAULT) or (reason == _XRAY_DEFAULT and fmt == "tiff")
    return Classification(role, reason, guessed=guessed)


def classify(rel: str, fmt: str | None, model: FormatModel | None) -> tuple[Role, str]:
    """Return ``(role, reason)`` for one file (see `classify_file`, which also says if guessed)."""
    c = classify_file(rel, fmt, model)
    return c.role, c.reason


def _classify_name(rel: str, fmt: str | None, model: FormatModel | None) -> tuple[Role, str]:
    """Role from the file name and the format's default.

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
    tokens = name_tokens(rel)
    ext = os.path.splitext(rel)[1].lower()
    if fmt == "dv":
        if tokens & _OTF:
            return "otf", "DV file named as an OTF"
        if tokens & _BRIGHTFIELD:
            return "brightfield", "DV file named as a brightfield stack"
        if tokens & _RECON:
            return "sim_reconstruction", "DV file with a reconstruction suffix (_SIR, _PRJ, _rec)"
        return "sim_raw", _DV_DEFAULT
    if fmt == "mrc":
        if tokens & _OTF:
            return "otf", "MRC file named as an OTF"
        if ext in (".rec",) or tokens & (_RECON - {"sir", "prj"}) or "tomo" in tokens:
            return "tomogram", "MRC file named as a reconstruction (.rec, _rec)"
        if "vol" in tokens:
            return "tomogram", "MRC file named as an AreTomo volume (_Vol)"
        if tokens & {"sir", "prj"}:
            return "sim_reconstruction", "MRC file with a SIM reconstruction suffix (_SIR, _PRJ)"
        if ext in (".ali", ".preali") or tokens & _ALIGNED:
            return "aligned_stack", "MRC file named as an aligned stack (.ali)"
        if ext in (".st", ".mrcs"):
            return "tilt_series", "MRC stack with a tilt-series extension (.st)"
        return "tomogram", _MRC_DEFAULT
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
        return "tilt_series", _XRAY_DEFAULT
    if fmt == "simrecon":
        return "sim_log", "SIM reconstruction log / configuration (detected by content)"
    if fmt == "chromatic":
        return "chromatic", "chromatic-shift parameter file (detected by content)"
    if fmt == "imod":
        return "imod", "IMOD / tomography text file (detected by content)"
    if fmt == "correlation":
        return "correlation", "correlation transform file (detected by content)"
    return "unknown", f"format {fmt!r} has no dataset role"
