"""Single-file and file-list entry points of the public API."""

from __future__ import annotations

import os
from collections.abc import Iterable

from clxm_meta.normalise.build import build_records
from clxm_meta.readers.base import FormatModel
from clxm_meta.readers.registry import read
from clxm_meta.records.models import Record

__all__ = ["records_from_files"]


def records_from_files(
    paths: Iterable[str | os.PathLike[str]], *, name: str | None = None, strict: bool = False
) -> list[Record]:
    """Read ``paths`` as one dataset and build its Table 1 record(s), one per kind (SIM / SXT).

    Parameters
    ----------
    paths
        Files of one dataset (a raw DV with its reconstruction and log, a TXRM with its IMOD files ...).
    name
        Dataset name; defaults to the file stem for one file.
    strict
        Passed to each reader.
    """
    models: list[FormatModel] = [read(p, strict=strict) for p in paths]
    return build_records(models, name=name)
