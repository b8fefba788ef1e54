"""The BioImage Archive file list of a SIM dataset: one row per file to upload.

The archive's rules (https://www.ebi.ac.uk/bioimage-archive/submit/): the first header cell of a TSV
file list is ``Files``; paths use ``/``, with no ``./``, ``../`` or ``//`` and no blank lines; the
other columns are free attributes. The JSON form is the one of the archive's own example
(bia-integrator ``file_list_study_component_1.json``)::

    [{"path": "...", "size": 123, "attributes": [{"name": "...", "value": "..."}], "type": "file"}]

Columns written here: ``Type`` (the file's role), ``Format``, ``Channel`` (0-based channel
indices), ``Excitation (nm)`` and ``Emission (nm)`` (in channel order), ``MD5`` (when digests are
given). A cell is empty when the file does not say: nothing is invented.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from clxm_meta.dataset.roles import ROLES
from clxm_meta.errors import ClxmMetaError
from clxm_meta.export.biostudies.channels import channel_table
from clxm_meta.findings import Finding, Severity
from clxm_meta.records.scan import ScanResult

__all__ = [
    "BAD_PATH_CODE",
    "FILE_LIST_COLUMNS",
    "FileListEntry",
    "bad_path_findings",
    "build_file_list",
    "dataset_info",
    "file_list_json",
    "file_list_tsv",
    "path_problem",
    "role_text",
    "upload_path",
]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")

_ROLE_TEXT = {"correlation": "SIM-SXT correlation transform"}

_ACCEPTED = re.compile(r"[0-9A-Za-z!\-_*'(). /]")
"""One character BioStudies takes in a file-list path: ``validPathPattern`` of ``FileSourcesList.kt``
(EBIBioStudies/biostudies-backend-services, ``commons-bio``), whose ``\\-`` is a literal hyphen:
letters, digits, space and ``! - _ * ' ( ) . /``."""

BAD_PATH_CODE = "biostudies.bad_path"
"""Finding code of a file whose path BioStudies refuses in a file list."""

FILE_LIST_COLUMNS = ("Type", "Format", "Channel", "Excitation (nm)", "Emission (nm)", "MD5")
"""The attribute columns after ``Files``, in order."""


@dataclass
class FileListEntry:
    """One file of a file list: upload path, size in bytes and named attributes."""

    path: str
    size: int | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    type: str = "file"


def upload_path(path: str) -> str:
    """``path`` as the archive wants it: ``/`` separators, no ``./``, ``//`` or ``..``.

    Raises
    ------
    ClxmMetaError
        The path climbs out of the deposition root (``..``), is absolute, or holds a control
        character or a backslash (which no file list can carry faithfully; ``clxm-meta check``
        reports such names as ``lint.bad_characters``: rename the file).
    """
    p = path
    if _UNSAFE.search(p):
        raise ClxmMetaError(
            f"file list path {path!r} holds a control character or a backslash; rename the file"
        )
    if p.startswith("/"):
        raise ClxmMetaError(f"file list path {path!r} is absolute; expected a path under the root")
    parts = [s for s in p.split("/") if s not in ("", ".")]
    if not parts or ".." in parts:
        raise ClxmMetaError(f"file list path {path!r} does not name a file under the root")
    return posixpath.join(*parts)


def path_problem(path: str) -> str | None:
    """Why BioStudies refuses ``path`` in a file list (``None`` when it takes it).

    Besides the characters, its pattern refuses a path starting with ``./``, holding ``../`` or
    ending in ``/``.
    """
    bad = sorted({c for c in path if not _ACCEPTED.fullmatch(c)})
    if bad:
        shown = " ".join(repr(c) if c.isprintable() else f"U+{ord(c):04X}" for c in bad)
        return f"characters BioStudies does not take in a file-list path: {shown}"
    if not path or path.startswith("./") or "../" in path or path.endswith("/"):
        return "BioStudies refuses a path that starts with ./, holds ../ or ends in /"
    return None


