"""Every real sample's full `inspect` output equals its golden JSON (scripts/make_golden.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import GOLDEN, REAL, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from golden import golden_name, inspect_json, sample_files

SAMPLES = sample_files(REAL) if REAL.is_dir() else []


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_inspect_matches_golden(path: Path) -> None:
    golden = GOLDEN / golden_name(REAL, path)
    if not golden.is_file():
        pytest.fail(f"no golden file {golden.name}: run python scripts/make_golden.py")
    expected = json.loads(golden.read_text())
    assert inspect_json(REAL, path) == expected


def test_no_stale_golden_files() -> None:
    if not SAMPLES:
        pytest.skip("../shared/data/real not available")
    expected = {golden_name(REAL, p) for p in SAMPLES}
    present = {p.name for p in GOLDEN.glob("*.json")}
    assert present <= expected, f"golden files without a sample: {sorted(present - expected)}"
