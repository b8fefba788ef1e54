"""Memory and time at archive scale: 1,000 and 10,000 datasets, scan and check.

The trees (under the scratch folder, generated once per run and deleted afterwards) are the
example deposition's sample replicated into 500 and 5,000 sample folders (2 datasets and 11
files each: 5,500 and 55,000 files, 1.3 GB at 10k). Each measurement is a fresh process, timed
from outside, its peak RSS read with ``resource.getrusage(RUSAGE_CHILDREN)`` by a wrapper whose
only child it is:

- ``scan_units`` (the stream the CLI uses: each unit's records handed over and dropped),
- ``scan()`` (the whole `ScanResult`, every record and format model held: the public API),
- ``clxm-meta check --format jsonl`` (output to /dev/null; duplicates checked as by default).

Time must be linear in datasets (10k ÷ 1k ≤ 11×) and the streamed scan and check must stay under
500 MiB at 10k. The 10k runs are time-boxed (``CLXM_BENCH_SCALE_BUDGET`` seconds each, default
1,800); ``CLXM_BENCH_SCALE`` sets the sizes in samples (default ``500,5000``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from _harness import ROOT, SCRATCH, Headline, Report, standalone

SECTION = "Archive scale: memory and time at 1,000 and 10,000 datasets"
SIZES = tuple(int(n) for n in os.environ.get("CLXM_BENCH_SCALE", "500,5000").split(","))
BUDGET = float(os.environ.get("CLXM_BENCH_SCALE_BUDGET", "1800"))
RSS_TARGET_MIB = 500
LINEAR_TARGET = 11.0

_WRAP = """
import resource, subprocess, sys, time
t = time.perf_counter()
try:
    rc = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, timeout=float(sys.argv[1])).returncode
