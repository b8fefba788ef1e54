"""Every model a reader builds without validation has the shape validation would give it.

Readers build their models with `clxm_meta.readers.base.construct`, which trusts the keys it is
given: a key that is not a field would sit in the instance dict. This walks every model of every
sample file - ours (written by tests/writers, also with flipped header bytes) and the real ones -
and holds that each has only its fields, in field order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import clxm_meta
from conftest import REAL
from writers.dv import DvSpec, SectionSpec, write_dv
from writers.mrc import serialem_label, write_mrc
from writers.tiff import fluorescence_ome, write_imagej, write_ome_tiff, write_plain
from writers.txrm import write_txrm

ROOT = Path(__file__).resolve().parents[2]


def _written(tmp: Path) -> list[Path]:
    return [
        write_dv(tmp / "plain.dv", DvSpec()),
        write_dv(
            tmp / "ext.dv",
            DvSpec(n_waves=2, waves=(525, 609), sections=[SectionSpec(ints=[1, 2])] * 2),
        ),
        write_mrc(tmp / "plain.mrc", shape=(2, 4, 4)),
        write_mrc(
            tmp / "tilts.st",
            shape=(3, 4, 4),
            labels=[serialem_label("SerialEM: Acquired on Tecnai")],
            tilt_angles=[-30.0, 0.0, 30.0],
            stage_um=[(1.0, 2.0)] * 3,
            big_endian=True,
        ),
        write_ome_tiff(tmp / "cells.ome.tif", fluorescence_ome()),
        write_imagej(tmp / "stack.tif"),
        write_plain(tmp / "plain.tif", resolution=(10.0, 10.0), resolutionunit=3),
        write_txrm(tmp / "scan.txrm"),
    ]


def _samples(tmp: Path) -> list[Path]:
    found = _written(tmp) + sorted(p for p in (ROOT / "examples").rglob("*") if p.is_file())
    if REAL.is_dir():
        found += sorted(p for p in REAL.rglob("*") if p.is_file() and p.parent.name != "LICENSES")
    return found


def _walk(value: Any, where: str, seen: list[int]) -> None:
    if isinstance(value, BaseModel):
        fields = list(type(value).model_fields)
        present = list(value.__dict__)
        # in field order and nothing else (a lazily built field may be absent until first use)
        assert present == [name for name in fields if name in value.__dict__], where
        assert value.__pydantic_extra__ is None or type(value).model_config.get("extra") == "allow"
        assert value.model_fields_set <= set(fields), where
        seen[0] += 1
        for name, item in value.__dict__.items():
            _walk(item, f"{where}.{name}", seen)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _walk(item, f"{where}[{i}]", seen)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{where}[{key!r}]", seen)


def test_every_model_has_its_fields_in_order(tmp_path: Path) -> None:
    formats: set[str] = set()
    seen = [0]
    for path in _samples(tmp_path):
        try:
            model = clxm_meta.read(path)
        except clxm_meta.ClxmMetaError:
            continue
        formats.add(model.format)
        _walk(model, path.name, seen)
    assert {"dv", "mrc", "tiff", "txrm"} <= formats
    assert seen[0] > 50


@pytest.mark.parametrize("strict", [False, True])
def test_fuzzed_headers_keep_the_shape(tmp_path: Path, strict: bool) -> None:
    """Findings and odd values take the other branches of the readers: flipped header bytes."""
    import random

    rng = random.Random(11)
    seen = [0]
    for source in _written(tmp_path):
        data = bytearray(source.read_bytes())
        for case in range(40):
            mutated = bytearray(data)
            for _ in range(3):
                i = rng.randrange(min(len(mutated), 1024))
                mutated[i] = rng.randrange(256)
            path = tmp_path / f"fuzz{case}{source.suffix}"
            path.write_bytes(bytes(mutated))
            try:
                model = clxm_meta.read(path, strict=strict)
            except clxm_meta.ClxmMetaError:
                continue
            _walk(model, f"{source.name} case {case}", seen)
    assert seen[0] > 100
