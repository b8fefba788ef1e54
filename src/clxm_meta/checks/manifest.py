"""MD5 manifest of the files to upload (EMPIAR and BioStudies compare MD5s after upload).

Files are hashed in bounded chunks (never loaded whole), several at a time in a thread pool
(hashlib releases the GIL on large buffers, so threads hash on every core and overlap disk reads).
One file is hashed at the speed of ``md5sum`` (both use an assembler MD5; see docs/performance.md). The manifest
is ``md5sum``-compatible: ``<32 hex digits><two spaces><path relative to the root>`` per line,
sorted by path, so ``md5sum -c md5.txt`` run from the root checks it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from clxm_meta.findings import Finding, Severity
from clxm_meta.io.md5 import FileChangedError, md5_file

__all__ = [
    "ManifestEntry",
    "ManifestProgress",
    "compute_manifest",
    "format_manifest",
]


class ManifestProgress(Protocol):
    """Receives progress while a manifest is computed; called from the hashing threads."""

    def advance(self, nbytes: int) -> None:
        """``nbytes`` more bytes were hashed."""
        ...

    def file_done(self) -> None:
        """One more file was hashed (or failed)."""
        ...


@dataclass(frozen=True)
class ManifestEntry:
    """One manifest line: relative path, size and MD5 (``None`` when the file could not be read)."""

    rel: str
    size: int | None
    md5: str | None


def _one(
    item: tuple[str, str], progress: ManifestProgress | None = None
) -> tuple[ManifestEntry, Finding | None]:
    rel, path = item
    try:
        size = os.path.getsize(path)
        return ManifestEntry(
            rel, size, md5_file(path, on_chunk=progress.advance if progress else None)
        ), None
    except FileChangedError as exc:
        finding = Finding.make(
            "manifest.changed",
            Severity.ERROR,
            f"{exc}; it is left out of the manifest: checksum it again once it is complete",
            path=path,
        )
        return ManifestEntry(rel, None, None), finding
    except OSError as exc:
        finding = Finding.make(
            "manifest.unreadable",
            Severity.ERROR,
            f"cannot read the file to checksum it: {exc.strerror or exc}",
            path=path,
        )
        return ManifestEntry(rel, None, None), finding
    finally:
        if progress is not None:
            progress.file_done()


def compute_manifest(
    files: Iterable[tuple[str, str]],
    *,
    workers: int | None = None,
    progress: ManifestProgress | None = None,
) -> tuple[list[ManifestEntry], list[Finding]]:
    """Checksum ``files`` in parallel.

    Parameters
    ----------
    files
        ``(relative path, path to open)`` pairs.
    workers
        Thread count (default: ``min(4, cpu count)``; on a 2-core machine with files in the page
        cache one thread already hashes ~300-450 MB/s, so more threads mainly help on slow or
        network storage, where they overlap reads).
    progress
        Told of every hashed chunk and finished file (see `ManifestProgress`); it must be
        thread-safe.
    """
    items = sorted(files)
    n = workers or max(1, min(4, os.cpu_count() or 1))
    entries: list[ManifestEntry] = []
    findings: list[Finding] = []
    if not items:
        return entries, findings
    with ThreadPoolExecutor(max_workers=max(1, min(n, len(items)))) as pool:
        for entry, finding in pool.map(lambda item: _one(item, progress), items):
            entries.append(entry)
            if finding is not None:
                findings.append(finding)
    return entries, findings


def format_manifest(entries: Sequence[ManifestEntry]) -> str:
    """The md5sum-compatible text of a manifest (unreadable files left out)."""
    lines = []
    for e in entries:
        if e.md5 is None:
            continue
        name = e.rel
        if "\\" in name or "\n" in name:
            # md5sum escapes such names with a leading backslash
            name = name.replace("\\", "\\\\").replace("\n", "\\n")
            lines.append(f"\\{e.md5}  {name}")
        else:
            lines.append(f"{e.md5}  {name}")
    return "".join(line + "\n" for line in lines)
