"""A small side-by-side benchmark harness: clxm_meta and its peers in one run, with ratios.

Every benchmark module has ``run(report)``: it times clxm_meta and each peer doing the same job on
the same file (`compare`), and adds the numbers to ``report``. Times are per call: the median of
``repeat`` runs of ``number`` calls, with the min and max of those runs (in `compare` the runs of
clxm_meta and its peers alternate); memory is the peak traced
by tracemalloc during one call (Python allocations, numpy buffers included). Ratios are
peer / clxm_meta: above 1 means clxm_meta is faster or leaner.

``python bench/run.py`` runs every module and writes docs/performance.md from the report;
``python bench/bench_dv.py`` runs one and prints its tables.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"
SCRATCH = Path(os.environ.get("CLXM_BENCH_TMP", "/tmp/clxm_bench"))
"""Generated large files and trees go here (never into the repository); removed after use."""


@dataclass
class Timing:
    """Seconds per call (median, min, max over repeats) and peak traced bytes of one call."""

    median: float
    lo: float
    hi: float
    peak: int | None = None

    def ms(self) -> str:
        return f"{self.median * 1e3:.3f} ms ({self.lo * 1e3:.3f}–{self.hi * 1e3:.3f})"


def _times(fn: Callable[[], object], number: int, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for _ in range(number):
            fn()
        out.append((time.perf_counter() - start) / number)
    return out


def peak_memory(fn: Callable[[], object]) -> int:
    """Peak bytes traced by tracemalloc while ``fn`` runs once."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def measure(
    fn: Callable[[], object], *, number: int = 20, repeat: int = 7, memory: bool = True
) -> Timing:
    """Warm ``fn`` up once, then time it; optionally trace its peak memory."""
    fn()
    times = _times(fn, number, repeat)
    return Timing(
        statistics.median(times),
        min(times),
        max(times),
        peak_memory(fn) if memory else None,
    )


def wall(cmd: Sequence[str], *, repeat: int = 11, env: dict[str, str] | None = None) -> Timing:
    """Wall time of a command (a fresh process each time); output discarded."""
    subprocess.run(cmd, check=True, capture_output=True, env=env)  # warm the page cache
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        times.append(time.perf_counter() - start)
    return Timing(statistics.median(times), min(times), max(times))


