"""The offsets of every IFD of a TIFF file, read from the chain's next-IFD pointers alone.

``len(TiffFile.pages)`` reads every IFD's whole tag list through tifffile's file handle (~4 µs a
page): for a 2 GiB OME-TIFF of 256 planes that is most of the read. This walk reads the same
pointers from 4 KiB blocks and, where IFDs follow each other at a fixed stride (tifffile and
txrm2tiff write them together after the pixels), checks a whole run of them at once with numpy
(`_run`). It answers only for a *regular* chain, one where tifffile's walk logs
nothing: every entry count is readable and at most 4096, every next-IFD offset is readable and
inside the file, no offset repeats, and the chain ends with 0 within ``limit`` pages. For anything
else it gives ``None`` and the caller asks tifffile, whose walk and log messages then stand as
before. On a regular chain both give the same offsets.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from typing import Any

__all__ = ["BLOCK", "MAX_WALK", "RUN_BLOCK", "chain_loop", "ifd_offsets"]

_Unpack = Callable[..., tuple[Any, ...]]

BLOCK = 4096
"""Bytes read at a time."""

RUN_BLOCK = 64 * 1024
"""Most bytes read at a time along a run of IFDs written back to back."""

_FIRST_RUN = 16
"""IFDs read at the start of a run (twice as many each time a run fills its read, up to
`_MAX_RUN`): a chain whose IFDs only sometimes follow each other is not read 64 KiB a step."""
_MAX_RUN = 4096

_MAX_TAGS = 4096
"""tifffile's limit on the entries of one IFD (more: it logs a corrupted tag list)."""


def _layout(byteorder: str, bigtiff: bool) -> tuple[int, int, int, _Unpack, _Unpack]:
    """Sizes of an IFD's entry count, entry and next-IFD offset, and unpackers of count and offset."""
    if bigtiff:
        count_fmt, count_size, entry_size, offset_fmt, offset_size = "Q", 8, 20, "Q", 8
    else:
        count_fmt, count_size, entry_size, offset_fmt, offset_size = "H", 2, 12, "I", 4
    return (
        count_size,
        entry_size,
        offset_size,
        struct.Struct(byteorder + count_fmt).unpack_from,
        struct.Struct(byteorder + offset_fmt).unpack_from,
    )


def ifd_offsets(
    path: str | os.PathLike[str],
    first: int,
    size: int,
    *,
    byteorder: str,
    bigtiff: bool,
    limit: int,
) -> list[int] | None:
    """Offsets of the IFDs chained from ``first``, or ``None`` when the chain is not regular.

    Parameters
    ----------
    path
        The file (opened read-only here).
    first
        Offset of the first IFD (as tifffile found it in the header).
    size
        The file's size in bytes.
    byteorder
        ``"<"`` or ``">"``.
    bigtiff
        BigTIFF layout (8-byte entry counts and offsets, 20-byte entries) or classic.
    limit
        Most IFDs walked; a longer chain gives ``None``.
    """
    count_size, entry_size, offset_size, count_unpack, offset_unpack = _layout(byteorder, bigtiff)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        buf = b""
        start = 0  # file offset of buf[0]
        offsets = [first]
        seen = {first}
        offset = first
        run_length = _FIRST_RUN
        while True:
            head = offset + count_size
            if not (start <= offset and head <= start + len(buf)):
                buf, start = os.pread(fd, BLOCK, offset), offset
            if head > start + len(buf):
                return None  # entry count not readable
            tagno = count_unpack(buf, offset - start)[0]
            if tagno > _MAX_TAGS:
                return None
            pointer = head + tagno * entry_size
            end = pointer + offset_size
            if end > start + len(buf):
                buf, start = os.pread(fd, max(BLOCK, end - pointer), pointer), pointer
                if end > start + len(buf):
                    return None  # next-IFD offset not readable
            here, offset = offset, offset_unpack(buf, pointer - start)[0]
            if offset == 0:
                return offsets
            if offset >= size or offset in seen or len(offsets) >= limit:
                return None
            offsets.append(offset)
            seen.add(offset)
            if end <= offset <= here + BLOCK:  # the next IFD follows closely: maybe a run
                most = min(run_length, limit - len(offsets))
                run = _run(fd, offset, offset - here, tagno, byteorder, bigtiff, most)
                # a run that filled its read may go on: read twice as many next time
                run_length = min(2 * run_length, _MAX_RUN) if len(run) == most - 1 else _FIRST_RUN
                if run and seen.isdisjoint(run):
                    offsets.extend(run)
                    seen.update(run)
                    offset = run[-1]
    except OSError:
        return None
    finally:
        os.close(fd)


