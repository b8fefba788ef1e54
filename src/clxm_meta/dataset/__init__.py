"""Deposition trees: walk, detect, group into datasets, pair SIM with SXT, build the records."""

from clxm_meta.dataset.model import DatasetInfo, Member, Pair, SampleInfo, ScannedFile, ScanResult
from clxm_meta.dataset.scan import scan

__all__ = [
    "DatasetInfo",
    "Member",
    "Pair",
    "SampleInfo",
    "ScanResult",
    "ScannedFile",
    "scan",
]
