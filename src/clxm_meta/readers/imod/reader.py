"""IMOD / etomo / SerialEM / AreTomo text files: the registry's ``imod`` reader.

`sniff` decides from the name and first bytes whether a file is one of ours; `read` picks the file
type (`detect_kind`) and hands the decoded lines to one small parser per type. Every model has
``format="imod"`` and a ``kind`` (``align_log``, ``ta_log``, ``com``, ``tilt_log``, ``newst_log``,
``batchruntomo_log``, ``batchruntomo_adoc``, ``edf``, ``rawtlt``, ``tlt``, ``xtilt``, ``xf``,
``local_xf``, ``zfac``, ``mdoc``, ``aretomo_aln``).
"""

from __future__ import annotations

import os
import re

from clxm_meta.errors import MalformedFileError, UnsupportedFormatError
from clxm_meta.readers.base import FindingCollector, file_size
from clxm_meta.readers.imod.align_log import AlignLog, parse_align_log
from clxm_meta.readers.imod.angles import AngleFile, parse_angles
from clxm_meta.readers.imod.aretomo import AreTomoAln, parse_aln
from clxm_meta.readers.imod.batchruntomo import (
    BatchruntomoAdoc,
    BatchruntomoLog,
    parse_adoc,
    parse_batchruntomo_log,
)
from clxm_meta.readers.imod.comfile import ComFile, parse_com
from clxm_meta.readers.imod.edf import Edf, parse_edf
from clxm_meta.readers.imod.mdoc import Mdoc, parse_mdoc
from clxm_meta.readers.imod.model import ImodFile
from clxm_meta.readers.imod.newst_log import NewstLog, parse_newst_log
from clxm_meta.readers.imod.ta_logs import ta_view
from clxm_meta.readers.imod.text import TextDoc, load
from clxm_meta.readers.imod.tilt_log import TiltLog, parse_tilt_log
from clxm_meta.readers.imod.xf import LocalXf, XfFile, parse_local_xf, parse_xf
from clxm_meta.readers.imod.zfac import ZfacFile, parse_zfac

__all__ = [
    "AlignLog",
    "AngleFile",
    "AreTomoAln",
    "BatchruntomoAdoc",
    "BatchruntomoLog",
    "ComFile",
    "Edf",
    "ImodFile",
    "LocalXf",
    "Mdoc",
    "NewstLog",
    "TiltLog",
    "XfFile",
    "ZfacFile",
    "detect_kind",
    "read",
    "sniff",
]

READER = "imod"

_ALIGN_MARKS = (
    "Entries to program tiltalign",
    "Residual error mean and sd",
    "At minimum tilt, rotation angle is",
    "geometric variables,",
    "Residual error weighted mean",
)
_BATCH_MARKS = ("Batchruntomo started", "Batchruntomo finished", "Starting data set")
_TILT_MARKS = (
    "Entries to program tilt ",
    "Thickness of reconstructed slice",
    "Radial weighting function parameters",
    "iterations of SIRT algorithm",
    "slices complete",
)
_NEWST_MARKS = ("Entries to program newstack", "input min&max")
# Line-anchored patterns use [ \t]*, never \s*: under MULTILINE, \s* also eats newlines, and a head
# of blank lines then costs quadratic (or, with two \s* in a row, cubic) time to search.
_DIRECTIVE = re.compile(r"^[ \t]*(setupset|runtime|comparam)\.[\w.]+[ \t]*=", re.MULTILINE)
_EDF_KEY = re.compile(r"^[ \t]*(Setup|ProcessTrack|ReconstructionState)\.[\w.]*=", re.MULTILINE)
_MDOC = re.compile(
    r"^[ \t]*\[?[ \t]*(ZValue|FrameSet|MontSection)[ \t]*=|^[ \t]*\[?T[ \t]*=[ \t]*SerialEM",
    re.MULTILINE,
)
_COM_CMD = re.compile(r"^[ \t]*\$[ \t]*\w+.*-StandardInput", re.MULTILINE | re.IGNORECASE)
_ONLY_NUMBERS = re.compile(r"^[\s0-9eEdD.+-]*$")


def _ext(name: str) -> str:
    low = name.lower()
    return os.path.splitext(low)[1]


