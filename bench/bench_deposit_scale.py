"""``deposit`` at archive scale: peak memory and time at 1,000 and 10,000 datasets (issue 21).

The tree (under the scratch folder, deleted afterwards) is the example deposition's sample copied
into N/2 sample folders (a SIM and an SXT dataset each, 11 files: the metadata-only tree).
``clxm-meta deposit TREE -o OUT --allow-incomplete -q`` runs in a subprocess; its peak resident
memory is the kernel's (``wait4`` max RSS), its time the wall clock. A second subprocess only
scans the tree (``clxm_meta.scan``), to show what of the peak is the scan's (the ScanResult
held for the whole run) and what the deposit adds.
Targets: peak RSS at 10,000 datasets < 500 MiB; time 10k ÷ 1k ≤ 11.
``CLXM_BENCH_DEPOSIT_DATASETS`` (default ``1000,10000``) sets the sizes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from _harness import ROOT, SCRATCH, Headline, Report, load, standalone

SECTION = "Deposit at archive scale: peak memory and time"
SIZES = [int(n) for n in os.environ.get("CLXM_BENCH_DEPOSIT_DATASETS", "1000,10000").split(",")]
MIB = 1024 * 1024
LIMIT_MIB = 500


def _tree(root: Path, datasets: int) -> None:
    sample = ROOT / "examples" / "deposition"
    root.mkdir(parents=True)
    shutil.copy(sample / "clxm.yaml", root / "clxm.yaml")
    for i in range(datasets // 2):
        shutil.copytree(sample / "sample1", root / f"sample{i:05d}")


def _run(cmd: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (bytes) of one subprocess."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}")
    return seconds, usage.ru_maxrss * 1024  # Linux: KiB


def run(report: Report) -> None:
    base = SCRATCH / "deposit_scale"
    rows: list[tuple[int, float, int, float, int]] = []
    try:
        for n in SIZES:
            shutil.rmtree(base, ignore_errors=True)
            tree = base / "tree"
            _tree(tree, n)
            scan_s, scan_rss = _run(
                [sys.executable, "-c", f"import clxm_meta; clxm_meta.scan({str(tree)!r})"]
            )
            out = base / "out"
            cmd = [sys.executable, "-m", "clxm_meta", "deposit", str(tree), "-o", str(out)]
            dep_s, dep_rss = _run([*cmd, "--allow-incomplete", "-q"])
            rows.append((n, dep_s, dep_rss, scan_s, scan_rss))
            print(
                f"{n} datasets: deposit {dep_s:.1f} s, {dep_rss / MIB:.0f} MiB; scan alone "
                f"{scan_s:.1f} s, {scan_rss / MIB:.0f} MiB (load {load()})",
                flush=True,
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)
    lines = [
        "The example sample copied into N/2 sample folders; `deposit --allow-incomplete` in a "
        "subprocess (peak RSS from `wait4`), and a scan alone for the split.",
        "",
        "| datasets | deposit wall | per dataset | deposit peak RSS | scan alone: wall | scan "
        "alone: peak RSS |",
        "|---|---|---|---|---|---|",
    ]
    for n, dep_s, dep_rss, scan_s, scan_rss in rows:
        lines.append(
            f"| {n:,} | {dep_s:.1f} s | {1000 * dep_s / n:.1f} ms | {dep_rss / MIB:.0f} MiB | "
            f"{scan_s:.1f} s | {scan_rss / MIB:.0f} MiB |"
        )
    report.add(SECTION, *lines, "")
    big = max(rows, key=lambda r: r[0])
    report.headline(
        Headline(
            f"deposit of {big[0]:,} datasets: peak RSS",
            f"{big[2] / MIB:.0f} MiB (the scan alone: {big[4] / MIB:.0f} MiB)",
            f"< {LIMIT_MIB} MiB at 10,000 datasets",
            big[2] < LIMIT_MIB * MIB if big[0] >= 10_000 else None,
        )
    )
    small = min(rows, key=lambda r: r[0])
    if big[0] > small[0]:
        ratio = big[1] / small[1]
        scale = big[0] / small[0]
        report.headline(
            Headline(
                f"deposit time, {big[0]:,} ÷ {small[0]:,} datasets",
                f"{ratio:.1f}× ({big[1]:.0f} s vs {small[1]:.0f} s)",
                f"≤ {1.1 * scale:.0f}×",
                ratio <= 1.1 * scale if scale >= 10 else None,
            )
        )


if __name__ == "__main__":
    standalone(run)
