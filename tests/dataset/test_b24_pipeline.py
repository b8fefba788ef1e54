"""A tree laid out as Diamond's B24 pipeline writes it: protocol, software, image sets, file lists.

Issue 22. The tree (tests/writers/b24.py) is written per recipe of cryoem-services (IMOD beads
WBP, IMOD beads SIRT, IMOD patch tracking WBP, AreTomo), each with a denoised volume, its
segmentation, the pipeline's pictures, a mosaic and a PySIMRecon SIM side; the example's sidecar
(same dataset names) supplies the depositor's values, so ``deposit`` must write everything.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import clxm_meta
from clxm_meta.cli import EXIT_OK, main
from clxm_meta.export.deposit.build import deposition_units, upload_files
from clxm_meta.records.scan import ScanResult
from conftest import EXAMPLE, SHARED, snapshot
from writers.b24 import Variant, write_b24_tree

SXT = "sample1/SXT/ts1"
SIM = "sample1/SIM/cell1"
VARIANTS: tuple[Variant, ...] = ("imod-beads-wbp", "imod-beads-sirt", "imod-patch-wbp", "aretomo")
PICTURE_ENDINGS = (".jpeg", ".png", "_plot.json")


def _schema_errors(doc: dict[str, Any]) -> list[str]:
    """EMPIAR's own schema (empiar-depositor), when ../shared holds it."""
    path = SHARED / "schemas" / "empiar-depositor" / "empiar_deposition.schema.json"
    if not path.is_file():
        return []
    from jsonschema import Draft7Validator, FormatChecker

    validator = Draft7Validator(json.loads(path.read_text()), format_checker=FormatChecker())
    return [e.message for e in validator.iter_errors(doc)]


def _tree(tmp_path: Path, variant: Variant, **kwargs: Any) -> Path:
    root = write_b24_tree(tmp_path / variant, variant, **kwargs)
    shutil.copy(EXAMPLE / "clxm.yaml", root / "clxm.yaml")
    return root


@pytest.fixture(scope="module", params=VARIANTS)
def b24(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Variant, Path, ScanResult]:
    variant: Variant = request.param
    root = _tree(tmp_path_factory.mktemp("b24"), variant)
    return variant, root, clxm_meta.scan(root)


def _roles(result: ScanResult, name: str) -> dict[str, str]:
    info = next(d for d in result.datasets if d.name == name)
    return {m.path.rsplit("/", 1)[-1]: m.role for m in info.members}


def test_roles_and_left_out_files(b24: tuple[Variant, Path, ScanResult]) -> None:
    variant, _root, result = b24
    volume = "ts1_Vol" if variant == "aretomo" else "ts1_rec"
    roles = _roles(result, SXT)
    assert roles["ts1.txrm"] == "tilt_series"
    assert roles["ts1.mrc"] == "converted_stack"  # the same tilt series, converted
    assert roles[f"{volume}.mrc"] == "tomogram"
    assert roles[f"{volume}.denoised.mrc"] == "denoised"
    assert roles[f"{volume}.denoised_segmented.mrc"] == "segmentation"
    assert roles["grid_mosaic.txrm"] == "mosaic"
    assert roles["ref.xrm"] == "reference"
    if variant == "aretomo":
        assert roles["ts1_TLT.txt"] == roles["ts1.aln"] == "imod"  # uploaded, not left out
        assert roles["SXT_stack.mrc"] == "converted_stack"  # copy_output's stack, no volume
    assert [d.name for d in result.datasets] == [SIM, SXT]  # one tilt series, not two
    info = next(d for d in result.datasets if d.name == SXT)
    left = {m.path: m.role for m in info.left_out}
    pictures = [f.path for f in result.files if f.path.endswith(PICTURE_ENDINGS)]
    assert pictures and all(left.get(p) == "preview" for p in pictures)
    assert not any(p.endswith(PICTURE_ENDINGS) for p in roles)
    # every file under the tree is uploaded or named as left out
    named = {m.path for d in result.datasets for m in (*d.members, *d.left_out)}
    assert {f.path for f in result.files if f.role != "sidecar"} == named


