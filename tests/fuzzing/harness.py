"""Fuzz campaigns: seeded cases per reader (and for `scan`), run in worker subprocesses.

Per case the harness checks every invariant of issue 11:

* only the library's errors escape (or a result with findings): worker status ``escape`` otherwise;
* the case completes within ``timeout`` seconds: otherwise the worker is killed (``timeout``);
* the worker survives (``crash`` otherwise: a segfault or an out-of-memory kill);
* the traced peak allocation stays under `alloc_bound` of the file size (``overalloc``);
* the input bytes and mtime are unchanged and nothing is written beside it (``modified``).

Cases are reproducible: case ``i`` of reader ``r`` under campaign seed ``s`` depends only on
``(s, r, i)`` and the corpus, whatever the number of workers.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fuzzing.corpus import READERS, Seed, build_corpus
from fuzzing.mutate import mutate

TESTS = Path(__file__).resolve().parents[1]
WORKER = Path(__file__).with_name("worker.py")
FIXED_MTIME_NS = 1_500_000_000_123_456_789
"""mtime given to every case file, so that a touch is visible."""

ALLOC_BASE = 48 * 1024 * 1024
ALLOC_FACTOR = 8
"""A case may allocate at most ``ALLOC_BASE + ALLOC_FACTOR × (bytes on disk)`` (traced peak).

Decoding a text file holds the bytes, the str and the split lines at once (~4× the size); the rest
is the fixed cost of models and parsers. A header field that sizes an allocation (2^31 sections,
a 2 GiB stream) exceeds this by orders of magnitude.
"""

FAIL_STATUSES = ("escape", "timeout", "crash", "overalloc", "modified")


def scratch_dir() -> str | None:
    """Where case files are written: ``CLXM_FUZZ_TMP``, else /dev/shm (RAM) when present."""
    chosen = os.environ.get("CLXM_FUZZ_TMP")
    if chosen:
        return chosen
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def alloc_bound(size: int) -> int:
    """Largest traced allocation peak allowed for an input of ``size`` bytes."""
    return ALLOC_BASE + ALLOC_FACTOR * size


@dataclass
class CaseResult:
    """What one case did."""

    reader: str
    index: int
    origin: str
    label: str
    status: str
    codes: list[str]
    size: int
    peak: int = 0
    seconds: float = 0.0
    detail: str = ""


@dataclass
class ReaderStats:
    """Totals of one reader's cases."""

    cases: int = 0
    status: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    codes: set[str] = field(default_factory=set)
    failures: list[CaseResult] = field(default_factory=list)
    max_peak: int = 0
    max_peak_ratio: float = 0.0
    slowest: float = 0.0
    total_seconds: float = 0.0

    def add(self, res: CaseResult, keep: int = 20) -> None:
        """Count one case."""
        self.cases += 1
        self.status[res.status] += 1
        for part in res.label.split(","):  # a scan case lists one label per damaged file
            self.labels[part.split("+")[0]] += 1
        self.codes.update(res.codes)
        self.max_peak = max(self.max_peak, res.peak)
        self.max_peak_ratio = max(self.max_peak_ratio, res.peak / alloc_bound(res.size))
        self.slowest = max(self.slowest, res.seconds)
        self.total_seconds += res.seconds
        if res.status in FAIL_STATUSES and len(self.failures) < keep:
            self.failures.append(res)

    @property
    def failed(self) -> int:
        """Cases that broke an invariant."""
        return sum(self.status[s] for s in FAIL_STATUSES)


