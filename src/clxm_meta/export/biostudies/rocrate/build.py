"""The BIA submission RO-Crate of a cryo-SIM dataset: what ``deposit`` writes to ``biostudies/ro-crate/``.

The BioImage Archive converts every submission to an RO-Crate and publishes the profile of a
submission crate as ``bia-ro-crate-validator`` (its models, ``bia_ro_crate/models/
ro_crate_models.py``, and ``model_docs/MODEL.md``). This builds that crate from the same records
and sidecar as the PageTab (`clxm_meta.export.biostudies.pagetab`), one per SIM study:

* the root data entity ``./``: ``Dataset`` + ``bia:Study`` (title, description, licence URL,
  release date, keywords, authors, funding, publication, links to related EMPIAR / BioStudies
  entries, ``hasPart`` the dataset and the file list); ``bia:Contributor`` per author with a
  ``bia:Affiliation`` per organisation, ``bia:Grant`` / ``bia:FundingBody``, ``bia:Publication``,
  ``bia:ExternalReference``;
* one ``bia:Dataset`` per Study Component (the SIM dataset), associated with the REMBI entities:
  ``bia:BioSample`` (+ ``bia:Taxon``, growth ``bia:Protocol``), ``bia:SpecimenImagingPreparation
  Protocol``, ``bia:ImageAcquisitionProtocol`` (FBbi structured illumination microscopy),
  ``bia:ImageCorrelationMethod`` (fiducials, transformation matrix) and
  ``bia:ImageAnalysisMethod``; each holds the text the PageTab attribute of the same REMBI
  field holds (`REMBI_MAPPING`);
* the file list ``file_list.tsv`` (``bia:FileList``, its ``csvw`` schema): ``file_path``,
  ``dataset`` (the ``bia:Dataset``), ``type`` (``http://bia/Image`` for images), ``size_in_bytes``
  and ``description`` (what the file is).

Nothing is invented: a value the validator's models require that no file and no sidecar gives
is left out and listed in `Export.missing` (document ``BIA RO-Crate``), with the sidecar key that
supplies it. ``accessionId``, required by the validator's Study, is written empty: a new
submission has no accession until BioStudies assigns one (as the PageTab has no accno).

The entities are written by `study` (the root and its people, funding, links), `rembi` (the
dataset and the REMBI entities) and `files` (the file list), from one `Sources`.
"""

from __future__ import annotations

from clxm_meta.export.base import Export
from clxm_meta.export.biostudies.rocrate import files, rembi, study
from clxm_meta.export.biostudies.rocrate.context import RO_CRATE_SPEC
from clxm_meta.export.biostudies.rocrate.model import (
    FILE_LIST_NAME,
    METADATA_NAME,
    Entity,
    RoCrate,
    ref,
)
from clxm_meta.export.biostudies.rocrate.sources import DOCUMENT, Sources
from clxm_meta.records.scan import ScanResult

__all__ = ["DOCUMENT", "build_rocrate"]


def build_rocrate(result: ScanResult, sim: str, *, sxt: str | None = None) -> Export[RoCrate]:
    """Build the BIA submission RO-Crate of SIM dataset ``sim`` (see the module docstring).

    Parameters
    ----------
    result
        A scan of the deposition tree (records, datasets, sidecar path).
    sim
        The SIM dataset's name.
    sxt
        Its correlative SXT partner, when there is one: adds the ``bia:ImageCorrelationMethod``,
        the EMPIAR link and the partner's fiducials when the SIM record has none.

    Raises
    ------
    KeyError
        ``sim`` or ``sxt`` is not a dataset of the scan.
    ValueError
        ``sim`` is not a SIM dataset, or ``sxt`` not an SXT dataset.
    """
    src = Sources(result, sim, sxt)
    crate = RoCrate()
    descriptor = Entity(METADATA_NAME, ["CreativeWork"])
    descriptor.properties.update(conformsTo=ref(RO_CRATE_SPEC), about=ref("./"))
    root = study.study(src)
    parts = [
        *study.people(src, root),
        *study.publication(src, root),
        *study.funding(src, root),
        *study.links(src, root),
    ]
    associated = [*rembi.biosample(src), rembi.preparation(src), rembi.acquisition(src)]
    for extra in (rembi.correlation(src), rembi.analysis(src)):
        if extra is not None:
            associated.append(extra)
    ds = rembi.dataset(src, associated)
    listing = files.file_list(src, crate)
    root.set("hasPart", [ref(ds.id), ref(FILE_LIST_NAME)])
    for entity in (descriptor, root, *parts, ds, *associated, *listing):
        crate.add(entity)
    return Export(document=crate, missing=src.missing)
