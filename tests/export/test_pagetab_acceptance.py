"""The submission tool's PageTab checks, ported: rules read from the tool's own template file.

``../shared/schemas/biostudies-submission-tool/`` holds the tool's ``BioImages.v5.json.ts`` and its
two validators; tests parse the template ``.ts`` (`ts_template`) and skip when it is absent.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from ts_template import read_template, validator_view

import clxm_meta
from clxm_meta.export.biostudies.acceptance import (
    acceptance_findings,
    acceptance_problems,
    validate_structure,
    validate_template,
)
from clxm_meta.export.biostudies.pagetab import build_pagetab, pagetab_json
from clxm_meta.export.biostudies.template_rules import BIOIMAGES_V5
from clxm_meta.findings import Severity
from conftest import EXAMPLE, SHARED

SIM = "sample1/SIM/cell1"
SXT = "sample1/SXT/ts1"
TOOL = SHARED / "schemas" / "biostudies-submission-tool"
V5_REAL = SHARED / "schemas" / "bia-integrator" / "v5-real"


def tool_template(name: str = "BioImages.v5") -> dict[str, Any]:
    path = TOOL / f"{name}.json.ts"
    if not path.is_file():
        pytest.skip(f"{path.name} (../shared/schemas) not available")
    return read_template(path)


@pytest.fixture(scope="module")
def example_json() -> dict[str, Any]:
    return pagetab_json(build_pagetab(clxm_meta.scan(EXAMPLE), SIM, sxt=SXT).document)


@pytest.mark.shared
def test_rules_are_the_templates_own() -> None:
    assert validator_view(tool_template()) == BIOIMAGES_V5


@pytest.mark.shared
def test_example_passes_the_tools_rules_read_from_the_ts(example_json: dict[str, Any]) -> None:
    assert validate_structure(example_json) == []
    assert validate_template(example_json, tool_template()) == []
    assert acceptance_problems(example_json) == []


@pytest.mark.shared
def test_v4_document_names_the_v4_template_and_is_not_v5() -> None:
    doc = pagetab_json(
        build_pagetab(clxm_meta.scan(EXAMPLE), SIM, sxt=SXT, template="BioImages.v4").document
    )
    problems = validate_template(doc, tool_template())  # what v5 would say of it
    messages = {p.message for p in problems}
    assert 'Custom subsection type "author" is not allowed in this template' in messages


@pytest.mark.shared
@pytest.mark.parametrize("name", ["S-BIAD2225_original.json", "S-BIAD2808_original.json"])
def test_real_v5_submissions(name: str) -> None:
    """On what the archive received, the port flags only its contact sections: the tool's editor
    writes ``E-mail``, ``affiliation`` and ``organisation``, which its own Direct Upload check (and
    this port) refuses; every REMBI section passes."""
    path = V5_REAL / name
    if not path.is_file():
        pytest.skip("real v5 submissions not available")
    data = json.loads(path.read_text())
    assert validate_structure(data) == []
    problems = validate_template(data, tool_template())
    assert problems
    for p in problems:
        assert p.path is not None
        assert ("Author]" in p.path and p.field in ("E-mail", "affiliation")) or (
            p.message == 'Custom subsection type "organisation" is not allowed in this template'
        ), p


def _study(doc: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(s for s in doc["section"]["subsections"] if s["type"] == kind)


def test_each_rule_names_section_and_attribute(example_json: dict[str, Any]) -> None:
    doc = copy.deepcopy(example_json)
    doc["section"]["attributes"].append({"name": "Organism", "value": "human"})
    doc["section"]["attributes"] = [
        a for a in doc["section"]["attributes"] if a["name"] != "License"
    ]
    _study(doc, "Author")["attributes"][2]["value"] = "o9"  # the Organisation reference
    _study(doc, "Biosample")["type"] = "biosample"
    doc["section"]["files"] = [{"path": "a.dv"}]
    found = {(p.message, p.path) for p in acceptance_problems(doc)}
    assert (
        'Custom attribute "Organism" is not allowed in this template',
        "submission.section.attributes[Organism]",
    ) in found
    assert ('Required field "License" is missing', "submission.section.attributes") in found
    assert any(
        m == 'Reference attribute "Organisation" references non-existent accno "o9"'
        and p.endswith("- Author].attributes[Organisation]")
        for m, p in found
    )
    assert any(m.startswith('Custom subsection type "biosample"') for m, _ in found)
    assert any(m == "Files are not allowed in this template" for m, _ in found)


def test_required_field_missing_in_a_rembi_section(example_json: dict[str, Any]) -> None:
    doc = copy.deepcopy(example_json)
    cor = _study(doc, "Image correlation")
    cor["attributes"] = [
        a for a in cor["attributes"] if a["name"] != "Spatial and temporal alignment"
    ]
    [p] = acceptance_problems(doc)
    assert p.message == 'Required field "Spatial and temporal alignment" is missing'
    assert p.path is not None and "Image correlation]" in p.path
    [f] = acceptance_findings(doc, SIM)
    assert f.severity is Severity.ERROR and f.code == "biostudies.not_accepted"
    assert f.field == "Spatial and temporal alignment"
    [w] = acceptance_findings(doc, SIM, missing_is_error=False)
    assert w.severity is Severity.WARNING


def test_structure_rules() -> None:
    bad = {
        "type": "submission",
        "attributes": [{"value": "x"}],
        "section": {
            "attributes": "not a list",
            "subsections": [[{"type": "A", "links": [{"attributes": []}]}], 3],
            "files": [{"size": 1}],
        },
    }
    messages = [str(p) for p in validate_structure(bad)]
    assert "Section at section must have a 'type' property of type string (at section)" in messages
    assert "Attributes at section must be an array (at section)" in messages
    assert (
        "Link must have a 'url' property of type string (at section.subsections[0][0 - A]"
        ".links[0 - Link])" in messages
    )
    assert "Section at section.subsections[1 - unknown] must be an object" in " ".join(messages)
    assert (
        "File must have a 'path' property of type string (at section.files[0 - File])" in messages
    )
    assert (
        "Attribute at root.attributes[0] must have a 'name' property of type string "
        "(at root.attributes[0])" in messages
    )
    assert validate_structure([]) and validate_structure({"type": "submission"})


def test_unknown_template_has_no_rules(example_json: dict[str, Any]) -> None:
    with pytest.raises(KeyError):
        acceptance_problems(example_json, "Default.v2")


def test_check_reports_nothing_on_the_example(capsys) -> None:  # type: ignore[no-untyped-def]
    from clxm_meta.cli import main

    main(["check", str(EXAMPLE)])
    out = capsys.readouterr().out
    assert "biostudies." not in out


def test_deposit_refuses_a_broken_rule(tree: Path, tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """A rule broken by the document (here: a builder made to write a custom Study attribute) is
    listed with its section and attribute, and nothing is written."""
    from clxm_meta.cli import main
    from clxm_meta.export.biostudies import pagetab_v5

    real_study = pagetab_v5.BuilderV5.study

    def study(self, title):  # type: ignore[no-untyped-def]
        st = real_study(self, title)
        st.add("Imaging method", "SIM")
        return st

    monkeypatch.setattr(pagetab_v5.BuilderV5, "study", study)
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert 'Custom attribute "Imaging method" is not allowed in this template' in err
    assert "[submission.section.attributes[Imaging method]]" in err
    assert not out.exists()


@pytest.mark.shared
def test_v4_document_against_the_tools_v4_template() -> None:
    """The earlier document, kept as it was, would not pass the tool's check for v4 either (its
    Direct Upload page validates v4 submissions against BioImages.v4.json.ts): recorded here."""
    doc = pagetab_json(
        build_pagetab(clxm_meta.scan(EXAMPLE), SIM, sxt=SXT, template="BioImages.v4").document
    )
    problems = validate_template(doc, validator_view(tool_template("BioImages.v4")))
    assert sorted(p.message for p in problems) == [
        'Custom subsection type "author" is not allowed in this template',
        'Custom subsection type "organization" is not allowed in this template',
        'Required field "Imaging method" is missing',
        'Required field "Organism" is missing',
        'Required field "ReleaseDate" is missing',
    ]