def walls(
    cmds: dict[str, Sequence[str]],
    *,
    repeat: int = 11,
    envs: dict[str, dict[str, str]] | None = None,
    exit_codes: Sequence[int] = (0,),
) -> dict[str, Timing]:
    """`wall` of several commands, their runs alternated (a, b, c, a, b, c, ...).

    A change in the machine's load during the run then falls on every command alike instead of
    on whichever ran last; the ratios between them are what the figures are for. ``envs`` adds
    environment variables to the named commands. ``exit_codes``: the exit statuses that count as
    a completed run (``inspect`` exits 1 on a file with error findings, a run all the same).
    """
    env_of = {name: {**os.environ, **(envs or {}).get(name, {})} for name in cmds}

    def run(name: str, cmd: Sequence[str], **kwargs: object) -> None:
        done = subprocess.run(cmd, check=False, env=env_of[name], **kwargs)  # type: ignore[call-overload]
        if done.returncode not in exit_codes:
            raise subprocess.CalledProcessError(done.returncode, list(cmd))

    for name, cmd in cmds.items():
        run(name, cmd, capture_output=True)  # warm the cache
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(repeat):
        for name, cmd in cmds.items():
            start = time.perf_counter()
            run(name, cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
    return {name: Timing(statistics.median(ts), min(ts), max(ts)) for name, ts in times.items()}


@dataclass
class Comparison:
    """clxm_meta and its peers on one job; ``failed`` holds each peer that could not do it."""

    title: str
    ours: Timing
    peers: dict[str, Timing]
    note: str = ""
    failed: dict[str, str] = field(default_factory=dict)

    def ratio(self, peer: str) -> float:
        """peer time / our time (above 1: clxm_meta is faster)."""
        return self.peers[peer].median / self.ours.median

    def lines(self) -> list[str]:
        out = [
            f"**{self.title}**" + (f" — {self.note}" if self.note else ""),
            "",
            "| reader | time per call, median (min–max) | ratio | peak memory | ratio |",
            "|---|---|---|---|---|",
        ]
        for name, t in {"clxm_meta": self.ours, **self.peers}.items():
            ratio = t.median / self.ours.median
            if t.peak is not None and self.ours.peak:
                mem, mratio = f"{t.peak / 1024:.1f} KiB", f"{t.peak / self.ours.peak:.2f}"
            else:
                mem, mratio = "–", "–"
            out.append(f"| {name} | {t.ms()} | {ratio:.2f} | {mem} | {mratio} |")
        for name, why in self.failed.items():
            out.append(f"| {name} | failed: {why} | – | – | – |")
        return [*out, ""]


def compare(
    title: str,
    ours: Callable[[], object],
    peers: dict[str, Callable[[], object]],
    *,
    number: int = 20,
    repeat: int = 7,
    note: str = "",
) -> Comparison:
    """Time ``ours`` and each peer on the same job; print and return the comparison.

    The repeats are interleaved (ours, each peer, ours, ...), so that a change in the machine's
    load during the run falls on every reader alike instead of on whichever ran last.
    """
    ours()  # warm up; our failure is the benchmark's failure
    jobs = {"": ours}
    failed: dict[str, str] = {}
    for name, fn in peers.items():
        try:
            fn()  # warm up; a peer that cannot read the file is reported, not hidden
        except Exception as exc:
            failed[name] = f"{type(exc).__name__}: {str(exc)[:80]}"
        else:
            jobs[name] = fn
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(repeat):
        for name, fn in jobs.items():
            times[name].extend(_times(fn, number, 1))
    timing = {
        name: Timing(statistics.median(ts), min(ts), max(ts), peak_memory(jobs[name]))
        for name, ts in times.items()
    }
    result = Comparison(title, timing.pop(""), timing, note, failed)
    print("\n".join(result.lines()), flush=True)
    return result


@dataclass(frozen=True)
class Worst:
    """The worst ratio against one peer over every sample, and on how many the peer failed."""

    ratio: float
    best: float
    read: int
    failed: int
    file: str

    def text(self) -> str:
        """``0.82× (worst of 5 files: x.mrc; best 1.10×)`` plus the peer's failures, if any."""
        if not self.read:
            return f"no file the peer could read (it failed on {self.failed})"
        out = f"{self.ratio:.2f}× (worst of {self.read} files: {self.file}; best {self.best:.2f}×)"
        if self.failed:
            out += f"; the peer failed on {self.failed} more"
        return out


def worst(comps: Sequence[Comparison], peer: str) -> Worst:
    """`Worst` of ``peer`` over ``comps``: a file the peer failed on is counted, never dropped."""
    read = [c for c in comps if peer in c.peers]
    failed = sum(1 for c in comps if peer in c.failed)
    if not read:
        return Worst(float("nan"), float("nan"), 0, failed, "")
    low = min(read, key=lambda c: c.ratio(peer))
    return Worst(
        low.ratio(peer), max(c.ratio(peer) for c in read), len(read), failed, low.title.split()[0]
    )


def samples(folder: str, *endings: str) -> list[Path]:
    """Every real sample of one format (``REAL/folder``) whose name ends with one of ``endings``."""
    root = REAL / folder
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.iterdir() if p.is_file() and p.name.lower().endswith(tuple(endings))
    )


@dataclass
class Headline:
    """One row of the issue's target table."""

    what: str
    measured: str
    target: str
    met: bool | None
    note: str = ""


@dataclass
class Report:
    """Everything one benchmark run found, section by section."""

    headlines: list[Headline] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)

    def add(self, section: str, *lines: str) -> None:
        self.sections.setdefault(section, []).extend(lines)
        print("\n".join(lines), flush=True)

    def add_comparison(self, section: str, comp: Comparison) -> None:
        self.sections.setdefault(section, []).extend(comp.lines())

    def headline(self, row: Headline) -> None:
        self.headlines.append(row)
        state = {True: "met", False: "NOT met", None: "n/a"}[row.met]
        print(f"[{state}] {row.what}: {row.measured} (target {row.target}) {row.note}", flush=True)


def load() -> str:
    """The load average now, ``1-min / 5-min / 15-min``."""
    avg = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return f"{avg[0]:.2f} / {avg[1]:.2f} / {avg[2]:.2f}"


def machine(load_before: str, load_after: str) -> str:
    """One line on where the numbers were taken (the load matters on a shared machine).

    The two loads are read by the caller before the first benchmark and after the last one
    (each ``1 / 5 / 15 min``), so that a busy machine shows at either end.
    """
    return (
        f"{platform.python_implementation()} {platform.python_version()} on {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPUs, load average {load_before} before the "
        f"run and {load_after} after it (1 / 5 / 15 min)"
    )


def standalone(run: Callable[[Report], None]) -> None:
    """``python bench/bench_x.py``: run one module and print its tables."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    run(Report())
