"""Chromagnon chromatic-shift CSV: written files (no public real sample exists)."""

from __future__ import annotations

from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.errors import MalformedFileError
from clxm_meta.normalise.build import build_records, candidates_for
from clxm_meta.readers.chromatic import ChromaticModel
from clxm_meta.readers.chromatic.sniff import sniff
from clxm_meta.readers.registry import detect
from writers.simlog import chromagnon_csv_text


def _read(tmp_path: Path, text: str, name: str = "shift.chromagnon.csv") -> ChromaticModel:
    path = tmp_path / name
    path.write_text(text, newline="")
    model = clxm_meta.read(path)
    assert isinstance(model, ChromaticModel)
    return model


def test_three_channels(tmp_path: Path) -> None:
    path = tmp_path / "cell1.chromagnon.csv"
    path.write_text(chromagnon_csv_text(), newline="")
    assert detect(path).name == "chromatic"
    model = clxm_meta.read(path)
    assert isinstance(model, ChromaticModel)
    assert (model.nt, model.nw, model.refwave_index) == (1, 3, 0)
    assert model.pixel_size_zyx_um == [0.125, 0.08, 0.08]
    assert model.reference_wavelength_nm == 525.0
    assert model.units["rz"] == "deg" and model.units["tx"] == "px"
    assert [r.wavelength_nm for r in model.rows] == [525.0, 605.0, 683.0]
    r = model.rows[1]
    assert (r.tz, r.ty, r.tx, r.rz, r.mz, r.my, r.mx, r.line) == (
        0.12, -0.35, 0.8, 0.05, 1.0, 1.0012, 0.9991, 7,
    )  # fmt: skip
    assert model.findings == []
    cands = {c.field: c for c in candidates_for(model)}
    sw = cands["chromatic_shift.software"].value
    assert (sw.name, sw.version) == ("Chromagnon", None)
    tr = cands["chromatic_shift.transform"]
    assert [(t.reference_wavelength_nm, t.wavelength_nm) for t in tr.value] == [
        (525.0, 605.0),
        (525.0, 683.0),
    ]
    assert tr.source.locator == "rows at lines 7, 8; refwave line 4"
    assert "rz in degrees" in (tr.source.transform or "")
    (record,) = build_records([model])
    assert record.chromatic_shift.transform is not None


def test_two_channels_refwave_index_one(tmp_path: Path) -> None:
    text = chromagnon_csv_text(
        [(488, 0.5, 0.2, -0.1, 0.3, 1, 1.001, 0.999), (561, 0, 0, 0, 0, 1, 1, 1)], refwave=1
    )
    model = _read(tmp_path, text)
    assert model.reference_wavelength_nm == 561.0
    (tr,) = [c for c in candidates_for(model) if c.field == "chromatic_shift.transform"]
    assert [t.wavelength_nm for t in tr.value] == [488.0]
    assert tr.value[0].tx == -0.1


def test_refwave_out_of_range_leaves_reference_unknown(tmp_path: Path) -> None:
    model = _read(tmp_path, chromagnon_csv_text(refwave=7))
    assert model.reference_wavelength_nm is None
    assert "chromatic.refwave_out_of_range" in [f.code for f in model.findings]


def test_refwave_given_as_wavelength(tmp_path: Path) -> None:
    model = _read(tmp_path, chromagnon_csv_text(refwave=605))
    assert model.reference_wavelength_nm == 605.0
    assert "chromatic.refwave_is_wavelength" in [f.code for f in model.findings]


def test_incomplete_row_and_count(tmp_path: Path) -> None:
    text = chromagnon_csv_text() + "0,700,1,2\n"
    model = _read(tmp_path, text)
    assert model.rows[-1].rz is None
    codes = [f.code for f in model.findings]
    assert "chromatic.incomplete_row" in codes and "chromatic.row_count" in codes


def test_sniff_rule() -> None:
    assert sniff("anything.csv", b"nt,1\r\nnw,2\r\n")
    assert not sniff("data.csv", b"a,b\n1,2\n")


def test_not_chromagnon(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(MalformedFileError):
        clxm_meta.read(path, format="chromatic")
