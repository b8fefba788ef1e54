"""The opt-in intensity scan: exact per-channel min / max / mean computed from the pixels.

Headers carry intensity statistics that are often missing or stale (an MRC whose ``dmin``/``dmax``
were never updated after a crop; a DV whose per-wave min/max are zero). Asked for
(``--scan-intensities``), this module streams the pixel data of a DV or MRC file and computes them
exactly: integer samples are summed in int64 (an exact mean), float samples in float64.

The data are memory-mapped one bounded window at a time (``chunk_bytes``, whole sections for DV
so that each section's channel is known) and each window is unmapped before the next, so the extra
memory stays near one window whatever the file size; the file is opened read-only.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from clxm_meta.errors import MalformedFileError, UnsupportedFormatError

if TYPE_CHECKING:
    from clxm_meta.normalise.candidate import Candidate
    from clxm_meta.readers.base import FormatModel

__all__ = [
    "CHUNK_BYTES",
    "ChannelStats",
    "IntensityScan",
    "intensity_candidates",
    "scan_intensities",
]

CHUNK_BYTES = 16 * 1024 * 1024
"""Bytes mapped at a time (a DV window is rounded to whole sections, at least one)."""

TRANSFORM = (
    "computed from the pixels (--scan-intensities): exact minimum and maximum over every sample "
    "of the channel; the header's statistics are not used"
)


@dataclass(frozen=True)
class ChannelStats:
    """Statistics of one channel over all its samples (``mean`` is ``None`` if it has none)."""

    index: int
    wavelength_nm: float | None
    min: float | None
    max: float | None
    mean: float | None
    samples: int


@dataclass(frozen=True)
class IntensityScan:
    """What a scan of one file's pixels found."""

    path: str
    reader: str
    channels: list[ChannelStats]
    data_offset: int
    data_bytes: int
    chunk_bytes: int

    @property
    def locator(self) -> str:
        """Where the pixels are: a byte range of the file."""
        end = self.data_offset + self.data_bytes - 1
        return f"pixel data, bytes {self.data_offset}-{end} ({self.data_bytes} bytes)"


@dataclass
class _Accumulator:
    min: Any = None
    max: Any = None
    total: Any = 0
    samples: int = 0

    def add(self, lo: Any, hi: Any, total: Any, samples: int) -> None:
        self.min = lo if self.min is None else min(self.min, lo)
        self.max = hi if self.max is None else max(self.max, hi)
        self.total += total
        self.samples += samples


@dataclass(frozen=True)
class _Layout:
    path: str
    dtype: np.dtype[Any]
    offset: int
    section_values: int
    n_sections: int
    channel_of_section: list[int]
    wavelengths: list[float | None]


def _dv_layout(model: Any) -> _Layout:
    hdr = model.header
    if hdr.dtype is None or np.dtype(hdr.dtype).kind not in "iuf":
        raise UnsupportedFormatError(
            f"pixel type {hdr.pixel_type} ({hdr.pixel_type_name}) has no intensity range",
            path=model.path,
        )
    if model.nz is None:
        raise MalformedFileError(
            "sections cannot be mapped to channels (see the reader's findings)", path=model.path
        )
    from clxm_meta.readers.dv.extended_header import plane_index

    seq, nz, nw, nt = hdr.image_sequence, model.nz, model.n_waves, model.n_times
    waves = [plane_index(i, seq, nz, nw, nt)[1] for i in range(hdr.n_sections)]
    if any(w is None for w in waves):
        raise MalformedFileError(
            f"image sequence {seq} is unknown: sections cannot be mapped to channels",
            path=model.path,
        )
    return _Layout(
        model.path,
        np.dtype(hdr.dtype),
        model.data_offset,
        hdr.nx * hdr.ny,
        hdr.n_sections,
        [int(w) for w in waves if w is not None],
        [float(w) if w else None for w in model.wavelengths_nm],
    )


def _mrc_layout(model: Any) -> _Layout:
    hdr = model.header
    if hdr.dtype is None or np.dtype(hdr.dtype).kind not in "iuf":
        raise UnsupportedFormatError(
            f"MRC mode {hdr.mode} has no intensity range that can be scanned", path=model.path
        )
    dtype = np.dtype(hdr.dtype).newbyteorder(hdr.byte_order)
    return _Layout(
        model.path,
        dtype,
        1024 + max(hdr.nsymbt, 0),
        hdr.nx * hdr.ny,
        hdr.nz,
        [0] * hdr.nz,
        [None],
    )


