"""Fuzz classes beyond the readers (issue 23): the sidecar, names and symbolic links, writer strings.

Each class generates hostile input of one kind, reproducibly (case ``i`` of class ``c`` under
campaign seed ``s`` depends only on ``(s, c, i)``), and runs it in the same worker subprocesses as
the reader cases (`fuzzing.harness.Worker`: per-case timeout, crash detection, memory bound):

``sidecar``
    a ``clxm.yaml`` made from the example's by one of: alias bombs, recursive aliases, deep nesting
    (flow and block, mappings and lists), impossible dates, huge integers, escaped or raw control
    characters / surrogates / noncharacters, duplicate keys, look-alike digits in identifiers,
    unsafe or unusual tags, merge and complex keys, oversize files, generic byte damage. The worker
    loads it (`load_sidecar`, `load_biostudies`); only `SidecarError` may escape, and whatever is
    accepted must be encodable, free of control characters, with ASCII identifiers.
``names``
    a tree with a good file beside names that are not UTF-8, hold control characters or are 255
    bytes long, and symbolic links to ``/``, to the folder above, to a file outside, in chains
    and loops, plus hard links and FIFOs. The worker scans it, lints it, checksums the listed
    files and dumps the result as strict UTF-8; nothing outside the tree may be listed or hashed.
    The parent checks that the tree and the outside file are unchanged.
``writer``
    strings of control characters, line separators (NEL, U+2028), bidi overrides, formula
    prefixes, quotes, tabs, combining marks, very long runs, fed to every text writer: table1
    TSV, PageTab TSV and JSON, the BioStudies file list (TSV and JSON), the MD5 manifest, HTML
    escaping and the SIM spreadsheet. Outputs must encode as UTF-8, parse back, keep their
    row and column counts and hold no spreadsheet formula.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from fuzzing.corpus import EXAMPLE
from fuzzing.harness import (
    FAIL_STATUSES,
    CaseResult,
    ReaderStats,
    Report,
    Worker,
    WorkerDied,
    _fingerprint,
    alloc_bound,
    scratch_dir,
)

CLASSES = ("sidecar", "names", "writer")
"""The input classes `run_class_case` knows."""

SECRET = b"outside the deposition: must never be listed or hashed\n"

# ---------------------------------------------------------------- hostile characters

CONTROL = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)]
C1 = [chr(c) for c in range(0x80, 0xA0)]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\udcfe"]
NONCHARS = ["\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff"]
SEPARATORS = ["\x85", "\u2028", "\u2029", "\r", "\n", "\r\n", "\t", "\x0b", "\x0c", "\x1c"]
TRICKY = [
    "\u202e",  # right-to-left override
    "\u200b",
    "\ufeff",
    "\u0301",  # combining acute
    "\U0001f600",
    '"',
    "'",
    "\\",
    "<script>",
    "&amp;",
    "${x}",
    "%s",
]
FORMULAS = ["=", "+", "-", "@", '=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"]
LOOKALIKE_DIGITS = [
    "０１２３４５６７８９",  # full-width
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "۰۱۲۳۴۵۶۷۸۹",  # extended Arabic-Indic
    "⁰¹²³⁴⁵⁶⁷⁸⁹",  # superscripts
    "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",  # mathematical bold
]


def hostile_string(rng: random.Random, *, surrogates: bool = False) -> str:
    """A string mixing ordinary text with hostile characters (no surrogates unless asked)."""
    pools = [CONTROL, C1, NONCHARS, SEPARATORS, TRICKY, FORMULAS, ["a", "b", "1", " ", "é"]]
    if surrogates:
        pools.append(SURROGATES)
    parts = []
    if rng.random() < 0.3:
        parts.append(rng.choice(FORMULAS))
    for _ in range(rng.randint(1, 12)):
        parts.append(rng.choice(rng.choice(pools)))
    if rng.random() < 0.05:
        parts.append(rng.choice(["x", "\u2028", "é", "\t"]) * rng.randint(1_000, 100_000))
    return "".join(parts)


# ---------------------------------------------------------------- sidecar class


def base_sidecar() -> str:
    """The example's filled sidecar (in the repository, never a copy of ../shared)."""
    return (EXAMPLE / "clxm.yaml").read_text(encoding="utf-8")


