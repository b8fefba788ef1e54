"""The deposit build's shared work (issue 21): what is computed once gives what was computed each time.

`build_unit` flattens the SIM record once (`rows.shared_rows`), words each value once
(`describe.shared_descriptions`), looks records up through the scan's index and reads the
sidecar's ``biostudies:`` block once per parse; xlsx cells are kept by value. Each of these must
answer exactly as the work it replaces, and none may grow with the number of units.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from clxm_meta.dataset.scan import scan
from clxm_meta.export.biostudies import sources as sources_mod
from clxm_meta.export.biostudies.describe import describe, one_line, shared_descriptions
from clxm_meta.export.biostudies.xlsx_writer import _cell, _cell_tail
from clxm_meta.export.deposit.build import build_deposit
from clxm_meta.records.fields import fields_for
from clxm_meta.records.rows import Row, rows, shared_rows


def _tree(tree: Path, samples: int) -> Path:
    for i in range(2, samples + 1):
        shutil.copytree(tree / "sample1", tree / f"sample{i}")
    return tree


def _validated_rows(record: Any) -> list[Row]:
    """The rows as `rows` made them before issue 21: each one validated."""
    out = []
    for spec in fields_for(record.kind):
        common = {"id": spec.id, "label": spec.label, "origin": spec.origin}
        common |= {"dataset": record.name, "kind": record.kind.value}
        slot = record.get(spec.id)
        if slot is None:
            out.append(Row(unit=spec.unit, **common))
            continue
        dumped = slot.model_dump(mode="json")
        unit = slot.unit if slot.unit is not None else spec.unit
        out.append(Row(value=dumped["value"], unit=unit, source=dumped["source"], **common))
    return out


def test_shared_rows_are_the_rows_validated_each_time(tree: Path) -> None:
    result = scan(tree)
    assert result.records
    for record in result.records:
        alone = rows(record)
        alone_filled = rows(record, filled_only=True)
        with shared_rows():
            first = rows(record)
            again = rows(record)
            filled = rows(record, filled_only=True)
        assert first == alone == again
        assert filled == alone_filled
        assert [r.id for r in alone] == [s.id for s in fields_for(record.kind)]
        assert first is not again  # each caller gets its own list
        validated = _validated_rows(record)
        assert alone == validated  # made without validation: what validating them made
        for r, v in zip(alone, validated, strict=True):
            assert r.model_dump(mode="json") == v.model_dump(mode="json")
            assert r.model_fields_set == v.model_fields_set


def test_shared_rows_see_a_record_changed_outside_the_block(tree: Path) -> None:
    record = scan(tree).records[0]
    with shared_rows():
        before = rows(record, filled_only=True)
    record.set("general.title", None)
    with shared_rows():
        after = rows(record, filled_only=True)
    assert "general.title" in {r.id for r in before}
    assert "general.title" not in {r.id for r in after}


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(6 if depth < 3 else 4)
    if kind == 0:
        return rng.choice([0, -0.0, 0.0, 1.5e-5, 488, True, False, float(rng.randrange(100))])
    if kind == 1:
        return rng.choice(["", " a ", "x & y", "µm", "488"])
    if kind == 2:
        return rng.uniform(-1e6, 1e6)
    if kind == 3:
        return rng.randrange(-(10**6), 10**6)
    if kind == 4:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    return {f"k{i}": _random_value(rng, depth + 1) for i in range(rng.randrange(3))}


def test_shared_descriptions_word_as_describe(tree: Path) -> None:
    rng = random.Random(21)
    result = scan(tree)
    cases = [(r.id, r.value, r.unit) for rec in result.records for r in rows(rec)]
    ids = [c[0] for c in cases]
    cases += [(rng.choice(ids), _random_value(rng), rng.choice([None, "nm"])) for _ in range(300)]
    plain = [(describe(*c), one_line(*c)) for c in cases]
    with shared_descriptions():
        shared = [(describe(*c), one_line(*c)) for c in cases]
        twice = [(describe(*c), one_line(*c)) for c in cases]
    assert shared == plain == twice


def test_cell_xml_kept_by_value_tells_equal_values_of_other_types_apart() -> None:
    values: list[Any] = [0, 0.0, -0.0, False, 1, 1.0, True, "1", "", " x", "#N/A", None, "a&b"]
    for _ in range(2):  # the second round answers from what the first kept
        for v in values:
            assert _cell("B7", 1, v) == f'<c r="B7" s="1"{_cell_tail(v)}'
    assert _cell("A1", 1, -0.0) != _cell("A1", 1, 0.0)
    assert _cell("A1", 1, 1) != _cell("A1", 1, True)


def test_record_lookup_and_sidecar_block_do_not_grow_with_units(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every unit used to search the records and re-map the whole sidecar: quadratic."""
    result = scan(_tree(tree, 3))
    assert len(result.pairs) == 3
    assert result.record(result.records[-1].name) is result.records[-1]
    with pytest.raises(KeyError):
        result.record("no such dataset")

    calls = {"load_biostudies": 0}
    real = sources_mod.load_biostudies

    def counted(path: Any) -> Any:
        calls["load_biostudies"] += 1
        return real(path)

    monkeypatch.setattr(sources_mod, "load_biostudies", counted)
    sources_mod._BLOCKS.clear()
    out = build_deposit(result, md5={})
    assert len(out.units) == 3
    assert calls["load_biostudies"] == 1  # PageTab and RO-Crate of three units: one mapping
