"""The TIFF reader's model from a pure-Python reading of the header and the IFDs (no tifffile).

Importing tifffile (and with it numpy) is most of what ``clxm-meta inspect`` on a TIFF costs. For
the files whose every value this module can derive exactly as tifffile does, `read_pure` builds
the same model (findings included) from `ifd.read_ifd`; for any other file it returns ``None``
and the reader asks tifffile, as before. ``tests/readers/tiff/test_tiff_pure.py`` reads real,
written, damaged and fuzzed files both ways and compares the models.

Read here: classic and BigTIFF, either byte order; pages with only the tags of `ifd.TAG_NAMES`;
uncompressed, LZW, deflate or PackBits strips or tiles; unsigned, signed or float samples of 8, 16,
32 or 64 bits, one sample (grey) or three (RGB); every page with the same layout as the first.
The series is tifffile's: ``shaped`` (one JSON-described series over every page), ``ome`` (one
image, `ome_series`), ``imagej`` (its hyperstack description and IJMetadata Info/Labels) or, for
anything else, ``uniform`` (one page, or 8 and more) and ``generic`` (2 to 7 pages).
"""

from __future__ import annotations

import os
import struct
from math import prod
from typing import TYPE_CHECKING, Any

from clxm_meta.errors import MalformedFileError
from clxm_meta.findings import Severity
from clxm_meta.readers.base import FindingCollector, assemble
from clxm_meta.readers.tiff.ifd import (
    TAG_NAMES,
    Entry,
    Header,
    Irregular,
    next_offset,
    read_body,
    read_header,
    read_ifd,
    read_next,
    same_layout,
)
from clxm_meta.readers.tiff.imagej import ImageJMetadata, parse_imagej
from clxm_meta.readers.tiff.model import OmeSummary, TiffMetadata, TiffSeries
from clxm_meta.readers.tiff.tags import json_safe, page_tags
from clxm_meta.readers.tiff.truncation import report_truncated

if TYPE_CHECKING:
    from clxm_meta.readers.tiff.ome_series import OmeSeries

__all__ = ["read_pure"]

MAX_PAGES = 10_000
"""Longest chain read here (the reader's `MAX_SERIES_PAGES`)."""

