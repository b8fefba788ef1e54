"""The EMPIAR entry image: the tomogram's central slice beside a maximum projection of the SIM data.

The one step of clxm_meta that reads pixels, and only when asked (``deposit --entry-image``). It
reads one section of the tomogram (a memory map of the MRC file: only that section's bytes are
read) and the SIM reconstruction one plane at a time (first channel, first time point), keeping a
running maximum: memory stays at a few planes whatever the file size. Each panel is scaled
(nearest neighbour) into a 400 × 400 square, grey levels stretched between the 0.5th and 99.5th
percentiles; EMPIAR asks for at least 400 × 400 pixels. The PNG is written here (zlib), no imaging
library needed.
"""

from __future__ import annotations

import struct
import zlib
from typing import TYPE_CHECKING, Any

from clxm_meta.records.scan import ScanResult

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["PANEL", "entry_image_png", "png_gray", "sim_max_projection", "tomogram_slice"]

PANEL = 400
"""Side of each square panel, pixels."""
GAP = 8
"""Black columns between the panels."""

_ORDER = {0: "ZTW", 1: "WZT", 2: "ZWT"}


def _member(result: ScanResult, dataset: str | None, role: str) -> str | None:
    info = next((d for d in result.datasets if d.name == dataset), None)
    if info is None:
        return None
    return next(
        (m.path for m in sorted(info.members, key=lambda m: m.path) if m.role == role), None
    )


MAX_SIDE = 2048
"""Pixels kept per axis of a slice (every n-th): the panel is `PANEL` wide, and a header that
declares a huge slice must not size the memory used (a crafted tomogram passed 8 GB)."""


