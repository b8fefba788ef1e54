"""The cyclic garbage collector paused while a scan or a deposit makes its many objects.

A scan or a deposit makes hundreds of thousands of small objects that live on (records, values,
format models, document parts) and next to no reference cycles. With the collector on, every few
hundred new objects start a young collection, and every so often a full one that traverses the
whole heap again: the heap grows with the archive, so the collector's share grew with it.
Measured in one process holding a 1,000-dataset scan, collections took about 5 ms of the
~28 ms a dataset cost ``deposit``, and the scan and build phases' time per dataset rose with the
tree; with the collector paused, peak memory was the same (nothing cyclic piles up).

`paused` is re-entrant and thread-safe: the first caller in saves whether the collector was on,
the last one out restores exactly that, whatever nesting or threads (a scan on a
``ThreadPoolExecutor`` runs units in several threads at once). The collector is process-wide, so
other threads of the process are not collected during a pause either; objects are still freed by
reference counting as usual, and what the objects are, and when they are freed, is unchanged.

"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block (restored as it was after)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
