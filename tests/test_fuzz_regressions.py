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


def test_simrecon_repeated_run_header_is_capped(tmp_path: Path) -> None:
    """A k0guess line repeated 5000 times made 5000 runs, each with its channel's config copied:
    a 280 kB log needed 83 MB (found by the long fuzz run, seed 1, simrecon case 234)."""
    from writers.simlog import pysimrecon_log_text

    lines = pysimrecon_log_text().splitlines()
    k0 = next(i for i, line in enumerate(lines) if line.startswith("k0guess[direction 1]"))
    lines[k0:k0] = [lines[k0]] * 5000
    path = tmp_path / "cell_recon.log"
    path.write_text("\n".join(lines) + "\n")
    model = clxm_meta.read(path)
    assert len(model.runs) <= 1000
    assert any(f.code == "simrecon.runs_capped" for f in model.findings)
    assert len(model.model_dump_json()) < 20_000_000


def test_dv_garbage_plane_count_caps_section_records(tmp_path: Path) -> None:
    """nz = 2^31-1 with a 1 MiB extended header of one-float records gave 262 144 sections and an
    84 MB JSON model for a 1.1 MB file (found by the long fuzz run, seed 1, dv case 7246)."""
    from writers.dv import DvSpec, dv_bytes

    head = bytearray(dv_bytes(DvSpec(write_pixels=False))[:1024])
    struct.pack_into("<i", head, 8, 2**31 - 1)
    struct.pack_into("<i", head, 92, 1 << 20)
    struct.pack_into("<2h", head, 128, 0, 1)
    path = tmp_path / "garbage.dv"
    path.write_bytes(bytes(head) + struct.pack("<f", 525.0) * (1 << 18))
    model = clxm_meta.read(path)
    assert model.ext_header is not None and len(model.ext_header.sections) <= 4096
    codes = {f.code for f in model.findings}
    assert {"dv.ext_header_capped", "dv.ext_header_short"} <= codes
    assert len(model.model_dump_json()) < 5_000_000
