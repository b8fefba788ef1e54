"""A TIFF header and its IFDs read with `struct` alone (no tifffile, no numpy).

`clxm_meta.readers.tiff.pure` builds the reader's model from what this module reads, for the
files it can read exactly as tifffile does; the values are those tifffile's ``TiffTag.value``
gives (ASCII decoded and stripped, a single value unwrapped except for the tags tifffile keeps as
tuples, ...). Anything tifffile would treat specially, log about or refuse (an unknown tag or data
type, a value offset outside the file, an enum value it warns about) raises `Irregular`: the
caller then reads the file with tifffile, whose behaviour (and log messages) stand. Reads are
bounded by the file's size; nothing is allocated that the file does not hold.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import Any

__all__ = ["TAG_NAMES", "Entry", "Header", "Irregular", "read_header", "read_ifd", "read_next"]


class Irregular(Exception):
    """tifffile would read this differently, log or fail: let it read the file."""


TAG_NAMES: dict[int, str] = {
    254: "NewSubfileType",
    256: "ImageWidth",
    257: "ImageLength",
    258: "BitsPerSample",
    259: "Compression",
    262: "PhotometricInterpretation",
    266: "FillOrder",
    269: "DocumentName",
    270: "ImageDescription",
    271: "Make",
    272: "Model",
    273: "StripOffsets",
    274: "Orientation",
    277: "SamplesPerPixel",
    278: "RowsPerStrip",
    279: "StripByteCounts",
    282: "XResolution",
    283: "YResolution",
    284: "PlanarConfiguration",
    285: "PageName",
    296: "ResolutionUnit",
    305: "Software",
    306: "DateTime",
    315: "Artist",
    316: "HostComputer",
    317: "Predictor",
    322: "TileWidth",
    323: "TileLength",
    324: "TileOffsets",
    325: "TileByteCounts",
    339: "SampleFormat",
    50838: "IJMetadataByteCounts",
    50839: "IJMetadata",
}
"""The tags read here, with tifffile's names (``tests/readers/tiff/test_tiff_pure.py`` checks
them against tifffile's registry). A page with any other tag is read by tifffile."""

_TUPLE_TAGS = frozenset({273, 279, 282, 283, 324, 325, 50838})
"""Tags whose value stays a tuple when it holds one number (tifffile's ``TAG_TUPLE``)."""

_ENUM_VALUES: dict[int, frozenset[int]] = {
    254: frozenset({0}),  # NewSubfileType: reduced images, pages of pyramids are not read here
    262: frozenset({0, 1, 2}),
    266: frozenset({1, 2}),
    274: frozenset(range(1, 9)),
    284: frozenset({1, 2}),
    296: frozenset({1, 2, 3}),
    339: frozenset({1, 2, 3}),
}
"""Enum-valued tags and the values read here (tifffile logs on a value outside its enum)."""

_FORMATS: dict[int, tuple[int, str]] = {
    1: (1, "B"),
    2: (1, "s"),
    3: (1, "H"),
    4: (1, "I"),
    5: (2, "I"),
    6: (1, "b"),
    7: (1, "B"),
    8: (1, "h"),
    9: (1, "i"),
    10: (2, "i"),
    11: (1, "f"),
    12: (1, "d"),
    13: (1, "I"),
    16: (1, "Q"),
    17: (1, "q"),
    18: (1, "Q"),
}
"""TIFF data type -> (numbers per value, struct code)."""

_ARRAY_COUNT = 1024
"""tifffile returns a numpy array for a longer numeric value not kept as a tuple."""

MAX_ENTRIES = 4096
"""tifffile's limit on the entries of one IFD."""


class ArrayValue:
    """A numeric tag value tifffile would hand back as a numpy array (more than 1024 numbers).

    Only its size and `tolist` are used (`tags.json_safe` leaves such values out with a note).
    """

    def __init__(self, values: tuple[Any, ...]) -> None:
        self.values = values
        self.size = len(values)

    def tolist(self) -> list[Any]:
        return list(self.values)


@dataclass(frozen=True)
class Header:
    """The file header: byte order, layout, first IFD."""

    byteorder: str
    bigtiff: bool
    first: int


@dataclass(frozen=True)
class Entry:
    """One IFD entry with its value as tifffile gives it."""

    code: int
    dtype: int
    count: int
    value: Any


def read_header(fd: int, size: int) -> Header:
    """The header of the file open as ``fd`` (``size`` bytes)."""
    head = os.pread(fd, 16, 0)
    if len(head) < 8 or head[:2] not in (b"II", b"MM"):
        raise Irregular
    order = "<" if head[:2] == b"II" else ">"
    version = struct.unpack_from(order + "H", head, 2)[0]
    if version == 42:
        first = struct.unpack_from(order + "I", head, 4)[0]
        bigtiff = False
    elif version == 43 and len(head) == 16:
        if struct.unpack_from(order + "HH", head, 4) != (8, 0):
            raise Irregular
        first = struct.unpack_from(order + "Q", head, 8)[0]
        bigtiff = True
    else:
        raise Irregular
    if head[8:12] == struct.pack(order + "I", 483729):
        raise Irregular  # a Micro-Manager header: tifffile reads its own metadata
    if first < 8 or first >= size:
        raise Irregular
    return Header(order, bigtiff, first)


