"""The depositor sidecar: template, round trip, overrides, validation with line numbers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import clxm_meta
from clxm_meta.cli import main
from clxm_meta.errors import SidecarError
from clxm_meta.records.provenance import SourceKind
from clxm_meta.sidecar import load_sidecar, orcid_checksum_ok, render_template
from clxm_meta.sidecar.validate import accession_kind, doi_valid


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("orcid", "ok"),
    [
        ("0000-0002-1825-0097", True),
        ("0000-0001-5109-3700", True),
        ("0000-0002-1694-233X", True),
        ("https://orcid.org/0000-0002-1825-0097", True),
        ("0000-0002-1825-0098", False),
        ("0000-0002-1825-009", False),
        ("abcd", False),
    ],
)
def test_orcid_checksum(orcid: str, ok: bool) -> None:
    assert orcid_checksum_ok(orcid) is ok


def test_accession_and_doi_patterns() -> None:
    assert accession_kind("S-BIAD19") == "BioStudies"
    assert accession_kind("EMPIAR-10416") == "EMPIAR"
    assert accession_kind("S-BIAD-19") is None
    assert accession_kind("EMPIAR-104") is None
    assert doi_valid("10.1016/j.xpro.2021.100253") and not doi_valid("not a doi")


def test_template_lists_every_depositor_and_facility_row(tree: Path) -> None:
    text = render_template(clxm_meta.scan(tree))
    data = yaml.safe_load(text)
    assert {
        "version",
        "release_instruction",
        "all",
        "samples",
        "datasets",
        "pairs",
        "citation",
        "empiar",
    } <= set(data)
    sim = data["datasets"]["sample1/SIM/cell1"]
    sxt = data["datasets"]["sample1/SXT/ts1"]
    for key in ("general.title", "related.accessions", "setup.objective", "setup.detector"):
        assert key in sim
    for key in ("general.title", "setup.zone_plate", "acquisition.tilt_range", "setup.pixel_size"):
        assert key in sxt
    # pre-filled with mined values, source in a comment
    assert sxt["setup.pixel_size"]["x"] == pytest.approx(0.01)
    assert "mined: file · ts1.txrm" in text
    assert data["pairs"] == [{"sim": "sample1/SIM/cell1", "sxt": "sample1/SXT/ts1"}]
    assert "general.people" in data["all"] and "sample.sample_id" in data["samples"]["sample1"]


def test_round_trip_fill_and_merge(tree: Path) -> None:
    text = render_template(clxm_meta.scan(tree))
    data = yaml.safe_load(text)
    data["datasets"]["sample1/SIM/cell1"]["general.title"] = "Round-trip SIM"
    data["datasets"]["sample1/SXT/ts1"]["related.accessions"] = ["S-BIAD19"]
    data["all"]["general.people"] = [
        {"name": "Josiah Carberry", "orcid": "0000-0002-1825-0097", "affiliation": "Brown"}
    ]
    data["release_instruction"] = "HOLD"
    (tree / "clxm.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    res = clxm_meta.scan(tree)
    sim = res.record("sample1/SIM/cell1")
    sxt = res.record("sample1/SXT/ts1")
    assert sim.general.title is not None and sim.general.title.value == "Round-trip SIM"
    assert sim.general.title.source.kind is SourceKind.SIDECAR
    assert sxt.related.accessions is not None and sxt.related.accessions.value == ["S-BIAD19"]
    assert sxt.general.people is not None and sxt.general.people.value[0].name == "Josiah Carberry"
    # unchanged mined values keep the file as their source
    assert sxt.setup.pixel_size is not None
    assert sxt.setup.pixel_size.source.kind is SourceKind.FILE
    assert res.release_instructions == {"sample1/SXT/ts1": "HOLD"}
    assert not [f for f in res.all_findings() if f.code.startswith("sidecar.")]


def test_override_of_a_mined_value_is_recorded(tree: Path) -> None:
    (tree / "clxm.yaml").write_text(
        "datasets:\n  sample1/SXT/ts1:\n    setup.zone_plate: ZP 40 nm (facility record)\n"
    )
    res = clxm_meta.scan(tree)
    zp = res.record("sample1/SXT/ts1").setup.zone_plate
    assert zp is not None and zp.value == "ZP 40 nm (facility record)"
    assert zp.source.kind is SourceKind.SIDECAR and zp.source.locator is not None
    assert "line 3" in zp.source.locator
    [note] = [f for f in res.all_findings() if f.code == "sidecar.override"]
    assert "ts1.txrm" in note.message and note.locator == zp.source.locator


BAD = """\
version: 1
colour: blue
release_instruction: SOON
all:
  general.people:
    - name: A. Person
      orcid: 0000-0002-1825-0098
  general.favourite_food: cake
