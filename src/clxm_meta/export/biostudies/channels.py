"""Per-channel facts of a light-microscopy image, in one shape for DV and TIFF models.

The file list, the OME writer and the spreadsheet all need "which channels, at which wavelengths";
this module reads them from a format model without knowing which exporter asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from clxm_meta.readers.base import FormatModel

__all__ = ["ChannelInfo", "channel_table"]


@dataclass(frozen=True)
class ChannelInfo:
    """One channel: 0-based index, wavelengths in nm, exposure in s (``None`` when not in the file)."""

    index: int
    name: str | None = None
    excitation_nm: float | None = None
    emission_nm: float | None = None
    exposure_s: float | None = None


def channel_table(model: FormatModel) -> list[ChannelInfo]:
    """The channels of a DV or TIFF image model; ``[]`` for any other model."""
    from clxm_meta.readers.dv.model import DvFile
    from clxm_meta.readers.tiff import TiffMetadata

    if isinstance(model, DvFile):
        if model.role == "otf":
            return []
        return [
            ChannelInfo(
                index=c.index,
                excitation_nm=c.excitation_nm,
                # the header wave list is the emission wavelength when section float 11 is
                # empty (the reading of setup.emission_filters and of the OME writer)
                emission_nm=c.emission_nm if c.emission_nm is not None else c.wavelength_nm,
                exposure_s=c.exposure_s,
            )
            for c in model.channels
        ]
    if isinstance(model, TiffMetadata) and model.ome is not None and model.ome.images:
        pixels = model.ome.images[0].pixels
        if pixels is None:
            return []
        return [
            ChannelInfo(
                index=c.index,
                name=c.name,
                excitation_nm=c.excitation_nm,
                emission_nm=c.emission_nm,
                exposure_s=next(
                    (
                        p.exposure_s
                        for p in pixels.planes
                        if p.the_c == c.index and p.exposure_s is not None
                    ),
                    None,
                ),
            )
            for c in pixels.channels
        ]
    return []
