"""Write small MRC files for tests and examples: plain volumes, IMOD tomograms, SerialEM stacks.

The main header is written by mrcfile; the IMOD/SerialEM fields of ``extra2`` and the SerialEM or
FEI extended header are filled in here with numpy, in the file's byte order. Test-only code.

Typical use::

    write_mrc(tmp_path / "ts.st", shape=(41, 24, 24), dtype="int16", voxel_size_a=2.604,
              tilt_angles=np.linspace(-60, 60, 41), labels=[serialem_label()])
    write_mrc(tmp_path / "cell_rec.mrc", shape=(50, 64, 64), dtype="float32",
              voxel_size_a=100.0, labels=[imod_label("Tomographic reconstruction")])
"""

from __future__ import annotations

import datetime as _dt
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import mrcfile
import numpy as np
import numpy.typing as npt
from mrcfile.dtypes import get_ext_header_dtype

__all__ = [
    "IMOD_STAMP",
    "imod_label",
    "pack_serialem_float",
    "patch",
    "serialem_ext_header",
    "serialem_label",
    "write_mrc",
]

IMOD_STAMP = 1146047817
FIXED_TIME = _dt.datetime(2024, 5, 17, 9, 30, 0)
"""Default time stamp of generated labels (deterministic files)."""

_SERIALEM_BITS = {
    "tilt": 1,
    "montage": 2,
    "stage": 4,
    "magnification": 8,
    "intensity": 16,
    "dose": 32,
}


def imod_label(text: str, when: _dt.datetime = FIXED_TIME) -> str:
    """A label in IMOD's layout: text padded to 55 characters, then `` dd-Mon-yy  HH:MM:SS``."""
    return text[:55].ljust(55) + when.strftime(" %d-%b-%y  %H:%M:%S    ")


def serialem_label(
    camera: str = "Gatan Camera on Test Scope", when: _dt.datetime = FIXED_TIME
) -> str:
    """SerialEM's first label: ``SerialEM: Digitized by <camera>  date time``."""
    return imod_label(f"SerialEM: Digitized by {camera}", when)


def serialem_tilt_axis_label(angle: float, binning: int = 1, spot: int = 4, camera: int = 0) -> str:
    """SerialEM's tilt-axis label (the format IMOD reads the tilt axis from)."""
    return (
        f"    Tilt axis angle = {angle:.1f}, binning = {binning}  spot = {spot}  camera = {camera}"
    )


def pack_serialem_float(value: float) -> tuple[int, int]:
    """Pack a float into SerialEM's two shorts (inverse of the reader's unpacking)."""
    if value == 0:
        return 0, 0
    mantissa, exponent = abs(value), 0
    while mantissa >= 32768 * 256:
        mantissa /= 2
        exponent += 1
    while mantissa < 128 * 256 and exponent > -127:
        mantissa *= 2
        exponent -= 1
    m = round(mantissa)
    s1 = m // 256
    low = m % 256
    s2 = abs(exponent) * 256 + low
    if exponent < 0:
        s2 = -s2
    if value < 0:
        s1 = -s1
    return s1, s2


def serialem_ext_header(
    n_sections: int,
    *,
    byte_order: str = "<",
    tilt_angles: Sequence[float] | None = None,
    montage: Sequence[tuple[int, int, int]] | None = None,
    stage_um: Sequence[tuple[float, float]] | None = None,
    magnification: Sequence[float] | None = None,
    intensity: Sequence[float] | None = None,
    dose: Sequence[float] | None = None,
) -> tuple[bytes, int, int]:
    """SerialEM extended-header bytes with the given per-section items.

    Returns
    -------
    tuple
        (bytes, nint, nreal): bytes per section and the item flags for the header.
    """
    given = {
        "tilt": tilt_angles,
        "montage": montage,
        "stage": stage_um,
        "magnification": magnification,
        "intensity": intensity,
        "dose": dose,
    }
    sizes = {"tilt": 1, "montage": 3, "stage": 2, "magnification": 1, "intensity": 1, "dose": 2}
    items = [name for name in _SERIALEM_BITS if given[name] is not None]
    dtype = np.dtype([(name, f"{byte_order}i2", (sizes[name],)) for name in items])
    rec = np.zeros(n_sections, dtype=dtype)
    for i in range(n_sections):
        for name in items:
            values: Any = given[name]
            v = values[i]
            if name == "tilt":
                rec[i][name] = [round(v * 100)]
            elif name == "montage":
                rec[i][name] = list(v)
            elif name == "stage":
                rec[i][name] = [round(v[0] * 25), round(v[1] * 25)]
            elif name == "magnification":
                rec[i][name] = [round(v / 100)]
            elif name == "intensity":
                rec[i][name] = [round(v * 25000)]
            else:
                rec[i][name] = list(pack_serialem_float(v))
    nreal = sum(_SERIALEM_BITS[name] for name in items)
    return rec.tobytes(), dtype.itemsize, nreal


