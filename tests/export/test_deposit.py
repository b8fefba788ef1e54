"""``clxm-meta deposit`` and ``clxm-meta export``: the layout, the refusals, the safety rules."""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from clxm_meta.cli import EXIT_ERROR_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE, main
from conftest import SHARED, snapshot

LAYOUT = {
    "README.txt",
    "md5.txt",
    "empiar/deposition.json",
    "biostudies/submission.pagetab.tsv",
    "biostudies/submission.pagetab.json",
    "biostudies/files.tsv",
    "biostudies/SIM_metadata.xlsx",
    "biostudies/ro-crate/ro-crate-metadata.json",
    "biostudies/ro-crate/file_list.tsv",
    "ome/sample1__SIM__cell1.ome.xml",
    "ome/sample1__SIM__cell1_SIR.ome.xml",
}
SXT = "sample1/SXT/ts1"


def _files(folder: Path) -> set[str]:
    """The documents written, without the upload/ folders (tested in test_upload.py) and the
    record of what was written (`clxm_meta.io.record`)."""
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file()
        and "upload" not in p.relative_to(folder).parts
        and p.name != ".clxm-record.json"
    }


def _edit(tree: Path, old: str, new: str) -> None:
    path = tree / "clxm.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _schema_errors(doc: dict[str, Any]) -> list[str]:
    path = SHARED / "schemas" / "empiar-depositor" / "empiar_deposition.schema.json"
    if not path.is_file():
        return []
    from jsonschema import Draft7Validator, FormatChecker

    validator = Draft7Validator(json.loads(path.read_text()), format_checker=FormatChecker())
    return [e.message for e in validator.iter_errors(doc)]


def test_deposit_writes_the_whole_layout(tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out)]) == EXIT_OK
    assert _files(out) == LAYOUT
    doc = json.loads((out / "empiar/deposition.json").read_text(encoding="utf-8"))
    assert doc["experiment_type"] == 8
    assert _schema_errors(doc) == []
    assert snapshot(tree) == before  # inputs untouched
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert readme.startswith("clxm-meta deposit")
    # the protocol's order: SIM to BioStudies first, then EMPIAR with its accession
    assert (
        readme.index("BioStudies / BioImage Archive: the cryo-SIM data")
        < readme.index("related.accessions: [S-BIADnnn]")
        < readme.index("EMPIAR: the cryo-SXT data")
    )
    assert "Still missing (required; who supplies it: where):\n  (nothing)" in readme
    assert "add the BioStudies accession" in readme


def test_md5_manifest_is_md5sum_compatible(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out)]) == EXIT_OK
    lines = (out / "md5.txt").read_text(encoding="utf-8").splitlines()
    paths = [line.split("  ", 1)[1] for line in lines]
    assert paths == sorted(paths)
    assert "sample1/SXT/ts1.txrm" in paths and "sample1/SIM/cell1.dv" in paths
    assert "sample1/sim_to_sxt_transform.txt" in paths
    assert "clxm.yaml" not in paths
    for line in lines:
        digest, rel = line.split("  ", 1)
        assert hashlib.md5((tree / rel).read_bytes()).hexdigest() == digest
    if shutil.which("md5sum"):
        import subprocess

        run = subprocess.run(
            ["md5sum", "-c", str(out / "md5.txt")], cwd=tree, capture_output=True, check=False
        )
        assert run.returncode == 0, run.stdout


def test_the_accession_is_cited_once_in_the_sidecar(tree: Path, tmp_path: Path) -> None:
    _edit(
        tree,
        "    general.title: Example cryo-SXT tilt series of synthetic cell 1\n",
        "    general.title: Example cryo-SXT tilt series of synthetic cell 1\n"
        "    related.accessions: [S-BIAD19]\n",
    )
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out)]) == EXIT_OK
    doc = json.loads((out / "empiar/deposition.json").read_text(encoding="utf-8"))
    assert doc["biostudies_references"] == [{"name": "S-BIAD19"}]
    assert _schema_errors(doc) == []
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert "Done: empiar/deposition.json cites S-BIAD19" in readme
    assert "Still to do" not in readme


