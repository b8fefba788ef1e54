"""`deposit` per dataset at archive scale: the metadata-only example tree at 50, 200 and 1,000 datasets.

The tree (under the scratch folder, deleted afterwards) is the example deposition's sample (one
cryo-SIM dataset: DV raw + reconstruction, SIM log, Chromagnon CSV; one cryo-SXT dataset: TXRM
tilt series, MRC tomogram, align.log, tilt.com, .tlt, .rawtlt; the SIM-to-SXT transform: 11 small
files) replicated into n/2 sample folders, with a sidecar that fills every required value of
every sample and dataset, so that the deposit is complete and written (one unit per pair).

Timed in-process, as ``clxm-meta deposit TREE -o OUT`` does it (the same calls as
cli/deposit_cmd.py): scan, MD5 of the files to upload, build every document, write the folder
(symbolic links for the uploads). Reported per dataset, by phase; the growth ratio is the
per-dataset time at the largest size ÷ at the smallest (1 means linear).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

from _harness import ROOT, SCRATCH, Headline, Report, standalone

SECTION = "Deposit: the metadata-only example tree, 50 to 1,000 datasets"
SIZES = tuple(int(n) for n in os.environ.get("CLXM_BENCH_DEPOSIT", "50,200,1000").split(","))
"""Datasets per tree (two per sample)."""
TARGET_MS = 15.0


def make_tree(root: Path, n_samples: int) -> Path:
    """The example sample replicated ``n_samples`` times, with a complete sidecar."""
    import yaml

    example = ROOT / "examples" / "deposition"
    side = yaml.safe_load((example / "clxm.yaml").read_text())
    sample_rows = side["samples"].pop("sample1")
    dataset_rows = side.pop("datasets")
    side["samples"], side["datasets"] = {}, {}
    root.mkdir(parents=True)
    for i in range(n_samples):
        name = f"sample{i:04d}"
        shutil.copytree(example / "sample1", root / name)
        side["samples"][name] = sample_rows
        for key, rows in dataset_rows.items():
            title = f"{rows['general.title']} (copy {i})"
            side["datasets"][key.replace("sample1", name, 1)] = {**rows, "general.title": title}
    (root / "clxm.yaml").write_text(yaml.safe_dump(side, sort_keys=False))
    return root


class _Clock:
    """Wall and CPU seconds of consecutive phases."""

    def __init__(self) -> None:
        self.t: dict[str, float] = {}
        self.wall, self.cpu, self.sys = time.perf_counter(), time.process_time(), os.times()[1]

    def lap(self, phase: str) -> None:
        wall, cpu, sys_ = time.perf_counter(), time.process_time(), os.times()[1]
        self.t[phase], self.t[f"{phase} cpu"] = wall - self.wall, cpu - self.cpu
        self.t[f"{phase} sys"] = sys_ - self.sys
        self.wall, self.cpu, self.sys = wall, cpu, sys_


def deposit(root: Path, out: Path) -> dict[str, float]:
    """``clxm-meta deposit root -o out``, phase by phase: wall and CPU seconds per phase."""
    from clxm_meta.checks.manifest import compute_manifest
    from clxm_meta.dataset.scan import scan
    from clxm_meta.export.deposit.build import (
        build_deposit,
        deposition_units,
        upload_files,
        write_tree,
    )

    clock = _Clock()
    result = scan(root)
    clock.lap("scan")
    paths = sorted(
        {
            p
            for unit in deposition_units(result)
            for files in upload_files(result, unit).values()
            for p in files
        }
    )
    entries, errors = compute_manifest([(p, os.path.join(result.root, p)) for p in paths])
    assert not errors, errors
    md5 = {e.rel: e.md5 for e in entries if e.md5 is not None}
    clock.lap("md5")
    dep = build_deposit(result, md5=md5)
    assert not dep.missing and not dep.rejected, (dep.missing[:3], dep.rejected[:3])
    clock.lap("build")
    write_tree(out, dep.files, force=False, links=dep.links, command="deposit")
    clock.lap("write")
    return clock.t


def run(report: Report) -> None:
    base = SCRATCH / "deposit"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    rows: list[tuple[int, dict[str, float]]] = []
    try:
        warm = make_tree(base / "warm", 1)
        deposit(warm, base / "warm_out")  # imports, caches
        for n in SIZES:
            root = make_tree(base / f"tree{n}", max(1, n // 2))
            out = base / f"out{n}"
            t = deposit(root, out)
            rows.append((n, t))
            shutil.rmtree(root)
            shutil.rmtree(out)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    phases = ("scan", "md5", "build", "write")
    lines: list[Any] = [
        "The example sample (a cryo-SIM and a cryo-SXT dataset, 11 small files) replicated, with "
        "a sidecar that completes every dataset; `deposit` timed in-process, phase by phase, "
        "one run per size. CPU time (this process, all threads) is less sensitive to a busy "
        "machine than the wall time the target is stated in.",
        "",
        "| datasets | total | ms per dataset | "
        + " | ".join(f"{p} ms/ds (CPU)" for p in phases)
        + " | CPU ms per dataset |",
        "|---|---|---|" + "---|" * len(phases) + "---|",
    ]
    per: dict[int, float] = {}
    per_cpu: dict[int, float] = {}
    for n, t in rows:
        total = sum(t[p] for p in phases)
        per[n] = total * 1e3 / n
        cells = " | ".join(f"{t[p] * 1e3 / n:.1f} ({t[p + ' cpu'] * 1e3 / n:.1f})" for p in phases)
        cpu = sum(t[p + " cpu"] for p in phases)
        per_cpu[n] = cpu * 1e3 / n
        lines.append(f"| {n:,} | {total:.1f} s | {per[n]:.1f} | {cells} | {cpu * 1e3 / n:.1f} |")
    worst_n = max(per, key=lambda k: per[k])
    growth = per[max(per)] / per[min(per)]
    kernel = ", ".join(f"{t['write sys'] * 1e3 / n:.1f} at {n:,}" for n, t in rows)
    lines += [
        "",
        f"Growth: ms per dataset at {max(per):,} ÷ at {min(per):,} datasets = {growth:.2f} "
        "(1 = linear).",
        "",
        f"Of the write phase's CPU, kernel (system) ms per dataset: {kernel}. That is the file "
        f"system of the scratch folder ({SCRATCH}) creating the deposit's folders, files and "
        "links (about 21 per dataset); see bench/performance_notes.md (issue 21, write phase).",
        "",
    ]
    report.add(SECTION, *lines)
    report.headline(
        Headline(
            "deposit ms per dataset, worst size (metadata-only tree, serial)",
            f"{per[worst_n]:.1f} ms at {worst_n:,} datasets; growth {max(per):,} ÷ "
            f"{min(per):,}: {growth:.2f}",
            f"≤ {TARGET_MS:.0f} ms",
            per[worst_n] <= TARGET_MS,
            f"CPU time per dataset (this process): {per_cpu[worst_n]:.1f} ms at {worst_n:,}, "
            f"growth {per_cpu[max(per_cpu)] / per_cpu[min(per_cpu)]:.2f}",
        )
    )


if __name__ == "__main__":
    standalone(run)
