"""`clxm_meta.gcpause`: the collector paused for a block, and restored exactly as it was."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from clxm_meta import gcpause

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "deposition"


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_paused_block_then_restored(collector_on: None) -> None:
    with gcpause.paused():
        assert not gc.isenabled()
        with gcpause.paused():  # nested: still paused, and the inner exit does not resume
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_caller_that_had_it_off_keeps_it_off(collector_on: None) -> None:
    gc.disable()
    with gcpause.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_restored_after_an_exception(collector_on: None) -> None:
    with pytest.raises(ValueError), gcpause.paused():
        raise ValueError("x")
    assert gc.isenabled()


def test_overlapping_threads_restore_the_collector(collector_on: None) -> None:
    """Blocks in several threads overlap in every order; the last one out resumes it."""
    start = threading.Barrier(4)
    seen: list[bool] = []

    def work() -> None:
        start.wait()
        for _ in range(200):
            with gcpause.paused():
                seen.append(gc.isenabled())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen and not any(seen)
    assert gc.isenabled()


def test_scan_and_deposit_leave_the_collector_as_they_found_it(collector_on: None) -> None:
    from clxm_meta import scan
    from clxm_meta.export.deposit.build import build_deposit

    for state in (True, False):
        (gc.enable if state else gc.disable)()
        result = scan(EXAMPLE)
        assert gc.isenabled() is state
        build_deposit(result, md5={})
        assert gc.isenabled() is state
