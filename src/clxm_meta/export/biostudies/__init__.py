"""BioStudies / BioImage Archive: PageTab (v5, v4), acceptance check, file list, spreadsheet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clxm_meta.readers._exports import lazy_exports

if TYPE_CHECKING:
    from clxm_meta.export.biostudies.acceptance import acceptance_problems
    from clxm_meta.export.biostudies.filelist import (
        build_file_list,
        file_list_json,
        file_list_tsv,
    )
    from clxm_meta.export.biostudies.pagetab import build_pagetab
    from clxm_meta.export.biostudies.pagetab_model import pagetab_json, pagetab_tsv
    from clxm_meta.export.biostudies.rembi import REMBI_MAPPING
    from clxm_meta.export.biostudies.sim_xlsx import sim_workbook

__all__ = [
    "REMBI_MAPPING",
    "acceptance_problems",
    "build_file_list",
    "build_pagetab",
    "file_list_json",
    "file_list_tsv",
    "pagetab_json",
    "pagetab_tsv",
    "sim_workbook",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "REMBI_MAPPING": "rembi",
        "acceptance_problems": "acceptance",
        "build_pagetab": "pagetab",
        "pagetab_json": "pagetab_model",
        "pagetab_tsv": "pagetab_model",
        "build_file_list": "filelist",
        "file_list_json": "filelist",
        "file_list_tsv": "filelist",
        "sim_workbook": "sim_xlsx",
    },
)
