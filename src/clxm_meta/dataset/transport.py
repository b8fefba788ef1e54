"""How a scan's results travel from a worker process to the driver: a compact pickle.

A process or cluster executor returns each task's `UnitResult` list pickled in the worker
(`clxm_meta.dataset.scan._scan_batch_pickled`); the driver unpickles every record and format
model of the tree, which is most of its share of a parallel scan. Pydantic pickles a model as
``NEWOBJ`` + a state dict of four entries (the instance dict, a copy of the fields-set as a set,
the extra and private slots) applied by ``BaseModel.__setstate__``: some 20 pickle opcodes and
two dicts and a set per model besides its fields, for the ~400 small models of a sample.

`dumps` pickles a plain model (no private or extra values, pydantic's own ``__setstate__``) as
one call, ``_model(cls, fields)``: the instance dict as it is, and no fields-set when every field
is set (the usual case; it is then rebuilt from the dict's keys). What `loads` gives back is the
object pydantic's own pickling gives: same class, instance dict (same key order), fields-set,
extra and private slots (tests compare them). Models with private values, extra fields, or a
``__getstate__``/``__setstate__``/``__reduce__`` of their own keep their own pickling (the DV
and MRC models, which settle their lazy fields in ``__getstate__``: a few per sample).

Only the driver of the same scan reads these bytes, with the same clxm_meta: this is a transport
between processes of one run, not a storage format.
"""

from __future__ import annotations

import copyreg
import io
import operator
import pickle
from typing import Any

from pydantic import BaseModel

from clxm_meta.gcpause import paused as gc_paused
from clxm_meta.unvalidated import every_field

__all__ = ["dumps", "loads"]

_new = object.__new__
_set = object.__setattr__
_BASE_GETSTATE = BaseModel.__getstate__
_BASE_SETSTATE = BaseModel.__setstate__
_BASE_REDUCE = BaseModel.__reduce__
_BASE_REDUCE_EX = BaseModel.__reduce_ex__


def _model(cls: type[BaseModel], data: dict[str, Any], fields_set: set[str] | None = None) -> Any:
    """A model of ``cls`` with instance dict ``data`` (``fields_set`` ``None``: every key)."""
    obj = _new(cls)
    _set(obj, "__dict__", data)
    if fields_set is None:
        every = every_field(cls)  # shared, as `clxm_meta.unvalidated.construct` does
        fields_set = every if len(every) == len(data) else set(data)
    _set(obj, "__pydantic_fields_set__", fields_set)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


def _generic(origin: type[BaseModel], args: tuple[Any, ...]) -> type[BaseModel]:
    """The parametrised class ``origin[args]`` (cached: ``Value[str]`` has no importable name)."""
    key = (origin, args)
    cls = _GENERICS.get(key)
    if cls is None:
        cls = _GENERICS[key] = origin[args[0] if len(args) == 1 else args]  # type: ignore[index]
    return cls


_GENERICS: dict[tuple[type[BaseModel], tuple[Any, ...]], type[BaseModel]] = {}


def _generic_model(
    origin: type[BaseModel],
    args: tuple[Any, ...],
    data: dict[str, Any],
    fields_set: set[str] | None = None,
) -> Any:
    return _model(_generic(origin, args), data, fields_set)


def _plain(cls: type) -> bool:
    """Whether instances of ``cls`` pickle as pydantic's default (the fast path applies)."""
    if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
        return False
    return (
        cls.__getstate__ is _BASE_GETSTATE
        and cls.__setstate__ is _BASE_SETSTATE
        and cls.__reduce_ex__ is _BASE_REDUCE_EX
        and (cls.__reduce__ is _BASE_REDUCE or _is_generic(cls))
    )


def _is_generic(cls: type[BaseModel]) -> bool:
    meta = getattr(cls, "__pydantic_generic_metadata__", None)
    return bool(meta and meta.get("origin") is not None and meta.get("args"))


def _reducer(cls: type[BaseModel]) -> Any:
    """The reduce function of a plain model class ``cls``."""
    generic = cls.__pydantic_generic_metadata__ if _is_generic(cls) else None

    def reduce(obj: BaseModel) -> str | tuple[Any, ...]:
        if obj.__pydantic_private__ or obj.__pydantic_extra__ is not None:
            return obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        data = obj.__dict__
        fields_set = obj.__pydantic_fields_set__
        every = len(fields_set) == len(data)  # fields-set is a subset of the dict's keys
        if generic is not None:
            head: tuple[Any, ...] = (_generic_model, (generic["origin"], generic["args"], data))
        else:
            head = (_model, (cls, data))
        if every:
            return head
        return (head[0], (*head[1], set(fields_set)))

    return reduce


class _Table(dict[type, Any]):
    """``Pickler.dispatch_table``: each type's reduce function, worked out once per type."""

    def __missing__(self, cls: type) -> Any:
        if _plain(cls):
            fn = self[cls] = _reducer(cls)
            return fn
        found = copyreg.dispatch_table.get(cls)
        if found is None:
            if issubclass(cls, type):
                raise KeyError(cls)  # a class: pickle saves it by name
            found = _DEFAULT  # pickle's own way (enums, numpy arrays, dataclasses ...)
        self[cls] = found
        return found


_DEFAULT = operator.methodcaller("__reduce_ex__", pickle.HIGHEST_PROTOCOL)


_TABLE = _Table()


def dumps(obj: Any) -> bytes:
    """``obj`` pickled, plain pydantic models as `_model` calls (read back with `loads`)."""
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _TABLE
    pickler.dump(obj)
    return buf.getvalue()


def loads(blob: bytes) -> Any:
    """What `dumps` pickled, unpickled with the cyclic garbage collector paused.

    Unpickling a batch makes some ten thousand objects that hold references (records, values,
    format models) and no reference cycles; with the collector on, each few hundred of them start
    a collection, and as the driver's heap grows with the results already merged, the older
    generations are traversed again and again: measured on 600 samples, unpickling took about
    four times as long with the collector on. It is paused for the call only (the state the
    caller had is restored): what the objects are, and when they are freed, is unchanged.
    """
    with gc_paused():
        return pickle.loads(blob)
