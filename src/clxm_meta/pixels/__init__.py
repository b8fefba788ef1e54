"""Opt-in reads of pixel data (never done by the readers, which are header only)."""

from clxm_meta.pixels.intensity import (
    CHUNK_BYTES,
    ChannelStats,
    IntensityScan,
    intensity_candidates,
    scan_intensities,
)

__all__ = [
    "CHUNK_BYTES",
    "ChannelStats",
    "IntensityScan",
    "intensity_candidates",
    "scan_intensities",
]
