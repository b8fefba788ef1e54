"""A progress bar for long byte-bound jobs (the MD5 manifest): bytes, files, speed and ETA.

Drawn with ``rich`` on standard error, and only when standard error is a terminal and the user did
not ask for ``--quiet``; otherwise a no-op, so pipes, logs and CI output stay clean. ``rich`` is
imported only when a bar is actually drawn.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

__all__ = ["BytesProgress", "NullProgress", "bytes_progress", "wants_progress"]


class NullProgress:
    """Progress sink that shows nothing."""

    def advance(self, nbytes: int) -> None:
        """Ignore ``nbytes``."""

    def file_done(self) -> None:
        """Ignore a finished file."""


class BytesProgress:
    """Thread-safe sink feeding one ``rich`` progress task (bytes as the bar, files as text)."""

    def __init__(self, progress: Progress, task: TaskID, total_files: int) -> None:
        self._progress = progress
        self._task = task
        self._total_files = total_files
        self._files = 0
        self._lock = threading.Lock()

    def advance(self, nbytes: int) -> None:
        """``nbytes`` more bytes were processed."""
        self._progress.advance(self._task, nbytes)

    def file_done(self) -> None:
        """One more file was finished."""
        with self._lock:
            self._files += 1
            files = f"{self._files}/{self._total_files} files"
        self._progress.update(self._task, files=files)


def wants_progress(quiet: bool, stream: TextIO | None = None) -> bool:
    """True when a bar should be drawn: not ``quiet`` and ``stream`` (stderr) is a terminal."""
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return not quiet and callable(isatty) and bool(isatty())


@contextmanager
def bytes_progress(
    description: str, total_bytes: int, total_files: int, *, enabled: bool
) -> Iterator[BytesProgress | NullProgress]:
    """A progress sink for ``total_bytes`` over ``total_files``; a `NullProgress` unless ``enabled``."""
    if not enabled:
        yield NullProgress()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[files]}"),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(description, total=total_bytes, files=f"0/{total_files} files")
        yield BytesProgress(progress, task, total_files)
