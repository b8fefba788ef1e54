"""Fuzz worker: a subprocess that runs cases sent as JSON lines on stdin, one JSON line back per case.

Run by `fuzzing.harness.Worker`; the parent owns the per-case timeout (it kills a worker that does
not answer) and the input-unchanged check. The worker checks the rest of the invariants:

* only `ClxmMetaError` subclasses escape ``read`` (warnings count as escapes, as under pytest);
* the normaliser and the JSON dump of the model do not raise;
* memory: with ``memcheck = "tracemalloc"`` the traced peak allocation of the case is reported for
  the parent to bound; with ``memcheck = "vm"`` (cheaper, for long runs) the worker's address space
  is capped for the case at its current size plus the case's ``limit`` (so an allocation sized by a
  header field fails with `MemoryError`, reported as ``overalloc``) and the growth of the peak
  address space is reported;
* for scan cases: no ``scan.reader_failed`` / ``normalise.failed`` finding (a crash the scan caught).

Address space is limited (``RLIMIT_AS``) so that an allocation sized by a header field fails fast
with `MemoryError` (reported as an escape) instead of swapping the machine.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import resource
import sys
import time
import traceback
import tracemalloc
import warnings
from typing import Any

ADDRESS_SPACE = int(os.environ.get("CLXM_FUZZ_AS", str(4 * 1024**3)))
"""Address-space limit of a worker in bytes (default 4 GiB)."""

SCAN_CRASH_CODES = ("scan.reader_failed", "normalise.failed")


def _frames(exc: BaseException, n: int = 4) -> str:
    frames = traceback.extract_tb(exc.__traceback__)[-n:]
    where = " <- ".join(
        f"{os.path.basename(f.filename)}:{f.lineno}:{f.name}" for f in reversed(frames)
    )
    return f"{type(exc).__name__}: {str(exc)[:300]} @ {where}"


def run_read(req: dict[str, Any]) -> dict[str, Any]:
    """Detect (optionally) and read one file with a forced reader; normalise and dump the model."""
    from clxm_meta.errors import ClxmMetaError
    from clxm_meta.normalise.build import candidates_for
    from clxm_meta.readers.registry import detect, read

    path = req["path"]
    codes: list[str] = []
    try:
        if req.get("detect"):
            try:
                codes.append(f"detect:{detect(path).name}")
            except ClxmMetaError as exc:
                codes.append(f"detect:{type(exc).__name__}")
        model = read(path, format=req["reader"], strict=bool(req.get("strict")))
        candidates_for(model)
        model.model_dump_json()
        codes.extend(sorted({f.code for f in model.findings}))
        return {"status": "ok", "codes": codes}
    except ClxmMetaError as exc:
        codes.append(f"raise:{type(exc).__name__}")
        return {"status": "lib_error", "codes": codes, "detail": str(exc)[:300]}
    except BaseException as exc:  # the invariant under test: nothing else may escape
        if isinstance(exc, KeyboardInterrupt):
            raise
        return {"status": "escape", "codes": codes, "detail": _frames(exc)}


def run_selftest(req: dict[str, Any]) -> dict[str, Any]:
    """Misbehave on purpose, to prove the harness notices: allocate, hang, die or raise."""
    kind = req["kind"]
    if kind == "alloc":
        try:
            block = bytearray(int(req["bytes"]))
        except MemoryError as exc:
            return {"status": "escape", "codes": [], "detail": _frames(exc)}
        del block
    elif kind == "hang":
        time.sleep(3600)
    elif kind == "die":
        os._exit(3)
    elif kind == "raise":
        return {"status": "escape", "codes": [], "detail": _frames(KeyError("selftest"))}
    return {"status": "ok", "codes": []}


def _dispatch(req: dict[str, Any]) -> dict[str, Any]:
    kind = req.get("kind", "read")
    if kind == "scan":
        return run_scan(req)
    if kind == "read":
        return run_read(req)
    if kind.startswith("class_"):  # the sidecar, names and writer classes (fuzzing.classes)
        from fuzzing.class_worker import run_class

        return run_class(req)
    return run_selftest(req)


def run_scan(req: dict[str, Any]) -> dict[str, Any]:
    """Scan a tree; crashes the scan caught (its ``*.failed`` findings) count as escapes."""
    from clxm_meta.dataset.scan import scan
    from clxm_meta.errors import ClxmMetaError

    try:
        result = scan(req["root"], use_sidecar=False)
        result.model_dump_json()
    except ClxmMetaError as exc:
        return {"status": "escape", "codes": [], "detail": f"scan raised {exc}"}
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        return {"status": "escape", "codes": [], "detail": _frames(exc)}
    findings = result.all_findings()
    codes = sorted({f.code for f in findings})
    crashes = [f for f in findings if f.code in SCAN_CRASH_CODES]
    formats = {f.path: f.format for f in result.files}
    if crashes:
        return {"status": "escape", "codes": codes, "detail": str(crashes[0])[:400]}
    return {"status": "ok", "codes": codes, "formats": formats}


def _vm_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _run_vm(req: dict[str, Any]) -> dict[str, Any]:
    """Run a case under an address-space cap of (current size + the case's limit)."""
    before = _vm_kib("VmSize") * 1024
    peak_before = _vm_kib("VmPeak") * 1024
    cap = before + int(req["limit"])
    try:
        resource.setrlimit(resource.RLIMIT_AS, (min(cap, ADDRESS_SPACE), ADDRESS_SPACE))
        res = _dispatch(req)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    if res["status"] == "escape" and res.get("detail", "").startswith("MemoryError"):
        res["status"] = "overalloc"
        res["detail"] = f"allocation beyond the {req['limit']}-byte bound: {res['detail']}"
    peak_after = _vm_kib("VmPeak") * 1024
    res["peak"] = max(0, peak_after - before) if peak_after > peak_before else 0
    return res


def main() -> None:
    """Serve cases until stdin closes."""
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # stray prints go to stderr, never into the protocol
    with contextlib.suppress(ValueError, OSError):  # e.g. a lower hard limit already
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    warnings.simplefilter("error")
    # import everything a case may need before measuring anything
    import clxm_meta.dataset.scan
    import clxm_meta.normalise.build  # noqa: F401
    from clxm_meta.readers.registry import FORMATS

    for entry in FORMATS:
        entry.load()
        if entry.is_text:
            importlib.import_module(entry.sniff_module)
    memcheck = os.environ.get("CLXM_FUZZ_MEMCHECK", "tracemalloc")
    if memcheck == "tracemalloc":
        tracemalloc.start()
    for line in sys.stdin:
        req = json.loads(line)
        t0 = time.perf_counter()
        if memcheck == "vm":
            res = _run_vm(req)
        else:
            base, _ = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            res = _dispatch(req)
            _, peak = tracemalloc.get_traced_memory()
            res["peak"] = max(0, peak - base)
        res["seconds"] = time.perf_counter() - t0
        res["id"] = req.get("id")
        channel.write(json.dumps(res) + "\n")
        channel.flush()


if __name__ == "__main__":
    main()
