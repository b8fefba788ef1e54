"""clxm_meta: deposition metadata for correlative cryo light + soft X-ray microscopy.

Read a file's metadata::

    >>> import clxm_meta
    >>> model = clxm_meta.read("cell1.dv")          # typed format model, header only
    >>> [record] = clxm_meta.records_from_files(["cell1.dv"])
    >>> record.setup.pixel_size.value               # value + unit + source on every slot

See the README for the command line (``clxm-meta``).

The public names are imported on first use (PEP 562 module ``__getattr__``): ``import clxm_meta``
loads only this module and `clxm_meta.errors`, so that a command run on one DV file does not pay for
the TIFF, TXRM, records or dataset layers (tests/test_import_structure.py holds this).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from clxm_meta.errors import (
    ClxmMetaError,
    MalformedFileError,
    OutputExistsError,
    SidecarError,
    UnreadableFileError,
    UnsupportedFormatError,
)

if TYPE_CHECKING:
    from clxm_meta.api import records_from_files
    from clxm_meta.dataset import ScanResult, scan, scan_units
    from clxm_meta.findings import Finding, Severity
    from clxm_meta.normalise import build_records
    from clxm_meta.readers import FormatModel, detect, read
    from clxm_meta.records import (
        DatasetKind,
        Record,
        Row,
        SimRecord,
        Source,
        SxtRecord,
        Value,
        rows,
    )

    __version__: str

__all__ = [
    "ClxmMetaError",
    "DatasetKind",
    "Finding",
    "FormatModel",
    "MalformedFileError",
    "OutputExistsError",
    "Record",
    "Row",
    "ScanResult",
    "Severity",
    "SidecarError",
    "SimRecord",
    "Source",
    "SxtRecord",
    "UnreadableFileError",
    "UnsupportedFormatError",
    "Value",
    "__version__",
    "build_records",
    "detect",
    "read",
    "records_from_files",
    "rows",
    "scan",
    "scan_units",
]

_LAZY: dict[str, str] = {
    "records_from_files": "clxm_meta.api",
    "ScanResult": "clxm_meta.dataset",
    "scan": "clxm_meta.dataset",
    "scan_units": "clxm_meta.dataset",
    "Finding": "clxm_meta.findings",
    "Severity": "clxm_meta.findings",
    "build_records": "clxm_meta.normalise",
    "FormatModel": "clxm_meta.readers",
    "detect": "clxm_meta.readers",
    "read": "clxm_meta.readers",
    "DatasetKind": "clxm_meta.records",
    "Record": "clxm_meta.records",
    "Row": "clxm_meta.records",
    "SimRecord": "clxm_meta.records",
    "Source": "clxm_meta.records",
    "SxtRecord": "clxm_meta.records",
    "Value": "clxm_meta.records",
    "rows": "clxm_meta.records",
}
"""Public name -> the module it is imported from on first access."""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("clxm-meta")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _version()
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module 'clxm_meta' has no attribute {name!r}")
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