def _extra2(
    base: bytes,
    order: str,
    *,
    imod_stamp: bool,
    imod_flags: int,
    nint: int,
    nreal: int,
    idtype: int = 0,
) -> bytes:
    e2 = bytearray(base)
    bo = "little" if order == "<" else "big"
    e2[16:18] = nint.to_bytes(2, bo, signed=True)
    e2[18:20] = nreal.to_bytes(2, bo, signed=True)
    if imod_stamp:
        e2[40:44] = IMOD_STAMP.to_bytes(4, bo, signed=True)
        e2[44:48] = imod_flags.to_bytes(4, bo, signed=True)
    e2[48:50] = idtype.to_bytes(2, bo, signed=True)
    return bytes(e2)


def _data(shape: tuple[int, ...], dtype: npt.DTypeLike) -> npt.NDArray[Any]:
    dt = np.dtype(dtype)
    n = int(np.prod(shape))
    ramp = np.arange(n) % 200
    if dt.kind == "c":
        return (ramp + 1j * ramp).astype(dt).reshape(shape)
    return ramp.astype(dt).reshape(shape)


def write_mrc(
    path: str | os.PathLike[str],
    *,
    shape: tuple[int, int, int],
    dtype: npt.DTypeLike = "float32",
    voxel_size_a: float | tuple[float, float, float] = 10.0,
    labels: Sequence[str] = (),
    tilt_angles: Sequence[float] | None = None,
    stage_um: Sequence[tuple[float, float]] | None = None,
    magnification: Sequence[float] | None = None,
    intensity: Sequence[float] | None = None,
    dose: Sequence[float] | None = None,
    montage: Sequence[tuple[int, int, int]] | None = None,
    fei: str | None = None,
    origin_a: tuple[float, float, float] | None = None,
    imod_stamp: bool = True,
    imod_flags: int = 0,
    big_endian: bool = False,
    image_stack: bool | None = None,
    exttyp: bytes | None = None,
) -> Path:
    """Write a small MRC file (pixel data a ramp) and return its path.

    Parameters
    ----------
    path
        Output file (overwritten).
    shape
        (nz, ny, nx), numpy order.
    dtype
        Pixel type mrcfile can write (int8, int16, uint16, float16, float32, complex64).
    voxel_size_a
        Voxel size in Å, one number or (x, y, z).
    labels
        Up to 10 labels (use `imod_label` / `serialem_label` for realistic ones).
    tilt_angles, stage_um, magnification, intensity, dose, montage
        Per-section SerialEM extended-header items (any given ones are written, exttyp SERI).
    fei
        ``"FEI1"`` or ``"FEI2"``: write an FEI extended header instead (tilts from
        ``tilt_angles``, stage from ``stage_um``).
    origin_a
        Origin (x, y, z) in Å.
    imod_stamp, imod_flags
        Write the IMOD stamp (byte 152) and flags (byte 156).
    big_endian
        Write a big-endian file (machine stamp 0x11 0x11).
    image_stack
        ispg 0 (image stack) instead of 1 (volume); default: True when tilt angles are given.
    exttyp
        Override the extended-header type code.
    """
    out = Path(path)
    nz = shape[0]
    order = ">" if big_endian else "<"
    data = _data(shape, np.dtype(dtype).newbyteorder(order))
    serialem = {
        "tilt_angles": tilt_angles,
        "stage_um": stage_um,
        "magnification": magnification,
        "intensity": intensity,
        "dose": dose,
        "montage": montage,
    }
    ext, nint, nreal, code = b"", 0, 0, exttyp
    if fei is not None:
        fdt = get_ext_header_dtype(fei.encode(), order)
        rec = np.zeros(nz, dtype=fdt)
        rec["Metadata size"] = fdt.itemsize
        if tilt_angles is not None:
            rec["Alpha tilt"] = np.asarray(tilt_angles, dtype=float)
        if stage_um is not None:
            rec["X-Stage"] = [s[0] * 1e-6 for s in stage_um]
            rec["Y-Stage"] = [s[1] * 1e-6 for s in stage_um]
        ext, code = rec.tobytes(), code or fei.encode()
    elif any(v is not None for v in serialem.values()):
        ext, nint, nreal = serialem_ext_header(nz, byte_order=order, **serialem)
        code = code or b"SERI"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with mrcfile.new(out, overwrite=True) as mrc:
            mrc.set_data(data)
            if image_stack if image_stack is not None else tilt_angles is not None:
                mrc.set_image_stack()
            mrc.voxel_size = voxel_size_a
            if origin_a is not None:
                mrc.header.origin.x, mrc.header.origin.y, mrc.header.origin.z = origin_a
            if ext:
                mrc.set_extended_header(np.frombuffer(ext, dtype="V1"))
            if code is not None:
                mrc.header.exttyp = code
            mrc.header.extra2 = _extra2(
                mrc.header.extra2.tobytes(),
                order,
                imod_stamp=imod_stamp,
                imod_flags=imod_flags,
                nint=nint,
                nreal=nreal,
            )
            for i, text in enumerate(labels[:10]):
                mrc.header.label[i] = text.encode("ascii")[:80]
            mrc.header.nlabl = min(len(labels), 10)
    return out


def patch(path: str | os.PathLike[str], offset: int, raw: bytes) -> None:
    """Overwrite bytes of a generated test file in place (to make hostile variants)."""
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(raw)
