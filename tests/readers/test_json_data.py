"""`json_data` is ``model_dump(mode="json")`` (same keys, same order, same values) on every sample
file of every format, and falls back to pydantic for what it does not walk itself."""

from __future__ import annotations

import json
import subprocess
import sys
from enum import StrEnum
from pathlib import Path

import pytest
from pydantic import BaseModel, Field, field_serializer

import clxm_meta
from clxm_meta.readers.json_data import json_data
from conftest import REAL

ROOT = Path(__file__).resolve().parents[2]


def _samples() -> list[Path]:
    found = sorted(p for p in (ROOT / "examples").rglob("*") if p.is_file())
    if REAL.is_dir():
        found += sorted(p for p in REAL.rglob("*") if p.is_file() and p.parent.name != "LICENSES")
    return found


def test_same_as_model_dump_on_every_sample() -> None:
    compared = 0
    for path in _samples():
        try:
            model = clxm_meta.read(path)
        except clxm_meta.ClxmMetaError:
            continue
        ours = json.dumps(json_data(model), ensure_ascii=False)
        assert ours == json.dumps(model.model_dump(mode="json"), ensure_ascii=False), path.name
        compared += 1
    assert compared >= 5


class _Kind(StrEnum):
    A = "a"


class _Inner(BaseModel):
    x: int
    y: float | None = None


class _Sub(_Inner):
    extra: str = "not declared"


class _Outer(BaseModel):
    kind: _Kind = _Kind.A
    inner: _Inner
    many: list[_Inner] = []
    by_id: dict[int, float] = {}
    pair: tuple[int, str] = (1, "b")
    ratio: float = 0.5


class _Serialised(BaseModel):
    n: int = 1

    @field_serializer("n")
    def _twice(self, n: int) -> int:
        return 2 * n


class _Aliased(BaseModel):
    n: int = Field(1, serialization_alias="N")


@pytest.mark.parametrize(
    "model",
    [
        _Outer(inner=_Inner(x=1, y=2.5), many=[_Inner(x=2)], by_id={14: 1.5}),
        _Outer.model_construct(inner=_Inner(x=1), ratio=3),  # an int in a float field
        _Outer(inner=_Sub(x=1)),  # a subclass: the declared type decides
        _Outer(inner=_Inner(x=1, y=float("nan"))),
        _Serialised(),
        _Aliased(),
    ],
)
def test_same_as_model_dump_in_the_cases_it_leaves_to_pydantic(model: BaseModel) -> None:
    assert json.dumps(json_data(model)) == json.dumps(model.model_dump(mode="json"))


def test_inspect_of_a_dv_builds_no_validator() -> None:
    dv = ROOT / "examples" / "cell1.dv"
    code = (
        "import contextlib, io, sys\nfrom clxm_meta.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['inspect', {str(dv)!r}, '--format', 'json'])\n"
        "from clxm_meta.readers.dv.model import DvFile\n"
        "print(DvFile.__pydantic_complete__, 'pydantic.plugin._loader' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
