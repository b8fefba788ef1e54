"""End the ``clxm-meta`` process without tearing the interpreter down, after a read-only command.

A Python process that exits normally finalises the interpreter: a last garbage collection, then
every module's namespace cleared and every object freed one by one. After ``inspect`` (numpy,
pydantic and one reader loaded) that took 55-75 ms of a 250-330 ms run on the benchmark machine,
time the user waits for nothing: the output is already written. Large Python services skip it the
same way (``os._exit`` once exit handlers have run).

Only for commands that write nothing but standard output and error (`READ_ONLY`): a file left
open and unflushed by mistake would lose its tail without the teardown, and that must never happen
to a deposition folder. Exit handlers (`atexit`) still run, standard output and error are flushed
first, and the ordinary exit is used whenever something could still need it: a flush that fails
(a closed pipe: Python's own handling applies), or a thread other than the main one still running.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn

__all__ = ["READ_ONLY", "exit_process"]

READ_ONLY = frozenset({"inspect"})
"""Commands whose only output is standard output and error."""


def _flushed() -> bool:
    for stream in (sys.stdout, sys.stderr):
        if stream is None or stream.closed:
            continue
        try:
            stream.flush()
        except (OSError, ValueError):
            return False
    return True


def _other_threads() -> bool:
    threading = sys.modules.get("threading")  # not imported: no thread was started
    if threading is None:
        return False
    main = threading.main_thread()
    return any(t is not main and t.is_alive() for t in threading.enumerate())


def exit_process(status: int, command: str | None) -> NoReturn:
    """Exit with ``status``: at once after a `READ_ONLY` command, else the ordinary way."""
    if command in READ_ONLY and not _other_threads() and _flushed():
        atexit._run_exitfuncs()
        if _flushed():  # an exit handler may have printed
            os._exit(status)
    sys.exit(status)