def test_sim_side_from_pysimrecon(b24: tuple[Variant, Path, ScanResult]) -> None:
    _variant, _root, result = b24
    roles = _roles(result, SIM)
    assert roles["cell1_recon.log"] == roles["525.cfg"] == roles["config.ini"] == "sim_log"
    assert roles["cell1_SIM_to_SXT.txt"] == "correlation"  # by content, not by name words
    rec = result.record(SIM)
    assert rec.processing.software is not None
    assert rec.processing.software.value.name == "PySIMRecon"
    assert rec.setup.objective is not None and rec.setup.objective.value.na == 0.9
    assert rec.correlation.transform is not None
    assert not [f for f in rec.findings if f.code == "normalise.disagreement"]


def test_protocol_and_software(b24: tuple[Variant, Path, ScanResult]) -> None:
    variant, _root, result = b24
    rec = result.record(SXT)
    assert rec.processing.protocol is not None and rec.processing.software is not None
    protocol = rec.processing.protocol.value
    software = rec.processing.software.value.name
    if variant == "aretomo":
        assert software == "AreTomo"
        assert protocol.alignment == "AreTomo"
        assert protocol.tilt_axis_deg == 85.3  # the ROT column AreTomo refined
        return
    assert software == "IMOD"
    assert rec.processing.type is not None and rec.processing.type.value == "automated"
    assert protocol.thickness_px == 700 and protocol.binning == 1
    assert protocol.tilt_axis_deg == 0.0
    if variant == "imod-beads-wbp":
        assert (protocol.alignment, protocol.reconstruction) == ("fiducial", "WBP")
        assert protocol.fiducial_count == 8
    elif variant == "imod-beads-sirt":
        assert (protocol.alignment, protocol.reconstruction) == ("fiducial", "SIRT")
        assert protocol.iterations == 5 and protocol.back_projection_also is True
    else:
        assert (protocol.alignment, protocol.reconstruction) == ("patch tracking", "WBP")
        assert protocol.patch_size_px == [200, 200] and protocol.patch_overlap == [0.5, 0.5]
        assert protocol.fiducial_count is None
    assert rec.sample.fiducials is not None  # the sidecar's words win over the directive's
    assert rec.setup.pixel_size is not None
    assert rec.setup.pixel_size.source.path is not None
    assert rec.setup.pixel_size.source.path.endswith("ts1.txrm")  # the header wins
    assert not [f for f in rec.findings if f.code == "normalise.disagreement"]


