"""Readers: one module per format, header only, each returning a typed format model."""

from clxm_meta.readers.base import FindingCollector, FormatModel
from clxm_meta.readers.registry import FORMATS, FormatEntry, detect, get_format, read

__all__ = [
    "FORMATS",
    "FindingCollector",
    "FormatEntry",
    "FormatModel",
    "detect",
    "get_format",
    "read",
]
