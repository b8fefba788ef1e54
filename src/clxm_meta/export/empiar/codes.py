"""EMPIAR's code lists, as its deposition schema defines them (empiar-depositor, schema of 2023).

A coded imageset value is written as the text of a Python tuple: ``"('T9', '')"`` for a listed
code, ``"('OT', 'free text')"`` for "other". The schema's patterns for these have no outer group
(``^(A)|B$``), so ``"('T9', '') junk"`` passes its validator; `coded` and `CODED_PATTERNS` here
full-match instead.
"""

from __future__ import annotations

import re

__all__ = [
    "CATEGORIES",
    "CODED_PATTERNS",
    "DATA_FORMATS",
    "EXPERIMENT_TYPES",
    "HEADER_FORMATS",
    "RELEASE_CODES",
    "VOXEL_TYPES",
    "coded",
    "other",
    "upper_text",
]

RELEASE_CODES: dict[str, str] = {"REL": "RE", "EMDBPUB": "EP", "HPUB": "HP", "HOLD": "HO"}
"""The protocol's release instruction → EMPIAR ``release_date`` code."""

EXPERIMENT_TYPES: dict[int, str] = {
    1: "soft X-ray tomography",
    2: "simulated data",
    3: "raw image data relating to an EMDB structure",
    4: "serial block-face SEM",
    5: "focused ion beam SEM",
    6: "integrative hybrid modelling",
    7: "correlative light-electron microscopy",
    8: "correlative light X-ray microscopy",
    9: "microcrystal electron diffraction",
    11: "ATUM-SEM",
    12: "hard X-ray / X-ray microCT",
    13: "ssET",
}
"""``experiment_type`` codes (there is no 10)."""

CATEGORIES: dict[str, str] = {
    "T1": "micrographs - single frame",
    "T2": "micrographs - multiframe",
    "T3": "micrographs - focal pairs - unprocessed",
    "T4": "micrographs - focal pairs - contrast inverted",
    "T5": "picked particles - single frame - unprocessed",
    "T6": "picked particles - multiframe - unprocessed",
    "T7": "picked particles - single frame - processed",
    "T8": "picked particles - multiframe - processed",
    "T9": "tilt series",
    "T10": "class averages",
    "T11": "stitched maps",
    "T12": "diffraction images",
    "T13": "reconstructed volumes",
    "T14": "subtomograms",
}
"""Imageset ``category`` codes."""

HEADER_FORMATS: dict[str, str] = {
    "T1": "MRC",
    "T2": "MRCS",
    "T3": "TIFF",
    "T4": "IMAGIC",
    "T5": "DM3",
    "T6": "DM4",
    "T7": "SPIDER",
    "T8": "XML",
    "T9": "EER",
    "T10": "PNG",
    "T11": "JPEG",
    "T12": "SMV",
    "T13": "EM",
    "T14": "TPX3",
}
"""Imageset ``header_format`` codes."""

DATA_FORMATS: dict[str, str] = {**HEADER_FORMATS, "T8": "BIG DATA VIEWER HDF5"}
"""Imageset ``data_format`` codes (as the header formats, but T8 is BigDataViewer HDF5)."""

VOXEL_TYPES: dict[str, str] = {
    "T1": "UNSIGNED BYTE",
    "T2": "SIGNED BYTE",
    "T3": "UNSIGNED 16 BIT INTEGER",
    "T4": "SIGNED 16 BIT INTEGER",
    "T5": "UNSIGNED 32 BIT INTEGER",
    "T6": "SIGNED 32 BIT INTEGER",
    "T7": "32 BIT FLOAT",
    "T8": "BIT",
    "T9": "4 BIT INTEGER",
}
"""Imageset ``voxel_type`` codes (T1–T9 only)."""

_T_1_14 = r"T(?:1[0-4]|[1-9])"
CODED_PATTERNS: dict[str, re.Pattern[str]] = {
    "category": re.compile(rf"\('{_T_1_14}', ''\)|\('OT', '[^\0']+'\)"),
    "header_format": re.compile(rf"\('{_T_1_14}', ''\)|\('OT', '[A-Z0-9 ]+'\)"),
    "data_format": re.compile(rf"\('{_T_1_14}', ''\)|\('OT', '[A-Z0-9 ]+'\)"),
    "voxel_type": re.compile(r"\('T[1-9]', ''\)|\('OT', '[A-Z0-9 ]+'\)"),
}
"""Full-match patterns of the coded imageset keys (use with ``fullmatch``). The OT text of a
category may hold any character but a quote (it would end the tuple text); the OT text of formats
and voxel types must be capitals, digits and spaces."""


def coded(code: str) -> str:
    """The tuple text of a listed code: ``coded("T9")`` → ``"('T9', '')"``."""
    return f"('{code}', '')"


def upper_text(text: str) -> str:
    """Free text in EMPIAR's "other" form for formats and voxel types: ``[A-Z0-9 ]+``.

    Letters are upper-cased; every other character becomes a space; runs of spaces collapse
    (``"64-bit float"`` → ``"64 BIT FLOAT"``, ``".txrm"`` → ``"TXRM"``).
    """
    cleaned = re.sub(r"[^A-Z0-9]+", " ", text.upper())
    return " ".join(cleaned.split())


def other(text: str) -> str:
    """The tuple text of "other": ``other("TXRM")`` → ``"('OT', 'TXRM')"``."""
    return f"('OT', '{text}')"
