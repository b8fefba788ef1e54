"""Bounded, case-insensitive access to the streams of an OLE2 compound file.

`OleStreams` indexes every stream once (name → size, from the directory entries alone) and reads
only the small streams it is asked for, refusing any stream larger than `MAX_META_STREAM` or than
the file itself. Pixel streams are never opened: their presence and size come from the directory.

A well-formed file is indexed by `clxm_meta.readers.txrm.cfb` (one pass over the directory,
several times faster than olefile on a ~750-entry TXRM); anything unusual falls back to olefile,
which tolerates and reports the defects, so such files read exactly as before. olefile (and the
``logging`` it sets up) is imported only for such a fallback.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from clxm_meta.errors import MalformedFileError, UnsupportedFormatError
from clxm_meta.readers.txrm.cfb import MAGIC, CompoundFile, NotCanonical

__all__ = ["MAX_META_STREAM", "OleStreams", "open_ole"]

MAX_META_STREAM = 8 * 1024 * 1024
"""Largest stream the reader opens (per-image arrays of 100 000 images are 400 kB)."""

MAX_DEPTH = 32
"""Deepest storage nesting indexed (real files nest 4 levels)."""

_STORAGE = 1
_STREAM = 2


class OleStreams:
    """Index of the streams of an open `olefile.OleFileIO`, looked up case-insensitively.

    Parameters
    ----------
    ole
        The open compound file.
    path
        The file, for error messages.
    file_size
        Size of the file in bytes; no stream larger than this is read.
    """

    def __init__(
        self, ole: Any, path: str, file_size: int, *, cfb: CompoundFile | None = None
    ) -> None:
        self._ole = ole
        self._cfb = cfb
        self.path = path
        self.file_size = file_size
        self.sizes: dict[str, int] = {}
        """Stream name as spelled in the file → size in bytes."""
        self.storages: set[str] = set()
        """Storage names, lower case."""
        self._lower: dict[str, str] = {}
        if cfb is not None:
            self.sizes = dict(cfb.sizes)
            self.storages = set(cfb.storages)
            for name in self.sizes:
                self._lower.setdefault(name.lower(), name)
        else:
            self._walk(ole.root, "", 0, set())

    def _walk(self, node: Any, prefix: str, depth: int, seen: set[int]) -> None:
        if depth > MAX_DEPTH:
            return
        for kid in getattr(node, "kids", []) or []:
            sid = int(getattr(kid, "sid", -1))
            if sid in seen:
                continue
            seen.add(sid)
            name = f"{prefix}{kid.name}"
            if kid.entry_type == _STREAM:
                self.sizes[name] = int(kid.size)
                self._lower.setdefault(name.lower(), name)
            elif kid.entry_type == _STORAGE:
                self.storages.add(name.lower())
                self._walk(kid, f"{name}/", depth + 1, seen)

    def find(self, *names: str) -> str | None:
        """Return the file's spelling of the first of ``names`` present (any case), or ``None``."""
        for name in names:
            hit = self._lower.get(name.lower())
            if hit is not None:
                return hit
        return None

    def has_storage(self, name: str) -> bool:
        """True when the storage ``name`` exists (any case)."""
        return name.lower() in self.storages

    def read(self, name: str) -> bytes:
        """Read a whole metadata stream (bounded by `MAX_META_STREAM` and the file size).

        Raises
        ------
        MalformedFileError
            The stream is too large for a metadata stream, or olefile cannot read it.
        """
        size = self.sizes[name]
        if size > MAX_META_STREAM or size > self.file_size:
            raise MalformedFileError(
                "stream declares a size larger than a metadata stream can be",
                path=self.path,
                field=name,
                found=size,
            )
        if self._cfb is not None:
            try:
                return self._cfb.read(name)
            except (NotCanonical, ValueError, IndexError, OSError):
                pass  # an odd chain: read it through olefile, as before
        try:
            with self._olefile().openstream(name) as stream:
                data: bytes = stream.read(size)
        except Exception as exc:  # olefile raises many types on corrupt chains
            raise MalformedFileError(
                f"cannot read stream: {exc}", path=self.path, field=name
            ) from exc
        return data

    def _olefile(self) -> Any:
        """The olefile handle (opened on first need when the fast index was used)."""
        if self._ole is None:
            import olefile

            self._ole = olefile.OleFileIO(self.path)
        return self._ole

    def close(self) -> None:
        """Close the olefile handle, if one was opened."""
        if self._ole is not None:
            self._ole.close()

    @property
    def parsing_issues(self) -> list[str]:
        """Defects olefile noticed and tolerated while opening the file.

        None for a file the strict fast index accepted.
        """
        return [str(msg) for _, msg in getattr(self._ole, "parsing_issues", [])]


@contextmanager
def open_ole(path: str | os.PathLike[str], file_size: int) -> Iterator[OleStreams]:
    """Open ``path`` read-only as a compound file and index its streams.

    Raises
    ------
    UnsupportedFormatError
        Not an OLE2 compound file.
    MalformedFileError
        An OLE2 file whose header, FAT or directory olefile cannot parse.
    """
    spath = os.fspath(path)
    with open(spath, "rb") as fh:
        head = fh.read(8)
        if head != MAGIC:
            raise UnsupportedFormatError(
                "not an OLE2 compound file (no D0CF11E0 signature)", path=spath
            )
        try:
            cfb: CompoundFile | None = CompoundFile(fh, file_size, max_depth=MAX_DEPTH)
        except (NotCanonical, ValueError, IndexError, OverflowError, MemoryError):
            cfb = None
        if cfb is not None:
            fast = OleStreams(None, spath, file_size, cfb=cfb)
            try:
                yield fast
            finally:
                fast.close()
            return
        fh.seek(0)
        import olefile

        try:
            ole = olefile.OleFileIO(fh)
        except (
            Exception
        ) as exc:  # olefile raises OSError, OleFileError, struct.error, IndexError...
            raise MalformedFileError(
                f"corrupt OLE2 compound file: {exc or type(exc).__name__}", path=spath
            ) from exc
        try:
            try:
                streams = OleStreams(ole, spath, file_size)
            except (RecursionError, AttributeError, TypeError, ValueError) as exc:
                raise MalformedFileError(
                    f"corrupt OLE2 directory: {exc or type(exc).__name__}", path=spath
                ) from exc
            yield streams
        finally:
            ole.close()