_COMPRESSION = {1: "NONE", 5: "LZW", 8: "ADOBE_DEFLATE", 32773: "PACKBITS", 32946: "DEFLATE"}
_PHOTOMETRIC = {0: "MINISWHITE", 1: "MINISBLACK", 2: "RGB"}
_PLANAR = {1: "CONTIG", 2: "SEPARATE"}
_SAMPLE_FORMAT = {1: "UINT", 2: "INT", 3: "IEEEFP"}
_DTYPES = {
    (1, 8): "uint8",
    (1, 16): "uint16",
    (1, 32): "uint32",
    (1, 64): "uint64",
    (2, 8): "int8",
    (2, 16): "int16",
    (2, 32): "int32",
    (2, 64): "int64",
    (3, 16): "float16",
    (3, 32): "float32",
    (3, 64): "float64",
}
_ITEMSIZE = {name: bits // 8 for (_, bits), name in _DTYPES.items()}

_SOFTWARE_PREFIXES = (
    "TVX TIFF",
    "ScanOutputManager",
    "SI.",
    "IndicaLabsImageWriter",
    "PerkinElmer-QPI",
    "Philips DP",
    "ISS Vista",
    "EPICS",
)
"""Software tags that make tifffile read a page (or the file) its own way."""

_LAYOUT_TAGS = (256, 257, 258, 259, 262, 266, 277, 278, 284, 317, 322, 323, 339)
"""Tags whose values every page must share with the first (tifffile's series key on them)."""


class _Page:
    """One IFD: its entries, the first of each code, and the layout tifffile derives from them."""

    def __init__(self, offset: int, entries: list[Entry]) -> None:
        self.offset = offset
        self.entries = entries
        first: dict[int, Any] = {}
        for entry in entries:
            first.setdefault(entry.code, entry.value)
        self.values = first
        if 256 not in first or 257 not in first:
            raise Irregular
        self.width = _positive(first[256])
        self.height = _positive(first[257])
        if self.width < 2 or self.height < 2:
            raise Irregular  # tifffile's squeezing of length-1 Y or X: its own rules
        self.spp = _positive(first.get(277, 1))
        bits = first.get(258, 1)
        bits_all = bits if isinstance(bits, tuple) else (bits,)
        if len(set(bits_all)) != 1 or len(bits_all) not in (1, self.spp):
            raise Irregular
        self.bits = int(bits_all[0])
        formats = first.get(339, 1)
        formats_all = formats if isinstance(formats, tuple) else (formats,)
        if len(set(formats_all)) != 1:
            raise Irregular
        self.sample_format = int(formats_all[0])
        dtype = _DTYPES.get((self.sample_format, self.bits))
        if dtype is None:
            raise Irregular
        self.dtype = dtype
        self.compression = first.get(259, 1)
        if self.compression not in _COMPRESSION:
            raise Irregular
        if 262 not in first:
            raise Irregular
        self.photometric = first[262]
        self.planar = first.get(284, 1)
        if self.spp == 1:
            if self.photometric not in (0, 1):
                raise Irregular
        elif not (self.spp == 3 and self.photometric == 2):
            raise Irregular
        self.tiled = 322 in first or 323 in first
        self.data_offsets, self.data_counts = self._data()
        if self.spp == 1:
            self.shape: tuple[int, ...] = (self.height, self.width)
            self.axes = "YX"
        elif self.planar == 1:
            self.shape, self.axes = (self.height, self.width, self.spp), "YXS"
        else:
            self.shape, self.axes = (self.spp, self.height, self.width), "SYX"
        self.size = prod(self.shape)
        self.key = tuple(first.get(code) for code in _LAYOUT_TAGS)

    def _data(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        planes = self.spp if self.planar == 2 else 1
        if self.tiled:
            if 324 not in self.values or 325 not in self.values or 273 in self.values:
                raise Irregular
            tw, tl = self.values.get(322), self.values.get(323)
            if not isinstance(tw, int) or not isinstance(tl, int) or tw % 16 or tl % 16 or tw < 16:
                raise Irregular
            if tl < 16:
                raise Irregular
            expected = planes * (-(-self.width // tw)) * (-(-self.height // tl))
            offsets, counts = self.values[324], self.values[325]
        else:
            if 273 not in self.values or 279 not in self.values or 324 in self.values:
                raise Irregular
            rows = self.values.get(278, self.height)
            if not isinstance(rows, int) or rows < 1:
                raise Irregular
            expected = planes * -(-self.height // min(rows, self.height))
            offsets, counts = self.values[273], self.values[279]
        if not isinstance(offsets, tuple) or not isinstance(counts, tuple):
            raise Irregular
        if len(offsets) != expected or len(counts) != expected:
            raise Irregular
        return offsets, counts


def _positive(value: Any) -> int:
    if not isinstance(value, int) or value < 1:
        raise Irregular
    return value


def read_pure(
    path: str | os.PathLike[str], size: int, col: FindingCollector
) -> TiffMetadata | None:
    """The reader's model of the TIFF at ``path``, or ``None`` when tifffile must read it.

    Findings go to ``col`` only when a model is returned (the caller's tifffile reading starts
    from an empty collector otherwise).
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        probe = FindingCollector(col.path, col.reader, strict=False)
        model = _read(fd, path, size, probe)
    except (Irregular, OSError, ValueError, struct.error, LookupError, TypeError, RecursionError):
        return None  # tifffile reads it (and reports what is wrong, as before)
    finally:
        os.close(fd)
    if model is None:
        return None
    for item in probe.items:
        if col.strict and item.severity is Severity.ERROR:
            raise MalformedFileError(item.message, path=col.path, field=item.field)
        col.items.append(item)
    return model


def _walk(
    fd: int, header: Header, size: int, first: _Page, after: int, *, every: bool
) -> tuple[list[int], list[_Page]]:
    """The IFD offsets of the chain and the pages read in full.

    The first page (read by the caller: ``first``, whose next-IFD pointer is ``after``) and the
    last; with ``every``, also each page whose entries are not those of the page read in full
    before it (`ifd.same_layout`: every other page is that one's but for its data). A loop, a
    pointer past the end or a chain longer than `MAX_PAGES`: `Irregular`.
    """
    offsets: list[int] = []
    pages: list[_Page] = []
    seen: set[int] = set()
    offset = header.first
    first_body = b""
    walker = _NextWalker(fd, header, size)
    while offset:
        if offset in seen or offset >= size or len(offsets) >= MAX_PAGES:
            raise Irregular
        seen.add(offset)
        offsets.append(offset)
        here = offset
        if len(offsets) == 1:  # read by the caller: ``first``, pointing to ``after``
            if every:
                _, first_body = read_body(fd, offset, header)
            pages.append(first)
            offset = after
        elif every:
            _, body = read_body(fd, offset, header, expect=len(first_body))
            offset = next_offset(body, header)
            if offset == 0 or not same_layout(body, first_body, header, size):
                # the last page (its data offsets are checked) or one of its own: read it all,
                # and compare the next ones with it (ImageJ's pages 1.. lack page 0's metadata)
                entries, _ = read_ifd(fd, here, header, size)
                pages.append(_Page(here, entries))
                first_body = body
        else:
            offset = walker.next(offset)
            stride = offset - here
            if stride > 0:
                # IFDs written back to back: the rest of the run in the block read, checked at once
                run = walker.run(offset, stride, MAX_PAGES - len(offsets))
                if run:
                    if not seen.isdisjoint(run):
                        raise Irregular  # the walk would come back to an IFD it has passed
                    offsets.extend(run)
                    seen.update(run)
                    offset = run[-1] + stride
    if not every and len(offsets) > 1:
        last_entries, _ = read_ifd(fd, offsets[-1], header, size)
        pages.append(_Page(offsets[-1], last_entries))
    return offsets, pages


BLOCK = 4096
"""Bytes read at a time along IFDs that lie close to each other."""

RUN_BLOCK = 16 * 1024
"""Most bytes read at a time: the block grows fourfold while runs of IFDs fill it (one block is
held at a time: a larger one would cost memory for few reads less)."""


class _NextWalker:
    """Next-IFD offsets read with few reads, however many IFDs lie in a run.

    The OME walk, where the other pages' entries are not read: the IFD's entry count is guessed
    from the IFD before, and IFDs that lie within a block of each other come from one read of
    `BLOCK` bytes (four times as many each time a run of IFDs fills the block, up to `RUN_BLOCK`).
    Where IFDs follow each other at a fixed spacing (tifffile and txrm2tiff write them back to
    back after the pixels), `run` checks every IFD of the block at once: its entry count and its
    next-IFD pointer, compared byte column by byte column (``block[i::stride]``) with what a
    regular run holds. A 256-page file then costs a few reads and comparisons more than a 16-page one.
    """

    def __init__(self, fd: int, header: Header, size: int) -> None:
        self.fd = fd
        self.header = header
        self.size = size
        big = header.bigtiff
        self.count_size, self.entry_size, self.offset_size = (8, 20, 8) if big else (2, 12, 4)
        self.count = struct.Struct(header.byteorder + ("Q" if big else "H"))
        self.pointer = struct.Struct(header.byteorder + ("Q" if big else "I"))
        self.tagno = 0
        self.buf = b""
        self.start = 0
        self.last = header.first
        self.block = BLOCK

    def next(self, offset: int) -> int:
        need = self.count_size + self.tagno * self.entry_size + self.offset_size
        if not (self.start <= offset and offset + need <= self.start + len(self.buf)):
            close = 0 <= offset - self.last < self.block
            length = min(max(need, self.block), self.size - offset) if close else need
            self.buf = b""  # one block held at a time
            self.buf = os.pread(self.fd, length, offset)
            self.start = offset
        self.last = offset
        at = offset - self.start
        if (
            self.tagno
            and at + need <= len(self.buf)
            and self.count.unpack_from(self.buf, at)[0] == self.tagno
        ):
            return int(self.pointer.unpack_from(self.buf, at + need - self.offset_size)[0])
        found = read_next(self.fd, offset, self.header)
        head = os.pread(self.fd, self.count_size, offset)
        self.tagno = int(self.count.unpack(head)[0]) if len(head) == self.count_size else 0
        return found

    def run(self, at: int, stride: int, most: int) -> list[int]:
        """The IFDs at ``at``, ``at + stride``, ... that the block read holds, while regular.

        Each one returned has the entry count of the IFD before ``at`` (`next` read it) and points
        to the next one at ``stride``; the last one returned points to ``at + len * stride``,
        which the caller walks on from (its own checks: a loop, the end of the file, 0). At
        most ``most``; none (``[]``) when the IFD at ``at`` is not such an IFD or not in the block.
        Every IFD returned is one the IFD-by-IFD walk reaches with the same values.
        """
        pointer = self.count_size + self.tagno * self.entry_size
        base = at - self.start
        if not self.tagno or stride < pointer + self.offset_size or base < 0 or most < 1:
            return []
        # the IFDs whose entry count and pointer lie in the block (the last needs no padding)
        n = min((len(self.buf) - base + stride - pointer - self.offset_size) // stride, most)
        if n < 1:
            return []
        # Each byte of the entry counts and of the pointers, taken across the run as one bytes
        # object (a slice with step ``stride``), is compared with that byte of a regular run.
        stop = base + n * stride
        regular = struct.pack(
            f"{self.header.byteorder}{n}{'Q' if self.header.bigtiff else 'I'}",
            *range(at + stride, at + (n + 1) * stride, stride),
        )
        links = n
        for j, byte in enumerate(self.count.pack(self.tagno)):
            links = _agree(self.buf[base + j : stop : stride], bytes((byte,)) * n, links)
        for j in range(self.offset_size):
            column = self.buf[base + pointer + j : stop : stride]
            links = _agree(column, regular[j :: self.offset_size], links)
        if links:
            self.last = at + (links - 1) * stride
        # a run that fills the block may go on: read four times as much next time
        self.block = min(4 * self.block, RUN_BLOCK) if links == n else BLOCK
        return list(range(at, at + links * stride, stride))


def _agree(found: bytes, regular: bytes, links: int) -> int:
    """How many of the first ``links`` bytes of ``found`` and ``regular`` agree (a bisection)."""
    if found[:links] == regular[:links]:
        return links
    lo, hi = 0, links  # found[:lo] == regular[:lo], found[:hi] != regular[:hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if found[:mid] == regular[:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def _read(
    fd: int, path: str | os.PathLike[str], size: int, col: FindingCollector
) -> TiffMetadata | None:
    from clxm_meta.readers.tiff.reader import assemble_model, first_page_model

    header = read_header(fd, size)
    first_entries, after = read_ifd(fd, header.first, header, size)
    first = _Page(header.first, first_entries)
    descriptions = [e.value for e in first_entries if e.code == 270]
    if any(not isinstance(d, str) for d in descriptions):
        raise Irregular
    description = descriptions[0] if descriptions else ""
    description1 = descriptions[1] if len(descriptions) > 1 else ""
    software = first.values.get(305, "")
    if not isinstance(software, str) or software.startswith(_SOFTWARE_PREFIXES):
        raise Irregular
    if "Ventana" in software:
        raise Irregular
    kind = _kind(description, description1)
    # OME files keep the other pages unread (a 2 GiB OME-TIFF costs what a 2 MiB one does)
    offsets, pages = _walk(fd, header, size, first, after, every=kind != "ome")
    if any(p.key != first.key for p in pages):
        raise Irregular  # tifffile would make several series, or log
    if any(p.values.get(254, 0) for p in pages):
        raise Irregular
    n_pages = len(offsets)

    ij_tag: dict[str, Any] | None = None
    if 50839 in first.values:  # tifffile decodes it on every page that has it
        ij_tag = _ij_tag(first.values[50839], first.values.get(50838), header.byteorder)
        first_entries = [
            Entry(e.code, e.dtype, e.count, ij_tag) if e.code == 50839 else e for e in first_entries
        ]
    named = [(TAG_NAMES[e.code], e) for e in first_entries]
    by_name: dict[str, Any] = {}
    for name, entry in named:
        by_name.setdefault(name, entry)
    page_model = first_page_model(
        by_name,
        col,
        description=_clean(description),
        samples_per_pixel=first.spp,
        bits_per_sample=first.bits,
        sample_format=_SAMPLE_FORMAT[first.sample_format],
        dtype=first.dtype,
        compression=_COMPRESSION[first.compression],
        photometric=_PHOTOMETRIC[first.photometric],
        planar_configuration=_PLANAR[first.planar],
        tiled=first.tiled,
    )
    imagej_meta = _imagej_meta(first, description, description1, ij_tag)
    tags, notes = page_tags(None, named)

    shaped: list[dict[str, Any]] | None = None
    if kind == "shaped":
        one, meta = _shaped(first, description, description1, n_pages)
        series = [one]
        shaped_notes: dict[str, str] = {}
        safe = json_safe(meta, "shaped", shaped_notes)
        shaped = [safe] if isinstance(safe, dict) else []
    elif kind == "ome":
        from clxm_meta.readers.tiff.ome_series import ome_series

        found = ome_series(_OmeView(description, first), n_pages)
        if found is None:
            return None
        series = [_ome_model(found)]
    elif kind == "imagej":
        if imagej_meta is None:
            raise Irregular
        series = [_imagej_series(first, imagej_meta, n_pages, size)]
    else:
        series = [_plain_series(first, n_pages)]

    _check_truncation(pages, offsets, size, col)

    imagej: ImageJMetadata | None = None
    if imagej_meta is not None:
        imagej = parse_imagej(imagej_meta, page_model.x_resolution, page_model.y_resolution, col)

    ome: OmeSummary | None = None
    if page_model.description_kind == "ome-xml":
        from clxm_meta.readers.tiff.ome import parse_ome

        ome = parse_ome(_clean(description) or "", col)

    return assemble_model(
        path,
        size,
        col,
        page_model,
        byteorder=header.byteorder,
        bigtiff=header.bigtiff,
        n_pages=n_pages,
        series=series,
        n_series=1,
        imagej=imagej,
        ome=ome,
        shaped=shaped or None,
        tags=tags,
        notes=notes,
    )


def _clean(text: str) -> str | None:
    out = text.strip("\x00").strip()
    return out or None


def _kind(description: str, description1: str) -> str:
    """The series kind tifffile tries first and would find, or `Irregular` for one not read here."""
    for text in (description, description1):
        if text and '"mibi.' not in text and text[:1] == "{" and '"shape":' in text:
            return "shaped"
        if text[:6] == "shape=":
            raise Irregular
    if description and description[-10:].strip().endswith("OME>"):
        return "ome"
    for text in (description, description1):
        if text[:7] == "ImageJ=":
            return "imagej"
        if text[:7] == "SCIFIO=":
            raise Irregular
    for text in (description, description1):
        if (
            text[:1] in ("<", "{", "[", "#")
            or text[:6] == "state."
            or text[:7] in ("Aperio ", "SIMPLE ")
            or "scanimage" in text.lower()
            or text.startswith("EPICS")
        ):
            raise Irregular
    return "plain"


def _shaped(
    first: _Page, description: str, description1: str, n_pages: int
) -> tuple[TiffSeries, dict[str, Any]]:
    text = next(t for t in (description, description1) if t[:1] == "{" and '"shape":' in t)
    import json

    meta = json.loads(text)
    if not isinstance(meta, dict) or set(meta) - {"shape", "axes"}:
        raise Irregular
    reshape = meta.get("shape")
    if (
        not isinstance(reshape, list)
        or len(reshape) < 2
        or not all(type(n) is int and n > 0 for n in reshape)
    ):
        raise Irregular
    if first.spp != 1 or tuple(reshape[-2:]) != first.shape:
        raise Irregular
    if prod(reshape) != n_pages * first.size:
        raise Irregular
    axes = meta.get("axes")
    if axes is None:
        axes = "Q" * (len(reshape) - 2) + "YX"
    elif not isinstance(axes, str) or len(axes) != len(reshape) or not axes.endswith("YX"):
        raise Irregular
    series = assemble(
        TiffSeries,
        index=0,
        shape=list(reshape),
        axes=axes,
        dtype=first.dtype,
        kind="shaped",
        n_pages=n_pages,
    )
    return series, meta


def _imagej_meta(
    first: _Page, description: str, description1: str, ij_tag: dict[str, Any] | None
) -> dict[str, Any] | None:
    """``TiffFile.imagej_metadata``: the description's ``key=value`` lines and the IJMetadata."""
    text = next((t for t in (description, description1) if t[:7] == "ImageJ="), None)
    if text is None:
        if 50839 in first.values or 50838 in first.values:
            raise Irregular
        return None
    result: dict[str, Any] = {}
    for line in text.splitlines():
        key, sep, raw = line.partition("=")
        if not sep:
            continue
        result[key.strip()] = _typed(raw.strip())
    if ij_tag is not None:
        result.update(ij_tag)
    elif 50838 in first.values:
        raise Irregular
    return result


def _typed(raw: str) -> Any:
    for convert in (int, float):
        try:
            return convert(raw)
        except ValueError:
            pass
    lower = raw.lower()
    if lower in ("true", "false"):
        return lower == "true"
    return raw


_IJ_TYPES = {b"info": "Info", b"labl": "Labels"}


def _ij_tag(data: Any, counts: Any, byteorder: str) -> dict[str, Any]:
    """The IJMetadata tag of Info and Labels only (other blocks: `Irregular`)."""
    if not isinstance(data, bytes) or not isinstance(counts, tuple) or not counts:
        raise Irregular
    if data[:4] not in (b"IJIJ", b"JIJI"):
        raise Irregular
    header_size = counts[0]
    if header_size < 12 or header_size > 804:
        raise Irregular
    ntypes = (header_size - 4) // 8
    head = struct.unpack(byteorder + "4sI" * ntypes, data[4 : 4 + ntypes * 8])
    pos = 4 + ntypes * 8
    index = 0
    codec = "utf-16" + ("be" if byteorder == ">" else "le")
    out: dict[str, Any] = {}
    for mtype, count in zip(head[::2], head[1::2], strict=True):
        key = mtype if byteorder == ">" else mtype[::-1]
        name = _IJ_TYPES.get(key)
        if name is None or count < 1 or index + count >= len(counts):
            raise Irregular
        values = []
        for _ in range(count):
            index += 1
            end = pos + counts[index]
            if end > len(data):
                raise Irregular
            values.append(data[pos:end].decode(codec))
            pos = end
        out[name] = values[0] if count == 1 else values
    return out


def _imagej_series(first: _Page, meta: dict[str, Any], n_pages: int, size: int) -> TiffSeries:
    if first.spp != 1 or "order" in meta:
        raise Irregular
    sizes = [meta.get(k, 1) for k in ("frames", "slices", "channels", "images")]
    if not all(type(n) is int and n >= 1 for n in sizes):
        raise Irregular
    frames, slices, channels, _ = sizes
    images = frames * slices * channels
    if images != n_pages or n_pages < 2:
        raise Irregular  # virtual stacks and single images: tifffile's own rules
    if first.data_offsets[0] + images * first.size * _ITEMSIZE[first.dtype] > size:
        raise Irregular  # tifffile: "ImageJ series metadata invalid or corrupted file"
    shape = [n for n, ax in zip((frames, slices, channels), "TZC", strict=True)]
    full = [*shape, *first.shape]
    axes = "TZC" + first.axes
    kept = [(n, ax) for n, ax in zip(full, axes, strict=True) if n > 1 or ax in "XY"]
    return assemble(
        TiffSeries,
        index=0,
        shape=[n for n, _ in kept],
        axes="".join(ax for _, ax in kept),
        dtype=first.dtype,
        kind="imagej",
        n_pages=n_pages,
    )


def _plain_series(first: _Page, n_pages: int) -> TiffSeries:
    if n_pages == 1:
        shape, axes, kind = list(first.shape), first.axes, "uniform"
    else:
        full = [n_pages, *first.shape]
        full_axes = "I" + first.axes
        kept = [(n, ax) for n, ax in zip(full, full_axes, strict=True) if n > 1 or ax in "XY"]
        shape, axes = [n for n, _ in kept], "".join(ax for _, ax in kept)
        kind = "uniform" if n_pages >= 8 else "generic"
    return assemble(
        TiffSeries,
        index=0,
        shape=shape,
        axes=axes,
        dtype=first.dtype,
        kind=kind,
        n_pages=n_pages,
    )


class _Keyframe:
    """What `ome_series` asks of tifffile's first page."""

    def __init__(self, page: _Page) -> None:
        self.subifds = None
        self.dtype = page.dtype
        self.planarconfig = page.planar
        self.size = page.size
        self.shape = page.shape


class _Pages:
    def __init__(self, page: _Page) -> None:
        self.first = _Keyframe(page)


class _OmeView:
    """What `ome_series` asks of a `tifffile.TiffFile` (an OME file not shaped, LSM or MMStack)."""

    is_ome = True

    def __init__(self, description: str, page: _Page) -> None:
        self.ome_metadata = description
        self.pages = _Pages(page)


def _ome_model(found: OmeSeries) -> TiffSeries:
    return assemble(
        TiffSeries,
        index=0,
        shape=list(found.shape),
        axes=found.axes,
        dtype=found.dtype,
        kind="ome",
        n_pages=found.n_pages,
    )


def _check_truncation(
    pages: list[_Page], offsets: list[int], size: int, col: FindingCollector
) -> None:
    """`reader._check_truncation` on the first and the last page."""
    last_index = len(offsets) - 1
    checks = [(0, pages[0])]
    if last_index:
        checks.append((last_index, pages[-1]))
    for i, page in checks:
        ends = [o + c for o, c in zip(page.data_offsets, page.data_counts, strict=False) if c]
        if report_truncated(col, i, ends, size):
            return
