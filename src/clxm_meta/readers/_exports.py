"""Names a reader package exports but imports only on first use (PEP 562 module ``__getattr__``).

A reader package's ``__init__`` names its `read` and its format model; importing the package (as
the registry does to reach a text format's ``sniff`` module) must not import the parser and the
model. Each package binds ``__getattr__, __dir__ = lazy_exports(__name__, {...})``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Module ``__getattr__`` and ``__dir__`` resolving ``exports`` on first access.

    Parameters
    ----------
    package
        The package's ``__name__``.
    exports
        Exported name -> the submodule (relative to ``package``) that defines it.
    """

    def __getattr__(name: str) -> Any:
        try:
            module = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)  # later lookups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__
