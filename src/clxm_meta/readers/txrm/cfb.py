"""A fast, strict, read-only index of a well-formed OLE2 compound file (the TXRM container).

olefile builds a Python object for every directory entry, checks and logs each one: on a TXRM
with ~750 entries that is ~90 % of a metadata read. This module reads each field of the directory
as one column (a strided slice of the directory's little-endian words: no object per entry, and
no numpy, which ``inspect`` of a TXRM would otherwise import at start-up), walks the storage tree
with an explicit stack and reads only the streams asked for, following FAT / mini-FAT chains it
loads lazily (the FAT of a 2 GB file is 16 MB; only the few sectors a chain crosses are read).

It is deliberately strict: anything unusual (a header field off its fixed value, a sector index
out of the file, a cycle, an entry reached twice, a name that does not decode, two streams
starting at the same sector) raises `NotCanonical`, and the caller falls back to olefile, which
tolerates and reports such defects (``parsing_issues``). Canonical files — every file Xradia's
software and the usual writers produce — get the same index olefile gives, much faster.
"""

from __future__ import annotations

import sys
from array import array
from typing import BinaryIO

__all__ = ["MAGIC", "CompoundFile", "NotCanonical"]

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first 8 bytes of every compound file."""
_MAXREGSECT = 0xFFFFFFFA
_ENDOFCHAIN = 0xFFFFFFFE
_MINI_BLOCKS_KEPT = 256
"""Mini-stream sectors kept per file at most (1 MiB of 4,096-byte sectors)."""
_FREESECT = 0xFFFFFFFF
_NOSTREAM = 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5

_ENTRY_WORDS = 32
"""A directory entry is 128 bytes: 32 little-endian 32-bit words, 64 16-bit ones."""
_W_LEFT, _W_RIGHT, _W_CHILD, _W_START, _W_SIZE_LOW, _W_SIZE_HIGH = 17, 18, 19, 29, 30, 31
"""Word index of each 32-bit field within an entry (byte offset ÷ 4: 68, 72, 76, 116, 120, 124)."""
_H_NAME_LEN = 32
"""16-bit word index of the name length (byte 64)."""
_B_TYPE = 66
"""Byte offset of the entry type."""


def _words(raw: bytes, code: str) -> array[int]:
    """``raw`` as little-endian unsigned integers (``"H"``: 16-bit, ``"I"``: 32-bit)."""
    out = array(code)
    if out.itemsize != {"H": 2, "I": 4}[code]:  # pragma: no cover - no such platform in use
        raise NotCanonical("unusual C integer sizes")
    out.frombytes(raw[: len(raw) - len(raw) % out.itemsize])
    if sys.byteorder == "big":  # pragma: no cover - little-endian machines only in CI
        out.byteswap()
    return out


class NotCanonical(Exception):
    """The file is not a plain, well-formed compound file: let olefile handle it."""


class CompoundFile:
    """Stream index of an open compound file.

    Parameters
    ----------
    fh
        The file, opened in binary mode (it is read, never written).
    file_size
        Its size in bytes.
    max_depth
        Storages nested deeper than this are not indexed.
    """

    def __init__(self, fh: BinaryIO, file_size: int, *, max_depth: int) -> None:
        self._fh = fh
        self._size = file_size
        fh.seek(0)
        header = fh.read(512)
        if len(header) < 512 or header[:8] != MAGIC:
            raise NotCanonical("no compound-file header")
        h = _words(header, "H")
        w = _words(header, "I")
        minor, dll, order, shift, mini_shift = h[12:17]
        if order != 0xFFFE or mini_shift != 6 or (dll, shift) not in ((3, 9), (4, 12)):
            raise NotCanonical("header fields off their fixed values")
        if minor != 0x3E or any(header[8:24]) or any(header[34:40]):
            raise NotCanonical("reserved header fields not zero")
        n_dir, n_fat, first_dir = w[10], w[11], w[12]
        cutoff, first_minifat, n_minifat = w[14], w[15], w[16]
        first_difat, n_difat = w[17], w[18]
        if cutoff != 4096 or (dll == 3 and n_dir != 0):
            raise NotCanonical("unusual mini-stream cut-off or directory count")
        self._ssz = 1 << shift
        self._n_sectors = max(0, (file_size - self._ssz) // self._ssz + 1)
        self._per_fat = self._ssz // 4
        self._fat_sectors = self._difat(w[19:128], first_difat, n_difat, n_fat)
        self._fat_cache: dict[int, array[int]] = {}
        raw_dir = self._directory(first_dir)
        if len(raw_dir) % 128:  # pragma: no cover - sectors are whole entries (512 or 4096 bytes)
            raise NotCanonical("directory not a whole number of entries")
        words, halves = _words(raw_dir, "I"), _words(raw_dir, "H")
        self._raw_dir = raw_dir
        self._type: list[int] = list(raw_dir[_B_TYPE::128])
        self._left: list[int] = words[_W_LEFT::_ENTRY_WORDS].tolist()
        self._right: list[int] = words[_W_RIGHT::_ENTRY_WORDS].tolist()
        self._child: list[int] = words[_W_CHILD::_ENTRY_WORDS].tolist()
        self._start: list[int] = words[_W_START::_ENTRY_WORDS].tolist()
        self._low: list[int] = words[_W_SIZE_LOW::_ENTRY_WORDS].tolist()
        self._high: list[int] = words[_W_SIZE_HIGH::_ENTRY_WORDS].tolist()
        self._name_len: list[int] = halves[_H_NAME_LEN :: 2 * _ENTRY_WORDS].tolist()
        if self._type[0] != _ROOT:
            raise NotCanonical("first directory entry is not the root")
        self._mini_start = self._start[0]
        self._mini_size = self._entry_size(0)
        self._first_minifat, self._n_minifat = first_minifat, n_minifat
        self._minifat: array[int] | None = None
        self._mini_sectors: list[int] | None = None
        self._mini_blocks: dict[int, bytes] = {}
        """Sectors of the mini stream read so far, by their index in it (see `_read_mini`)."""
        self.sizes: dict[str, int] = {}
        self.starts: dict[str, int] = {}
        self.storages: set[str] = set()
        self._index(max_depth)

    # -- sectors and chains ---------------------------------------------------------------
    def _sector(self, index: int) -> bytes:
        if index >= self._n_sectors:
            raise NotCanonical("sector beyond the end of the file")
        self._fh.seek((index + 1) * self._ssz)
        data = self._fh.read(self._ssz)
        if len(data) != self._ssz:
            raise NotCanonical("short sector")
        return data

    def _difat(self, head: array[int], first: int, count: int, n_fat: int) -> list[int]:
        out = head.tolist()
        nxt, seen = first, 0
        while seen < count:
            if nxt > _MAXREGSECT:
                raise NotCanonical("DIFAT chain ends early")
            raw = _words(self._sector(nxt), "I")
            out.extend(raw[:-1])
            nxt = raw[-1]
            seen += 1
        fat = out[:n_fat]
        if len(fat) < n_fat or any(s > _MAXREGSECT for s in fat):
            raise NotCanonical("FAT sector list incomplete")
        if any(s != _FREESECT for s in out[n_fat:]):
            raise NotCanonical("DIFAT holds entries beyond the FAT count")
        return fat

    def _next(self, sector: int) -> int:
        page, slot = divmod(sector, self._per_fat)
        table = self._fat_cache.get(page)
        if table is None:
            if page >= len(self._fat_sectors):
                raise NotCanonical("FAT too short for the chain")
            table = _words(self._sector(self._fat_sectors[page]), "I")
            self._fat_cache[page] = table
        return table[slot]

    def _chain(self, start: int, limit: int) -> list[int]:
        """Sector indices of a FAT chain (at most ``limit``); cycles and bad links raise."""
        out: list[int] = []
        sector = start
        while sector != _ENDOFCHAIN:
            if sector > _MAXREGSECT or len(out) >= limit:
                raise NotCanonical("broken or cyclic FAT chain")
            out.append(sector)
            sector = self._next(sector)
        return out

    def _directory(self, first: int) -> bytes:
        sectors = self._chain(first, self._n_sectors)
        raw = b"".join(self._sector(s) for s in sectors)
        if not raw:
            raise NotCanonical("empty directory")
        return raw

    def _entry_size(self, sid: int) -> int:
        low, high = self._low[sid], self._high[sid]
        if self._ssz == 512:
            if high != 0:
                raise NotCanonical("size high word set in a version-3 file")
            return low
        return low | (high << 32)

    # -- the storage tree -------------------------------------------------------------------
    def _name(self, sid: int) -> str:
        n = self._name_len[sid]
        if n < 2 or n > 64 or n % 2:
            raise NotCanonical("bad directory-entry name length")
        raw = self._raw_dir[128 * sid : 128 * sid + n - 2]
        try:
            name = raw.decode("utf-16-le")
        except UnicodeDecodeError:
            raise NotCanonical("directory-entry name is not UTF-16") from None
        if "\x00" in name:
            raise NotCanonical("NUL inside a directory-entry name")
        return name

    def _kids(self, child: int, used: set[int]) -> list[int]:
        """Entries of one storage (its red-black tree of siblings), each reached once."""
        out: list[int] = []
        stack = [child]
        n = len(self._type)
        while stack:
            sid = stack.pop()
            if sid == _NOSTREAM:
                continue
            if sid >= n or sid in used or sid == 0:
                raise NotCanonical("sibling link out of range or reached twice")
            used.add(sid)
            if self._type[sid] not in (_STORAGE, _STREAM):
                raise NotCanonical("unexpected entry type in a storage")
            out.append(sid)
            stack.append(self._left[sid])
            stack.append(self._right[sid])
        return out

    def _index(self, max_depth: int) -> None:
        used: set[int] = {0}
        starts: set[tuple[bool, int]] = set()
        self._walk(self._child[0], "", 0, max_depth, used, starts)

    def _walk(
        self,
        child: int,
        prefix: str,
        depth: int,
        max_depth: int,
        used: set[int],
        starts: set[tuple[bool, int]],
    ) -> None:
        """Pre-order walk, kids sorted by name: olefile's order, so `sizes` lists the same."""
        if depth > max_depth:
            return
        kids = sorted(
            ((self._name(sid), sid) for sid in self._kids(child, used)),
            key=lambda pair: pair[0],
        )
        for name, sid in kids:
            full = f"{prefix}{name}"
            if self._type[sid] == _STREAM:
                size = self._entry_size(sid)
                start = self._start[sid]
                if size:
                    key = (size < 4096, start)
                    if key in starts:
                        raise NotCanonical("two streams start at the same sector")
                    starts.add(key)
                self.sizes[full] = size
                self.starts[full] = start
            else:
                self.storages.add(full.lower())
                self._walk(self._child[sid], f"{full}/", depth + 1, max_depth, used, starts)

    # -- reading streams --------------------------------------------------------------------
    def read(self, name: str) -> bytes:
        """The whole stream ``name`` (as spelled in `sizes`)."""
        size, start = self.sizes[name], self.starts[name]
        if size == 0:
            return b""
        if size < 4096:
            return self._read_mini(start, size)
        sectors = self._chain(start, size // self._ssz + 1)
        data = b"".join(self._sector(s) for s in sectors)
        if len(data) < size:
            raise NotCanonical("stream shorter than its size")
        return data[:size]

    def _read_mini(self, start: int, size: int) -> bytes:
        if self._minifat is None or self._mini_sectors is None:
            sectors = self._chain(self._first_minifat, max(self._n_minifat, 0) + 1)
            minifat = _words(b"".join(self._sector(s) for s in sectors), "I")
            mini_sectors = self._chain(self._mini_start, self._mini_size // self._ssz + 1)
            self._minifat, self._mini_sectors = minifat, mini_sectors
        out = bytearray()
        sector, count = start, 0
        limit = size // 64 + 1
        while sector != _ENDOFCHAIN:
            if sector > _MAXREGSECT or sector >= len(self._minifat) or count >= limit:
                raise NotCanonical("broken mini-FAT chain")
            offset = sector * 64
            big, within = divmod(offset, self._ssz)
            if big >= len(self._mini_sectors) or offset + 64 > self._mini_size:
                raise NotCanonical("mini sector beyond the mini stream")
            # a sector holds 8 (or 64) mini sectors, mostly of the same few streams: each is
            # read once per file, not once per 64 bytes (two system calls each)
            block = self._mini_blocks.get(big)
            if block is None:
                if len(self._mini_blocks) >= _MINI_BLOCKS_KEPT:
                    self._mini_blocks.clear()
                block = self._mini_blocks[big] = self._sector(self._mini_sectors[big])
            out += block[within : within + 64]
            sector = self._minifat[sector]
            count += 1
        if len(out) < size:
            raise NotCanonical("mini stream shorter than its size")
        return bytes(out[:size])
