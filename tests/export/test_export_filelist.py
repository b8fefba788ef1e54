"""BioImage Archive file list: TSV rules and the archive's JSON shape."""

from __future__ import annotations

import json

import pytest

import clxm_meta
from clxm_meta.errors import ClxmMetaError
from clxm_meta.export.biostudies.filelist import (
    FileListEntry,
    build_file_list,
    file_list_json,
    file_list_tsv,
    upload_path,
)
from clxm_meta.records.scan import ScanResult
from conftest import EXAMPLE, SHARED

SIM = "sample1/SIM/cell1"
BIA_FILE_LIST = SHARED / "schemas" / "bia-integrator" / "file_list_study_component_1.json"


@pytest.fixture(scope="module")
def example() -> ScanResult:
    return clxm_meta.scan(EXAMPLE)


def test_entries_of_the_sim_dataset(example: ScanResult) -> None:
    md5 = {"sample1/SIM/cell1.dv": "0" * 32}
    entries = build_file_list(example, SIM, md5=md5)
    [info] = [d for d in example.datasets if d.name == SIM]
    assert [e.path for e in entries] == sorted(m.path for m in info.members)
    assert [e.path for e in entries][:4] == [
        "sample1/SIM/cell1.chromagnon.csv",
        "sample1/SIM/cell1.dv",
        "sample1/SIM/cell1.log",
        "sample1/SIM/cell1_SIR.dv",
    ]
    raw = entries[1]
    assert raw.size == (EXAMPLE / "sample1/SIM/cell1.dv").stat().st_size
    assert raw.attributes["Type"] == "raw SIM stack"
    assert raw.attributes["Format"] == "dv"
    assert raw.attributes["Channel"] == "0, 1"
    assert raw.attributes["Excitation (nm)"] == "488, 561"
    assert raw.attributes["Emission (nm)"] == "525, 609"
    assert raw.attributes["MD5"] == "0" * 32
    assert entries[0].attributes["MD5"] == ""  # no digest given: empty, not invented
    recon = entries[3]
    assert recon.attributes["Excitation (nm)"] == ""  # not in the reconstruction's header
    assert recon.attributes["Emission (nm)"] == "525, 609"  # its header wave list
    log = entries[2]
    assert log.attributes["Channel"] == "" and log.attributes["Excitation (nm)"] == ""


def test_tsv_rules(example: ScanResult) -> None:
    text = file_list_tsv(build_file_list(example, SIM))
    lines = text.split("\n")
    assert lines[-1] == "" and "" not in lines[:-1]  # no blank lines, one final newline
    header = lines[0].split("\t")
    assert header[0] == "Files"
    assert header[1:] == ["Type", "Format", "Channel", "Excitation (nm)", "Emission (nm)", "MD5"]
    for line in lines[1:-1]:
        cells = line.split("\t")
        assert len(cells) == len(header)
        path = cells[0]
        assert "\\" not in path and "//" not in path
        assert not path.startswith(("./", "../", "/")) and "/../" not in path


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("a/b.dv", "a/b.dv"),
        ("./a//b.dv", "a/b.dv"),
        ("a/./b.dv", "a/b.dv"),
    ],
)
def test_upload_path_normalises(given: str, expected: str) -> None:
    assert upload_path(given) == expected


@pytest.mark.parametrize(
    "bad", ["../x.dv", "a/../../x", "/abs/x.dv", "", "./", "a\\b.dv", "a\tb.dv", "a\nb.dv"]
)
def test_upload_path_refuses(bad: str) -> None:
    with pytest.raises(ClxmMetaError):
        upload_path(bad)


def test_tsv_cells_cannot_break_rows() -> None:
    entry = FileListEntry("a/b.dv", 1, {"Type": "two\nlines\tand tab"})
    text = file_list_tsv([entry])
    assert text.count("\n") == 2
    assert text.split("\n")[1].split("\t")[1] == "two lines and tab"


def test_json_shape(example: ScanResult) -> None:
    items = file_list_json(build_file_list(example, SIM, md5={"sample1/SIM/cell1.dv": "ab"}))
    json.dumps(items)
    for item in items:
        assert list(item) == ["path", "size", "attributes", "type"]
        assert item["type"] == "file"
        assert all(set(a) == {"name", "value"} and a["value"] for a in item["attributes"])
    raw = items[1]
    assert {"name": "MD5", "value": "ab"} in raw["attributes"]


@pytest.mark.shared
def test_json_shape_matches_bia_example(example: ScanResult) -> None:
    if not BIA_FILE_LIST.is_file():
        pytest.skip("bia-integrator file list example not available")
    theirs = json.loads(BIA_FILE_LIST.read_text())
    ours = file_list_json(build_file_list(example, SIM))
    for mine in ours:
        assert set(mine) == set(theirs[0])
        for key in ("path", "size", "type"):
            assert type(mine[key]) is type(theirs[0][key])
        assert {k for a in mine["attributes"] for k in a} == {
            k for a in theirs[0]["attributes"] for k in a
        }


def test_unknown_dataset(example: ScanResult) -> None:
    with pytest.raises(KeyError, match="sample1/SIM/cell1"):
        build_file_list(example, "missing/dataset")
