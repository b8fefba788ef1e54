"""The example notebook in docs/ runs from top to bottom on the example dataset."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "notebooks" / "example.ipynb"


def test_example_notebook_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    # jupyter_core's platformdirs migration warning is an error under filterwarnings = error
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs"), "commit the notebook without outputs"
    client = nbclient.NotebookClient(
        nb,
        timeout=180,
        kernel_name="python3",  # ipykernel's own spec: this interpreter
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute(env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
    html = [
        out["data"]["text/html"]
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if "text/html" in out.get("data", {})
    ]
    # scan result, SIM record, SXT completeness, DV format model
    assert len(html) == 4
    assert "sample1/SIM/cell1" in html[0] and "sample1/SXT/ts1" in html[0]
    assert 'data-id="setup.pixel_size"' in html[1]
    assert 'data-id="setup.energy"' in html[2] and "rows filled" in html[2]
    assert "DvFile" in html[3]
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
