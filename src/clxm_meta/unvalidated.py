"""Model instances built without validation, from values a decoder typed itself.

Readers decode file bytes into values of exactly their fields' types; validating them again would
cost more than the decoding (and would build every model's validator on first use, which is most
of ``clxm-meta inspect``'s start-up). `construct` builds what validation would have built without
validating; the reader tests compare the two on every sample file.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

__all__ = ["assemble", "construct", "every_field"]

M = TypeVar("M", bound=BaseModel)


def construct(cls: type[M], values: dict[str, Any], private: dict[str, Any] | None = None) -> M:
    """An instance of ``cls`` from values a reader decoded itself, without validation.

    The instance ``cls(**values)`` would give, built without validating: readers pass values of
    exactly the field types (``int`` not a numpy integer, ``tuple`` for tuple fields, lists of
    plain values), which the reader tests check against validating construction. The fields not
    in ``values`` take their defaults (fresh copies of list and dict defaults) and stay out of
    ``model_fields_set``; the instance dict is in field order, as after validation. Private
    attributes take their defaults, updated with ``private``.

    Why not ``cls.model_construct``: on pydantic 2.x it walks every field in Python and costs about
    twice a validating construction, while filling a dict prepared once per class (`_spec`) costs
    about half of one. Models this cannot prepare (a ``model_post_init`` of their own, a default
    that is a model or a non-empty container, extra fields allowed, private defaults other than
    ``None``) go through ``model_construct``.
    """
    spec = _SPECS.get(cls)
    if spec is None:
        spec = _SPECS[cls] = _spec(cls)
    if spec is _UNPREPARED:
        model = cls.model_construct(**values)
        for name, value in (private or {}).items():
            setattr(model, name, value)
        return model
    names, defaults, lists, dicts, private_defaults, every, frozen = spec
    if tuple(values) == names:
        data = values  # every field given, in field order: it becomes the instance dict
        fields_set = every  # shared: see `every_field`
    else:
        fields_set = _given(cls, tuple(values)) if frozen else set(values)
        data = dict(defaults)
        for name in lists:
            data[name] = []
        for name in dicts:
            data[name] = {}
        data.update(values)
    if private_defaults is None:
        if private:
            raise TypeError(f"{cls.__name__} has no private attributes")
        private_data = None
    else:
        private_data = dict(private_defaults)
        if private:
            private_data.update(private)
    model = cls.__new__(cls)
    _set = object.__setattr__
    _set(model, "__dict__", data)
    _set(model, "__pydantic_fields_set__", fields_set)
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", private_data)
    return model


def assemble(cls: type[M], /, **values: Any) -> M:
    """`construct` with the field values as keyword arguments: ``cls(**values)``, not validated."""
    return construct(cls, values)


_Spec = tuple[
    tuple[str, ...],
    dict[str, Any],
    tuple[str, ...],
    tuple[str, ...],
    dict[str, Any] | None,
    set[str],
    bool,
]
_UNPREPARED: _Spec = ((), {}, (), (), None, set(), False)
"""The spec of a class `construct` leaves to ``model_construct``."""
_SPECS: dict[type[BaseModel], _Spec] = {}
"""Per model class, what `construct` needs, worked out once: the class attributes it reads go
through pydantic's metaclass, which costs about as much as building an instance."""

_REQUIRED = object()
"""Placeholder of a required field in a prepared dict; always overwritten by the caller's value."""


def _spec(cls: type[BaseModel]) -> _Spec:
    """Field names in order, defaults, list- and dict-default fields, private defaults."""
    private_names = cls.__private_attributes__
    if (
        cls.__new__ is not object.__new__
        or cls.model_config.get("extra") == "allow"
        or (cls.__pydantic_post_init__ and not private_names)
    ):
        return _UNPREPARED
    defaults: dict[str, Any] = {}
    lists: list[str] = []
    dicts: list[str] = []
    for name, info in cls.__pydantic_fields__.items():
        if info.default_factory is not None:
            value = info.default_factory()  # type: ignore[call-arg]
        elif info.default is PydanticUndefined:
            value = _REQUIRED
        else:
            value = info.default
        if isinstance(value, list | dict):
            if value:
                return _UNPREPARED
            (lists if isinstance(value, list) else dicts).append(name)
        elif isinstance(value, BaseModel):
            return _UNPREPARED
        defaults[name] = value
    private: dict[str, Any] | None = None
    if private_names:
        private = {}
        for name, attr in private_names.items():
            value = attr.get_default()
            if value is not None:
                return _UNPREPARED
            private[name] = value
    frozen = bool(cls.model_config.get("frozen"))
    return (
        tuple(defaults),
        defaults,
        tuple(lists),
        tuple(dicts),
        private,
        every_field(cls),
        frozen,
    )


_EVERY: dict[type[BaseModel], set[str]] = {}


def every_field(cls: type[BaseModel]) -> set[str]:
    """The fields-set of an instance of ``cls`` given every field: one set per class, shared.

    Pydantic gives each instance a set of the fields it was given (``model_fields_set``), at
    least 216 bytes, 728 from five names: in a scan's result these sets were about half of all
    the memory its records and format models take (188 of 400 KiB a sample). When every field is
    given, that set is the same for every instance of the class, so instances built here share
    one. Pydantic never takes a name out of a fields-set, and adding a name it holds (what an
    assignment does) changes nothing, so sharing is invisible, short of code that removes names
    from ``model_fields_set`` by hand.
    """
    every = _EVERY.get(cls)
    if every is None:
        every = _EVERY[cls] = set(cls.__pydantic_fields__)
    return every


_GIVEN: dict[tuple[type[BaseModel], tuple[str, ...]], set[str]] = {}


def _given(cls: type[BaseModel], names: tuple[str, ...]) -> set[str]:
    """The fields-set of a frozen ``cls`` given the fields ``names``: one set per combination.

    A frozen model refuses assignment, so nothing adds to its fields-set: instances given the
    same fields share one set (see `every_field`).
    """
    key = (cls, names)
    given = _GIVEN.get(key)
    if given is None:
        given = _GIVEN[key] = set(names)
    return given
