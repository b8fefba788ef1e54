"""Atomic outputs get the mode a new file would get (0666 minus the umask), not mkstemp's 0600."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from clxm_meta.io.output import current_umask, write_atomic


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_written_file_follows_the_umask(tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        assert current_umask() == mask
        out = tmp_path / "report.html"
        write_atomic(out, "<p>x</p>")
        assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
        write_atomic(out, b"again", force=True)
        assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
    finally:
        os.umask(old)
