"""`clxm-meta inspect` prints exactly what it printed before the start-up work of issue 21.

The start-up changes (lazy numpy, no olefile on the fast path, struct instead of numpy in the
MRC and TXRM decoders) must not change a byte of the output: the text and the ``--format json``
output of one file per format are pinned here, as the command prints them (the golden JSON of
tests/test_golden.py pins the model, not the printed output). The example files are in the
repository; the real samples are skipped when ../shared is absent. The paths are written as
``<dir>/NAME``. Regenerate (after a deliberate change) with ``CLXM_PIN_WRITE=1``.
"""

from __future__ import annotations

import os

import pytest

from clxm_meta.cli import main
from conftest import GOLDEN, REAL, ROOT

PINNED = GOLDEN / "inspect_cli"
SAMPLES = {
    "example_cell1.dv": ROOT / "examples" / "cell1.dv",
    "example_ts1_rec.mrc": ROOT / "examples" / "deposition" / "sample1" / "SXT" / "ts1_rec.mrc",
    "example_ts1.txrm": ROOT / "examples" / "deposition" / "sample1" / "SXT" / "ts1.txrm",
    "real_toxo.dv": REAL / "dv" / "tlambert03-mrc__toxo.dv",
    "real_headerTest.st": REAL / "mrc" / "imod-etomo__headerTest.st",
    "real_test_002_mode1.st": REAL / "mrc" / "tomoauto__test_002_mode1.st",
    "real_test_chip00.xrm": REAL / "txrm" / "dxchange__test_chip00.xrm",
    "real_otf.tif": REAL / "tiff" / "cudasirecon__otf.tif",
    "real_test_chip00.ome.tiff": REAL / "tiff" / "txrm2tiff-2.2.1__test_chip00.ome.tiff",
}


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_inspect_output_is_pinned(name: str, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = SAMPLES[name]
    if not path.is_file():
        pytest.skip(f"{path.name} not available (../shared absent)")
    code = main(["inspect", str(path), "--format", fmt])
    out = capsys.readouterr().out.replace(str(path.parent), "<dir>")
    pinned = PINNED / f"{name}.{fmt}.txt"
    if os.environ.get("CLXM_PIN_WRITE"):
        pinned.write_text(f"exit {code}\n{out}")
    assert f"exit {code}\n{out}" == pinned.read_text()
