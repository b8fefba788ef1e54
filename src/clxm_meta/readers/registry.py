"""Format detection and the reader registry.

Binary formats are recognised by content (magic bytes); only text formats fall back to names, and
even then each text reader confirms from the first bytes (`sniff`). The registry names readers by
module path and imports nothing up front: a binary format is detected without importing any reader,
a text format imports only the small ``sniff`` modules it asks, and a reader (``<package>.reader``)
is imported when a file of its format is read.

`read` opens a file once: the bytes it detects the format from and the open file go to the
reader's ``read_open(fh, *, strict=False)`` when the reader module has one (`FileHead`), else the
reader's ``read(path)`` opens the file again.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Protocol, cast

from clxm_meta.errors import UnsupportedFormatError
from clxm_meta.readers.base import FileHead, FormatModel, open_head, read_head

__all__ = [
    "FORMATS",
    "HEAD_SIZE",
    "FormatEntry",
    "detect",
    "detect_bytes",
    "get_format",
    "read",
]

HEAD_SIZE = 4096
"""Bytes read from the start of a file to detect its format."""

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TIFF_MAGICS = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")


class ReaderModule(Protocol):
    """What a reader module provides (see `clxm_meta.readers.base`)."""

    def read(self, path: str | os.PathLike[str], *, strict: bool = False) -> FormatModel:
        """Read one file."""
        ...


class OpenReader(Protocol):
    """A reader's optional ``read_open``: read from a file the registry already opened."""

    def __call__(self, fh: FileHead, *, strict: bool = False) -> FormatModel:
        """Read one open file."""
        ...


def _is_dv(head: bytes) -> bool:
    # Priism/DeltaVision: int16 -16224 (0xC0A0) at byte 96, in either byte order; an MRC2014 file
    # has "MAP" at 208 and is not a DV even if byte 96 happens to match.
    return (
        len(head) >= 224 and head[96:98] in (b"\xa0\xc0", b"\xc0\xa0") and head[208:211] != b"MAP"
    )


def _is_mrc(head: bytes) -> bool:
    return len(head) >= 212 and head[208:211] == b"MAP"


def _is_ole2(head: bytes) -> bool:
    return head[:8] == OLE2_MAGIC


def _is_tiff(head: bytes) -> bool:
    return head[:4] in TIFF_MAGICS


_LOADED: dict[str, ModuleType] = {}
"""Reader modules already imported, by format name (``importlib.import_module`` costs about a
microsecond even for a loaded module, a noticeable share of a header read)."""


@dataclass(frozen=True)
class FormatEntry:
    """One format the library reads.

    Attributes
    ----------
    name
        Registry name (``model.format``).
    description
        For people.
    module
        Import path of the reader package: ``<module>.reader`` has ``read``, and for text formats
        ``<module>.sniff`` has ``sniff``.
    extensions
        Usual file-name endings (informative; binary detection does not use them).
    magic
        Content test for binary formats; ``None`` for text formats, whose ``sniff`` decides.
    """

    name: str
    description: str
    module: str
    extensions: tuple[str, ...]
    magic: Callable[[bytes], bool] | None = None

    @property
    def is_text(self) -> bool:
        """True for text formats (detected by name + sniff)."""
        return self.magic is None

    @property
    def reader_module(self) -> str:
        """Import path of the module holding ``read``."""
        return f"{self.module}.reader"

    @property
    def sniff_module(self) -> str:
        """Import path of the module holding ``sniff`` (text formats)."""
        return f"{self.module}.sniff"

    def load(self) -> ModuleType:
        """Import the reader module (the one holding ``read``)."""
        module = _LOADED.get(self.name)
        if module is None:
            module = _LOADED[self.name] = importlib.import_module(self.reader_module)
        return module


