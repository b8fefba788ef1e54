"""`json_text.dumps_indented` is ``json.dumps(indent=2, ensure_ascii=False)`` (issue 21)."""

from __future__ import annotations

import enum
import json
import math
import random
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest

from clxm_meta.export.json_text import dumps_indented
from conftest import ROOT


def reference(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


class Level(enum.IntEnum):
    HIGH = 3


class Name(enum.StrEnum):
    A = "a"


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kinds = ["str", "int", "float", "none", "bool", "special"]
    if depth < 4:
        kinds += ["list", "tuple", "dict", "dict"]
    kind = rng.choice(kinds)
    if kind == "str":
        return "".join(
            rng.choice('aZ é☃\n\t"\\/\x00\x1f\u2028\ud800<>&') for _ in range(rng.randint(0, 8))
        )
    if kind == "int":
        return rng.choice([0, -1, 7, 2**70, -(2**64), Level.HIGH])
    if kind == "float":
        return rng.choice([0.0, -0.0, 1.5, 1e300, 1e-300, 0.1 + 0.2, math.nan, math.inf, -math.inf])
    if kind == "none":
        return None
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "special":
        return rng.choice([Name.A, OrderedDict(b=1, a=[]), [], {}, ()])
    n = rng.randint(0, 4)
    if kind == "list":
        return [random_value(rng, depth + 1) for _ in range(n)]
    if kind == "tuple":
        return tuple(random_value(rng, depth + 1) for _ in range(n))
    keys = [
        rng.choice(["k", "é", "", 1, -2, 1.5, math.nan, True, False, None, Level.HIGH, Name.A])
        for _ in range(n)
    ]
    return {k: random_value(rng, depth + 1) for k in keys}


@pytest.mark.parametrize("seed", range(300))
def test_random_values_identical(seed: int) -> None:
    data = random_value(random.Random(seed))
    assert dumps_indented(data) == reference(data)


def test_real_documents_identical() -> None:
    """Every JSON document of the repository (schemas, examples, test data), re-encoded."""
    seen = 0
    for path in sorted(ROOT.glob("**/*.json")):
        if ".git" in path.parts or "node_modules" in path.parts:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        assert dumps_indented(data) == reference(data), path
        seen += 1
    assert seen >= 3


@pytest.mark.parametrize(
    "data",
    [{(1, 2): "tuple key"}, {"a": {1, 2}}, [b"bytes"], object()],
    ids=["tuple-key", "set", "bytes", "object"],
)
def test_what_json_refuses_it_refuses_alike(data: Any) -> None:
    with pytest.raises(TypeError) as ours:
        dumps_indented(data)
    with pytest.raises(TypeError) as theirs:
        reference(data)
    assert str(ours.value) == str(theirs.value)


def test_a_cycle_is_the_same_error() -> None:
    data: list[Any] = []
    data.append(data)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented(data)


def test_deposit_documents_identical(tmp_path: Path) -> None:
    """The EMPIAR, PageTab and RO-Crate documents of the example deposition."""
    import clxm_meta
    from clxm_meta.export.biostudies.pagetab import build_pagetab, pagetab_json
    from clxm_meta.export.biostudies.rocrate import build_rocrate
    from clxm_meta.export.biostudies.rocrate.model import rocrate_json
    from clxm_meta.export.deposit.build import deposition_units
    from clxm_meta.export.empiar.build import build_empiar

    result = clxm_meta.scan(ROOT / "examples" / "deposition")
    unit = deposition_units(result)[0]
    assert unit.sim is not None and unit.sxt is not None
    docs = [
        build_empiar(result, unit.sxt).document,
        pagetab_json(build_pagetab(result, unit.sim, sxt=unit.sxt, md5={}).document),
        rocrate_json(build_rocrate(result, unit.sim, sxt=unit.sxt).document),
    ]
    for doc in docs:
        assert dumps_indented(doc) == reference(doc)


@pytest.mark.parametrize("seed", range(100))
def test_member_text_is_its_part_of_the_document(seed: int) -> None:
    """`dumps_member`: a member's text one level in, as it appears in the whole document."""
    from clxm_meta.export.json_text import dumps_member

    rng = random.Random(seed)
    a, b = random_value(rng), random_value(rng)
    ta, tb = dumps_member(a), dumps_member(b)
    assert ta is not None and tb is not None
    assert f'{{\n  "a": {ta},\n  "b": {tb}\n}}' == reference({"a": a, "b": b})


def test_member_text_of_what_it_leaves_to_json_is_none() -> None:
    from clxm_meta.export.json_text import dumps_member

    assert dumps_member({"x": [1, {2, 3}]}) is None


def test_rocrate_metadata_with_the_context_text_kept(tmp_path: Path) -> None:
    """``ro-crate-metadata.json`` with the context's text made once per process is the text of
    the whole document, for two crates in a row (the kept text is reused)."""
    import clxm_meta
    from clxm_meta.export.biostudies.rocrate import build_rocrate
    from clxm_meta.export.biostudies.rocrate.model import (
        METADATA_NAME,
        rocrate_files,
        rocrate_json,
    )
    from clxm_meta.export.deposit.build import deposition_units

    result = clxm_meta.scan(ROOT / "examples" / "deposition")
    unit = deposition_units(result)[0]
    assert unit.sim is not None
    for sxt in (unit.sxt, None):
        crate = build_rocrate(result, unit.sim, sxt=sxt).document
        want = reference(rocrate_json(crate)) + "\n"
        assert rocrate_files(crate)[METADATA_NAME].decode("utf-8") == want
