"""What every archive exporter returns: the document and the required values it still lacks.

Exporters never refuse by themselves: they build what they can from the records and the sidecar
and list every required value they could not fill as a `MissingField`. The caller (``clxm-meta
deposit`` / ``export``) refuses to write when the list is not empty, unless the user passed
``--allow-incomplete``; either way the list is shown, naming who must supply each value and where.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

__all__ = ["Export", "MissingField", "Supplier"]

T = TypeVar("T")

Supplier = Literal["depositor", "facility", "file", "attached"]
"""Who can supply a missing value: the depositor (sidecar), the facility (sidecar), a file that
should be in the dataset, or a file to attach to the deposition."""


@dataclass(frozen=True)
class MissingField:
    """One required value that an export could not fill."""

    document: str
    """The document that needs it, e.g. ``"EMPIAR deposition"``, ``"BioStudies PageTab"``."""
    key: str
    """Where in that document, e.g. ``"corresponding_author.email"`` or ``"Study/Title"``."""
    label: str
    """What it is, in words a depositor understands."""
    who: Supplier
    where: str
    """How to supply it, e.g. the sidecar key ``datasets.sample1/SXT/ts1.general.title``."""
    field: str | None = None
    """The Table 1 id it comes from, when there is one."""

    def __str__(self) -> str:
        origin = f" [{self.field}]" if self.field else ""
        return f"{self.document}: {self.key} ({self.label}){origin} — {self.who} to supply: {self.where}"


@dataclass
class Export(Generic[T]):
    """A built document and the required values it lacks (empty when complete)."""

    document: T
    missing: list[MissingField] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when no required value is missing."""
        return not self.missing
