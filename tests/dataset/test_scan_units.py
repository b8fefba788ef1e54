"""The sample as the unit of work: how a tree is cut, and the same result whatever runs the units.

The multi-sample tree has what a unit must keep together or the driver must join: a sidecar
naming pairs across samples, a file shared by two datasets for want of a name match, a
modality-first layout (``SIM/`` and ``SXT/`` at the top, one sample split over two folders), and
it is also scanned from a sub-folder (the sidecar found above). Serial, thread, process and (when
installed) dask runs must give the same JSON.
"""

from __future__ import annotations

import importlib
import multiprocessing
import shutil
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.dataset.units import split_units
from clxm_meta.dataset.walk import WalkEntry

scan_module = importlib.import_module("clxm_meta.dataset.scan")

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "deposition" / "sample1"

SIDECAR = """version: 1
pairs:
  - {sim: sampleA/SIM/cell1, sxt: sampleC/SXT/ts1}
  - {sim: sampleC/SIM/cell1, sxt: sampleA/SXT/ts1}
  - {sim: sampleB/SIM/cell1, sxt: sampleB/SXT/ts1}
  - {sim: SIM/cell9/cell9, sxt: SXT/ts9/ts9}
"""


def _entries(*rels: str) -> list[WalkEntry]:
    return [WalkEntry(rel, rel, 1, 0) for rel in sorted(rels)]


def _rels(units: list[list[WalkEntry]]) -> list[list[str]]:
    return [[e.rel for e in u] for u in units]


def test_a_folder_without_files_is_cut_into_its_sub_trees() -> None:
    units = split_units(_entries("a/x.dv", "a/y/z.log", "b/SXT/t.txrm", "b/t.txt", "c/d/e.dv"))
    assert _rels(units) == [["a/x.dv", "a/y/z.log"], ["b/SXT/t.txrm", "b/t.txt"], ["c/d/e.dv"]]


def test_a_file_in_the_root_keeps_the_tree_whole_but_the_sidecar_does_not() -> None:
    whole = split_units(_entries("README.txt", "a/x.dv", "b/y.dv"))
    assert _rels(whole) == [["README.txt", "a/x.dv", "b/y.dv"]]
    cut = split_units(_entries("clxm.yaml", "a/x.dv", "b/y.dv"), inert=frozenset({"clxm.yaml"}))
    assert _rels(cut) == [["a/x.dv"], ["b/y.dv"], ["clxm.yaml"]]


def test_the_folders_of_one_sample_are_one_unit() -> None:
    # SIM/ and SXT/ at the top: both are sample "." (the root); s1/SIM and s1/SXT are sample s1
    units = split_units(
        _entries("SIM/c1/c1.dv", "SXT/t1/t1.txrm", "s1/SIM/a.dv", "s1/SXT/b.txrm", "s2/x.dv")
    )
    assert _rels(units) == [
        ["SIM/c1/c1.dv", "SXT/t1/t1.txrm"],
        ["s1/SIM/a.dv", "s1/SXT/b.txrm"],
        ["s2/x.dv"],
    ]


def test_a_pair_named_by_the_sidecar_joins_the_units_between_its_datasets() -> None:
    entries = _entries("a/x.dv", "b/y.dv", "c/z.txrm", "d/w.dv")
    units = split_units(entries, together=[("a/x", "c/z")])
    assert _rels(units) == [["a/x.dv", "b/y.dv", "c/z.txrm"], ["d/w.dv"]]
    assert len(split_units(entries, together=[("a/x", "nowhere/q")])) == 4


def _multi(root: Path) -> Path:
    for name in ("sampleA", "sampleB", "sampleC"):
        shutil.copytree(SAMPLE, root / name)
    # a file shared by two tilt series of one folder (no name match): set aside in both
    shutil.copy(SAMPLE / "SXT" / "ts1.txrm", root / "sampleB" / "SXT" / "ts2.txrm")
    # modality folders at the top: one sample (the root) over two folders
    shutil.copytree(SAMPLE / "SIM", root / "SIM" / "cell9")
    for f in (root / "SIM" / "cell9").iterdir():
        f.rename(f.with_name(f.name.replace("cell1", "cell9")))
    shutil.copytree(SAMPLE / "SXT", root / "SXT" / "ts9")
    for f in (root / "SXT" / "ts9").iterdir():
        f.rename(f.with_name(f.name.replace("ts1", "ts9")))
    (root / "clxm.yaml").write_text(SIDECAR)
    return root


@pytest.fixture
def multi(tmp_path: Path) -> Path:
    return _multi(tmp_path / "deposition")


def _json(root: Path, executor: Executor | None = None) -> str:
    return clxm_meta.scan(root, executor=executor).model_dump_json()


