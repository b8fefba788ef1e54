"""How a scan's units are cut into tasks and how their results come back from a worker.

Tasks grow with the tree to about `TASKS_PER_WORKER` per worker (never under `SCAN_BATCH`
files), so a process pool or a dask cluster dispatches a few dozen tasks rather than one per 32
files; results cross as bytes the driver unpickles with the garbage collector paused.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from clxm_meta.dataset import executors
from clxm_meta.dataset.walk import WalkEntry

scan_module = importlib.import_module("clxm_meta.dataset.scan")


def _units(sizes: list[int]) -> list[list[WalkEntry]]:
    n = iter(range(10**6))
    return [
        [WalkEntry(rel=f"u{i}/f{next(n)}", path=f"/x/u{i}", size=1, mtime_ns=0) for _ in range(k)]
        for i, k in enumerate(sizes)
    ]


def _flat(batches: list[list[list[WalkEntry]]]) -> list[list[WalkEntry]]:
    return [unit for batch in batches for unit in batch]


def test_batches_without_width_hold_scan_batch_files() -> None:
    units = _units([11] * 30)
    batches = scan_module._batches(units)
    assert _flat(batches) == units  # every unit once, in walk order
    assert all(sum(map(len, b)) >= scan_module.SCAN_BATCH for b in batches[:-1])
    assert len(batches) == 10  # 3 units of 11 files reach 32


def test_batches_grow_to_a_few_tasks_per_worker() -> None:
    units = _units([11] * 1000)  # 11,000 files, as bench_scan's 2,000-dataset tree
    batches = scan_module._batches(units, workers=2)
    assert _flat(batches) == units
    per_worker, split = scan_module.TASKS_PER_WORKER, scan_module.TAIL_SPLIT
    sizes = [sum(map(len, b)) for b in batches]
    least = 11_000 // (2 * per_worker)
    # the last two tasks' worth of files (one a worker) run as tasks a quarter that size
    head, tail = sizes[: -2 * split], sizes[-2 * split :]
    assert 2 * per_worker <= len(batches) <= 2 * per_worker + 2 * split
    assert all(n >= least for n in head[:-1])
    assert all(n <= least // split + 11 for n in tail)
    assert sum(tail) >= 2 * least - 11 * 2 * split


def test_batches_of_a_small_tree_keep_the_floor() -> None:
    units = _units([11] * 4)
    batches = scan_module._batches(units, workers=64)  # a wide cluster, a tiny tree
    assert _flat(batches) == units
    assert len(batches) == 2  # still at least SCAN_BATCH files a task


class _Opaque(Executor):
    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def test_workers_of_standard_pools_and_unknown_executors() -> None:
    with ThreadPoolExecutor(max_workers=3) as threads:
        assert executors.width(threads) == 3
    with ProcessPoolExecutor(max_workers=2) as processes:
        assert executors.width(processes) == 2
    assert executors.width(_Opaque()) is None


def test_workers_of_a_dask_client_executor() -> None:
    distributed = pytest.importorskip("dask.distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=2,
            processes=False,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address=":0",  # a free port: 8787 may be taken
        ) as cluster,
        distributed.Client(cluster, timeout="20s") as client,
    ):
        assert executors.width(client.get_executor()) == 4


@pytest.fixture
def gc_state() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("gc_state")
def test_pickled_batch_round_trips_records_and_models(tree: Path) -> None:
    """Every record, model (DV, MRC, TXRM, logs...) and finding of a unit survives the trip."""
    plan = scan_module._prepare(tree, None, True, None)
    batch = plan.units
    direct = scan_module._scan_batch(plan.ctx, batch)
    gc.enable()
    back = scan_module._unpickled(scan_module._scan_batch_pickled(plan.ctx, batch))
    assert gc.isenabled()  # restored
    assert len(back) == len(direct)
    formats = set()
    for got, want in zip(back, direct, strict=True):
        assert got.records == want.records
        assert got.files == want.files and got.datasets == want.datasets
        assert list(got.models) == list(want.models)
        for rel, model in want.models.items():
            assert type(got.models[rel]) is type(model)
            assert got.models[rel] == model
            assert got.models[rel].model_dump_json() == model.model_dump_json()
            formats.add(model.format)
        for a in ("read_findings", "guessed_findings", "group_findings", "orphan_findings"):
            assert getattr(got, a) == getattr(want, a)
    assert len(formats) >= 4
    gc.disable()
    scan_module._unpickled(scan_module._scan_batch_pickled(plan.ctx, batch[:1]))
    assert not gc.isenabled()  # a caller's disabled collector stays disabled


def test_batches_of_a_large_archive_stay_bounded() -> None:
    units = _units([11] * 10_000)  # 110,000 files: 16 tasks would hold 6,875 files each
    batches = scan_module._batches(units, workers=2)
    assert _flat(batches) == units
    cap = scan_module.TASK_FILES_MAX
    head = batches[: -2 * scan_module.TAIL_SPLIT - 1]  # before the smaller tasks at the end
    assert all(cap <= sum(map(len, b)) < cap + 11 for b in head)
    assert all(sum(map(len, b)) < cap + 11 for b in batches)
