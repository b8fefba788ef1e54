"""Which IMOD-family file a name and its first characters are, without importing any parser.

The registry calls `sniff` on text files no binary reader claimed; `detect_kind` also picks the
parser in `clxm_meta.readers.imod.reader`.
"""

from __future__ import annotations

import os
import re

from clxm_meta.readers.imod.ta_logs import ta_view

__all__ = ["detect_kind", "file_extension", "sniff"]

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
    r"^[ \t]*(?:\[[ \t]*)?(ZValue|FrameSet|MontSection)[ \t]*=|^[ \t]*\[?T[ \t]*=[ \t]*SerialEM",
    re.MULTILINE,
)
_COM_CMD = re.compile(r"^[ \t]*\$[ \t]*\w.*-StandardInput", re.MULTILINE | re.IGNORECASE)
_ONLY_NUMBERS = re.compile(r"^[\s0-9eEdD.+-]*$")


def file_extension(name: str) -> str:
    """The lower-case extension of ``name`` with its dot (``""`` if none)."""
    low = name.lower()
    return os.path.splitext(low)[1]


def detect_kind(name: str, head: str) -> str | None:
    """The file type from its base name and first characters, or ``None`` if not ours.

    Content decides for logs (a ``.log`` is ours only if it reads like tiltalign, tilt, newstack
    or batchruntomo output); names decide for the numeric files, checked to hold only numbers.
    """
    low = name.lower()
    ext = file_extension(low)
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
    if low.endswith("_tlt.txt") and numeric:
        return "aretomo_tlt"  # AreTomo's angle file: "<angle> <index>" per view
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
