"""Robustness: damaged IMOD-family files give a model with findings or the library's error."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clxm_meta.errors import ClxmMetaError
from clxm_meta.readers import imod
from clxm_meta.readers.imod import text as imod_text
from conftest import real_files
from writers.imod import align_log_text, aln_text, batchruntomo_log_text, mdoc_text, tilt_log_text

SAMPLES = {
    "align.log": align_log_text(0.3, 0.2, "nm", 12, weighted_mean=0.25, local_areas=(2, 1)),
    "tilt.log": tilt_log_text(sirt_iterations=3),
    "batchruntomo.log": batchruntomo_log_text(),
    "ts.aln": aln_text(),
    "ts.mdoc": mdoc_text(),
}
for _p in real_files("imod"):
    SAMPLES[_p.name] = _p.read_text(encoding="utf-8")

FAST = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _read_bytes(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    try:
        model = imod.read(path)
    except ClxmMetaError:
        return None
    assert model.format == "imod"
    return model


@FAST
@given(name=st.sampled_from(sorted(SAMPLES)), frac=st.floats(0, 1))
def test_random_truncation(tmp_path, name, frac):
    data = SAMPLES[name].encode()
    _read_bytes(tmp_path, name, data[: int(len(data) * frac)])


@FAST
@given(name=st.sampled_from(sorted(SAMPLES)), seed=st.integers(0, 2**16))
def test_shuffled_lines(tmp_path, name, seed):
    lines = SAMPLES[name].splitlines()
    random.Random(seed).shuffle(lines)
    _read_bytes(tmp_path, name, "\n".join(lines).encode())


@FAST
@given(
    name=st.sampled_from(sorted(SAMPLES)),
    junk=st.binary(min_size=1, max_size=64),
    where=st.floats(0, 1),
)
def test_non_utf8_bytes(tmp_path, name, junk, where):
    data = SAMPLES[name].encode()
    cut = int(len(data) * where)
    model = _read_bytes(tmp_path, name, data[:cut] + b"\xff\xfe" + junk + data[cut:])
    if model is not None:
        assert model.encoding in ("utf-8", "latin-1")


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_crlf_gives_the_same_model(tmp_path, name):
    lf = _read_bytes(tmp_path, name, SAMPLES[name].encode())
    crlf = _read_bytes(tmp_path, name, SAMPLES[name].replace("\n", "\r\n").encode())
    assert lf is not None and crlf is not None
    a = lf.model_dump(exclude={"file_size", "crlf"})
    b = crlf.model_dump(exclude={"file_size", "crlf"})
    assert a == b


def test_latin1_gets_a_finding(tmp_path):
    text = align_log_text(0.3, 0.2, "nm", 3).replace("ts.fid", "ts\xe9.fid")
    m = _read_bytes(tmp_path, "align.log", text.encode("latin-1"))
    assert m.encoding == "latin-1"
    assert any(f.code == "imod.not_utf8" for f in m.findings)
    assert m.residual.mean == 0.3


def test_huge_line_is_cut(tmp_path):
    text = align_log_text(0.3, 0.2, "nm", 3) + "x" * (imod_text.MAX_LINE_CHARS * 3) + "\n"
    m = _read_bytes(tmp_path, "align.log", text.encode())
    assert any(f.code == "imod.long_line" for f in m.findings)
    assert all(len(u.text) <= imod_text.MAX_LINE_CHARS for u in m.unparsed)


def test_size_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(imod_text, "MAX_BYTES", 2000)
    text = align_log_text(0.3, 0.2, "nm", 40)
    m = _read_bytes(tmp_path, "align.log", text.encode())
    assert any(f.code == "imod.too_large" for f in m.findings)


def test_unparsed_is_bounded(tmp_path):
    junk = "".join(f"nonsense line {i}\n" for i in range(5000))
    m = _read_bytes(tmp_path, "align.log", (align_log_text(0.3, 0.2, "nm", 3) + junk).encode())
    assert len(m.unparsed) == 200
    assert m.unparsed_dropped == 4800


def test_empty_and_foreign_files(tmp_path):
    for name, data in (("a.tlt", b""), ("a.log", b"hello\n"), ("a.xf", b"1 2 3\n"), ("a.edf", b"")):
        _read_bytes(tmp_path, name, data)


def test_strict_mode_raises_library_error(tmp_path):
    path = tmp_path / "empty.rawtlt"
    path.write_text("not a number\n")
    with pytest.raises(ClxmMetaError):
        imod.read(path, strict=True)
