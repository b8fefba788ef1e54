"""Deposition trees: walk, detect, group into datasets, pair SIM with SXT, build the records."""

from clxm_meta.dataset.scan import ScanStream, UnitResult, scan, scan_units
from clxm_meta.records.scan import DatasetInfo, Member, Pair, SampleInfo, ScannedFile, ScanResult

__all__ = [
    "DatasetInfo",
    "Member",
    "Pair",
    "SampleInfo",
    "ScanResult",
    "ScanStream",
    "ScannedFile",
    "UnitResult",
    "scan",
    "scan_units",
]
