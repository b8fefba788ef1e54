"""BioStudies PageTab: structure, TSV/JSON agreement, names checked against the archive's examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.export.biostudies.pagetab import (
    FILE_LIST_NAME,
    REMBI_MAPPING,
    build_pagetab,
    pagetab_json,
    pagetab_tsv,
)
from clxm_meta.export.biostudies.pagetab_model import Attribute, PageTab, Section
from clxm_meta.records.fields import fields_for
from clxm_meta.records.scan import ScanResult
from conftest import BARE_SIDECAR, EXAMPLE, SHARED, bare, parse_tsv, snapshot

SIM = "sample1/SIM/cell1"
SXT = "sample1/SXT/ts1"
BIA_JSON = SHARED / "schemas" / "bia-integrator" / "S-BIADTEST_BioImages.v4.json"
AGENT_TSV = SHARED / "schemas" / "bia-agent" / "rembi-metadata_rembi-to-pagetab.tsv"
AGENT_JSON = SHARED / "schemas" / "bia-agent" / "rembi-metadata_rembi-to-pagetab.json"


BIOSTUDIES_BLOCK = """
biostudies:
  release_date: 2027-01-31
  description: Correlative cryo-SIM and cryo-SXT of synthetic cells (test data).
  keywords: [cryo-SIM, soft X-ray tomography]
  license: cc-by 4.0
  organism: {scientific_name: Homo sapiens, common_name: human, ncbi_taxon: "9606"}
  biological_entity: synthetic cells
  sample_preparation: Plunge frozen on gold finder grids.
"""

MATRIX = "# SIM -> SXT\n1 0 0 12.5\n0 1 0 -3\n0 0 1 0.5\n0 0 0 1\n"


# --- a small PageTab TSV reader (tests only): blocks of (head cells, [(name, value)]) ---------


def names_by_type_json(doc: dict) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}

    def walk(sec: dict) -> None:
        names = out.setdefault(sec["type"].casefold(), set())
        names.update(a["name"].casefold() for a in sec.get("attributes", []))
        for sub in sec.get("subsections", []):
            for s in sub if isinstance(sub, list) else [sub]:
                walk(s)

    walk(doc["section"])
    return out


def names_by_type_tsv(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for head, attrs in parse_tsv(text)[1:]:
        if head[0] in ("Link", "File"):
            continue
        names = out.setdefault(head[0].casefold(), set())
        # "[Name]" lines are value qualifiers of the attribute above, not attributes
        names.update(n.strip("<>").casefold() for n, _ in attrs if not n.startswith("["))
    return out


def example_vocabulary() -> dict[str, set[str]]:
    """Section type → attribute names in the archive's own examples (case-folded)."""
    if not (BIA_JSON.is_file() and AGENT_TSV.is_file() and AGENT_JSON.is_file()):
        pytest.skip("BioImage Archive examples (../shared/schemas) not available")
    vocab: dict[str, set[str]] = {}
    for part in (
        names_by_type_json(json.loads(BIA_JSON.read_text())),
        names_by_type_json(json.loads(AGENT_JSON.read_text())),
        names_by_type_tsv(AGENT_TSV.read_text()),
    ):
        for k, v in part.items():
            vocab.setdefault(k, set()).update(v)
    # organisation / organization are both used by the archive's producers
    vocab["organization"] = vocab.get("organization", set()) | vocab.get("organisation", set())
    return vocab


@pytest.fixture(scope="module")
def example() -> ScanResult:
    return clxm_meta.scan(EXAMPLE)


@pytest.fixture
def bare_tree(tree: Path) -> Path:
    return bare(tree)


@pytest.fixture
def bare_result(bare_tree: Path) -> ScanResult:
    return clxm_meta.scan(bare_tree)


@pytest.fixture
def complete_tree(tree: Path) -> Path:
    """`BARE_SIDECAR` + the biostudies block and fiducials, and a correlation matrix file."""
    bare(tree)
    text = BARE_SIDECAR + BIOSTUDIES_BLOCK
    text = text.replace(
        "    sample.carrier:",
        "    sample.fiducials: 150 nm gold beads, random\n    sample.carrier:",
    )
    (tree / "clxm.yaml").write_text(text)
    (tree / "sample1" / "sim_to_sxt_transform.txt").write_text(MATRIX)
    return tree


# --- structure ---------------------------------------------------------------------------------


def test_sections_and_header(example: ScanResult) -> None:
    doc = build_pagetab(example, SIM, sxt=SXT, template="BioImages.v4").document
    header = {a.name: a.value for a in doc.attributes}
    assert header["Title"] == "Example cryo-SIM of synthetic cell 1"
    assert header["AttachTo"] == "BioImages" and header["Template"] == "BioImages.v4"
    assert doc.section.type == "Study"
    types = [s.type for s in doc.section.subsections]
    for t in (
        "author",
        "organization",
        "Funding",
        "Biosample",
        "Specimen",
        "Image acquisition",
        "Image analysis",
        "Image correlation",
        "Study Component",
    ):
        assert t in types, t
    assert types[-1] == "Study Component"


