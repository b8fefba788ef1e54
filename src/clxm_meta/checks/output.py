"""Atomic output: write to a temporary file beside the target, then rename over it."""

from __future__ import annotations

import os
import tempfile

from clxm_meta.errors import OutputExistsError, UnreadableFileError

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], text: str, *, force: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically.

    Raises
    ------
    OutputExistsError
        ``path`` exists and ``force`` is false.
    UnreadableFileError
        The folder cannot be written.
    """
    target = os.fspath(path)
    if os.path.lexists(target) and not force:
        raise OutputExistsError("output exists; use --force to overwrite", path=target)
    folder = os.path.dirname(os.path.abspath(target))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".clxm-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UnreadableFileError(f"cannot write here: {exc.strerror or exc}", path=target) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if not force and os.path.lexists(target):
            raise OutputExistsError("output exists; use --force to overwrite", path=target)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
