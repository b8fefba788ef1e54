"""`Value`: a Table 1 value with its unit and its source."""

from __future__ import annotations

from typing import Any, Generic, TypeVar, cast

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

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by the generic and its argument, not by the parametrised class's name.

        ``Value[str]`` is made where a record field names it, so ``pickle`` cannot find it by
        name; a scan's records travel between processes (`clxm_meta.dataset.scan.scan_unit`).
        """
        args = type(self).__pydantic_generic_metadata__["args"]
        return (_new_value, (args,), self.__getstate__())


_CLASSES: dict[tuple[Any, ...], type[Value[Any]]] = {}
"""The parametrised class per argument tuple (looking it up through ``Value[...]`` each time
costs more than the rest of unpickling a value)."""


def _new_value(args: tuple[Any, ...]) -> Value[Any]:
    cls = _CLASSES.get(args)
    if cls is None:
        made = Value.__class_getitem__(args[0]) if args else Value
        cls = _CLASSES[args] = cast("type[Value[Any]]", made)
    return cls.__new__(cls)
