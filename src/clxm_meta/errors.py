"""The library's own exceptions.

Every error names the file and what was wrong with it, so that a user who sees only the message
(in a log, in a CI job) can act on it without a traceback.
"""

from __future__ import annotations

import os

__all__ = [
    "ClxmMetaError",
    "LookupFailedError",
    "MalformedFileError",
    "OutputExistsError",
    "OutputPathError",
    "SidecarError",
    "UnreadableFileError",
    "UnsupportedFormatError",
]


class ClxmMetaError(Exception):
    """Base class of every error raised by clxm_meta.

    Parameters
    ----------
    message
        What went wrong, in words a depositor understands.
    path
        The file concerned, when there is one.
    """

    def __init__(self, message: str, *, path: str | os.PathLike[str] | None = None) -> None:
        self.path = os.fspath(path) if path is not None else None
        self.message = message
        super().__init__(f"{self.path}: {message}" if self.path else message)


class UnsupportedFormatError(ClxmMetaError):
    """The file is not in a format that clxm_meta reads (or not the format that was asked for)."""


class MalformedFileError(ClxmMetaError):
    """The file claims a supported format but its content is inconsistent or truncated.

    Parameters
    ----------
    message
        What is wrong.
    path
        The file concerned.
    field
        The header field, stream or line concerned (e.g. ``"next"``, ``"ImageInfo/Angles"``).
    offset
        Byte offset (binary formats) or 1-based line number (text formats), when known.
    expected, found
        What the reader expected and what it found, when that helps.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | os.PathLike[str] | None = None,
        field: str | None = None,
        offset: int | None = None,
        expected: object = None,
        found: object = None,
    ) -> None:
        self.field = field
        self.offset = offset
        self.expected = expected
        self.found = found
        detail = []
        if field is not None:
            detail.append(f"field {field}")
        if offset is not None:
            detail.append(f"at offset {offset}")
        if expected is not None or found is not None:
            detail.append(f"expected {expected!r}, found {found!r}")
        full = f"{message} ({'; '.join(detail)})" if detail else message
        super().__init__(full, path=path)


class UnreadableFileError(ClxmMetaError):
    """The file cannot be opened or read (missing, a directory, no permission, I/O error)."""


class SidecarError(ClxmMetaError):
    """The depositor sidecar (YAML) cannot be read at all."""


class LookupFailedError(ClxmMetaError):
    """An online look-up (ORCID, Crossref, Europe PMC, ROR) could not be made or gave no record."""


class OutputExistsError(ClxmMetaError):
    """An output file exists and overwriting was not asked for."""


class OutputPathError(ClxmMetaError):
    """An output path was refused: inside the input tree, or escaping the output folder."""
