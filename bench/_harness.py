"""A tiny side-by-side benchmark harness: clxm_meta and its peers in one run, with ratios.

Each benchmark module calls `compare` with one callable for clxm_meta and one per peer, all doing
the same job (read the metadata of the same file). Times are the best of ``repeat`` runs of
``number`` calls; memory is the peak traced by tracemalloc during one call. Ratios are peer/ours:
above 1 means clxm_meta is faster or leaner.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"


def _best_time(fn: Callable[[], object], number: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def _peak_memory(fn: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def compare(
    title: str,
    ours: Callable[[], object],
    peers: dict[str, Callable[[], object]],
    *,
    number: int = 20,
    repeat: int = 5,
) -> dict[str, dict[str, float]]:
    """Time and measure ``ours`` and each peer; print a table; return the numbers."""
    results: dict[str, dict[str, float]] = {}
    for name, fn in {"clxm_meta": ours, **peers}.items():
        fn()  # warm-up (imports, caches)
        results[name] = {
            "seconds": _best_time(fn, number, repeat),
            "peak_bytes": float(_peak_memory(fn)),
        }
    base = results["clxm_meta"]
    print(f"\n{title}")
    print(f"  {'reader':<28}{'time/call':>12}{'ratio':>9}{'peak mem':>12}{'ratio':>9}")
    for name, r in results.items():
        t_ratio = r["seconds"] / base["seconds"] if base["seconds"] else float("nan")
        m_ratio = r["peak_bytes"] / base["peak_bytes"] if base["peak_bytes"] else float("nan")
        print(
            f"  {name:<28}{r['seconds'] * 1e3:>10.3f}ms{t_ratio:>9.2f}"
            f"{r['peak_bytes'] / 1024:>10.1f}KB{m_ratio:>9.2f}"
        )
    return results
