"""``deposit`` at archive scale: peak memory and time at 1,000 and 10,000 datasets (issue 21).

The tree (under the scratch folder, deleted afterwards) is the example deposition's sample copied
into N/2 sample folders (a SIM and an SXT dataset each, 11 files: the metadata-only tree).
``clxm-meta deposit TREE -o OUT --allow-incomplete -q`` runs in a subprocess; its peak resident
memory is the kernel's max RSS, read by a small wrapper process whose only child it is (see
`_WRAP`), its time the wall clock. A second subprocess only
scans the tree (``clxm_meta.scan``), to show what of the peak is the scan's (the ScanResult
held for the whole run) and what the deposit adds.
Targets: peak RSS at 10,000 datasets < 500 MiB; time 10k ÷ 1k ≤ 11.
``CLXM_BENCH_DEPOSIT_DATASETS`` (default ``1000,10000``) sets the sizes,
``CLXM_BENCH_DEPOSIT_BUDGET`` (default 1,800) the seconds each run may take. On the smallest
tree ``deposit --jobs 2`` runs too (``CLXM_BENCH_DEPOSIT_JOBS``; 1 skips it): its speed-up over
the serial run, informational (two cores shared with the rest of the machine).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


_WRAP = """
import os, resource, subprocess, sys, time
t = time.perf_counter()
try:
    rc = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                        timeout=float(sys.argv[1])).returncode
except subprocess.TimeoutExpired:
    rc = "timeout"
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - t, u.ru_maxrss, rc)
"""
"""Runs one command and reports its wall time, peak RSS (KiB) and exit code. The measured
process must be the child of a small process: Linux starts a forked child's RSS high-water
mark at its parent's RSS (kept across exec), so a command started straight from this benchmark
process, which has built whole deposits in the benchmarks before it, reported that process's
peak instead of its own (1,379 MiB for a scan of 1,000 datasets)."""

JOBS = int(os.environ.get("CLXM_BENCH_DEPOSIT_JOBS", "2"))
"""Processes of the ``deposit --jobs`` run on the smallest tree (1: not run)."""

BUDGET = float(os.environ.get("CLXM_BENCH_DEPOSIT_BUDGET", "1800"))
"""Seconds each run may take; a run stopped there reports the RSS it had reached."""


def _run(cmd: list[str]) -> tuple[float, int, str]:
    """Wall time, peak RSS (bytes) and exit code (or ``timeout``) of one subprocess."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, "-c", _WRAP, str(BUDGET), *cmd],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if out[2] not in ("0", "timeout"):
        raise RuntimeError(f"{' '.join(cmd)} exited {out[2]}")
    return float(out[0]), int(out[1]) * 1024, out[2]  # Linux: KiB


