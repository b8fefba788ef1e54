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
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from clxm_meta.errors import OutputExistsError, OutputPathError, UnreadableFileError

__all__ = [
    "TEMP_PREFIX",
    "check_outside_input",
    "current_umask",
    "is_inside",
    "open_atomic",
    "output_path_in",
    "write_atomic",
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
    if os.path.lexists(target) and not force:
        raise OutputExistsError("output exists; use --force to overwrite", path=target)
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
        _place(tmp, target, force)
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
