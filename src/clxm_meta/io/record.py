"""The record of what clxm-meta wrote: the proof of ownership ``--force`` relies on.

Every folder a command writes (``deposit -o OUTDIR``, ``export biostudies|ome -o DIR``) holds
`RECORD_NAME`, a small JSON file listing every entry the command put there: for a regular file its
relative path, size and SHA-256; for a symbolic link its target (never followed, never hashed); for
a folder its path. It is computed by walking the finished staging folder just before it is moved
into place, so whatever other code added to the staging folder is recorded too.

``--force`` replaces a folder only when everything in it is in its record and unchanged
(`foreign_entries` is empty): a file the user added, a file of ours the user edited, or any entry
that is neither a regular file, a link nor a folder (a FIFO, a device) keeps the folder as it is.

A single output file (``report -o report.html``) is recorded in the record of the folder it lies
in (`record_file`); `file_is_ours` accepts it when that record lists it unchanged, or when its first
bytes hold one of our markers (files written before records existed).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MARKERS",
    "RECORD_FORMAT",
    "RECORD_NAME",
    "Entry",
    "file_is_ours",
    "foreign_entries",
    "read_head",
    "read_record",
    "record_bytes",
    "record_file",
    "walk_entries",
]

RECORD_NAME = ".clxm-record.json"
"""File name of the record, at the top of the folder it describes."""

RECORD_FORMAT = "clxm-meta output record 1"
"""Value of the record's ``format`` key: a JSON file that lacks it is not a record."""

MAX_RECORD_BYTES = 64 * 1024 * 1024
"""A record larger than this is not read (not one of ours: a record line is ~150 bytes)."""

MARKERS: tuple[bytes, ...] = (
    b"clxm-meta deposit",  # README.txt of a deposit
    b"# clxm_meta depositor sidecar",  # the sidecar template
    b'<meta name="generator" content="clxm-meta',  # the HTML report
)
"""Bytes that, found in the first `MARKER_WINDOW` bytes of a file, show clxm-meta wrote it."""

MARKER_WINDOW = 4096

_CHUNK = 1 << 20

READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
"""How a file of ours is opened to be read: never through a link, never waiting on a FIFO."""


def read_head(path: str, most: int, *, max_size: int | None = None) -> bytes | None:
    """The first ``most`` bytes of the regular file ``path``, opened with `READ_FLAGS`.

    None when it cannot be opened or read, is not a regular file (a link, a FIFO, a folder), or
    is larger than ``max_size`` bytes.
    """
    try:
        fd = os.open(path, READ_FLAGS)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (max_size is not None and st.st_size > max_size):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(most)
    except OSError:
        return None
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Entry:
    """One entry of a written folder."""

    path: str
    """Relative path, ``/``-separated."""
    kind: str
    """``file``, ``link`` or ``dir``; anything else is ``other`` (never recorded)."""
    size: int | None = None
    sha256: str | None = None
    target: str | None = None
    """The link's target, as stored in the link."""

    def as_json(self) -> dict[str, Any]:
        """The record's form of the entry (only the keys that apply)."""
        out: dict[str, Any] = {"path": self.path, "kind": self.kind}
        if self.kind == "file":
            out["size"] = self.size
            out["sha256"] = self.sha256
        elif self.kind == "link":
            out["target"] = self.target
        return out


def file_sha256(path: str) -> str | None:
    """SHA-256 of a regular file, opened without following a link; None when it cannot be read."""
    found = _file_digest(path)
    return None if found is None else found[1]


def _entry(full: str, rel: str, *, hash_files: bool = True) -> Entry:
    st = os.lstat(full)
    if stat.S_ISLNK(st.st_mode):
        return Entry(rel, "link", target=os.readlink(full))
    if stat.S_ISDIR(st.st_mode):
        return Entry(rel, "dir")
    if stat.S_ISREG(st.st_mode):
        digest = file_sha256(full) if hash_files else None
        return Entry(rel, "file", size=st.st_size, sha256=digest)
    return Entry(rel, "other")


