"""Every file accounted for, dataset names, and files recognised by content (issue 22)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.cli import EXIT_OK, main
from clxm_meta.dataset.roles import stem
from clxm_meta.readers.simrecon.sniff import sniff as simrecon_sniff
from conftest import real_path
from writers.simlog import cudasirecon_config_text, matrix_text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("txrm2tiff-2.2.1__txrm_test_chip_tomo.ome.tiff", "txrm2tiff-2.2.1__txrm_test_chip_tomo"),
        ("cell1.dv", "cell1"),
        ("cell1.chromagnon.csv", "cell1.chromagnon"),
        ("ts1_rec.denoised.mrc", "ts1_rec.denoised"),
        ("TS_01.mrc.mdoc", "TS_01"),
        ("a/b/x.OME.TIF", "x"),
        ("noext", "noext"),
    ],
)
def test_stem_keeps_everything_before_the_format_extension(name: str, expected: str) -> None:
    assert stem(name) == expected


@pytest.mark.shared
def test_dataset_name_keeps_dots(tmp_path: Path) -> None:
    """Issue 22: ``txrm2tiff-2.2.1__txrm_test_chip_tomo.ome.tiff`` was dataset ``txrm2tiff-2``."""
    name = "txrm2tiff-2.2.1__txrm_test_chip_tomo.ome.tiff"
    (tmp_path / "SXT").mkdir()
    shutil.copy(real_path(f"tiff/{name}"), tmp_path / "SXT" / name)
    result = clxm_meta.scan(tmp_path)
    assert [d.name for d in result.datasets] == ["SXT/txrm2tiff-2.2.1__txrm_test_chip_tomo"]


def test_cudasirecon_config_named_log_is_uploaded(tree: Path, tmp_path: Path) -> None:
    """Issue 22: a cudasirecon config named ``cell1.log`` vanished from files.tsv and md5.txt."""
    log = tree / "sample1/SIM/cell1.log"
    log.write_text(cudasirecon_config_text())
    assert simrecon_sniff("cell1.log", log.read_bytes())
    result = clxm_meta.scan(tree)
    assert next(f for f in result.files if f.path == "sample1/SIM/cell1.log").role == "sim_log"
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out), "-q"]) == EXIT_OK
    assert "sample1/SIM/cell1.log" in (out / "biostudies/files.tsv").read_text(encoding="utf-8")
    assert "sample1/SIM/cell1.log" in (out / "md5.txt").read_text(encoding="utf-8")


@pytest.mark.shared
def test_real_cudasirecon_config_named_log() -> None:
    data = real_path("simlog/cudasirecon__config").read_bytes()
    assert simrecon_sniff("cell1.log", data)


def test_correlation_matrix_by_content(tree: Path) -> None:
    """Issue 22: ``cell01_SIM_to_SXT.txt`` was ignored (no "transform" in its name)."""
    (tree / "sample1/sim_to_sxt_transform.txt").unlink()
    matrix = [[1, 0, 0, 12.5], [0, 1, 0, -3], [0, 0, 1, 0.5], [0, 0, 0, 1]]
    (tree / "sample1/cell01_SIM_to_SXT.txt").write_text(matrix_text(matrix))
    result = clxm_meta.scan(tree)
    assert next(f for f in result.files if f.path.endswith("SIM_to_SXT.txt")).role == "correlation"
    assert result.record("sample1/SXT/ts1").correlation.transform is not None


def test_unrecognised_files_are_named_as_left_out(tree: Path, tmp_path: Path) -> None:
    sxt = tree / "sample1/SXT"
    (sxt / "ts1_rec_thumbnail.jpeg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(40))
    (sxt / "notes.bin").write_bytes(b"\x00\x01binary notes")
    (sxt / "proc").mkdir()
    (sxt / "proc" / "ts1_xy_shift_plot.json").write_text("{}")
    result = clxm_meta.scan(tree)
    info = next(d for d in result.datasets if d.name == "sample1/SXT/ts1")
    left = {m.path: (m.role, m.reason) for m in info.left_out}
    assert left["sample1/SXT/ts1_rec_thumbnail.jpeg"][0] == "preview"
    assert left["sample1/SXT/proc/ts1_xy_shift_plot.json"][0] == "preview"
    assert left["sample1/SXT/notes.bin"][0] == "unknown"
    assert "not a format clxm_meta reads" in left["sample1/SXT/notes.bin"][1]
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out), "-q"]) == EXIT_OK
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert "Left out (not uploaded" in readme
    for path in left:
        assert path in readme
        assert path not in (out / "md5.txt").read_text(encoding="utf-8")
    from clxm_meta.checks.completeness import completeness
    from clxm_meta.cli.check_cmd import check_lines

    lines = check_lines(result, [completeness(r) for r in result.records], result.findings)
    assert any(
        line.startswith("  left out (not uploaded) sample1/SXT/notes.bin [unknown]")
        for line in lines
    )


@pytest.mark.parametrize(
    ("source", "name", "reader"),
    [
        ("sample1/SIM/cell1.dv", "sample1/SIM/cell2.tif", "dv"),
        ("sample1/SXT/ts1.txrm", "sample1/SXT/ts1_copy.mrc", "txrm"),
    ],
)
def test_binary_file_named_as_another_format(
    tree: Path, source: str, name: str, reader: str
) -> None:
    """Issue 22: a DV named ``.tif``, a TXRM named ``.mrc`` said nothing (text files did)."""
    shutil.copy(tree / source, tree / name)
    result = clxm_meta.scan(tree)
    assert next(f for f in result.files if f.path == name).format == reader
    found = [
        f
        for rec in result.records
        for f in [*rec.findings, *result.findings]
        if f.code == "scan.not_what_its_name_says" and f.path and f.path.endswith(name)
    ]
    assert found and "its bytes are" in found[0].message


def test_tiff_named_dv(tree: Path) -> None:
    from writers.tiff import write_plain

    write_plain(tree / "sample1/SIM/overview.dv", shape=(6, 8), dtype="uint16")
    result = clxm_meta.scan(tree)
    assert next(f for f in result.files if f.path == "sample1/SIM/overview.dv").format == "tiff"
    codes = [(f.code, f.path or "") for rec in result.records for f in rec.findings]
    codes += [(f.code, f.path or "") for f in result.findings]
    assert any(c == "scan.not_what_its_name_says" and p.endswith("overview.dv") for c, p in codes)


def test_empiar_format_is_the_real_one() -> None:
    from clxm_meta.export.empiar.imagesets import format_code

    assert format_code("txrm", "SXT/ts1.mrc") == "('OT', 'TXRM')"
    assert format_code("txrm", "SXT/ts1.xrm") == "('OT', 'XRM')"
    assert format_code("mrc", "SXT/ts1.txrm") == "('T1', '')"
    assert format_code("tiff", "SXT/x.dv") == "('T3', '')"
