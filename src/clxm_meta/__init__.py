"""clxm_meta: deposition metadata for correlative cryo light + soft X-ray microscopy.

Read a file's metadata::

    >>> import clxm_meta
    >>> model = clxm_meta.read("cell1.dv")          # typed format model, header only
    >>> [record] = clxm_meta.records_from_files(["cell1.dv"])
    >>> record.setup.pixel_size.value               # value + unit + source on every slot

See the README for the command line (``clxm-meta``).
"""

from importlib.metadata import PackageNotFoundError, version

from clxm_meta.api import records_from_files
from clxm_meta.dataset import ScanResult, scan
from clxm_meta.errors import (
    ClxmMetaError,
    MalformedFileError,
    OutputExistsError,
    SidecarError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from clxm_meta.findings import Finding, Severity
from clxm_meta.normalise import build_records
from clxm_meta.readers import FormatModel, detect, read
from clxm_meta.records import DatasetKind, Record, Row, SimRecord, Source, SxtRecord, Value, rows

try:
    __version__ = version("clxm-meta")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "unknown"

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
]
