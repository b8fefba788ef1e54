"""`scan(root, executor=...)`: the same, deterministic result whatever executes the per-file reads.

The Dask test runs a real `dask.distributed.LocalCluster` over TCP loopback (two in-process workers,
so models and findings are serialised both ways as on a facility cluster); it skips when the
``dask`` extra is not installed.
"""

from __future__ import annotations

import importlib
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

import clxm_meta

scan_module = importlib.import_module("clxm_meta.dataset.scan")


def _json(root: Path, executor: Executor | None = None) -> str:
    return clxm_meta.scan(root, executor=executor).model_dump_json()


def test_thread_pool_scan_equals_serial_scan(tree: Path) -> None:
    serial = _json(tree)
    with ThreadPoolExecutor(max_workers=2) as pool:
        assert _json(tree, pool) == serial
    assert _json(tree) == serial  # deterministic run to run


def test_small_batches_keep_walk_order(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = clxm_meta.scan(tree)
    monkeypatch.setattr(scan_module, "SCAN_BATCH", 1)
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = clxm_meta.scan(tree, executor=pool)
    assert threaded.model_dump_json() == serial.model_dump_json()
    assert list(threaded.models) == list(serial.models)
    for rel, model in serial.models.items():
        assert threaded.models[rel].model_dump_json() == model.model_dump_json()


def test_process_pool_scan_equals_serial_scan(tree: Path) -> None:
    serial = _json(tree)
    ctx = multiprocessing.get_context("spawn")  # no fork of a threaded test process
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        assert _json(tree, pool) == serial


def test_empty_tree_with_executor(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        result = clxm_meta.scan(tmp_path, executor=pool)
    assert result.files == [] and result.records == []


def test_dask_local_cluster_scan_is_byte_identical(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Byte-identical, and the tasks are submitted impure: dask never hashes their arguments.

    (A pure task is named by ``tokenize`` of its arguments: every file entry of the tree and the
    sidecar pickled in the driver, `clxm_meta.dataset.executors`.)
    """
    distributed = pytest.importorskip("dask.distributed")
    client_module = importlib.import_module("distributed.client")
    serial = _json(tree)

    def refuse(*args: object, **kwargs: object) -> str:
        raise AssertionError("a scan task was tokenized: submitted pure")

    monkeypatch.setattr(client_module, "tokenize", refuse)
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
        assert _json(tree, client.get_executor()) == serial
