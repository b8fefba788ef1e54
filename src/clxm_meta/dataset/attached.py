"""Attached files (** rows): path, size, MD5 and a summary of the file's own header."""

from __future__ import annotations

from typing import Any

from clxm_meta.io.md5 import md5_file
from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.readers.base import FormatModel
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import AttachedFile

__all__ = ["ATTACHED_FIELDS", "SUMMARY_LIMIT", "attached_candidate", "attached_file", "summary"]

SUMMARY_LIMIT = 16
"""At most this many header values in an attached file's summary."""

ATTACHED_FIELDS: dict[tuple[DatasetKind, str], tuple[str, bool]] = {
    (DatasetKind.SIM, "otf"): ("processing.otf_files", True),
    (DatasetKind.SIM, "brightfield"): ("raw.brightfield_stack", False),
    (DatasetKind.SIM, "mosaic"): ("acquisition.mosaic", False),
    (DatasetKind.SXT, "reference"): ("processing.reference_image", False),
    (DatasetKind.SXT, "mosaic"): ("acquisition.mosaic", False),
    (DatasetKind.SXT, "non_referenced"): ("raw.non_referenced_file", False),
}
"""(record kind, role) → (Table 1 row, whether the row holds a list)."""

_SKIP = {"format", "path", "file_size", "findings", "extra", "raw"}
Scalar = str | int | float | bool | None


def _scalar(value: Any) -> tuple[bool, Scalar]:
    """``(True, value)`` for a non-null scalar (long strings shortened), else ``(False, None)``."""
    if isinstance(value, bool | int | float):
        return True, value
    if isinstance(value, str) and value:
        return True, value if len(value) <= 80 else value[:77] + "..."
    return False, None


def summary(model: FormatModel | None) -> dict[str, Scalar]:
    """Scalar header values of a format model (top level, then one level down), at most 16."""
    if model is None:
        return {}
    data = model.model_dump(mode="json")
    out: dict[str, Scalar] = {}
    nested: list[tuple[str, dict[str, Any]]] = []
    for key, val in data.items():
        if key in _SKIP:
            continue
        if isinstance(val, dict):
            nested.append((key, val))
            continue
        ok, s = _scalar(val)
        if ok:
            out[key] = s
    for prefix, sub in nested:
        for key, val in sub.items():
            ok, s = _scalar(val)
            if ok:
                out[f"{prefix}.{key}"] = s
    return dict(list(out.items())[:SUMMARY_LIMIT])


def attached_file(
    rel: str, path: str, role: str, fmt: str | None, size: int | None, model: FormatModel | None
) -> AttachedFile:
    """Describe one attached file (its MD5 is computed here, streamed)."""
    try:
        md5: str | None = md5_file(path)
    except OSError:
        md5 = None
    return AttachedFile(
        path=rel, role=role, format=fmt, size_bytes=size, md5=md5, summary=summary(model)
    )


def attached_candidate(
    kind: DatasetKind, field: str, files: list[AttachedFile], as_list: bool, paths: list[str]
) -> Candidate:
    """A candidate for an attached-file row (one file, or a list for OTFs)."""
    value: Any = list(files) if as_list else files[0]
    return Candidate(
        field=field,
        kind=kind,
        value=value,
        source=Source.file(
            paths[0],
            files[0].format or "file",
            "whole file" if len(paths) == 1 else f"{len(paths)} files",
            transform="attached file: path, size, streamed MD5, header summary",
        ),
        precedence=Precedence.HEADER,
    )
