"""Scanning a deposition tree: grouping, roles, pairing, values and provenance, read-only."""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.records.provenance import SourceKind
from clxm_meta.records.scan import ScanResult
from conftest import EXAMPLE, ROOT, snapshot

sys.path.insert(0, str(ROOT / "tests"))


@pytest.fixture(scope="module")
def result() -> ScanResult:
    return clxm_meta.scan(EXAMPLE)


def test_two_records_paired(result: ScanResult) -> None:
    assert [(r.name, r.kind.value) for r in result.records] == [
        ("sample1/SIM/cell1", "SIM"),
        ("sample1/SXT/ts1", "SXT"),
    ]
    [pair] = result.pairs
    assert (pair.sim, pair.sxt, pair.sample) == ("sample1/SIM/cell1", "sample1/SXT/ts1", "sample1")
    assert "only SIM and the only SXT" in pair.evidence
    [sample] = result.samples
    assert sample.name == "sample1" and "modality" in sample.evidence


def test_roles_and_reasons(result: ScanResult) -> None:
    roles = {f.path: f.role for f in result.files}
    assert roles == {
        "clxm.yaml": "sidecar",
        "sample1/SIM/cell1.chromagnon.csv": "chromatic",
        "sample1/SIM/cell1.dv": "sim_raw",
        "sample1/SIM/cell1.log": "sim_log",
        "sample1/SIM/cell1_SIR.dv": "sim_reconstruction",
        "sample1/SXT/align.log": "imod",
        "sample1/SXT/tilt.com": "imod",
        "sample1/SXT/ts1.rawtlt": "imod",
        "sample1/SXT/ts1.tlt": "imod",
        "sample1/SXT/ts1.txrm": "tilt_series",
        "sample1/SXT/ts1_rec.mrc": "tomogram",
        "sample1/sim_to_sxt_transform.txt": "correlation",
    }
    for f in result.files:
        if f.role != "sidecar":
            assert f.dataset and f.reason, f.path
    tilt = next(f for f in result.files if f.path.endswith("tilt.com"))
    assert tilt.reason is not None and "only SXT dataset" in tilt.reason


def test_expected_values(result: ScanResult) -> None:
    sim = result.record("sample1/SIM/cell1")
    sxt = result.record("sample1/SXT/ts1")
    assert sim.setup.pixel_size is not None
    assert sim.setup.pixel_size.value.x == pytest.approx(0.0794)
    assert sim.processed.voxel_size is not None
    assert sim.processed.voxel_size.value.x == pytest.approx(0.0397)
    assert sim.acquisition.n_excitation_wavelengths is not None
    assert sim.acquisition.n_excitation_wavelengths.value == 2
    assert sxt.setup.energy is not None and sxt.setup.energy.value.value_ev == pytest.approx(500)
    assert sxt.acquisition.tilt_range is not None
    tr = sxt.acquisition.tilt_range.value
    assert (tr.min_deg, tr.max_deg) == (pytest.approx(-60), pytest.approx(60))
    assert sxt.acquisition.n_frames is not None and sxt.acquisition.n_frames.value == 61
    assert sxt.setup.pixel_size is not None
    assert sxt.setup.pixel_size.value.x == pytest.approx(0.01)
    assert sxt.setup.pixel_size.source.path is not None
    assert sxt.setup.pixel_size.source.path.endswith("ts1.txrm")
    assert sxt.processing.residual_error is not None
    assert sxt.processing.residual_error.value.mean == pytest.approx(0.412)
    assert sxt.processing.residual_error.source.path is not None
    assert sxt.processing.residual_error.source.path.endswith("align.log")


def test_every_value_has_a_source(result: ScanResult) -> None:
    for rec in result.records:
        for row in clxm_meta.rows(rec, filled_only=True):
            assert row.source is not None and row.source["kind"], row.id


def test_sidecar_values_carry_key_and_line(result: ScanResult) -> None:
    sim = result.record("sample1/SIM/cell1")
    title = sim.general.title
    assert title is not None and title.source.kind is SourceKind.SIDECAR
    assert title.source.locator is not None
    assert "datasets.sample1/SIM/cell1.general.title" in title.source.locator
    assert "line 2" in title.source.locator  # line 2x
    people = sim.general.people
    assert people is not None and people.value[0].orcid == "0000-0002-1825-0097"
    assert result.release_instructions == {"sample1/SXT/ts1": "HPUB"}


def test_example_has_no_error_or_unexpected_warning(result: ScanResult) -> None:
    bad = [f for f in result.all_findings() if f.severity.value != "info"]
    assert bad == []


def test_scan_is_read_only(tree: Path) -> None:
    before = snapshot(tree)
    clxm_meta.scan(tree)
    assert snapshot(tree) == before


