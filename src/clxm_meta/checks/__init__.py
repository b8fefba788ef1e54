"""Checks before deposition: completeness, lint, MD5 manifest."""

from clxm_meta.checks.completeness import Completeness, RowStatus, completeness
from clxm_meta.checks.lint import MAX_FILE_BYTES, MAX_PATH_CHARS, lint
from clxm_meta.checks.manifest import compute_manifest, format_manifest
from clxm_meta.io.md5 import md5_file

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_PATH_CHARS",
    "Completeness",
    "RowStatus",
    "completeness",
    "compute_manifest",
    "format_manifest",
    "lint",
    "md5_file",
]
