"""Build the MRC models from values our own decoders already typed, without re-validating them.

`build` is ``Model.model_construct`` made cheap: on pydantic 2.14, ``model_construct`` walks every
field in Python and costs about twice a validating construction (5 µs against 2.4 µs for an
`ExtSection`), while filling a prepared dict costs about half. The result is the instance a
validating construction would give for the same keyword arguments: the same ``__dict__`` (fields in
declaration order, defaults for the rest, fresh copies of list and dict defaults), the same
``model_fields_set`` (the keys given). Callers pass values of exactly the field types (``int``,
``float``, ``str``, lists of them; no numpy scalars): nothing converts them, and the reader tests
compare every model with one built the validating way.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

__all__ = ["build"]

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
_set = object.__setattr__

_REQUIRED = object()
"""Placeholder of a required field in the prepared dict; always overwritten by the caller."""

_Spec = tuple[
    tuple[str, ...], dict[str, Any] | None, dict[str, Any], tuple[str, ...], tuple[str, ...]
]
_SPECS: dict[type[BaseModel], _Spec] = {}


def _spec(cls: type[BaseModel]) -> _Spec:
    """What `build` needs to know of ``cls``, worked out once per class.

    The field names in order, the private attributes' defaults (``None`` when the model has
    none), the defaults in field order, and the fields whose default is a list / a dict (copied
    per call).
    """
    if cls.__new__ is not object.__new__:
        raise TypeError(f"{cls.__name__} defines __new__")
    defaults: dict[str, Any] = {}
    lists: list[str] = []
    dicts: list[str] = []
    for name, info in cls.model_fields.items():
        if info.default_factory is not None:
            value = info.default_factory()  # type: ignore[call-arg]
        elif info.default is PydanticUndefined:
            value = _REQUIRED
        else:
            value = info.default
        if isinstance(value, list):
            if value:
                raise TypeError(f"{cls.__name__}.{name}: non-empty list default")
            lists.append(name)
        elif isinstance(value, dict):
            if value:
                raise TypeError(f"{cls.__name__}.{name}: non-empty dict default")
            dicts.append(name)
        elif isinstance(value, BaseModel):
            value = _REQUIRED  # a model default would be copied per instance: always passed
        defaults[name] = value
    private: dict[str, Any] | None = None
    if cls.__private_attributes__:
        private = {}
        for name, attr in cls.__private_attributes__.items():
            value = attr.get_default()
            if value is not None:
                raise TypeError(f"{cls.__name__}.{name}: private default other than None")
            private[name] = value
    spec = (tuple(defaults), private, defaults, tuple(lists), tuple(dicts))
    _SPECS[cls] = spec
    return spec


def build(cls: type[M], values: dict[str, Any]) -> M:
    """An instance of ``cls`` with ``values`` (already of the field types), not validated.

    Parameters
    ----------
    cls
        A pydantic model without ``extra="allow"`` whose private attributes default to ``None``
        (they are set to their defaults, as a validating construction sets them).
    values
        Field values by name; the fields not given take their defaults and are not in
        ``model_fields_set``, as with ``cls(**values)``. Every required field must be given, and
        every field whose default is a model.
    """
    spec = _SPECS.get(cls)
    if spec is None:
        spec = _spec(cls)
    names, private, defaults, lists, dicts = spec
    if tuple(values) == names:
        data = values  # every field given, in field order: it becomes the instance dict
    else:
        data = dict(defaults)
        for name in lists:
            data[name] = []
        for name in dicts:
            data[name] = {}
        data.update(values)
    obj = _new(cls)
    _set(obj, "__dict__", data)
    _set(obj, "__pydantic_fields_set__", set(values))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None if private is None else dict(private))
    return obj