def test_missing_values_refuse_and_list_who_and_where(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(tree, "      email: j.carberry@example.org\n", "")
    _edit(tree, "  license: CC0\n", "")
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out)]) == EXIT_INCOMPLETE
    err = capsys.readouterr().err
    assert "refused" in err and "nothing written" in err
    assert "corresponding_author.email" in err and "all.general.people[0].email" in err
    assert "biostudies.license" in err
    assert "depositor to supply" in err
    assert not out.exists()
    # --allow-incomplete writes what it can and still lists them
    assert main(["deposit", str(tree), "-o", str(out), "--allow-incomplete"]) == EXIT_OK
    assert "corresponding_author.email" in capsys.readouterr().err
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert "all.general.people[0].email" in readme
    doc = json.loads((out / "empiar/deposition.json").read_text(encoding="utf-8"))
    assert "corresponding_author" not in doc  # nothing invented


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0098", "sidecar.bad_orcid"),
        ("j.carberry@example.org", "j.carberry(at)example", "sidecar.bad_email"),
        (
            "    general.title: Example cryo-SXT tilt series of synthetic cell 1\n",
            "    general.title: Example cryo-SXT tilt series of synthetic cell 1\n"
            "    related.accessions: [S-BIAD-19]\n",
            "sidecar.bad_accession",
        ),
        ("      country: GB\n", "      country: UK\n", "sidecar.bad_country"),
    ],
)
def test_invalid_sidecar_ids_are_refused_with_the_line(
    tree: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    code: str,
) -> None:
    _edit(tree, old, new)
    for argv, out in (
        (["deposit"], tmp_path / "out"),
        (["export", "empiar"], tmp_path / "out.json"),
    ):
        status = main([*argv, str(tree), "-o", str(out), "--allow-incomplete"])
        assert status == EXIT_ERROR_FINDINGS
        err = capsys.readouterr().err
        assert code in err and "[line " in err
        assert not out.exists()


def test_output_inside_the_tree_is_refused_unless_asked(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(tree)
    assert main(["deposit", str(tree), "-o", str(tree / "out")]) == EXIT_USAGE
    assert "inside the scanned tree" in capsys.readouterr().err
    assert main(["export", "empiar", str(tree), "-o", str(tree / "x.json")]) == EXIT_USAGE
    assert snapshot(tree) == before
    assert main(["deposit", str(tree), "-o", str(tree / "out"), "--allow-inside"]) == EXIT_OK
    assert (tree / "out" / "empiar" / "deposition.json").is_file()


def test_never_overwrites_without_force_nor_an_unrelated_folder(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out)]) == EXIT_OK
    assert main(["deposit", str(tree), "-o", str(out)]) == EXIT_USAGE
    assert "--force" in capsys.readouterr().err
    assert main(["deposit", str(tree), "-o", str(out), "--force"]) == EXIT_OK
    (out / "README.txt").write_text("clxm-meta deposit: old\n")  # edited: no longer replaced
    assert main(["deposit", str(tree), "-o", str(out), "--force"]) == EXIT_USAGE
    assert "README.txt changed since clxm-meta wrote" in capsys.readouterr().err
    assert (out / "README.txt").read_text() == "clxm-meta deposit: old\n"
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("precious")
    assert main(["deposit", str(tree), "-o", str(mine), "--force"]) == EXIT_USAGE
    assert "did not write" in capsys.readouterr().err
    assert (mine / "thesis.tex").read_text() == "precious"
    assert not list(tmp_path.glob(".clxm-*"))  # no temporary folder left behind


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 0)
    return width, height


def test_entry_image_is_a_valid_png(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out), "--entry-image"]) == EXIT_OK
    data = (out / "empiar" / "entry_image.png").read_bytes()
    width, height = _png_size(data)
    assert (width, height) == (808, 400)  # two 400 × 400 panels and a gap
    idat = data.index(b"IDAT")
    (length,) = struct.unpack(">I", data[idat - 4 : idat])
    raw = zlib.decompress(data[idat + 4 : idat + 4 + length])
    assert len(raw) == height * (width + 1)
    assert "entry_image.png" in (out / "README.txt").read_text()


def test_entry_image_math() -> None:
    import numpy as np

    from clxm_meta.export.deposit.entry_image import _plane_index, png_gray

    # DV plane order: WZT has the wave fastest, ZTW the z fastest
    assert _plane_index(1, z=2, w=1, t=0, nz=3, nw=2, nt=1) == 5
    assert _plane_index(0, z=2, w=1, t=0, nz=3, nw=2, nt=1) == 5
    assert _plane_index(0, z=1, w=0, t=1, nz=3, nw=2, nt=2) == 4
    assert _plane_index(2, z=1, w=1, t=1, nz=3, nw=2, nt=2) == 10
    png = png_gray(np.arange(12, dtype=np.uint8).reshape(3, 4))
    assert _png_size(png) == (4, 3)


def test_export_empiar_to_stdout_and_file(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "empiar", str(tree)]) == EXIT_OK
    doc = json.loads(capsys.readouterr().out)
    assert doc["experiment_type"] == 8
    target = tmp_path / "d.json"
    assert main(["export", "empiar", str(tree), "-o", str(target)]) == EXIT_OK
    assert json.loads(target.read_text()) == doc
    assert main(["export", "empiar", str(tree), "-o", str(target)]) == EXIT_USAGE  # exists


