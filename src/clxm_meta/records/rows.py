"""The flat Table 1 view: one row object per Table 1 field.

This is the interchange shape of ``clxm-meta table1 --format json``: a list of objects with the keys
``id, label, value, unit, source, origin`` (plus ``dataset`` and ``kind``). ``id`` is exactly the id of
shared/docs/table1.md; ``origin`` is the protocol's origin code for the row (``file``, ``facility``,
``attached``, ``reconstruction``, ``depositor``); ``source`` says where this value came from, or is
``null`` when the value is unknown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pydantic import BaseModel, ConfigDict

from clxm_meta.records.fields import fields_for
from clxm_meta.records.models import Record

__all__ = ["Row", "rows", "shared_rows"]


class Row(BaseModel):
    """One Table 1 row of one record."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    label: str
    value: Any = None
    unit: str | None = None
    source: dict[str, Any] | None = None
    origin: str
    dataset: str
    kind: str


@contextmanager
def shared_rows() -> Iterator[None]:
    """Within this block, `rows` flattens each record once and hands out copies of that list.

    The deposit builders of one unit (spreadsheet, PageTab, RO-Crate) each ask for the same SIM
    record's rows; a record must not change inside the block (none is changed while building).
    Nested blocks share the outermost one's lists.
    """
    with cache_scope(_SHARED):
        yield


@contextmanager
def cache_scope(var: ContextVar[Any]) -> Iterator[None]:
    """Within this block ``var`` holds a fresh dict (an outer block's, when nested), then None."""
    if var.get() is not None:
        yield
        return
    token = var.set({})
    try:
        yield
    finally:
        var.reset(token)


_SHARED: ContextVar[dict[int, tuple[Record, list[Row], list[bool]]] | None] = ContextVar(
    "clxm_meta_shared_rows", default=None
)
"""id(record) → (record, every row, which rows are filled), inside `shared_rows`."""


def rows(record: Record, *, filled_only: bool = False) -> list[Row]:
    """Flatten ``record`` into Table 1 rows in the protocol's order.

    Parameters
    ----------
    record
        A SIM or SXT record.
    filled_only
        Leave out rows whose value is unknown.
    """
    shared = _SHARED.get()
    hit = shared.get(id(record)) if shared is not None else None
    if hit is None or hit[0] is not record:
        every, filled = _flatten(record)
        if shared is not None:
            shared[id(record)] = (record, every, filled)
    else:
        every, filled = hit[1], hit[2]
    if filled_only:
        return [r for r, f in zip(every, filled, strict=True) if f]
    return list(every)


def _flatten(record: Record) -> tuple[list[Row], list[bool]]:
    """Every row of ``record`` and whether each is filled.

    (Validated: ``Row.model_construct`` is slower than pydantic-core's validation of a flat model,
    0.56 against 0.51 ms for the example SIM record.)
    """
    out: list[Row] = []
    filled: list[bool] = []
    name, kind = record.name, record.kind.value
    make = Row
    for spec in fields_for(record.kind):
        slot = record.get(spec.id)
        if slot is None:
            out.append(
                make(
                    id=spec.id,
                    label=spec.label,
                    unit=spec.unit,
                    origin=spec.origin,
                    dataset=name,
                    kind=kind,
                )
            )
            filled.append(False)
            continue
        dumped = slot.model_dump(mode="json")
        out.append(
            make(
                id=spec.id,
                label=spec.label,
                value=dumped["value"],
                unit=slot.unit if slot.unit is not None else spec.unit,
                source=dumped["source"],
                origin=spec.origin,
                dataset=name,
                kind=kind,
            )
        )
        filled.append(True)
    return out, filled
