"""`Value`: a Table 1 value with its unit and its source."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from clxm_meta.records.provenance import Source

__all__ = ["Value"]

T = TypeVar("T")


class Value(BaseModel, Generic[T]):
    """A known value. An unknown Table 1 value is not a `Value` but ``None`` in its slot.

    Attributes
    ----------
    value
        The value, in ``unit`` (or in the units named by a composite value's attributes).
    unit
        Unit of a scalar or list value (``"µm"``, ``"nm"``, ``"eV"``, ``"s"``, ``"°"``), else ``None``.
    source
        Where it came from.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: T
    unit: str | None = None
    source: Source
