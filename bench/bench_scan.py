"""Dataset scan at scale: a generated tree of 11,000 small files of mixed formats, to records.

The tree (under the scratch folder, deleted afterwards) is the example deposition's sample
replicated into 1,000 sample folders: DV raw + reconstruction, SIM log, Chromagnon CSV, TXRM tilt
series, MRC tomogram, align.log, tilt.com, .tlt, .rawtlt, DV reconstruction (11 files each). Scanned serially, on
2 threads and on 2 processes (``scan(root, executor=...)``); the results must be identical.
"""

from __future__ import annotations

import os
import shutil
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from _harness import ROOT, SCRATCH, Report, standalone

import clxm_meta

SECTION = "Dataset scan: a generated tree of 11,000 files"
N_SAMPLES = int(os.environ.get("CLXM_BENCH_SAMPLES", "1000"))


def _tree(root: Path) -> int:
    sample = ROOT / "examples" / "deposition" / "sample1"
    for i in range(N_SAMPLES):
        shutil.copytree(sample, root / f"sample{i:04d}")
    return sum(1 for p in root.rglob("*") if p.is_file())


def _timed(root: Path, executor: Executor | None) -> tuple[float, str]:
    start = time.perf_counter()
    result = clxm_meta.scan(root, executor=executor)
    return time.perf_counter() - start, result.model_dump_json()


def run(report: Report) -> None:
    root = SCRATCH / "scan" / "deposition"
    shutil.rmtree(root.parent, ignore_errors=True)
    root.mkdir(parents=True)
    try:
        n = _tree(root)
        clxm_meta.scan(ROOT / "examples" / "deposition")  # imports
        t_serial, serial = _timed(root, None)
        rows = [("serial (no executor)", t_serial, True)]
        with ThreadPoolExecutor(max_workers=2) as pool:
            t, out = _timed(root, pool)
            rows.append(("ThreadPoolExecutor(2)", t, out == serial))
        with ProcessPoolExecutor(max_workers=2) as pool:
            pool.submit(int).result()  # start the workers before timing
            t, out = _timed(root, pool)
            rows.append(("ProcessPoolExecutor(2)", t, out == serial))
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
    lines = [
        f"{n:,} files in {N_SAMPLES:,} samples ({2 * N_SAMPLES:,} datasets).",
        "",
        "| executor | wall time | files/s | JSON identical to serial |",
        "|---|---|---|---|",
    ]
    for name, t, same in rows:
        lines.append(f"| {name} | {t:.1f} s | {n / t:,.0f} | {'yes' if same else 'NO'} |")
    report.add(SECTION, *lines, "")


if __name__ == "__main__":
    standalone(run)