datasets:
  sample1/SXT/ts1:
    related.accessions: [S-BIAD19, EMPIAR-1, S-BSST123]
    setup.lasers: [488]
    acquisition.n_frames: many
  nothere/ds:
    general.title: x
pairs:
  - sim: sample1/SIM/cell1
    sxt: sample1/SIM/cell1
"""


def test_invalid_entries_are_findings_with_lines(tree: Path) -> None:
    (tree / "clxm.yaml").write_text(BAD)
    res = clxm_meta.scan(tree)
    got = {(f.code, f.locator) for f in res.findings if f.code.startswith("sidecar.")}

    def at(code: str, needle: str) -> tuple[str, str]:
        return (code, f"line {_line_of(BAD, needle)}")

    assert at("sidecar.unknown_key", "colour") in got
    assert at("sidecar.bad_release_instruction", "SOON") in got
    assert at("sidecar.bad_orcid", "orcid:") in got
    assert at("sidecar.unknown_key", "favourite_food") in got
    assert (
        at("sidecar.unknown_key", "setup.lasers") in got
    )  # a SIM row in an SXT dataset? no: unknown
    assert at("sidecar.bad_value", "acquisition.n_frames") in got
    assert ("sidecar.unknown_dataset", f"line {_line_of(BAD, 'nothere/ds')}") in got
    bad_acc = [f for f in res.findings if f.code == "sidecar.bad_accession"]
    assert {f.locator for f in bad_acc} == {f"line {_line_of(BAD, 'related.accessions')}"}
    assert len(bad_acc) == 2
    assert any(f.code == "sidecar.bad_pair" for f in res.findings)
    sxt = res.record("sample1/SXT/ts1")
    # valid parts are kept; invalid ones left out (never invented)
    assert sxt.related.accessions is not None and sxt.related.accessions.value == ["S-BIAD19"]
    assert sxt.general.people is not None and sxt.general.people.value[0].orcid is None
    assert sxt.acquisition.n_frames is not None and sxt.acquisition.n_frames.value == 61


def test_not_yaml_is_sidecar_error(tmp_path: Path) -> None:
    bad = tmp_path / "clxm.yaml"
    bad.write_text("all: [unclosed\n  - x: y\n")
    with pytest.raises(SidecarError, match="line"):
        load_sidecar(bad)
    bad.write_text("- a list\n")
    with pytest.raises(SidecarError, match="mapping"):
        load_sidecar(bad)


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    bad = tmp_path / "clxm.yaml"
    bad.write_text("all: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(SidecarError):
        load_sidecar(bad)


def test_explicit_pairs_override_heuristics(tree: Path) -> None:
    sim = tree / "sample1" / "SIM"
    other = tree / "elsewhere" / "SIM"
    other.mkdir(parents=True)
    shutil.copy(sim / "cell1.dv", other / "cellX.dv")
    (tree / "clxm.yaml").write_text(
        "pairs:\n  - sim: elsewhere/SIM/cellX\n    sxt: sample1/SXT/ts1\n"
    )
    res = clxm_meta.scan(tree)
    [pair] = res.pairs
    assert (pair.sim, pair.sxt, pair.origin) == (
        "elsewhere/SIM/cellX",
        "sample1/SXT/ts1",
        "sidecar",
    )
    assert "line 2" in pair.evidence


def test_cli_sidecar_writes_atomically_and_never_overwrites(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "clxm.yaml"
    assert main(["sidecar", str(tree), "-o", str(out)]) == 0
    first = out.read_text()
    assert "datasets:" in first
    assert main(["sidecar", str(tree), "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["sidecar", str(tree), "-o", str(out), "--force"]) == 0  # ours, unchanged
    assert out.read_text() == first
    out.write_text("changed")  # the depositor's edits: kept even with --force
    assert main(["sidecar", str(tree), "-o", str(out), "--force"]) == 2
    assert "changed since clxm-meta wrote it" in capsys.readouterr().err
    assert out.read_text() == "changed"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".clxm-")]
    assert leftovers == [".clxm-record.json"]
    assert main(["sidecar", str(tree)]) == 0
    assert capsys.readouterr().out == first


def test_cli_bad_sidecar_exit_2(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "clxm.yaml").write_text("all: [unclosed\n")
    assert main(["check", str(tree)]) == 2
    err = capsys.readouterr().err
    assert "clxm.yaml" in err and "Traceback" not in err
