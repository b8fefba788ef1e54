"""Output safety: atomic writes, no silent overwrite, nothing written into inputs or out of bounds.

Every file clxm_meta writes (manifests, sidecar templates, archive exports) goes through this module:

`write_atomic` / `open_atomic`
    Write to a temporary file in the target's folder, flush and fsync it, then move it into place in
    one step. A crash or kill mid-write leaves the old file (or none) plus at most a stale
    ``.clxm-*.tmp`` file, never a half-written target. Without ``force`` the final step is a hard
    link, which fails if the target appeared meanwhile: of two writers racing for the same new
    output exactly one wins and the other gets `OutputExistsError`. With ``force`` the last rename
    wins; either way the target always holds one writer's complete output.
`check_outside_input`
    Refuse an output path inside the scanned input tree (inputs are read-only) unless allowed.
`output_path_in`
    Resolve a relative name inside an output folder and refuse names that escape it (absolute
    paths, ``..``, symbolic links pointing out).
`check_not_input`
    Refuse an output that is, holds, or lies inside the scanned tree (``allow_inside`` permits a
    new output inside it, never an existing one).
`check_replace_file`
    Refuse to replace anything but a regular file clxm-meta wrote (its record or marker).
`write_output_file`
    The single-file output of a command: both checks, the atomic write, the record.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from clxm_meta.errors import OutputExistsError, OutputPathError, UnreadableFileError

__all__ = [
    "TEMP_PREFIX",
    "check_not_input",
    "check_outside_input",
    "check_replace_file",
    "current_umask",
    "is_inside",
    "open_atomic",
    "output_path_in",
    "write_atomic",
    "write_output_file",
]

TEMP_PREFIX = ".clxm-"
"""Prefix of the temporary files (``.clxm-XXXX.tmp``) beside a target while it is written."""


def is_inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """True when ``path`` is ``folder`` or lies under it, after resolving symbolic links."""
    real_path = os.path.realpath(path)
    real_folder = os.path.realpath(folder)
    return os.path.commonpath([real_path, real_folder]) == real_folder


def check_outside_input(
    path: str | os.PathLike[str],
    input_root: str | os.PathLike[str] | None,
    *,
    allow: bool = False,
) -> None:
    """Refuse to write ``path`` inside the scanned ``input_root`` unless ``allow`` is true.

    Raises
    ------
    OutputPathError
        ``path`` resolves to a location under ``input_root``.
    """
    if input_root is None or allow:
        return
    if is_inside(path, input_root):
        raise OutputPathError(
            f"output would be written inside the input folder {os.fspath(input_root)}, which "
            "clxm-meta never modifies; write it elsewhere or pass --allow-inside-input",
            path=path,
        )


def output_path_in(out_dir: str | os.PathLike[str], name: str | os.PathLike[str]) -> str:
    """The path of ``name`` inside ``out_dir``; refuse any name that would land outside it.

    ``name`` must be relative, must not climb with ``..`` and must not pass through a symbolic
    link that leads out of ``out_dir`` (checked on the resolved path).

    Raises
    ------
    OutputPathError
        The name is absolute, empty or escapes ``out_dir``.
    """
    text = os.fspath(name)
    if not text or os.path.isabs(text) or text.startswith(("/", "\\")):
        raise OutputPathError(f"output name {text!r} must be a relative path", path=out_dir)
    parts = text.replace("\\", "/").split("/")
    if ".." in parts or any(p.endswith(":") for p in parts[:1]):
        raise OutputPathError(f"output name {text!r} escapes the output folder", path=out_dir)
    target = os.path.join(os.fspath(out_dir), *[p for p in parts if p not in ("", ".")])
    if not is_inside(target, out_dir):
        raise OutputPathError(
            f"output name {text!r} leads outside the output folder (symbolic link)", path=out_dir
        )
    return target


def _fsync_dir(folder: str) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be opened
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _place(tmp: str, target: str, force: bool) -> None:
    """Move the finished temporary file to ``target`` (exclusive unless ``force``)."""
    if force:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # atomic create-if-absent: fails if the target exists
    except FileExistsError:
        raise OutputExistsError("output exists; use --force to overwrite", path=target) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
            raise
        # file system without hard links: check, then rename (a narrow race remains)
        if os.path.lexists(target):
            raise OutputExistsError(
                "output exists; use --force to overwrite", path=target
            ) from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def current_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux ``/proc``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and restore at once
    os.umask(mask)
    return mask


@contextlib.contextmanager
def open_atomic(
    path: str | os.PathLike[str], *, binary: bool = False, force: bool = False
) -> Iterator[IO[Any]]:
    """Context manager yielding a file to write; on a clean exit it becomes ``path`` atomically.

    Text mode (the default) writes UTF-8 with LF line ends; ``binary=True`` yields a binary
    file. On an exception the temporary file is removed and ``path`` is left as it was.

    Raises
    ------
    OutputExistsError
        ``path`` exists (before or after writing) and ``force`` is false.
    UnreadableFileError
        The folder cannot be written.
    """
    target = os.fspath(path)
    if not target:
        raise OutputPathError("the output path is empty")
    if os.path.lexists(target):
        if not force:
            raise OutputExistsError("output exists; use --force to overwrite", path=target)
        _refuse_special(target)
    folder = os.path.dirname(os.path.abspath(target))
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UnreadableFileError(f"cannot write here: {exc.strerror or exc}", path=target) from exc
    try:
        # mkstemp creates the file 0600; an output (a report to send, a manifest, a sidecar the
        # facility shares) gets the mode any new file would get: 0666 minus the umask.
        os.chmod(tmp, 0o666 & ~current_umask())
        fh: IO[Any] = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        )
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        try:
            _place(tmp, target, force)
        except OSError as exc:  # a name too long, a folder where the file goes, no space
            raise UnreadableFileError(
                f"cannot write here: {exc.strerror or exc}", path=target
            ) from exc
        _fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_atomic(path: str | os.PathLike[str], text: str | bytes, *, force: bool = False) -> None:
    """Write ``text`` (str as UTF-8, or bytes) to ``path`` atomically; see `open_atomic`.

    Raises
    ------
    OutputExistsError
        ``path`` exists and ``force`` is false.
    UnreadableFileError
        The folder cannot be written.
    """
    with open_atomic(path, binary=isinstance(text, bytes), force=force) as fh:
        fh.write(text)


def _refuse_special(target: str) -> None:
    """Refuse to replace a symbolic link, a folder or anything but a regular file."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputPathError(
            f"cannot use this output: {exc.strerror or exc}", path=target
        ) from exc
    if stat.S_ISLNK(st.st_mode):
        where = os.readlink(target)
        raise OutputExistsError(
            f"output is a symbolic link (to {where}): never replaced, even with --force; "
            "give the real path or a new name",
            path=target,
        )
    if stat.S_ISDIR(st.st_mode):
        raise OutputExistsError(
            "output is a folder: never replaced by a file, even with --force; give a file name",
            path=target,
        )
    if not stat.S_ISREG(st.st_mode):
        raise OutputExistsError(
            "output is not a regular file (a device, FIFO or socket): never replaced, even with "
            "--force",
            path=target,
        )


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_not_input(
    path: str | os.PathLike[str],
    input_root: str | os.PathLike[str] | None,
    *,
    allow_inside: bool = False,
    flag: str = "--allow-inside",
) -> None:
    """Refuse an output that is, holds or lies inside the scanned tree ``input_root``.

    Both paths are compared after resolving symbolic links and ``..``. An output that is the
    tree, or a folder holding it, is refused always (replacing it would delete the input). One
    inside the tree is refused unless ``allow_inside``, and even then only a new one is written:
    nothing existing inside the tree is ever replaced.

    Raises
    ------
    OutputPathError
        The output overlaps the input tree.
    """
    text = os.fspath(path)
    if not text:
        raise OutputPathError("the output path is empty")
    if input_root is None:
        return
    try:
        real = os.path.realpath(text)
        root = os.path.realpath(input_root)
    except (OSError, ValueError) as exc:
        raise OutputPathError(f"cannot resolve the output path: {exc}", path=text) from exc
    if real == root:
        raise OutputPathError(
            f"the output is the scanned tree {os.fspath(input_root)} itself: inputs are never "
            "written to or replaced (not even with --force or --allow-inside); choose another "
            "folder",
            path=text,
        )
    if _under(root, real):
        raise OutputPathError(
            f"the output holds the scanned tree {os.fspath(input_root)}: replacing it would "
            "delete the input (refused even with --force); choose a folder beside it",
            path=text,
        )
    if _under(real, root):
        if not allow_inside:
            raise OutputPathError(
                f"the output is inside the scanned tree {os.fspath(input_root)}: inputs are "
                f"never written to; choose another folder, or pass {flag} to create a new "
                "output there",
                path=text,
            )
        if os.path.lexists(text) or os.path.lexists(real):
            raise OutputPathError(
                f"the output exists inside the scanned tree {os.fspath(input_root)}: {flag} "
                "creates a new output there but never replaces anything in the tree (not even "
                "with --force); choose a new name",
                path=text,
            )


