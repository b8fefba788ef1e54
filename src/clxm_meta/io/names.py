"""Output names derived from dataset paths, kept within the file-system limit.

The OME file of ``sample1/SIM/cell1.dv`` is ``sample1__SIM__cell1.ome.xml``: the dataset path
flattened. A deep or long path gives a name past the 255-byte limit of common file systems (ext4,
XFS, APFS, NTFS), which would fail with "File name too long". `fit_name` shortens such a name to a
stable one: the start of the name, ``~``, the first 12 hex digits of the SHA-256 of the whole name,
then the ending (``.ome.xml``). The same input always gives the same name, and two long names that
differ only at their end still differ.
"""

from __future__ import annotations

import hashlib
import posixpath
import re

__all__ = [
    "HASH_DIGITS",
    "NAME_MAX_BYTES",
    "fit_name",
    "flat_name",
    "folder_name",
    "is_shortened",
]

NAME_MAX_BYTES = 255
"""The limit of one path component on common file systems, in bytes of UTF-8."""

HASH_DIGITS = 12


def fit_name(name: str, ending: str = "", *, limit: int = NAME_MAX_BYTES) -> str:
    """``name + ending`` when it fits in ``limit`` bytes; else a shortened stable name.

    The shortened name keeps as much of the start of ``name`` as fits (cut on a character
    boundary), then ``~`` and the hash, then ``ending``.
    """
    full = name + ending
    if len(full.encode("utf-8")) <= limit:
        return full
    digest = hashlib.sha256(full.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_DIGITS]
    tail = f"~{digest}{ending}"
    room = max(0, limit - len(tail.encode("utf-8")))
    head = name.encode("utf-8", "surrogatepass")[:room].decode("utf-8", "ignore")
    return head + tail


def flat_name(rel: str, ending: str, *, limit: int = NAME_MAX_BYTES) -> str:
    """``sample1/SIM/cell1.dv`` → ``sample1__SIM__cell1`` + ``ending``, shortened to fit."""
    stem = rel.rsplit(".", 1)[0] if "." in posixpath.basename(rel) else rel
    return fit_name(stem.replace("/", "__"), ending, limit=limit)


def is_shortened(rel: str, ending: str) -> bool:
    """Whether `flat_name` shortens the name of ``rel``."""
    return flat_name(rel, ending) != flat_name(rel, ending, limit=1 << 30)


def folder_name(dataset: str, *, limit: int = NAME_MAX_BYTES) -> str:
    """The output sub-folder of a dataset: ``sample1/SXT/ts1`` → ``sample1_SXT_ts1``, fitted."""
    return fit_name(re.sub(r"[^A-Za-z0-9._+-]+", "_", dataset).strip("_") or "dataset", limit=limit)
