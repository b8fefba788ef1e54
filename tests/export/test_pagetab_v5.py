"""The BioImages.v5 PageTab, field by field, and the v4 document kept byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.cli import main
from clxm_meta.export.biostudies.pagetab import build_pagetab, pagetab_json, pagetab_tsv
from clxm_meta.export.biostudies.pagetab_model import PageTab, Section
from conftest import EXAMPLE, GOLDEN

SIM = "sample1/SIM/cell1"
SXT = "sample1/SXT/ts1"
V4_GOLDEN = GOLDEN / "pagetab_v4"


def subs(doc: PageTab, kind: str) -> list[Section]:
    return [s for s in doc.section.subsections if s.type == kind]


@pytest.fixture(scope="module")
def v5() -> PageTab:
    return build_pagetab(clxm_meta.scan(EXAMPLE), SIM, sxt=SXT).document


def edit_sidecar(tree: Path, old: str, new: str) -> None:
    side = tree / "clxm.yaml"
    text = side.read_text()
    assert old in text
    side.write_text(text.replace(old, new))


# --- the template's fields ----------------------------------------------------------------------


def test_header_names_v5_and_leaves_doi_to_biostudies(v5: PageTab) -> None:
    assert [(a.name, a.value) for a in v5.attributes][2:] == [
        ("AttachTo", "BioImages"),
        ("Template", "BioImages.v5"),
        ("DOI", ""),
    ]
    assert "\nDOI\n" in pagetab_tsv(v5)
    assert {"name": "DOI", "value": ""} in pagetab_json(v5)["attributes"]


def test_study_has_only_template_attributes(v5: PageTab) -> None:
    names = [a.name for a in v5.section.attributes]
    allowed = {
        "Title",
        "ReleaseDate",
        "Description",
        "Keywords",
        "Acknowledgements",
        "License",
        "Funding statement",
    }
    assert set(names) <= allowed
    assert {"Title", "ReleaseDate", "Description", "Keywords", "License"} <= set(names)
    [lic] = [a for a in v5.section.attributes if a.name == "License"]
    assert lic.value == "CC0" and lic.valqual[0][0] == "URL"


def test_author_and_organization(v5: PageTab) -> None:
    [author] = subs(v5, "Author")
    assert [a.name for a in author.attributes] == ["Name", "Email", "Organisation", "Role", "ORCID"]
    assert author.get("Role") == "submitter, corresponding author, principal investigator"
    [ref] = [a for a in author.attributes if a.reference]
    [org] = subs(v5, "Organization")
    assert (ref.name, ref.value) == ("Organisation", org.accno)
    assert org.get("Name") == "Example University, Department of Microscopy"
    assert not subs(v5, "author") and not subs(v5, "organization")


def test_organisation_ror_and_address_from_the_sidecar(tree: Path) -> None:
    edit_sidecar(
        tree,
        "  license: CC0\n",
        "  license: CC0\n  organisations:\n"
        "    Example University, Department of Microscopy:\n"
        "      {ror: 0220mzb33, address: 'Strand, London, UK'}\n",
    )
    doc = build_pagetab(clxm_meta.scan(tree), SIM).document
    [org] = subs(doc, "Organization")
    assert org.get("RORID") == "https://ror.org/0220mzb33"
    assert org.get("Address") == "Strand, London, UK"


def test_a_bad_ror_is_a_sidecar_error(tree: Path) -> None:
    edit_sidecar(
        tree,
        "  license: CC0\n",
        "  license: CC0\n  organisations:\n    Example University: {ror: 0220mzb34}\n",
    )
    result = clxm_meta.scan(tree)
    bad = [f for f in result.findings if "ror" in f.message]
    assert bad and bad[0].severity.value == "error" and "0220mzb34" in bad[0].message


def test_publication_from_the_citation_block(tree: Path) -> None:
    edit_sidecar(
        tree,
        "  status: unpublished\n",
        "  status: published\n  journal: J Test\n  year: 2025\n  pubmed_id: '34027487'\n"
        "  doi: 10.1016/j.xpro.2021.100529\n  authors: ['Carberry, J', 'Smith, AB']\n",
    )
    doc = build_pagetab(clxm_meta.scan(tree), SIM).document
    [pub] = subs(doc, "Publication")
    assert {a.name: a.value for a in pub.attributes} == {
        "Title": "Correlative cryo-SIM and cryo-SXT of a synthetic example cell",
        "Authors": "Carberry J, Smith AB",
        "Year": "2025",
        "Pubmed ID": "34027487",
        "DOI": "10.1016/j.xpro.2021.100529",
    }


def test_unpublished_citation_without_identifiers_is_no_publication(v5: PageTab) -> None:
    assert subs(v5, "Publication") == []


def test_licence_other_than_the_two_is_refused(tree: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    edit_sidecar(tree, "  license: CC0\n", "  license: CC BY-SA 4.0\n")
    assert main(["deposit", str(tree), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "CC0 or CC BY 4.0" in err and "CC BY-SA 4.0" in err
    assert not (tmp_path / "out").exists()


def test_links_have_a_type_and_never_the_study_itself(tree: Path) -> None:
    """After README step 2 the SXT dataset cites the SIM study's own S-BIAD number; the SIM
    study links to its EMPIAR partner, never to itself."""
    edit_sidecar(
        tree,
        "    general.title: Example cryo-SXT tilt series of synthetic cell 1\n",
        "    general.title: Example cryo-SXT tilt series of synthetic cell 1\n"
        "    related.accessions: [S-BIAD123, EMPIAR-10999]\n",
    )
    result = clxm_meta.scan(tree)
    for template in ("BioImages.v5", "BioImages.v4"):
        doc = build_pagetab(result, SIM, sxt=SXT, template=template).document
        urls = [lk.url for lk in doc.section.links]
        assert urls == ["https://www.ebi.ac.uk/empiar/EMPIAR-10999/"], template
        assert "S-BIAD123" not in pagetab_tsv(doc)
    doc = build_pagetab(result, SIM, sxt=SXT).document
    [link] = doc.section.links
    assert (link.attributes[0].name, link.attributes[0].value) == ("Type", "EMPIAR")


def test_sim_accessions_to_other_studies_are_kept(tree: Path) -> None:
    edit_sidecar(
        tree,
        "    general.title: Example cryo-SIM of synthetic cell 1\n",
        "    general.title: Example cryo-SIM of synthetic cell 1\n"
        "    related.accessions: [S-BIAD777]\n",
    )
    doc = build_pagetab(clxm_meta.scan(tree), SIM, sxt=SXT).document
    [link] = doc.section.links
    assert link.url.endswith("/S-BIAD777")
    assert ("Type", "BioStudies") in [(a.name, a.value) for a in link.attributes]


# --- both readings: the v5 template's, and bia-ingest's ------------------------------------------


def ingest_imaging_method(acq: dict) -> tuple[list[str], list[str]]:
    """bia-ingest's rule (v4/image_acquisition_protocol.py): the ``Imaging method`` attribute when
    there is one (then no FBbi id), else ``Ontology Value`` / ``Ontology Term ID`` of the
    ``Imaging Method`` subsections."""
    attrs = {a["name"].lower(): a["value"] for a in acq["attributes"]}
    if attrs.get("imaging method"):
        return [attrs["imaging method"]], []
    names, ids = [], []
    for sub in acq.get("subsections", []):
        if sub["type"].lower() == "imaging method":
            a = {x["name"]: x["value"] for x in sub["attributes"]}
            names.append(a["Ontology Value"])
            if a.get("Ontology Term ID"):
                ids.append(a["Ontology Term ID"])
    return names, ids


def ingest_taxon(bio: dict) -> list[dict]:
    """bia-ingest's rule (v4/bio_sample.py): ``Organism`` subsections, else the attribute split
    as ``Scientific name (common name)``."""
    orgs = [s for s in bio.get("subsections", []) if s["type"].lower() == "organism"]
    if orgs:
        out = []
        for s in orgs:
            a = {x["name"].lower(): x["value"] for x in s["attributes"]}
            out.append((a.get("scientific name"), a.get("common name"), a.get("ncbi taxon id")))
        return [
            dict(zip(("scientific_name", "common_name", "ncbi_id"), o, strict=True)) for o in out
        ]
    value = next(a["value"] for a in bio["attributes"] if a["name"] == "Organism")
    sci, _, common = value.partition("(")
    return [
        {"scientific_name": sci.strip(), "common_name": common.rstrip(")").strip(), "ncbi_id": None}
    ]


def test_imaging_method_both_readings(v5: PageTab) -> None:
    acq = next(
        s for s in pagetab_json(v5)["section"]["subsections"] if s["type"] == "Image acquisition"
    )
    # the template's reading: the required attribute
    [attr] = [a for a in acq["attributes"] if a["name"] == "Imaging method"]
    assert attr["value"] == "structured illumination microscopy (SIM)"
    # bia-ingest's reading: the attribute's name ...
    assert ingest_imaging_method(acq) == (["structured illumination microscopy (SIM)"], [])
    # ... and, where it reads the FBbi id (the subsection), the same term with its id
    no_attr = {**acq, "attributes": [a for a in acq["attributes"] if a is not attr]}
    assert ingest_imaging_method(no_attr) == (
        ["structured illumination microscopy (SIM)"],
        ["FBbi:00000332"],
    )


def test_organism_both_readings(v5: PageTab) -> None:
    bio = next(s for s in pagetab_json(v5)["section"]["subsections"] if s["type"] == "Biosample")
    assert {"name": "Organism", "value": "Homo sapiens (human)"} in bio["attributes"]
    assert ingest_taxon(bio) == [
        {"scientific_name": "Homo sapiens", "common_name": "human", "ncbi_id": "NCBI:txid9606"}
    ]
    no_sub = {**bio, "subsections": []}
    assert ingest_taxon(no_sub)[0]["scientific_name"] == "Homo sapiens"


def test_links_and_publication_keys_as_ingest_reads_them(tree: Path) -> None:
    edit_sidecar(
        tree,
        "    general.title: Example cryo-SIM of synthetic cell 1\n",
        "    general.title: Example cryo-SIM of synthetic cell 1\n"
        "    related.accessions: [EMPIAR-10999, S-BIAD777]\n",
    )
    doc = pagetab_json(build_pagetab(clxm_meta.scan(tree), SIM, sxt=SXT).document)
    allowed = {"empiar", "biostudies"}  # bia-ingest ALLOWED_LINK_TYPES (lower-cased), in part
    for link in doc["section"]["links"]:
        types = [a["value"] for a in link["attributes"] if a["name"].lower() == "type"]
        assert len(types) == 1 and types[0].lower() in allowed


# --- v4 kept --------------------------------------------------------------------------------------


def test_v4_is_byte_identical_to_the_earlier_output(tmp_path: Path) -> None:
    out = tmp_path / "v4"
    assert main(["deposit", str(EXAMPLE), "-o", str(out), "--bia-template", "BioImages.v4"]) == 0
    for name in ("submission.pagetab.tsv", "submission.pagetab.json"):
        assert (out / "biostudies" / name).read_bytes() == (V4_GOLDEN / name).read_bytes(), name


def test_export_pagetab_template_option(tmp_path: Path) -> None:
    for template in ("BioImages.v4", "BioImages.v5"):
        out = tmp_path / f"{template}.json"
        assert (
            main(["export", "pagetab", str(EXAMPLE), "-o", str(out), "--bia-template", template])
            == 0
        )
        header = {a["name"]: a["value"] for a in json.loads(out.read_text())["attributes"]}
        assert header["Template"] == template
    assert (tmp_path / "BioImages.v4.json").read_bytes() == (
        V4_GOLDEN / "submission.pagetab.json"
    ).read_bytes()


def test_unknown_template_is_refused() -> None:
    with pytest.raises(ValueError, match=r"BioImages\.v5 or BioImages\.v4"):
        build_pagetab(clxm_meta.scan(EXAMPLE), SIM, template="BioImages.v3")
