"""The RO-Crate through the BioImage Archive's own validator (``bia-ro-crate-validator`` 0.3).

The validator needs Python >= 3.13, so it runs in its own environment, the one
``scripts/validate_rocrate.sh`` makes (``$CLXM_BIA_VENV``, default
``~/.cache/clxm-meta/bia-ro-crate-venv``; ``.ci/run`` makes it before the tests). These tests are
skipped when it is absent; CI validates the example's crate either way.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from clxm_meta.cli import main
from clxm_meta.cli.common import EXIT_OK
from clxm_meta.export.biostudies.rocrate.context import PREFIXES, TERMS
from conftest import EXAMPLE, ROOT, bare, enrich

CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
VENV = Path(os.environ.get("CLXM_BIA_VENV") or CACHE / "clxm-meta" / "bia-ro-crate-venv")
RUNNER = ROOT / "scripts" / "bia_rocrate_offline.py"
CRATE = "biostudies/ro-crate"


@pytest.fixture(scope="module")
def validator() -> Path:
    python = VENV / "bin" / "python"
    if not python.is_file():
        pytest.skip(
            f"no bia-ro-crate-validator environment at {VENV} (scripts/validate_rocrate.sh)"
        )
    probe = subprocess.run(
        [
            str(python),
            "-c",
            "import bia_ro_crate, importlib.util as u; assert u.find_spec('rocrate')",
        ],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip(f"{VENV} holds no bia-ro-crate-validator")
    return python


def _deposit(tree: Path, out: Path, *extra: str) -> Path:
    assert main(["deposit", str(tree), "-o", str(out), "-q", *extra]) == EXIT_OK
    return out / CRATE


@pytest.fixture(scope="module")
def verdicts(validator: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One validator run over four crates (it takes seconds to start): name → its report.

    ``example``: the example's crate; ``incomplete``: a deposit ``--allow-incomplete`` of the
    example without its ``biostudies:`` block; ``remapped``: the example's crate with one BIA
    term mapped to another IRI in its context; ``enriched``: the example with the optional study
    facts (acknowledgements, funding statement, an organisation's ROR and address).
    """
    base = tmp_path_factory.mktemp("crates")
    crates = {"example": _deposit(EXAMPLE, base / "example")}
    tree = base / "tree"
    shutil.copytree(EXAMPLE, tree)
    crates["incomplete"] = _deposit(bare(tree), base / "incomplete", "--allow-incomplete")
    crates["remapped"] = _deposit(EXAMPLE, base / "remapped")
    rich = base / "rich"
    shutil.copytree(EXAMPLE, rich)
    crates["enriched"] = _deposit(enrich(rich), base / "enriched")
    meta = crates["remapped"] / "ro-crate-metadata.json"
    doc = json.loads(meta.read_text(encoding="utf-8"))
    doc["@context"][1]["fiducialsUsed"] = {"@id": "schema:description"}
    meta.write_text(json.dumps(doc), encoding="utf-8")
    run = subprocess.run(
        [str(validator), str(RUNNER), *(str(c) for c in crates.values())],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert run.returncode == 1, run.stdout + run.stderr  # two of the four are bad
    by_path = {str(c): name for name, c in crates.items()}
    out: dict[str, str] = {}
    name = None
    for line in run.stdout.splitlines():
        verdict, _, rest = line.partition(" ")
        path = rest.rsplit(": ", 1)[0] if ": " in rest else ""
        if verdict in ("PASS", "FAIL") and path in by_path:
            name = by_path[path]
            out[name] = f"{verdict} {rest.rsplit(': ', 1)[1]}"
        elif line.startswith("URLs asked for:"):
            name = "urls"
            out[name] = line
        elif name is not None and line.startswith(" "):
            out[name] += "\n" + line
    assert set(out) == {*crates, "urls"}, run.stdout
    return out


def test_the_example_crate_passes(verdicts: dict[str, str]) -> None:
    assert verdicts["example"].startswith("PASS 0 errors, 0 warnings"), verdicts["example"]
    # the RO-Crate 1.1 context came from the local copy, through both transports
    assert "urllib https://w3id.org/ro/crate/1.1/context" in verdicts["urls"]
    assert "requests GET https://w3id.org/ro/crate/1.1/context" in verdicts["urls"]


def test_the_example_with_optional_facts_passes(verdicts: dict[str, str]) -> None:
    assert verdicts["enriched"].startswith("PASS 0 errors, 0 warnings"), verdicts["enriched"]


def test_an_incomplete_crate_fails_with_the_reason(verdicts: dict[str, str]) -> None:
    report = verdicts["incomplete"]
    assert report.startswith("FAIL "), report
    assert "MUST have a `license` property" in report
    assert "MUST have a `description` property" in report


def test_a_remapped_term_fails(verdicts: dict[str, str]) -> None:
    report = verdicts["remapped"]
    assert report.startswith("FAIL "), report
    assert "fiducialsUsed must be mapped to http://bia/fiducialsUsed" in report


def test_our_terms_are_the_validators(validator: Path) -> None:
    """Each term of our context has the IRI and container of the validator's standard context."""
    code = (
        "import json\n"
        "import bia_ro_crate.models.ro_crate_models  # registers the models\n"
        "from bia_ro_crate.models.ro_crate_generator_utils import generate_standard_bia_context\n"
        "ctx = generate_standard_bia_context()\n"
        "print(json.dumps({n: [str(t.full_uri), t.container] for n, t in ctx.terms.items()}))\n"
    )
    run = subprocess.run(
        [str(validator), "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    theirs = json.loads(run.stdout)
    for name, term in TERMS.items():
        assert name in theirs, f"{name} is not a term of the validator's models"
        iri, container = theirs[name]
        assert term.iri == iri, name
        assert term.is_set == (container == "@set"), name
    assert PREFIXES["bia"] == "http://bia/"
