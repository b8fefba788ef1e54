"""The JSON-LD ``@context`` of the BIA submission RO-Crate: RO-Crate 1.1 plus the BIA terms we use.

What a term means is fixed by the BioImage Archive's validator (``bia-ro-crate-validator`` 0.3,
``bia_ro_crate/models/ro_crate_models.py``: each model field's ``FieldContext``): a crate that maps
one of its terms to another IRI fails with "Term has been remapped in context". So this table
names, for every property the crate writes, the IRI and container the validator's models give it;
it holds only the terms this crate uses (the validator's ``generate-context`` lists them all).
Every key of every entity must be a term of the context (RO-Crate 1.1: the metadata file is
compacted JSON-LD), which ``tests/export/test_rocrate.py`` checks on the example and
the validator checks in CI (``scripts/validate_rocrate.sh``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["PREFIXES", "RO_CRATE_CONTEXT", "RO_CRATE_SPEC", "TERMS", "Term", "context"]

RO_CRATE_CONTEXT = "https://w3id.org/ro/crate/1.1/context"
"""The RO-Crate 1.1 context the crate builds on (JSON-LD keywords, schema.org, ``File``...)."""

RO_CRATE_SPEC = "https://w3id.org/ro/crate/1.1"
"""What the metadata descriptor ``conformsTo``."""

BIA = "http://bia/"
CSVW = "http://www.w3.org/ns/csvw#"
SCHEMA = "http://schema.org/"
DWC = "http://rs.tdwg.org/dwc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

PREFIXES = {"bia": BIA, "csvw": CSVW, "schema": SCHEMA}
"""Prefixes of the compact IRIs in `TERMS` (and of ``bia:`` types such as ``bia:Study``)."""


class Term(NamedTuple):
    """One property: its IRI and whether its values are a set (a JSON list)."""

    iri: str
    is_set: bool = False


TERMS: dict[str, Term] = {
    # schema.org (as in RO-Crate 1.1; restated because BIA's context states them)
    "name": Term(SCHEMA + "name"),
    "description": Term(SCHEMA + "description"),
    "license": Term(SCHEMA + "license"),
    "datePublished": Term(SCHEMA + "datePublished"),
    "keywords": Term(SCHEMA + "keywords", True),
    "author": Term(SCHEMA + "author", True),
    "hasPart": Term(SCHEMA + "hasPart", True),
    "funding": Term(SCHEMA + "funding", True),
    "funder": Term(SCHEMA + "funder", True),
    "identifier": Term(SCHEMA + "identifier"),
    "email": Term(SCHEMA + "email"),
    "address": Term(SCHEMA + "address"),
    "memberOf": Term(SCHEMA + "memberOf", True),
    "additionalType": Term(SCHEMA + "additionalType"),
    "organismClassification": Term(SCHEMA + "taxonomicRange", True),
    "seeAlso": Term(RDFS + "seeAlso", True),
    # Darwin Core (Taxon)
    "scientificName": Term(DWC + "scientificName"),
    "commonName": Term(DWC + "vernacularName"),
    # BIA (Study, Contributor, Publication, REMBI protocols, Dataset associations)
    "accessionId": Term(BIA + "accessionId"),
    "doi": Term(BIA + "doi"),
    "acknowledgement": Term(BIA + "acknowledgement"),
    "fundingStatement": Term(BIA + "fundingStatement"),
    "website": Term(BIA + "website"),
    "role": Term(BIA + "role", True),
    "relatedPublication": Term(BIA + "relatedPublication", True),
    "growthProtocol": Term(BIA + "growthProtocol"),
    "imagingInstrumentDescription": Term(BIA + "imagingInstrumentDescription"),
    "imagingMethodName": Term(BIA + "imagingMethodName", True),
    "fbbiId": Term(BIA + "fbbiId", True),
    "fiducialsUsed": Term(BIA + "fiducialsUsed"),
    "transformationMatrix": Term(BIA + "transformationMatrix"),
    "associatedBiologicalEntity": Term(BIA + "associatedBiologicalEntity", True),
    "associatedSpecimenImagingPreparationProtocol": Term(
        BIA + "associatedImagingPreparationProtocol", True
    ),
    "associatedImageAcquisitionProtocol": Term(BIA + "associatedImageAcquisitionProtocol", True),
    "associatedImageAnalysisMethod": Term(BIA + "associatedAnalysisMethod", True),
    "associatedImageCorrelationMethod": Term(BIA + "associatedCorrelationMethod", True),
    # CSV on the Web (the file list's schema)
    "tableSchema": Term(CSVW + "tableSchema"),
    "column": Term(CSVW + "column", True),
    "columnName": Term(CSVW + "name"),
    "propertyUrl": Term(CSVW + "propertyUrl"),
}
"""Every property the crate writes → (IRI, set-valued), as the validator's models define them."""


def _compact(iri: str) -> str:
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base) :]}"
    return iri


def context() -> list[Any]:
    """The crate's ``@context``: the RO-Crate 1.1 context, then the BIA terms (sorted)."""
    local: dict[str, Any] = {"@type": {"@container": "@set"}, **PREFIXES}
    for name, term in sorted(TERMS.items()):
        entry: dict[str, str] = {"@id": _compact(term.iri)}
        if term.is_set:
            entry["@container"] = "@set"
        local[name] = entry
    return [RO_CRATE_CONTEXT, dict(sorted(local.items()))]
