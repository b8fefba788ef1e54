"""The opt-in intensity scan: exact per-channel min / max / mean computed from the pixels.

Headers carry intensity statistics that are often missing or stale (an MRC whose ``dmin``/``dmax``
were never updated after a crop; a DV whose per-wave min/max are zero). Asked for
(``--scan-intensities``), this module streams the pixel data of a DV or MRC file and computes them
exactly: integer samples are summed exactly (32-bit row sums where the samples' range proves they
cannot overflow, then Python integers), float samples in float64.

The pixel data are cut into pieces of at most ``chunk_bytes`` that never straddle two channels.
Each piece is read into its thread's buffer (``preadv``; where there is none, mapped read-only on
its own and unmapped after) and reduced (one pass each for min, max and sum, while the piece is
still in the CPU cache), so the extra memory stays near ``workers × chunk_bytes`` whatever the
file size. Pieces are shared out among a few threads (numpy
reductions release the GIL) and combined in file order, so the result does not depend on the
number of workers.
"""

from __future__ import annotations

import math
import mmap
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from clxm_meta.errors import MalformedFileError, UnsupportedFormatError

if TYPE_CHECKING:
    from clxm_meta.normalise.candidate import Candidate
    from clxm_meta.readers.base import FormatModel

__all__ = [
    "CHUNK_BYTES",
    "ChannelStats",
    "IntensityScan",
    "intensity_candidates",
    "scan_intensities",
]

CHUNK_BYTES = 4 * 1024 * 1024
"""Bytes each worker reads and reduces at a time (small enough to stay in the CPU cache)."""

TRANSFORM = (
    "computed from the pixels (--scan-intensities): exact minimum and maximum over every sample "
    "of the channel; the header's statistics are not used"
)


@dataclass(frozen=True)
class ChannelStats:
    """Statistics of one channel over all its samples (``mean`` is ``None`` if it has none)."""

    index: int
    wavelength_nm: float | None
    min: float | None
    max: float | None
    mean: float | None
    samples: int


@dataclass(frozen=True)
class IntensityScan:
    """What a scan of one file's pixels found."""

    path: str
    reader: str
    channels: list[ChannelStats]
    data_offset: int
    data_bytes: int
    chunk_bytes: int

    @property
    def locator(self) -> str:
        """Where the pixels are: a byte range of the file."""
        end = self.data_offset + self.data_bytes - 1
        return f"pixel data, bytes {self.data_offset}-{end} ({self.data_bytes} bytes)"


@dataclass
class _Accumulator:
    min: Any = None
    max: Any = None
    total: Any = 0
    samples: int = 0

    def add(self, lo: Any, hi: Any, total: Any, samples: int) -> None:
        self.min = lo if self.min is None else min(self.min, lo)
        self.max = hi if self.max is None else max(self.max, hi)
        self.total += total
        self.samples += samples


@dataclass(frozen=True)
class _Layout:
    path: str
    dtype: np.dtype[Any]
    offset: int
    section_values: int
    n_sections: int
    channel_of_section: list[int]
    wavelengths: list[float | None]


def _dv_layout(model: Any) -> _Layout:
    hdr = model.header
    if hdr.dtype is None or np.dtype(hdr.dtype).kind not in "iuf":
        raise UnsupportedFormatError(
            f"pixel type {hdr.pixel_type} ({hdr.pixel_type_name}) has no intensity range",
            path=model.path,
        )
    if model.nz is None:
        raise MalformedFileError(
            "sections cannot be mapped to channels (see the reader's findings)", path=model.path
        )
    from clxm_meta.readers.dv.extended_header import plane_index

    dtype = np.dtype(hdr.dtype)
    _check_size(model, model.data_offset, hdr.nx * hdr.ny, hdr.n_sections, dtype.itemsize)
    seq, nz, nw, nt = hdr.image_sequence, model.nz, model.n_waves, model.n_times
    waves = [plane_index(i, seq, nz, nw, nt)[1] for i in range(hdr.n_sections)]
    if any(w is None for w in waves):
        raise MalformedFileError(
            f"image sequence {seq} is unknown: sections cannot be mapped to channels",
            path=model.path,
        )
    return _Layout(
        model.path,
        dtype,
        model.data_offset,
        hdr.nx * hdr.ny,
        hdr.n_sections,
        [int(w) for w in waves if w is not None],
        [float(w) if w else None for w in model.wavelengths_nm],
    )


