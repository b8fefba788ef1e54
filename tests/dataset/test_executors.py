"""`clxm_meta.dataset.executors`: tasks in order on any executor, impure on dask's.

The real dask cluster is in test_scan_executor.py (a scan whose tasks dask never tokenizes) and
test_scan_batches.py (the width of a ``ClientExecutor``); here executors that record what they
are given.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

import pytest

from clxm_meta.dataset import executors


class _Recording(Executor):
    """Runs each task at once and records the keyword arguments it was submitted with."""

    def __init__(self) -> None:
        self.kwargs: list[dict[str, Any]] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.kwargs.append(dict(kwargs))
        future: Future[Any] = Future()
        future.set_result(fn(*args))
        return future


class _DaskLike(_Recording):
    """Stands for dask's ``ClientExecutor``: what `executors.is_dask` goes by is the module."""


_DaskLike.__module__ = "distributed.cfexecutor"


def _square(x: int) -> int:
    return x * x


def test_dask_tasks_are_submitted_impure_and_others_as_given() -> None:
    dask_like, plain = _DaskLike(), _Recording()
    assert executors.is_dask(dask_like) and not executors.is_dask(plain)
    assert list(executors.ordered(dask_like, _square, [1, 2, 3])) == [1, 4, 9]
    assert dask_like.kwargs == [{"pure": False}] * 3
    assert executors.submit(plain, _square, 4).result() == 16
    assert plain.kwargs == [{}]  # a standard executor takes no ``pure``: nothing added


def test_ordered_gives_results_in_submission_order() -> None:
    delays = {0: 0.06, 1: 0.0, 2: 0.03}  # the first submitted finishes last

    def task(k: int) -> int:
        time.sleep(delays[k])
        return k

    with ThreadPoolExecutor(max_workers=3) as pool:
        assert list(executors.ordered(pool, task, [0, 1, 2])) == [0, 1, 2]


def test_ordered_submits_every_task_before_the_first_result_is_asked() -> None:
    plain = _Recording()
    executors.ordered(plain, _square, range(5))
    assert len(plain.kwargs) == 5  # as Executor.map: submitted when called


def test_a_task_error_is_raised_at_its_turn_and_later_tasks_are_cancelled() -> None:
    gate = threading.Event()
    started: list[int] = []

    def task(k: int) -> int:
        started.append(k)
        if k == 1:
            raise ValueError("task 1")
        if k == 3:
            gate.wait(10)
        return k

    with ThreadPoolExecutor(max_workers=1) as pool:
        results = executors.ordered(pool, task, [0, 1, 2, 3, 4])
        assert next(results) == 0
        with pytest.raises(ValueError, match="task 1"):
            next(results)
        gate.set()
    assert 4 not in started  # still queued behind task 3 when the error was raised: cancelled


def test_closing_early_cancels_the_tasks_not_started() -> None:
    hold = threading.Event()
    started: list[int] = []

    def task(k: int) -> int:
        started.append(k)
        if k > 0:
            hold.wait(10)
        return k

    with ThreadPoolExecutor(max_workers=1) as pool:
        results = executors.ordered(pool, task, range(6))
        assert next(results) == 0
        results.close()
        hold.set()
    assert set(started) <= {0, 1}  # task 1 may have been running; 2 to 5 were cancelled