def _layout(model: FormatModel) -> _Layout:
    if model.format == "dv":
        layout = _dv_layout(model)
    elif model.format == "mrc":
        layout = _mrc_layout(model)
    else:
        raise UnsupportedFormatError(
            f"the intensity scan reads DV and MRC pixel data, not {model.format}", path=model.path
        )
    if layout.section_values <= 0 or layout.n_sections <= 0:
        raise MalformedFileError("the header declares no pixels", path=model.path)
    need = layout.offset + layout.section_values * layout.n_sections * layout.dtype.itemsize
    size = os.path.getsize(layout.path)
    if size < need:
        raise MalformedFileError(
            f"the pixel data are truncated: the header declares {need} bytes, the file holds "
            f"{size}",
            path=model.path,
        )
    return layout


def scan_intensities(model: FormatModel, *, chunk_bytes: int = CHUNK_BYTES) -> IntensityScan:
    """Exact per-channel min / max / mean of a DV or MRC file's pixels, streamed.

    Parameters
    ----------
    model
        The file's format model (from `clxm_meta.read`): it says where the pixels are.
    chunk_bytes
        Bytes mapped at a time (DV: rounded to whole sections, at least one).

    Raises
    ------
    UnsupportedFormatError
        Not a DV or MRC file, or a pixel type without an order (complex, 4-bit).
    MalformedFileError
        The pixel data are shorter than the header says, or cannot be mapped to channels.
    """
    lay = _layout(model)
    item = lay.dtype.itemsize
    section_bytes = lay.section_values * item
    per_window = max(1, chunk_bytes // section_bytes)
    n_channels = max(lay.channel_of_section) + 1
    acc = [_Accumulator() for _ in range(n_channels)]
    integer = lay.dtype.kind in "iu"
    for first in range(0, lay.n_sections, per_window):
        count = min(per_window, lay.n_sections - first)
        window = np.memmap(
            lay.path,
            dtype=lay.dtype,
            mode="r",
            offset=lay.offset + first * section_bytes,
            shape=(count, lay.section_values),
        )
        try:
            _accumulate(window, lay.channel_of_section[first : first + count], acc, integer)
        finally:
            mm = getattr(window, "_mmap", None)
            del window
            if mm is not None:
                mm.close()
    channels = []
    for index, a in enumerate(acc):
        mean = a.total / a.samples if a.samples else None
        wl = lay.wavelengths[index] if index < len(lay.wavelengths) else None
        channels.append(
            ChannelStats(
                index=index,
                wavelength_nm=wl,
                min=_finite(a.min),
                max=_finite(a.max),
                mean=_finite(mean),
                samples=a.samples,
            )
        )
    return IntensityScan(
        path=lay.path,
        reader=model.format,
        channels=channels,
        data_offset=lay.offset,
        data_bytes=section_bytes * lay.n_sections,
        chunk_bytes=per_window * section_bytes,
    )


def _accumulate(
    window: np.ndarray[Any, Any], channel: list[int], acc: list[_Accumulator], integer: bool
) -> None:
    """Add one window of whole sections to the per-channel accumulators."""
    runs: list[tuple[int, int, int]] = []  # (channel, first row, end row) of consecutive sections
    for row, ch in enumerate(channel):
        if runs and runs[-1][0] == ch:
            runs[-1] = (ch, runs[-1][1], row + 1)
        else:
            runs.append((ch, row, row + 1))
    for ch, lo, hi in runs:
        block = window[lo:hi]
        if integer:
            total: Any = int(block.sum(dtype=np.int64))
            acc[ch].add(int(block.min()), int(block.max()), total, block.size)
        else:
            finite = block[np.isfinite(block)] if not np.isfinite(block).all() else block
            if finite.size:
                acc[ch].add(
                    float(finite.min()),
                    float(finite.max()),
                    float(finite.sum(dtype=np.float64)),
                    int(finite.size),
                )


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def intensity_candidates(scan: IntensityScan) -> list[Candidate]:
    """The ``raw.intensity_range`` candidate of a scan (it outranks the header's statistics)."""
    from clxm_meta.normalise.candidate import Candidate, Precedence
    from clxm_meta.records.fields import DatasetKind
    from clxm_meta.records.provenance import Source, SourceKind
    from clxm_meta.records.values import IntensityRange

    ranges = [
        IntensityRange(index=c.index, wavelength_nm=c.wavelength_nm, min=c.min, max=c.max)
        for c in scan.channels
    ]
    source = Source(
        kind=SourceKind.DERIVED,
        path=scan.path,
        reader=scan.reader,
        locator=scan.locator,
        transform=TRANSFORM,
    )
    return [
        Candidate(
            field="raw.intensity_range",
            kind=DatasetKind.SIM,
            value=ranges,
            source=source,
            precedence=Precedence.PIXELS,
        )
    ]
