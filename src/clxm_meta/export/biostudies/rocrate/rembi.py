"""The crate's ``bia:Dataset`` (the Study Component) and the REMBI entities it is associated with.

Each entity holds the text the PageTab attribute of the same REMBI field holds: the same Table 1
rows, worded by `Sources.text` / `Sources.mapped` from `REMBI_MAPPING`.
"""

from __future__ import annotations

from clxm_meta.export.biostudies.pagetab import IMAGING_METHOD
from clxm_meta.export.biostudies.rocrate.model import Entity, ref
from clxm_meta.export.biostudies.rocrate.sources import Sources
from clxm_meta.export.biostudies.sources import ncbi_taxon_digits

__all__ = [
    "DATASET_ID",
    "FBBI_ID",
    "IMAGING_METHOD_NAME",
    "acquisition",
    "analysis",
    "biosample",
    "correlation",
    "dataset",
    "preparation",
]

IMAGING_METHOD_NAME, _, FBBI_ID = IMAGING_METHOD
"""The imaging method and its FBbi term, as the PageTab's ``Imaging Method`` names them."""

DATASET_ID = "#dataset-1"
"""``@id`` of the one ``bia:Dataset`` (the Study Component) that every file-list row is part of."""


def biosample(src: Sources) -> list[Entity]:
    """The ``bia:BioSample``, its ``bia:Taxon`` (NCBI) and growth ``bia:Protocol``."""
    bio = Entity("#biosample-1", ["bia:BioSample"])
    bio.set("name", f"Sample {src.sample or src.sim}")
    entity = src.bs.get("biological_entity")
    if not entity:
        src.miss_bs("BioSample/description", "Biological entity", "biological_entity")
    sample_id = src.text("sample.sample_id")
    parts = [entity] if entity else []
    if entity and sample_id:
        parts.append(f"Sample: {sample_id}")
    bio.set("description", "\n".join(parts) or None)
    out = [bio]
    org = src.bs.get("organism") or {}
    if org.get("scientific_name"):
        taxon = org.get("ncbi_taxon")
        digits = ncbi_taxon_digits(taxon) if taxon else None
        tid = f"http://purl.obolibrary.org/obo/NCBITaxon_{digits}" if digits else "#taxon-1"
        tax = Entity(tid, ["bia:Taxon"])
        tax.set("scientificName", org.get("scientific_name"))
        tax.set("commonName", org.get("common_name"))
        bio.set("organismClassification", [ref(tid)])
        out.append(tax)
        if not taxon:
            src.miss_bs("Taxon/@id", "NCBI taxon of the organism", "organism.ncbi_taxon")
    else:
        src.miss_bs(
            "Taxon/scientificName", "Organism (scientific name)", "organism.scientific_name"
        )
    growth = src.bs.get("growth_protocol")
    if growth:
        proto = Entity("#growth-protocol-1", ["bia:Protocol"])
        proto.set("name", f"Growth protocol of {src.sample or src.sim}")
        proto.set("description", growth)
        bio.set("growthProtocol", ref(proto.id))
        out.append(proto)
    return out


def preparation(src: Sources) -> Entity:
    """The ``bia:SpecimenImagingPreparationProtocol``: preparation, carrier, fluorophores."""
    sp = Entity("#specimen-preparation-1", ["bia:SpecimenImagingPreparationProtocol"])
    sp.set("name", f"Specimen of {src.sample or src.sim}")
    sp.set("description", src.preparation("SpecimenImagingPreparationProtocol/description"))
    return sp


def acquisition(src: Sources) -> Entity:
    """The ``bia:ImageAcquisitionProtocol``: instrument, parameters, FBbi method."""
    acq = Entity("#image-acquisition-1", ["bia:ImageAcquisitionProtocol"])
    acq.set("name", f"Cryo-SIM acquisition of {src.sim}")
    instrument = src.mapped("Image acquisition", "Imaging instrument")
    acq.set("imagingInstrumentDescription", instrument)
    if not instrument:
        src.miss_row("ImageAcquisitionProtocol/imagingInstrumentDescription", "general.instrument")
    params = src.mapped("Image acquisition", "Image acquisition parameters")
    acq.set("description", params)
    if not params:
        src.miss(
            "ImageAcquisitionProtocol/description",
            "Image acquisition parameters",
            "file",
            "the raw SIM stack (.dv) of the dataset",
        )
    acq.set("imagingMethodName", [IMAGING_METHOD_NAME])
    acq.set("fbbiId", [FBBI_ID])
    return acq


def correlation(src: Sources) -> Entity | None:
    """The ``bia:ImageCorrelationMethod`` (with an SXT partner or a transform)."""
    slot = src.transform()
    if slot is None and src.sxt is None:
        return None
    partner = f" with {src.sxt}" if src.sxt else ""
    cor = Entity("#image-correlation-1", ["bia:ImageCorrelationMethod"])
    cor.set("name", f"Correlation of {src.sim}{partner}")
    keys = ("ImageCorrelationMethod/description", "ImageCorrelationMethod/transformationMatrix")
    how, matrix = src.alignment(slot, keys) or (None, None)
    cor.set("description", how)
    cor.set("transformationMatrix", matrix)
    fiducials = src.fiducials("ImageCorrelationMethod/fiducialsUsed")
    cor.set("fiducialsUsed", fiducials)
    return cor


def analysis(src: Sources) -> Entity | None:
    """The ``bia:ImageAnalysisMethod`` (the SIM reconstruction), when described."""
    text = src.mapped("Image analysis", "Image analysis overview")
    if not text:
        return None
    an = Entity("#image-analysis-1", ["bia:ImageAnalysisMethod"])
    an.set("name", f"SIM reconstruction of {src.sim}")
    an.set("description", text)
    return an


def dataset(src: Sources, rembi: list[Entity]) -> Entity:
    """The ``bia:Dataset`` of the SIM dataset, associated with the REMBI entities."""
    ds = Entity(DATASET_ID, ["Dataset", "bia:Dataset"])
    ds.set("name", src.sim)
    ds.set("description", src.component_description())
    links = {
        "bia:BioSample": "associatedBiologicalEntity",
        "bia:SpecimenImagingPreparationProtocol": "associatedSpecimenImagingPreparationProtocol",
        "bia:ImageAcquisitionProtocol": "associatedImageAcquisitionProtocol",
        "bia:ImageAnalysisMethod": "associatedImageAnalysisMethod",
        "bia:ImageCorrelationMethod": "associatedImageCorrelationMethod",
    }
    for entity in rembi:
        for type_name, prop in links.items():
            if type_name in entity.types:
                ds.set(prop, [*(ds.get(prop) or []), ref(entity.id)])
    return ds
