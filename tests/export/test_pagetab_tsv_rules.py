"""PageTab TSV as BioStudies' own reader reads it back: quotes raw, multi-line quoted, no doubling.

The reader (`biostudies_tsv.read_blocks`) is written from the rules of biostudies-backend-services'
``TsvChunkGenerator``; every document the writer produces must come back identical, and a value it
cannot carry must be refused with the reason and a pointer to the JSON form.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from biostudies_tsv import TsvReadError, read_blocks

import clxm_meta
from clxm_meta.cli import main
from clxm_meta.export.biostudies.pagetab import TEMPLATES, build_pagetab, pagetab_tsv
from clxm_meta.export.biostudies.pagetab_model import (
    Attribute,
    Link,
    PageTab,
    PageTabTsvError,
    Section,
    clean_text,
    tsv_problem,
)
from conftest import EXAMPLE, snapshot

SIM = "sample1/SIM/cell1"
SXT = "sample1/SXT/ts1"


def expected_blocks(doc: PageTab) -> list[tuple[list[str | None], list[tuple[str, str | None]]]]:
    """The blocks the document stands for, walked from the model (not from the writer)."""

    def attrs(items: list[Attribute]) -> list[tuple[str, str | None]]:
        out: list[tuple[str, str | None]] = []
        for a in items:
            out.append((f"<{a.name}>" if a.reference else a.name, a.value or None))
            out.extend((f"[{n}]", v or None) for n, v in a.valqual)
        return out

    def head(*cells: str | None) -> list[str | None]:
        out = [c or None for c in cells]
        while len(out) > 1 and out[-1] is None:
            out.pop()
        return out

    blocks = [(head("Submission", doc.accno), attrs(doc.attributes))]

    def walk(sec: Section, parent: Section | None) -> None:
        cells = [sec.type, sec.accno]
        if parent is not None and parent is not doc.section:
            cells.append(parent.accno)
        blocks.append((head(*cells), attrs(sec.attributes)))
        for link in sec.links:
            blocks.append((head("Link", link.url), attrs(link.attributes)))
        for sub in sec.subsections:
            walk(sub, sec)

    walk(doc.section, None)
    return blocks


def one_value_doc(value: str) -> PageTab:
    st = Section("Study", attributes=[Attribute("Description", value)])
    return PageTab(section=st, attributes=[Attribute("Title", "t")])


@pytest.mark.parametrize("template", TEMPLATES)
def test_example_reads_back_identically(template: str) -> None:
    doc = build_pagetab(clxm_meta.scan(EXAMPLE), SIM, sxt=SXT, template=template).document
    text = pagetab_tsv(doc)
    assert read_blocks(text) == expected_blocks(doc)
    # the example has multi-line values (written in quotes) and they come back as lines
    assert any(v and "\n" in v for _h, a in read_blocks(text) for _n, v in a)


@pytest.mark.parametrize(
    "value",
    [
        'He said "hello" there',
        '"Quoted" opening words',
        'a 5" disk, and "two"',
        'empty quotes "" stay doubled',
        'a "b|c" d',
        "pipes | and 'single' quotes",
        "two\nlines, no quote",
        "a\ttab",
        "#not a comment",
        "unicode µm, ° and →",
    ],
)
def test_values_round_trip(value: str) -> None:
    doc = one_value_doc(value)
    text = pagetab_tsv(doc)
    [_, (_, attrs)] = read_blocks(text)
    assert attrs == [("Description", value)]


def test_single_line_quotes_are_written_raw_never_doubled() -> None:
    text = pagetab_tsv(one_value_doc('He said "hello"'))
    assert 'Description\tHe said "hello"\n' in text
    assert '""' not in text


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ('two\nlines with a "quote"', "double quote and a line break"),
        ('a "quote"\tand a tab', "double quote and a tab"),
        ('a back\\"slash', "backslash before a double quote"),
        ('"unclosed opening quote', "opens with a double quote"),
        ('"a|b" c', "opens with a double quote"),
    ],
)
def test_unreadable_values_are_refused_with_the_reason(value: str, why: str) -> None:
    assert tsv_problem(value) is not None
    with pytest.raises(PageTabTsvError) as err:
        pagetab_tsv(one_value_doc(value))
    msg = str(err.value)
    assert why in msg and "section Study / Description" in msg
    assert "JSON form" in msg and "--format json" in msg


def test_the_reader_really_refuses_what_the_writer_refuses() -> None:
    # written the old way (quoted, quotes doubled), BioStudies' reader fails or changes the value
    old = 'Submission\n\nStudy\nDescription\t"two\nlines with a ""quote"""\n'
    try:
        blocks = read_blocks(old)
    except TsvReadError:
        return
    assert blocks[1][1] != [("Description", 'two\nlines with a "quote"')]


def test_random_values_round_trip_or_are_refused() -> None:
    rng = random.Random(19)
    alphabet = ['"', "|", "\t", "\n", " ", "\\", "#", "a", "b", "<", "[", "é"]
    written = 0
    for _ in range(3000):
        value = clean_text("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))))
        if not value:
            continue
        doc = one_value_doc(value)
        try:
            text = pagetab_tsv(doc)
        except PageTabTsvError:
            continue
        written += 1
        assert read_blocks(text) == expected_blocks(doc), repr(value)
    assert written > 1000


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_unicode_line_breaks_do_not_survive(char: str) -> None:
    st = Section("Study")
    st.add("Description", f"one{char}two")
    st.links.append(Link("https://example.org", [Attribute("Description", "x")]))
    text = pagetab_tsv(PageTab(section=st, attributes=[Attribute("Title", "t")]))
    assert char not in text
    assert len(text.splitlines()) == text.count(
        "\n"
    )  # no line break Python sees but BioStudies not
    assert read_blocks(text)[1][1] == [("Description", "one\ntwo")]


def test_deposit_refuses_a_quote_laden_multiline_sidecar(
    tree: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    side = tree / "clxm.yaml"
    side.write_text(
        side.read_text().replace(
            "  sample_preparation: Synthetic data; no sample was prepared.",
            '  sample_preparation: "Cells \\"fixed\\" in 4% PFA.\\nThen plunge frozen."',
        )
    )
    before = snapshot(tree)
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "refused" in err and "Sample preparation protocol" in err
    assert "double quote and a line break" in err and "JSON form" in err
    assert not out.exists()
    assert snapshot(tree) == before
    # the JSON form carries it
    js = tmp_path / "p.json"
    assert main(["export", "pagetab", str(tree), "-o", str(js)]) == 0
    assert '\\"fixed\\"' in js.read_text()
    assert main(["export", "pagetab", str(tree), "--format", "tsv"]) == 1


def test_check_reports_a_value_tsv_cannot_carry(tree: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    side = tree / "clxm.yaml"
    side.write_text(
        side.read_text().replace(
            "  sample_preparation: Synthetic data; no sample was prepared.",
            '  sample_preparation: "Cells \\"fixed\\".\\nThen frozen."',
        )
    )
    assert main(["check", str(tree)]) == 1
    out = capsys.readouterr().out
    [line] = [ln for ln in out.splitlines() if "biostudies.tsv_unreadable" in ln]
    assert "Specimen" in line and "Sample preparation protocol" in line and "JSON form" in line
