"""The tag-pattern / reader-text fuzz class (issue 23): every regular expression a reader applies to
file text, pumped with adversarial strings built from its own structure.

`collect` finds the patterns structurally: it walks the source of the modules that read file content
(``readers/``, ``normalise/``, ``dataset/``) and takes the pattern of every ``re.compile`` /
``re.match`` / ``re.search`` / ... call written as a literal (a pattern built at run time is
reported as *dynamic*, so that a test can insist there is none).

`attacks` derives inputs from a pattern's parse tree: the characters each of its character sets,
literals and wildcards accept, pumped alone and in pairs behind each literal run of the pattern and
followed by a character that breaks the match, which is what makes an ambiguous pattern backtrack.
`superlinear` times each attack at doubling lengths (search, match and fullmatch) and reports the
first whose time grows faster than linearly; a hang is caught by the caller's subprocess timeout.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import random
import re
import re._parser as _sre_p  # the standard library's pattern parser (Python >= 3.11)
import select
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "clxm_meta"
SCOPES = ("readers", "normalise", "dataset")
"""Packages whose patterns see file text (headers, logs, tags, names)."""

_METHODS = {
    "compile",
    "match",
    "search",
    "fullmatch",
    "findall",
    "finditer",
    "sub",
    "subn",
    "split",
}
_FLAGS = {
    "I": re.I, "IGNORECASE": re.I, "M": re.M, "MULTILINE": re.M, "S": re.S, "DOTALL": re.S,
    "X": re.X, "VERBOSE": re.X, "A": re.A, "ASCII": re.A,
}  # fmt: skip


@dataclass(frozen=True)
class Site:
    """One pattern written in the source."""

    where: str
    """``module/path.py:line``."""
    pattern: str | None
    """The pattern text; None when it is built at run time."""
    flags: int = 0

    def compiled(self) -> re.Pattern[str]:
        assert self.pattern is not None
        return re.compile(self.pattern, self.flags)


def _flags(node: ast.expr | None) -> int:
    if node is None:
        return 0
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _flags(node.left) | _flags(node.right)
    if isinstance(node, ast.Attribute) and node.attr in _FLAGS:
        return _FLAGS[node.attr]
    raise ValueError(f"flags not understood: {ast.dump(node)}")


def _module_global(path: Path, name: str) -> re.Pattern[str] | None:
    module = ".".join(("clxm_meta", *path.relative_to(SRC).with_suffix("").parts))
    value = getattr(importlib.import_module(module), name, None)
    return value if isinstance(value, re.Pattern) else None


def _site(path: Path, call: ast.Call, target: str | None) -> Site:
    where = f"{path.relative_to(SRC)}:{call.lineno}"
    first = call.args[0] if call.args else None
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        # built from constants at import time (``rf"...{_NUM}..."``): take the compiled global
        compiled = _module_global(path, target) if target else None
        if compiled is None:
            return Site(where, None)
        return Site(where, compiled.pattern, compiled.flags & ~re.U)
    flags_node: ast.expr | None = None
    method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
    position = {"compile": 1, "sub": 4, "subn": 4, "split": 3}.get(method, 2)
    if len(call.args) > position:
        flags_node = call.args[position]
    for kw in call.keywords:
        if kw.arg == "flags":
            flags_node = kw.value
    return Site(where, first.value, _flags(flags_node))


_AST_LOCK = threading.Lock()
"""``ast.parse`` from several threads at once can fail on Python 3.11 ("AST constructor recursion
depth mismatch"); the fuzz harness makes cases on a thread pool."""


def collect(scopes: tuple[str, ...] = SCOPES) -> list[Site]:
    """Every ``re.<method>(...)`` call in the modules under `scopes`, in source order."""
    with _AST_LOCK:
        return _collect(scopes)


def _collect(scopes: tuple[str, ...]) -> list[Site]:
    sites: list[Site] = []
    for scope in scopes:
        for path in sorted((SRC / scope).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            targets = {
                id(node.value): node.targets[0].id
                for node in tree.body
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
            }
            targets |= {
                id(node.value): node.target.id
                for node in tree.body
                if isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.value is not None
            }
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "re"
                    and node.func.attr in _METHODS
                ):
                    sites.append(_site(path, node, targets.get(id(node))))
    return sorted(sites, key=lambda s: (s.where.split(":")[0], int(s.where.split(":")[1])))


# --- attacks built from the parse tree -----------------------------------------------------------

_CATEGORY_SAMPLES = {
    "CATEGORY_DIGIT": "7",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": " ",
    "CATEGORY_LINEBREAK": "\n",
    "CATEGORY_NOT_LINEBREAK": "a",
}
_BREAKERS = ("\x00", "\n")
"""Characters put after a pumped run so that the match fails and backtracks."""
_PROBES = "a7 .:-_=,\t"
"""Characters tried against negated sets."""

_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
MODES = ("search", "match", "fullmatch")
"""How a pattern may be applied; each attack is timed in all three."""


def _set_chars(arg: list[tuple[object, object]]) -> set[str]:
    negate = any(str(o) == "NEGATE" for o, _ in arg)
    if negate:
        body = re.compile(_sre_set_source(arg))
        return {c for c in _PROBES if body.fullmatch(c)}
    chars: set[str] = set()
    for o, a in arg:
        name = str(o)
        if name == "LITERAL":
            chars.add(chr(a))  # type: ignore[arg-type]
        elif name == "RANGE":
            lo, hi = a  # type: ignore[misc]
            chars.update({chr(lo), chr(hi)})
        elif name == "CATEGORY":
            chars.add(_CATEGORY_SAMPLES.get(str(a), "a"))
    return chars


def _sre_set_source(arg: list[tuple[object, object]]) -> str:
    """A character-class source equivalent to a parsed (negated) set, for probing."""
    parts = []
    for o, a in arg:
        name = str(o)
        if name == "LITERAL":
            parts.append(re.escape(chr(a)))  # type: ignore[arg-type]
        elif name == "RANGE":
            lo, hi = a  # type: ignore[misc]
            parts.append(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}")
        elif name == "CATEGORY":
            parts.append(
                {
                    "CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
                    "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W",
                }.get(str(a), "")
            )  # fmt: skip
    return "[^" + "".join(parts) + "]" if parts else "[\\s\\S]"


def _chars(items: object) -> set[str]:
    """Sample characters every part of `items` accepts."""
    out: set[str] = set()
    for op, arg in items:  # type: ignore[attr-defined]
        name = str(op)
        if name == "LITERAL":
            out.add(chr(arg))
        elif name == "NOT_LITERAL":
            out.update(c for c in _PROBES if c != chr(arg))
        elif name == "ANY":
            out.add("a")
        elif name == "IN":
            out |= _set_chars(arg)
        elif name in _REPEATS:
            out |= _chars(arg[2])
        elif name == "SUBPATTERN":
            out |= _chars(arg[-1])
        elif name == "ATOMIC_GROUP":
            out |= _chars(arg)
        elif name == "BRANCH":
            for alt in arg[1]:
                out |= _chars(alt)
        elif name in ("ASSERT", "ASSERT_NOT"):
            out |= _chars(arg[1])
    return out


def _witness(items: object) -> str:
    """A short string matching `items` (assertions and anchors ignored)."""
    out = []
    for op, arg in items:  # type: ignore[attr-defined]
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(arg) != "a" else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            chars = sorted(_set_chars(arg))
            out.append(chars[0] if chars else "a")
        elif name in _REPEATS:
            out.append(_witness(arg[2]) * min(arg[0], 4))
        elif name == "SUBPATTERN":
            out.append(_witness(arg[-1]))
        elif name == "ATOMIC_GROUP":
            out.append(_witness(arg))
        elif name == "BRANCH":
            out.append(_witness(arg[1][0]))
    return "".join(out)


@dataclass(frozen=True)
class Attack:
    prefix: str
    body: str
    suffix: str

    def text(self, n: int) -> str:
        return self.prefix + self.body * n + self.suffix


def _points(items: object, prefix: str) -> Iterator[tuple[str, set[str], set[str]]]:
    """(prefix that reaches a quantified part, that part's characters, the rest's characters)."""
    seq = list(items)  # type: ignore[call-overload]
    for i, (op, arg) in enumerate(seq):
        name = str(op)
        here = prefix + _witness(seq[:i])
        if name in _REPEATS or name == "BRANCH":
            yield here, _chars([(op, arg)]), _chars(seq[i:])
        if name in _REPEATS:
            yield from _points(arg[2], here)
        elif name == "SUBPATTERN":
            yield from _points(arg[-1], here)
        elif name == "ATOMIC_GROUP":
            yield from _points(arg, here)
        elif name == "BRANCH":
            for alt in arg[1]:
                yield from _points(alt, here)


def attacks(pattern: re.Pattern[str]) -> Iterator[Attack]:
    """Pumped inputs for `pattern`: at each quantified part, the prefix that reaches it (also
    with a leading character, for unanchored searches), then its characters alone and paired with
    the rest's, then a character that breaks the match."""
    tree = _sre_p.parse(pattern.pattern, pattern.flags)
    seen: set[tuple[str, str]] = set()
    for prefix, own, rest in _points(tree, ""):
        bodies = sorted(own) + sorted(a + b for a in own for b in rest if a != b)
        bodies += sorted(b + a for a in own for b in rest if a != b)
        for head in {prefix, "a" + prefix}:
            for body in bodies:
                if (head, body) in seen:
                    continue
                seen.add((head, body))
                for suffix in _BREAKERS:
                    yield Attack(head, body, suffix)


@dataclass(frozen=True)
class Slow:
    site: str
    mode: str
    attack: Attack
    length: int
    seconds: float
    ratio: float


def _time(fn: object, text: str, repeat: int = 2) -> float:
    """CPU seconds of ``fn(text)`` (best of `repeat`): waiting for a busy CPU does not count."""
    best = float("inf")
    for _ in range(repeat):
        start = time.thread_time()
        fn(text)  # type: ignore[operator]
        best = min(best, time.thread_time() - start)
    return best


def check_attack(
    pattern: re.Pattern[str],
    attack: Attack,
    site: str = "",
    *,
    max_length: int = 4096,
    floor: float = 0.002,
    modes: tuple[str, ...] = MODES,
) -> Slow | None:
    """Time `attack` at doubling lengths up to `max_length` in each mode; `Slow` when its time
    more than triples per doubling above `floor` seconds (confirmed: 4x longer, > 8x slower)."""
    for mode in modes:
        fn = getattr(pattern, mode)
        n = max(1, 16 // len(attack.body))
        previous = _time(fn, attack.text(n))
        while len(attack.body) * n * 2 <= max_length:
            n *= 2
            text = attack.text(n)
            seconds = _time(fn, text)
            if seconds > floor and seconds > 3.0 * max(previous, floor / 4):
                # confirm (timer noise, a collection): four times longer, > 8x slower
                longer = _time(fn, attack.text(4 * n), 3)
                if longer > 8.0 * _time(fn, text, 3):
                    return Slow(site, mode, attack, len(text), seconds, longer / seconds)
            previous = seconds
    return None


def superlinear(
    pattern: re.Pattern[str],
    site: str = "",
    *,
    max_length: int = 4096,
    floor: float = 0.002,
    modes: tuple[str, ...] = MODES,
) -> Slow | None:
    """The first attack on `pattern` whose time grows faster than linearly, or ``None``."""
    for attack in attacks(pattern):
        slow = check_attack(pattern, attack, site, max_length=max_length, floor=floor, modes=modes)
        if slow is not None:
            return slow
    return None


# --- the campaign: cases in worker subprocesses ----------------------------------------------


@dataclass(frozen=True)
class PatternCase:
    """Attack number `attack` on the pattern of `site`."""

    index: int
    site: Site
    attack: Attack


def all_cases(sites: list[Site] | None = None) -> list[PatternCase]:
    """Every (pattern, attack) pair, in a fixed order."""
    out: list[PatternCase] = []
    for site in sites if sites is not None else collect():
        if site.pattern is None:
            continue
        for attack in attacks(site.compiled()):
            out.append(PatternCase(len(out), site, attack))
    return out


def pick_cases(count: int, seed: int, sites: list[Site] | None = None) -> list[PatternCase]:
    """`count` cases drawn without replacement (all of them when there are fewer), but at least
    the first attack of every pattern, so that each pattern is exercised."""
    every = all_cases(sites)
    if count >= len(every):
        return every
    first: dict[str, PatternCase] = {}
    for case in every:
        first.setdefault(case.site.where, case)
    rest = [c for c in every if first[c.site.where] is not c]
    chosen = list(first.values())
    chosen += random.Random(seed).sample(rest, max(0, count - len(chosen)))
    return sorted(chosen, key=lambda c: c.index)


@dataclass
class PatternReport:
    cases: int = 0
    patterns: int = 0
    slow: list[Slow] = field(default_factory=list)
    timeouts: list[PatternCase] = field(default_factory=list)
    seconds: float = 0.0
    slowest: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.slow) + len(self.timeouts)

    def summary(self) -> str:
        lines = [
            f"patterns: {self.patterns} regular expressions, {self.cases} cases in "
            f"{self.seconds:.0f} s (slowest {self.slowest:.2f} s); {len(self.slow)} superlinear, "
            f"{len(self.timeouts)} timeouts"
        ]
        for slow in self.slow:
            lines.append(
                f"  SUPERLINEAR {slow.site} ({slow.mode}): {slow.attack.prefix!r} + "
                f"{slow.attack.body!r} * n + {slow.attack.suffix!r}, {slow.length} chars "
                f"{slow.seconds:.3f} s"
            )
        for case in self.timeouts:
            lines.append(
                f"  TIMEOUT {case.site.where}: {case.attack.prefix!r} + {case.attack.body!r} * n "
                f"+ {case.attack.suffix!r}"
            )
        return "\n".join(lines)


class _PatternWorker:
    """A subprocess that checks cases one at a time (a hang is killed, not waited for)."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(SRC.parent), str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")]
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "fuzzing.patterns"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=str(Path(__file__).resolve().parents[1]),
        )

    def ask(self, case: PatternCase, timeout: float) -> dict[str, object] | None:
        """The worker's answer, or ``None`` (worker killed) when it took longer than `timeout`."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        a = case.attack
        request = {"p": case.site.pattern, "f": case.site.flags, "w": case.site.where}
        request |= {"prefix": a.prefix, "body": a.body, "suffix": a.suffix}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.stop()
            return None
        line = self.proc.stdout.readline()
        if not line:
            self.stop()
            return None
        answer: dict[str, object] = json.loads(line)
        return answer

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()


def run_patterns(
    cases: list[PatternCase],
    *,
    workers: int = 2,
    timeout: float = 30.0,
    stop: threading.Event | None = None,
) -> PatternReport:
    """Check `cases` on `workers` subprocesses; a case that takes longer than `timeout` fails."""
    report = PatternReport(patterns=len({c.site.where for c in cases}))
    lock = threading.Lock()
    start = time.monotonic()

    def work(k: int) -> None:
        worker = _PatternWorker()
        try:
            for case in cases[k::workers]:
                if stop is not None and stop.is_set():
                    return
                began = time.monotonic()
                answer = worker.ask(case, timeout)
                took = time.monotonic() - began
                with lock:
                    report.cases += 1
                    report.slowest = max(report.slowest, took)
                    if answer is None:
                        report.timeouts.append(case)
                    elif answer.get("slow"):
                        slow = answer["slow"]
                        assert isinstance(slow, dict)
                        report.slow.append(
                            Slow(case.site.where, str(slow["mode"]), case.attack,
                                 int(slow["length"]), float(slow["seconds"]), float(slow["ratio"]))
                        )  # fmt: skip
                if answer is None:
                    worker = _PatternWorker()
        finally:
            worker.stop()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report.seconds = time.monotonic() - start
    return report


def _serve() -> None:
    """Worker loop: one JSON request per line in, one answer per line out."""
    for line in sys.stdin:
        req = json.loads(line)
        pattern = re.compile(req["p"], req["f"])
        attack = Attack(req["prefix"], req["body"], req["suffix"])
        slow = check_attack(pattern, attack, req["w"])
        answer = None
        if slow is not None:
            answer = {"mode": slow.mode, "length": slow.length, "seconds": slow.seconds,
                      "ratio": slow.ratio}  # fmt: skip
        sys.stdout.write(json.dumps({"slow": answer}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
