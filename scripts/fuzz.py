"""The long fuzz run (issue 11): seeded cases per reader and for `scan`, every invariant per case.

Usage (from the repository root, in the project's venv)::

    nice -n 10 python scripts/fuzz.py --cases 10000 --scan-cases 2000 --pattern-cases 10000 \
        --workers 2 --seed 1

prints cases per reader, distinct findings, escapes, timeouts, crashes, over-allocations and
modified inputs, then the failing cases (if any). Exit status 1 when any case broke an invariant.

Reproduce one case::

    python scripts/fuzz.py --reader dv --case 1234 --seed 1 --save /tmp/case

writes the mutated file to /tmp/case and runs it alone. The real samples are read from
../shared/data/real when present (CLXM_SHARED overrides); the writers' files are always used.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fuzzing.classes import CLASSES, run_classes  # noqa: E402
from fuzzing.corpus import READERS, build_corpus, describe  # noqa: E402
from fuzzing.harness import ReaderStats, Worker, make_case, run_campaign, run_read_case  # noqa: E402
from fuzzing.patterns import pick_cases, run_patterns  # noqa: E402


def _one_class(args: argparse.Namespace) -> int:
    from fuzzing.classes import run_class_case

    folder = Path(args.save or "/tmp/clxm-fuzz-case")
    worker = Worker()
    try:
        res = run_class_case(worker, args.reader, args.seed, args.case, folder, args.timeout)
    finally:
        worker.stop()
    print(f"case {args.case} of class {args.reader}: {res.label}; input kept in {folder}")
    print(f"status {res.status}; codes {res.codes}; peak {res.peak} B; {res.seconds:.3f} s")
    if res.detail:
        print(res.detail)
    return 0 if res.status in ("ok", "lib_error") else 1


def _one(args: argparse.Namespace) -> int:
    if args.reader in CLASSES:
        return _one_class(args)
    corpus = build_corpus()
    case = make_case(args.reader, corpus[args.reader], args.seed, args.case)
    folder = Path(args.save or "/tmp/clxm-fuzz-case")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file():
            old.unlink()
    worker = Worker()
    try:
        res = run_read_case(worker, case, folder, args.timeout)
    finally:
        worker.stop()
    print(f"case {args.case} of {args.reader}: seed {case.seed.origin}, mutation {case.label}")
    print(f"strict={case.strict} detect={case.detect}; file {folder / case.seed.name}")
    print(f"status {res.status}; codes {res.codes}; peak {res.peak} B; {res.seconds:.3f} s")
    if res.detail:
        print(res.detail)
    return 0 if res.status in ("ok", "lib_error") else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--cases", type=int, default=10_000, help="cases per reader (default 10000)")
    p.add_argument("--scan-cases", type=int, default=1_000, help="scan cases (default 1000)")
    p.add_argument(
        "--pattern-cases",
        type=int,
        default=10_000,
        help="tag-pattern cases: attacks on the readers' regular expressions (default 10000)",
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds per case (default 20)")
    p.add_argument("--readers", default=",".join(READERS), help="comma-separated readers")
    p.add_argument(
        "--classes",
        default=",".join(CLASSES),
        help="comma-separated input classes beyond the readers (sidecar, names, writer; '' for none)",
    )
    p.add_argument(
        "--class-cases", type=int, default=10_000, help="cases per class (default 10000)"
    )
    p.add_argument("--json", metavar="FILE", help="also write the totals as JSON")
    p.add_argument(
        "--memcheck",
        choices=("tracemalloc", "vm"),
        default="tracemalloc",
        help="per-case allocation check: traced peak (default) or a per-case address-space cap",
    )
    p.add_argument(
        "--minutes",
        type=float,
        help="stop after this many minutes (cases are interleaved, so every reader gets its share)",
    )
    p.add_argument(
        "--reader", help="with --case: reproduce one case of this reader (or input class)"
    )
    p.add_argument("--case", type=int, help="reproduce one case (needs --reader)")
    p.add_argument("--save", help="with --case: folder to write the case file to")
    args = p.parse_args(argv)
    if args.case is not None:
        if not args.reader:
            p.error("--case needs --reader")
        return _one(args)
    readers = [r for r in args.readers.split(",") if r]
    classes = [c for c in args.classes.split(",") if c]
    corpus = build_corpus()
    print(
        f"fuzz seed {args.seed}, {args.cases} cases per reader, {args.scan_cases} scan cases, "
        f"{args.workers} workers, timeout {args.timeout:g} s, memcheck {args.memcheck}"
    )
    print(describe({r: corpus[r] for r in readers}), end="")
    last = [time.monotonic()]

    def progress(reader: str, stats: ReaderStats) -> None:
        now = time.monotonic()
        if now - last[0] > 60:
            last[0] = now
            print(f"  ... {reader}: {stats.cases} cases, {stats.failed} failed", flush=True)

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):  # stop cleanly and still print the totals
        signal.signal(sig, lambda *_: stop.set())
    if args.minutes:
        timer = threading.Timer(60 * args.minutes, stop.set)
        timer.daemon = True
        timer.start()
    report = run_campaign(
        readers,
        args.cases,
        seed=args.seed,
        scan_cases=args.scan_cases,
        workers=args.workers,
        timeout=args.timeout,
        progress=progress,
        corpus=corpus,
        stop=stop,
        memcheck=args.memcheck,
    )
    if classes and args.class_cases:
        extra = run_classes(
            classes,
            args.class_cases,
            seed=args.seed,
            workers=args.workers,
            timeout=args.timeout,
            progress=progress,
            stop=stop,
            memcheck=args.memcheck,
        )
        report.per_reader.update(extra.per_reader)
        report.seconds += extra.seconds
    if stop.is_set():
        print("stopped early (time budget or signal): totals below are for the cases run")
    print(report.table())
    total = sum(s.cases for s in report.per_reader.values())
    print(f"{total} cases in {report.seconds:.0f} s; {report.failed} broke an invariant")
    for name, stats in report.per_reader.items():
        top = ", ".join(f"{k} {v}" for k, v in stats.labels.most_common())
        print(f"  {name} mutations: {top}")
    if report.failed:
        print(report.failures())
    failed = report.failed
    totals = report.as_json()
    if args.pattern_cases > 0 and not stop.is_set():
        patterns = run_patterns(
            pick_cases(args.pattern_cases, args.seed),
            workers=args.workers,
            timeout=args.timeout,
            stop=stop,
        )
        print(patterns.summary())
        failed += patterns.failed
        totals["patterns"] = {
            "patterns": patterns.patterns,
            "cases": patterns.cases,
            "superlinear": len(patterns.slow),
            "timeouts": len(patterns.timeouts),
            "seconds": round(patterns.seconds, 1),
            "slowest_s": round(patterns.slowest, 3),
        }
    if args.json:
        Path(args.json).write_text(json.dumps(totals, indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