def _alias_bomb(rng: random.Random, text: str) -> bytes:
    width = rng.randint(2, 12)
    levels = rng.randint(3, 14)
    lines = [f"  l0: &l0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    where = rng.choice(["x", "all", "biostudies"])
    extra = f"{where}:\n" + "\n".join(lines) + "\n"
    if where != "x":
        text = _drop_block(text, where)
    return (text + extra).encode()


def _drop_block(text: str, key: str) -> str:
    """The text without the top-level block ``key`` (so adding one is not a duplicate key)."""
    out, skip = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith(f"{key}:"):
            skip = True
            continue
        if skip and line[:1] not in (" ", "#", "\n"):
            skip = False
        if not skip:
            out.append(line)
    return "".join(out)


def _recursive(rng: random.Random, text: str) -> bytes:
    form = rng.choice(
        [
            "x: &a [*a]",
            "x: &a {k: *a}",
            "x: &a [1, [2, *a]]",
            "x: &a\n  k: *a",
            "x: &a [&b [*a, *b]]",
        ]
    )
    return (text + form + "\n").encode()


def _deep(rng: random.Random, text: str) -> bytes:
    depth = rng.choice([63, 64, 65, rng.randint(50, 400), rng.randint(400, 5000)])
    style = rng.choice(["flow_map", "flow_list", "block_map", "block_list"])
    if style == "flow_map":
        body = "x: " + "{a: " * depth + "1" + "}" * depth + "\n"
    elif style == "flow_list":
        body = "x: " + "[" * depth + "]" * depth + "\n"
    elif style == "block_map":
        body = "x:\n" + "".join("  " * (i + 1) + "a:\n" for i in range(min(depth, 2000)))
    else:
        body = "x:\n" + "".join("  " * (i + 1) + "-\n" for i in range(min(depth, 2000)))
    return (text + body).encode()


def _bad_date(rng: random.Random, text: str) -> bytes:
    y, m = rng.randint(1, 9999), rng.randint(0, 14)
    d = rng.choice([0, 29, 30, 31, 32, 99])
    date = f"{y:04d}-{m:02d}-{d:02d}"
    if rng.random() < 0.5:
        date = f"'{date}'"
    if "release_date:" in text:
        return re.sub(r"release_date: .*", f"release_date: {date}", text, count=1).encode()
    return (text + f"y: {date}\n").encode()


def _huge_number(rng: random.Random, text: str) -> bytes:
    n = rng.choice([4300, 5000, 20_000, 200_000])
    forms = [
        "1" * n,
        "-" + "9" * n,
        "0x" + "f" * n,
        "0o" + "7" * n,
        "1" + "0" * n + ".5",
        "1e" + "9" * 10,
        "1:" * min(n, 5000) + "1",
        ".nan",
        "-.inf",
    ]
    return (text + f"z: {rng.choice(forms)}\n").encode()


def _escaped_char(rng: random.Random, text: str) -> bytes:
    ch = rng.choice([*CONTROL, *C1, *SURROGATES, *NONCHARS])
    o = ord(ch)
    esc = f"\\x{o:02x}" if o < 0x100 else (f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}")
    if rng.random() < 0.3:
        esc = rng.choice(["\\0", "\\a", "\\e", "\\N", "\\_", "\\L", "\\P"])
    lines = text.splitlines()
    candidates = [i for i, ln in enumerate(lines) if re.match(r"^\s+[\w.]+: [^\[{&*|>'\"#]", ln)]
    i = rng.choice(candidates)
    key, _, value = lines[i].partition(": ")
    cut = rng.randint(0, len(value))
    value = (
        value[:cut].replace("\\", "/").replace('"', "'")
        + esc
        + value[cut:].replace("\\", "/").replace('"', "'")
    )
    lines[i] = f'{key}: "{value}"'
    return ("\n".join(lines) + "\n").encode()


def _raw_char(rng: random.Random, text: str) -> bytes:
    data = text.encode()
    insert = rng.choice(
        [
            bytes([rng.randint(0, 31)]),
            b"\x7f",
            bytes([rng.randint(0x80, 0xFF)]),
            b"\xed\xa0\x80",  # an encoded surrogate
            b"\xef\xbf\xbe",  # U+FFFE
            b"\xc2\x85",  # NEL
            b"\xe2\x80\xa8",  # U+2028
            b"\xef\xbb\xbf",  # a BOM in the middle
            b"\x00" * rng.randint(1, 64),
        ]
    )
    at = rng.randint(0, len(data))
    return data[:at] + insert + data[at:]


def _dup_key(rng: random.Random, text: str) -> bytes:
    lines = text.splitlines()
    keyed = [i for i, ln in enumerate(lines) if re.match(r"^\s*[\w./]+:", ln)]
    i = rng.choice(keyed)
    if rng.random() < 0.2:
        lines[i + 1 : i + 1] = [lines[i]] * rng.randint(1, 5000)
    else:
        lines.insert(i + 1, lines[i])
    return ("\n".join(lines) + "\n").encode()


def _lookalike(rng: random.Random, text: str) -> bytes:
    digits = rng.choice(LOOKALIKE_DIGITS)

    def swap(match: re.Match[str]) -> str:
        return "".join(
            digits[int(c)] if c.isdigit() and rng.random() < 0.5 else c for c in match[0]
        )

    target = rng.choice(["orcid", "grant_id", "country", "accession", "doi", "date"])
    if target == "orcid":
        text = re.sub(r"\d{4}-\d{4}-\d{4}-\d{4}", swap, text)
    elif target == "grant_id":
        text = text.replace("ERC-0000-EXAMPLE", "ERC-" + digits[:4])
    elif target == "country":
        text = text.replace(
            "country: GB", rng.choice(["country: ＧＢ", "country: Gb\u0301", "country: ĞB"])
        )
    elif target == "accession":
        acc = rng.choice(["S-BIAD" + digits[1:4], "EMPIAR-" + digits[:5], "S-BIAD12\u200b3"])
        text = text.replace(
            "    general.title: Example cryo-SXT tilt series of synthetic cell 1",
            "    general.title: Example cryo-SXT tilt series of synthetic cell 1\n"
            f"    related.accessions: [{acc}]",
        )
    elif target == "doi":
        text = text.replace(
            "  general.facility:",
            f"  general.publication_doi: 10.{digits[:4]}/x\n  general.facility:",
        )
    else:
        text = re.sub(r"\d{4}-\d{2}-\d{2}", swap, text)
    return text.encode()


def _tags(rng: random.Random, text: str) -> bytes:
    tag = rng.choice(
        [
            "!!python/object/apply:os.system ['true']",
            "!!python/name:os.system",
            "!!binary aGVsbG8=",
            "!!set {a, b}",
            "!!omap [a: 1, b: 2]",
            "!!timestamp 2026-02-30",
            "!!int abc",
            "!!float x",
            "!custom value",
            "!<tag:example.org,2000:x> v",
            "!!str " + hostile_string(rng).replace("\n", " ")[:50].replace('"', ""),
        ]
    )
    return (text + f"t: {tag}\n").encode(errors="surrogatepass")


def _odd_keys(rng: random.Random, text: str) -> bytes:
    forms = [
        "base: &b {general.title: merged}\nall2:\n  <<: *b\n  general.title: own\n",
        "? [a, b]\n: complex key\n",
        "? {a: 1}\n: map key\n",
        "datasets:\n  ? [x]\n  : 1\n",
        "1: int key\n1.5: float key\n~: null key\ntrue: bool key\n",
    ]
    form = rng.choice(forms)
    if form.startswith("datasets"):
        text = _drop_block(text, "datasets")
    return (text + form).encode()


def _size(rng: random.Random, text: str) -> bytes:
    limit = 1024 * 1024
    n = rng.choice([limit - len(text) - 200, limit + 1, limit * 2])
    if rng.random() < 0.5:
        return (text + "# " + "x" * max(0, n) + "\n").encode()
    return (text + "w: " + "y" * max(0, n) + "\n").encode()


def _bytes(rng: random.Random, text: str) -> bytes:
    data = bytearray(text.encode())
    for _ in range(rng.randint(1, 20)):
        op = rng.random()
        at = rng.randrange(len(data))
        if op < 0.4:
            data[at] ^= 1 << rng.randrange(8)
        elif op < 0.7:
            del data[at : at + rng.randint(1, 40)]
        else:
            data[at:at] = bytes(
                rng.choice(b":-[]{}&*!|>'\"#%@` \n\t") for _ in range(rng.randint(1, 8))
            )
    if rng.random() < 0.2:
        data = data[: rng.randrange(len(data))]
    return bytes(data)


SIDECAR_MUTATORS = {
    "alias_bomb": _alias_bomb,
    "recursive_alias": _recursive,
    "deep": _deep,
    "bad_date": _bad_date,
    "huge_number": _huge_number,
    "escaped_char": _escaped_char,
    "raw_char": _raw_char,
    "duplicate_key": _dup_key,
    "lookalike_digits": _lookalike,
    "tags": _tags,
    "odd_keys": _odd_keys,
    "size": _size,
    "bytes": _bytes,
}


def sidecar_case(rng: random.Random) -> tuple[bytes, str]:
    """A hostile sidecar and its mutation label."""
    name = rng.choice(list(SIDECAR_MUTATORS))
    return SIDECAR_MUTATORS[name](rng, base_sidecar()), name


# ---------------------------------------------------------------- names class


def _good_files() -> list[Path]:
    return sorted(p for p in EXAMPLE.rglob("*") if p.is_file() and p.name != "clxm.yaml")


def build_names_tree(rng: random.Random, folder: Path) -> tuple[Path, Path, list[str]]:
    """A tree ``folder/root`` of a good file and hostile entries; ``folder/outside`` beside it.

    Returns the root, the outside folder and the labels of the entries made.
    """
    shutil.rmtree(folder, ignore_errors=True)
    root = folder / "root"
    outside = folder / "outside"
    (root / "data").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.mdoc").write_bytes(SECRET)
    good = rng.choice(_good_files())
    shutil.copyfile(good, root / "data" / good.name)
    broot = os.fsencode(root / "data")
    labels = []
    for _ in range(rng.randint(1, 6)):
        kind = rng.choice(
            [
                "not_utf8",
                "control",
                "long",
                "unicode",
                "link_root",
                "link_up",
                "link_secret",
                "link_abs_root",
                "link_chain",
                "link_loop",
                "dangling",
                "hardlink",
                "fifo",
                "socket",
                "link_dir_out",
            ]
        )
        n = len(labels)
        try:
            if kind == "not_utf8":
                raw = bytes(rng.randint(0x80, 0xFF) for _ in range(rng.randint(1, 4)))
                name = b"cell%d" % n + raw + rng.choice([b".log", b".dv", b"", b".mrc"])
                path = os.path.join(broot, name)
                if rng.random() < 0.3:
                    os.mkdir(path)
                    with open(os.path.join(path, b"inner.txt"), "wb") as fh:
                        fh.write(b"x")
                else:
                    with open(path, "wb") as fh:
                        fh.write(b"x" * rng.randint(0, 100))
            elif kind == "control":
                ch = rng.choice([c for c in CONTROL if c != "\x00"] + ["\n", "\r", "\t"])
                (root / "data" / f"c{n}{ch}x.tlt").write_text("0.0\n")
            elif kind == "long":
                (root / "data" / ("L" * rng.randint(200, 251) + f"{n}.log")).write_text("x")
            elif kind == "unicode":
                bits = rng.choice(
                    ["\u2028", "\x85", "\u202e", "=cmd", "+1", "@a", "é\u0301", "\ufeff"]
                )
                (root / "data" / f"u{n}{bits}.txt").write_text("x")
            elif kind == "link_root":
                os.symlink("/", root / "data" / f"root{n}")
            elif kind == "link_up":
                os.symlink("../../..", root / "data" / f"up{n}")
            elif kind == "link_secret":
                os.symlink(outside / "secret.mdoc", root / "data" / f"ts{n}.mdoc")
            elif kind == "link_abs_root":
                os.symlink(root, root / "data" / f"self{n}")
            elif kind == "link_chain":
                os.symlink(f"hop{n}b", root / "data" / f"hop{n}a")
                os.symlink(os.path.relpath(outside, root / "data"), root / "data" / f"hop{n}b")
            elif kind == "link_loop":
                os.symlink(f"loop{n}b", root / "data" / f"loop{n}a")
                os.symlink(f"loop{n}a", root / "data" / f"loop{n}b")
            elif kind == "dangling":
                os.symlink("nowhere.mrc", root / "data" / f"broken{n}.mrc")
            elif kind == "hardlink":
                os.link(root / "data" / good.name, root / "data" / f"copy{n}_{good.name}")
            elif kind == "fifo":
                os.mkfifo(root / "data" / f"pipe{n}.dv")
            elif kind == "socket":
                sock = socket.socket(socket.AF_UNIX)
                try:
                    sock.bind(str(root / "data" / f"s{n}"))
                finally:
                    sock.close()
            else:
                os.symlink(outside, root / "data" / f"outdir{n}", target_is_directory=True)
        except OSError:
            kind += "(unsupported)"
        labels.append(kind)
    return root, outside, labels


# ---------------------------------------------------------------- writer class


def writer_case(rng: random.Random) -> tuple[list[str], str]:
    """Hostile strings (no lone surrogates: the sidecar and the walk refuse those upstream)."""
    strings = [hostile_string(rng) for _ in range(rng.randint(3, 10))]
    label = "long" if any(len(s) > 1000 for s in strings) else "short"
    if any(s[:1] in "=+-@" for s in strings):
        label += "+formula"
    return strings, label


# ---------------------------------------------------------------- running cases


def _snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    """Size, mtime and SHA-256 of every regular file (bytes paths: names need not be UTF-8)."""
    out = {}
    for dirpath, _dirs, files in os.walk(os.fsencode(root)):
        for name in files:
            p = os.path.join(dirpath, name)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            out[os.fsdecode(p)] = _fingerprint(Path(os.fsdecode(p)))
    return out


def run_class_case(
    worker: Worker, cls: str, campaign_seed: int, index: int, folder: Path, timeout: float
) -> CaseResult:
    """Make case ``index`` of class ``cls`` in ``folder``, run it in ``worker``, check the rest."""
    rng = random.Random(f"{campaign_seed}/class:{cls}/{index}")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    req: dict[str, Any] = {"id": index, "kind": f"class_{cls}"}
    if cls == "sidecar":
        data, label = sidecar_case(rng)
        path = folder / "clxm.yaml"
        path.write_bytes(data)
        req["path"] = str(path)
        size = len(data)
    elif cls == "names":
        root, outside, labels = build_names_tree(rng, folder)
        req["root"], req["outside"] = str(root), str(outside)
        label = ",".join(labels)
        size = sum(f[0] for f in _snapshot(folder).values())
    elif cls == "writer":
        strings, label = writer_case(rng)
        req["strings"] = strings
        size = sum(len(s.encode("utf-8", "surrogatepass")) for s in strings)
    else:
        raise ValueError(f"unknown fuzz class {cls!r}")
    req["limit"] = alloc_bound(size)
    before = _snapshot(folder)
    res = CaseResult(cls, index, cls, label, "ok", [], size)
    try:
        answer = worker.ask(req, timeout)
    except WorkerDied as died:
        res.status, res.detail = died.status, died.detail
        return res
    res.status = answer["status"]
    res.codes = answer.get("codes", [])
    res.detail = answer.get("detail", "")
    res.peak = int(answer.get("peak", 0))
    res.seconds = float(answer.get("seconds", 0.0))
    if res.status not in FAIL_STATUSES:
        if res.peak > alloc_bound(size):
            res.status = "overalloc"
            res.detail = f"traced peak {res.peak} bytes for {size} bytes of input"
        elif _snapshot(folder) != before:
            res.status = "modified"
            res.detail = "an input file changed"
    return res


def run_classes(
    classes: Sequence[str] = CLASSES,
    cases: int = 100,
    *,
    seed: int = 0,
    workers: int = 1,
    timeout: float = 20.0,
    progress: Callable[[str, ReaderStats], None] | None = None,
    stop: threading.Event | None = None,
    memcheck: str = "tracemalloc",
) -> Report:
    """Run ``cases`` cases of each class, interleaved, in ``workers`` worker subprocesses."""
    report = Report(seed, {c: ReaderStats() for c in classes})
    jobs = [(c, i) for i in range(cases) for c in classes]
    lock = threading.Lock()
    t0 = time.perf_counter()

    def run_share(share: list[tuple[str, int]]) -> None:
        worker = Worker(memcheck=memcheck)
        with tempfile.TemporaryDirectory(prefix="clxm-fuzz-class-", dir=scratch_dir()) as tmp:
            try:
                for cls, index in share:
                    if stop is not None and stop.is_set():
                        break
                    res = run_class_case(worker, cls, seed, index, Path(tmp) / "case", timeout)
                    with lock:
                        stats = report.per_reader[cls]
                        stats.add(res)
                        if progress is not None:
                            progress(cls, stats)
            finally:
                worker.stop()

    n = max(1, workers)
    with ThreadPoolExecutor(max_workers=n) as pool:
        for fut in [pool.submit(run_share, jobs[k::n]) for k in range(n)]:
            fut.result()
    report.seconds = time.perf_counter() - t0
    return report