def check_replace_file(path: str | os.PathLike[str], *, force: bool) -> None:
    """Refuse to write the single file ``path`` over anything clxm-meta may not replace.

    A new path is fine. An existing one is replaced only with ``force``, and only when it is a
    regular file (not a link, folder, device or FIFO) that clxm-meta wrote and nobody changed
    since: listed unchanged in its folder's record, or holding a clxm-meta marker.

    Raises
    ------
    OutputExistsError
        The path exists and may not be replaced.
    OutputPathError
        The path is empty or cannot be examined (too long, a file where a folder should be).
    """
    from clxm_meta.io.record import file_is_ours

    target = os.fspath(path)
    if not target:
        raise OutputPathError("the output path is empty")
    if not os.path.lexists(target):  # also False for a name the system cannot hold
        return
    if not force:
        raise OutputExistsError("output exists; use --force to overwrite", path=target)
    _refuse_special(target)
    ours, why = file_is_ours(target)
    if not ours:
        raise OutputExistsError(f"not replaced, even with --force: {why}", path=target)


def write_output_file(
    path: str | os.PathLike[str],
    text: str | bytes,
    *,
    force: bool,
    command: str,
    record: bool = True,
) -> None:
    """Write a command's single output file: refusals, atomic write, then its record entry.

    ``record=False`` writes no record (an output inside the input tree, where a record file
    would become part of the deposition).
    """
    from clxm_meta.io.outdir import folder_lock
    from clxm_meta.io.record import record_file

    # The check, the write and the record entry happen under one lock on the folder: two runs
    # writing the same file with --force must see each other's record, never a file written by
    # the other run whose record entry is not there yet ("not ours").
    with folder_lock(os.path.dirname(os.path.abspath(path))):
        check_replace_file(path, force=force)
        write_atomic(path, text, force=force)
        if record:
            record_file(os.fspath(path), command)
