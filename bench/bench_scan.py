"""Dataset scan at scale: a generated tree of 11,000 small files of mixed formats, to records.

The tree (under the scratch folder, deleted afterwards) is the example deposition's sample
replicated into 1,000 sample folders (2,000 datasets): DV raw + reconstruction, SIM log,
Chromagnon CSV, TXRM tilt series, MRC tomogram, align.log, tilt.com, .tlt, .rawtlt, a transform
(11 files each). Scanned serially, on 2 threads, on 2 processes and on a dask ``LocalCluster`` of
2 single-threaded worker processes, profiler off and housekeeping timers slowed as
docs/scaling.md advises on a small machine (``scan(root, executor=...)``, the unit of work a
sample); the JSON must be identical. The streamed check (``scan_units`` with each unit's checks
made in the worker, what ``check --format jsonl --jobs 2`` runs) is timed the same way: its
workers send back JSON lines, where ``scan()``'s send back every record and format model for the
driver to unpickle. Each executor is timed alternately with the serial scan, ``REPEAT`` times,
and its speed-up is the median of its ratios to the serial run beside it (the machine may be
shared: a ratio taken side by side is what holds). Each serial run is timed with no executor
alive: the pool or cluster is started after it (outside the timing) and shut down after its own
run.
"""

from __future__ import annotations

import contextlib
import functools
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
REPEAT = int(os.environ.get("CLXM_BENCH_SCAN_REPEAT", "2"))
TARGET = 1.7
SMALL_MACHINE_DASK = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "5s",
}
"""The dask settings docs/scaling.md gives for a scan on a machine of a few cores."""


def _tree(root: Path) -> int:
    sample = ROOT / "examples" / "deposition" / "sample1"
    for i in range(N_SAMPLES):
        shutil.copytree(sample, root / f"sample{i:04d}")
    return sum(1 for p in root.rglob("*") if p.is_file())


def _timed(root: Path, executor: Executor | None, mode: str = "scan") -> tuple[float, str]:
    """Seconds and output of ``scan()`` (``mode`` scan) or of the streamed check (``check``).

    The streamed check is what ``check --format jsonl --jobs N`` runs: `clxm_meta.scan_units`
    with each unit's completeness, lint and BioStudies checks made in the worker, which sends
    back JSON lines only (no records, no models).
    """
    start = time.perf_counter()
    if mode == "scan":
        out = clxm_meta.scan(root, executor=executor).model_dump_json()
    else:
        from clxm_meta.cli.check_stream import check_unit

        stream = clxm_meta.scan_units(root, executor=executor, keep_records=False, then=check_unit)
        lines = [line for part in stream for line in part.extra[0]]
        out = "\n".join(lines) + stream.result().model_dump_json()
    return time.perf_counter() - start, out


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
    import dask

    # dask's statistical profiler samples each worker's stack every 10 ms; off, and its
    # housekeeping timers slowed, as docs/scaling.md advises for a scan on a machine of a few
    # cores: an idle 2-worker cluster took 1.55 s of CPU per 10 s with the profiler off, 0.13 s
    # with the timers slowed too.
    with (
        dask.config.set(SMALL_MACHINE_DASK),
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        client.wait_for_workers(2)
        # Started like the process pool's workers (forked after the imports): each worker
        # imports the readers before timing, by scanning the example tree once.
        example = str(ROOT / "examples" / "deposition")
        client.run(functools.partial(clxm_meta.scan, example))
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
    from clxm_meta.dataset import transport

    back = sum(len(transport.dumps(scan_mod.scan_unit(ctx, u))) for u in units[:50])
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
        rows.append(("`scan()`, serial (no executor)", t_serial, None, True))
        serial_check = _timed(root, None, "check")[1]
        makers: list[tuple[str, str, Callable[[], contextlib.AbstractContextManager[Any]]]] = [
            ("ThreadPoolExecutor(2)", "threads", _threads),
            ("ProcessPoolExecutor(2)", "processes", _processes),
            ("dask LocalCluster(2 workers × 1 thread)", "dask", _dask),
        ]
        for label, key, make in makers:
            for mode in ("scan", "check") if key != "threads" else ("scan",):
                ratios: list[float] = []
                times: list[float] = []
                same = True
                expected = serial if mode == "scan" else serial_check
                for _ in range(REPEAT if key != "threads" else 1):
                    # The serial run first, with no executor alive: an idle dask cluster (its
                    # scheduler, workers, nannies and the client's thread) took 5-15 % of the
                    # serial run's time when it was up beside it, which flattered the ratio.
                    t0, _out = _timed(root, None, mode)
                    with make() as pool:
                        if pool is None:
                            break
                        t1, out = _timed(root, pool, mode)
                    ratios.append(t0 / t1)
                    times.append(t1)
                    same = same and out == expected
                if not ratios:
                    rows.append((f"{label}: dask not installed", float("nan"), None, False))
                    speedups[key] = speedups[f"{key} check"] = None
                    break
                name = f"`scan()`, {label}" if mode == "scan" else f"streamed check, {label}"
                speedups[key if mode == "scan" else f"{key} check"] = statistics.median(ratios)
                rows.append((name, statistics.median(times), statistics.median(ratios), same))
        sent, back = _pickled(root)
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
    lines = [
        f"{n:,} files in {N_SAMPLES:,} samples ({2 * N_SAMPLES:,} datasets); the unit of work is "
        "a sample (read, classify, group, normalise in the worker; the driver walks, pairs and "
        f"merges). Speed-up: median over {REPEAT} serial/executor runs taken alternately, each "
        "serial run with no executor alive (the pool or cluster is started after it).",
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
    for key, label in (
        ("processes", "`scan()`, 2 processes"),
        ("dask", "`scan()`, dask LocalCluster, 2 workers"),
        ("processes check", "streamed check, 2 processes"),
        ("dask check", "streamed check, dask LocalCluster, 2 workers"),
    ):
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
