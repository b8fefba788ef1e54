"""The BIA submission RO-Crate (``biostudies/ro-crate/``): builder, models and JSON-LD context."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clxm_meta.readers._exports import lazy_exports

if TYPE_CHECKING:
    from clxm_meta.export.biostudies.rocrate.build import build_rocrate
    from clxm_meta.export.biostudies.rocrate.model import (
        FILE_LIST_NAME,
        METADATA_NAME,
        RoCrate,
        rocrate_files,
        rocrate_json,
        rocrate_tsv,
    )

__all__ = [
    "FILE_LIST_NAME",
    "METADATA_NAME",
    "RoCrate",
    "build_rocrate",
    "rocrate_files",
    "rocrate_json",
    "rocrate_tsv",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "build_rocrate": "build",
        "FILE_LIST_NAME": "model",
        "METADATA_NAME": "model",
        "RoCrate": "model",
        "rocrate_files": "model",
        "rocrate_json": "model",
        "rocrate_tsv": "model",
    },
)