FORMATS: tuple[FormatEntry, ...] = (
    FormatEntry(
        "dv",
        "DeltaVision / Priism (.dv, .r3d): raw and reconstructed SIM stacks",
        "clxm_meta.readers.dv",
        (".dv", ".r3d", ".otf"),
        _is_dv,
    ),
    FormatEntry(
        "mrc",
        "MRC2014 / IMOD / SerialEM (.mrc, .st, .ali, .rec, .map)",
        "clxm_meta.readers.mrc",
        (".mrc", ".st", ".ali", ".rec", ".map", ".mrcs", ".preali"),
        _is_mrc,
    ),
    FormatEntry(
        "txrm",
        "Zeiss/Xradia OLE2 compound files (.txrm, .xrm)",
        "clxm_meta.readers.txrm",
        (".txrm", ".xrm", ".txm"),
        _is_ole2,
    ),
    FormatEntry(
        "tiff",
        "TIFF, OME-TIFF and ImageJ hyperstack TIFF",
        "clxm_meta.readers.tiff",
        (".tif", ".tiff", ".ome.tif", ".ome.tiff"),
        _is_tiff,
    ),
    FormatEntry(
        "chromatic",
        "Chromatic-shift parameters (Chromagnon .chromagnon.csv)",
        "clxm_meta.readers.chromatic",
        (".chromagnon.csv",),
    ),
    FormatEntry(
        "correlation",
        "Correlation transforms (plain 4x4/3x4 matrix text, eC-CLEM XML)",
        "clxm_meta.readers.correlation",
        (".txt", ".xml", ".csv"),
    ),
    FormatEntry(
        "simrecon",
        "SIM reconstruction logs and configs (sirecon, cudasirecon, PySIMRecon, softWoRx)",
        "clxm_meta.readers.simrecon",
        (".log", ".cfg", ".ini", "config"),
    ),
    FormatEntry(
        "imod",
        "IMOD / etomo / SerialEM / AreTomo text files (align.log, .com, .edf, .tlt, .xf, .mdoc, .aln)",
        "clxm_meta.readers.imod",
        (
            ".log",
            ".com",
            ".edf",
            ".tlt",
            ".rawtlt",
            ".xtilt",
            ".xf",
            ".zfac",
            ".mdoc",
            ".aln",
            ".adoc",
        ),
    ),
)
"""Every format, binary ones first; text readers are asked in this order."""

_BY_NAME = {entry.name: entry for entry in FORMATS}


def get_format(name: str) -> FormatEntry:
    """Return the registry entry called ``name`` or raise `UnsupportedFormatError`."""
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(sorted(_BY_NAME))
        raise UnsupportedFormatError(f"unknown format {name!r} (known: {known})") from None


def _sniff_module(entry: FormatEntry) -> ModuleType | None:
    try:
        return importlib.import_module(entry.sniff_module)
    except ModuleNotFoundError as exc:
        if exc.name in (entry.module, entry.sniff_module):
            return None  # reader not shipped in this build
        raise


def detect_bytes(head: bytes, name: str) -> FormatEntry | None:
    """Detect the format from the first bytes of a file and its name; ``None`` if unknown."""
    for entry in FORMATS:
        if entry.magic is not None and entry.magic(head):
            return entry
    if b"\x00" in head[:1024]:
        return None  # binary content that no binary reader claimed
    for entry in FORMATS:
        if entry.magic is not None:
            continue
        module = _sniff_module(entry)
        sniff = getattr(module, "sniff", None) if module is not None else None
        if sniff is not None and sniff(name, head):
            return entry
    return None


def detect(path: str | os.PathLike[str]) -> FormatEntry:
    """Detect the format of ``path`` by content, or raise `UnsupportedFormatError`."""
    return _detect_head(read_head(path, HEAD_SIZE), path)


def _detect_head(head: bytes, path: str | os.PathLike[str]) -> FormatEntry:
    entry = detect_bytes(head, os.path.basename(os.fspath(path)))
    if entry is None:
        if not head:
            raise UnsupportedFormatError("empty file", path=path)
        from clxm_meta.readers.sniff import looks_like

        what = looks_like(head, os.path.basename(os.fspath(path)))
        raise UnsupportedFormatError(
            "not a format clxm_meta reads"
            + (f"; it looks like {what}" if what else "")
            + " (no DV, MRC, OLE2/TXRM or TIFF signature, and no text reader recognised it)",
            path=path,
        )
    return entry


def read(
    path: str | os.PathLike[str], *, format: str | None = None, strict: bool = False
) -> FormatModel:
    """Read the metadata of one file into its format model.

    Parameters
    ----------
    path
        The file. It is opened read-only; pixel data are not read.
    format
        Registry name to force a reader (skips detection).
    strict
        Raise `MalformedFileError` for problems that permissive mode reports as error findings.

    Raises
    ------
    UnsupportedFormatError
        No reader recognises the file.
    MalformedFileError
        The file is of a known format but cannot be interpreted.
    UnreadableFileError
        The file cannot be opened.
    """
    if format is not None:
        return cast(ReaderModule, get_format(format).load()).read(path, strict=strict)
    with open_head(path, HEAD_SIZE) as fh:
        module = _detect_head(fh.head, path).load()
        read_open = cast(OpenReader | None, getattr(module, "read_open", None))
        if read_open is not None:
            return read_open(fh, strict=strict)
    return cast(ReaderModule, module).read(path, strict=strict)
