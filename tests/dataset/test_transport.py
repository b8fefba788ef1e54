"""A scan's compact transport pickle gives back what pydantic's own pickling gives, exactly.

`clxm_meta.dataset.transport` pickles plain pydantic models as one call each; every object must
come back as ``pickle.loads(pickle.dumps(obj))`` would give it: same class, the instance dict
with the same keys in the same order, the same fields-set, extra and private slots, shared
objects still shared.
"""

from __future__ import annotations

import gc
import importlib
import pickle
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, PrivateAttr

from clxm_meta.dataset import transport
from clxm_meta.findings import Finding, Severity
from clxm_meta.records.provenance import Source, SourceKind
from clxm_meta.records.value import Value

scan_module = importlib.import_module("clxm_meta.dataset.scan")


def _same(a: Any, b: Any, where: str = "obj") -> None:
    """``a`` and ``b`` alike in type and content, down to pydantic's slots and dict key order."""
    assert type(a) is type(b), f"{where}: {type(a)} vs {type(b)}"
    if isinstance(a, BaseModel):
        assert list(a.__dict__) == list(b.__dict__), where
        for slot in ("__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"):
            _same(getattr(a, slot), getattr(b, slot), f"{where}.{slot}")
        for k, v in a.__dict__.items():
            _same(v, b.__dict__[k], f"{where}.{k}")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k, v in a.items():
            _same(v, b[k], f"{where}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes(), where
    elif hasattr(a, "__dataclass_fields__"):
        for k in a.__dataclass_fields__:
            _same(getattr(a, k), getattr(b, k), f"{where}.{k}")
    elif hasattr(a, "__slots__") and not hasattr(a, "__dict__"):
        _same(a.__reduce__()[1], b.__reduce__()[1], f"{where} (slots)")
    elif isinstance(a, float) and a != a:
        assert b != b, where
    else:
        assert a == b, f"{where}: {a!r} vs {b!r}"


def _both(obj: Any) -> tuple[Any, Any]:
    return pickle.loads(pickle.dumps(obj)), transport.loads(transport.dumps(obj))


class _Partial(BaseModel):
    a: int = 1
    b: list[int] = []


class _Private(BaseModel):
    a: int
    _cache: dict[str, int] | None = PrivateAttr(default=None)


def test_every_unit_result_of_a_scan_comes_back_as_pydantic_pickles_it(tree: Path) -> None:
    """Records, values, findings and the format model of every reader in the example tree."""
    plan = scan_module._prepare(tree, None, True, None)
    direct = scan_module._scan_batch(plan.ctx, plan.units)
    theirs, ours = _both(direct)
    _same(theirs, ours)
    _same(direct, ours)
    assert {type(m).__name__ for r in ours for m in r.models.values()} >= {
        "DvFile",
        "MrcFile",
        "TxrmFile",
        "AlignLog",
    }


def test_fields_set_private_and_extra_are_kept() -> None:
    partial = _Partial(b=[2])  # ``a`` is a default: not in the fields-set
    assert partial.model_fields_set == {"b"}
    private = _Private(a=3)
    private._cache = {"x": 1}
    for obj in (partial, private, _Private(a=4)):
        theirs, ours = _both(obj)
        _same(theirs, ours)
    assert transport.loads(transport.dumps(partial)).model_fields_set == {"b"}
    assert transport.loads(transport.dumps(private))._cache == {"x": 1}


def test_generic_values_and_shared_objects() -> None:
    src = Source(kind=SourceKind.FILE, path="/x/a.dv", reader="dv", locator="byte 92")
    values = [Value[float](value=1.5, unit="µm", source=src), Value[str](value="a", source=src)]
    theirs, ours = _both(values)
    _same(theirs, ours)
    assert ours[0].source is ours[1].source  # one Source, as in the worker
    finding = Finding.make("x.y", Severity.INFO, "m", path="/x/a.dv")
    _same(*_both([finding, finding]))


def test_compact_stream_is_smaller_than_pydantic_pickles(tree: Path) -> None:
    plan = scan_module._prepare(tree, None, True, None)
    direct = scan_module._scan_batch(plan.ctx, plan.units)
    assert len(transport.dumps(direct)) < 0.95 * len(pickle.dumps(direct, protocol=5))


def test_loads_pauses_the_collector_and_restores_it() -> None:
    was = gc.isenabled()
    try:
        gc.enable()
        blob = transport.dumps([_Partial()])
        transport.loads(blob)
        assert gc.isenabled()
        gc.disable()
        transport.loads(blob)
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
