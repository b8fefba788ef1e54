"""The fuzz classes beyond the readers (issue 23) at a small count in CI: sidecar, names, writer.

The long run is ``scripts/fuzz.py --readers '' --scan-cases 0 --class-cases 10000``. A failure
names the case, which ``python scripts/fuzz.py --reader CLASS --case N --seed 23`` reproduces.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from fuzzing.classes import (
    CLASSES,
    SIDECAR_MUTATORS,
    build_names_tree,
    hostile_string,
    run_classes,
    sidecar_case,
)
from fuzzing.harness import FAIL_STATUSES

SEED = 23
CASES = 40


def test_every_class_breaks_no_invariant() -> None:
    report = run_classes(CLASSES, CASES, seed=SEED, workers=2, timeout=60)
    assert report.failed == 0, f"\n{report.table()}\n{report.failures()}"
    for stats in report.per_reader.values():
        assert stats.cases == CASES
        assert not any(stats.status[s] for s in FAIL_STATUSES)
    sidecar = report.per_reader["sidecar"]
    # the mutations reach both sides: some sidecars are refused, some load with findings
    assert sidecar.status["ok"] > 0 and sidecar.status["lib_error"] > 0, sidecar.status


def test_generators_are_reproducible(tmp_path: Path) -> None:
    a = sidecar_case(random.Random("x/1"))
    b = sidecar_case(random.Random("x/1"))
    assert a == b
    assert hostile_string(random.Random(3)) == hostile_string(random.Random(3))


@pytest.mark.parametrize("name", sorted(SIDECAR_MUTATORS))
def test_each_sidecar_mutator_makes_bytes(name: str) -> None:
    from fuzzing.classes import base_sidecar

    data = SIDECAR_MUTATORS[name](random.Random(name), base_sidecar())
    assert isinstance(data, bytes) and data


def test_names_tree_keeps_the_secret_outside(tmp_path: Path) -> None:
    root, outside, labels = build_names_tree(random.Random(1), tmp_path / "case")
    assert labels and (outside / "secret.mdoc").is_file()
    assert not str(outside).startswith(str(root))
