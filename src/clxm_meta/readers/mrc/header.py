"""The MRC main header: one ``struct.unpack_from`` over its 1024 bytes, in either byte order.

The byte order decided the way mrcfile's permissive reader decides it (so that its findings stay
the same), the mode → pixel-type table including IMOD's variants, and the IMOD/SerialEM overlays of
``extra1`` and ``extra2`` (imodStamp, imodFlags, nint, nreal, idtype ...).
"""

from __future__ import annotations

import struct
from typing import Literal, NamedTuple

from clxm_meta.readers.base import construct
from clxm_meta.readers.float32 import shortest as f32  # header floats as their writer meant them
from clxm_meta.readers.mrc.model import ImodFields

__all__ = [
    "HEADER_SIZE",
    "IMOD_STAMP",
    "MRCFILE_MODES",
    "RawHeader",
    "derived",
    "f32",
    "imod_fields",
    "pixel_type",
    "prepass_byte_order",
    "row_bytes",
    "unpack_header",
]

HEADER_SIZE = 1024
IMOD_STAMP = 1146047817
"""``imodStamp`` value: the bytes "IMOD" read as a little-endian int32."""

MRCFILE_MODES = frozenset({0, 1, 2, 4, 6, 12})
"""Modes mrcfile maps to a numpy dtype (used by its byte-order heuristics)."""

IMOD_FLAGS: dict[int, str] = {
    1: "signed_bytes",
    2: "pixel_spacing_from_ext_header",
    4: "origin_sign_inverted",
    8: "rms_negative_means_undetermined",
    16: "4bit_values_in_bytes",
    32: "ctf_corrected",
}
"""imodFlags bits (IMOD include/b3dutil.h)."""

_PIXEL: dict[int, tuple[str, float]] = {
    0: ("int8", 1),
    1: ("int16", 2),
    2: ("float32", 4),
    3: ("complex_int16", 4),
    4: ("complex64", 8),
    6: ("uint16", 2),
    12: ("float16", 2),
    16: ("rgb_uint8", 3),
    101: ("uint4", 0.5),
}


def derived(value: float | None) -> float | None:
    """A value computed from float32 header fields, rounded to 9 significant digits."""
    return None if value is None else float(f"{value:.9g}")


def prepass_byte_order(head: bytes) -> tuple[Literal["<", ">"], str]:
    """Byte order of a 1024-byte header the way mrcfile's permissive reader decides it.

    The machine stamp (``0x44 0x44``/``0x44 0x41`` little, ``0x11 0x11`` big) if recognised, else
    little-endian; then, if the mode is not one mrcfile knows in that order but is in the other,
    the other order.

    Returns
    -------
    tuple
        (``"<"`` or ``">"``, how it was decided).
    """
    st = head[212:216]
    order: Literal["<", ">"]
    if st[0] == 0x44 and st[1] in (0x44, 0x41):
        order, source = "<", "machine stamp"
    elif st[0] == 0x11 and st[1] == 0x11:
        order, source = ">", "machine stamp"
    else:
        order, source = "<", "assumed little-endian (machine stamp not recognised)"
    mode = int.from_bytes(head[12:16], "little" if order == "<" else "big", signed=True)
    other: Literal["<", ">"] = ">" if order == "<" else "<"
    flipped = int.from_bytes(head[12:16], "little" if other == "<" else "big", signed=True)
    if mode not in MRCFILE_MODES and flipped in MRCFILE_MODES:
        return other, "flipped: the mode is valid only in the other byte order"
    return order, source


def pixel_type(mode: int, imod: ImodFields) -> tuple[str | None, str | None]:
    """numpy-style pixel type name for ``mode``, and a note when IMOD conventions decided it.

    Mode 0 is signed in MRC2014; IMOD writes it signed only with imodFlags bit 1 and unsigned
    otherwise (files with the IMOD stamp); imodFlags bit 16 marks 4-bit values packed in bytes.
    """
    entry = _PIXEL.get(mode)
    if entry is None:
        return None, None
    name = entry[0]
    if mode == 0 and imod.stamp_present and imod.flags is not None:
        if imod.flags & 16:
            return "uint4", "IMOD flag 16: 4-bit values packed in mode-0 bytes"
        if imod.flags & 1:
            return "int8", "IMOD flag 1: mode 0 bytes are signed"
        return "uint8", "IMOD stamp without flag 1: mode 0 bytes are unsigned (IMOD convention)"
    if mode == 0:
        return name, "mode 0 read as signed (MRC2014); IMOD would read unstamped bytes as unsigned"
    if mode == 16:
        return name, "IMOD mode 16: RGB, three unsigned bytes per pixel"
    if mode == 101:
        return name, "mode 101: 4-bit values, two per byte, rows padded to whole bytes"
    return name, None