def _file_digest(path: str) -> tuple[int, str] | None:
    """Size and SHA-256 of a regular file, read through one descriptor (links not followed).

    None when it cannot be read or is not a regular file.
    """
    try:
        fd = os.open(path, READ_FLAGS)
    except OSError:
        return None
    digest = hashlib.sha256()
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        while chunk := os.read(fd, _CHUNK):
            digest.update(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return st.st_size, digest.hexdigest()


def _dir_entry(item: os.DirEntry[str], rel: str, *, hash_files: bool) -> Entry:
    """`_entry` of an entry listed by ``scandir``, with fewer system calls.

    Its kind comes from the listing (``d_type``; ``DirEntry`` calls ``lstat`` itself where the
    file system does not say), so a link or a folder costs no ``lstat``, and a hashed file takes
    its size from the descriptor it is read through.
    """
    if item.is_symlink():
        return Entry(rel, "link", target=os.readlink(item.path))
    if item.is_dir(follow_symlinks=False):
        return Entry(rel, "dir")
    if item.is_file(follow_symlinks=False):
        read = _file_digest(item.path) if hash_files else None
        if read is not None:
            return Entry(rel, "file", size=read[0], sha256=read[1])
        st = item.stat(follow_symlinks=False)
        if stat.S_ISREG(st.st_mode):
            return Entry(rel, "file", size=st.st_size, sha256=None)
        return _entry(item.path, rel, hash_files=hash_files)  # changed since it was listed
    return Entry(rel, "other")


def walk_entries(
    folder: str,
    *,
    hash_files: bool = True,
    exclude: frozenset[str] = frozenset(),
    prune: Callable[[Entry], bool] | None = None,
) -> Iterator[Entry]:
    """Every entry under ``folder`` (not the record itself), links not followed, in path order.

    ``exclude`` names top-level entries to leave out (the staging marker); a folder for which
    ``prune`` is true is yielded but not entered.
    """

    def walk(rel: str) -> Iterator[Entry]:
        full = os.path.join(folder, *rel.split("/")) if rel else folder
        with os.scandir(full) as it:
            found = sorted(it, key=lambda e: e.name)
        for item in found:
            sub = f"{rel}/{item.name}" if rel else item.name
            if sub == RECORD_NAME or sub in exclude:
                continue
            entry = _dir_entry(item, sub, hash_files=hash_files)
            yield entry
            if entry.kind == "dir" and not (prune is not None and prune(entry)):
                yield from walk(sub)

    yield from walk("")


def record_bytes(folder: str, command: str, *, exclude: frozenset[str] = frozenset()) -> bytes:
    """The record of ``folder`` as written by ``command`` (deterministic: no clock, sorted)."""
    return _dump(command, [e.as_json() for e in walk_entries(folder, exclude=exclude)])


def _dump(command: str, entries: list[dict[str, Any]]) -> bytes:
    """The record's text: one entry a line (small, and readable in a diff).

    ASCII with JSON escapes, so that a name that is not UTF-8 (held as surrogates) is recorded
    and read back as it is.
    """
    head = json.dumps({"format": RECORD_FORMAT, "command": command})
    lines = [json.dumps(e) for e in entries]
    body = ",\n ".join(lines)
    return f'{head[:-1]}, "entries": [\n {body}\n]}}\n'.encode()


def _read_doc(folder: str) -> tuple[str, dict[str, dict[str, Any]]] | None:
    """The command and entries (by path) of the record in ``folder``; None when there is none."""
    path = os.path.join(folder, RECORD_NAME)
    text = read_head(path, MAX_RECORD_BYTES + 1, max_size=MAX_RECORD_BYTES)
    if text is None:
        return None
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("format") != RECORD_FORMAT:
        return None
    entries = doc.get("entries")
    if not isinstance(entries, list):
        return None
    command = doc.get("command")
    by_path = {
        e["path"]: e for e in entries if isinstance(e, dict) and isinstance(e.get("path"), str)
    }
    return (command if isinstance(command, str) else "clxm-meta"), by_path


def read_record(folder: str) -> dict[str, dict[str, Any]] | None:
    """The entries of the record in ``folder`` by path; None when there is no valid record."""
    doc = _read_doc(folder)
    return None if doc is None else doc[1]


def _owning_record(path: str) -> tuple[str, str]:
    """The folder whose record speaks for the file ``path``, and the file's path relative to it.

    The file's own folder, unless that folder has no record and lies inside an output folder
    whose record lists it as a folder clxm-meta wrote (``export empiar -o out/empiar/x.json``
    into a deposit folder ``out``): then that output folder.
    """
    folder, name = os.path.split(os.path.abspath(path))
    if os.path.lexists(os.path.join(folder, RECORD_NAME)):
        return folder, name
    current, rel_dir = folder, ""
    for _ in range(64):
        parent = os.path.dirname(current)
        if parent == current:
            break
        base = os.path.basename(current)
        rel_dir = f"{base}/{rel_dir}" if rel_dir else base
        record = read_record(parent)
        if record is not None:
            if (record.get(rel_dir) or {}).get("kind") == "dir":
                return parent, f"{rel_dir}/{name}"
            break
        current = parent
    return folder, name


def _matches(
    entry: Entry, recorded: dict[str, Any] | None, full: str, *, deep: bool = True
) -> bool:
    if recorded is None or recorded.get("kind") != entry.kind:
        return False
    if entry.kind == "link":
        return recorded.get("target") == entry.target
    if entry.kind == "file":
        # the size first: a file of another size is changed without reading it
        if recorded.get("size") != entry.size:
            return False
        return not deep or recorded.get("sha256") == file_sha256(full)
    return entry.kind == "dir"


def foreign_entries(
    folder: str, *, limit: int = 10, deep: bool = True
) -> tuple[list[str], list[str], bool]:
    """What in ``folder`` clxm-meta did not write: ``(not_ours, changed, has_record)``.

    ``not_ours`` are entries absent from the record (all of them when there is no record), or
    neither a file, a link nor a folder; ``changed`` are recorded entries whose content, size,
    kind or link target differ (``deep=False`` compares sizes only, not content). A folder that is
    not ours is named, not its content. Each list stops at ``limit`` paths (the walk stops too).
    """
    record = read_record(folder)
    not_ours: list[str] = []
    changed: list[str] = []

    def foreign_dir(entry: Entry) -> bool:
        return record is None or entry.path not in record

    for entry in walk_entries(folder, hash_files=False, prune=foreign_dir):
        if len(not_ours) + len(changed) >= limit:
            break
        recorded = None if record is None else record.get(entry.path)
        if recorded is None or entry.kind == "other":
            not_ours.append(entry.path)
        elif not _matches(entry, recorded, os.path.join(folder, *entry.path.split("/")), deep=deep):
            changed.append(entry.path)
    if record is None and not not_ours and os.path.lexists(os.path.join(folder, RECORD_NAME)):
        not_ours.append(RECORD_NAME)  # a file of that name that is not a record
    return not_ours, changed, record is not None


def _has_marker(path: str) -> bool:
    head = read_head(path, MARKER_WINDOW)
    return head is not None and any(m in head for m in MARKERS)


def file_is_ours(path: str) -> tuple[bool, str]:
    """Whether the regular file ``path`` was written by clxm-meta and not changed since.

    Returns the answer and, when it is no, why (for the refusal message). The record that speaks
    for the file (`_owning_record`) decides when it lists the file; otherwise a marker in the
    file's first bytes.
    """
    folder, rel = _owning_record(path)
    record = read_record(folder)
    recorded = None if record is None else record.get(rel)
    if recorded is not None:
        try:
            entry = _entry(path, rel, hash_files=False)
        except OSError:
            return False, "it cannot be read"
        if _matches(entry, recorded, path):
            return True, ""
        return False, "it changed since clxm-meta wrote it (edited?)"
    if _has_marker(path):
        return True, ""
    return False, "clxm-meta did not write it (no record of it, no clxm-meta marker in it)"


def record_file(path: str, command: str) -> None:
    """Add (or update) the single file ``path`` in the record that speaks for it.

    That is the record of its folder, or of the output folder it was written into
    (`_owning_record`). Best effort: a folder where the record cannot be written only loses the
    right to replace the file later with ``--force`` (the safe direction). A folder holding a
    file of the record's name that is not a record is left alone.
    """
    from clxm_meta.errors import ClxmMetaError
    from clxm_meta.io.output import write_atomic

    folder, rel = _owning_record(path)
    record_path = os.path.join(folder, RECORD_NAME)
    doc = _read_doc(folder)
    if doc is None and os.path.lexists(record_path):
        return
    command_of_folder, entries = doc if doc is not None else ("clxm-meta (single files)", {})
    try:
        entries[rel] = {**_entry(path, rel).as_json(), "command": command}
    except OSError:
        return
    data = _dump(command_of_folder, [entries[k] for k in sorted(entries)])
    with contextlib.suppress(OSError, ClxmMetaError):
        write_atomic(record_path, data, force=True)