except subprocess.TimeoutExpired:
    rc = "timeout"
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - t, u.ru_maxrss, rc, u.ru_utime + u.ru_stime)
"""

_STREAM = (
    "import sys, clxm_meta\n"
    "s = clxm_meta.scan_units(sys.argv[1])\n"
    "n = sum(len(u.records) for u in s)\n"
    "t = s.result()\n"
    "assert n == len(t.datasets), (n, len(t.datasets))\n"
)
_WHOLE = "import sys, clxm_meta\nr = clxm_meta.scan(sys.argv[1])\nassert r.records\n"

WHAT = {
    "scan_units (stream)": lambda root: [sys.executable, "-c", _STREAM, root],
    "scan() (whole ScanResult)": lambda root: [sys.executable, "-c", _WHOLE, root],
    "check --format jsonl": lambda root: [
        sys.executable,
        "-m",
        "clxm_meta",
        "check",
        root,
        "--format",
        "jsonl",
        "-q",
    ],
}


def _tree(root: Path, samples: int) -> None:
    sample = ROOT / "examples" / "deposition" / "sample1"
    for i in range(samples):
        shutil.copytree(sample, root / f"sample{i:05d}")


def _measure(cmd: list[str]) -> tuple[float, float, str, float]:
    """Wall seconds, peak RSS in MiB, exit code (or ``timeout``), CPU seconds of one process."""
    out = subprocess.run(
        [sys.executable, "-c", _WRAP, str(BUDGET), *cmd],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024, out[2], float(out[3])


Run = tuple[float, float, str, float]
"""Wall seconds, peak RSS MiB, exit code (or ``timeout``), CPU seconds."""


def _bracketed(first: Run, again: Run) -> Run:
    """A smaller size measured before and after the largest: mean times, larger RSS.

    This VM's speed drifts by tens of percent over minutes (the same 1,000-dataset check took 16 s
    in one run and 12 s in the next while the 10,000-dataset one took 148 and 159 s), so a small
    size timed once, before the large one, made the ratio swing across the target. A drift that
    is steady over the large run cancels in the mean of a measurement before and one after it.
    """
    rc = first[2] if first[2] not in ("0", "1") else again[2]
    return (
        (first[0] + again[0]) / 2,
        max(first[1], again[1]),
        rc,
        (first[3] + again[3]) / 2,
    )


def run(report: Report) -> None:
    base = SCRATCH / "scale"
    shutil.rmtree(base, ignore_errors=True)
    got: dict[tuple[str, int], Run] = {}
    before: dict[tuple[str, int], Run] = {}
    try:
        for samples in SIZES:
            root = base / f"d{2 * samples}"
            root.mkdir(parents=True)
            start = time.perf_counter()
            _tree(root, samples)
            made = time.perf_counter() - start
            print(f"{2 * samples:,} datasets written in {made:.0f} s", flush=True)
            for label, cmd in WHAT.items():
                got[(label, samples)] = _measure(cmd(str(root)))
                print(label, samples, got[(label, samples)], flush=True)
            if samples == SIZES[-1]:
                shutil.rmtree(root, ignore_errors=True)
        for samples in reversed(SIZES[:-1]):  # again after the largest: see `_bracketed`
            root = base / f"d{2 * samples}"
            for label, cmd in WHAT.items():
                again = _measure(cmd(str(root)))
                print(label, samples, "again", again, flush=True)
                before[(label, samples)] = got[(label, samples)]
                got[(label, samples)] = _bracketed(got[(label, samples)], again)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    small, big = SIZES[0], SIZES[-1]
    lines = [
        "Each cell: wall time (CPU time), peak RSS of the process (a fresh process per run, "
        "serial); the example sample replicated (2 datasets, 11 files per sample). The CPU-time "
        "ratio does not depend on the machine's load as the wall-time ratio does. Each smaller "
        "size is timed before and again after the largest, and the mean of the two is used "
        "(the first of them in brackets): a steady drift of the machine's speed cancels.",
        "",
        "| run | "
        + " | ".join(f"{2 * s:,} datasets" for s in SIZES)
        + " | wall-time ratio | CPU-time ratio |",
        "|---|" + "---|" * (len(SIZES) + 2),
    ]
    for label in WHAT:
        cells = []
        for s in SIZES:
            t, rss, rc, cpu = got[(label, s)]
            first = f" [first {before[(label, s)][0]:.0f} s]" if (label, s) in before else ""
            cells.append(
                f"{t:.0f} s ({cpu:.0f} s), {rss:.0f} MiB{first}"
                + ("" if rc in ("0", "1") else f" ({rc})")
            )
        ratio = got[(label, big)][0] / got[(label, small)][0]
        cpu_ratio = got[(label, big)][3] / got[(label, small)][3]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {ratio:.1f}× | {cpu_ratio:.1f}× |")
    lines.append("")
    report.add(SECTION, *lines)
    scale = big / small
    for label in ("scan_units (stream)", "check --format jsonl", "scan() (whole ScanResult)"):
        t_big, rss, rc, cpu_big = got[(label, big)]
        ratio = t_big / got[(label, small)][0]
        cpu_ratio = cpu_big / got[(label, small)][3]
        done = rc in ("0", "1")
        report.headline(
            Headline(
                f"{label}: peak RSS at {2 * big:,} datasets",
                f"{rss:.0f} MiB" + ("" if done else f" ({rc})"),
                f"≤ {RSS_TARGET_MIB} MiB",
                done and rss <= RSS_TARGET_MIB,
                "the public API holds every record and model; the CLI streams"
                if label.startswith("scan()")
                else "",
            )
        )
        report.headline(
            Headline(
                f"{label}: time {2 * big:,} ÷ {2 * small:,} datasets",
                f"{ratio:.1f}×",
                f"≤ {LINEAR_TARGET * scale / 10:.0f}× (linear: {scale:.0f}×)",
                done and ratio <= LINEAR_TARGET * scale / 10,
                f"CPU time {cpu_ratio:.1f}×",
            )
        )


if __name__ == "__main__":
    standalone(run)