def _run(
    fd: int, at: int, stride: int, tagno: int, byteorder: str, bigtiff: bool, most: int
) -> list[int]:
    """Offsets of the IFDs that follow the one at ``at`` every ``stride`` bytes.

    ``stride`` is how far the IFD at ``at`` lies from the one before it, and every IFD of the run
    has that one's ``tagno`` entries (tifffile writes each IFD followed by its values). At most ``most`` IFDs (the one at ``at`` included) are read. The IFD at ``at`` itself is not
    among those returned; the last one returned is one whose next-IFD pointer the caller reads (it
    may end the chain or leave the run). Read in one block and checked with numpy (loaded with
    tifffile already), so a run of thousands of IFDs costs what a few do in Python.
    """
    import numpy as np

    count_size, entry_size, offset_size = (8, 20, 8) if bigtiff else (2, 12, 4)
    pointer = count_size + tagno * entry_size
    n = min(most, max(2, RUN_BLOCK // stride))
    if n < 2 or stride < pointer + offset_size:
        return []
    data = os.pread(fd, n * stride, at)
    n = (len(data) + stride - pointer - offset_size) // stride  # the last IFD needs no padding
    if n < 2:
        return []
    unsigned = "u8" if bigtiff else "u4"
    layout = np.dtype(
        {
            "names": ["count", "next"],
            "formats": [byteorder + ("u8" if bigtiff else "u2"), byteorder + unsigned],
            "offsets": [0, pointer],
            "itemsize": stride,
        }
    )
    # frombuffer wants whole items: the last IFD's padding may be missing, a partial IFD dropped
    data = data[: n * stride] + bytes(max(0, n * stride - len(data)))
    ifds = np.frombuffer(data, dtype=layout, count=n)
    here = at + stride * np.arange(n, dtype=np.uint64)
    chained = (ifds["count"] == tagno) & (ifds["next"].astype(np.uint64) == here + stride)
    # IFD k (k < n - 1) is followed by IFD k + 1 when ``chained[k]``: the run is the IFDs reached
    # through an unbroken prefix of such links.
    broken = np.flatnonzero(~chained)
    links = min(int(broken[0]) if broken.size else n - 1, n - 1)
    return [int(o) for o in here[1 : links + 1].tolist()]


MAX_WALK = 1_000_000
"""Most IFDs `chain_loop` follows (a TIFF with more pages is not a microscope's metadata)."""


def chain_loop(
    path: str | os.PathLike[str],
    first: int,
    size: int,
    *,
    byteorder: str,
    bigtiff: bool,
    cap: int = MAX_WALK,
) -> tuple[int, int] | None:
    """``(ifds walked, offset)`` when the chain from ``first`` comes back to an IFD it has passed.

    tifffile looks for such a loop only once, when it reaches its 100th IFD: a chain that loops
    back anywhere else makes ``len(TiffFile.pages)`` (and the series) run forever, holding an
    ever longer list. This walk follows the next-IFD pointers only (the entry count and the
    pointer, no tags) and stops where tifffile would stop too (an unreadable count or pointer, an
    offset past the end, 0). A chain longer than ``cap`` counts as a loop: no reader should
    follow it.
    """
    count_size, entry_size, offset_size, count_unpack, offset_unpack = _layout(byteorder, bigtiff)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        seen = {first}
        offset = first
        while True:
            head = os.pread(fd, count_size, offset)
            if len(head) < count_size:
                return None
            tagno = count_unpack(head)[0]
            if tagno > _MAX_TAGS:
                return None
            raw = os.pread(fd, offset_size, offset + count_size + tagno * entry_size)
            if len(raw) < offset_size:
                return None
            offset = offset_unpack(raw)[0]
            if offset == 0 or offset >= size:
                return None
            if offset in seen or len(seen) >= cap:
                return len(seen), offset
            seen.add(offset)
    except OSError:
        return None
    finally:
        os.close(fd)