def test_author_affiliation_reference(example: ScanResult) -> None:
    doc = build_pagetab(example, SIM, template="BioImages.v4").document
    [author] = [s for s in doc.section.subsections if s.type == "author"]
    ref = [a for a in author.attributes if a.reference]
    assert [(a.name, a.value) for a in ref] == [("affiliation", "o1")]
    [org] = [s for s in doc.section.subsections if s.type == "organization"]
    assert org.accno == "o1"
    assert org.get("Name") == "Example University, Department of Microscopy"
    assert "<affiliation>\to1" in pagetab_tsv(doc)
    assert author.get("ORCID") == "0000-0002-1825-0097"


def test_imaging_method_is_fbbi_sim(example: ScanResult) -> None:
    doc = build_pagetab(example, SIM).document
    [acq] = [s for s in doc.section.subsections if s.type == "Image acquisition"]
    [method] = acq.subsections
    assert method.type == "Imaging Method"
    assert method.get("Ontology Name") == "FBbi"
    assert method.get("Ontology Term ID") == "FBbi:00000332"
    assert "structured illumination" in (method.get("Ontology Value") or "")
    params = acq.get("Image acquisition parameters") or ""
    assert "Pixel size: x 0.0794, y 0.0794, z 0.125 µm" in params
    assert "channel 0: excitation 488 nm, emission 525 nm, exposure 0.05 s" in params


def test_image_analysis_carries_reconstruction(example: ScanResult) -> None:
    doc = build_pagetab(example, SIM).document
    [an] = [s for s in doc.section.subsections if s.type == "Image analysis"]
    text = an.get("Image analysis overview") or ""
    assert "Reconstruction software: cudasirecon" in text
    assert "best fit 1.5 % off expected k0" in text and "k0 angle -0.8043 rad" in text
    assert "line spacing 0.407 µm" in text and "amplitude 0.95 / 0.85" in text
    assert "Chromatic shift software: Chromagnon" in text
    assert "609 nm → 525 nm: tz 0.12 px" in text


def test_associations_name_sections_by_title(example: ScanResult) -> None:
    doc = build_pagetab(example, SIM, sxt=SXT).document
    titles = {s.type: s.get("Title") for s in doc.section.subsections}
    [comp] = [s for s in doc.section.subsections if s.type == "Study Component"]
    assert comp.get("File List") == FILE_LIST_NAME
    [assoc] = comp.subsections
    assert assoc.type == "Associations"
    for a in assoc.attributes:
        assert titles[a.name] == a.value
    assert {a.name for a in assoc.attributes} == {
        "Biosample",
        "Specimen",
        "Image acquisition",
        "Image analysis",
        "Image correlation",
    }


def test_no_correlation_section_without_partner_or_transform(bare_result: ScanResult) -> None:
    doc = build_pagetab(bare_result, SIM).document
    assert "Image correlation" not in [s.type for s in doc.section.subsections]


# --- missing values ----------------------------------------------------------------------------


def test_missing_lists_who_and_where(bare_result: ScanResult) -> None:
    missing = build_pagetab(bare_result, SIM, sxt=SXT).missing
    keys = {m.key: m for m in missing}
    assert keys["Submission/ReleaseDate"].where == "sidecar key biostudies.release_date"
    assert keys["Study/Description"].who == "depositor"
    assert keys["Image correlation/Fiducials used"].where == (
        "sidecar key samples.sample1.sample.fiducials"
    )
    assert keys["Image correlation/Transformation matrix"].who == "file"
    assert all(m.document == "BioStudies PageTab" for m in missing)
    doc = build_pagetab(bare_result, SIM, sxt=SXT).document
    assert all(a.name != "ReleaseDate" for a in doc.attributes)  # nothing invented


def test_complete_sidecar_leaves_nothing_missing(complete_tree: Path) -> None:
    before = snapshot(complete_tree)
    result = clxm_meta.scan(complete_tree)
    exp = build_pagetab(result, SIM, sxt=SXT)
    assert exp.missing == [], [str(m) for m in exp.missing]
    doc = exp.document
    header = {a.name: a.value for a in doc.attributes}
    assert header["ReleaseDate"] == "2027-01-31"
    lic = [a for a in doc.section.attributes if a.name == "License"]
    assert lic[0].value == "CC BY 4.0" and lic[0].valqual[0][0] == "URL"
    [cor] = [s for s in doc.section.subsections if s.type == "Image correlation"]
    assert (cor.get("Transformation matrix") or "").startswith(
        "[1 0 0 12.5; 0 1 0 -3; 0 0 1 0.5; 0 0 0 1]"
    )
    assert cor.get("Fiducials used") == "150 nm gold beads, random"
    alignment = cor.get("Spatial and temporal alignment") or ""
    assert alignment.startswith("Transform read from sample1/sim_to_sxt_transform.txt")
    [bio] = [s for s in doc.section.subsections if s.type == "Biosample"]
    [org] = bio.subsections
    assert org.get("NCBI taxon ID") == "NCBI:txid9606"
    assert snapshot(complete_tree) == before  # inputs untouched


