"""Write an output folder whole, under a lock, replacing only a folder clxm-meta wrote.

`write_folder` is what ``export biostudies|ome -o DIR`` use; ``deposit -o OUTDIR`` uses the same
steps through `staging_folder`, writing one unit at a time:

1. It takes an exclusive lock on the parent folder (``flock`` on the folder itself: no lock file
   is left behind), so that two runs writing beside each other take turns.
2. Under the lock it removes stale staging folders of earlier runs that were killed
   (`clean_stale`): only folders named ``.clxm-deposit-<pid>-…`` / ``.clxm-old-<pid>-…``, owned by
   this user, whose process is gone, and that hold our staging marker or a record that matches.
   (``deposit --resume`` first takes over the one of a killed run of the same output, inputs and
   options: `staging_folder`.)
3. It refuses an existing output unless it may be replaced (`check_target`): an empty folder, or
   with ``force`` a folder whose every entry is in its record and unchanged.
4. It makes a new staging folder beside the output, marked by `STAGING_MARKER`, and releases the
   lock while the files are written there; ``stage(staging_folder)`` may add files or links.
5. Under the lock again it checks the output once more (as in 3), writes the record
   (`clxm_meta.io.record`) of everything in the staging folder, and removes the marker.
6. It moves the staging folder into place: on Linux by exchanging it with the old output in one
   step (``renameat2(RENAME_EXCHANGE)``), elsewhere by two renames. The output path therefore
   holds the old output or the new one, whole (with two renames, a kill between them leaves no
   output and the old one in ``.clxm-old-<pid>-…``, removed by the next run). Then the old output
   is removed, after checking once more that nothing was added to it meanwhile.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import socket
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from clxm_meta.errors import OutputExistsError, OutputPathError, UnreadableFileError
from clxm_meta.io.output import current_umask, output_path_in
from clxm_meta.io.record import RECORD_NAME, foreign_entries, read_head, record_bytes

__all__ = [
    "LOCK_WAIT_S",
    "PROGRESS_DIR",
    "STAGING_MARKER",
    "Staging",
    "check_target",
    "clean_stale",
    "folder_lock",
    "staging_folder",
    "write_files_in",
    "write_folder",
    "write_new",
]

STAGING_MARKER = ".clxm-staging"
"""File in a staging folder while it is written: the pid, host and output name of the writer."""

PROGRESS_DIR = ".clxm-progress"
"""Folder in a staging folder where a resumable writer notes what it finished (`staging_folder`);
removed before the record is made, never part of the output."""

LOCK_WAIT_S = 30.0
"""How long a run waits for another run writing into the same parent folder before refusing."""

_STALE = re.compile(r"^\.clxm-(?:deposit|old)-(\d+)-")
_SHOW = 5


def _cannot(exc: OSError, path: str) -> UnreadableFileError:
    return UnreadableFileError(f"cannot write here: {exc.strerror or exc}", path=path)


@contextlib.contextmanager
def folder_lock(folder: str, *, wait: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``folder`` (waiting up to ``wait`` seconds).

    Where folders cannot be locked (no ``fcntl``, a file system without locks) it does nothing.

    Raises
    ------
    OutputExistsError
        Another process held the lock for longer than ``wait``.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputExistsError(
                        "another clxm-meta run is writing into this folder; try again when it "
                        "has finished",
                        path=folder,
                    ) from None
                time.sleep(0.05)
            except OSError:  # locks not supported here
                break
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or no permission to ask: assume alive
        return True
    return True


def _marker(folder: str) -> dict[str, Any] | None:
    """The staging marker of ``folder`` when it is one of ours written on this host."""
    text = read_head(os.path.join(folder, STAGING_MARKER), 1 << 16)
    if text is None:
        return None
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("host") != socket.gethostname():
        return None
    return doc


def _marker_pid(folder: str) -> int | None:
    doc = _marker(folder)
    pid = None if doc is None else doc.get("pid")
    return pid if isinstance(pid, int) else None


def _dead_stagings(parent: str) -> Iterator[tuple[str, int, os.stat_result]]:
    """Our staging folders in ``parent`` whose writer is gone: ``(path, pid, lstat)``.

    Named as ours (the pid in the name), a folder, owned by this user, and that pid not alive;
    in name order. Whether the folder is provably ours (its marker) is the caller's check.
    """
    try:
        names = os.listdir(parent)
    except OSError:
        return
    uid = os.getuid() if hasattr(os, "getuid") else None
    for name in sorted(names):
        match = _STALE.match(name)
        if not match:
            continue
        path = os.path.join(parent, name)
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode) or (uid is not None and st.st_uid != uid):
            continue
        pid = int(match.group(1))
        if not _alive(pid):
            yield path, pid, st


def clean_stale(parent: str) -> list[str]:
    """Remove the staging folders of killed runs in ``parent``; the paths removed.

    Only what is provably ours goes: the name carries the writer's pid, that process is gone,
    the folder belongs to this user, and it holds our staging marker (naming that pid, on this
    host) or a record that its content matches. Anything else is left alone.
    """
    removed: list[str] = []
    for path, pid, _st in _dead_stagings(parent):
        if _marker_pid(path) != pid:
            not_ours, changed, has_record = foreign_entries(path, limit=1)
            if not has_record or not_ours or changed:
                continue
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path):
            removed.append(path)
    return removed


def _names(paths: list[str]) -> str:
    shown = ", ".join(paths[:_SHOW])
    return shown + (f" and {len(paths) - _SHOW} more" if len(paths) > _SHOW else "")


def check_target(target: str, *, force: bool, deep: bool = True) -> bool:
    """Whether ``target`` exists (then it may be replaced); refuse when it may not.

    ``deep=False`` compares the recorded files by size only (a quick early refusal before a long
    scan); the check made when writing, under the lock, reads them.

    Raises
    ------
    OutputExistsError
        A link, a file, a folder without ``force``, or a folder holding entries clxm-meta did not
        write (or that changed since): the message names the first of them.
    OutputPathError
        The path cannot be examined (e.g. too long).
    """
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise OutputPathError(
            f"cannot use this output: {exc.strerror or exc}", path=target
        ) from exc
    if stat.S_ISLNK(st.st_mode):
        raise OutputExistsError(
            f"output is a symbolic link (to {os.readlink(target)}): never replaced, even with "
            "--force; give the real path or a new name",
            path=target,
        )
    if not stat.S_ISDIR(st.st_mode):
        raise OutputExistsError(
            "output exists and is not a folder: never replaced, even with --force", path=target
        )
    try:
        empty = not os.listdir(target)
    except OSError as exc:
        raise UnreadableFileError(
            f"cannot read the output folder: {exc.strerror or exc}", path=target
        ) from exc
    if empty:
        return True
    if not force:
        raise OutputExistsError("output folder exists; use --force to replace it", path=target)
    not_ours, changed, has_record = foreign_entries(target, deep=deep)
    if not has_record:
        raise OutputExistsError(
            f"not replaced, even with --force: clxm-meta did not write {_names(not_ours)} (the "
            f"folder has no {RECORD_NAME}, the record of what clxm-meta wrote); choose a new or "
            "empty folder, or move this one away yourself",
            path=target,
        )
    if not_ours or changed:
        parts = []
        if not_ours:
            parts.append(f"clxm-meta did not write {_names(not_ours)}")
        if changed:
            parts.append(f"{_names(changed)} changed since clxm-meta wrote them")
        raise OutputExistsError(
            f"not replaced, even with --force: {'; '.join(parts)}; move those out (or choose a "
            "new folder) and run again",
            path=target,
        )
    return True


def _exchange(a: str, b: str) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), b)


def _remove_old(old: str) -> None:
    """Remove the replaced output, unless something not ours appeared in it meanwhile."""
    not_ours, changed, _ = foreign_entries(old, limit=1, deep=False)
    if not_ours or changed:
        sys.stderr.write(
            f"clxm-meta: the replaced output was changed while it was replaced; it is kept as "
            f"{old}\n"
        )
        return
    shutil.rmtree(old, ignore_errors=True)


_CREATE = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
)
"""A new file: ``O_EXCL`` refuses anything already at the path, a symbolic link included."""


def write_new(path: str, data: bytes) -> None:
    """Create the file ``path`` (it must not exist, not even as a link) holding ``data``.

    What ``open(path, "xb").write(data)`` does (same flags, mode ``0o666`` less the umask), in
    one ``open``, the ``write`` calls and one ``close``: no buffer, ``fstat``, ``ioctl`` nor
    ``lseek``, which a deposit would otherwise pay on each of its thousands of small files.
    """
    fd = os.open(path, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _plain_parts(rel: str) -> list[str] | None:
    r"""The parts of ``rel`` when each is a plain name, else None.

    Plain: not empty, ``.``, ``..``, nor holding ``\``, and the first not ending with ``:``.
    """
    parts = rel.split("/")
    if parts[0].endswith(":") or any(p in ("", ".", "..") or "\\" in p for p in parts):
        return None
    return parts


def _made_path(staging: str, parts: list[str], made: set[str]) -> str | None:
    """The path of ``parts`` in ``staging``, its folders made here; else None.

    None when one of the folders was there already or cannot be made: the caller then checks the
    name in full.
    """
    folder, key = staging, ""
    for part in parts[:-1]:
        folder = os.path.join(folder, part)
        key = f"{key}/{part}"
        if key in made:
            continue
        try:
            os.mkdir(folder)
        except OSError:
            return None
        made.add(key)
    return os.path.join(folder, parts[-1])


def write_files_in(staging: str, files: Mapping[str, bytes]) -> None:
    r"""Write ``files`` (relative path → content) into the staging folder ``staging``.

    A name whose parts are all plain (`_plain_parts`) is written below folders that this call
    made itself with ``mkdir``, each once: a folder made here is a real folder (``mkdir`` never
    follows a link at its last part, and refuses anything already there), and the file is created
    with ``O_EXCL`` (`write_new`), which refuses anything already there, a symbolic link included;
    so such a path cannot lead out of ``staging`` and resolving it (`output_path_in`: a
    ``realpath``, one ``lstat`` per part) would change nothing. Any other name, or one whose
    folder was there before this call (a resumed staging folder) or cannot be made, goes through
    the full check of `output_path_in` and ``os.makedirs``, as before. This spares thousands of
    ``lstat``, ``stat`` and failing ``mkdir`` calls when a deposit writes one folder per dataset.
    """
    made: set[str] = set()
    for rel, data in sorted(files.items()):
        parts = _plain_parts(rel)
        path = None if parts is None else _made_path(staging, parts, made)
        if path is None:
            path = output_path_in(staging, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
        write_new(path, data)


@dataclass
class Staging:
    """A staging folder being filled (see `staging_folder`)."""

    path: str
    """The staging folder: write the output's entries here."""
    target: str
    """The output folder it will replace (absolute)."""
    resumed: bool = False
    """True when this is the staging folder of a killed run, taken over (``resume``)."""
    resume_note: str = ""
    """When ``resume`` was asked for and nothing was taken over: why (for the user)."""
    discarded: bool = False

    def discard(self) -> None:
        """Drop the staging folder at the end instead of moving it into place (a refusal)."""
        self.discarded = True


