"""The TXRM reader builds its models without validation: they equal validated ones, field types too.

`clxm_meta.readers.txrm.reader.read` uses `construct` / `assemble` (no pydantic validator is built,
so a command-line run never imports pydantic's plugin loader). That is only right when the decoder
gives every field a value of exactly its declared type; this test reads every sample twice, once
as shipped and once with the reader's builders swapped for validating construction, and holds the
two models equal and every value of the same Python type (an ``int`` where validation would give
a ``float`` would print differently in JSON).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from clxm_meta.errors import ClxmMetaError
from clxm_meta.readers.txrm import reader as txrm_reader
from conftest import REAL
from writers.txrm import write_txrm


def _validating(cls: type[BaseModel], values: dict[str, Any]) -> BaseModel:
    return cls(**values)


def _types(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return (type(value), {k: _types(v) for k, v in value.__dict__.items()})
    if isinstance(value, dict):
        return (dict, {k: _types(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return (type(value), [_types(v) for v in value])
    return type(value)


def _samples(tmp: Path) -> list[Path]:
    out = [
        write_txrm(tmp / "plain.txrm"),
        write_txrm(tmp / "v3.txrm", version=3, reference=False, zone_plate=None),
        write_txrm(tmp / "mosaic.xrm", mosaic=(2, 3), angles=[0.0] * 6),
        write_txrm(tmp / "energies.txrm", energy_ev=[500.0, 510.0, 520.0], angles=[0.0] * 3),
        write_txrm(tmp / "taken.txrm", images_taken=2, strided_energy=True),
    ]
    rng = random.Random(7)
    base = (tmp / "plain.txrm").read_bytes()
    for i in range(25):  # flipped bytes: odd values must not slip past without validation
        data = bytearray(base)
        for _ in range(8):
            data[rng.randrange(512, len(data))] = rng.randrange(256)
        path = tmp / f"flipped{i}.txrm"
        path.write_bytes(bytes(data))
        out.append(path)
    if REAL.is_dir():
        out += sorted(p for p in (REAL / "txrm").glob("*") if p.suffix in (".txrm", ".xrm"))
    return out


def test_unvalidated_models_equal_validated_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = 0
    for path in _samples(tmp_path):
        try:
            fast = txrm_reader.read(path)
        except ClxmMetaError:
            continue
        with monkeypatch.context() as m:
            m.setattr(txrm_reader, "construct", _validating)
            m.setattr(txrm_reader, "assemble", lambda cls, **values: cls(**values))
            slow = txrm_reader.read(path)
        assert fast == slow, path
        assert _types(fast) == _types(slow), path
        assert list(fast.__dict__) == list(type(fast).model_fields), path
        checked += 1
    assert checked >= 5
