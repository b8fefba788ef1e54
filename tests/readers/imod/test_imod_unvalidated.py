"""The tiltalign solution table's rows are built without validation: they equal validated ones.

`clxm_meta.readers.imod.align_log._view_solution` fills a `ViewSolution` with `construct` (a
table row per view, thousands per archive). That is only right when every value already has its
field's exact type; this test reads every align log (the example's, the real ones, written ones)
twice, once as shipped and once with ``construct`` swapped for validating construction, and holds
the two models equal, field by field and type by type, with the same fields set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import clxm_meta
from clxm_meta.readers.imod import align_log
from conftest import EXAMPLE, REAL
from writers.imod import align_log_text


def _validating(cls: type[BaseModel], values: dict[str, Any]) -> BaseModel:
    return cls(**values)


def _types(value: Any) -> Any:
    if isinstance(value, BaseModel):
        fields = {k: _types(v) for k, v in value.__dict__.items()}
        return (type(value), sorted(value.model_fields_set), fields)
    if isinstance(value, dict):
        return (dict, {k: _types(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return (type(value), [_types(v) for v in value])
    return type(value)


def _logs(tmp: Path) -> list[Path]:
    written = {
        "new.log": align_log_text(0.3, 0.2, "nm", 12, weighted_mean=0.25, local_areas=(2, 1)),
        "old.log": align_log_text(0.383, 0.218, None, 41),
        "xtilt.log": align_log_text(0.3, 0.2, "pixels", 9, x_tilt_layout=True),
        "leave_out.log": align_log_text(0.3, 0.2, "nm", 5, leave_out=0.4),
    }
    out = [EXAMPLE / "sample1" / "SXT" / "align.log"]
    for name, text in written.items():
        (tmp / name).write_text(text)
        out.append(tmp / name)
    if (REAL / "imod").is_dir():
        out += sorted(p for p in (REAL / "imod").iterdir() if "align" in p.name.lower())
    return out


def test_solution_rows_equal_validated_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = 0
    for path in _logs(tmp_path):
        fast = clxm_meta.read(path)
        with monkeypatch.context() as m:
            m.setattr(align_log, "construct", _validating)
            slow = clxm_meta.read(path)
        assert fast == slow, path
        assert _types(fast) == _types(slow), path
        table = getattr(fast, "solution", None)
        rows += len(table.rows) if table is not None else 0
    assert rows >= 41 + 12 + 9