def _write_marker(staging: str, target: str, resume: Mapping[str, Any] | None) -> None:
    marker: dict[str, Any] = {"pid": os.getpid(), "host": socket.gethostname(), "output": target}
    if resume is not None:
        marker["resume"] = dict(resume)
    tmp = os.path.join(staging, STAGING_MARKER + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(marker, fh)
    os.replace(tmp, os.path.join(staging, STAGING_MARKER))


def _resumable(parent: str, target: str, resume: Mapping[str, Any]) -> tuple[str | None, str]:
    """The staging folder of a killed run writing ``target`` with the same ``resume`` key.

    Returns it (the newest, when there are several) and, when there is none, why. Only a folder
    that `clean_stale` would remove as provably ours qualifies: our name pattern, this user, the
    writer gone, and our marker naming that pid on this host and the same output.
    """
    found: list[tuple[int, str]] = []
    other = False
    for path, pid, st in _dead_stagings(parent):
        if not os.path.basename(path).startswith(".clxm-deposit-") or _marker_pid(path) != pid:
            continue
        doc = _marker(path)
        if doc is None or doc.get("output") != target:
            continue
        if doc.get("resume") != dict(resume):
            other = True
            continue
        found.append((st.st_mtime_ns, path))
    if found:
        return max(found)[1], ""
    if other:
        return None, (
            "the unfinished run of this output was made from other inputs, options or "
            "clxm-meta version: not resumed"
        )
    return None, "no unfinished run of this output"


def _adopt(parent: str, old: str, target: str, resume: Mapping[str, Any]) -> str:
    """Take over the staging folder ``old`` of a killed run: rename it after this process."""
    fresh = tempfile.mkdtemp(prefix=f".clxm-deposit-{os.getpid()}-", dir=parent)
    os.rmdir(fresh)
    os.rename(old, fresh)
    _write_marker(fresh, target, resume)
    return fresh


def _commit(staging: str, target: str, parent: str, *, exists: bool, command: str) -> None:
    """Record the staging folder and move it into place (the caller holds the lock)."""
    shutil.rmtree(os.path.join(staging, PROGRESS_DIR), ignore_errors=True)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(os.path.join(staging, STAGING_MARKER + ".tmp"))
    record = record_bytes(staging, command, exclude=frozenset({STAGING_MARKER}))
    with open(os.path.join(staging, RECORD_NAME), "xb") as fh:
        fh.write(record)
    os.unlink(os.path.join(staging, STAGING_MARKER))
    os.chmod(staging, 0o777 & ~current_umask())
    if exists and _exchange(staging, target):
        _remove_old(staging)
    elif exists:
        old = tempfile.mkdtemp(prefix=f".clxm-old-{os.getpid()}-", dir=parent)
        os.rmdir(old)
        os.rename(target, old)
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(old, target)
            raise
        _remove_old(old)
    else:
        os.rename(staging, target)


@contextlib.contextmanager
def staging_folder(
    outdir: str | os.PathLike[str],
    *,
    force: bool,
    command: str,
    resume: Mapping[str, Any] | None = None,
    adopt: bool = False,
) -> Iterator[Staging]:
    """A staging folder beside ``outdir``, moved into place when the ``with`` block ends.

    Under the lock on the parent folder: stale staging folders are removed, the target is checked
    (`check_target`) and the staging folder made. The block then fills it without holding the
    lock (a long build does not keep other runs out of the parent folder). At its end, under the
    lock again, the target is checked once more, the record made and the folder swapped in, as
    `write_folder` describes. An exception in the block, or `Staging.discard`, removes the
    staging folder and leaves the output as it was; an interrupt (Ctrl-C) of a resumable run keeps
    it for ``--resume`` (the next run removes it otherwise).

    ``resume`` is a JSON-able key of what is being written (inputs, options, version), kept in
    the staging marker; with ``adopt``, the staging folder of a killed run with the same output
    and key is taken over instead of a new one (`Staging.resumed`). Whatever the block keeps in
    `PROGRESS_DIR` is never part of the output.

    Raises
    ------
    OutputExistsError, OutputPathError, UnreadableFileError
        As `write_folder`.
    """
    text = os.fspath(outdir)
    if not text:
        raise OutputPathError("the output path is empty")
    target = os.path.abspath(text)
    parent = os.path.dirname(target)
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as exc:
        raise _cannot(exc, target) from exc
    note = ""
    with folder_lock(parent):
        check_target(target, force=force)
        old: str | None = None
        if adopt and resume is not None:
            old, note = _resumable(parent, target, resume)
        try:
            if old is not None:  # renamed after this process first: clean_stale leaves it
                path = _adopt(parent, old, target, resume or {})
            clean_stale(parent)
            if old is None:
                path = tempfile.mkdtemp(prefix=f".clxm-deposit-{os.getpid()}-", dir=parent)
                _write_marker(path, target, resume)
        except OSError as exc:
            raise _cannot(exc, target) from exc
    staging = Staging(path, target, resumed=old is not None, resume_note=note)
    swapped = keep = False
    try:
        yield staging
        if not staging.discarded:
            with folder_lock(parent):
                exists = check_target(target, force=force)
                _commit(path, target, parent, exists=exists, command=command)
                swapped = True
    except KeyboardInterrupt:
        keep = resume is not None  # an interrupted resumable run: left for --resume
        raise
    except OSError as exc:
        raise _cannot(exc, target) from exc
    finally:
        if not swapped and not keep:
            shutil.rmtree(path, ignore_errors=True)


def write_folder(
    outdir: str | os.PathLike[str],
    files: Mapping[str, bytes],
    *,
    force: bool,
    command: str,
    stage: Callable[[str], None] | None = None,
) -> None:
    """Write ``files`` (relative path → content) as the folder ``outdir``, all at once.

    ``stage`` is called with the staging folder after the files are written and before the
    record is made: what it adds there is part of the output and of its record.

    Raises
    ------
    OutputExistsError
        ``outdir`` exists and may not be replaced (see `check_target`), or another run holds the
        parent folder for too long.
    OutputPathError
        The path is empty or cannot be used.
    UnreadableFileError
        The parent folder cannot be written (read-only, full, a name too long).
    """
    with staging_folder(outdir, force=force, command=command) as staging:
        write_files_in(staging.path, files)
        if stage is not None:
            stage(staging.path)
