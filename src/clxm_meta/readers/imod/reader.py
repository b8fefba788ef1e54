"""IMOD / etomo / SerialEM / AreTomo text files: the registry's ``imod`` reader.

`read` picks the file type (`clxm_meta.readers.imod.sniff.detect_kind`, which the registry's
`sniff` also uses) and hands the decoded lines to one small parser per type. Every model has
``format="imod"`` and a ``kind`` (``align_log``, ``ta_log``, ``com``, ``tilt_log``, ``newst_log``,
``batchruntomo_log``, ``batchruntomo_adoc``, ``edf``, ``rawtlt``, ``tlt``, ``xtilt``, ``xf``,
``local_xf``, ``zfac``, ``mdoc``, ``aretomo_aln``).
"""

from __future__ import annotations

import os

from clxm_meta.errors import MalformedFileError, UnsupportedFormatError
from clxm_meta.readers.base import FindingCollector, file_size
from clxm_meta.readers.imod.align_log import parse_align_log
from clxm_meta.readers.imod.angles import parse_angles
from clxm_meta.readers.imod.aretomo import parse_aln
from clxm_meta.readers.imod.batchruntomo import (
    parse_adoc,
    parse_batchruntomo_log,
)
from clxm_meta.readers.imod.comfile import parse_com
from clxm_meta.readers.imod.edf import parse_edf
from clxm_meta.readers.imod.mdoc import parse_mdoc
from clxm_meta.readers.imod.model import ImodFile
from clxm_meta.readers.imod.newst_log import parse_newst_log
from clxm_meta.readers.imod.sniff import detect_kind, file_extension
from clxm_meta.readers.imod.ta_logs import ta_view
from clxm_meta.readers.imod.text import TextDoc, load
from clxm_meta.readers.imod.tilt_log import parse_tilt_log
from clxm_meta.readers.imod.xf import parse_local_xf, parse_xf
from clxm_meta.readers.imod.zfac import parse_zfac

__all__ = ["read"]

READER = "imod"


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
    if kind in ("rawtlt", "tlt", "xtilt", "aretomo_tlt"):
        return parse_angles(doc, path, collector, kind)  # type: ignore[arg-type]
    if kind == "xf":
        return parse_xf(doc, path, collector, file_extension(name).lstrip("."))
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