def _subsample(plane: Any) -> npt.NDArray[np.float64]:
    """Every n-th pixel of a 2D array (n so that no axis exceeds `MAX_SIDE`), as float64."""
    import numpy as np

    h, w = plane.shape
    step = max(1, -(-max(h, w) // MAX_SIDE))
    return np.array(plane[::step, ::step], dtype=np.float64)


def tomogram_slice(path: str) -> npt.NDArray[np.float64]:
    """The central section of an MRC volume, as float64 (only that section is read).

    The layout comes from our own header reader: a header that declares more than the file holds
    is refused before anything is mapped, and the section (memory-mapped, within the file) is
    subsampled to at most `MAX_SIDE` pixels a side, so a huge declared slice in a large sparse file
    cannot size the memory used either.
    """
    import os

    import numpy as np

    from clxm_meta.readers.mrc.model import MrcFile
    from clxm_meta.readers.registry import read

    model = read(path, format="mrc")
    if not isinstance(model, MrcFile):
        raise ValueError("not an MRC file")
    h = model.header
    if h.dtype is None or np.dtype(h.dtype).kind not in "iuf":
        raise ValueError(f"MRC mode {h.mode} is not a plain grey-value image")
    if h.nx <= 0 or h.ny <= 0 or h.nz <= 0:
        raise ValueError("the header declares no 2D/3D image data")
    dtype = np.dtype(h.dtype).newbyteorder(h.byte_order)
    section_bytes = h.nx * h.ny * dtype.itemsize
    offset = 1024 + max(h.nsymbt, 0) + (h.nz // 2) * section_bytes
    size = os.path.getsize(path)
    if offset + section_bytes > size:
        raise ValueError(
            f"the header declares a central section ending at byte {offset + section_bytes}, "
            f"but the file holds {size} bytes"
        )
    mapped = np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=(h.ny, h.nx))
    try:
        return _subsample(mapped)
    finally:
        del mapped


def _plane_index(seq: int, z: int, w: int, t: int, nz: int, nw: int, nt: int) -> int:
    order = _ORDER.get(seq, "ZTW")
    if order == "WZT":
        return w + nw * (z + nz * t)
    if order == "ZWT":
        return z + nz * (w + nw * t)
    return z + nz * (t + nt * w)


def sim_max_projection(path: str) -> npt.NDArray[np.float64]:
    """Maximum over Z of the first channel, first time point of a DV stack, plane by plane."""
    import os

    import numpy as np

    from clxm_meta.readers.dv.model import DvFile
    from clxm_meta.readers.registry import read

    model = read(path, format="dv")
    if not isinstance(model, DvFile) or model.data_offset is None or model.header.dtype is None:
        raise ValueError("not a DV image with a known pixel type")
    h = model.header
    dtype = np.dtype(h.dtype).newbyteorder("<" if h.byte_order == "little" else ">")
    nx, ny = h.nx, h.ny
    nw, nt = max(1, model.n_waves), max(1, model.n_times)
    nz = model.nz or max(1, h.n_sections // (nw * nt))
    plane_bytes = nx * ny * dtype.itemsize
    if nx <= 0 or ny <= 0:
        raise ValueError(f"the header declares an empty plane ({nx} x {ny})")
    size = os.path.getsize(path)
    if model.data_offset + plane_bytes > size:
        raise ValueError(
            f"the header declares {nx} x {ny} planes ({plane_bytes} bytes each); the file holds "
            f"{size} bytes"
        )
    best: np.ndarray | None = None
    for z in range(nz):
        idx = _plane_index(h.image_sequence, z, 0, 0, nz, nw, nt)
        start = model.data_offset + idx * plane_bytes
        if start + plane_bytes > size:
            break
        # a memory map of the plane, subsampled: never a read sized by the header
        mapped = np.memmap(path, dtype=dtype, mode="r", offset=start, shape=(ny, nx))
        plane = _subsample(mapped)
        del mapped
        best = plane if best is None else np.maximum(best, plane)
    if best is None:
        raise ValueError("the DV file holds no complete plane")
    return best


def _to_panel(img: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    """Stretch to 8 bits (0.5–99.5 percentiles) and fit into a PANEL × PANEL square."""
    import numpy as np

    finite = img[np.isfinite(img)]
    lo, hi = np.percentile(finite, (0.5, 99.5)) if finite.size else (0.0, 1.0)
    scaled = np.clip((np.nan_to_num(img, nan=lo) - lo) / ((hi - lo) or 1.0), 0.0, 1.0)
    grey = (scaled * 255.0 + 0.5).astype(np.uint8)
    h, w = grey.shape
    f = PANEL / max(h, w)
    oh, ow = max(1, round(h * f)), max(1, round(w * f))
    rows = np.minimum((np.arange(oh) / f).astype(int), h - 1)
    cols = np.minimum((np.arange(ow) / f).astype(int), w - 1)
    panel = np.zeros((PANEL, PANEL), dtype=np.uint8)
    top, left = (PANEL - oh) // 2, (PANEL - ow) // 2
    panel[top : top + oh, left : left + ow] = grey[rows][:, cols]
    return panel


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_gray(img: npt.NDArray[np.uint8]) -> bytes:
    """An 8-bit greyscale PNG of a 2D uint8 array (filter type 0 on every row)."""
    import numpy as np

    h, w = img.shape
    raw = np.zeros((h, w + 1), dtype=np.uint8)
    raw[:, 1:] = img
    header = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw.tobytes(), 9))
        + _chunk(b"IEND", b"")
    )


def entry_image_png(result: ScanResult, sxt: str, sim: str | None) -> tuple[bytes | None, str]:
    """The entry image of a pair (or of the tomogram alone), or ``None`` and why not.

    Returns
    -------
    (png, note)
        The PNG bytes and what it shows, or ``None`` and the reason it could not be made.
    """
    import os

    import numpy as np

    tomo = _member(result, sxt, "tomogram")
    if tomo is None:
        return None, f"no reconstructed tomogram in {sxt}"
    try:
        panels = [_to_panel(tomogram_slice(os.path.join(result.root, tomo)))]
    except Exception as exc:  # optional step: any failure of a pixel read is reported, not raised
        return None, f"cannot read the tomogram {tomo}: {type(exc).__name__}: {exc}"
    shown = f"central slice of {tomo}"
    recon = _member(result, sim, "sim_reconstruction") or _member(result, sim, "sim_raw")
    if recon is not None:
        try:
            panels.append(_to_panel(sim_max_projection(os.path.join(result.root, recon))))
            shown += f" | maximum projection of {recon} (first channel)"
        except Exception as exc:  # as above: the SIM panel is optional
            shown += f" (no SIM panel: {type(exc).__name__}: {exc})"
    gap = np.zeros((PANEL, GAP), dtype=np.uint8)
    parts = [panels[0]]
    for p in panels[1:]:
        parts += [gap, p]
    return png_gray(np.concatenate(parts, axis=1)), shown
