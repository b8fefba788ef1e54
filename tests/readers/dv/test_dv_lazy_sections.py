"""DV extended header: decoded column-wise; per-section objects only when someone asks for them."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from tests.writers.dv import DvSpec, SectionSpec, write_dv

import clxm_meta
from clxm_meta.readers.dv.extended_header import SectionTable
from clxm_meta.readers.dv.model import DvExtHeader, DvFile


def _file(tmp_path: Path, sequence: int = 2) -> Path:
    secs = [
        SectionSpec(floats={1: 0.5 * i, 8: 0.05, 10: 488.0 + (i % 3 == 0), 11: 525.0, 20: 1.5})
        for i in range(12)
    ]
    spec = DvSpec(
        nz=3,
        n_waves=2,
        n_times=2,
        waves=(525, 600),
        minmax=((0.0, 1.0), (0.0, 1.0)),
        sequence=sequence,
        sections=secs,
    )
    return write_dv(tmp_path / "cell.dv", spec)


def test_read_builds_no_section_objects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = SectionTable.sections

    def counting(self: SectionTable) -> object:
        calls.append(1)
        return real(self)

    monkeypatch.setattr(SectionTable, "sections", counting)
    model = clxm_meta.read(_file(tmp_path))
    assert isinstance(model, DvFile) and model.ext_header is not None
    assert calls == []  # channels and findings came from the columns
    assert [c.exposure_s for c in model.channels] == [0.05, 0.05]
    assert len(model.ext_header.sections) == 12
    assert len(model.ext_header.sections) == 12
    assert calls == [1]  # built once, then cached


@pytest.mark.parametrize("sequence", [0, 1, 2])
def test_channels_from_columns_match_sections(tmp_path: Path, sequence: int) -> None:
    model = clxm_meta.read(_file(tmp_path, sequence))
    assert model.ext_header is not None
    for ch in model.channels:
        secs = [s for s in model.ext_header.sections if s.wave == ch.index]
        assert ch.first_section == secs[0].index
        assert ch.excitation_nm == secs[0].excitation_nm
    varies = [f for f in model.findings if f.code == "dv.ext_header_varies"]
    assert {f.field for f in varies} == {"excitation_nm"}


def test_sections_survive_dump_pickle_and_validation(tmp_path: Path) -> None:
    model = clxm_meta.read(_file(tmp_path))
    assert model.ext_header is not None
    clone = pickle.loads(pickle.dumps(model))  # before sections were built
    assert clone == model and clone.model_dump_json() == model.model_dump_json()
    data = model.ext_header.model_dump()
    assert list(data)[-1] == "sections" and len(data["sections"]) == 12
    again = DvExtHeader(**data)
    assert again == model.ext_header and again.table is None
    assert DvFile.model_validate_json(model.model_dump_json()) == model


def test_channels_of_all_waves_at_once_equal_wave_by_wave() -> None:
    """The reshaped summary of regular layouts gives what the wave-by-wave one gives."""
    import numpy as np

    from clxm_meta.readers.base import FindingCollector
    from clxm_meta.readers.dv.extended_header import channels

    rng = np.random.default_rng(5)
    compared = 0
    for case in range(300):
        seq = int(rng.integers(0, 3))
        nz, nw, nt = (int(v) for v in rng.integers(1, 4, size=3))
        n = nz * nw * nt - int(rng.integers(0, 2)) * int(rng.integers(0, nz * nw * nt))
        floats = rng.choice([0.0, 0.05, 0.1, 488.0, 525.0], size=(n, int(rng.integers(6, 14))))
        if case % 3 == 0:  # one value per column: the usual file
            floats[:] = floats[:1]
        if case % 5 == 0 and n and floats.shape[1] > 8:
            floats[int(rng.integers(0, n)), int(rng.integers(8, floats.shape[1]))] = np.nan
        table = SectionTable(
            np.zeros((n, 2), dtype=np.int64),
            floats.astype(np.float32),
            seq=seq,
            nz=nz,
            nw=nw,
            nt=nt,
        )
        ext = DvExtHeader.from_table(
            table, n_ints=2, n_floats=floats.shape[1], record_bytes=0, declared_bytes=0
        )
        got_col, want_col = FindingCollector("x.dv", "dv"), FindingCollector("x.dv", "dv")
        got = channels(nw, [525] * nw, ext, got_col)
        want = channels(nw, [525] * nw, ext, want_col, regular=False)
        assert got == want, case
        assert got_col.items == want_col.items, case
        compared += 1
    assert compared == 300
