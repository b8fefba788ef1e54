"""Run every benchmark side by side and write docs/performance.md from the numbers.

    python bench/run.py                  # every bench_*.py, then docs/performance.md
    python bench/run.py dv mrc           # some of them (docs/performance.md is not written)
    python bench/run.py --no-write       # every one, print only

One module's failure does not stop the others; it is listed at the end and in the report.
Peers come from the ``bench`` extra: ``pip install -e '.[bench]'``. Generated large files and
trees go under ``CLXM_BENCH_TMP`` (default /tmp/clxm_bench) and are deleted after use.
"""

from __future__ import annotations

import argparse
import importlib
import runpy
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOC = HERE.parent / "docs" / "performance.md"
NOTES = HERE / "performance_notes.md"
ORDER = (
    "startup",
    "dv",
    "mrc",
    "txrm",
    "tiff",
    "imod",
    "size",
    "intensity",
    "manifest",
    "scan",
    "deposit",
    "deposit_scale",
    "scale",
)


def _render(
    report: object, failed: list[str], started: str, seconds: float, loads: tuple[str, str]
) -> str:
    from _harness import Report, machine

    assert isinstance(report, Report)
    out = [
        "# Performance",
        "",
        "<!-- Written by `python bench/run.py`; edit bench/performance_notes.md, not this file. -->",
        "",
        f"Measured {started}, {machine(*loads)}; the run took {seconds / 60:.1f} min. Times are",
        "medians of repeated runs with (min–max); ratios are peer ÷ clxm_meta, so above 1 means",
        "clxm_meta is faster or leaner. Peers come from the `bench` extra",
        "(`pip install -e '.[bench]'`), never from the runtime dependencies.",
        "",
        "## Targets (issues 9 and 21)",
        "",
        "| what | measured | target | met |",
        "|---|---|---|---|",
    ]
    for h in report.headlines:
        met = {True: "yes", False: "**no**", None: "–"}[h.met]
        note = f" ({h.note})" if h.note else ""
        out.append(f"| {h.what} | {h.measured}{note} | {h.target} | {met} |")
    out.append("")
    if failed:
        out += [f"Benchmarks that failed in this run: {', '.join(failed)}.", ""]
    for title, lines in report.sections.items():
        out += [f"## {title}", "", *lines]
    if NOTES.is_file():
        out += ["", NOTES.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help=f"benchmarks to run (default: all of {ORDER})")
    parser.add_argument("--no-write", action="store_true", help="do not write docs/performance.md")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from _harness import Report, load

    others = sorted(
        p.stem.removeprefix("bench_")
        for p in HERE.glob("bench_*.py")
        if p.stem.removeprefix("bench_") not in ORDER
    )
    names = args.only or [*ORDER, *others]
    report = Report()
    failed: list[str] = []
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    load_before = load()
    print(f"load average before the run: {load_before} (1 / 5 / 15 min)", flush=True)
    t0 = time.perf_counter()
    for name in names:
        print(f"=== bench_{name}", flush=True)
        try:
            module = importlib.import_module(f"bench_{name}")
            if hasattr(module, "run"):
                module.run(report)
            else:  # a script without run(report): printed, not in the report
                runpy.run_path(str(HERE / f"bench_{name}.py"), run_name="__main__")
        except SystemExit as exc:
            if exc.code not in (None, 0):
                failed.append(name)
        except Exception:
            traceback.print_exc()
            failed.append(name)
    seconds = time.perf_counter() - t0
    load_after = load()
    print(f"load average after the run: {load_after} (1 / 5 / 15 min)", flush=True)
    if not args.only and not args.no_write:
        text = _render(report, failed, started, seconds, (load_before, load_after))
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC}")
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