def test_export_pagetab_biostudies_ome(tree: Path, tmp_path: Path) -> None:
    assert main(["export", "pagetab", str(tree), "-o", str(tmp_path / "p.json")]) == EXIT_OK
    assert "section" in json.loads((tmp_path / "p.json").read_text())
    assert main(["export", "pagetab", str(tree), "-o", str(tmp_path / "p.tsv")]) == EXIT_OK
    assert (tmp_path / "p.tsv").read_text().startswith("Submission")
    assert main(["export", "biostudies", str(tree), "-o", str(tmp_path / "bs")]) == EXIT_OK
    assert _files(tmp_path / "bs") == {
        "submission.pagetab.tsv",
        "submission.pagetab.json",
        "files.tsv",
        "SIM_metadata.xlsx",
        "ro-crate/ro-crate-metadata.json",
        "ro-crate/file_list.tsv",
    }
    assert main(["export", "rocrate", str(tree), "-o", str(tmp_path / "rc")]) == EXIT_OK
    assert _files(tmp_path / "rc") == {"ro-crate-metadata.json", "file_list.tsv"}
    for name in ("ro-crate-metadata.json", "file_list.tsv"):  # the crate deposit writes, as is
        assert (tmp_path / "rc" / name).read_bytes() == (
            tmp_path / "bs/ro-crate" / name
        ).read_bytes()
    assert main(["export", "rocrate", str(tree)]) == EXIT_USAGE  # a folder target needs -o
    assert main(["export", "ome", str(tree), "-o", str(tmp_path / "ome")]) == EXIT_OK
    assert _files(tmp_path / "ome") == {
        "sample1__SIM__cell1.ome.xml",
        "sample1__SIM__cell1_SIR.ome.xml",
    }
    assert main(["export", "ome", str(tree)]) == EXIT_USAGE  # a folder target needs -o


def test_two_pairs_get_one_folder_each_and_export_asks_which(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(tree / "sample1", tree / "sample2")
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out), "--allow-incomplete"]) == EXIT_OK
    names = _files(out)
    assert "sample1_SXT_ts1/empiar/deposition.json" in names
    assert "sample2_SXT_ts1/empiar/deposition.json" in names
    assert "sample2_SXT_ts1/README.txt" in names
    capsys.readouterr()
    assert main(["export", "empiar", str(tree)]) == EXIT_USAGE
    assert "--dataset" in capsys.readouterr().err
    status = main(
        ["export", "empiar", str(tree), "--dataset", "sample2/SXT/ts1", "--allow-incomplete"]
    )
    assert status == EXIT_OK
    assert "sample2/SXT" in capsys.readouterr().out


def test_sxt_only_tree_exports_empiar_only(tree: Path, tmp_path: Path) -> None:
    shutil.rmtree(tree / "sample1" / "SIM")
    (tree / "sample1" / "sim_to_sxt_transform.txt").unlink()
    _edit(
        tree,
        "  sample1/SIM/cell1:\n    kind: SIM\n    general.title: Example cryo-SIM of synthetic cell 1\n"
        "    sample.fluorophores: [synthetic 488 nm dye, synthetic 561 nm dye]\n",
        "",
    )
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out)]) == EXIT_OK
    assert _files(out) == {"README.txt", "md5.txt", "empiar/deposition.json"}
    doc = json.loads((out / "empiar/deposition.json").read_text(encoding="utf-8"))
    assert doc["experiment_type"] == 1
    assert main(["export", "pagetab", str(tree)]) == EXIT_USAGE


def test_entry_image_slice_is_bounded_by_the_file(tmp_path: Path) -> None:
    """A header that declares a huge central section is refused before any allocation.

    The slice used to come from mrcfile's memory map, which takes the header's word; a 4 KB
    file declaring 60000 x 60000 x 3 float32 (43 GB) must end in a clear error at once.
    """
    import numpy as np

    from clxm_meta.export.deposit.entry_image import tomogram_slice
    from writers.mrc import patch, write_mrc

    path = write_mrc(tmp_path / "huge.mrc", shape=(3, 4, 4))
    patch(path, 0, struct.pack("<3i", 60000, 60000, 3))
    with pytest.raises(ValueError, match="the file holds"):
        tomogram_slice(str(path))
    good = write_mrc(tmp_path / "good.mrc", shape=(3, 4, 5))  # a ramp, 0..59 % 200
    ramp = np.arange(60, dtype=np.float64).reshape(3, 4, 5)
    assert np.array_equal(tomogram_slice(str(good)), ramp[1])
