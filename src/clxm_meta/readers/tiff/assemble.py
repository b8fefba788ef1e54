"""Build the TIFF models from values the reader typed itself, without pydantic validation.

Validation dominated the profile once the OME-XML parse was fast; the reader's own code already
yields exactly the field types (``int`` from ``int()``, ``float`` from ``float()`` or a unit
conversion, ``str``, lists and dicts of those), so validating them again changes nothing but the
time. ``tests/readers/tiff/test_tiff_assembled.py`` checks on every test file that a model read this
way serialises byte for byte like the same model validated.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from clxm_meta.readers.base import construct

__all__ = ["assemble"]

M = TypeVar("M", bound=BaseModel)

_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {}
"""Field names by model class (``model_fields`` goes through a descriptor on every access)."""


def assemble(cls: type[M], **values: Any) -> M:
    """``cls(**values)`` without validation (fields in declaration order; defaults for the rest)."""
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = tuple(cls.model_fields)
    if len(values) == len(fields):
        return construct(cls, {name: values[name] for name in fields})
    return cls.model_construct(**values)
