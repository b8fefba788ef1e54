"""A format model some of whose fields a reader leaves to be worked out on first use.

A header-only ``read`` decodes what the header says; values worked out from it (parsed labels, a
decoded extended header, the role, the findings ...) can cost more than the read itself and are
often not asked for. `DeferredModel.deferred` builds a model without them, with the function that
works them out: attribute access, ``model_dump`` / ``model_dump_json`` (of this model or of one
holding it), `readers.json_data`, comparison, ``repr``, iteration, copying, assignment and pickling
settle them first (once, in field order), so each gives exactly what a model built with every
value does. The same pattern as `clxm_meta.readers.dv.model.DvFile`, for any format model.
"""

# No ``from __future__ import annotations``: pydantic evaluates the annotations of a model class.
from collections.abc import Callable, Collection, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import PrivateAttr, SerializerFunctionWrapHandler, model_serializer

from clxm_meta.readers.base import FormatModel

__all__ = ["DeferredModel"]


class DeferredModel(FormatModel):
    """`FormatModel` whose fields in `DEFERRED` may be left to first use (see the module)."""

    DEFERRED: ClassVar[frozenset[str]] = frozenset()
    """The fields a reader may leave to first use."""

    # The function that works the deferred fields out, and the dict of every field in field order
    # (placeholders for the deferred ones), which settling fills in place.
    _pending: tuple[Callable[[], dict[str, Any]], dict[str, Any]] | None = PrivateAttr(default=None)

    @classmethod
    def deferred(
        cls,
        values: dict[str, Any],
        names: Collection[str],
        pending: Callable[[], dict[str, Any]] | None,
        fields_set: Collection[str],
    ) -> "DeferredModel":
        """A model of ``values`` (every field, in field order), unvalidated.

        The fields ``names`` (a subset of `DEFERRED`) are left out until first use, when
        ``pending()`` returns their values; without ``pending`` (and ``names`` empty) the model is
        complete. ``fields_set`` becomes ``model_fields_set``.
        """
        data = dict(values)
        for name in names:
            del data[name]
        model = cls.__new__(cls)
        _set = object.__setattr__
        _set(model, "__dict__", data)
        _set(model, "__pydantic_fields_set__", set(fields_set))
        _set(model, "__pydantic_extra__", None)
        _set(model, "__pydantic_private__", {"_pending": (pending, values) if pending else None})
        return model

    def _settle(self) -> None:
        """Work out the deferred fields, if any (once; the instance dict stays in field order)."""
        private = self.__pydantic_private__
        pending = private.get("_pending") if private else None
        if pending is None or private is None:
            return
        work, full = pending
        values = work()  # threads settling at once each work them out: either result is the same
        data = self.__dict__
        fields = type(self).__pydantic_fields__
        if len(data) + len(values) == len(full) == len(fields):
            # No field was deleted meanwhile: ``full`` has every key in field order; updating
            # keeps each key where it is.
            full.update(data)
            full.update(values)
            settled = full
        else:
            settled = {name: data[name] if name in data else values[name] for name in fields}
        object.__setattr__(self, "__dict__", settled)
        private["_pending"] = None

    @model_serializer(mode="wrap")
    def _serialise(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        # No return annotation on purpose: pydantic then keeps this model's own serialisation
        # JSON schema (an annotation, even ``Any``, would replace it).
        self._settle()
        return handler(self)

    def _json_data_prepare(self) -> None:
        """For `readers.json_data`: the wrap serializer above only settles the model first."""
        self._settle()

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            if name in type(self).DEFERRED:
                self._settle()
                data = self.__dict__
                if name in data:
                    return data[name]
            return super().__getattr__(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in type(self).DEFERRED:
            self._settle()
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if name in type(self).DEFERRED:
            self._settle()
        super().__delattr__(name)

    def __eq__(self, other: object) -> bool:
        self._settle()
        if isinstance(other, DeferredModel):
            other._settle()
        return super().__eq__(other)

    def __repr_args__(self) -> Any:
        self._settle()
        return super().__repr_args__()

    def __iter__(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]
        self._settle()
        return super().__iter__()

    def __copy__(self) -> "DeferredModel":
        self._settle()
        return super().__copy__()

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> "DeferredModel":
        self._settle()
        return super().__deepcopy__(memo)

    def __getstate__(self) -> dict[Any, Any]:
        self._settle()
        return super().__getstate__()