def test_multi_sample_tree_has_what_the_units_must_keep_together(multi: Path) -> None:
    result = clxm_meta.scan(multi)
    pairs = {(p.sim, p.sxt) for p in result.pairs}
    assert ("sampleA/SIM/cell1", "sampleC/SXT/ts1") in pairs  # across samples, from the sidecar
    assert ("SIM/cell9/cell9", "SXT/ts9/ts9") in pairs
    codes = {f.code for r in result.records for f in r.findings}
    assert "dataset.shared_set_aside" in codes
    assert {s.name for s in result.samples} >= {"sampleA", "sampleB", "sampleC", "deposition"}


def test_serial_threads_processes_give_the_same_json(
    multi: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = _json(multi)
    monkeypatch.setattr(scan_module, "SCAN_BATCH", 1)  # a task per unit
    with ThreadPoolExecutor(max_workers=3) as pool:
        assert _json(multi, pool) == serial
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        assert _json(multi, pool) == serial
        scoped = clxm_meta.scan(multi / "sampleB", executor=pool)
    alone = clxm_meta.scan(multi / "sampleB")
    assert alone.scope == "sampleB"
    assert scoped.model_dump_json() == alone.model_dump_json()
    assert all(d.name.startswith("sampleB/") for d in alone.datasets)


def test_dask_local_cluster_gives_the_same_json(multi: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    serial = _json(multi)
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address=":0",  # a free port: 8787 may be taken
        ) as cluster,
        distributed.Client(cluster, timeout="20s") as client,
    ):
        assert _json(multi, client.get_executor()) == serial


def test_the_stream_gives_the_scan_unit_by_unit(multi: Path) -> None:
    whole = clxm_meta.scan(multi)
    stream = clxm_meta.scan_units(multi)
    names: list[str] = []
    for part in stream:
        assert part.models == {}  # models stay in the worker unless asked for
        names.extend(r.name for r in part.records)
    assert sorted(names) == sorted(r.name for r in whole.records)
    tree = stream.result()
    assert tree.records == [] and tree.models == {}
    assert tree.model_dump_json(exclude={"records"}) == whole.model_dump_json(exclude={"records"})
    with pytest.raises(RuntimeError):
        list(stream)


def _record_names(partial: clxm_meta.ScanResult) -> list[str]:
    return [r.name for r in partial.records]


def test_records_can_stay_in_the_worker(multi: Path) -> None:
    """``keep_records=False``: ``then`` still sees every record; none travels back."""
    kept = clxm_meta.scan_units(multi, then=_record_names)
    parts = list(kept)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        dropped = clxm_meta.scan_units(multi, executor=pool, keep_records=False, then=_record_names)
        slim = list(dropped)
    assert [p.records for p in slim] == [[] for _ in slim]
    assert [p.extra for p in slim] == [p.extra for p in parts]
    assert [p.extra for p in slim] == [[r.name for r in p.records] for p in parts]
    assert sum(len(p.extra) for p in slim) == len(clxm_meta.scan(multi).records)
    assert [(p.files, p.datasets) for p in slim] == [(p.files, p.datasets) for p in parts]
    assert dropped.result().model_dump_json() == kept.result().model_dump_json()


def test_a_process_pool_reads_and_normalises_in_the_workers(
    multi: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The driver only walks, pairs and merges: reading or normalising there fails this test."""
    serial = _json(multi)

    def not_here(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the driver read or normalised a file")

    monkeypatch.setattr(scan_module, "read", not_here)
    monkeypatch.setattr(scan_module, "merge_dataset", not_here)
    monkeypatch.setattr(scan_module, "group_files", not_here)
    ctx = multiprocessing.get_context("spawn")  # fresh workers: the real functions
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        assert _json(multi, pool) == serial


def test_every_sample_and_pair_lies_inside_one_unit(multi: Path) -> None:
    """What a worker sees of its unit is enough for a pair's checks and documents."""
    whole = clxm_meta.scan(multi)
    stream = clxm_meta.scan_units(
        multi, then=lambda p: ([s.name for s in p.samples], [(x.sim, x.sxt) for x in p.pairs])
    )
    samples: list[str] = []
    pairs: set[tuple[str, str]] = set()
    for part in stream:
        samples.extend(part.extra[0])
        pairs |= set(part.extra[1])
    assert sorted(samples) == sorted(s.name for s in whole.samples)  # none split over two units
    assert pairs == {(p.sim, p.sxt) for p in whole.pairs}
    assert stream.units < len(whole.samples)  # the cross-sample pairs joined some


def test_a_deep_chain_of_folders_is_cut_without_recursion() -> None:
    deep = "/".join(["d"] * 3000)
    units = split_units(_entries(f"{deep}/x.dv", f"{deep}/y.log", "e/z.dv"))
    assert _rels(units) == [[f"{deep}/x.dv", f"{deep}/y.log"], ["e/z.dv"]]
