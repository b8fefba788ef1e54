"""``--jobs N``: the pool of worker processes behind ``check`` and ``deposit``.

A worker of a `ProcessPoolExecutor` waits on a pipe whose write end it inherited itself, so if the
driver is killed outright (SIGKILL, the out-of-memory killer, a batch system's time limit) the
worker never sees the end of its input and waits for ever. On Linux each worker therefore asks
the kernel to send it SIGTERM when its parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere the
pool is as the standard library makes it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import Executor

__all__ = ["executor", "worker_start"]

_PR_SET_PDEATHSIG = 1


def worker_start(parent: int) -> None:
    """Pool initializer: end this worker when the driver ``parent`` (its pid) ends."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the standard pool's behaviour
            return
    if os.getppid() != parent:  # the driver died before the request was made
        os._exit(1)


@contextlib.contextmanager
def executor(jobs: int) -> Iterator[Executor | None]:
    """``None`` for one job (the work runs in this process), else a pool of ``jobs`` processes."""
    if jobs <= 1:
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(
        max_workers=jobs, initializer=worker_start, initargs=(os.getpid(),)
    ) as pool:
        yield pool
