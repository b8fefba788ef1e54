"""What a depositor sees on the first run (issue 13): exit codes, counts, plain wording."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from clxm_meta.cli import main
from clxm_meta.cli.common import EXIT_NOTHING
from conftest import EXAMPLE

IDENTITY_XF = "   1.0000000   0.0000000   0.0000000   1.0000000       0.000       0.000\n"


# --- exit codes: "nothing to report" is not success ---------------------------------------------


def test_exit_nothing_is_3() -> None:
    assert EXIT_NOTHING == 3


def test_table1_empty_folder_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table1", str(tmp_path)]) == EXIT_NOTHING
    assert "no dataset found" in capsys.readouterr().err


def test_table1_file_without_value_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xf = tmp_path / "a.xf"
    xf.write_text(IDENTITY_XF)
    assert main(["table1", str(xf)]) == EXIT_NOTHING
    assert "no Table 1 value" in capsys.readouterr().err


def test_check_folder_without_recognised_file_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("hello\n")
    assert main(["check", str(tmp_path)]) == EXIT_NOTHING
    out = capsys.readouterr().out
    assert "no dataset" in out


def test_check_empty_folder_json_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tmp_path), "--format", "json"]) == EXIT_NOTHING


def test_exit_codes_documented() -> None:
    import clxm_meta.cli as cli

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "**3**" in readme and "nothing to report" in readme
    assert cli.__doc__ is not None and "3 nothing to report" in cli.__doc__


# --- smaller points ------------------------------------------------------------------------------


def test_filled_count_is_out_of_all_rows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table1", str(EXAMPLE / "sample1" / "SIM" / "cell1.dv"), "--filled"]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    assert head.endswith(" of 45 rows filled (empty rows hidden)"), head


def test_empty_row_does_not_look_like_a_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table1", str(EXAMPLE / "sample1" / "SIM" / "cell1.dv")]) == 0
    out = capsys.readouterr().out
    title = next(line for line in out.splitlines() if "general.title" in line)
    assert "(depositor)" not in title and "— (file)" not in out
    assert "you supply in clxm.yaml" in title
    objective = next(line for line in out.splitlines() if "setup.objective" in line)
    assert "facility to supply" in objective


def test_check_nonexistent_says_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "not a folder" not in err
    (tmp_path / "file.txt").write_text("x")
    assert main(["check", str(tmp_path / "file.txt")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_dataset_without_raw_file_is_not_named_dot(tmp_path: Path) -> None:
    from clxm_meta.dataset.scan import scan

    root = tmp_path / "tomo_only"
    root.mkdir()
    shutil.copy(EXAMPLE / "sample1" / "SXT" / "ts1_rec.mrc", root)
    result = scan(root)
    assert [d.name for d in result.datasets] == ["tomo_only"]
    assert [r.name for r in result.records] == ["tomo_only"]


# --- check shows values, units, sources, plain status words and true hints -----------------------


MINIMAL_SIDECAR = """version: 1
release_instruction: HPUB
datasets:
  sample1/SIM/cell1:
    general.title: A SIM title
  sample1/SXT/ts1:
    general.title: An SXT title
    related.accessions: [S-BIAD1]
