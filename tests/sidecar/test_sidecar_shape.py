"""A sidecar that shows its shape: structured rows with their keys, errors that say the keys,
strings parsed when unambiguous, "did you mean", and regeneration that keeps every value."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import clxm_meta
from clxm_meta.cli import main
from clxm_meta.records.provenance import SourceKind
from clxm_meta.sidecar import load_sidecar, render_template
from clxm_meta.sidecar.messages import did_you_mean


def test_template_writes_every_structured_row_with_its_keys_and_units(tree: Path) -> None:
    (tree / "clxm.yaml").unlink()
    text = render_template(clxm_meta.scan(tree))
    data = yaml.safe_load(text)
    sim = data["datasets"]["sample1/SIM/cell1"]
    assert set(sim["setup.objective"]) >= {
        "manufacturer",
        "model",
        "na",
        "magnification",
        "immersion",
        "serial_number",
    }
    assert all(v is None for v in sim["setup.objective"].values())
    assert "      working_distance_mm: null  # mm" in text
    sxt = data["datasets"]["sample1/SXT/ts1"]
    assert sxt["acquisition.overlaps"] == {"rows": None, "columns": None, "overlap_fraction": None}
    assert set(data["all"]["general.people"][0]) >= {"name", "orcid", "email", "country", "ror"}
    # the correlation transform of the pair is in the template, per sample
    assert "correlation.transform" in data["samples"]["sample1"]
    # and the unfilled template loads without a single finding
    (tree / "clxm.yaml").write_text(text)
    assert load_sidecar(tree / "clxm.yaml").findings == []


def test_regeneration_keeps_every_value_of_the_old_sidecar(tree: Path, tmp_path: Path) -> None:
    old = yaml.safe_load((tree / "clxm.yaml").read_text())
    matrix = [[1.0, 0.0, 0.0, 1.5], [0.0, 1.0, 0.0, 2.5], [0.0, 0.0, 1.0, 3.5]]
    old["samples"]["sample1"]["correlation.transform"] = [
        {"matrix": matrix, "description": "landmarks", "source_space": "SIM", "target_space": "SXT"}
    ]
    old["datasets"]["sample1/SXT/ts1"]["release_instruction"] = "HOLD"
    old["datasets"]["sample1/SXT/ts1"]["processing.fsc_cutoff"] = "0.143"  # a file row, overridden
    old["samples"]["sample1"]["sample.fiducials"] = "none"
    old["facility"] = "diamond-b24"
    (tree / "clxm.yaml").write_text(yaml.safe_dump(old, sort_keys=False))
    new = tmp_path / "new.yaml"
    assert (
        main(["-q", "sidecar", str(tree), "--sidecar", str(tree / "clxm.yaml"), "-o", str(new)])
        == 0
    )
    data = yaml.safe_load(new.read_text())
    kept = data["samples"]["sample1"]["correlation.transform"][0]
    assert kept["matrix"] == matrix and kept["description"] == "landmarks"
    assert data["datasets"]["sample1/SXT/ts1"]["release_instruction"] == "HOLD"
    assert data["datasets"]["sample1/SXT/ts1"]["processing.fsc_cutoff"] == "0.143"
    assert data["facility"] == "diamond-b24" and data["release_instruction"] == "HPUB"
    # every entry of the old sidecar has the same value in the new one
    before, after = load_sidecar(tree / "clxm.yaml"), load_sidecar(new)
    values = {(e.scope, e.target, e.field): e.value for e in after.entries}
    sample_of = {"sample1/SIM/cell1": "sample1", "sample1/SXT/ts1": "sample1"}
    for e in before.entries:
        same_place = values.get((e.scope, e.target, e.field))
        moved = [
            v
            for (s, t, f), v in values.items()
            if f == e.field and (e.scope == "all" or sample_of.get(t or "") == e.target)
        ]
        assert same_place == e.value or e.value in moved, e.key
    assert before.citation == after.citation or before.citation.title == after.citation.title  # type: ignore[union-attr]
    res = clxm_meta.scan(tree, sidecar=new)
    rec = res.record("sample1/SIM/cell1")
    assert rec.correlation.transform is not None
    assert rec.correlation.transform.source.kind is SourceKind.SIDECAR


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("all:\n  title: A\n", "'title' is not a Table 1 row (did you mean `general.title`?)"),
        ("all:\n  general.tittle: A\n", "(did you mean `general.title`?)"),
        ("titel: A\n", "unknown top-level key 'titel' (did you mean `general.title`?)"),
        ("releaseinstruction: HPUB\n", "(did you mean `release_instruction`?)"),
        ("citation:\n  tittle: A\n", "citation.tittle: unknown key (did you mean `title`?)"),
        (
            "biostudies:\n  licence: CC0\n",
            "biostudies.licence: unknown key (did you mean `license`?)",
        ),
    ],
)
def test_unknown_keys_get_did_you_mean(tmp_path: Path, yaml_text: str, expected: str) -> None:
    path = tmp_path / "clxm.yaml"
    path.write_text(yaml_text)
    messages = [f.message for f in load_sidecar(path).findings]
    assert any(expected in m for m in messages), messages


def test_did_you_mean_stays_quiet_when_nothing_is_close() -> None:
    assert did_you_mean("zebrafish", ["general.title", "general.people"]) == ""


def test_a_wrong_value_says_the_keys_and_types_with_an_example(tmp_path: Path) -> None:
    path = tmp_path / "clxm.yaml"
    path.write_text(
        "all:\n"
        "  acquisition.detector_settings: [1, 2]\n"
        "  setup.field_of_view: {x: wide}\n"
        "  setup.objective: {focal: 3}\n"
    )
    by_line = {f.locator: f.message for f in load_sidecar(path).findings}
    msg = by_line["line 2"]
    assert "Input should be a valid dictionary" not in msg
    assert "got a list, expected a mapping {binning: text, gain: number" in msg
    assert "temperature_c: number (°C)" in msg and "e.g. {binning: 1x1" in msg
    assert "at x: expected a mapping {x: number, y: number, z: number}, e.g." in by_line["line 3"]
    assert "focal" in by_line["line 4"] and "manufacturer: text" in by_line["line 4"]


@pytest.mark.parametrize(
    ("row", "text", "value"),
    [
        (
            "setup.objective",
            "Nikon 100x/0.9 NA air",
            {"manufacturer": "Nikon", "magnification": 100.0, "na": 0.9, "immersion": "air"},
        ),
        (
            "setup.objective",
            "Olympus 60X 1.4 NA oil",
            {"manufacturer": "Olympus", "magnification": 60.0, "na": 1.4, "immersion": "oil"},
        ),
        ("setup.objective", "NA 0.9, dry", {"na": 0.9, "immersion": "air"}),
        ("setup.pixel_size", "0.08 x 0.08 x 0.125", {"x": 0.08, "y": 0.08, "z": 0.125}),
        ("processing.software", "cudasirecon 1.2.3", {"name": "cudasirecon", "version": "1.2.3"}),
    ],
)
def test_an_unambiguous_string_is_read_as_the_structure(
    tmp_path: Path, row: str, text: str, value: dict[str, object]
) -> None:
    path = tmp_path / "clxm.yaml"
    path.write_text(yaml.safe_dump({"datasets": {"d": {"kind": "SIM", row: text}}}))
    sc = load_sidecar(path)
    assert sc.findings == []
    assert sc.entries[0].value == value


@pytest.mark.parametrize(
    "text", ["Nikon 100x 60x", "a good one", "Nikon 100x/0.9 with a cap", "0.08"]
)
def test_an_ambiguous_string_is_refused_with_the_keys(tmp_path: Path, text: str) -> None:
    path = tmp_path / "clxm.yaml"
    row = "setup.pixel_size" if text == "0.08" else "setup.objective"
    path.write_text(yaml.safe_dump({"datasets": {"d": {"kind": "SIM", row: text}}}))
    sc = load_sidecar(path)
    assert sc.entries == []
    (finding,) = sc.findings
    assert finding.code == "sidecar.bad_value"
    assert "cannot be read as the row's keys: expected a mapping {" in finding.message


def test_every_rows_example_fits_the_row() -> None:
    from clxm_meta.records.fields import DatasetKind, fields_for
    from clxm_meta.sidecar.shape import _fits, example

    for kind in DatasetKind:
        for spec in fields_for(kind):
            assert _fits(kind, spec.id, example(kind, spec.id)), (kind, spec.id)


def test_the_documented_full_example_loads_without_a_finding(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "sidecar.md").read_text()
    block = doc.split("<!-- full-example -->\n```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "clxm.yaml"
    path.write_text(block)
    sc = load_sidecar(path)
    assert sc.findings == []
    assert sc.facility == "diamond-b24" and sc.citation is not None
    assert sc.citation.author_orcids == ["0000-0002-1825-0097", None]
    rows = {e.field for e in sc.entries}
    from clxm_meta.records.fields import fields_for
    from clxm_meta.sidecar.template import ALL_ROWS, SAMPLE_TEMPLATE_ROWS, template_rows

    offered = {*ALL_ROWS, *SAMPLE_TEMPLATE_ROWS}
    for kind in ("SIM", "SXT"):
        offered |= {s.id for s in template_rows(fields_for(kind))}
    assert offered <= rows  # every row the template offers is shown filled


def test_unknown_dataset_and_sample_names_get_did_you_mean(tree: Path) -> None:
    (tree / "clxm.yaml").write_text(
        "samples:\n  sampel1: {sample.carrier: grid}\n"
        "datasets:\n  sample1/SIM/cel1: {general.title: T}\n"
    )
    messages = [f.message for f in clxm_meta.scan(tree).all_findings()]
    assert any(
        "'sampel1' is not a sample of this tree (did you mean `sample1`?)" in m for m in messages
    )
    assert any("(did you mean `sample1/SIM/cell1`?)" in m for m in messages)
