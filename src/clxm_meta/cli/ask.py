"""``sidecar --ask``: prompt for the required values still missing, and only those.

What is missing is what ``deposit`` would refuse on: the template (with the look-ups) is written to
a temporary sidecar, the tree is scanned with it and the deposition built in memory; each missing
value the depositor supplies through a simple sidecar key is asked for, checked, and written into
the template. An empty answer skips the value (it stays missing).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from clxm_meta.records.scan import ScanResult
    from clxm_meta.sidecar.template import Fills

__all__ = ["ask_missing", "missing_keys"]

_KEY = re.compile(r"sidecar key (\S+)")


def missing_keys(path: str, text: str, facility: str | None) -> list[tuple[str, str]]:
    """``(sidecar key, label)`` of each required value the template ``text`` still lacks."""
    from clxm_meta.dataset.scan import scan
    from clxm_meta.export.deposit.build import build_deposit

    fd, tmp = tempfile.mkstemp(suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        result = scan(path, sidecar=tmp, facility=facility)
        missing = build_deposit(result, md5={}).missing
    finally:
        os.unlink(tmp)
    out: list[tuple[str, str]] = []
    for m in missing:
        if m.who != "depositor":
            continue
        hit = _KEY.search(m.where)
        key = hit.group(1) if hit else m.where.split(":")[0].strip()
        if (key, m.label) not in out and all(k != key for k, _ in out):
            out.append((key, m.label))
    return out


def _check(key: str, answer: str) -> tuple[Any, str | None]:
    """The value for ``key`` from an answer, or an error message."""
    from clxm_meta.sidecar.biostudies import LICENSES
    from clxm_meta.sidecar.citation import CITATION_STATUSES
    from clxm_meta.sidecar.validate import RELEASE_INSTRUCTIONS

    if key == "release_instruction":
        a = answer.upper()
        return (
            (a, None)
            if a in RELEASE_INSTRUCTIONS
            else (None, "one of " + ", ".join(RELEASE_INSTRUCTIONS))
        )
    if key == "biostudies.license":
        canon = {k.casefold().replace("-", " "): k for k in LICENSES}
        lic = canon.get(answer.casefold().replace("-", " "))
        return (lic, None) if lic else (None, " or ".join(LICENSES))
    if key == "biostudies.release_date":
        import datetime

        try:
            datetime.date.fromisoformat(answer)
        except ValueError:
            return None, "a date YYYY-MM-DD"
        return answer, None
    if key == "biostudies.keywords":
        words = [w.strip() for w in answer.split(",") if w.strip()]
        return (words, None) if words else (None, "words separated by commas")
    if key == "biostudies.organism.scientific_name":
        return {"scientific_name": answer}, None
    if key == "citation.status":
        a = answer.lower()
        return (
            (a, None)
            if a in CITATION_STATUSES
            else (None, "one of " + ", ".join(CITATION_STATUSES))
        )
    return answer, None


def ask_missing(
    path: str,
    result: ScanResult,
    fills: Fills,
    facility: str | None,
    ask: Callable[[str], str],
    out: TextIO,
) -> str | None:
    """Prompt for each missing value; the re-rendered template, or ``None`` if nothing was asked."""
    from clxm_meta.sidecar.load import load_sidecar
    from clxm_meta.sidecar.template import render_template

    text = render_template(result, fills=fills, facility=facility)
    wanted = missing_keys(path, text, facility)
    if not wanted:
        print("clxm-meta: nothing required is missing; nothing to ask", file=out)
        return None
    people = fills.rows.get("general.people")
    if people is None and result.sidecar:
        sc = load_sidecar(result.sidecar)
        people = next(
            (e.value for e in sc.entries if e.scope == "all" and e.field == "general.people"), None
        )
    asked = False
    for key, label in wanted:
        flag = re.fullmatch(r"all\.general\.people\[i\]\.(\w+)(?::.*)?", key)
        if flag and people:
            names = ", ".join(f"{i + 1} {p.get('name')}" for i, p in enumerate(people))
            answer = ask(f"{label}: which person? ({names}; empty to skip) ").strip()
            if answer.isdigit() and 1 <= int(answer) <= len(people):
                people = [dict(p) for p in people]
                people[int(answer) - 1][flag.group(1)] = True
                fills.rows["general.people"] = people
                fills.notes["general.people"] = "completed at the --ask prompt"
                asked = True
            continue
        if not re.fullmatch(r"[\w./ -]+", key) or key.startswith("all.general.people"):
            print(f"clxm-meta: not asked (fill it in the file): {label} — {key}", file=out)
            continue
        for _ in range(3):
            answer = ask(f"{label} [{key}] (empty to skip): ").strip()
            if not answer:
                break
            value, problem = _check(key, answer)
            if problem is None:
                _put(fills, key, value)
                asked = True
                break
            print(f"clxm-meta: expected {problem}", file=out)
    return render_template(result, fills=fills, facility=facility) if asked else None


def _put(fills: Fills, key: str, value: Any) -> None:
    note = "answered at the --ask prompt"
    if key == "release_instruction":
        fills.top["release_instruction"] = value
        fills.notes["release_instruction"] = note
        return
    head, _, rest = key.partition(".")
    if head in ("biostudies", "citation", "empiar"):
        fills.blocks[(head, rest.split(".")[0])] = value
        return
    if head == "all":
        fills.rows[rest] = value
        fills.notes[rest] = note
        return
    if head in ("samples", "datasets"):
        scope = "sample" if head == "samples" else "dataset"
        for fid_start in ("general.", "sample.", "related.", "setup.", "acquisition."):
            at = rest.find("." + fid_start)
            if at > 0:
                name, fid = rest[:at], rest[at + 1 :]
                fills.scoped[(scope, name, fid)] = value
                fills.notes[f"{scope}:{name}:{fid}"] = note
                return
