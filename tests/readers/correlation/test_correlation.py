"""Correlation transforms: plain matrices and legacy eC-CLEM XML (written files)."""

from __future__ import annotations

from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.errors import MalformedFileError
from clxm_meta.normalise.build import build_records, candidates_for
from clxm_meta.readers.correlation import CorrelationModel
from clxm_meta.readers.correlation.sniff import sniff
from clxm_meta.readers.registry import detect
from clxm_meta.records.fields import DatasetKind
from writers.simlog import ecclem_xml_text, matrix_text

M4 = [[0.98, -0.17, 0.0, 12.5], [0.17, 0.98, 0.0, -3.25], [0.0, 0.0, 1.0, 0.5], [0, 0, 0, 1]]


def _read(path: Path) -> CorrelationModel:
    model = clxm_meta.read(path)
    assert isinstance(model, CorrelationModel)
    return model


@pytest.mark.parametrize("sep", [" ", ", ", "\t", ";"])
def test_plain_4x4(tmp_path: Path, sep: str) -> None:
    path = tmp_path / "sim_to_sxt_transform.txt"
    path.write_text(matrix_text(M4, sep=sep, comment="SIM -> SXT, pixels"))
    assert detect(path).name == "correlation"
    model = _read(path)
    assert model.kind == "matrix_text"
    assert model.matrices[0].matrix == [[float(v) for v in row] for row in M4]
    assert model.matrices[0].locator == "lines 2-5"
    assert model.findings == []


def test_plain_3x4_shared_row_both_kinds(tmp_path: Path) -> None:
    path = tmp_path / "affine_matrix.txt"
    path.write_text(matrix_text(M4[:3]))
    model = _read(path)
    cands = candidates_for(model)
    assert {c.kind for c in cands} == {DatasetKind.SIM, DatasetKind.SXT}
    assert all(c.field == "correlation.transform" for c in cands)
    assert cands[0].value[0].description == "3x4 affine matrix (row 0 0 0 1 implied)"
    records = build_records([model])
    assert {r.kind for r in records} == {DatasetKind.SIM, DatasetKind.SXT}
    for rec in records:
        assert rec.correlation.transform is not None
        assert rec.correlation.transform.value[0].matrix[0][3] == 12.5


def test_not_affine_warning(tmp_path: Path) -> None:
    path = tmp_path / "matrix.txt"
    path.write_text(matrix_text([*M4[:3], [0, 0, 0.1, 1]]))
    assert "correlation.not_affine" in [f.code for f in _read(path).findings]


def test_names_and_shapes_not_claimed() -> None:
    assert not sniff("notes.txt", matrix_text([*M4[:3], [0, 0, 0.1, 1]]).encode())  # not affine
    assert not sniff("notes.txt", matrix_text(M4[:3]).encode())  # 3x4, name says nothing
    assert not sniff("transform.txt", b"1 2 3\n4 5 6\n")
    assert not sniff("transform.txt", matrix_text(M4 + M4[:1]).encode())
    assert not sniff("tomo.xf", matrix_text(M4).encode())


def test_bad_matrix_is_error(tmp_path: Path) -> None:
    path = tmp_path / "transform.txt"
    path.write_text("1 2 3 x\n")
    with pytest.raises(MalformedFileError):
        clxm_meta.read(path, format="correlation")


def test_ecclem_legacy_xml(tmp_path: Path) -> None:
    shift = [[1, 0, 0, 5.0], [0, 1, 0, -2.0], [0, 0, 1, 0], [0, 0, 0, 1]]
    path = tmp_path / "sim_transfo.xml"
    path.write_text(ecclem_xml_text([M4, shift]))
    assert detect(path).name == "correlation"
    model = _read(path)
    assert model.kind == "ecclem_xml"
    assert [m.order for m in model.matrices] == [0, 1]
    assert model.matrices[0].container == "SXT"
    assert model.combined is not None
    assert model.combined[0][3] == pytest.approx(12.5 + 5.0)
    (sim, _sxt) = candidates_for(model)
    assert sim.value[1].description == "eC-CLEM MatrixTransformation, order 1 (4x4 affine)"


def test_ecclem_schema_xml_recognised_without_matrix(tmp_path: Path) -> None:
    path = tmp_path / "schema.xml"
    path.write_text(
        '<root><transformation type="AFFINE" noiseModel="ISOTROPIC" date="x">'
        '<dataset type="source" n="1" dimension="2" pointType="FIDUCIAL"><point id="0">'
        '<coordinate dimension="0">1.0</coordinate></point></dataset></transformation></root>'
    )
    model = _read(path)
    assert model.kind == "ecclem_schema_xml" and model.matrices == []
    assert (model.transformation_type, model.noise_model) == ("AFFINE", "ISOTROPIC")
    assert "correlation.no_matrix_stored" in [f.code for f in model.findings]
    assert candidates_for(model) == []


def test_other_xml_is_error(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<a><b/></a>")
    with pytest.raises(MalformedFileError):
        clxm_meta.read(path, format="correlation")
    path.write_text("<a><b>")
    with pytest.raises(MalformedFileError):
        clxm_meta.read(path, format="correlation")


def test_matrix_recognised_by_content_not_only_by_name() -> None:
    """Issue 22: ``cell01_SIM_to_SXT.txt`` was ignored (no "transform"/"matrix" in its name)."""
    assert sniff("cell01_SIM_to_SXT.txt", matrix_text(M4).encode())
    assert sniff("cell01_SIM_to_SXT.txt", matrix_text(M4[:3]).encode())  # the name maps SIM → SXT
    assert sniff("sxt2sim.csv", matrix_text(M4[:3], sep=",").encode())
    assert sniff("notes.txt", matrix_text(M4).encode())  # a homogeneous affine 4x4, by content
    assert not sniff("cell01_SIM_to_SXT.txt", b"1 2 3\n4 5 6\n")
    assert not sniff("simulation.txt", matrix_text(M4[:3]).encode())  # "sim" alone is no pair