@dataclass
class Report:
    """A whole campaign."""

    seed: int
    per_reader: dict[str, ReaderStats]
    seconds: float = 0.0
    corpus: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        """Cases that broke an invariant, over every reader."""
        return sum(s.failed for s in self.per_reader.values())

    def table(self) -> str:
        """Plain-text summary: one row per reader."""
        head = (
            f"{'reader':<12}{'seeds':>6}{'cases':>8}{'ok':>8}{'lib err':>8}{'findings':>9}"
            f"{'escapes':>8}{'timeouts':>9}{'crashes':>8}{'overalloc':>10}{'modified':>9}"
            f"{'peak MiB':>9}{'mean ms':>8}{'slowest s':>10}"
        )
        rows = [head, "-" * len(head)]
        for name, s in self.per_reader.items():
            rows.append(
                f"{name:<12}{self.corpus.get(name, 0):>6}{s.cases:>8}{s.status['ok']:>8}"
                f"{s.status['lib_error']:>8}{len(s.codes):>9}{s.status['escape']:>8}"
                f"{s.status['timeout']:>9}{s.status['crash']:>8}{s.status['overalloc']:>10}"
                f"{s.status['modified']:>9}{s.max_peak / 2**20:>9.1f}"
                f"{1000 * s.total_seconds / max(s.cases, 1):>8.1f}{s.slowest:>10.2f}"
            )
        return "\n".join(rows)

    def failures(self) -> str:
        """One line per kept failing case (reproduce with ``scripts/fuzz.py --case``)."""
        lines = []
        for name, s in self.per_reader.items():
            for r in s.failures:
                lines.append(
                    f"{r.status.upper()} {name} case {r.index} ({r.label}, seed {r.origin}): "
                    f"{r.detail}"
                )
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        """Machine-readable totals."""
        return {
            "seed": self.seed,
            "seconds": round(self.seconds, 1),
            "readers": {
                name: {
                    "seeds": self.corpus.get(name, 0),
                    "cases": s.cases,
                    "status": dict(s.status),
                    "distinct_findings": len(s.codes),
                    "mutations": dict(s.labels),
                    "max_peak_bytes": s.max_peak,
                    "slowest_seconds": round(s.slowest, 3),
                    "mean_seconds": round(s.total_seconds / max(s.cases, 1), 4),
                }
                for name, s in self.per_reader.items()
            },
        }


