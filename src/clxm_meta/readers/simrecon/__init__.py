"""SIM reconstruction log and config reader package."""

from clxm_meta.readers.simrecon.reader import (
    ConfigEntry,
    DirectionFit,
    ModampFit,
    OtfRef,
    Param,
    ReconRun,
    SimreconModel,
    read,
    sniff,
)

__all__ = [
    "ConfigEntry",
    "DirectionFit",
    "ModampFit",
    "OtfRef",
    "Param",
    "ReconRun",
    "SimreconModel",
    "read",
    "sniff",
]
