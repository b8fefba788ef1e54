"""What an unsupported file looks like, for a helpful error message.

`looks_like` names common formats that clxm_meta does not read (images, archives, other
microscopy formats, text), from the first bytes and the name, so that ``clxm-meta inspect x.czi``
can say "it looks like a Zeiss CZI file" instead of only "not a format clxm_meta reads". It never
decides what a reader accepts (that is the registry's magic and sniff functions).
"""

from __future__ import annotations

__all__ = ["looks_like"]

_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF8", "a GIF image"),
    (0, b"BM", "a BMP image"),
    (0, b"%PDF", "a PDF document"),
    (0, b"\x89HDF\r\n\x1a\n", "an HDF5 file (.h5, Imaris .ims, NeXus, ...)"),
    (0, b"ZISRAWFILE", "a Zeiss CZI file (convert it to OME-TIFF, e.g. with bioformats2raw)"),
    (0, b"\xda\xce\xbe\x0a", "a Nikon ND2 file (convert it to OME-TIFF)"),
    (0, b"\x93NUMPY", "a NumPy .npy array"),
    (0, b"IMODV1.2", "an IMOD model file (.mod), which holds no Table 1 value"),
    (0, b"\x1f\x8b", "a gzip-compressed file (decompress it first)"),
    (0, b"BZh", "a bzip2-compressed file (decompress it first)"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (extract it first)"),
    (0, b"\xfd7zXZ\x00", "an xz-compressed file (decompress it first)"),
    (0, b"SIMPLE  =", "a FITS file"),
    (257, b"ustar", "a tar archive (extract it first)"),
)

_ZIP_KINDS = {
    ".xlsx": "an Excel workbook",
    ".docx": "a Word document",
    ".zip": "a ZIP archive (extract it first)",
}

_TEXT_HINT = 60
"""Characters of a text file's first line quoted in the message."""


def looks_like(head: bytes, name: str) -> str | None:
    """A short phrase naming what ``head`` (the first bytes of file ``name``) looks like.

    Returns ``None`` when nothing recognisable was found (binary content of an unknown kind).
    """
    lower = name.lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        for ext, kind in _ZIP_KINDS.items():
            if lower.endswith(ext):
                return kind
        return "a ZIP container (an archive, an Office document or a zipped Zarr store)"
    for offset, magic, kind in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return kind
    if lower.endswith((".dm3", ".dm4")):
        return "a Gatan DigitalMicrograph file, which clxm_meta does not read"
    if b"\x00" in head[:1024]:
        return None
    try:
        text = head[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return None
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not first:
        return "a text file with only blank lines"
    if len(first) > _TEXT_HINT:
        first = first[: _TEXT_HINT - 1] + "…"
    return f"a text file whose first line is {first!r}"
