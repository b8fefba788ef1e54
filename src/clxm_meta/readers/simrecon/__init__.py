"""SIM reconstruction logs and configs (sirecon, cudasirecon, PySIMRecon, softWoRx).

`read` (in ``reader.py``) and the format model (``model.py``) are imported on first use.

Text format: ``sniff.py`` recognises a file from its name and first bytes and imports no parser; the
registry calls it before this package's reader is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clxm_meta.readers._exports import lazy_exports

if TYPE_CHECKING:
    from clxm_meta.readers.simrecon.model import (
        ConfigEntry,
        DirectionFit,
        ModampFit,
        OtfRef,
        Param,
        ReconRun,
        SimreconModel,
    )
    from clxm_meta.readers.simrecon.reader import read

__all__ = [
    "ConfigEntry",
    "DirectionFit",
    "ModampFit",
    "OtfRef",
    "Param",
    "ReconRun",
    "SimreconModel",
    "read",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ConfigEntry": "model",
        "DirectionFit": "model",
        "ModampFit": "model",
        "OtfRef": "model",
        "Param": "model",
        "ReconRun": "model",
        "SimreconModel": "model",
        "read": "reader",
    },
)