def test_empiar_image_sets_and_uploads(
    b24: tuple[Variant, Path, ScanResult], tmp_path: Path
) -> None:
    variant, root, _result = b24
    volume = "ts1_Vol" if variant == "aretomo" else "ts1_rec"
    before = snapshot(root)
    out = tmp_path / "out"
    assert main(["deposit", str(root), "-o", str(out), "-q"]) == EXIT_OK
    assert snapshot(root) == before
    doc = json.loads((out / "empiar/deposition.json").read_text(encoding="utf-8"))
    sets = {s["name"].split(" (")[0]: s for s in doc["imagesets"]}
    assert sorted(sets) == sorted(
        [
            "Tilt series ts1.txrm",
            f"Reconstructed volume {volume}.mrc",
            f"Denoised volume {volume}.denoised.mrc",
            f"Segmentation {volume}.denoised_segmented.mrc",
            "Stitched map grid_mosaic.txrm",
            "Flat-field reference images ref.xrm",
        ]
    )
    denoised = sets[f"Denoised volume {volume}.denoised.mrc"]
    assert denoised["category"] == "('T13', '')"
    assert (denoised["voxel_type"], denoised["frames_per_image"]) == ("('T7', '')", 7)
    assert (denoised["image_width"], denoised["image_height"]) == (8, 8)
    assert f"Denoised from sample1/SXT/Tomograms/{volume}.mrc" in denoised["details"]
    seg = sets[f"Segmentation {volume}.denoised_segmented.mrc"]
    assert seg["category"] == "('OT', 'segmentation')" and seg["voxel_type"] == "('T4', '')"
    assert f"Segmentation of sample1/SXT/Denoise/{volume}.denoised.mrc" in seg["details"]
    tilt = sets["Tilt series ts1.txrm"]
    assert "Converted stack: sample1/SXT/Tomograms/ts1.mrc" in tilt["details"]
    assert sets["Stitched map grid_mosaic.txrm"]["category"] == "('T11', '')"
    assert _schema_errors(doc) == []
    result = clxm_meta.scan(root)
    uploads = upload_files(result, deposition_units(result)[0])
    assert "sample1/SXT/Tomograms/ts1.mrc" in uploads["EMPIAR"]
    assert not any(p.endswith(PICTURE_ENDINGS) for p in uploads["EMPIAR"])
    assert {"sample1/SIM/525.cfg", "sample1/SIM/cell1_recon.log"} <= set(uploads["BioStudies"])
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert f"sample1/SXT/Tomograms/{volume}_thumbnail.jpeg: JPEG picture" in readme
    staged = [p.relative_to(out / "upload").as_posix() for p in (out / "upload").rglob("*")]
    assert not any(p.endswith(PICTURE_ENDINGS) for p in staged)  # pictures are not staged
    assert any(p.endswith("sample1/SXT/Tomograms/ts1.mrc") for p in staged)
    md5 = (out / "md5.txt").read_text(encoding="utf-8")
    assert "thumbnail" not in md5 and "sample1/SXT/Tomograms/ts1.mrc" in md5
    files_tsv = (out / "biostudies/files.tsv").read_text(encoding="utf-8")
    assert "sample1/SIM/525.cfg" in files_tsv and "cell1_SIM_to_SXT.txt" in files_tsv


def test_half_finished_pipeline_gives_findings_not_errors(tmp_path: Path) -> None:
    """No volume yet, an empty Denoise folder, a directive with unknown keys, a failed
    batchruntomo log: findings, and the deposit of what is complete still goes through."""
    from writers.imod import batch_directive_text, batchruntomo_log_text

    root = _tree(tmp_path, "imod-beads-sirt", finished=False)
    tomo = root / "sample1/SXT/Tomograms"
    (root / "sample1/SXT/Denoise").mkdir()
    (tomo / "batchDirective.adoc").write_text(
        batch_directive_text(sirt=True, extra=["runtime.NotAStep.any.unknownKey=7", "no equals"])
    )
    (tomo / "batchruntomo.log").write_text(
        batchruntomo_log_text(dataset="ts1", steps=("eraser.com",), residual=None, finished=False)
        + "ABORT SET: ts1 - batchruntomo failed in track.com\n"
    )
    result = clxm_meta.scan(root)
    codes = {f.code for f in result.all_findings()}
    assert {"dataset.no_volume", "scan.empty_folder", "imod.batchruntomo_unfinished"} <= codes
    assert not [f for f in result.all_findings() if f.severity.name == "ERROR"]
    out = tmp_path / "out"
    assert main(["deposit", str(root), "-o", str(out), "-q"]) == EXIT_OK
    doc = json.loads((out / "empiar/deposition.json").read_text(encoding="utf-8"))
    assert sorted(s["name"].split(" (")[0] for s in doc["imagesets"]) == [
        "Flat-field reference images ref.xrm",
        "Stitched map grid_mosaic.txrm",
        "Tilt series ts1.txrm",
    ]
    assert _schema_errors(doc) == []


def test_partial_conversion_is_a_finding(tmp_path: Path) -> None:
    from writers.mrc import write_mrc

    root = _tree(tmp_path, "imod-beads-wbp", denoise=False, mosaic=False, sim=False)
    write_mrc(root / "sample1/SXT/Tomograms/ts1.mrc", shape=(5, 8, 8), dtype="uint16")
    rec = clxm_meta.scan(root).record(SXT)
    found = [f for f in rec.findings if f.code == "consistency.converted_stack"]
    assert found and "holds 5 images of 8 × 8" in found[0].message
    assert "has 13 of 8 × 8" in found[0].message