def row_bytes(mode: int, nx: int, imod: ImodFields) -> int | None:
    """Bytes per image row of ``nx`` pixels, or ``None`` for an unknown mode."""
    entry = _PIXEL.get(mode)
    if entry is None:
        return None
    packed = mode == 101 or (
        mode == 0 and imod.stamp_present and imod.flags is not None and bool(imod.flags & 16)
    )
    if packed:
        return (nx + 1) // 2
    return int(entry[1] * nx)


class RawHeader(NamedTuple):
    """Words 1-56 of the main header (bytes 0-223), as Python numbers in the file's byte order.

    Floats are float32 values widened to Python floats (not yet `f32`-rounded); byte strings are
    the raw 4 bytes.
    """

    nx: int
    ny: int
    nz: int
    mode: int
    nxstart: int
    nystart: int
    nzstart: int
    mx: int
    my: int
    mz: int
    cella_x: float
    cella_y: float
    cella_z: float
    cellb_alpha: float
    cellb_beta: float
    cellb_gamma: float
    mapc: int
    mapr: int
    maps: int
    dmin: float
    dmax: float
    dmean: float
    ispg: int
    nsymbt: int
    creatid: int
    exttyp: bytes
    nversion: int
    nint: int
    nreal: int
    imod_stamp: int
    imod_flags: int
    idtype: int
    lens: int
    nd1: int
    nd2: int
    vd1: int
    vd2: int
    tilt_0: float
    tilt_1: float
    tilt_2: float
    tilt_3: float
    tilt_4: float
    tilt_5: float
    origin_x: float
    origin_y: float
    origin_z: float
    map_id: bytes
    machine_stamp: bytes
    rms: float
    nlabl: int


_LAYOUT = "10i6f3i3f2ih6x4si16xhh20xii6h6f3f4s4sfi"
"""Bytes 0-223: nx..mz, cella, cellb, mapc/r/s, dmin/max/mean, ispg, nsymbt, extra1 (creatid),
exttyp, nversion, extra2 (nint, nreal, imodStamp, imodFlags, idtype, lens, nd1, nd2, vd1, vd2,
tiltangles), origin, map, machst, rms, nlabl."""
_STRUCTS = {order: struct.Struct(order + _LAYOUT) for order in "<>"}


def unpack_header(head: bytes, byte_order: str) -> RawHeader:
    """Decode bytes 0-223 of a main header (``head`` holds at least 224 bytes)."""
    return RawHeader._make(_STRUCTS[byte_order].unpack_from(head))


def imod_fields(raw: RawHeader) -> ImodFields:
    """The IMOD / SerialEM overlays of ``extra1`` (bytes 96-103) and ``extra2`` (112-195)."""
    stamp, flags = raw.imod_stamp, raw.imod_flags
    present = stamp == IMOD_STAMP
    names = []
    if present:
        bits = flags & 0xFFFFFFFF  # the 32 bits of the int32, lowest first
        while bits:
            bit = bits & -bits
            names.append(IMOD_FLAGS.get(bit, f"bit_{bit}"))
            bits ^= bit
    tilts = [
        f32(v) for v in (raw.tilt_0, raw.tilt_1, raw.tilt_2, raw.tilt_3, raw.tilt_4, raw.tilt_5)
    ]
    return construct(
        ImodFields,
        {
            "stamp_present": present,
            "stamp": stamp,
            "flags": flags,
            "flag_names": names,
            "nint": raw.nint,
            "nreal": raw.nreal,
            "creatid": raw.creatid,
            "idtype": raw.idtype,
            "lens": raw.lens,
            "nd1": raw.nd1,
            "nd2": raw.nd2,
            "vd1": raw.vd1,
            "vd2": raw.vd2,
            "tiltangles_deg": tilts,
        },
    )