_UNSCANNABLE_MRC = {
    3: "complex 16-bit integers (a real and an imaginary part per sample)",
    4: "complex 32-bit floats (a real and an imaginary part per sample)",
    16: "RGB, three 8-bit samples per pixel",
    101: "4-bit samples packed two per byte",
}
"""MRC modes without one ordered sample per pixel, refused by name (numpy has no dtype for some)."""


def _mrc_layout(model: Any) -> _Layout:
    hdr = model.header
    mode = _UNSCANNABLE_MRC.get(hdr.mode) or (
        "4-bit samples packed two per byte (IMOD flag)" if hdr.dtype == "uint4" else None
    )
    try:
        dtype = None if mode or hdr.dtype is None else np.dtype(hdr.dtype)
    except TypeError:  # a dtype name numpy does not know
        dtype = None
    if dtype is None or dtype.kind not in "iuf":
        what = f": {mode}" if mode else ""
        raise UnsupportedFormatError(
            f"MRC mode {hdr.mode}{what}: no single intensity range can be scanned",
            path=model.path,
        )
    dtype = dtype.newbyteorder(hdr.byte_order)
    offset = 1024 + max(hdr.nsymbt, 0)
    _check_size(model, offset, hdr.nx * hdr.ny, hdr.nz, dtype.itemsize)
    return _Layout(model.path, dtype, offset, hdr.nx * hdr.ny, hdr.nz, [0] * hdr.nz, [None])


def _check_size(model: Any, offset: int, section_values: int, n_sections: int, item: int) -> None:
    """Refuse a layout the file's bytes do not hold, before anything is sized by its counts.

    The per-section channel list has one entry per declared section: a header declaring 2^31
    sections must be refused from its numbers, not after building that list (issue 23).
    """
    if section_values <= 0 or n_sections <= 0:
        raise MalformedFileError("the header declares no pixels", path=model.path)
    need = offset + section_values * n_sections * item
    size = os.path.getsize(model.path)
    if size < need:
        raise MalformedFileError(
            f"the pixel data are truncated: the header declares {need} bytes, the file holds "
            f"{size}",
            path=model.path,
        )


def _layout(model: FormatModel) -> _Layout:
    if model.format == "dv":
        layout = _dv_layout(model)
    elif model.format == "mrc":
        layout = _mrc_layout(model)
    else:
        raise UnsupportedFormatError(
            f"the intensity scan reads DV and MRC pixel data, not {model.format}", path=model.path
        )
    return layout


