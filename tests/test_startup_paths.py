"""Start-up of ``clxm-meta inspect FILE`` (issue 21): what it no longer does, and that the output
is what the full path gives.

- the plainest ``inspect FILE`` is answered without argparse: `clxm_meta.cli._inspect_args` must
  give exactly the namespace the parser gives, and ``None`` for anything else;
- model modules on the inspect path hold evaluated annotations (no ``from __future__ import
  annotations``), so pydantic does not compile and evaluate one forward reference per field when
  the classes are made.

Timing lives in bench/bench_startup.py; these tests hold the structure.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from clxm_meta.cli import _inspect_args, _parser, main

ROOT = Path(__file__).resolve().parents[1]
DV = ROOT / "examples" / "cell1.dv"

NAMES = ["x.dv", "a b.tif", "", "ü µ.mrc", "=x", "inspect", "check", "/abs/path.dv", "x -y", "@f"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("only", [None, "inspect"])
def test_inspect_args_equal_the_parsers(name: str, only: str | None) -> None:
    fast = _inspect_args(["inspect", name])
    assert fast is not None
    assert vars(fast) == vars(_parser(only).parse_args(["inspect", name]))


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["inspect"],
        ["inspect", "-x.dv"],
        ["inspect", "-"],
        ["inspect", "--", "x.dv"],
        ["inspect", "x.dv", "--format", "json"],
        ["inspect", "x.dv", "-q"],
        ["-q", "inspect", "x.dv"],
        ["check", "x"],
        ["inspect", "a.dv", "b.dv"],
    ],
)
def test_anything_else_goes_to_argparse(argv: list[str]) -> None:
    assert _inspect_args(argv) is None


def test_inspect_output_same_with_and_without_the_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def run() -> tuple[int, str]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["inspect", str(DV)])
        return code, out.getvalue()

    fast = run()
    monkeypatch.setattr("clxm_meta.cli._inspect_args", lambda argv: None)
    assert run() == fast


def test_plain_inspect_loads_no_argparse() -> None:
    probe = (
        "import contextlib, io, json, sys\nfrom clxm_meta.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()): main(['inspect', {str(DV)!r}])\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    modules = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert {"argparse", "gettext", "locale", "clxm_meta.cli.parser"} & modules == set()


MODEL_MODULES = (
    "clxm_meta.findings",
    "clxm_meta.readers.base",
    "clxm_meta.readers.dv.model",
    "clxm_meta.readers.dv.titles",
    "clxm_meta.readers.dv.camera",
    "clxm_meta.readers.mrc.model",
    "clxm_meta.readers.txrm.model",
    "clxm_meta.readers.tiff.model",
    "clxm_meta.readers.tiff.imagej",
)


@pytest.mark.parametrize("name", MODEL_MODULES)
def test_model_fields_are_not_string_annotations(name: str) -> None:
    module = importlib.import_module(name)
    classes = [
        c
        for c in vars(module).values()
        if isinstance(c, type) and issubclass(c, BaseModel) and c.__module__ == name
    ]
    assert classes
    for cls in classes:
        own = inspect.get_annotations(cls)
        strings = [f for f in cls.model_fields if isinstance(own.get(f), str)]
        assert strings == [], f"{cls.__name__}: {strings}"