class WorkerDied(Exception):
    """The worker exited (crash) or did not answer in time (timeout)."""

    def __init__(self, status: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class Worker:
    """One worker subprocess (restarted after a timeout or a crash)."""

    def __init__(self, env: dict[str, str] | None = None, memcheck: str = "tracemalloc") -> None:
        self.env = env
        self.memcheck = memcheck
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> subprocess.Popen[str]:
        """Start the worker if it is not running."""
        if self.proc is None or self.proc.poll() is not None:
            env = dict(os.environ if self.env is None else self.env)
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in (str(TESTS), env.get("PYTHONPATH", "")) if p
            )
            env["CLXM_FUZZ_MEMCHECK"] = self.memcheck
            env.setdefault("OMP_NUM_THREADS", "1")
            env.setdefault("OPENBLAS_NUM_THREADS", "1")
            self.proc = subprocess.Popen(
                [sys.executable, "-u", str(WORKER)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env=env,
            )
        return self.proc

    def ask(self, req: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one case and wait for its answer at most ``timeout`` seconds."""
        proc = self.start()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps(req) + "\n")
            proc.stdin.flush()
        except BrokenPipeError:
            self.stop()
            raise WorkerDied("crash", "worker gone before the case was sent") from None
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if not ready:
            self.stop()
            raise WorkerDied("timeout", f"no answer within {timeout:.0f} s")
        line = proc.stdout.readline()
        if not line:
            code = proc.wait()
            self.stop()
            raise WorkerDied("crash", f"worker exited with status {code}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stop(self) -> None:
        """Kill the worker (by its own pid) and reap it."""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            for pipe in (self.proc.stdin, self.proc.stdout):
                if pipe is not None:
                    with contextlib.suppress(OSError):  # a dead worker's pipe may be broken
                        pipe.close()
            self.proc = None


# ---------------------------------------------------------------- one case


def _fingerprint(path: Path) -> tuple[int, int, str]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()


def _write_case(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    os.utime(path, ns=(FIXED_MTIME_NS, FIXED_MTIME_NS))
    return path


@dataclass(frozen=True)
class Case:
    """A generated case (bytes not yet on disk)."""

    reader: str
    index: int
    seed: Seed
    data: bytes
    label: str
    strict: bool
    detect: bool


def make_case(reader: str, seeds: Sequence[Seed], campaign_seed: int, index: int) -> Case:
    """Case ``index`` of ``reader``: depends only on the arguments."""
    rng = random.Random(f"{campaign_seed}/{reader}/{index}")
    seed = rng.choice(list(seeds))
    data, label = mutate(reader, seed.name, seed.data, rng)
    return Case(reader, index, seed, data, label, rng.random() < 0.2, rng.random() < 0.5)


def run_read_case(worker: Worker, case: Case, folder: Path, timeout: float) -> CaseResult:
    """Write the case, let the worker read it, check the invariants."""
    for old in folder.iterdir():
        old.unlink()
    path = _write_case(folder, case.seed.name, case.data)
    before = _fingerprint(path)
    res = CaseResult(
        case.reader, case.index, case.seed.origin, case.label, "ok", [], len(case.data)
    )
    try:
        answer = worker.ask(
            {
                "id": case.index,
                "reader": case.reader,
                "path": str(path),
                "strict": case.strict,
                "detect": case.detect,
                "limit": alloc_bound(len(case.data)),
            },
            timeout,
        )
    except WorkerDied as died:
        res.status, res.detail = died.status, died.detail
        return res
    res.status = answer["status"]
    res.codes = answer.get("codes", [])
    res.detail = answer.get("detail", "")
    res.peak = int(answer.get("peak", 0))
    res.seconds = float(answer.get("seconds", 0.0))
    if res.status not in FAIL_STATUSES:
        if res.peak > alloc_bound(res.size):
            res.status = "overalloc"
            res.detail = f"traced peak {res.peak} bytes for a {res.size}-byte file"
        elif _fingerprint(path) != before or [p.name for p in folder.iterdir()] != [path.name]:
            res.status = "modified"
            res.detail = "input bytes, mtime or its folder changed"
    return res


# ---------------------------------------------------------------- scan cases


def _good_seed(corpus: dict[str, list[Seed]], rng: random.Random) -> Seed:
    pool = [s for seeds in corpus.values() for s in seeds if s.origin.startswith("writer:")]
    return rng.choice(pool)


def _special_entries(folder: Path, rng: random.Random) -> list[str]:
    """FIFO, socket, symlink loop and broken link entries (each a 'bad' entry for the scan)."""
    made = []
    if rng.random() < 0.3:
        os.mkfifo(folder / "pipe.dv")
        made.append("pipe.dv")
    if rng.random() < 0.2:
        sock = socket.socket(socket.AF_UNIX)
        try:
            sock.bind(str(folder / "sock"))
            made.append("sock")
        except OSError:
            pass
        finally:
            sock.close()
    if rng.random() < 0.3:
        os.symlink("loop_b", folder / "loop_a")
        os.symlink("loop_a", folder / "loop_b")
        os.symlink("..", folder / "up")  # a folder loop
        made.extend(["loop_a", "loop_b", "up"])
    if rng.random() < 0.2:
        os.symlink("nowhere.mrc", folder / "broken.mrc")
        made.append("broken.mrc")
    return made


def _snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            if p.is_symlink() or not p.is_file():
                continue
            out[str(p.relative_to(root))] = _fingerprint(p)
    return out


def run_scan_case(
    worker: Worker,
    corpus: dict[str, list[Seed]],
    campaign_seed: int,
    index: int,
    folder: Path,
    timeout: float,
) -> CaseResult:
    """A tree of one good file, 1-4 mutated files and special entries; `scan` it."""
    rng = random.Random(f"{campaign_seed}/scan/{index}")
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "good").mkdir(parents=True)
    (folder / "bad").mkdir()
    good = _good_seed(corpus, rng)
    _write_case(folder / "good", good.name, good.data)
    labels = []
    size = len(good.data)
    for k in range(rng.randint(1, 4)):
        reader = rng.choice([r for r in READERS if corpus[r]])
        seed = rng.choice(corpus[reader])
        data, label = mutate(reader, seed.name, seed.data, rng)
        sub = folder / "bad" / str(k)
        sub.mkdir()
        _write_case(sub, seed.name, data)
        labels.append(f"{reader}:{label}")
        size += len(data)
    special = _special_entries(folder / "bad", rng)
    before = _snapshot(folder)
    res = CaseResult("scan", index, good.origin, ",".join(labels), "ok", [], size)
    try:
        answer = worker.ask(
            {"id": index, "kind": "scan", "root": str(folder), "limit": alloc_bound(size)}, timeout
        )
    except WorkerDied as died:
        res.status, res.detail = died.status, died.detail
        return res
    res.status = answer["status"]
    res.codes = answer.get("codes", [])
    res.detail = answer.get("detail", "")
    res.peak = int(answer.get("peak", 0))
    res.seconds = float(answer.get("seconds", 0.0))
    if res.status in FAIL_STATUSES:
        return res
    formats = answer.get("formats", {})
    if formats.get(f"good/{good.name}") != good.reader:
        res.status = "escape"
        res.detail = f"good file good/{good.name} not read as {good.reader}: {formats}"
    elif special and not {"scan.not_regular", "scan.symlink_loop", "scan.broken_symlink"} & set(
        res.codes
    ):
        res.status = "escape"
        res.detail = f"special entries {special} gave no finding"
    elif res.peak > alloc_bound(size):
        res.status = "overalloc"
        res.detail = f"traced peak {res.peak} bytes for {size} bytes of files"
    elif _snapshot(folder) != before:
        res.status = "modified"
        res.detail = "a file of the scanned tree changed"
    return res


# ---------------------------------------------------------------- campaigns


def run_campaign(
    readers: Sequence[str] = READERS,
    cases: int = 300,
    *,
    seed: int = 0,
    scan_cases: int = 0,
    workers: int = 1,
    timeout: float = 20.0,
    progress: Callable[[str, ReaderStats], None] | None = None,
    corpus: dict[str, list[Seed]] | None = None,
    stop: threading.Event | None = None,
    memcheck: str = "tracemalloc",
) -> Report:
    """Run ``cases`` cases for each of ``readers`` (+ ``scan_cases`` scan cases).

    Cases are interleaved across readers, so a campaign stopped early (``stop`` set) has covered
    every reader about equally; the report then says how many cases each reader got.
    ``memcheck`` is ``"tracemalloc"`` (traced peak per case, precise, 4-20x slower on Python-heavy
    readers) or ``"vm"`` (the worker's address space capped per case; see `fuzzing.worker`).
    """
    corpus = corpus if corpus is not None else build_corpus()
    report = Report(seed, {r: ReaderStats() for r in readers})
    report.corpus = {r: len(corpus[r]) for r in readers}
    if scan_cases:
        report.per_reader["scan"] = ReaderStats()
    jobs: list[tuple[str, int]] = [(r, i) for i in range(cases) for r in readers]
    jobs += [("scan", i) for i in range(scan_cases)]
    lock = threading.Lock()
    t0 = time.perf_counter()

    def run_share(share: list[tuple[str, int]]) -> None:
        worker = Worker(memcheck=memcheck)
        with tempfile.TemporaryDirectory(prefix="clxm-fuzz-", dir=scratch_dir()) as tmp:
            folder = Path(tmp) / "case"
            folder.mkdir()
            try:
                for reader, index in share:
                    if stop is not None and stop.is_set():
                        break
                    if reader == "scan":
                        res = run_scan_case(
                            worker, corpus, seed, index, Path(tmp) / "tree", timeout
                        )
                    else:
                        case = make_case(reader, corpus[reader], seed, index)
                        res = run_read_case(worker, case, folder, timeout)
                    with lock:
                        stats = report.per_reader[reader]
                        stats.add(res)
                        if progress is not None:
                            progress(reader, stats)
            finally:
                worker.stop()

    n = max(1, workers)
    shares = [jobs[k::n] for k in range(n)]
    with ThreadPoolExecutor(max_workers=n) as pool:
        for fut in [pool.submit(run_share, share) for share in shares]:
            fut.result()
    report.seconds = time.perf_counter() - t0
    return report
