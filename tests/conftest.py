"""Shared test fixtures.

Real third-party samples are read from ``../shared/data/real`` (never copied into this repo); tests
that need them skip cleanly when ``../shared`` is absent, so a plain clone still passes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

import clxm_meta

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLXM_SHARED", ROOT.parent / "shared"))
REAL = SHARED / "data" / "real"
TEST_DATA = ROOT / "tests" / "data"
GOLDEN = ROOT / "tests" / "golden"
EXAMPLE = ROOT / "examples" / "deposition"


def real_path(relative: str) -> Path:
    """Path of a real sample under ../shared/data/real, or skip the test when it is absent."""
    path = REAL / relative
    if not path.is_file():
        pytest.skip(f"real sample {relative} not available (../shared absent)")
    return path


def real_files(subdir: str) -> list[Path]:
    """Every real sample in one subfolder (empty list when ../shared is absent)."""
    folder = REAL / subdir
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file())


@pytest.fixture
def real() -> Path:
    """The real-sample folder; skips when ../shared is absent."""
    if not REAL.is_dir():
        pytest.skip("../shared/data/real not available")
    return REAL


def snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    """Size, mtime and SHA-256 of every regular file under ``root``: to prove inputs are untouched."""
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            if p.is_symlink() or not p.is_file():  # a FIFO would block the read
                continue
            st = p.stat()
            out[str(p.relative_to(root))] = (
                st.st_size,
                st.st_mtime_ns,
                hashlib.sha256(p.read_bytes()).hexdigest(),
            )
    return out


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A private copy of the example deposition tree (examples/deposition)."""
    dst = tmp_path / "deposition"
    shutil.copytree(EXAMPLE, dst)
    return dst


BARE_SIDECAR = """version: 1
all:
  general.people:
    - name: Josiah Carberry
      affiliation: Example University, Department of Microscopy
      orcid: 0000-0002-1825-0097
      role: depositor
  general.funding:
    - {agency: Example Research Council, grant_id: ERC-0000-EXAMPLE}
  general.facility: Example beamline
samples:
  sample1:
    sample.sample_id: Synthetic example cells (no biological sample)
    sample.carrier: 3 mm gold finder grid, holey carbon
datasets:
  sample1/SIM/cell1:
    kind: SIM
    general.title: Example cryo-SIM of synthetic cell 1
    sample.fluorophores: [synthetic 488 nm dye, synthetic 561 nm dye]
"""
"""A sidecar without the biostudies block, fiducials or accessions (the example may fill more)."""


def parse_tsv(text: str) -> list[tuple[list[str], list[tuple[str, str]]]]:
    import csv
    import io

    blocks: list[tuple[list[str], list[tuple[str, str]]]] = []
    current: tuple[list[str], list[tuple[str, str]]] | None = None
    for cells in csv.reader(io.StringIO(text), delimiter="\t", quotechar='"'):
        if not cells or all(c == "" for c in cells):
            current = None
            continue
        if current is None:
            current = (cells, [])
            blocks.append(current)
        else:
            current[1].append((cells[0], cells[1] if len(cells) > 1 else ""))
    return blocks


def bare(tree: Path) -> Path:
    """Make ``tree`` (a copy of the example) hold only `BARE_SIDECAR` and no correlation file."""
    (tree / "clxm.yaml").write_text(BARE_SIDECAR)
    for path in list(tree.rglob("*")):
        try:
            fmt = clxm_meta.detect(path).name if path.is_file() else None
        except clxm_meta.ClxmMetaError:
            fmt = None
        if fmt == "correlation":
            path.unlink()
    return tree


ENRICHED = """  acknowledgements: We thank the beamline staff.
  funding_statement: Funded by the Example Research Council.
  organisations:
    Example University, Department of Microscopy: {ror: 0220mzb33, address: "London, UK"}
"""


def enrich(tree: Path) -> Path:
    """Add the optional v5 study facts (acknowledgements, funding statement, ROR) to ``tree``'s
    sidecar (a copy of the example)."""
    path = tree / "clxm.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.endswith("sample_preparation: Synthetic data; no sample was prepared.\n")
    path.write_text(text + ENRICHED, encoding="utf-8")
    return tree
