"""Imports point down only: every ``clxm_meta`` module imports its own package or a lower layer.

The layers, top to bottom (docs/architecture.md draws them):

=========  ===============================================================================
cli        the command line (one module per command); may import everything
export     archive documents (EMPIAR, PageTab, spreadsheet, OME, report, deposit folder)
checks     completeness, lint, manifest
dataset    scanning a deposition tree into datasets
sidecar    the depositor's YAML (``api`` and ``pixels`` sit beside it, independent)
normalise  format models -> Table 1 candidates -> records
records    the typed records, Table 1 fields, the typed scan result
readers    one package per format, the registry, shared decoding helpers
base       ``findings``, ``io`` (atomic output, MD5), ``render_html``; below them ``errors``,
           ``unvalidated`` (models built without validation) and ``gcpause``
=========  ===============================================================================

Every import counts: module level, inside functions (lazy imports) and under ``TYPE_CHECKING``.
Packages on one layer (``sidecar | api | pixels``) may not import each other. The root package
``clxm_meta`` is the public facade (it resolves its names lazily from every layer); below it, only
its eagerly defined names (``__version__`` and the error classes) may be imported from it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "clxm_meta"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("__main__",),
    ("cli",),
    ("export",),
    ("checks",),
    ("dataset",),
    ("sidecar", "api", "pixels"),
    ("normalise",),
    ("records",),
    ("readers",),
    ("findings", "io", "render_html"),
    ("errors", "unvalidated", "gcpause"),
)
"""Top to bottom; a tuple holds independent packages of one layer."""

ROOT_NAMES = frozenset(
    {
        "__version__",
        "ClxmMetaError",
        "MalformedFileError",
        "OutputExistsError",
        "SidecarError",
        "UnreadableFileError",
        "UnsupportedFormatError",
    }
)
"""Names any module may import from the root package (defined without importing a layer)."""

_RANK = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}


def _package(module: str) -> str:
    """First component under ``clxm_meta`` (``readers`` for ``clxm_meta.readers.dv.header``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _module_name(path: Path, src: Path) -> str:
    rel = path.relative_to(src.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, module: str) -> list[tuple[int, str, tuple[str, ...]]]:
    """Every ``clxm_meta`` import in ``path`` (module ``module``): line, target, names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found: list[tuple[int, str, tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [
                (node.lineno, a.name, ()) for a in node.names if a.name.startswith("clxm_meta")
            ]
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:  # relative import: resolve against this module's package
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, target] if target else base)
            if target == "clxm_meta" or target.startswith("clxm_meta."):
                found.append((node.lineno, target, tuple(a.name for a in node.names)))
    return found


def _violations(src: Path = SRC) -> list[str]:
    problems = []
    for path in sorted(src.rglob("*.py")):
        module = _module_name(path, src)
        if module == "clxm_meta":
            continue  # the facade
        here = _package(module)
        assert here in _RANK, f"{module}: package {here!r} is on no layer (add it to LAYERS)"
        for line, target, names in _imports(path, module):
            there = _package(target)
            where = f"{path.relative_to(src.parent)}:{line}"
            if there == "":
                extra = sorted(set(names) - ROOT_NAMES)
                if extra:
                    problems.append(f"{where}: imports {extra} from the root package")
                continue
            if there == here:
                continue
            assert there in _RANK, f"{where}: {target} is in no layer"
            if _RANK[there] < _RANK[here]:
                problems.append(f"{where}: {here} imports {target} (a higher layer)")
            elif _RANK[there] == _RANK[here]:
                problems.append(f"{where}: {here} imports {target} (same layer, independent)")
    return problems


def test_every_package_is_on_a_layer() -> None:
    names = {p.stem for p in SRC.glob("*.py")}
    names |= {p.name for p in SRC.iterdir() if (p / "__init__.py").is_file()}
    names.discard("__init__")
    assert sorted(names - set(_RANK)) == []


def test_imports_point_down_only() -> None:
    assert _violations() == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from clxm_meta.dataset.model import X\n", "higher layer"),
        ("def f():\n    from clxm_meta.checks import lint\n", "higher layer"),
        ("from clxm_meta import scan\n", "root package"),
        ("from clxm_meta.api import records_from_files\n", "same layer"),
    ],
)
def test_an_upward_import_is_caught(tmp_path: Path, source: str, expected: str) -> None:
    """The checker itself: an upward import planted in a copy of sidecar is reported."""
    import shutil

    copy = tmp_path / "clxm_meta"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "sidecar" / "planted.py").write_text(source)
    problems = _violations(copy)
    assert len(problems) == 1 and expected in problems[0], problems
