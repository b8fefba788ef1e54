"""Whole-file MD5, streamed: the manifest (checks) and attached-file records (dataset) share it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

__all__ = ["CHUNK_SIZE", "md5_file"]


CHUNK_SIZE = 4 * 1024 * 1024
"""Bytes read per chunk."""


def md5_file(
    path: str | os.PathLike[str],
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
) -> str:
    """MD5 hex digest of a file, streamed in chunks of ``chunk_size`` bytes (`OSError` on failure).

    ``on_chunk(n)`` is called after each chunk of ``n`` bytes (for a progress display).
    """
    digest = hashlib.md5(usedforsecurity=False)
    buf = bytearray(chunk_size)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as fh:
        while True:
            n = fh.readinto(buf)
            if not n:
                break
            digest.update(view[:n])
            if on_chunk is not None:
                on_chunk(n)
    return digest.hexdigest()
