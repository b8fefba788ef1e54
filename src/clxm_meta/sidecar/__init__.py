"""The depositor sidecar (YAML): template, safe loading with line numbers, validation."""

from clxm_meta.sidecar.load import SIDECAR_NAME, Entry, Sidecar, load_sidecar
from clxm_meta.sidecar.template import render_template
from clxm_meta.sidecar.validate import (
    RELEASE_INSTRUCTIONS,
    accession_kind,
    doi_valid,
    orcid_checksum_ok,
)

__all__ = [
    "RELEASE_INSTRUCTIONS",
    "SIDECAR_NAME",
    "Entry",
    "Sidecar",
    "accession_kind",
    "doi_valid",
    "load_sidecar",
    "orcid_checksum_ok",
    "render_template",
]
