"""The bounded, seeded fuzz subset that runs in CI (the long run is ``scripts/fuzz.py``).

Each reader gets `CASES` cases made from the seed corpus (real samples when ../shared is present,
plus the writers' files) and `scan` gets `SCAN_CASES` trees; every case runs in a worker subprocess
with a timeout and checks every invariant (see `fuzzing.harness`). A failure message names the case,
which ``python scripts/fuzz.py --reader R --case N --seed 11`` reproduces.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clxm_meta.errors import ClxmMetaError
from clxm_meta.normalise.build import candidates_for
from clxm_meta.readers.registry import read
from fuzzing.corpus import READERS, Seed, build_corpus
from fuzzing.harness import FAIL_STATUSES, Case, Worker, WorkerDied, run_campaign, run_read_case
from fuzzing.mutate import mutate

SEED = 11
CASES = 150
SCAN_CASES = 40

_CORPUS: dict[str, list[Seed]] = {}


def corpus() -> dict[str, list[Seed]]:
    if not _CORPUS:
        _CORPUS.update(build_corpus())
    return _CORPUS


def test_every_reader_has_seeds() -> None:
    assert all(corpus()[r] for r in READERS)


def test_seeded_subset_breaks_no_invariant() -> None:
    report = run_campaign(
        READERS, CASES, seed=SEED, scan_cases=SCAN_CASES, workers=2, timeout=60, corpus=corpus()
    )
    assert report.failed == 0, f"\n{report.table()}\n{report.failures()}"
    for name, stats in report.per_reader.items():
        expected = SCAN_CASES if name == "scan" else CASES
        assert stats.cases == expected
        assert not any(stats.status[s] for s in FAIL_STATUSES)
        if name != "scan":
            # the mutations reach past detection: some cases read, some are refused
            assert stats.status["ok"] > 0 and stats.status["lib_error"] > 0, (name, stats.status)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    reader=st.sampled_from(READERS),
    pick=st.integers(0, 10_000),
    rnd=st.randoms(use_true_random=False),
    strict=st.booleans(),
)
def test_hypothesis_mutations_in_process(
    reader: str, pick: int, rnd: random.Random, strict: bool
) -> None:
    """Hypothesis drives the same mutators in-process (shrinks a failure to a small case)."""
    seeds = corpus()[reader]
    seed = seeds[pick % len(seeds)]
    data, _label = mutate(reader, seed.name, seed.data, rnd)
    with tempfile.TemporaryDirectory(prefix="clxm-hyp-") as tmp:
        _read_and_check(Path(tmp), reader, seed, data, strict)


def _read_and_check(folder: Path, reader: str, seed: Seed, data: bytes, strict: bool) -> None:
    path = folder / seed.name
    path.write_bytes(data)
    try:
        model = read(path, format=reader, strict=strict)
    except ClxmMetaError:
        pass
    else:
        candidates_for(model)
        model.model_dump_json()
    assert path.read_bytes() == data
    assert [p.name for p in folder.iterdir()] == [seed.name]


@pytest.mark.parametrize("reader", READERS)
def test_unmutated_seeds_read(tmp_path: Path, reader: str) -> None:
    """The seeds themselves are readable, so the mutations start from files the reader takes."""
    for seed in corpus()[reader]:
        path = tmp_path / seed.name
        path.write_bytes(seed.data)
        try:
            read(path, format=reader)
        except ClxmMetaError as exc:
            raise AssertionError(f"seed {seed.origin} not read: {exc}") from exc
        path.unlink()


# ---------------------------------------------------------------- the harness notices failures


@pytest.mark.parametrize("memcheck", ["tracemalloc", "vm"])
def test_harness_catches_overallocation(memcheck: str) -> None:
    worker = Worker(memcheck=memcheck)
    try:
        big = 256 * 2**20
        answer = worker.ask({"id": 1, "kind": "alloc", "bytes": big, "limit": 64 * 2**20}, 120)
        if memcheck == "vm":  # the cap refuses the allocation itself
            assert answer["status"] == "overalloc", answer
        else:  # the traced peak shows it; the parent compares it with the bound
            assert answer["peak"] >= big > 64 * 2**20
        small = worker.ask({"id": 2, "kind": "alloc", "bytes": 2**20, "limit": 64 * 2**20}, 120)
        assert small["status"] == "ok"
    finally:
        worker.stop()


def test_harness_catches_hangs_crashes_and_escapes() -> None:
    worker = Worker()
    try:
        with pytest.raises(WorkerDied) as hang:
            worker.ask({"id": 1, "kind": "hang", "limit": 0}, 3)
        assert hang.value.status == "timeout"
        with pytest.raises(WorkerDied) as died:
            worker.ask({"id": 2, "kind": "die", "limit": 0}, 120)
        assert died.value.status == "crash"
        assert worker.ask({"id": 3, "kind": "raise", "limit": 0}, 120)["status"] == "escape"
    finally:
        worker.stop()


def test_harness_catches_a_modified_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = corpus()["simrecon"][0]
    case = Case("simrecon", 0, seed, seed.data, "none", False, False)
    worker = Worker()
    real_ask = Worker.ask

    def ask_and_touch(self: Worker, req: dict[str, Any], timeout: float) -> dict[str, Any]:
        answer = real_ask(self, req, timeout)
        Path(req["path"]).write_bytes(seed.data + b"\n")  # as if the reader had written
        return answer

    monkeypatch.setattr(Worker, "ask", ask_and_touch)
    try:
        res = run_read_case(worker, case, tmp_path, 120)
    finally:
        worker.stop()
    assert res.status == "modified"
