"""The flat Table 1 view: one row object per Table 1 field.

This is the interchange shape of ``clxm-meta table1 --format json``: a list of objects with the keys
``id, label, value, unit, source, origin`` (plus ``dataset`` and ``kind``). ``id`` is exactly the id of
shared/docs/table1.md; ``origin`` is the protocol's origin code for the row (``file``, ``facility``,
``attached``, ``reconstruction``, ``depositor``); ``source`` says where this value came from, or is
``null`` when the value is unknown.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from clxm_meta.records.fields import fields_for
from clxm_meta.records.models import Record

__all__ = ["Row", "rows"]


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


def rows(record: Record, *, filled_only: bool = False) -> list[Row]:
    """Flatten ``record`` into Table 1 rows in the protocol's order.

    Parameters
    ----------
    record
        A SIM or SXT record.
    filled_only
        Leave out rows whose value is unknown.
    """
    out: list[Row] = []
    for spec in fields_for(record.kind):
        slot = record.get(spec.id)
        if slot is None:
            if filled_only:
                continue
            out.append(
                Row(
                    id=spec.id,
                    label=spec.label,
                    unit=spec.unit,
                    origin=spec.origin,
                    dataset=record.name,
                    kind=record.kind.value,
                )
            )
            continue
        dumped = slot.model_dump(mode="json")
        out.append(
            Row(
                id=spec.id,
                label=spec.label,
                value=dumped["value"],
                unit=slot.unit if slot.unit is not None else spec.unit,
                source=dumped["source"],
                origin=spec.origin,
                dataset=record.name,
                kind=record.kind.value,
            )
        )
    return out
