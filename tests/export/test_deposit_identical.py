"""Issue 21: a faster deposit writes the very same files.

`deposit_sha256.json` was taken from main's code before any of issue 21's speed-ups: the SHA-256
of every file `build_deposit` makes (the scanned root's path replaced by ``<ROOT>``), the input
file each upload link stands for, and the missing and rejected lists, for three multi-file trees:
the example sample replicated three times with a complete sidecar (three units), and the B24
pipeline tree in its IMOD and AreTomo variants. MD5s are fixed per path (the B24 writer's MRC
labels carry the time of writing) so the digests depend on the code alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

import clxm_meta
from clxm_meta.export.deposit.build import build_deposit, deposition_units, upload_files
from conftest import EXAMPLE, ROOT

sys.path.insert(0, str(ROOT / "tests"))
from writers.b24 import write_b24_tree

yaml = pytest.importorskip("yaml")
pytest.importorskip("openpyxl")
pytest.importorskip("ome_types")

GOLDEN = json.loads((Path(__file__).parent / "deposit_sha256.json").read_text())


def replicated(root: Path, n: int) -> Path:
    """The example sample as ``sample0`` … ``sample{n-1}``, each with its own sidecar entries."""
    root.mkdir(parents=True)
    side = yaml.safe_load((EXAMPLE / "clxm.yaml").read_text())
    sample_rows = side["samples"].pop("sample1")
    dataset_rows = side.pop("datasets")
    side["samples"], side["datasets"] = {}, {}
    for i in range(n):
        name = f"sample{i}"
        shutil.copytree(EXAMPLE / "sample1", root / name)
        side["samples"][name] = sample_rows
        for key, rows in dataset_rows.items():
            title = f"{rows['general.title']} {i}"
            side["datasets"][key.replace("sample1", name)] = {**rows, "general.title": title}
    (root / "clxm.yaml").write_text(yaml.safe_dump(side, sort_keys=False))
    return root


def digest(root: Path) -> dict[str, Any]:
    result = clxm_meta.scan(root)
    paths = {
        p for u in deposition_units(result) for ps in upload_files(result, u).values() for p in ps
    }
    md5 = {p: hashlib.md5(p.encode()).hexdigest() for p in sorted(paths)}
    dep = build_deposit(result, md5=md5)
    here = str(root).encode()
    out: dict[str, Any] = {
        k: hashlib.sha256(v.replace(here, b"<ROOT>")).hexdigest()
        for k, v in sorted(dep.files.items())
    }
    out["<links>"] = {k: os.path.relpath(v, root) for k, v in sorted(dep.links.items())}
    out["<missing>"] = [str(m) for m in dep.missing]
    out["<rejected>"] = [str(f) for f in dep.rejected]
    return out


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("rep3", lambda root: replicated(root, 3)),
        ("b24", write_b24_tree),
        ("aretomo", lambda root: write_b24_tree(root, "aretomo")),
    ],
)
def test_deposit_files_identical_to_before(name: str, make: Any, tmp_path: Path) -> None:
    ours = digest(make(tmp_path / name))
    golden = GOLDEN[name]
    assert sorted(ours) == sorted(golden)
    changed = [k for k in golden if ours[k] != golden[k]]
    assert changed == []


def test_build_does_not_load_the_sidecar_again_per_unit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: each unit's PageTab validated the whole sidecar again (deposit was quadratic)."""
    from clxm_meta.sidecar import load

    result = clxm_meta.scan(replicated(tmp_path / "tree", 3))
    sidecar = load.load_sidecar(result.sidecar or "")
    calls: list[str] = []
    run = load._Loader.run

    def counted(self: Any) -> Any:
        calls.append(self.sc.path)
        return run(self)

    monkeypatch.setattr(load._Loader, "run", counted)
    dep = build_deposit(result, md5={}, sidecar=sidecar)
    assert len(dep.units) == 3
    assert calls == []


def test_sidecar_entries_validated_without_a_record_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: loading a sidecar built a whole record per entry to validate its value."""
    from clxm_meta.records import models
    from clxm_meta.sidecar import load

    root = replicated(tmp_path / "tree", 4)
    made: list[str] = []
    real = models.record_class

    def counting(kind: Any) -> Any:
        made.append(str(kind))
        return real(kind)

    monkeypatch.setattr(load, "record_class", counting)
    sc = load.load_sidecar(root / "clxm.yaml")
    assert len(sc.entries) > 20
    assert len(made) <= 2  # one scratch record per kind


def test_lookups_built_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 21: the exporters scanned every file and dataset for each dataset (quadratic)."""
    from clxm_meta.records import scan_index

    result = clxm_meta.scan(replicated(tmp_path / "tree", 3))
    built: list[int] = []
    init = scan_index.ScanIndex.__init__

    def counted(self: Any, res: Any) -> None:
        built.append(id(res))
        init(self, res)

    monkeypatch.setattr(scan_index.ScanIndex, "__init__", counted)
    dep = build_deposit(result, md5={})
    assert len(dep.units) == 3
    assert built == [id(result)]


def test_pagetab_tsv_made_once_per_unit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 21: the PageTab TSV was written twice per unit (the file, then the rejection check)."""
    from clxm_meta.export.biostudies import pagetab

    result = clxm_meta.scan(replicated(tmp_path / "tree", 2))
    made: list[int] = []
    real = pagetab.pagetab_tsv

    def counted(doc: Any) -> str:
        made.append(id(doc))
        return real(doc)

    monkeypatch.setattr(pagetab, "pagetab_tsv", counted)
    dep = build_deposit(result, md5={})
    assert len(dep.units) == 2
    assert len(made) == len(set(made)) == 2


def test_sim_workbook_statuses_only_for_empty_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: the SIM workbook built every row's completeness status; it uses the empty ones."""
    from clxm_meta.export.biostudies import sim_xlsx
    from clxm_meta.records.rows import rows

    result = clxm_meta.scan(replicated(tmp_path / "tree", 1))
    [unit] = deposition_units(result)
    assert unit.sim is not None
    asked: list[str] = []
    real = sim_xlsx.row_status

    def counted(record: Any, spec: Any, members: Any) -> Any:
        asked.append(spec.id)
        return real(record, spec, members)

    monkeypatch.setattr(sim_xlsx, "row_status", counted)
    book = sim_xlsx.sim_workbook(result, unit.sim)
    empty = {r.id for r in rows(result.record(unit.sim)) if r.value is None}
    assert book.missing and set(asked) <= empty and len(asked) == len(set(asked))


def test_scan_index_follows_a_changed_result(tmp_path: Path) -> None:
    from clxm_meta.records.scan_index import scan_index

    result = clxm_meta.scan(replicated(tmp_path / "tree", 2))
    index = scan_index(result)
    assert scan_index(result) is index
    assert set(index.datasets) == {d.name for d in result.datasets}
    assert index.pair_by_sxt["sample1/SXT/ts1"].sim == "sample1/SIM/cell1"
    assert [f.path for f in index.correlation] == [
        f.path for f in result.files if f.role == "correlation"
    ]
    extra = result.files[0].model_copy(update={"path": "new/file.txt"})
    result.files.append(extra)
    assert scan_index(result) is not index
    assert scan_index(result).files["new/file.txt"] is extra
    result.datasets = result.datasets[:1]
    assert set(scan_index(result).datasets) == {result.datasets[0].name}