"""


def _incomplete(tree: Path) -> Path:
    """The example tree with rows these tests need empty, whatever the example fills later."""
    (tree / "clxm.yaml").write_text(MINIMAL_SIDECAR)
    log = tree / "sample1" / "SXT" / "align.log"
    kept = [ln for ln in log.read_text().splitlines(True) if "weighted mean" not in ln.lower()]
    log.write_text("".join(kept))
    return tree


def _check_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["check", str(_incomplete(path)), "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def _rows(data: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    comp = next(c for c in data["completeness"] if c["kind"] == kind)
    return {r["id"]: r for r in comp["rows"]}


def test_check_json_rows_carry_value_unit_source(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = _rows(_check_json(tree, capsys), "SIM")
    px = sim["setup.pixel_size"]
    # the old keys stay for tools that read them
    assert {"id", "label", "origin", "status", "hint"} <= set(px)
    assert px["value"] == {"x": 0.0794, "y": 0.0794, "z": 0.125}
    assert px["unit"] == "µm"
    assert px["source"]["locator"] == "header dx, dy, dz (bytes 40-51)"
    assert px["source_text"] == "cell1.dv · header dx, dy, dz (bytes 40-51)"
    assert px["status_text"] == "from a file"
    planes = sim["acquisition.n_focal_planes"]
    assert planes["status"] == "assumption" and planes["value"] == 3
    assert "3 angles × 5 phases" in planes["assumption"]
    assert sim["general.publication_doi"]["status_text"] == "you supply in clxm.yaml"
    assert sim["setup.objective"]["status_text"].startswith("facility to supply")


def test_check_text_shows_value_and_source(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(_incomplete(tree))]) == 0
    lines = capsys.readouterr().out.splitlines()
    px = next(
        line for line in lines if line.strip().startswith("setup.pixel_size") and "0.0794" in line
    )
    assert "x=0.0794 y=0.0794 z=0.125 µm" in px and "cell1.dv · header dx, dy, dz" in px
    i = next(
        i for i, line in enumerate(lines) if line.strip().startswith("acquisition.n_focal_planes")
    )
    assert "assumed" in lines[i] and lines[i + 1].strip().startswith("assumed: ")
    assert "missing_minable" not in "\n".join(lines)


def test_hints_are_true_of_the_dataset(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _check_json(tree, capsys)
    sxt = _rows(data, "SXT")
    weighted = sxt["processing.weighted_residual_error"]
    assert "absent file" not in weighted["hint"]
    assert "align.log (IMOD align.log) is in the dataset" in weighted["hint"]
    assert "Residual error weighted mean" in weighted["hint"]
    assert weighted["looked_in"] == ["sample1/SXT/align.log"]
    assert weighted["status_text"] == "missing: the dataset's files do not carry it"
    instrument = sxt["general.instrument"]
    assert "TXRM header or DV titles" not in instrument["hint"]
    assert instrument["hint"].startswith("no OME-TIFF in this dataset")
    assert "ts1.txrm is here, but clxm_meta reads this row from no TXRM field" in instrument["hint"]
    sim = _rows(data, "SIM")
    software = sim["acquisition.software"]
    # Once an empty row with a false hint; cell1.dv's titles are in Cockpit's layout.
    assert software["value"] == {"name": "Cockpit", "version": None}
    assert software["status"] == "derived"
    assert "title layout written by Cockpit" in software["source"]["transform"]
    assert sim["setup.detector"]["value"] == "Andor iXon Ultra 888"
    assert sim["acquisition.detector_settings"]["value"]["gain"] == 200
    assert sim["raw.brightfield_stack"]["hint"].startswith("no brightfield stack in this dataset")


# --- sidecar found upward, plausibility, files that are not what their name says ----------------


def test_sidecar_found_in_a_parent_folder(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "clxm.yaml").write_text(
        MINIMAL_SIDECAR
        + "all:\n"
        + "  general.funding:\n    - agency: Example Research Council\n"
        + "      grant_id: ERC-0000-EXAMPLE\n"
    )
    sxt = tree / "sample1" / "SXT"
    assert main(["table1", str(sxt), "--format", "json", "--filled"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = {r["id"]: r for r in doc["rows"]}
    assert {r["dataset"] for r in doc["rows"]} == {"sample1/SXT/ts1"}
    assert rows["general.title"]["value"] == "An SXT title"
    assert rows["general.title"]["source"]["kind"] == "sidecar"
    assert rows["general.funding"]["source"]["kind"] == "sidecar"
    assert doc["sidecars"] == [str(tree / "clxm.yaml")]
    assert main(["table1", str(sxt)]) == 0
    assert f"sidecar: {tree / 'clxm.yaml'}" in capsys.readouterr().out
    assert main(["check", str(sxt)]) == 0
    out = capsys.readouterr().out
    assert "only sample1/SXT" in out and "found in a parent folder" in out
    assert "sidecar.unknown_dataset" not in out  # the SIM dataset is outside the scanned folder


def test_scan_of_a_subfolder_keeps_deposition_names(tree: Path) -> None:
    from clxm_meta.dataset.scan import scan

    result = scan(tree / "sample1" / "SXT")
    assert result.scope == "sample1/SXT" and Path(result.root) == tree
    assert [d.name for d in result.datasets] == ["sample1/SXT/ts1"]
    assert all(f.path.startswith("sample1/SXT/") for f in result.files)
    assert any(f.code == "sidecar.found_above" for f in result.findings)
    [unpaired] = [f for f in result.findings if f.code == "dataset.unpaired"]
    assert "only this folder was scanned" in unpaired.message
    # an explicit sidecar, or none at all, keeps the old behaviour
    alone = scan(tree / "sample1" / "SXT", use_sidecar=False)
    assert alone.scope is None and [d.name for d in alone.datasets] == ["ts1"]


def test_sxt_pixel_size_of_a_cryo_em_header_is_implausible(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from conftest import real_path

    st = real_path("mrc/tomoauto__test_002_mode1.st")
    assert main(["table1", str(st), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    found = [f for f in doc["findings"] if f["code"] == "normalise.implausible"]
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert "0.2604 nm" in found[0]["message"] and "soft X-ray" in found[0]["message"]


def test_plausible_pixel_sizes_pass(tree: Path) -> None:
    from clxm_meta.dataset.scan import scan

    result = scan(tree)
    assert not [f for f in result.all_findings() if f.code == "normalise.implausible"]


def test_all_zero_file_named_mrc_is_a_warning(tree: Path) -> None:
    from clxm_meta.dataset.scan import scan

    big = tree / "sample1" / "SXT" / "x.mrc"
    with open(big, "wb") as fh:
        fh.truncate(1 << 30)  # sparse: 1 GiB of zeros without writing them
    (tree / "sample1" / "SXT" / "page.tif").write_text("<!DOCTYPE html><html>404</html>")
    result = scan(tree)
    by_name = {Path(f.path or "").name: f for f in result.findings}
    zero = by_name["x.mrc"]
    assert zero.code == "scan.not_what_its_name_says" and zero.severity.value == "warning"
    assert "an MRC file" in zero.message and "all zero bytes" in zero.message
    assert "HTML page" in by_name["page.tif"].message


def test_looks_like() -> None:
    from clxm_meta.dataset.sniff import looks_like

    assert looks_like(b"\x1f\x8b\x08\x00") == "a gzip-compressed file"
    assert looks_like(b"hello world\n").startswith("a text file (first line: 'hello world')")
    assert looks_like(bytes(range(256))) == "binary data of no format clxm_meta knows"


# --- roles from evidence; one interpretation of a layout ----------------------------------------


def _sim_folder(tmp_path: Path) -> Path:
    from conftest import real_path

    sim = tmp_path / "sample" / "SIM"
    sim.mkdir(parents=True)
    shutil.copy(real_path("dv/cudasirecon__raw.dv"), sim / "cell.dv")
    shutil.copy(real_path("dv/tlambert03-mrc__toxo.dv"), sim / "toxo.dv")
    return sim


def test_two_channel_fluorescence_dv_is_not_brightfield(tmp_path: Path) -> None:
    from clxm_meta.dataset.scan import scan

    result = scan(_sim_folder(tmp_path).parent)
    roles = {Path(f.path).name: f for f in result.files}
    assert roles["toxo.dv"].role == "widefield"
    assert "525" in (roles["toxo.dv"].role_reason or "")
    [record] = result.records
    assert record.raw.brightfield_stack is None
    assert not [f for f in result.all_findings() if f.code == "normalise.disagreement"]
    # the raw stack's own values are kept
    assert record.acquisition.n_focal_planes is not None
    assert record.acquisition.n_focal_planes.value == 9


def test_real_dv_folder_has_no_spurious_disagreements(real: Path) -> None:
    from clxm_meta.dataset.scan import scan

    result = scan(real / "dv")
    assert not [f for f in result.all_findings() if f.code == "normalise.disagreement"]


def test_a_role_guess_is_a_finding(tmp_path: Path) -> None:
    from clxm_meta.dataset.scan import scan

    result = scan(_sim_folder(tmp_path).parent)
    guessed = [f for f in result.findings if f.code == "dataset.role_guessed"]
    assert any(
        Path(f.path or "").name == "cell.dv" and "multiple of 15" in f.message for f in guessed
    )
    assert not any(Path(f.path or "").name == "toxo.dv" for f in guessed)


def test_brightfield_needs_evidence(tmp_path: Path) -> None:
    from clxm_meta.dataset.scan import scan

    sim = _sim_folder(tmp_path)
    (sim / "toxo.dv").rename(sim / "toxo_bf.dv")
    result = scan(sim.parent)
    roles = {Path(f.path).name: f.role for f in result.files}
    assert roles["toxo_bf.dv"] == "brightfield"  # the name says so


def test_imagej_hyperstack_of_raw_sim_gives_one_interpretation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from conftest import real_path

    tif = real_path("tiff/cudasirecon__raw.tif")
    dv = real_path("dv/cudasirecon__raw.dv")
    got = {}
    for path in (tif, dv):
        assert main(["table1", str(path), "--format", "json"]) == 0
        rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
        got[path.suffix] = rows
    for rows in got.values():
        planes, height = rows["acquisition.n_focal_planes"], rows["acquisition.stack_height"]
        assert planes["value"] == 9 and planes["source"]["kind"] == "assumption"
        assert height["value"] == pytest.approx(1.0)
    tif_rows = got[".tif"]
    assert "3 angles × 5 phases" in tif_rows["acquisition.n_focal_planes"]["source"]["transform"]
    # the assumption is stated once: the height refers to the planes row
    assert (
        "acquisition.n_focal_planes" in tif_rows["acquisition.stack_height"]["source"]["transform"]
    )
