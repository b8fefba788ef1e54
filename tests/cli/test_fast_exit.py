"""The ``clxm-meta`` program ends at once after ``inspect``, with everything written and its code.

`clxm_meta.cli.fast_exit` skips the interpreter's teardown after a read-only command (start-up,
issue 21). What must hold: the whole output reaches a pipe or a file, the exit code is the one
`main` returned, exit handlers still run, a thread still running gets the ordinary exit, and any
command that may write files exits the ordinary way.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from clxm_meta.cli import fast_exit, main

ROOT = Path(__file__).resolve().parents[2]
CELL = ROOT / "examples" / "deposition" / "sample1" / "SIM" / "cell1.dv"


def _program(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "clxm_meta", *args], capture_output=True, check=False, timeout=120
    )


def _in_process(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_whole_output_reaches_a_pipe(fmt: str) -> None:
    code, expected = _in_process("inspect", "--format", fmt, str(CELL))
    run = _program("inspect", "--format", fmt, str(CELL))
    assert (run.returncode, code) == (0, 0)
    assert run.stdout.decode() == expected
    assert len(expected) > 5000  # more than one small buffer


def test_whole_output_reaches_a_file(tmp_path: Path) -> None:
    out = tmp_path / "inspect.txt"
    with out.open("wb") as fh:
        code = subprocess.run(
            [sys.executable, "-m", "clxm_meta", "inspect", str(CELL)], stdout=fh, check=False
        ).returncode
    assert code == 0
    assert out.read_text() == _in_process("inspect", str(CELL))[1]


def test_exit_codes_are_main_s(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from writers.mrc import write_mrc
    finally:
        sys.path.remove(str(ROOT / "tests"))
    cut = write_mrc(tmp_path / "cut.mrc", shape=(4, 8, 8))
    cut.write_bytes(cut.read_bytes()[:1500])  # pixel data missing: an error finding
    run = _program("inspect", str(cut))
    assert run.returncode == 1 == main(["inspect", str(cut)])
    assert b"mrc.data_missing" in run.stdout
    missing = _program("inspect", str(tmp_path / "absent.dv"))
    assert missing.returncode == 2
    assert b"cannot read file" in missing.stderr  # stderr flushed too


def _entry_script(body: str, *argv: str) -> subprocess.CompletedProcess[str]:
    code = "import sys\nfrom clxm_meta.cli import entry\n" + textwrap.dedent(body)
    code += f"\nsys.argv = ['clxm-meta', *{list(argv)!r}]\nentry()\n"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )


def test_exit_handlers_still_run() -> None:
    run = _entry_script(
        "import atexit\natexit.register(lambda: print('handler ran', file=sys.stderr))",
        "inspect",
        str(CELL),
    )
    assert run.returncode == 0
    assert "handler ran" in run.stderr
    assert run.stdout.startswith("format: dv")


def test_a_running_thread_gets_the_ordinary_exit() -> None:
    run = _entry_script(
        """
        import threading, time
        def late():
            time.sleep(0.5)
            print("thread finished", flush=True)
        threading.Thread(target=late).start()
        """,
        "inspect",
        str(CELL),
    )
    assert run.returncode == 0
    assert run.stdout.rstrip().endswith("thread finished")


def test_only_read_only_commands_skip_the_teardown(monkeypatch: pytest.MonkeyPatch) -> None:
    ended: list[int] = []
    handlers: list[str] = []
    monkeypatch.setattr(fast_exit.os, "_exit", ended.append)
    # this test process's own exit handlers must not run here
    monkeypatch.setattr(fast_exit.atexit, "_run_exitfuncs", lambda: handlers.append("ran"))
    for command in ("check", "deposit", "export", "table1", "report", "sidecar", None):
        with pytest.raises(SystemExit) as exc:
            fast_exit.exit_process(1, command)
        assert exc.value.code == 1
    assert ended == handlers == []
    assert {"inspect"} == fast_exit.READ_ONLY
    with pytest.raises(SystemExit):  # os._exit replaced: returns, so sys.exit follows
        fast_exit.exit_process(3, "inspect")
    assert ended == [3]
    assert handlers == ["ran"]


def test_main_in_process_never_exits() -> None:
    code, out = _in_process("inspect", str(CELL))
    assert code == 0
    assert out.startswith("format: dv")
