"""Every output of a format model, each from a fresh read: what the lazy-vs-eager tests compare.

A model whose reader leaves fields to first use (`clxm_meta.readers.deferred.DeferredModel`)
settles them whichever way it is first used; each output below comes from its own fresh read,
so each way of settling is exercised on its own.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import clxm_meta
from clxm_meta.cli import main
from clxm_meta.errors import ClxmMetaError
from clxm_meta.normalise.build import candidates_for
from clxm_meta.readers.json_data import json_data

Read = Callable[[], Any]


def inspect_output(path: Path, fmt: str) -> str:
    """Exit code and standard output of ``clxm-meta inspect PATH --format FMT``."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["inspect", str(path), "--format", fmt])
    return f"{code}\n{out.getvalue()}"


def strict_output(path: Path) -> str:
    try:
        return clxm_meta.read(path, strict=True).model_dump_json()
    except ClxmMetaError as exc:
        return f"{type(exc).__name__}: {exc}"


def outputs(path: Path, specific: Callable[[Read], dict[str, Any]]) -> dict[str, Any]:
    """The outputs every format model has, and the format's own (``specific(read)``)."""
    read: Read = lambda: clxm_meta.read(path)  # noqa: E731
    try:
        first = read()
    except ClxmMetaError as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {
        "json": first.model_dump_json(indent=1),
        "dump": repr(read().model_dump()),
        "dump_unset": repr(read().model_dump(exclude_unset=True)),
        "json_data": json.dumps(json_data(read())),
        "repr": repr(read()),
        "str": str(read()),
        "findings": [f.model_dump() for f in read().findings],
        "pickle": pickle.loads(pickle.dumps(read())).model_dump_json(),
        "copy": copy.copy(read()).model_dump_json(),
        "deepcopy": copy.deepcopy(read()).model_dump_json(),
        "model_copy": read().model_copy().model_dump_json(),
        "iter": repr(dict(read())),
        "fields_set": sorted(read().model_fields_set),
        "candidates": repr(candidates_for(read())),
        "strict": strict_output(path),
        "inspect_text": inspect_output(path, "text"),
        "inspect_json": inspect_output(path, "json"),
        **specific(read),
    }
