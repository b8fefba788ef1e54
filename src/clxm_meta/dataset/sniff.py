"""What an unrecognised file looks like, for a file whose extension names an image format.

An ``x.mrc`` that no reader recognises will be refused or mis-curated by the archive; the scan says
so with a warning that names what the first bytes look like (all zeros, a compressed archive, an
HTML error page saved under the data file's name, text ...). Only the first few KiB are read.
"""

from __future__ import annotations

import os

__all__ = [
    "FORMAT_WORDS",
    "IMAGE_EXTENSIONS",
    "SNIFF_BYTES",
    "looks_like",
    "misnamed",
    "named_format",
    "sniff",
]

SNIFF_BYTES = 4096
"""How much of the file is looked at."""

IMAGE_EXTENSIONS: dict[str, str] = {
    ".dv": "a DeltaVision",
    ".r3d": "a DeltaVision",
    ".mrc": "an MRC",
    ".mrcs": "an MRC",
    ".st": "an MRC tilt series",
    ".ali": "an MRC aligned stack",
    ".rec": "an MRC tomogram",
    ".map": "an MRC map",
    ".txrm": "a Zeiss TXRM",
    ".xrm": "a Zeiss XRM",
    ".tif": "a TIFF",
    ".tiff": "a TIFF",
}
"""Extensions that name a binary image format a reader of clxm_meta recognises by its bytes."""


def _named_reader(ext: str) -> str | None:
    """The binary reader whose usual extensions (the registry's) include the image extension."""
    if ext not in IMAGE_EXTENSIONS:
        return None
    from clxm_meta.readers.registry import FORMATS

    return next((e.name for e in FORMATS if e.magic is not None and ext in e.extensions), None)


FORMAT_WORDS: dict[str, str] = {
    "dv": "a DeltaVision file",
    "mrc": "an MRC file",
    "txrm": "a Zeiss TXRM/XRM file",
    "tiff": "a TIFF file",
}
"""The binary formats the readers recognise by their bytes, in words."""


def misnamed(path: str, reader: str | None) -> str | None:
    """A warning text when a binary file's bytes are another format than its extension names.

    ``None`` when the extension names no image format, agrees with the reader, or the content is
    a text format (text files are recognised by content whatever their name).
    """
    named = _named_reader(os.path.splitext(path)[1].lower())
    if named is None or reader is None or reader == named or reader not in FORMAT_WORDS:
        return None
    return (
        f"named as {IMAGE_EXTENSIONS[os.path.splitext(path)[1].lower()]} file but its bytes are "
        f"{FORMAT_WORDS[reader]}: it is read as what it is, and the archive documents name that "
        "format; rename it so that the archive curates it right"
    )


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"(\xb5/\xfd", "a zstd-compressed file"),
    (b"\x89HDF\r\n\x1a\n", "an HDF5 file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 compound file without the TXRM streams"),
    (b"\x93NUMPY", "a NumPy .npy array"),
)


def named_format(path: str) -> str | None:
    """The image format that the file's extension names, with its article, or ``None``."""
    return IMAGE_EXTENSIONS.get(os.path.splitext(path)[1].lower())


def looks_like(head: bytes) -> str:
    """A short description of what the first bytes of a file look like."""
    if not head:
        return "an empty file"
    if not any(head):
        return f"all zero bytes (the first {len(head)} bytes; an unfinished copy or a placeholder)"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    lower = head[:512].lstrip().lower()
    if lower.startswith((b"<!doctype html", b"<html")):
        return "an HTML page (a download error page saved under the data file's name?)"
    if lower.startswith(b"<?xml") or lower.startswith(b"<"):
        return "an XML / markup text file"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and all(c.isprintable() or c in "\r\n\t" for c in text):
        first = text.strip().splitlines()[0][:60] if text.strip() else ""
        return f"a text file (first line: {first!r})"
    return "binary data of no format clxm_meta knows"


def sniff(path: str) -> str | None:
    """What ``path`` looks like, or ``None`` when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return looks_like(fh.read(SNIFF_BYTES))
    except OSError:
        return None