def run(report: Report) -> None:
    base = SCRATCH / "deposit_scale"
    rows: list[tuple[int, float, int, str, float, int, str]] = []
    jobs: tuple[int, float, int, str, float, str] | None = None
    try:
        for n in SIZES:
            shutil.rmtree(base, ignore_errors=True)
            tree = base / "tree"
            _tree(tree, n)
            scan_s, scan_rss, scan_rc = _run(
                [sys.executable, "-c", f"import clxm_meta; clxm_meta.scan({str(tree)!r})"]
            )
            out = base / "out"
            cmd = [sys.executable, "-m", "clxm_meta", "deposit", str(tree), "-o", str(out)]
            dep_s, dep_rss, dep_rc = _run([*cmd, "--allow-incomplete", "-q"])
            rows.append((n, dep_s, dep_rss, dep_rc, scan_s, scan_rss, scan_rc))
            if n == min(SIZES) and JOBS > 1:  # the streamed deposit on processes, same tree
                shutil.rmtree(out, ignore_errors=True)
                job_s, job_rss, job_rc = _run(
                    [*cmd, "--allow-incomplete", "-q", "--jobs", str(JOBS)]
                )
                jobs = (n, job_s, job_rss, job_rc, dep_s, dep_rc)
                print(
                    f"{n} datasets: deposit --jobs {JOBS} {job_s:.1f} s ({job_rc}), "
                    f"{job_rss / MIB:.0f} MiB (load {load()})",
                    flush=True,
                )
            print(
                f"{n} datasets: deposit {dep_s:.1f} s ({dep_rc}), {dep_rss / MIB:.0f} MiB; scan "
                f"alone {scan_s:.1f} s ({scan_rc}), {scan_rss / MIB:.0f} MiB (load {load()})",
                flush=True,
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)

    def wall(seconds: float, rc: str) -> str:
        return f"{seconds:.1f} s" if rc != "timeout" else f"stopped at {seconds:.0f} s"

    lines = [
        "The example sample copied into N/2 sample folders; `deposit --allow-incomplete` in a "
        "fresh process, and `scan()` alone for the split (peak RSS of each, read by a small "
        f"wrapper process whose only child it is; runs stopped at {BUDGET:.0f} s report the RSS "
        "reached by then).",
        "",
        "| datasets | deposit wall | per dataset | deposit peak RSS | scan alone: wall | scan "
        "alone: peak RSS |",
        "|---|---|---|---|---|---|",
    ]
    for n, dep_s, dep_rss, dep_rc, scan_s, scan_rss, scan_rc in rows:
        per = f"{1000 * dep_s / n:.1f} ms" if dep_rc != "timeout" else "–"
        lines.append(
            f"| {n:,} | {wall(dep_s, dep_rc)} | {per} | {dep_rss / MIB:.0f} MiB | "
            f"{wall(scan_s, scan_rc)} | {scan_rss / MIB:.0f} MiB |"
        )
    if jobs is not None:
        n, job_s, job_rss, job_rc, dep_s, dep_rc = jobs
        lines += [
            "",
            f"`deposit --jobs {JOBS}` on the {n:,}-dataset tree: {wall(job_s, job_rc)}, peak RSS "
            f"{job_rss / MIB:.0f} MiB (the largest one process, driver or worker); serial "
            f"{wall(dep_s, dep_rc)}.",
        ]
    report.add(SECTION, *lines, "")
    if jobs is not None and "timeout" not in (jobs[3], jobs[5]):
        report.headline(
            Headline(
                f"deposit --jobs {JOBS} ÷ serial, {jobs[0]:,} datasets",
                f"{jobs[4] / jobs[1]:.2f}× ({jobs[1]:.0f} s vs {jobs[4]:.0f} s)",
                "informational (same folder whatever --jobs)",
                None,
            )
        )
    big = max(rows, key=lambda r: r[0])
    over = big[2] >= LIMIT_MIB * MIB
    report.headline(
        Headline(
            f"deposit of {big[0]:,} datasets: peak RSS",
            f"{big[2] / MIB:.0f} MiB{' by the time it was stopped' if big[3] == 'timeout' else ''}"
            f" (the scan alone: {big[5] / MIB:.0f} MiB)",
            f"< {LIMIT_MIB} MiB at 10,000 datasets",
            (not over and big[3] != "timeout") if big[0] >= 10_000 else (False if over else None),
        )
    )
    small = min(rows, key=lambda r: r[0])
    if big[0] > small[0]:
        scale = big[0] / small[0]
        if big[3] == "timeout" or small[3] == "timeout":
            measured = f"not measured: a run was stopped at {BUDGET:.0f} s"
            met: bool | None = False if scale >= 10 else None
        else:
            ratio = big[1] / small[1]
            measured = f"{ratio:.1f}× ({big[1]:.0f} s vs {small[1]:.0f} s)"
            met = ratio <= 1.1 * scale if scale >= 10 else None
        report.headline(
            Headline(
                f"deposit time, {big[0]:,} ÷ {small[0]:,} datasets",
                measured,
                f"≤ {1.1 * scale:.0f}×",
                met,
            )
        )


if __name__ == "__main__":
    standalone(run)
