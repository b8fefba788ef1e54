"""Robustness of the SIM text readers: damaged input gives a model with findings or a library error."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clxm_meta
from clxm_meta.errors import ClxmMetaError
from clxm_meta.readers import _text
from clxm_meta.readers.base import FormatModel
from writers.simlog import chromagnon_csv_text, cudasirecon_log_text, pysimrecon_log_text

SAMPLES = {
    "cuda.log": cudasirecon_log_text(),
    "cell_recon.log": pysimrecon_log_text(),
    "shift.chromagnon.csv": chromagnon_csv_text(),
}
FAST = settings(
    max_examples=40,
    deadline=2000,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _read_ok(path: Path, fmt: str | None = None) -> None:
    try:
        model = clxm_meta.read(path, format=fmt)
    except ClxmMetaError:
        return
    assert isinstance(model, FormatModel)


@FAST
@given(name=st.sampled_from(sorted(SAMPLES)), frac=st.floats(0, 1))
def test_random_truncation(tmp_path: Path, name: str, frac: float) -> None:
    data = SAMPLES[name].encode()
    path = tmp_path / name
    path.write_bytes(data[: int(len(data) * frac)])
    _read_ok(path, "simrecon" if name.endswith(".log") else "chromatic")


@FAST
@given(name=st.sampled_from(sorted(SAMPLES)), seed=st.integers(0, 10_000))
def test_shuffled_lines(tmp_path: Path, name: str, seed: int) -> None:
    lines = SAMPLES[name].splitlines()
    random.Random(seed).shuffle(lines)
    path = tmp_path / name
    path.write_text("\n".join(lines))
    _read_ok(path, "simrecon" if name.endswith(".log") else "chromatic")


@FAST
@given(
    name=st.sampled_from(sorted(SAMPLES)),
    junk=st.binary(min_size=1, max_size=64),
    at=st.floats(0, 1),
)
def test_non_utf8_bytes(tmp_path: Path, name: str, junk: bytes, at: float) -> None:
    data = SAMPLES[name].encode()
    cut = int(len(data) * at)
    path = tmp_path / name
    path.write_bytes(data[:cut] + b"\xff\xfe" + junk + data[cut:])
    _read_ok(path)


def test_crlf_gives_same_values(tmp_path: Path) -> None:
    text = cudasirecon_log_text()
    a, b = tmp_path / "a.log", tmp_path / "b.log"
    a.write_bytes(text.encode())
    b.write_bytes(text.replace("\n", "\r\n").encode())
    ma, mb = clxm_meta.read(a), clxm_meta.read(b)
    assert ma.model_dump(exclude={"path", "file_size"}) == mb.model_dump(
        exclude={"path", "file_size"}
    )


def test_huge_line_is_cut(tmp_path: Path) -> None:
    path = tmp_path / "x.log"
    path.write_text("nphases=5, ndirs=3\n" + "x" * 200_000 + "\n" + cudasirecon_log_text())
    start = time.perf_counter()
    model = clxm_meta.read(path)
    assert time.perf_counter() - start < 5
    assert "simrecon.long_lines" in [f.code for f in model.findings]
    assert len(model.unknown_lines[0].text) <= _text.MAX_LINE


def test_byte_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_text, "MAX_BYTES", 2000)
    monkeypatch.setattr(_text.read_text, "__defaults__", (2000,))
    path = tmp_path / "x.log"
    path.write_text(cudasirecon_log_text() * 5)
    model = clxm_meta.read(path)
    assert model.truncated  # type: ignore[attr-defined]
    assert "simrecon.truncated_read" in [f.code for f in model.findings]


def test_many_unknown_lines_bounded(tmp_path: Path) -> None:
    path = tmp_path / "x.log"
    path.write_text(cudasirecon_log_text() + "mystery line\n" * 5000)
    model = clxm_meta.read(path)
    assert len(model.unknown_lines) == 200  # type: ignore[attr-defined]
    assert model.unknown_lines_dropped == 4800  # type: ignore[attr-defined]
