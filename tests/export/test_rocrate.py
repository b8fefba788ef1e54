"""The BIA submission RO-Crate: structure, the same records as the PageTab, missing values."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

import clxm_meta
from clxm_meta.cli import main
from clxm_meta.cli.common import EXIT_INCOMPLETE, EXIT_OK
from clxm_meta.export.biostudies.filelist import build_file_list
from clxm_meta.export.biostudies.pagetab import build_pagetab, pagetab_json
from clxm_meta.export.biostudies.rocrate import (
    FILE_LIST_NAME,
    METADATA_NAME,
    build_rocrate,
    rocrate_files,
    rocrate_json,
    rocrate_tsv,
)
from clxm_meta.export.biostudies.rocrate.context import RO_CRATE_CONTEXT, TERMS
from clxm_meta.export.biostudies.rocrate.model import Column, Entity, RoCrate
from clxm_meta.export.biostudies.rocrate.rembi import DATASET_ID, FBBI_ID
from clxm_meta.records.scan import ScanResult
from clxm_meta.sidecar.biostudies import LICENSES
from conftest import EXAMPLE, bare, enrich

SIM = "sample1/SIM/cell1"
SXT = "sample1/SXT/ts1"
RO_CRATE_TERMS = {"@id", "@type", "conformsTo", "about"}
"""Keys the RO-Crate 1.1 context itself defines that the crate uses (the descriptor's)."""


@pytest.fixture(scope="module")
def example() -> ScanResult:
    return clxm_meta.scan(EXAMPLE)


def _doc(result: ScanResult, sxt: str | None = SXT) -> dict[str, Any]:
    return rocrate_json(build_rocrate(result, SIM, sxt=sxt).document)


def _by_id(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["@id"]: e for e in doc["@graph"]}


def _of_type(doc: dict[str, Any], type_name: str) -> list[dict[str, Any]]:
    return [e for e in doc["@graph"] if type_name in e["@type"]]


def _one(doc: dict[str, Any], type_name: str) -> dict[str, Any]:
    hits = _of_type(doc, type_name)
    assert len(hits) == 1, (type_name, hits)
    return hits[0]


def _refs(value: Any) -> list[str]:
    """Every ``{"@id": ...}`` reference inside a property value."""
    if isinstance(value, dict):
        if set(value) == {"@id"}:
            return [value["@id"]]
        return [r for v in value.values() for r in _refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in _refs(v)]
    return []


def _file_list(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


def _pagetab_values(doc: Any) -> set[str]:
    """Every attribute (and value qualifier) value of a PageTab's JSON form, in any section."""
    if isinstance(doc, list):
        return {v for item in doc for v in _pagetab_values(item)}
    if not isinstance(doc, dict):
        return set()
    out = {str(doc["value"])} if isinstance(doc.get("value"), str) else set()
    return out | {v for item in doc.values() for v in _pagetab_values(item)}


# --- structure --------------------------------------------------------------------------------


def test_descriptor_root_and_context(example: ScanResult) -> None:
    doc = _doc(example)
    ctx = doc["@context"]
    assert ctx[0] == RO_CRATE_CONTEXT and isinstance(ctx[1], dict)
    graph = _by_id(doc)
    descriptor = graph[METADATA_NAME]
    assert descriptor["conformsTo"] == {"@id": "https://w3id.org/ro/crate/1.1"}
    assert descriptor["about"] == {"@id": "./"}
    root = graph["./"]
    assert root["@type"] == ["Dataset", "bia:Study"]
    assert root["name"] == "Example cryo-SIM of synthetic cell 1"
    assert root["license"] == LICENSES["CC0"]
    assert root["datePublished"] == "2027-01-31"
    assert root["keywords"] == ["cryo-SIM", "soft X-ray tomography", "correlative microscopy"]
    assert root["accessionId"] == ""  # BioStudies assigns it on submission
    assert {r["@id"] for r in root["hasPart"]} == {DATASET_ID, FILE_LIST_NAME}


def test_authors_affiliations_and_funding(example: ScanResult) -> None:
    doc = _doc(example)
    graph = _by_id(doc)
    (author,) = graph["./"]["author"]
    person = graph[author["@id"]]
    assert author["@id"] == "https://orcid.org/0000-0002-1825-0097"
    assert person["@type"] == ["Person", "bia:Contributor"]
    assert person["name"] == "Josiah Carberry"
    assert person["email"] == "j.carberry@example.org"
    assert person["role"] == ["depositor", "corresponding author", "principal investigator"]
    org = graph[person["memberOf"][0]["@id"]]
    assert "bia:Affiliation" in org["@type"]
    assert org["name"] == "Example University, Department of Microscopy"
    grant = graph[graph["./"]["funding"][0]["@id"]]
    assert "bia:Grant" in grant["@type"] and grant["identifier"] == "ERC-0000-EXAMPLE"
    funder = graph[grant["funder"][0]["@id"]]
    assert "bia:FundingBody" in funder["@type"] and funder["name"] == "Example Research Council"


def test_one_dataset_associated_with_every_rembi_entity(example: ScanResult) -> None:
    doc = _doc(example)
    graph = _by_id(doc)
    ds = _one(doc, "bia:Dataset")
    assert ds["@id"] == DATASET_ID and ds["name"] == SIM
    assert "sample1/SXT/ts1" in ds["description"]
    expected = {
        "associatedBiologicalEntity": "bia:BioSample",
        "associatedSpecimenImagingPreparationProtocol": "bia:SpecimenImagingPreparationProtocol",
        "associatedImageAcquisitionProtocol": "bia:ImageAcquisitionProtocol",
        "associatedImageAnalysisMethod": "bia:ImageAnalysisMethod",
        "associatedImageCorrelationMethod": "bia:ImageCorrelationMethod",
    }
    for prop, type_name in expected.items():
        (target,) = ds[prop]
        assert type_name in graph[target["@id"]]["@type"], prop

    bio = _one(doc, "bia:BioSample")
    assert bio["description"].startswith("synthetic example cells")
    taxon = graph[bio["organismClassification"][0]["@id"]]
    assert taxon["@id"] == "http://purl.obolibrary.org/obo/NCBITaxon_9606"
    assert taxon["scientificName"] == "Homo sapiens" and taxon["commonName"] == "human"
    acq = _one(doc, "bia:ImageAcquisitionProtocol")
    assert acq["fbbiId"] == [FBBI_ID]
    assert acq["imagingMethodName"] == ["structured illumination microscopy (SIM)"]
    assert "Detector: Andor iXon Ultra 888" in acq["imagingInstrumentDescription"]
    assert "Pixel size: x 0.0794, y 0.0794, z 0.125 µm" in acq["description"]
    cor = _one(doc, "bia:ImageCorrelationMethod")
    assert cor["fiducialsUsed"] == "150 nm gold beads, random on the support film"
    assert cor["transformationMatrix"].startswith("[1 0 0 12.5; 0 1 0 -3; 0 0 1 0.5; 0 0 0 1]")
    assert "sample1/sim_to_sxt_transform.txt" in cor["description"]
    assert "cudasirecon" in _one(doc, "bia:ImageAnalysisMethod")["description"]
    prep = _one(doc, "bia:SpecimenImagingPreparationProtocol")
    assert "Sample carrier: 3 mm gold finder grid" in prep["description"]


def test_every_key_is_a_term_and_every_reference_resolves(example: ScanResult) -> None:
    doc = _doc(example)
    graph = _by_id(doc)
    assert len(graph) == len(doc["@graph"])  # no @id twice
    inbound: set[str] = set()
    for entity in doc["@graph"]:
        assert set(entity) <= set(TERMS) | RO_CRATE_TERMS, entity["@id"]
        for key, value in entity.items():
            if key in ("@id", "@type"):
                continue
            for target in _refs(value):
                inbound.add(target)
                if key != "conformsTo":
                    assert target in graph, (entity["@id"], key, target)
    # everything but the descriptor is reachable (the validator warns about orphans)
    assert set(graph) - inbound == {METADATA_NAME}
    # the local context states every term the graph uses, with its IRI
    local = doc["@context"][1]
    for name in TERMS:
        if any(name in e for e in doc["@graph"]):
            assert name in local, name


def test_file_list_columns_and_rows(example: ScanResult) -> None:
    crate = build_rocrate(example, SIM, sxt=SXT).document
    rows = _file_list(rocrate_tsv(crate))
    assert list(rows[0]) == ["file_path", "dataset", "type", "size_in_bytes", "description"]
    # the same files, in the same order, as the PageTab's file list
    assert [r["file_path"] for r in rows] == [e.path for e in build_file_list(example, SIM)]
    assert {r["dataset"] for r in rows} == {DATASET_ID}
    types = {r["file_path"]: r["type"] for r in rows}
    assert types["sample1/SIM/cell1.dv"] == "http://bia/Image"
    assert types["sample1/SIM/cell1_SIR.dv"] == "http://bia/Image"
    assert types["sample1/SIM/cell1.log"] == ""
    for r in rows:
        assert int(r["size_in_bytes"]) == (EXAMPLE / r["file_path"]).stat().st_size
    doc = rocrate_json(crate)
    graph = _by_id(doc)
    listing = graph[FILE_LIST_NAME]
    assert listing["@type"] == ["File", "bia:FileList"]
    schema = graph[listing["tableSchema"]["@id"]]
    columns = [graph[c["@id"]] for c in schema["column"]]
    assert [(c["columnName"], c["propertyUrl"]) for c in columns] == [
        ("file_path", "http://bia/filePath"),
        ("dataset", "http://schema.org/isPartOf"),
        ("type", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ("size_in_bytes", "http://bia/sizeInBytes"),
        ("description", "http://schema.org/description"),
    ]


def test_file_list_cells_read_back_as_written() -> None:
    crate = RoCrate(columns=[Column("file_path", "x"), Column("description", "y")])
    crate.rows = [
        {"file_path": 'odd "quoted" name.dv', "description": "a, b"},
        {"file_path": "plain.dv", "description": ""},
    ]
    assert _file_list(rocrate_tsv(crate)) == crate.rows


def test_entity_refuses_a_term_the_context_lacks() -> None:
    entity = Entity("#x", ["bia:Protocol"])
    with pytest.raises(KeyError, match="not a term"):
        entity.set("title", "old BIA field name")
    entity.set("name", "")
    assert "name" not in entity.properties  # empty values are not written


def test_deterministic_bytes(example: ScanResult) -> None:
    first = rocrate_files(build_rocrate(example, SIM, sxt=SXT).document)
    again = rocrate_files(build_rocrate(clxm_meta.scan(EXAMPLE), SIM, sxt=SXT).document)
    assert first == again
    assert set(first) == {METADATA_NAME, FILE_LIST_NAME}
    assert json.loads(first[METADATA_NAME])["@graph"]


def test_wrong_datasets_raise(example: ScanResult) -> None:
    with pytest.raises(ValueError, match="not SIM"):
        build_rocrate(example, SXT)
    with pytest.raises(KeyError, match="no dataset"):
        build_rocrate(example, "nope")


def test_optional_study_facts_and_ror(tree: Path) -> None:
    result = clxm_meta.scan(enrich(tree))
    doc = _doc(result)
    root = _by_id(doc)["./"]
    assert root["acknowledgement"] == "We thank the beamline staff."
    assert root["fundingStatement"] == "Funded by the Example Research Council."
    org = _one(doc, "bia:Affiliation")
    assert org["website"] == "https://ror.org/0220mzb33"
    assert org["address"] == "London, UK"
    page = _pagetab_values(pagetab_json(build_pagetab(result, SIM, sxt=SXT).document))
    assert {root["acknowledgement"], root["fundingStatement"], org["address"]} <= page


# --- the same records as the PageTab ----------------------------------------------------------


def test_crate_texts_are_the_pagetab_values(example: ScanResult) -> None:
    crate = _doc(example)
    page = _pagetab_values(pagetab_json(build_pagetab(example, SIM, sxt=SXT).document))
    root = _by_id(crate)["./"]
    same = [root["name"], root["description"], *root["keywords"]]
    same += [_one(crate, "bia:Contributor")["name"], _one(crate, "bia:Affiliation")["name"]]
    same += [_one(crate, "bia:Taxon")["scientificName"], FBBI_ID]
    acq = _one(crate, "bia:ImageAcquisitionProtocol")
    same += [acq["imagingInstrumentDescription"], acq["description"], acq["name"]]
    cor = _one(crate, "bia:ImageCorrelationMethod")
    same += [cor["fiducialsUsed"], cor["transformationMatrix"], cor["description"], cor["name"]]
    an = _one(crate, "bia:ImageAnalysisMethod")
    same += [an["description"], an["name"]]
    prep = _one(crate, "bia:SpecimenImagingPreparationProtocol")
    same += [prep["description"]]
    missing = [v for v in same if v not in page]
    assert missing == []


def test_a_sidecar_change_reaches_both(tree: Path) -> None:
    path = tree / "clxm.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Example cryo-SIM of synthetic cell 1", "Renamed study")
        .replace("3 mm gold finder grid, holey carbon", "copper grid")
        .replace("license: CC0", "license: CC BY 4.0"),
        encoding="utf-8",
    )
    result = clxm_meta.scan(tree)
    crate = _doc(result)
    page = _pagetab_values(pagetab_json(build_pagetab(result, SIM, sxt=SXT).document))
    assert _by_id(crate)["./"]["name"] == "Renamed study" and "Renamed study" in page
    assert _by_id(crate)["./"]["license"] == LICENSES["CC BY 4.0"]
    prep = _one(crate, "bia:SpecimenImagingPreparationProtocol")["description"]
    assert "Sample carrier: copper grid" in prep and prep in page


def test_related_accessions_link_empiar_not_the_study_itself(tree: Path) -> None:
    path = tree / "clxm.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    general.title: Example cryo-SXT tilt series of synthetic cell 1\n"
    assert old in text
    # README step 2: the SXT dataset names the SIM study's own accession (and its EMPIAR entry)
    new = old + "    related.accessions: [S-BIAD1234, EMPIAR-11111]\n"
    path.write_text(text.replace(old, new), encoding="utf-8")
    doc = _doc(clxm_meta.scan(tree))
    links = {r["@id"] for r in _by_id(doc)["./"]["seeAlso"]}
    assert links == {"https://www.ebi.ac.uk/empiar/EMPIAR-11111/"}
    link = _by_id(doc)["https://www.ebi.ac.uk/empiar/EMPIAR-11111/"]
    assert link["@type"] == ["bia:ExternalReference"] and link["additionalType"] == "EMPIAR"
    assert "(EMPIAR-11111)" in _one(doc, "bia:Dataset")["description"]


# --- missing values ---------------------------------------------------------------------------


def test_missing_values_are_listed_and_left_out(tree: Path) -> None:
    result = clxm_meta.scan(bare(tree))
    export = build_rocrate(result, SIM, sxt=SXT)
    keys = {m.key for m in export.missing}
    assert {
        "Study/description",
        "Study/license",
        "Study/datePublished",
        "BioSample/description",
        "Taxon/scientificName",
        "SpecimenImagingPreparationProtocol/description",
        "ImageCorrelationMethod/description",
        "ImageCorrelationMethod/transformationMatrix",
        "ImageCorrelationMethod/fiducialsUsed",
    } <= keys
    assert all(m.document == "BIA RO-Crate" for m in export.missing)
    where = {m.key: m.where for m in export.missing}
    assert where["Study/license"] == "sidecar key biostudies.license"
    assert (
        where["ImageCorrelationMethod/fiducialsUsed"]
        == "sidecar key samples.sample1.sample.fiducials"
    )
    doc = rocrate_json(export.document)
    root = _by_id(doc)["./"]
    assert not {"description", "license", "datePublished"} & set(root)  # nothing invented
    assert "description" not in _one(doc, "bia:BioSample")
    assert _of_type(doc, "bia:Taxon") == []
    cor = _one(doc, "bia:ImageCorrelationMethod")
    assert set(cor) == {"@id", "@type", "name"}


def test_deposit_refuses_then_lists_each_value_once(tree: Path, tmp_path: Path) -> None:
    bare(tree)
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out)]) == EXIT_INCOMPLETE
    assert not out.exists()
    assert main(["export", "rocrate", str(tree), "-o", str(out / "rc")]) == EXIT_INCOMPLETE
    assert main(["deposit", str(tree), "-o", str(out), "--allow-incomplete"]) == EXIT_OK
    readme = (out / "README.txt").read_text(encoding="utf-8")
    missing = readme.split("Still missing", 1)[1].split("\n\n", 1)[0]
    # the crate lacks what the PageTab lacks: each sidecar key is named once
    assert missing.count("sidecar key biostudies.license\n") == 1
    assert (out / "biostudies/ro-crate" / METADATA_NAME).is_file()
