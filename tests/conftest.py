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
