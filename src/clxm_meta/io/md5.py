"""Whole-file MD5, streamed: the manifest (checks) and attached-file records (dataset) share it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

__all__ = ["CHUNK_SIZE", "FileChangedError", "md5_file"]


CHUNK_SIZE = 4 * 1024 * 1024
"""Bytes read per chunk."""

SMALL_BUFFER = 64 * 1024
"""The least buffer: a file smaller than `CHUNK_SIZE` is read with a buffer of its size + 1, but
at least this."""


class FileChangedError(OSError):
    """The file changed while it was hashed (still being written or copied): the digest is void."""


def md5_file(
    path: str | os.PathLike[str],
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
) -> str:
    """MD5 hex digest of a file, streamed in chunks of ``chunk_size`` bytes (`OSError` on failure).

    ``on_chunk(n)`` is called after each chunk of ``n`` bytes (for a progress display).

    Raises `FileChangedError` when the size or modification time after the read differ from
    before it, or the bytes read differ from the size: a file still being written would otherwise
    get a checksum that ``md5sum -c`` then fails.
    """
    digest = hashlib.md5(usedforsecurity=False)
    total = 0
    with open(path, "rb", buffering=0) as fh:
        before = os.fstat(fh.fileno())
        # a small file gets a small buffer: zeroing 4 MiB per file cost more than hashing
        # the 11 small files of a sample (the end is still found by a read that returns 0)
        buf = bytearray(max(1, min(chunk_size, max(before.st_size + 1, SMALL_BUFFER))))
        view = memoryview(buf)
        while True:
            n = fh.readinto(buf)
            if not n:
                break
            total += n
            digest.update(view[:n])
            if on_chunk is not None:
                on_chunk(n)
            if total > before.st_size:  # growing: stop now (a live log would never end)
                break
        after = os.fstat(fh.fileno())
    if (
        total != before.st_size
        or after.st_size != before.st_size
        or after.st_mtime_ns != before.st_mtime_ns
    ):
        raise FileChangedError(
            f"the file changed while it was checksummed ({before.st_size} bytes before, "
            f"{after.st_size} after, {total} read): it is probably still being written or copied"
        )
    return digest.hexdigest()
