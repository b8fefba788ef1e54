"""An empty AreTomo .aln gives no "AreTomo" read from the file (issue 23)."""

from __future__ import annotations

from pathlib import Path

from clxm_meta.normalise.build import candidates_for
from clxm_meta.readers.registry import read


def _fields(path: Path) -> dict[str, object]:
    return {c.field: c.value for c in candidates_for(read(path, format="imod"))}


def test_empty_aln_names_no_software(tmp_path: Path) -> None:
    path = tmp_path / "ts1.aln"
    path.write_text("")
    fields = _fields(path)
    assert "processing.software" not in fields
    assert "processing.protocol" not in fields


def test_aln_with_its_title_still_names_aretomo(tmp_path: Path) -> None:
    path = tmp_path / "ts1.aln"
    path.write_text("# AreTomo Alignment / Priims bprmMn\n")
    fields = _fields(path)
    software = fields["processing.software"]
    assert getattr(software, "name", None) == "AreTomo"
