"""`Candidate`: one file's proposal for one Table 1 value.

The per-format normaliser modules (``clxm_meta.normalise.<format>``) turn a format model into
candidates; `clxm_meta.normalise.build` chooses among them per field and builds the records. A
normaliser module provides::

    def candidates(model: <FormatModel>) -> list[Candidate]

and never opens a file.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.provenance import Source

__all__ = ["Candidate", "Precedence"]


class Precedence(IntEnum):
    """Which source wins when several files give the same field (higher wins).

    The documented order is: depositor sidecar > raw-data header > processed-data header > log
    or parameter file > value derived from other values > stated assumption > facility profile.
    """

    FACILITY = 5
    """From a facility profile: used only when no file gives the row (a file that disagrees wins,
    with a ``facility.disagrees`` finding) and replaced by the depositor's sidecar."""

    ASSUMPTION = 10
    DERIVED = 20
    LOG = 30
    PROCESSED_HEADER = 40
    HEADER = 50
    PIXELS = 60
    """Computed from the pixel data on request (``--scan-intensities``): exact, so it outranks
    a header's statistics, which are often stale."""
    SIDECAR = 100


class Candidate(BaseModel):
    """A proposed value for Table 1 row ``field`` of a ``kind`` record.

    Attributes
    ----------
    field
        Table 1 id, e.g. ``"setup.pixel_size"``.
    kind
        The record kind the value belongs to.
    value
        A value of the slot's type (or its JSON-like form, validated when set on the record).
    unit
        Unit of a scalar/list value.
    source
        Provenance.
    precedence
        See `Precedence`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    field: str
    kind: DatasetKind
    value: Any
    unit: str | None = None
    source: Source
    precedence: Precedence = Precedence.HEADER
