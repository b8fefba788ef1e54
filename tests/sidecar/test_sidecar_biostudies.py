"""The sidecar's ``biostudies:`` block: values, line-numbered findings, seen by scan/check."""

from __future__ import annotations

from pathlib import Path

import clxm_meta
from clxm_meta.sidecar.biostudies import load_biostudies
from conftest import bare


def test_values_and_lines(tree: Path) -> None:
    sidecar = tree / "clxm.yaml"
    example = sidecar.read_text()
    sidecar.write_text(
        example[: example.index("\nbiostudies:\n") + 1]  # one block: a key given twice is refused
        + "biostudies:\n"
        + "  release_date: 2027-01-31\n"
        + "  keywords: cryo-SIM\n"
        + "  license: cc0\n"
        + "  organism: Homo sapiens\n"
    )
    n = len(sidecar.read_text().splitlines())
    info = load_biostudies(sidecar)
    assert info.findings == []
    assert info.values == {
        "release_date": "2027-01-31",
        "keywords": ["cryo-SIM"],
        "license": "CC0",
        "organism": {"scientific_name": "Homo sapiens"},
    }
    assert info.lines["organism"] == n
    assert info.locator("license") == f"biostudies.license (line {n - 1})"


def test_absent_block_and_no_sidecar(tree: Path) -> None:
    assert load_biostudies(bare(tree) / "clxm.yaml").values == {}
    assert load_biostudies(None).values == {}


def test_bad_biostudies_values_are_findings(tree: Path) -> None:
    sidecar = tree / "clxm.yaml"
    example = sidecar.read_text()
    sidecar.write_text(
        example[: example.index("\nbiostudies:\n") + 1]
        + "biostudies:\n  release_date: next week\n  license: GPL\n  colour: blue\n"
    )
    info = load_biostudies(sidecar)
    assert info.values == {}
    messages = [f.message for f in info.findings]
    assert any("release_date" in m and "YYYY-MM-DD" in m for m in messages)
    assert any("license" in m and "CC0" in m for m in messages)
    assert any("colour" in m for m in messages)
    assert all(f.locator and f.locator.startswith("line ") for f in info.findings)
    # the main loader accepts the block and reports the same problems, with their lines
    result = clxm_meta.scan(tree)
    found = [f for f in result.all_findings() if "biostudies" in f.message]
    assert not any("unknown top-level key" in f.message for f in found)
    assert {f.locator for f in found} == {f.locator for f in info.findings}
    assert any("release_date" in f.message for f in found)


def test_template_offers_the_block_and_keeps_values(tree: Path) -> None:
    from clxm_meta.sidecar.template import render_template

    bare(tree)
    sidecar = tree / "clxm.yaml"
    sidecar.write_text(
        sidecar.read_text()
        + "biostudies:\n"
        + "  release_date: 2027-01-31\n"
        + '  description: "Two lines:\\nsecond — µm, \\"quoted\\""\n'
        + "  keywords: [cryo-SIM, 'a: b']\n"
        + "  organism: {scientific_name: Homo sapiens, ncbi_taxon: 9606}\n"
    )
    before = load_biostudies(sidecar)
    assert before.findings == [] and "\n" in before.values["description"]
    text = render_template(clxm_meta.scan(tree))
    assert text.count("\nbiostudies:\n") == 1 and "  license: null" in text
    sidecar.write_text(text)
    after = load_biostudies(sidecar)
    assert after.values == before.values
    assert not [f for f in clxm_meta.scan(tree).all_findings() if "biostudies" in f.message]


def test_organisations_ror_and_address() -> None:
    from clxm_meta.sidecar.biostudies import parse_block, ror_url

    assert ror_url("0220mzb33") == "https://ror.org/0220mzb33"
    assert ror_url("https://ror.org/03r8z3t63") == "https://ror.org/03r8z3t63"
    assert ror_url("0220mzb34") is None  # check digits
    assert ror_url("0220mzb3") is None and ror_url("0220lzb33") is None  # length, alphabet
    info = parse_block(
        {
            "organisations": {
                "King's College London": {"ror": "0220mzb33", "address": "London"},
                "Nowhere": {"ror": "not-a-ror", "city": "x"},
                "Bad": "text",
            },
            "acknowledgements": "Thanks",
            "funding_statement": "Funded by X",
        },
        "clxm.yaml",
        lambda key: 7,
    )
    assert info.values["organisations"] == {
        "King's College London": {"ror": "https://ror.org/0220mzb33", "address": "London"}
    }
    assert info.values["acknowledgements"] == "Thanks"
    assert info.values["funding_statement"] == "Funded by X"
    messages = [f.message for f in info.findings]
    assert any("not-a-ror" in m for m in messages)
    assert any("unknown keys ['city']" in m for m in messages)
    assert any("Bad" in m for m in messages)