def scan_intensities(
    model: FormatModel, *, chunk_bytes: int = CHUNK_BYTES, workers: int | None = None
) -> IntensityScan:
    """Exact per-channel min / max / mean of a DV or MRC file's pixels, streamed.

    Parameters
    ----------
    model
        The file's format model (from `clxm_meta.read`): it says where the pixels are.
    chunk_bytes
        Bytes read at a time by each worker (rounded down to whole samples, at least one).
        The extra memory of a scan is about ``workers × chunk_bytes``.
    workers
        Threads that read and reduce pieces in parallel (numpy and file reads release the
        GIL). ``None``: the available CPUs, at most `MAX_WORKERS`. The result does not depend
        on it: every piece is reduced on its own and the pieces are combined in file order.

    Raises
    ------
    UnsupportedFormatError
        Not a DV or MRC file, or a pixel type without an order (complex, 4-bit).
    MalformedFileError
        The pixel data are shorter than the header says, or cannot be mapped to channels.
    """
    lay = _layout(model)
    per_piece = max(1, chunk_bytes // lay.dtype.itemsize)
    pieces = _pieces(lay, per_piece)
    n_workers = _workers(workers, len(pieces))
    results: list[_PieceStats | None] = [None] * len(pieces)
    if n_workers == 1:
        _reduce_pieces(lay, pieces, range(len(pieces)), results)
    else:
        _run_threads(lay, pieces, n_workers, results)
    n_channels = max(lay.channel_of_section) + 1
    acc = [_Accumulator() for _ in range(n_channels)]
    for piece, stats in zip(pieces, results, strict=True):
        if stats is not None and stats.samples:
            acc[piece.channel].add(stats.min, stats.max, stats.total, stats.samples)
    channels = []
    for index, a in enumerate(acc):
        mean = a.total / a.samples if a.samples else None
        wl = lay.wavelengths[index] if index < len(lay.wavelengths) else None
        channels.append(
            ChannelStats(
                index=index,
                wavelength_nm=wl,
                min=_finite(a.min),
                max=_finite(a.max),
                mean=_finite(mean),
                samples=a.samples,
            )
        )
    return IntensityScan(
        path=lay.path,
        reader=model.format,
        channels=channels,
        data_offset=lay.offset,
        data_bytes=lay.section_values * lay.n_sections * lay.dtype.itemsize,
        chunk_bytes=per_piece * lay.dtype.itemsize,
    )


@dataclass(frozen=True)
class _Piece:
    """A run of samples of one channel: ``count`` samples from byte ``offset`` of the file."""

    channel: int
    offset: int
    count: int


@dataclass(frozen=True)
class _PieceStats:
    min: Any
    max: Any
    total: Any
    samples: int


def _pieces(lay: _Layout, per_piece: int) -> list[_Piece]:
    """Cut the pixel data into pieces of at most ``per_piece`` samples, none across channels.

    Consecutive sections of the same channel form one run, so a piece may span sections (small
    images) or part of one (large images); the cut depends only on the layout and
    ``per_piece``, never on the number of workers.
    """
    item = lay.dtype.itemsize
    pieces: list[_Piece] = []
    first = 0
    while first < lay.n_sections:
        ch = lay.channel_of_section[first]
        end = first + 1
        while end < lay.n_sections and lay.channel_of_section[end] == ch:
            end += 1
        start = first * lay.section_values
        stop = end * lay.section_values
        for at in range(start, stop, per_piece):
            pieces.append(_Piece(ch, lay.offset + at * item, min(per_piece, stop - at)))
        first = end
    return pieces


MAX_WORKERS = 8
"""The most threads a scan starts by default (more rarely helps: memory bandwidth is shared)."""


def _workers(requested: int | None, n_pieces: int) -> int:
    if requested is not None and requested < 1:
        raise ValueError(f"workers must be at least 1, not {requested}")
    wanted = requested if requested is not None else min(os.cpu_count() or 1, MAX_WORKERS)
    return max(1, min(wanted, n_pieces))


def _run_threads(
    lay: _Layout,
    pieces: list[_Piece],
    n_workers: int,
    results: list[_PieceStats | None],
) -> None:
    """Reduce the pieces on ``n_workers`` threads, piece ``i`` on thread ``i % n_workers``."""
    import threading

    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            _reduce_pieces(lay, pieces, range(k, len(pieces), n_workers), results)
        except BaseException as exc:  # re-raised in the calling thread below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,), daemon=True) for k in range(n_workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def _reduce_pieces(
    lay: _Layout,
    pieces: list[_Piece],
    indices: range,
    results: list[_PieceStats | None],
) -> None:
    """Read each piece into this thread's buffer (or map it, see `_READ`) and reduce it."""
    fd = os.open(lay.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        if _READ:
            _read_pieces(fd, lay, pieces, indices, results)
        else:
            _map_pieces(fd, lay, pieces, indices, results)
    finally:
        os.close(fd)


_READ = hasattr(os, "preadv")
"""Read pieces with ``preadv`` into one buffer per thread (POSIX); else map each piece.

Mapping a piece, pre-faulting it and unmapping it changes the process's page tables each time:
threads of one process take turns at its memory-map lock, and each unmapping makes the other
CPUs drop their cached translations. Reading into a buffer that stays mapped costs one copy from
the page cache (what ``cat`` does) and none of that: measured on the 2 GiB bench file with 2
threads, see bench/performance_notes.md (intensity scan)."""


def _read_pieces(
    fd: int,
    lay: _Layout,
    pieces: list[_Piece],
    indices: range,
    results: list[_PieceStats | None],
) -> None:
    item = lay.dtype.itemsize
    native = lay.dtype.newbyteorder("=")
    if not indices:
        return
    size = max(pieces[i].count for i in indices) * item
    buf = bytearray(size)
    whole = np.frombuffer(buf, dtype=lay.dtype)
    view = memoryview(buf)
    for i in indices:
        piece = pieces[i]
        length = piece.count * item
        got = 0
        while got < length:
            try:
                n = os.preadv(fd, [view[got:length]], piece.offset + got)
            except OSError as exc:
                raise MalformedFileError(
                    f"the pixel data at bytes {piece.offset}-{piece.offset + length - 1} cannot "
                    f"be read: {exc.strerror or exc}",
                    path=lay.path,
                ) from exc
            if n == 0:
                raise MalformedFileError(
                    f"the pixel data end at byte {piece.offset + got}, before byte "
                    f"{piece.offset + length - 1} (the file was cut during the scan?)",
                    path=lay.path,
                )
            got += n
        block = whole[: piece.count]
        if not lay.dtype.isnative:
            block = block.byteswap(inplace=True).view(native)
        results[i] = _reduce(block)


def _map_pieces(
    fd: int,
    lay: _Layout,
    pieces: list[_Piece],
    indices: range,
    results: list[_PieceStats | None],
) -> None:
    """Map each piece of the file read-only, reduce it, and unmap it before the next."""
    item = lay.dtype.itemsize
    swap = not lay.dtype.isnative
    for i in indices:
        piece = pieces[i]
        start = piece.offset - piece.offset % mmap.ALLOCATIONGRANULARITY
        length = piece.offset + piece.count * item - start
        try:
            window = _map(fd, start, length)
        except (OSError, ValueError) as exc:
            raise MalformedFileError(
                f"the pixel data at bytes {piece.offset}-{start + length - 1} cannot be "
                f"mapped: {exc}",
                path=lay.path,
            ) from exc
        try:
            block = np.frombuffer(
                window, dtype=lay.dtype, count=piece.count, offset=piece.offset - start
            )
            results[i] = _reduce(
                block.byteswap().view(block.dtype.newbyteorder()) if swap else block
            )
            del block
        finally:
            window.close()


_POPULATE = getattr(mmap, "MAP_POPULATE", 0)


def _map(fd: int, start: int, length: int) -> mmap.mmap:
    """A read-only mapping of ``length`` bytes from ``start``, pre-faulted where Linux allows.

    ``MAP_POPULATE`` reads the whole window into the mapping in one system call instead of one
    page fault per 4 KiB page, which is most of the cost of a mapped scan on a warm cache.
    """
    if os.name == "posix":
        return mmap.mmap(
            fd, length, flags=mmap.MAP_SHARED | _POPULATE, prot=mmap.PROT_READ, offset=start
        )
    return mmap.mmap(fd, length, access=mmap.ACCESS_READ, offset=start)


def _reduce(block: np.ndarray[Any, Any]) -> _PieceStats | None:
    """Min, max, exact total and count of one piece (``None``: no finite sample)."""
    lo, hi = block.min(), block.max()
    if block.dtype.kind in "iu":
        return _PieceStats(int(lo), int(hi), _int_total(block, int(lo), int(hi)), block.size)
    if not (np.isfinite(lo) and np.isfinite(hi)):  # a NaN or an infinity: keep finite samples
        block = block[np.isfinite(block)]
        if not block.size:
            return None
        lo, hi = block.min(), block.max()
    total = float(np.add.reduce(block, dtype=np.float64))
    return _PieceStats(float(lo), float(hi), total, int(block.size))


_ROW = 1 << 16


def _int_total(block: np.ndarray[Any, Any], lo: int, hi: int) -> int:
    """The exact sum of integer samples, in 32-bit accumulators where they cannot overflow.

    A 64-bit accumulator makes numpy cast every sample (half the speed of a 32-bit one for
    16-bit data). Rows of ``_ROW`` samples are summed in 32 bits when ``_ROW × max|sample|``
    fits, which the piece's own min and max prove; the row sums are then added exactly.
    """
    bound = max(abs(lo), abs(hi), 1)
    if lo >= 0 and bound * _ROW <= 0xFFFFFFFF:
        acc: type[np.integer[Any]] = np.uint32
    elif bound * _ROW <= 0x7FFFFFFF:
        acc = np.int32
    else:
        return int(np.add.reduce(block, dtype=np.int64))
    full = block.size // _ROW * _ROW
    total = 0
    if full:
        rows = np.add.reduce(block[:full].reshape(-1, _ROW), axis=1, dtype=acc)
        total += int(np.add.reduce(rows, dtype=np.int64))
    if full < block.size:
        total += int(np.add.reduce(block[full:], dtype=np.int64))
    return total


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def intensity_candidates(scan: IntensityScan) -> list[Candidate]:
    """The ``raw.intensity_range`` candidate of a scan (it outranks the header's statistics)."""
    from clxm_meta.normalise.candidate import Candidate, Precedence
    from clxm_meta.records.fields import DatasetKind
    from clxm_meta.records.provenance import Source, SourceKind
    from clxm_meta.records.values import IntensityRange

    ranges = [
        IntensityRange(index=c.index, wavelength_nm=c.wavelength_nm, min=c.min, max=c.max)
        for c in scan.channels
    ]
    source = Source(
        kind=SourceKind.DERIVED,
        path=scan.path,
        reader=scan.reader,
        locator=scan.locator,
        transform=TRANSFORM,
    )
    return [
        Candidate(
            field="raw.intensity_range",
            kind=DatasetKind.SIM,
            value=ranges,
            source=source,
            precedence=Precedence.PIXELS,
        )
    ]
