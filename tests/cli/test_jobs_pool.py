"""``--jobs``: the worker processes end with the driver, even when it is killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clxm_meta.cli.jobs import executor, worker_start

SRC = Path(__file__).resolve().parents[2] / "src"


def _pid(_: int) -> int:
    return os.getpid()


def test_one_job_is_no_pool() -> None:
    with executor(1) as pool:
        assert pool is None


def test_a_pool_runs_work() -> None:
    with executor(2) as pool:
        assert pool is not None
        assert len(set(pool.map(_pid, range(8)))) >= 1


def test_worker_start_keeps_a_worker_whose_parent_lives() -> None:
    worker_start(os.getppid())  # this process's parent is alive: nothing happens


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_end_when_the_driver_is_killed(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    code = (
        "import os, sys, time\n"
        "from clxm_meta.cli.jobs import executor\n"
        "def pid(_):\n"
        "    time.sleep(0.2)\n"
        "    return os.getpid()\n"
        "if __name__ == '__main__':\n"
        "    with executor(2) as pool:\n"
        "        got = set(pool.map(pid, range(6)))\n"
        f"        open({str(pids)!r}, 'w').write(' '.join(map(str, got)))\n"
        "        time.sleep(600)\n"
    )
    script = tmp_path / "driver.py"
    script.write_text(code)
    proc = subprocess.Popen(
        [sys.executable, str(script)], env={**os.environ, "PYTHONPATH": str(SRC)}
    )
    try:
        deadline = time.monotonic() + 120
        while not pids.exists() or not pids.read_text():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        workers = [int(p) for p in pids.read_text().split()]
        assert workers
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 30
    alive = workers
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if _alive(p)]
        time.sleep(0.05)
    for p in alive:  # do not leave them behind if the test fails
        os.kill(p, signal.SIGKILL)
    assert alive == [], "the pool's workers outlived their killed driver"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
