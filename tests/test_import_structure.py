"""Start-up structure: which modules `import clxm_meta`, the CLI and one DV read load.

These tests assert structure (module names in ``sys.modules`` of a fresh interpreter), not time:
a command run on one DV file must not pay for the TIFF/TXRM/MRC readers, the records layer or the
heavy optional stacks. Timing lives in bench/bench_startup.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DV = ROOT / "examples" / "cell1.dv"

HEAVY = (
    "bioio",
    "dask",
    "distributed",
    "jsonschema",
    "mrcfile",
    "olefile",
    "ome_types",
    "openpyxl",
    "rich",
    "tifffile",
    "xsdata",
    "xsdata_pydantic_basemodel",
    "yaml",
)
"""Third-party stacks nothing on the single-DV path needs."""

OTHER_LAYERS = (
    "clxm_meta.checks",
    "clxm_meta.dataset",
    "clxm_meta.export",
    "clxm_meta.normalise",
    "clxm_meta.records",
    "clxm_meta.sidecar",
)
OTHER_READERS = (
    "clxm_meta.readers.mrc",
    "clxm_meta.readers.tiff",
    "clxm_meta.readers.txrm",
    "clxm_meta.readers.imod",
    "clxm_meta.readers.simrecon",
    "clxm_meta.readers.chromatic",
    "clxm_meta.readers.correlation",
)


def _modules_after(code: str) -> set[str]:
    """Names in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _loaded(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    """Loaded modules named by a prefix: a package and its submodules, or (for names that start
    with ``clxm_meta.readers.``) any module beginning so, whether ``readers/mrc_header.py`` or
    ``readers/mrc/header.py``."""

    def hit(module: str, prefix: str) -> bool:
        if prefix.startswith("clxm_meta.readers."):
            return module.startswith(prefix)
        return module == prefix or module.startswith(prefix + ".")

    return sorted(m for m in modules if any(hit(m, p) for p in prefixes))


def test_import_clxm_meta_loads_only_the_package_and_its_errors() -> None:
    modules = _modules_after("import clxm_meta")
    ours = sorted(m for m in modules if m.startswith("clxm_meta"))
    assert ours == ["clxm_meta", "clxm_meta.errors"]
    assert _loaded(modules, ("numpy", "pydantic", "pydantic_core", *HEAVY)) == []
    assert "importlib.metadata" not in modules or "importlib.metadata" in _modules_after("pass")


def test_public_names_still_resolve_and_are_listed() -> None:
    modules = _modules_after(
        "import clxm_meta\n"
        "missing = [n for n in clxm_meta.__all__ if not hasattr(clxm_meta, n)]\n"
        "assert not missing, missing\n"
        "assert set(clxm_meta.__all__) <= set(dir(clxm_meta))\n"
        "assert clxm_meta.read is clxm_meta.readers.registry.read\n"
        "assert isinstance(clxm_meta.__version__, str)"
    )
    assert "clxm_meta.dataset" in modules  # resolved on access


def test_cli_parser_loads_no_library_layer() -> None:
    modules = _modules_after("from clxm_meta.cli import _parser\n_parser()")
    assert _loaded(modules, ("numpy", "pydantic", *HEAVY)) == []
    assert _loaded(modules, ("clxm_meta.readers", *OTHER_LAYERS)) == []


def test_reading_one_dv_loads_the_dv_reader_only() -> None:
    modules = _modules_after(f"import clxm_meta\nclxm_meta.read({str(DV)!r})")
    assert _loaded(modules, ("clxm_meta.readers.dv",)) != []
    assert _loaded(modules, OTHER_READERS) == []
    assert _loaded(modules, OTHER_LAYERS) == []
    assert _loaded(modules, HEAVY) == []
    # no pydantic validator is built (defer_build, models built without validation): building
    # one loads pydantic's plugin registry, which reads every installed distribution's metadata
    assert _loaded(modules, ("pydantic.plugin._loader",)) == []


def test_inspect_command_on_a_dv_loads_the_dv_reader_only() -> None:
    modules = _modules_after(
        "import contextlib, io\n"
        "from clxm_meta.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['inspect', {str(DV)!r}, '--format', 'json'])"
    )
    assert _loaded(modules, OTHER_READERS) == []
    assert _loaded(modules, OTHER_LAYERS) == []
    assert _loaded(modules, HEAVY) == []
    assert _loaded(modules, ("pydantic.plugin._loader",)) == []  # json_data: no serializer built
    assert _loaded(modules, ("difflib",)) == []  # the CLI's hints need it only on an error path


def test_inspect_of_a_dv_without_extended_header_loads_no_numpy(tmp_path: Path) -> None:
    from tests.writers.dv import DvSpec, write_dv

    dv = write_dv(tmp_path / "plain.dv", DvSpec(d_um=(0.08, 0.08, 0.125)))
    modules = _modules_after(
        "import contextlib, io\n"
        "from clxm_meta.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['inspect', {str(dv)!r}])"
    )
    assert _loaded(modules, ("numpy", "pydantic.plugin._loader")) == []
    assert _loaded(modules, ("clxm_meta.readers.dv.extended_header",)) == []


@pytest.mark.parametrize("fmt", ["mrc", "txrm", "ome-tiff", "imagej-tiff"])
@pytest.mark.parametrize("output", ["text", "json"])
def test_inspect_of_other_formats_builds_no_validator(
    tmp_path: Path, fmt: str, output: str
) -> None:
    """MRC, TXRM and TIFF models are built without validation and printed without pydantic's
    serializer, so an ``inspect`` run never imports the plugin loader (which reads every installed
    distribution's metadata: the larger part of the start-up cost it used to add)."""
    from tests.writers.mrc import serialem_label, write_mrc
    from tests.writers.tiff import fluorescence_ome, write_imagej, write_ome_tiff
    from tests.writers.txrm import write_txrm

    path = {
        "mrc": lambda: write_mrc(
            tmp_path / "ts.st",
            shape=(3, 4, 4),
            labels=[serialem_label("SerialEM: Acquired on Tecnai")],
            tilt_angles=[-30.0, 0.0, 30.0],
        ),
        "txrm": lambda: write_txrm(tmp_path / "ts.txrm", mosaic=(2, 2), angles=[0.0] * 4),
        "ome-tiff": lambda: write_ome_tiff(tmp_path / "c.ome.tif", fluorescence_ome()),
        "imagej-tiff": lambda: write_imagej(tmp_path / "s.tif"),
    }[fmt]()
    modules = _modules_after(
        "import contextlib, io\n"
        "from clxm_meta.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['inspect', {str(path)!r}, '--format', {output!r}])"
    )
    assert _loaded(modules, ("pydantic.plugin._loader",)) == []
