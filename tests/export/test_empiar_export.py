"""The EMPIAR deposition JSON: built from the example tree, validated against the real schema."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import clxm_meta
from clxm_meta.export.empiar.build import EMPIAR_MAPPING, build_empiar, experiment_type
from clxm_meta.export.empiar.codes import CODED_PATTERNS, coded, other, upper_text
from clxm_meta.export.empiar.imagesets import voxel_code
from clxm_meta.export.empiar.model import EmpiarDeposition
from clxm_meta.export.empiar.people import initials, split_text_name
from clxm_meta.records.fields import DatasetKind, fields_for
from clxm_meta.sidecar import load_sidecar
from clxm_meta.sidecar.countries import EMPIAR_COUNTRIES
from conftest import SHARED

SCHEMA_DIR = SHARED / "schemas" / "empiar-depositor"
SXT = "sample1/SXT/ts1"


def _schema() -> dict[str, Any]:
    path = SCHEMA_DIR / "empiar_deposition.schema.json"
    if not path.is_file():
        pytest.skip("../shared/schemas/empiar-depositor not available")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _schema_errors(doc: dict[str, Any]) -> list[str]:
    from jsonschema import Draft7Validator, FormatChecker

    validator = Draft7Validator(_schema(), format_checker=FormatChecker())
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(doc)]


def _edit(tree: Path, old: str, new: str) -> None:
    path = tree / "clxm.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _build(tree: Path) -> Any:
    return build_empiar(clxm_meta.scan(tree), SXT)


# --- the example deposition --------------------------------------------------------------------


def test_example_builds_complete_and_validates_against_the_real_schema(tree: Path) -> None:
    export = _build(tree)
    assert export.missing == []
    doc = export.document
    assert _schema_errors(doc) == []
    assert doc["experiment_type"] == 8  # the SXT dataset is paired with a SIM dataset
    assert doc["release_date"] == "HP"  # sidecar HPUB
    assert doc["scale"] == "3"
    assert doc["title"] == "Example cryo-SXT tilt series of synthetic cell 1"
    assert doc["authors"] == [
        {"name": "('Carberry', 'J')", "order_id": 0, "author_orcid": "0000-0002-1825-0097"}
    ]
    assert doc["corresponding_author"]["country"] == "GB"
    assert doc["principal_investigator"][0]["email"] == "j.carberry@example.org"
    assert doc["citation"][0]["published"] is False
    assert "biostudies_references" not in doc  # no S-BIAD accession in the sidecar yet


def test_imagesets_tilt_series_and_volume(tree: Path) -> None:
    tilt, volume = _build(tree).document["imagesets"]
    assert tilt["category"] == "('T9', '')"
    assert tilt["header_format"] == tilt["data_format"] == "('OT', 'TXRM')"
    assert tilt["voxel_type"] == "('T3', '')"  # uint16
    assert tilt["directory"] == "/data/sample1/SXT"
    assert (tilt["num_images_or_tilt_series"], tilt["frames_per_image"]) == (1, 61)
    assert (tilt["image_width"], tilt["image_height"]) == (8, 8)
    assert tilt["pixel_width"] == tilt["pixel_height"] == 100.0  # 0.01 µm in Å
    assert volume["category"] == "('T13', '')"
    assert volume["header_format"] == "('T1', '')"
    assert volume["voxel_type"] == "('T7', '')"  # float32
    assert volume["frames_per_image"] == 8
    assert volume["pixel_width"] == 200.0  # binned by 2
    details = tilt["details"].splitlines()
    assert "Energy: 500 eV (61 images)" in details
    assert "Zone plate: ZP 25 nm" in details
    assert "Magnification: X-ray 1300×, optical 20×" in details
    assert "Tilt range: -60° to 60°" in details
    assert "Tilt step: 2°" in details
    assert "Exposure: 1 s (constant, 61 images)" in details
    assert any(line.startswith("Pixel size: 100 × 100 Å (0.01 × 0.01 µm)") for line in details)
    vdetails = volume["details"].splitlines()
    assert "Alignment residual error: mean 0.412 pixels, sd 0.231 pixels" in vdetails
    assert "Reconstruction software: IMOD 4.11.12" in vdetails
    assert "Reconstruction protocol: reconstruction WBP" in vdetails


def test_the_sim_accession_goes_to_biostudies_references(tree: Path) -> None:
    _edit(
        tree,
        "    general.title: Example cryo-SXT tilt series of synthetic cell 1\n",
        "    general.title: Example cryo-SXT tilt series of synthetic cell 1\n"
        "    related.accessions: [S-BIAD19]\n",
    )
    export = _build(tree)
    assert export.missing == []
    doc = export.document
    assert doc["biostudies_references"] == [{"name": "S-BIAD19"}]
    assert "cross_references" not in doc  # EMDB ids only
    assert (
        "BioStudies accession of the paired cryo-SIM data: S-BIAD19"
        in (doc["imagesets"][0]["details"])
    )
    assert _schema_errors(doc) == []


def test_accession_given_on_the_sim_dataset_is_found_too(tree: Path) -> None:
    _edit(
        tree,
        "    sample.fluorophores:",
        "    related.accessions: [S-BIAD19]\n    sample.fluorophores:",
    )
    assert _build(tree).document["biostudies_references"] == [{"name": "S-BIAD19"}]


def test_unpaired_sxt_dataset_is_experiment_type_1(tree: Path) -> None:
    shutil.rmtree(tree / "sample1" / "SIM")
    _edit(
        tree,
        "  sample1/SIM/cell1:\n    kind: SIM\n    general.title: Example cryo-SIM of synthetic cell 1\n"
        "    sample.fluorophores: [synthetic 488 nm dye, synthetic 561 nm dye]\n",
        "",
    )
    result = clxm_meta.scan(tree)
    assert experiment_type(result, SXT) == 1
    export = build_empiar(result, SXT)
    assert export.document["experiment_type"] == 1
    assert "Correlative" not in export.document["imagesets"][0]["details"]


def test_a_sim_dataset_is_refused(tree: Path) -> None:
    with pytest.raises(KeyError, match="SIM dataset"):
        build_empiar(clxm_meta.scan(tree), "sample1/SIM/cell1")
    with pytest.raises(KeyError):
        build_empiar(clxm_meta.scan(tree), "no/such/dataset")


# --- missing values ----------------------------------------------------------------------------


def test_missing_values_name_who_and_the_sidecar_key(tree: Path) -> None:
    _edit(tree, "      email: j.carberry@example.org\n", "")
    _edit(tree, "      country: GB\n", "")
    _edit(tree, "release_instruction: HPUB\n", "")
    _edit(tree, "  status: unpublished\n", "")
    export = _build(tree)
    by_key = {m.key: m for m in export.missing}
    assert by_key["corresponding_author.email"].where == "sidecar key all.general.people[0].email"
    assert (
        by_key["corresponding_author.country"].where == "sidecar key all.general.people[0].country"
    )
    assert by_key["principal_investigator[0].email"].who == "depositor"
    assert by_key["release_date"].where.startswith("sidecar key release_instruction")
    assert by_key["citation[0].published"].where == "sidecar key citation.status"
    # what could be filled is still there
    assert export.document["title"].startswith("Example")
    assert "corresponding_author" not in export.document
    assert "all.general.people[0].email" in str(by_key["corresponding_author.email"])


def test_no_people_no_split_name_no_citation(tree: Path) -> None:
    _edit(tree, "      first_name: Josiah\n      last_name: Carberry\n", "")
    _edit(
        tree,
        "citation:\n  status: unpublished\n"
        "  title: Correlative cryo-SIM and cryo-SXT of a synthetic example cell\n",
        "",
    )
    export = _build(tree)
    keys = {m.key for m in export.missing}
    # "Josiah Carberry" is not split by guessing
    assert "authors[0].name" in keys
    assert "corresponding_author.first_name, last_name" in keys
    assert {"citation[0].published", "citation[0].title"} <= keys
    where = next(m.where for m in export.missing if m.key == "authors[0].name")
    assert "all.general.people[0].last_name" in where


def test_short_title_is_reported(tree: Path) -> None:
    _edit(
        tree,
        "general.title: Example cryo-SXT tilt series of synthetic cell 1",
        "general.title: Short",
    )
    [miss] = [m for m in _build(tree).missing if m.key == "title"]
    assert "10–255" in miss.label and miss.where == f"sidecar key datasets.{SXT}.general.title"


def test_comma_name_is_split_and_citation_authors_parsed(tree: Path) -> None:
    _edit(tree, "      first_name: Josiah\n      last_name: Carberry\n", "")
    _edit(tree, "    - name: Josiah Carberry\n", "    - name: Carberry, Josiah Stinkney\n")
    _edit(tree, "  status: unpublished\n", "  status: published\n  authors: ['Carberry, JS']\n")
    export = _build(tree)
    assert export.missing == []
    assert export.document["authors"][0]["name"] == "('Carberry', 'JS')"
    assert export.document["corresponding_author"]["first_name"] == "Josiah Stinkney"
    assert export.document["citation"][0]["authors"][0]["name"] == "('Carberry', 'JS')"
    assert export.document["citation"][0]["published"] is True


# --- sidecar validation -------------------------------------------------------------------------


def test_bad_email_country_and_citation_values_are_line_numbered_errors(tree: Path) -> None:
    _edit(tree, "j.carberry@example.org", "j.carberry at example")
    _edit(tree, "      country: GB\n", "      country: UK\n")
    _edit(tree, "  status: unpublished\n", "  status: submitted\n  year: 20\n")
    sc = load_sidecar(tree / "clxm.yaml")
    codes = {f.code: f for f in sc.findings}
    assert codes["sidecar.bad_email"].locator.startswith("line ")
    assert "did you mean GB" in codes["sidecar.bad_country"].message
    bad = [f.message for f in sc.findings if f.code == "sidecar.bad_value"]
    assert any("citation.status" in m for m in bad) and any("citation.year" in m for m in bad)
    lines = (tree / "clxm.yaml").read_text(encoding="utf-8").splitlines()
    line = int(codes["sidecar.bad_email"].locator.split()[1])
    assert "email" in lines[line - 1]


def test_empiar_scale_words_and_unknown_keys(tree: Path) -> None:
    _edit(tree, "  scale: cell\n", "  scale: tissue\n  scael: 3\n")
    sc = load_sidecar(tree / "clxm.yaml")
    assert sc.empiar is not None and sc.empiar.scale == "4"
    assert any("empiar.scael" in f.message for f in sc.findings)
    assert _build(tree).document["scale"] == "4"


# --- model, code lists and schema quirks ---------------------------------------------------------


def test_mapping_covers_every_sxt_row() -> None:
    ids = {s.id for s in fields_for(DatasetKind.SXT)}
    assert set(EMPIAR_MAPPING) == ids
    assert EMPIAR_MAPPING["setup.energy"] == "details"
    assert EMPIAR_MAPPING["general.title"] == "title"


def test_apostrophe_in_a_surname_is_accepted_as_the_schema_does(tree: Path) -> None:
    # issue 18: EMPIAR's own schema accepts ('O'Carberry', 'J') (its name patterns exclude only
    # digits and !"£$%^&*()), so an ASCII apostrophe is not a missing value
    _edit(tree, "      last_name: Carberry\n", "      last_name: O'Carberry\n")
    export = _build(tree)
    assert "authors.0.name" not in {m.key for m in export.missing}
    assert export.document["authors"][0]["name"] == "('O'Carberry', 'J')"
    assert export.document["corresponding_author"]["last_name"] == "O'Carberry"


def test_template_has_each_block_once(tree: Path) -> None:
    from clxm_meta.sidecar import render_template

    text = render_template(clxm_meta.scan(tree))
    for block in ("citation:", "empiar:", "biostudies:", "pairs:", "all:"):
        assert sum(line == block for line in text.splitlines()) == 1, block


def test_docs_name_every_mapped_row() -> None:
    from conftest import ROOT

    text = (ROOT / "docs" / "empiar.md").read_text(encoding="utf-8")
    for fid, target in EMPIAR_MAPPING.items():
        assert f"| `{fid}` |" in text, fid
        if target != "details":
            assert f"| `{fid}` | details" not in text, fid


def test_coded_values_and_words() -> None:
    assert coded("T9") == "('T9', '')"
    assert other(upper_text(".txrm")) == "('OT', 'TXRM')"
    assert voxel_code("64-bit float") == "('OT', '64 BIT FLOAT')"
    assert voxel_code("signed 16-bit integer") == "('T4', '')"
    assert voxel_code("unsigned 8-bit integer") == "('T1', '')"
    assert not CODED_PATTERNS["voxel_type"].fullmatch("('T10', '')")  # T1–T9 only
    assert not CODED_PATTERNS["header_format"].fullmatch("('OT', 'txrm')")  # capitals only
    assert initials("Yi-Wei") == "YW" and initials("J. R. R.") == "JRR" and initials("JW") == "JW"
    assert split_text_name("de la Cruz, María") is not None
    assert split_text_name("María de la Cruz") is None


def _example_doc() -> dict[str, Any]:
    path = SCHEMA_DIR / "working_example.json"
    if not path.is_file():
        pytest.skip("../shared/schemas/empiar-depositor not available")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_the_schema_working_example_passes_both_validators() -> None:
    doc = _example_doc()
    assert _schema_errors(doc) == []
    model = EmpiarDeposition.model_validate(doc)
    assert _schema_errors(model.document()) == []


@pytest.mark.parametrize(
    ("mutate", "schema_accepts"),
    [
        # the schema's code patterns have no outer group: trailing junk passes it
        (lambda d: d["imagesets"][0].update(category="('T9', '') junk"), True),
        # no additionalProperties: false, so a misspelt key passes silently
        (lambda d: d.update(titel="typo"), True),
        (lambda d: d["imagesets"][0].update(voxel_typ="('T5', '')"), True),
        # initials must be capitals: the regex lets lower case through
        (lambda d: d["authors"][0].update(name="('Smith', 'jw')"), True),
        # the ORCID check digit is asked for in words only
        (lambda d: d["authors"][0].update(author_orcid="0000-0002-1825-0098"), True),
        # countries: UK is not a code
        (lambda d: d["corresponding_author"].update(country="UK"), False),
        # principal_investigator is an array
        (lambda d: d.update(principal_investigator=d["corresponding_author"]), False),
    ],
)
def test_our_model_is_stricter_than_the_schema(mutate: Any, schema_accepts: bool) -> None:
    doc = copy.deepcopy(_example_doc())
    mutate(doc)
    assert (_schema_errors(doc) == []) is schema_accepts
    with pytest.raises(ValidationError):
        EmpiarDeposition.model_validate(doc)


def test_country_codes_match_the_schema() -> None:
    props = _schema()["properties"]
    assert set(props["corresponding_author"]["properties"]["country"]["enum"]) == EMPIAR_COUNTRIES
    assert "UK" not in EMPIAR_COUNTRIES and "GB" in EMPIAR_COUNTRIES


def test_code_lists_match_the_schema() -> None:
    import re

    from clxm_meta.export.empiar.codes import EXPERIMENT_TYPES, RELEASE_CODES

    props = _schema()["properties"]
    assert set(props["experiment_type"]["enum"]) == set(EXPERIMENT_TYPES)
    assert set(props["release_date"]["enum"]) == set(RELEASE_CODES.values())
    items = props["imagesets"]["items"]["properties"]
    for key, pattern in CODED_PATTERNS.items():
        schema_re = re.compile(items[key]["pattern"])
        for n in range(1, 16):
            value = coded(f"T{n}")
            assert bool(pattern.fullmatch(value)) == bool(schema_re.search(value)), (key, n)