def detect_kind(name: str, head: str) -> str | None:
    """The file type from its base name and first characters, or ``None`` if not ours.

    Content decides for logs (a ``.log`` is ours only if it reads like tiltalign, tilt, newstack
    or batchruntomo output); names decide for the numeric files, checked to hold only numbers.
    """
    low = name.lower()
    ext = _ext(low)
    if ext == ".log" or ext == "":
        if ta_view(low) is not None and any(
            m in head for m in (*_ALIGN_MARKS, " view ", "Beam tilt", "3-D point", "SURFACE")
        ):
            return "ta_log"
        if any(m in head for m in _BATCH_MARKS):
            return "batchruntomo_log"
        if any(m in head for m in _ALIGN_MARKS):
            return "align_log"
        if any(m in head for m in _TILT_MARKS):
            return "tilt_log"
        if any(m in head for m in _NEWST_MARKS):
            return "newst_log"
        return None
    if ext == ".mdoc" or (ext not in (".com", ".edf", ".adoc", ".aln") and _MDOC.search(head)):
        return "mdoc" if _MDOC.search(head) or ext == ".mdoc" else None
    if ext == ".aln" or head.lstrip().startswith("# AreTomo"):
        return "aretomo_aln"
    if ext == ".edf":
        return "edf"
    if ext == ".adoc":
        return "batchruntomo_adoc" if _DIRECTIVE.search(head) else None
    if ext == ".com":
        return "com"
    numeric = _ONLY_NUMBERS.match(head[:4096]) is not None
    if ext in (".rawtlt", ".tlt", ".xtilt") and numeric:
        return ext[1:]
    if low.endswith("local.xf") and numeric:
        return "local_xf"
    if ext in (".xf", ".tltxf", ".prexf", ".prexg") and numeric:
        return "xf"
    if ext == ".zfac" and numeric:
        return "zfac"
    return None


def sniff(name: str, head: bytes) -> bool:
    """True if the file looks like an IMOD / etomo / SerialEM / AreTomo text file."""
    text = head.decode("latin-1")
    return detect_kind(os.path.basename(name), text) is not None


def read(path: str | os.PathLike[str], *, strict: bool = False) -> ImodFile:
    """Read one IMOD-family text file into its model.

    Parameters
    ----------
    path
        The file (opened read-only; at most 64 MiB are read).
    strict
        Raise `MalformedFileError` for error-level findings.

    Raises
    ------
    UnsupportedFormatError
        The file is not an IMOD-family text file.
    MalformedFileError
        In strict mode, on an error-level finding.
    UnreadableFileError
        The file cannot be opened.
    """
    spath = os.fspath(path)
    size = file_size(spath)
    collector = FindingCollector(spath, READER, strict=strict)
    doc = load(spath, collector)
    doc.size = size
    name = os.path.basename(spath)
    kind = detect_kind(name, "\n".join(doc.lines[:200])[:65536])
    if kind is None:
        raise UnsupportedFormatError(
            "not an IMOD, etomo, SerialEM or AreTomo text file", path=spath
        )
    model = _parse(kind, doc, spath, collector, name)
    model.findings = [*model.findings, *collector.items]
    return model


def _parse(kind: str, doc: TextDoc, path: str, collector: FindingCollector, name: str) -> ImodFile:
    if kind in ("align_log", "ta_log"):
        return parse_align_log(
            doc, path, collector, ta_view=ta_view(name) if kind == "ta_log" else None
        )
    if kind == "tilt_log":
        return parse_tilt_log(doc, path, collector)
    if kind == "newst_log":
        return parse_newst_log(doc, path, collector)
    if kind == "batchruntomo_log":
        return parse_batchruntomo_log(doc, path, collector)
    if kind == "batchruntomo_adoc":
        return parse_adoc(doc, path, collector)
    if kind == "com":
        return parse_com(doc, path, collector)
    if kind == "edf":
        return parse_edf(doc, path, collector)
    if kind in ("rawtlt", "tlt", "xtilt"):
        return parse_angles(doc, path, collector, kind)  # type: ignore[arg-type]
    if kind == "xf":
        return parse_xf(doc, path, collector, _ext(name).lstrip("."))
    if kind == "local_xf":
        return parse_local_xf(doc, path, collector)
    if kind == "zfac":
        return parse_zfac(doc, path, collector)
    if kind == "mdoc":
        return parse_mdoc(doc, path, collector)
    if kind == "aretomo_aln":
        return parse_aln(doc, path, collector)
    raise MalformedFileError(
        f"no parser for IMOD file kind {kind!r}", path=path
    )  # pragma: no cover
