"""Minimal reproducers of what the fuzz runs found, one per fix (see docs/robustness.md).

Hangs are checked the way the fuzz harness checks them: the case runs in a worker subprocess with
a per-case timeout (a hang is a timeout there, not a slow-test assertion here).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

import clxm_meta
from fuzzing.harness import Worker
from fuzzing.mutate import _tiff_entry_offsets
from writers.simlog import cudasirecon_log_text, matrix_text
from writers.tiff import plain_bytes

TIMEOUT = 60.0
"""Seconds a worker gets per case; each of these cases takes milliseconds once fixed."""


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    w = Worker()
    yield w
    w.stop()


def _run(worker: Worker, path: Path, reader: str) -> dict[str, object]:
    answer = worker.ask(
        {"id": 0, "reader": reader, "path": str(path), "detect": True, "strict": False}, TIMEOUT
    )
    assert answer["status"] in ("ok", "lib_error"), answer
    return answer


def test_blank_line_head_does_not_hang_detection(tmp_path: Path, worker: Worker) -> None:
    """imod's mdoc sniff was cubic on a head of blank lines (``^\\s*\\[?\\s*`` under MULTILINE)."""
    path = tmp_path / "matrix.txt"
    path.write_text(matrix_text([[1, 0, 0, 1], [0, 1, 0, 2], [0, 0, 1, 3]]) + "\n" * 5000)
    _run(worker, path, "correlation")
    blank = tmp_path / "blank.log"
    blank.write_text(" \n" * 3000 + "\t\n" * 3000)
    _run(worker, blank, "imod")


@pytest.mark.parametrize(
    "line",
    ["1" * 4096, "1." * 2048, "1.1" * 1365 + "x", "a=" * 2048],
    ids=["digits", "dots", "dots_fail", "keys"],
)
def test_sirecon_pathological_lines_do_not_hang(tmp_path: Path, worker: Worker, line: str) -> None:
    """The sirecon key=value and numeric-row patterns were quadratic / exponential on such lines."""
    path = tmp_path / "cuda.log"
    path.write_text(cudasirecon_log_text() + (line + "\n") * 50)
    _run(worker, path, "simrecon")


def test_tiff_strip_offsets_of_ascii_type(tmp_path: Path) -> None:
    """A StripOffsets entry retyped to ASCII made tifffile hand back a str (TypeError escaped)."""
    data = bytearray(plain_bytes())
    e, _big, entries, _next = _tiff_entry_offsets(bytes(data))
    for pos in entries:
        if struct.unpack_from(e + "H", data, pos)[0] == 273:
            struct.pack_into(e + "H", data, pos + 2, 2)  # field type 2 = ASCII
    path = tmp_path / "ascii_strips.tif"
    path.write_bytes(bytes(data))
    model = clxm_meta.read(path)
    assert model.format == "tiff"
