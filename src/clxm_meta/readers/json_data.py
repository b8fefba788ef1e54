"""A format model as JSON-ready data, without building pydantic's serializer when it is not needed.

``model.model_dump(mode="json")`` builds the model's core schema, validator and serializer on first
use (the models are ``defer_build``), and building a validator loads pydantic's plugin registry
(``importlib.metadata`` over every installed distribution): 60-100 ms, most of a ``clxm-meta
inspect`` of one DV file. `json_data` gives the same data by walking the model's fields when
every model in the tree is plain - no serializers, aliases or exclusions, no extra fields - and
every value is a plain JSON value (str, int, finite float, bool, None, an enum, a list, tuple or
dict of them, a plain nested model of a class its field declares). Anything else falls back to
``model_dump(mode="json")``, so the result is always what pydantic gives
(tests/readers/test_json_data.py compares both on every sample file).
"""

from __future__ import annotations

import math
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel

__all__ = ["json_data"]


class _NotPlain(Exception):
    """Something pydantic's serializer must handle."""


class _Field:
    """What the walk needs of one field: its name, the model classes it declares, float or not."""

    __slots__ = ("has_float", "models", "name")

    def __init__(self, name: str, annotation: Any) -> None:
        self.name = name
        self.models: set[type[BaseModel]] = set()
        self.has_float = False
        has_int = [False]
        self._scan(annotation, has_int)
        if has_int[0]:  # a union with int (or Any) keeps an int an int, as pydantic does
            self.has_float = False

    def _scan(self, annotation: Any, has_int: list[bool]) -> None:
        if annotation is float:
            self.has_float = True
        elif annotation is int or annotation is Any:
            has_int[0] = True
        elif (
            isinstance(annotation, type)
            and not typing.get_args(annotation)
            and issubclass(annotation, BaseModel)
        ):
            self.models.add(annotation)
        for arg in typing.get_args(annotation):
            self._scan(arg, has_int)


_PLAN: dict[type[BaseModel], tuple[tuple[_Field, ...], tuple[str, ...]] | None] = {}
"""Per model class: its fields and computed-field names in serialisation order, or ``None`` when
the class is not plain."""


def _plan(cls: type[BaseModel]) -> tuple[tuple[_Field, ...], tuple[str, ...]] | None:
    if cls in _PLAN:
        return _PLAN[cls]
    decorators = cls.__pydantic_decorators__
    prepare = getattr(cls, "_json_data_prepare", None)
    plain = (
        not cls.__pydantic_root_model__
        and cls.model_config.get("extra") != "allow"
        and not decorators.field_serializers
        and (not decorators.model_serializers or prepare is not None)
        and all(d.info.alias is None for d in decorators.computed_fields.values())
        and all(
            f.alias is None
            and f.serialization_alias is None
            and not f.exclude
            and getattr(f, "exclude_if", None) is None
            for f in cls.__pydantic_fields__.values()
        )
    )
    plan = (
        (
            tuple(_Field(n, f.annotation) for n, f in cls.__pydantic_fields__.items()),
            tuple(decorators.computed_fields),
        )
        if plain
        else None
    )
    _PLAN[cls] = plan
    return plan


def _model(model: BaseModel) -> dict[str, Any]:
    plan = _plan(type(model))
    if plan is None:
        raise _NotPlain
    fields, computed = plan
    prepare = getattr(model, "_json_data_prepare", None)
    if prepare is not None:  # what the model's own wrap serializer does before the handler
        prepare()
    values = model.__dict__
    out: dict[str, Any] = {}
    for field in fields:
        out[field.name] = _value(values[field.name], field)
    for name in computed:
        out[name] = _value(getattr(model, name), None)
    return out


def _value(value: Any, field: _Field | None) -> Any:
    kind = type(value)
    if kind is str or value is None:
        return value
    if kind is float:
        if not math.isfinite(value):
            raise _NotPlain
        return value
    if kind is int or kind is bool:
        if field is None or field.has_float:  # a float field would serialise an int as a float
            raise _NotPlain
        return value
    if kind is list or kind is tuple:
        return [_value(item, field) for item in value]
    if kind is dict:
        out: dict[str, Any] = {}
        for key, item in value.items():
            if type(key) is str:
                out[key] = _value(item, field)
            elif type(key) is int:
                out[str(key)] = _value(item, field)
            else:
                raise _NotPlain
        return out
    if isinstance(value, BaseModel):
        if field is not None and kind not in field.models:  # a subclass: declared type decides
            raise _NotPlain
        return _model(value)
    if isinstance(value, Enum) and type(value.value) in (str, int):
        return value.value
    raise _NotPlain


def json_data(model: BaseModel) -> dict[str, Any]:
    """``model.model_dump(mode="json")``, walked without pydantic's serializer when plain."""
    try:
        return _model(model)
    except _NotPlain:
        return model.model_dump(mode="json")
