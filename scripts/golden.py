"""Golden `inspect` output of every real sample: shared by scripts/make_golden.py and the tests.

The JSON is the format model as `clxm-meta inspect --format json` prints it, with the absolute
location of ../shared/data/real replaced by ``<real>`` so that it is the same on every machine.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import clxm_meta
from clxm_meta.errors import ClxmMetaError

SKIP_NAMES = {"SOURCES.md"}
SKIP_DIRS = {"LICENSES"}


def sample_files(real: Path) -> list[Path]:
    """Every real sample file (licences and SOURCES.md left out)."""
    out = []
    for sub in sorted(p for p in real.iterdir() if p.is_dir() and p.name not in SKIP_DIRS):
        out.extend(sorted(p for p in sub.iterdir() if p.is_file() and p.name not in SKIP_NAMES))
    return out


def golden_name(real: Path, path: Path) -> str:
    """File name of the golden JSON of one sample."""
    rel = path.relative_to(real)
    return "__".join(rel.parts) + ".json"


def _scrub(obj: Any, prefix: str) -> Any:
    if isinstance(obj, str):
        return obj.replace(prefix, "<real>")
    if isinstance(obj, list):
        return [_scrub(v, prefix) for v in obj]
    if isinstance(obj, dict):
        return {k: _scrub(v, prefix) for k, v in obj.items()}
    return obj


def inspect_json(real: Path, path: Path) -> Any:
    """The scrubbed inspect output (or the library error) of one sample, as JSON data."""
    try:
        data: Any = clxm_meta.read(path).model_dump(mode="json")
    except ClxmMetaError as exc:
        data = {"error": type(exc).__name__, "message": str(exc)}
    return _scrub(json.loads(json.dumps(data)), str(real))
