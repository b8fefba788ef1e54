"""Where a value came from: every Table 1 value carries one `Source`."""

from __future__ import annotations

import os
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from clxm_meta.unvalidated import every_field

__all__ = ["Source", "SourceKind"]


class SourceKind(StrEnum):
    """How a value was obtained."""

    FILE = "file"
    """Read from a file as it is (a header field, a stream, a log line), possibly with a unit change."""
    DERIVED = "derived"
    """Computed from file values; the formula is in `Source.transform`."""
    SIDECAR = "sidecar"
    """Given by the depositor in the sidecar YAML."""
    FACILITY = "facility"
    """From a facility profile (e.g. ``diamond-b24``): a value every user of that instrument shares,
    with the public reference it was taken from in `Source.transform`."""
    ASSUMPTION = "assumption"
    """A documented default used because the file does not say (e.g. 3 angles x 5 phases)."""


class Source(BaseModel):
    """The provenance of one value.

    Attributes
    ----------
    kind
        See `SourceKind`.
    path
        The file the value came from (the sidecar for sidecar values).
    reader
        The reader (format name) that produced it, e.g. ``"dv"``.
    locator
        Where in the file: header field and byte offset, OLE stream, line number, YAML key.
    transform
        What was done to the raw value: a unit conversion, a formula, the assumption made.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: SourceKind
    path: str | None = None
    reader: str | None = None
    locator: str | None = None
    transform: str | None = None

    @classmethod
    def file(
        cls,
        path: str | os.PathLike[str],
        reader: str,
        locator: str,
        transform: str | None = None,
    ) -> Source:
        """A value read from ``path`` at ``locator``."""
        return _shared(
            cls,
            kind=SourceKind.FILE,
            path=os.fspath(path),
            reader=reader,
            locator=locator,
            transform=transform,
        )

    @classmethod
    def derived(
        cls,
        path: str | os.PathLike[str] | None,
        reader: str | None,
        locator: str,
        transform: str,
    ) -> Source:
        """A value computed by ``transform`` from the fields at ``locator``."""
        return _shared(
            cls,
            kind=SourceKind.DERIVED,
            path=os.fspath(path) if path is not None else None,
            reader=reader,
            locator=locator,
            transform=transform,
        )

    @classmethod
    def assumption(
        cls,
        path: str | os.PathLike[str] | None,
        reader: str | None,
        locator: str,
        transform: str,
    ) -> Source:
        """A documented default, stated in ``transform``."""
        return _shared(
            cls,
            kind=SourceKind.ASSUMPTION,
            path=os.fspath(path) if path is not None else None,
            reader=reader,
            locator=locator,
            transform=transform,
        )

    def __str__(self) -> str:
        parts = [self.kind.value]
        if self.path:
            parts.append(os.path.basename(self.path))
        if self.locator:
            parts.append(self.locator)
        text = " · ".join(parts)
        return f"{text} ({self.transform})" if self.transform else text


def _shared(cls: type[Source], **values: str | None) -> Source:
    """``cls(**values)`` (every field given), with the class's shared fields-set.

    A scan makes one `Source` per value; each pydantic instance has a set of the fields it was
    given, the largest part of a small model's memory (see `clxm_meta.unvalidated.every_field`).
    """
    made = cls(**values)
    object.__setattr__(made, "__pydantic_fields_set__", every_field(cls))
    return made