def read_body(fd: int, offset: int, header: Header, expect: int = 0) -> tuple[int, bytes]:
    """The entry count of the IFD at ``offset`` and its entries and next-IFD offset as bytes.

    ``expect``: the body's likely length (that of the IFD before): then one read suffices.
    """
    big = header.bigtiff
    count_size = 8 if big else 2
    if expect:
        raw = os.pread(fd, count_size + expect, offset)
        if len(raw) == count_size + expect:
            tagno = int(_COUNT[header.byteorder, big].unpack_from(raw)[0])
            if tagno * (20 if big else 12) + (8 if big else 4) == expect:
                return tagno, raw[count_size:]
    head = os.pread(fd, count_size, offset)
    if len(head) < count_size:
        raise Irregular
    tagno = int(struct.unpack(header.byteorder + ("Q" if big else "H"), head)[0])
    if not 0 < tagno <= MAX_ENTRIES:
        raise Irregular
    body_size = tagno * (20 if big else 12) + (8 if big else 4)
    body = os.pread(fd, body_size, offset + count_size)
    if len(body) < body_size:
        raise Irregular
    return tagno, body


def next_offset(body: bytes, header: Header) -> int:
    """The next-IFD offset at the end of a `read_body` body."""
    size = 8 if header.bigtiff else 4
    return int(struct.unpack(header.byteorder + ("Q" if header.bigtiff else "I"), body[-size:])[0])


_COUNT = {(o, b): struct.Struct(o + ("Q" if b else "H")) for o in "<>" for b in (False, True)}
_ENTRY = {(o, b): struct.Struct(o + ("HHQ" if b else "HHI")) for o in "<>" for b in (False, True)}
_OFFSET = {(o, b): struct.Struct(o + ("Q" if b else "I")) for o in "<>" for b in (False, True)}

_DATA_TAGS = frozenset({273, 279, 324, 325})
"""Tags whose values differ from page to page of one series (where the page's data are)."""


def same_layout(body: bytes, first: bytes, header: Header, size: int) -> bool:
    """Whether an IFD's entries (``body``) are another's (``first``) but for where its data are.

    Both are `read_body` bodies; every value that lies outside the IFD must lie inside the file.
    Such a page has the first page's tags and values (the same bytes, the same value offsets),
    so tifffile reads it alike; its own data offsets and counts are not decoded here.
    """
    big = header.bigtiff
    entry_size, inline = (20, 8) if big else (12, 4)
    if len(body) != len(first):
        return False
    head = _ENTRY[header.byteorder, big]
    where_fmt = _OFFSET[header.byteorder, big]
    for at in range(0, len(body) - inline, entry_size):
        entry = body[at : at + entry_size]
        if entry == first[at : at + entry_size]:
            continue
        code, dtype, count = head.unpack_from(entry)
        if head.unpack_from(first, at) != (code, dtype, count) or code not in _DATA_TAGS:
            return False
        per, fmt = _FORMATS[dtype]
        value_size = count * per * struct.calcsize(fmt)
        if value_size > inline:
            where = where_fmt.unpack_from(entry, entry_size - inline)[0]
            if where < 8 or where + value_size > size:
                return False
    return True


def read_ifd(fd: int, offset: int, header: Header, size: int) -> tuple[list[Entry], int]:
    """The entries of the IFD at ``offset`` (file order) and the offset of the next IFD."""
    order, big = header.byteorder, header.bigtiff
    entry_size, off_fmt = (20, "Q") if big else (12, "I")
    tagno, body = read_body(fd, offset, header)
    inline = 8 if big else 4
    header_fmt = struct.Struct(order + ("HHQ" if big else "HHI"))
    entries = []
    for i in range(tagno):
        at = i * entry_size
        code, dtype, count = header_fmt.unpack_from(body, at)
        if code not in TAG_NAMES or dtype not in _FORMATS or count == 0:
            raise Irregular
        per, fmt = _FORMATS[dtype]
        value_size = count * per * struct.calcsize(fmt)
        raw_field = body[at + entry_size - inline : at + entry_size]
        if value_size > inline or code == 50839:
            where = struct.unpack(order + off_fmt, raw_field)[0]
            if where < 8 or where + value_size > size:
                raise Irregular
            raw = os.pread(fd, value_size, where)
            if len(raw) < value_size:
                raise Irregular
        else:
            raw = raw_field[:value_size]
        entries.append(Entry(code, dtype, count, _value(code, dtype, count, raw, order)))
    nxt = struct.unpack_from(order + off_fmt, body, tagno * entry_size)[0]
    return entries, nxt


def read_next(fd: int, offset: int, header: Header) -> int:
    """The next-IFD offset of the IFD at ``offset`` (its entries unread)."""
    big = header.bigtiff
    count_size, entry_size, off_size = (8, 20, 8) if big else (2, 12, 4)
    head = os.pread(fd, count_size, offset)
    if len(head) < count_size:
        raise Irregular
    tagno = struct.unpack(header.byteorder + ("Q" if big else "H"), head)[0]
    if not 0 < tagno <= MAX_ENTRIES:
        raise Irregular
    raw = os.pread(fd, off_size, offset + count_size + tagno * entry_size)
    if len(raw) < off_size:
        raise Irregular
    return int(struct.unpack(header.byteorder + ("Q" if big else "I"), raw)[0])


def _value(code: int, dtype: int, count: int, raw: bytes, order: str) -> Any:
    if dtype in (1, 7):
        return raw
    if dtype == 2:
        text = raw.rstrip(b"\x00")
        try:
            return text.decode("utf-8").strip()
        except UnicodeDecodeError:
            try:
                return text.decode("cp1252").strip()
            except UnicodeDecodeError:
                raise Irregular from None  # tifffile logs and keeps bytes
    per, fmt = _FORMATS[dtype]
    values = struct.unpack(f"{order}{count * per}{fmt}", raw)
    if code not in _TUPLE_TAGS and count > _ARRAY_COUNT:
        return ArrayValue(values)
    allowed = _ENUM_VALUES.get(code)
    if allowed is not None and any(v not in allowed for v in values):
        raise Irregular
    if len(values) == 1 and code not in _TUPLE_TAGS:
        return values[0]
    return values
