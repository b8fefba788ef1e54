"""Start-up structure of ``inspect`` on an MRC or TXRM file (issue 21): no numpy, no olefile.

numpy (~75 ms) and olefile (with ``logging``) were what made ``inspect`` of an MRC or TXRM file
1.7× the start-up yardstick where a DV without extended header was 1.2×. The MRC reader now
decodes the main header and SerialEM extended headers with `struct`/`array`, importing numpy only
for Agard and FEI records; the TXRM reader indexes the compound file and decodes its streams
without numpy and imports olefile only for a file its strict index refuses. These tests hold that
as module sets in a fresh interpreter (tests/test_import_structure.py has the DV and common
cases); timing lives in bench/bench_startup.py.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from tests.test_import_structure import (
    HEAVY,
    OTHER_LAYERS,
    OTHER_READERS,
    ROOT,
    _loaded,
)

EXAMPLE_MRC = ROOT / "examples" / "deposition" / "sample1" / "SXT" / "ts1_rec.mrc"
EXAMPLE_TXRM = ROOT / "examples" / "deposition" / "sample1" / "SXT" / "ts1.txrm"


def _inspect_modules(path: Path, output: str) -> set[str]:
    """Names in ``sys.modules`` after ``inspect`` in a fresh interpreter (printed with `repr`:
    `_modules_after`'s probe imports json, which the text output must not)."""
    probe = (
        "import contextlib, io, sys\n"
        "from clxm_meta.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['inspect', {str(path)!r}, '--format', {output!r}])\n"
        "print(repr(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return set(ast.literal_eval(out.stdout.strip().splitlines()[-1]))


def _only_reader(modules: set[str], reader: str) -> None:
    assert _loaded(modules, (f"clxm_meta.readers.{reader}",)) != []
    assert _loaded(modules, tuple(r for r in OTHER_READERS if not r.endswith(reader))) == []
    assert _loaded(modules, ("clxm_meta.readers.dv",)) == []
    assert _loaded(modules, OTHER_LAYERS) == []
    assert _loaded(modules, HEAVY) == []  # olefile and mrcfile among them
    assert _loaded(modules, ("numpy", "pydantic.plugin._loader")) == []


def _serialem_stack(tmp_path: Path) -> Path:
    from tests.writers.mrc import serialem_label, write_mrc

    n = 5
    return write_mrc(
        tmp_path / "ts.st",
        shape=(n, 4, 4),
        labels=[serialem_label("SerialEM: Acquired on Tecnai")],
        tilt_angles=[-30.0, -15.0, 0.0, 15.0, 30.0],
        stage_um=[(1.0, 2.0)] * n,
        magnification=[5000.0] * n,
        intensity=[0.5] * n,
        dose=[1.5, 2.25, 3.0, 0.125, 1e-3],
    )


@pytest.mark.parametrize("output", ["text", "json"])
def test_inspect_of_an_mrc_without_extended_header_loads_no_numpy(output: str) -> None:
    _only_reader(_inspect_modules(EXAMPLE_MRC, output), "mrc")


@pytest.mark.parametrize("output", ["text", "json"])
def test_inspect_of_a_serialem_stack_loads_no_numpy(tmp_path: Path, output: str) -> None:
    """Every SerialEM item, dose (two packed shorts) included, is decoded without numpy."""
    path = _serialem_stack(tmp_path)
    modules = _inspect_modules(path, output)
    _only_reader(modules, "mrc")
    import clxm_meta

    ext = clxm_meta.read(path).ext_header  # type: ignore[attr-defined]
    assert ext.interpretation == "serialem"
    assert [s.dose_e_per_a2 for s in ext.sections][:2] == [1.5, 2.25]


@pytest.mark.parametrize("output", ["text", "json"])
def test_inspect_of_a_txrm_loads_no_numpy_nor_olefile(tmp_path: Path, output: str) -> None:
    from tests.writers.txrm import write_txrm

    _only_reader(_inspect_modules(EXAMPLE_TXRM, output), "txrm")
    written = write_txrm(tmp_path / "ts.txrm", mosaic=(2, 2), angles=[0.0] * 4)
    _only_reader(_inspect_modules(written, output), "txrm")


def test_numpy_is_still_there_for_agard_records(tmp_path: Path) -> None:
    """The boundary of the laziness: Agard (and FEI) records are decoded with numpy, on demand."""
    import struct

    from tests.writers.mrc import write_mrc

    path = write_mrc(tmp_path / "a.mrc", shape=(2, 4, 4), exttyp=b"AGAR")
    data = bytearray(path.read_bytes())
    ext = struct.pack("<if", 1, 10.0) + struct.pack("<if", 2, 0.5)  # one int, one float each
    struct.pack_into("<i", data, 92, len(ext))  # nsymbt
    struct.pack_into("<2h", data, 128, 1, 1)  # nint, nreal
    path.write_bytes(bytes(data[:1024]) + ext + bytes(data[1024:]))
    import clxm_meta

    ext_header = clxm_meta.read(path).ext_header  # type: ignore[attr-defined]
    assert ext_header.interpretation == "agard"
    assert [s.tilt_deg for s in ext_header.sections] == [10.0, 0.5]
    modules = _inspect_modules(path, "json")
    assert "numpy" in modules
    assert _loaded(modules, ("olefile", "mrcfile")) == []


def test_inspect_text_loads_no_json_nor_shutil() -> None:
    """argparse's help formatter imports shutil (with bz2 and lzma) on every ``add_argument``;
    the CLI's formatter takes the terminal width without it. json is for ``--format json``."""
    modules = _inspect_modules(EXAMPLE_MRC, "text")
    assert _loaded(modules, ("shutil", "json", "bz2", "lzma")) == []
    assert "json" in _inspect_modules(EXAMPLE_MRC, "json")


@pytest.mark.parametrize("columns", [None, "100", "37", "0", "-5", "wide"])
def test_help_width_is_shutils(monkeypatch: pytest.MonkeyPatch, columns: str | None) -> None:
    import shutil

    from clxm_meta.cli import _columns

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert _columns() == shutil.get_terminal_size().columns