def test_unknown_or_wrong_dataset(example: ScanResult) -> None:
    with pytest.raises(KeyError, match="no dataset"):
        build_pagetab(example, "nope")
    with pytest.raises(ValueError, match="not SIM"):
        build_pagetab(example, SXT)
    with pytest.raises(ValueError, match="not an SXT"):
        build_pagetab(example, SIM, sxt=SIM)
    with pytest.raises(KeyError, match="no dataset 'nope'"):
        build_pagetab(example, SIM, sxt="nope")


# --- serialisation -----------------------------------------------------------------------------


def test_tsv_and_json_agree(example: ScanResult) -> None:
    doc = build_pagetab(example, SIM, sxt=SXT).document
    js = pagetab_json(doc)
    json.dumps(js)  # serialisable
    assert js["type"] == "submission" and js["section"]["type"] == "Study"
    assert names_by_type_tsv(pagetab_tsv(doc)) == names_by_type_json(js)
    blocks = parse_tsv(pagetab_tsv(doc))
    assert blocks[0][0] == ["Submission"]
    # nested sections name their parent's accession
    heads = {b[0][0]: b[0] for b in blocks}
    assert heads["Imaging Method"] == ["Imaging Method", "Imaging Method-1", "Image acquisition-1"]
    assert heads["Associations"] == ["Associations", "", "Study Component-1"]


def test_tsv_quotes_multiline_and_tabs() -> None:
    # multi-line and tab values in quotes; a quote inside them is refused (test_pagetab_tsv_rules)
    st = Section("Study", attributes=[Attribute("Description", "two\nlines\tand a tab")])
    text = pagetab_tsv(PageTab(section=st, attributes=[Attribute("Title", "t")]))
    [_, (_, attrs)] = parse_tsv(text)
    assert attrs == [("Description", "two\nlines\tand a tab")]


def test_tsv_is_deterministic(example: ScanResult) -> None:
    a = pagetab_tsv(build_pagetab(example, SIM, sxt=SXT).document)
    b = pagetab_tsv(build_pagetab(clxm_meta.scan(EXAMPLE), SIM, sxt=SXT).document)
    assert a == b and a.endswith("\n") and "\r" not in a


# --- against the archive's own examples (case-insensitive, as its ingest matches) -------------


@pytest.mark.shared
def test_section_and_attribute_names_match_bia_examples(complete_tree: Path) -> None:
    vocab = example_vocabulary()  # v4 examples
    doc = build_pagetab(
        clxm_meta.scan(complete_tree), SIM, sxt=SXT, template="BioImages.v4"
    ).document
    ours_tsv = names_by_type_tsv(pagetab_tsv(doc))
    ours_json = names_by_type_json(pagetab_json(doc))
    for ours in (ours_tsv, ours_json):
        for section_type, names in ours.items():
            assert section_type in vocab, f"section {section_type!r} not in the BIA examples"
            unknown = names - vocab[section_type]
            assert not unknown, f"{section_type}: attributes {unknown} not in the BIA examples"


@pytest.mark.shared
def test_header_attributes_match_bia_agent_tsv() -> None:
    if not AGENT_TSV.is_file():
        pytest.skip("bia-agent example not available")
    header_names = {n.casefold() for n, _ in parse_tsv(AGENT_TSV.read_text())[0][1]}
    doc = build_pagetab(clxm_meta.scan(EXAMPLE), SIM, template="BioImages.v4").document
    assert {a.name.casefold() for a in doc.attributes} <= header_names


@pytest.mark.shared
def test_associations_keys_match_bia_example() -> None:
    if not BIA_JSON.is_file():
        pytest.skip("S-BIADTEST not available")
    bia = json.loads(BIA_JSON.read_text())
    keys = set()
    for sec in bia["section"]["subsections"]:
        for sub in sec.get("subsections", []):
            if sub["type"] == "Associations":
                keys |= {a["name"].casefold() for a in sub["attributes"]}
    doc = build_pagetab(clxm_meta.scan(EXAMPLE), SIM, sxt=SXT).document
    [comp] = [s for s in doc.section.subsections if s.type == "Study Component"]
    assert {a.name.casefold() for a in comp.subsections[0].attributes} <= keys


def test_rembi_mapping_covers_every_sim_row() -> None:
    assert set(REMBI_MAPPING) == {s.id for s in fields_for("SIM")}
    for target in REMBI_MAPPING.values():
        assert target.module and target.section and target.attribute
