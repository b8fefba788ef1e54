"""Dataset scan at scale: a generated tree of 11,000 small files of mixed formats, to records.

The tree (under the scratch folder, deleted afterwards) is the example deposition's sample
replicated into 1,000 sample folders (2,000 datasets): DV raw + reconstruction, SIM log,
Chromagnon CSV, TXRM tilt series, MRC tomogram, align.log, tilt.com, .tlt, .rawtlt, a transform
(11 files each). Scanned serially, on 2 threads, on 2 processes and on a dask ``LocalCluster`` of
2 single-threaded worker processes (``scan(root, executor=...)``, the unit of work a sample); the
JSON must be identical. Each executor is timed alternately with the serial scan, ``REPEAT``
times, and its speed-up is the median of its ratios to the serial run beside it (the machine may
be shared: a ratio taken side by side is what holds).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import statistics
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from _harness import ROOT, SCRATCH, Headline, Report, standalone

import clxm_meta

SECTION = "Dataset scan: a generated tree of 11,000 files"
N_SAMPLES = int(os.environ.get("CLXM_BENCH_SAMPLES", "1000"))
REPEAT = int(os.environ.get("CLXM_BENCH_SCAN_REPEAT", "3"))
TARGET = 1.7


def _tree(root: Path) -> int:
    sample = ROOT / "examples" / "deposition" / "sample1"
    for i in range(N_SAMPLES):
        shutil.copytree(sample, root / f"sample{i:04d}")
    return sum(1 for p in root.rglob("*") if p.is_file())


def _timed(root: Path, executor: Executor | None) -> tuple[float, str]:
    start = time.perf_counter()
    result = clxm_meta.scan(root, executor=executor)
    return time.perf_counter() - start, result.model_dump_json()


@contextlib.contextmanager
def _threads() -> Iterator[Executor]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield pool


@contextlib.contextmanager
def _processes() -> Iterator[Executor]:
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(int, range(2)))  # start the workers before timing
        yield pool


@contextlib.contextmanager
def _dask() -> Iterator[Executor | None]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        yield None
        return
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.wait_for_workers(2)
        yield client.get_executor()


def _pickled(root: Path) -> tuple[int, int]:
    """Bytes pickled per scan: the units sent (entries + context) and the results returned."""
    import importlib

    scan_mod = importlib.import_module("clxm_meta.dataset.scan")
    from clxm_meta.dataset.units import split_units
    from clxm_meta.dataset.walk import walk

    entries = walk(root).entries
    units = split_units(entries)
    ctx = scan_mod.UnitContext(root=str(root))
    sent = sum(len(pickle.dumps((ctx, b))) for b in scan_mod._batches(units))
    back = sum(len(pickle.dumps(scan_mod.scan_unit(ctx, u))) for u in units[:50])
    return sent, back * len(units) // max(1, min(50, len(units)))


def run(report: Report) -> None:
    root = SCRATCH / "scan" / "deposition"
    shutil.rmtree(root.parent, ignore_errors=True)
    root.mkdir(parents=True)
    rows: list[tuple[str, float, float | None, bool]] = []
    speedups: dict[str, float | None] = {}
    try:
        n = _tree(root)
        clxm_meta.scan(ROOT / "examples" / "deposition")  # imports
        t_serial, serial = _timed(root, None)
        rows.append(("serial (no executor)", t_serial, None, True))
        makers: list[tuple[str, str, Callable[[], contextlib.AbstractContextManager[Any]]]] = [
            ("ThreadPoolExecutor(2)", "threads", _threads),
            ("ProcessPoolExecutor(2)", "processes", _processes),
            ("dask LocalCluster(2 workers × 1 thread)", "dask", _dask),
        ]
        for label, key, make in makers:
            with make() as pool:
                if pool is None:
                    rows.append((f"{label}: dask not installed", float("nan"), None, False))
                    speedups[key] = None
                    continue
                ratios: list[float] = []
                times: list[float] = []
                same = True
                for _ in range(REPEAT):
                    t0, _out = _timed(root, None)
                    t1, out = _timed(root, pool)
                    ratios.append(t0 / t1)
                    times.append(t1)
                    same = same and out == serial
                speedups[key] = statistics.median(ratios)
                rows.append((label, statistics.median(times), speedups[key], same))
        sent, back = _pickled(root)
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
    lines = [
        f"{n:,} files in {N_SAMPLES:,} samples ({2 * N_SAMPLES:,} datasets); the unit of work is "
        "a sample (read, classify, group, normalise in the worker; the driver walks, pairs and "
        f"merges). Speed-up: median over {REPEAT} serial/executor runs taken alternately.",
        "",
        "| executor | wall time | files/s | speed-up vs serial (side by side) | JSON identical |",
        "|---|---|---|---|---|",
    ]
    for name, t, ratio, same in rows:
        ratio_s = "—" if ratio is None else f"{ratio:.2f}×"
        lines.append(
            f"| {name} | {t:.1f} s | {n / t:,.0f} | {ratio_s} | {'yes' if same else 'NO'} |"
        )
    lines += [
        "",
        f"Pickled per scan: {sent / 2**20:.1f} MiB of units sent to the workers, about "
        f"{back / 2**20:.1f} MiB of partial results back (records and format models).",
        "",
    ]
    report.add(SECTION, *lines)
    same_all = all(r[3] for r in rows)
    for key, label in (("processes", "2 processes"), ("dask", "dask LocalCluster, 2 workers")):
        got = speedups.get(key)
        report.headline(
            Headline(
                f"scan: executor speed-up, 2 workers ({label}), {2 * N_SAMPLES:,} datasets",
                "dask not installed" if got is None else f"{got:.2f}× serial",
                f"≥ {TARGET}× serial, identical JSON",
                None if got is None else got >= TARGET and same_all,
                "" if same_all else "JSON differs from the serial scan",
            )
        )


if __name__ == "__main__":
    standalone(run)