def bad_path_findings(paths: Sequence[str], dataset: str) -> list[Finding]:
    """An error per file of ``dataset`` whose path BioStudies would refuse, naming the file."""
    out = []
    for path in paths:
        why = path_problem(path)
        if why is not None:
            out.append(
                Finding.make(
                    BAD_PATH_CODE,
                    Severity.ERROR,
                    f"{why} (it takes letters, digits, space and ! - _ * ' ( ) . /): rename "
                    f"this file of {dataset} (or its folder) before deposition",
                    path=path,
                )
            )
    return out


def role_text(role: str) -> str:
    """What a file is, in words, for a file list (`ROLES`' description, shortened)."""
    return _ROLE_TEXT.get(role) or ROLES.get(role, (None, role))[1]


def dataset_info(result: ScanResult, name: str) -> Any:
    """The `DatasetInfo` called ``name`` (`KeyError` naming the known datasets otherwise)."""
    from clxm_meta.records.scan_index import scan_index

    info = scan_index(result).datasets.get(name)
    if info is not None:
        return info
    known = ", ".join(d.name for d in result.datasets) or "none"
    raise KeyError(f"no dataset {name!r} in the scan (datasets: {known})")


def _fmt(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def build_file_list(
    result: ScanResult, sim: str, *, md5: Mapping[str, str] | None = None
) -> list[FileListEntry]:
    """The file list of SIM dataset ``sim``: its member files, in path order.

    Parameters
    ----------
    result
        A scan of the deposition tree.
    sim
        The dataset's name (``ScanResult.datasets[*].name``).
    md5
        Relative path → hex MD5 digest; files without a digest get an empty ``MD5`` cell.
    """
    info = dataset_info(result, sim)
    from clxm_meta.records.scan_index import scan_index

    files = scan_index(result).files
    entries = []
    for member in sorted(info.members, key=lambda m: m.path):
        model = result.models.get(member.path)
        attrs: dict[str, str] = dict.fromkeys(FILE_LIST_COLUMNS, "")
        attrs["Type"] = role_text(member.role)
        attrs["Format"] = model.format if model is not None else ""
        channels = channel_table(model) if model is not None else []
        if channels:
            attrs["Channel"] = ", ".join(str(c.index) for c in channels)
            if any(c.excitation_nm is not None for c in channels):
                attrs["Excitation (nm)"] = ", ".join(_fmt(c.excitation_nm) for c in channels)
            if any(c.emission_nm is not None for c in channels):
                attrs["Emission (nm)"] = ", ".join(_fmt(c.emission_nm) for c in channels)
        if md5 is not None:
            attrs["MD5"] = md5.get(member.path, "")
        entries.append(
            FileListEntry(
                path=upload_path(member.path),
                size=f.size if (f := files.get(member.path)) else None,
                attributes=attrs,
            )
        )
    return entries


def _tsv_cell(text: str) -> str:
    return _CONTROL.sub(" ", text)


def file_list_tsv(entries: Sequence[FileListEntry]) -> str:
    """The file list as TSV: header ``Files`` + attribute columns, one line per file."""
    columns: list[str] = list(FILE_LIST_COLUMNS)
    for e in entries:
        columns.extend(k for k in e.attributes if k not in columns)
    lines = ["\t".join(["Files", *columns])]
    for e in entries:
        cells = [upload_path(e.path), *(e.attributes.get(c, "") for c in columns)]
        lines.append("\t".join(_tsv_cell(c) for c in cells))
    return "\n".join(lines) + "\n"


def file_list_json(entries: Sequence[FileListEntry]) -> list[dict[str, Any]]:
    """The file list in the archive's JSON shape; empty attributes are left out."""
    out = []
    for e in entries:
        item: dict[str, Any] = {"path": upload_path(e.path)}
        if e.size is not None:
            item["size"] = e.size
        item["attributes"] = [{"name": k, "value": v} for k, v in e.attributes.items() if v != ""]
        item["type"] = e.type
        out.append(item)
    return out
