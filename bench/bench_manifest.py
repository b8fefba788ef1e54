"""MD5 manifest throughput: clxm_meta's hashing vs ``md5sum`` on the same files (warm cache).

One 1 GiB file (single-stream speed: both use an assembler MD5, so the ratio is the overhead
of Python's chunked loop), then 8 files of 128 MiB (clxm_meta hashes them on a thread pool;
``md5sum`` runs one file after the other; ``xargs -P2 md5sum`` uses both cores too).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

from _harness import SCRATCH, Headline, Report, standalone, wall

from clxm_meta.checks.manifest import compute_manifest
from clxm_meta.io.md5 import md5_file

SECTION = "MD5 manifest vs md5sum"
MIB = 1024 * 1024


def _write_random(path: os.PathLike[str], size: int) -> None:
    with open(path, "wb") as fh:
        left = size
        while left:
            n = min(left, 64 * MIB)
            fh.write(os.urandom(n))
            left -= n


def _ours(fn: object, repeat: int = 5) -> float:
    fn()  # type: ignore[operator]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def run(report: Report) -> None:
    if shutil.which("md5sum") is None:
        print("bench_manifest: md5sum not found, skipped")
        return
    folder = SCRATCH / "manifest"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        one = folder / "one.bin"
        _write_random(one, 1024 * MIB)
        t_ours = _ours(lambda: md5_file(one))
        t_md5 = wall(["md5sum", str(one)], repeat=5).median
        many = []
        for i in range(8):
            p = folder / f"part{i}.bin"
            _write_random(p, 128 * MIB)
            many.append(p)
        items = [(p.name, str(p)) for p in many]
        t_many = _ours(lambda: compute_manifest(items))
        t_many_md5 = wall(["md5sum", *map(str, many)], repeat=5).median
        xargs = f"printf '%s\\n' {' '.join(map(str, many))} | xargs -P2 -n1 md5sum"
        subprocess.run(["sh", "-c", xargs], check=True, capture_output=True)
        t_many_x = wall(["sh", "-c", xargs], repeat=5).median
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    gib = 1024 * MIB

    def rate(t: float) -> str:
        return f"{gib / t / MIB:.0f} MiB/s"

    report.add(
        SECTION,
        "| job | clxm_meta | md5sum | ratio (throughput ours / md5sum) |",
        "|---|---|---|---|",
        f"| 1 file of 1 GiB | {rate(t_ours)} | {rate(t_md5)} | {t_md5 / t_ours:.2f} |",
        f"| 8 files of 128 MiB | {rate(t_many)} (thread pool, {os.cpu_count()} CPUs) | "
        f"{rate(t_many_md5)} (serial); {rate(t_many_x)} (`xargs -P2`) | "
        f"{t_many_md5 / t_many:.2f} vs serial; {t_many_x / t_many:.2f} vs `xargs -P2` |",
        "",
    )
    report.headline(
        Headline(
            "MD5 manifest, one file: throughput ÷ `md5sum`",
            f"{t_md5 / t_ours:.2f} ({rate(t_ours)} vs {rate(t_md5)}); many files: "
            f"{t_many_md5 / t_many:.2f}× serial md5sum",
            "≥ 0.90",
            t_md5 / t_ours >= 0.9,
        )
    )


if __name__ == "__main__":
    standalone(run)