def test_unknown_files_are_info(tree: Path) -> None:
    (tree / "sample1" / "notes.bin").write_bytes(b"\x00\x01binary notes")
    (tree / "README.txt").write_text("hello\n")
    res = clxm_meta.scan(tree)
    codes = {(f.code, Path(f.path or "").name) for f in res.findings}
    assert ("scan.unrecognised", "notes.bin") in codes
    unknown = {f.path for f in res.files if f.role == "unknown"}
    assert {"sample1/notes.bin", "README.txt"} <= unknown
    assert len(res.records) == 2


def test_two_cells_pair_by_area_word(tree: Path) -> None:
    sim, sxt = tree / "sample1" / "SIM", tree / "sample1" / "SXT"
    for src in sorted(sim.iterdir()):
        shutil.copy(src, sim / src.name.replace("cell1", "cell2"))
    shutil.copy(sxt / "ts1.txrm", sxt / "cell2_ts.txrm")
    (sxt / "ts1.txrm").rename(sxt / "cell1_ts.txrm")
    (sxt / "ts1.rawtlt").rename(sxt / "cell1_ts.rawtlt")
    (sxt / "ts1_rec.mrc").rename(sxt / "cell1_ts_rec.mrc")
    res = clxm_meta.scan(tree, use_sidecar=False)
    pairs = {(p.sim, p.sxt) for p in res.pairs}
    assert pairs == {
        ("sample1/SIM/cell1", "sample1/SXT/cell1_ts"),
        ("sample1/SIM/cell2", "sample1/SXT/cell2_ts"),
    }
    # tilt.com matches neither stem: shared, with a finding
    assert any(f.code == "dataset.ambiguous_member" for f in res.findings)


def test_processing_subfolder_joins_parent_dataset(tree: Path) -> None:
    sub = tree / "sample1" / "SXT" / "recon"
    sub.mkdir()
    (tree / "sample1" / "SXT" / "ts1_rec.mrc").rename(sub / "ts1_rec.mrc")
    res = clxm_meta.scan(tree)
    ds = next(d for d in res.datasets if d.kind.value == "SXT")
    member = next(m for m in ds.members if m.path.endswith("ts1_rec.mrc"))
    assert "parent folder" in member.reason


def test_symlink_loop_and_self_link(tree: Path) -> None:
    try:
        os.symlink("..", tree / "sample1" / "SXT" / "loop")
        os.symlink("self", tree / "self")
        os.symlink("missing-target", tree / "broken")
    except OSError:
        pytest.skip("symbolic links not supported here")
    res = clxm_meta.scan(tree)
    codes = [f.code for f in res.findings]
    assert codes.count("scan.symlink_loop") >= 2
    assert "scan.broken_symlink" in codes
    assert len(res.records) == 2


def test_unreadable_file_and_folder(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scan_mod = importlib.import_module("clxm_meta.dataset.scan")
    from clxm_meta.dataset import walk as walk_mod
    from clxm_meta.errors import UnreadableFileError

    locked = tree / "sample1" / "SXT" / "ts1.rawtlt"
    real_detect = scan_mod.detect

    def fake_detect(path: str | os.PathLike[str]):  # type: ignore[no-untyped-def]
        if Path(path) == locked:
            raise UnreadableFileError("cannot read file: Permission denied", path=path)
        return real_detect(path)

    (tree / "private").mkdir()
    real_scandir = os.scandir

    def fake_scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == tree / "private":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(scan_mod, "detect", fake_detect)
    monkeypatch.setattr(walk_mod.os, "scandir", fake_scandir)
    res = clxm_meta.scan(tree)
    hits = {(f.code, Path(f.path or "").name) for f in res.findings}
    assert ("scan.unreadable", "ts1.rawtlt") in hits
    assert ("scan.unreadable", "private") in hits
    assert len(res.records) == 2


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads 000")
def test_chmod_000_file(tree: Path) -> None:
    locked = tree / "sample1" / "SXT" / "ts1.rawtlt"
    locked.chmod(0)
    try:
        res = clxm_meta.scan(tree)
    finally:
        locked.chmod(0o644)
    assert any(f.code == "scan.unreadable" for f in res.findings)


def test_file_vanishing_mid_scan(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scan_mod = importlib.import_module("clxm_meta.dataset.scan")

    gone = tree / "sample1" / "SIM" / "cell1.chromagnon.csv"
    real_detect = scan_mod.detect

    def vanish(path: str | os.PathLike[str]):  # type: ignore[no-untyped-def]
        if Path(path) == gone and gone.exists():
            gone.unlink()
        return real_detect(path)

    monkeypatch.setattr(scan_mod, "detect", vanish)
    res = clxm_meta.scan(tree)
    assert any(f.code == "scan.vanished" for f in res.findings)
    assert len(res.records) == 2


def test_root_must_be_a_folder(tmp_path: Path) -> None:
    with pytest.raises(clxm_meta.UnreadableFileError):
        clxm_meta.scan(tmp_path / "nope")


def test_scan_result_json_is_deterministic() -> None:
    a = clxm_meta.scan(EXAMPLE).model_dump_json()
    b = clxm_meta.scan(EXAMPLE).model_dump_json()
    assert a == b
