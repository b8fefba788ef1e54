"""Reader for MRC2014 / IMOD / SerialEM files (.mrc, .st, .ali, .rec, .map).

The main header is read by mrcfile (``header_only=True, permissive=True``); its warnings become
findings. The extended header (SerialEM, Agard, FEI), the IMOD overlays, the labels and the role of
the file are decoded by our own modules. Pixel data are never read; every size taken from the
header is checked against the file size before anything is allocated.

Why this module is over 500 lines: the IMOD, extended-header, label, pixel-type and role decoders
live in sibling modules; what stays here is `read`, one ordered sequence of checks on the one open
header (bounds against the file size before anything is opened or allocated, then the
fields that depend on them); cut in two, that order would have to be read in two places.
"""

from __future__ import annotations

import io
import os
import warnings
from typing import Any

import mrcfile
import numpy as np
from mrcfile.mrcinterpreter import MrcInterpreter

from clxm_meta.errors import MalformedFileError
from clxm_meta.readers.base import FindingCollector, file_size, read_head
from clxm_meta.readers.mrc.extended_header import (
    ExtDecode,
    decode_agard,
    decode_fei,
    decode_serialem,
    serialem_layout,
    tilt_steps,
)
from clxm_meta.readers.mrc.header import (
    HEADER_SIZE,
    decode_imod,
    derived,
    finite,
    pixel_type,
    prepass_byte_order,
    row_bytes,
)
from clxm_meta.readers.mrc.labels import decode_label, parse_label
from clxm_meta.readers.mrc.model import (
    ExtHeader,
    ImodFields,
    MrcFile,
    MrcHeader,
    MrcLabel,
    Statistics,
    Vec3,
)
from clxm_meta.readers.mrc.role import decide_role

__all__ = ["MAX_EXT_HEADER", "read"]

MAX_EXT_HEADER = 64 * 1024 * 1024
"""Largest extended header decoded (bytes); a larger ``nsymbt`` is reported and not read."""

_INT_RANGES: dict[str, tuple[int, int]] = {
    "int8": (-128, 127),
    "uint8": (0, 255),
    "int16": (-32768, 32767),
    "uint16": (0, 65535),
    "uint4": (0, 15),
    "rgb_uint8": (0, 255),
}
_VALID_NVERSIONS = {0, 20140, 20141}


def _hex(raw: bytes) -> str:
    return " ".join(f"0x{b:02x}" for b in raw)


def _open_header(
    path: str, head: bytes, safe: bool, collector: FindingCollector
) -> tuple[Any, bytes | None, Any]:
    """Return mrcfile's header (recarray), the extended-header bytes it read, and FEI indexing if any."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if safe:
                with mrcfile.open(path, header_only=True, permissive=True) as mrc:
                    header = mrc.header.copy().view(np.ndarray)
                    ext = mrc.extended_header
                    ext_bytes = ext.tobytes() if ext is not None else None
                    indexed = None
                    if bytes(header["exttyp"]) in (b"FEI1", b"FEI2") and ext_bytes:
                        idx = mrc.indexed_extended_header
                        indexed = idx.copy() if idx is not None else None
            else:
                # The declared extended header cannot be in the file: let mrcfile read a copy of
                # the 1024-byte header with nsymbt = 0, so it allocates nothing from that field.
                patched = head[:92] + b"\x00\x00\x00\x00" + head[96:HEADER_SIZE]
                interp = MrcInterpreter(
                    iostream=io.BytesIO(patched), permissive=True, header_only=True
                )
                header, ext_bytes, indexed = interp.header.copy().view(np.ndarray), None, None
        except (ValueError, TypeError, OverflowError, MemoryError) as exc:
            raise MalformedFileError(f"mrcfile cannot read the header: {exc}", path=path) from exc
    for warning in caught:
        message = str(warning.message)
        if "Map ID string not found" in message:
            collector.error("no_map_id", f"mrcfile: {message}", locator="byte 208")
        elif "machine stamp" in message.lower():
            collector.warning("machine_stamp", f"mrcfile: {message}", locator="byte 212")
        else:
            collector.warning("mrcfile_warning", f"mrcfile: {message}")
    return header, ext_bytes, indexed


def _vec(rec: Any, names: tuple[str, str, str]) -> Vec3:
    x, y, z = (finite(rec[n]) for n in names)
    return Vec3(x=x, y=y, z=z)


def _voxel_size(h: Any, collector: FindingCollector) -> Vec3:
    out: dict[str, float | None] = {}
    for axis, m_name in (("x", "mx"), ("y", "my"), ("z", "mz")):
        cell = finite(h["cella"][axis])
        m = int(h[m_name])
        if cell is None or m <= 0 or cell <= 0:
            out[axis] = None
            collector.warning(
                "voxel_size_unknown",
                f"voxel size along {axis} unknown: cella.{axis} = {cell}, {m_name} = {m}",
                field=f"cella.{axis}",
            )
        else:
            out[axis] = derived(cell / m)
    return Vec3(**out)


def _scaled(v: Vec3, factor: float) -> Vec3:
    def s(value: float | None) -> float | None:
        return None if value is None else derived(value * factor)

    return Vec3(x=s(v.x), y=s(v.y), z=s(v.z))


def _statistics(
    dmin: float | None,
    dmax: float | None,
    dmean: float | None,
    rms: float | None,
    dtype: str | None,
    imod: ImodFields,
    collector: FindingCollector,
) -> Statistics:
    minmax_ok = dmin is not None and dmax is not None and dmax >= dmin
    mean_ok = minmax_ok and dmean is not None and dmin is not None and dmean >= dmin
    if not minmax_ok or not mean_ok:
        collector.info(
            "statistics_undetermined",
            f"header statistics marked undetermined or invalid (dmin={dmin}, dmax={dmax}, "
            f"dmean={dmean}): left unknown",
            locator="bytes 76-87",
        )
    rms_ok = rms is not None and (rms > 0 or (rms == 0 and minmax_ok and dmax == dmin))
    if rms is not None and not rms_ok:
        why = "negative (undetermined)" if rms < 0 else "0 while min < max (not computed)"
        collector.info("rms_undetermined", f"header rms is {why}: left unknown", locator="byte 216")
    representable: bool | None = None
    if dtype in _INT_RANGES and minmax_ok and dmin is not None and dmax is not None:
        lo, hi = _INT_RANGES[dtype]
        representable = all(v.is_integer() and lo <= v <= hi for v in (dmin, dmax))
        if not representable:
            collector.warning(
                "stale_statistics",
                f"header min/max {dmin:g}/{dmax:g} are not values of the pixel type {dtype}: the "
                "statistics were not computed from these data (copied from a source file or "
                "written before rescaling); do not use them as the intensity range",
                field="dmin/dmax",
                locator="bytes 76-83",
            )
    return Statistics(
        min=dmin if minmax_ok else None,
        max=dmax if minmax_ok else None,
        mean=dmean if mean_ok else None,
        rms=rms if rms_ok else None,
        determined=bool(minmax_ok and mean_ok),
        rms_determined=bool(rms_ok),
        representable=representable,
    )


def _exttyp(raw: bytes, collector: FindingCollector) -> str | None:
    stripped = raw.rstrip(b"\x00 ")
    if not stripped:
        return None
    if all(32 <= b < 127 for b in raw.rstrip(b"\x00")):
        text = stripped.decode("ascii")
        if text not in {"CCP4", "MRCO", "SERI", "AGAR", "FEI1", "FEI2", "HDF5"}:
            collector.info(
                "exttyp_unknown",
                f"extended header type {text!r} is not a known code",
                locator="byte 104",
            )
        return text
    collector.warning(
        "exttyp_garbage",
        f"exttyp bytes {_hex(raw)} are not an extended-header type code (uninitialised memory?)",
        field="exttyp",
        locator="byte 104",
    )
    return None


def _decode_ext(
    ext_bytes: bytes | None,
    indexed: Any,
    *,
    exttyp: str | None,
    nsymbt: int,
    imod: ImodFields,
    nz: int,
    order: str,
    collector: FindingCollector,
) -> ExtHeader:
    if nsymbt <= 0:
        return ExtHeader(size=max(nsymbt, 0))
    if not ext_bytes:
        return ExtHeader(size=nsymbt, present=0, interpretation="unknown")
    present = len(ext_bytes)
    nint, nreal = imod.nint or 0, imod.nreal or 0
    decode: ExtDecode | None = None
    if exttyp in ("FEI1", "FEI2"):
        if indexed is None:
            collector.warning(
                "ext_header_fei", f"exttyp {exttyp} but mrcfile could not index the records"
            )
            return ExtHeader(size=nsymbt, present=present, interpretation="unknown")
        decode = decode_fei(indexed, kind=exttyp.lower(), nz=nz, present=present, declared=nsymbt)
    elif exttyp in ("CCP4", "MRCO"):
        return ExtHeader(size=nsymbt, present=present, interpretation="symmetry")
    elif exttyp == "HDF5":
        return ExtHeader(size=nsymbt, present=present, interpretation="hdf5")
    else:
        kw: dict[str, Any] = {
            "nint": nint,
            "nreal": nreal,
            "nz": nz,
            "byte_order": order,
            "declared": nsymbt,
        }
        if exttyp != "AGAR" and serialem_layout(nint, nreal) is not None:
            decode = decode_serialem(ext_bytes, **kw)
        elif nint == 0 and nreal == 0:
            collector.info(
                "ext_header_undescribed",
                f"extended header of {nsymbt} bytes with nint = nreal = 0 and exttyp "
                f"{exttyp!r}: not decoded",
                locator="bytes 128-131",
            )
            return ExtHeader(size=nsymbt, present=present, interpretation="unknown")
        else:
            if exttyp != "AGAR":
                level = collector.warning if exttyp == "SERI" else collector.info
                level(
                    "ext_header_agard",
                    f"nreal = {nreal} flags do not add up to nint = {nint} bytes per section: "
                    "read as Agard records (nint int32 then nreal float32; tilt = first float)",
                    locator="bytes 128-131",
                )
            decode = decode_agard(ext_bytes, **kw)
    for code, message in decode.problems:
        collector.warning(code, message, locator="extended header")
    return decode.ext


def _labels(h: Any, collector: FindingCollector) -> list[MrcLabel]:
    nlabl = int(h["nlabl"])
    raw_labels = [bytes(lab) for lab in h["label"]]
    n = min(max(nlabl, 0), 10)
    if n != nlabl:
        collector.warning(
            "nlabl_invalid",
            f"nlabl = {nlabl} is outside 0..10; {n} labels read",
            locator="byte 220",
        )
    labels = [parse_label(i, raw_labels[i]) for i in range(n)]
    garbage = [
        i
        for i in range(n, 10)
        if decode_label(raw_labels[i]).strip(" \ufffd")
        or any(b not in (0, 32) for b in raw_labels[i])
    ]
    if garbage:
        collector.info(
            "labels_beyond_nlabl",
            f"label slots {garbage[0]}..{garbage[-1]} beyond nlabl = {nlabl} hold bytes (ignored)",
            locator="bytes 224-1023",
        )
    for lab in labels:
        if "\ufffd" in lab.text:
            collector.warning(
                "label_not_ascii",
                f"label {lab.index} contains non-ASCII bytes",
                locator=f"byte {224 + 80 * lab.index}",
            )
    return labels


def _check_dims(h: Any, collector: FindingCollector) -> bool:
    ok = True
    for name in ("nx", "ny", "nz"):
        value = int(h[name])
        if value <= 0:
            ok = False
            collector.error(
                "bad_dimensions",
                f"{name} = {value}: dimensions must be positive",
                field=name,
                locator="bytes 0-11",
            )
    axes = sorted(int(h[n]) for n in ("mapc", "mapr", "maps"))
    if axes != [1, 2, 3]:
        collector.warning(
            "axis_order_invalid",
            f"mapc/mapr/maps = {axes} are not a permutation of 1, 2, 3",
            locator="bytes 64-75",
        )
    return ok


def read(path: str | os.PathLike[str], *, strict: bool = False) -> MrcFile:
    """Read the header, labels and extended header of an MRC file.

    Parameters
    ----------
    path
        The file (opened read-only; pixel data are not read).
    strict
        Raise `MalformedFileError` on structural problems (declared data or extended header not
        in the file, invalid dimensions or mode) instead of recording error findings.

    Returns
    -------
    MrcFile
        The format model.

    Raises
    ------
    MalformedFileError
        The file is shorter than an MRC header, or mrcfile cannot read it at all.
    UnreadableFileError
        The file cannot be opened.
    """
    spath = os.fspath(path)
    size = file_size(spath)
    collector = FindingCollector(spath, "mrc", strict=strict)
    head = read_head(spath, HEADER_SIZE)
    if len(head) < HEADER_SIZE:
        raise MalformedFileError(
            "truncated header: an MRC header has 1024 bytes",
            path=spath,
            field="header",
            expected=HEADER_SIZE,
            found=len(head),
        )
    order, order_source = prepass_byte_order(head)
    nsymbt = int.from_bytes(head[92:96], "little" if order == "<" else "big", signed=True)
    room = size - HEADER_SIZE
    safe = 0 <= nsymbt <= min(room, MAX_EXT_HEADER)
    if nsymbt < 0:
        collector.error(
            "nsymbt_negative",
            f"extended header size nsymbt = {nsymbt} is negative",
            field="nsymbt",
            locator="byte 92",
        )
    elif nsymbt > room:
        collector.error(
            "ext_header_beyond_file",
            f"the header declares a {nsymbt}-byte extended header but the file has only "
            f"{room} bytes after the main header",
            field="nsymbt",
            locator="byte 92",
        )
    elif nsymbt > MAX_EXT_HEADER:
        collector.warning(
            "ext_header_too_large",
            f"extended header of {nsymbt} bytes is larger than {MAX_EXT_HEADER}: not decoded",
            field="nsymbt",
            locator="byte 92",
        )

    h, ext_bytes, indexed = _open_header(spath, head, safe, collector)
    if not safe and nsymbt > 0 and 0 < room <= MAX_EXT_HEADER:
        ext_bytes = read_head(spath, HEADER_SIZE + room)[HEADER_SIZE:]

    mrc_order = h["nx"].dtype.byteorder
    if mrc_order not in ("<", ">"):
        mrc_order = "<" if np.little_endian else ">"
    if mrc_order != order:  # pragma: no cover - our pre-check follows mrcfile's rules
        collector.warning("byte_order", f"mrcfile decoded as {mrc_order}, pre-check said {order}")
        order = mrc_order
    if order_source != "machine stamp" and not any(
        f.code == "mrc.machine_stamp" for f in collector.items
    ):
        collector.warning(
            "machine_stamp", f"byte order {order}: {order_source}", locator="byte 212"
        )

    imod = decode_imod(bytes(h["extra1"]), bytes(h["extra2"]), order)
    mode = int(h["mode"])
    dtype, dtype_note = pixel_type(mode, imod)
    if dtype is None:
        collector.error(
            "unknown_mode",
            f"mode {mode} is not an MRC/IMOD pixel mode",
            field="mode",
            locator="byte 12",
        )
    dims_ok = _check_dims(h, collector)
    exttyp = _exttyp(head[104:108], collector)
    nversion = int(h["nversion"])
    if nversion not in _VALID_NVERSIONS:
        collector.warning(
            "nversion_invalid",
            f"nversion = {nversion} (bytes {_hex(head[108:112])}) is not an MRC2014 version",
            field="nversion",
            locator="byte 108",
        )
    voxel = _voxel_size(h, collector)
    dmin, dmax, dmean, rms = (finite(h[n]) for n in ("dmin", "dmax", "dmean", "rms"))
    stats = _statistics(dmin, dmax, dmean, rms, dtype, imod, collector)
    origin_inverted = bool(imod.stamp_present and imod.flags is not None and imod.flags & 4)
    if origin_inverted:
        collector.info(
            "origin_sign_inverted",
            "IMOD flag 4: the origin is stored sign-inverted; IMOD reports its negation",
            field="origin",
            locator="byte 196",
        )
    nx, ny, nz = int(h["nx"]), int(h["ny"]), int(h["nz"])
    header = MrcHeader(
        nx=nx,
        ny=ny,
        nz=nz,
        mode=mode,
        dtype=dtype,
        dtype_note=dtype_note,
        nxstart=int(h["nxstart"]),
        nystart=int(h["nystart"]),
        nzstart=int(h["nzstart"]),
        mx=int(h["mx"]),
        my=int(h["my"]),
        mz=int(h["mz"]),
        cella_a=_vec(h["cella"], ("x", "y", "z")),
        cellb_deg=_vec(h["cellb"], ("alpha", "beta", "gamma")),
        mapc=int(h["mapc"]),
        mapr=int(h["mapr"]),
        maps=int(h["maps"]),
        dmin=dmin,
        dmax=dmax,
        dmean=dmean,
        ispg=int(h["ispg"]),
        nsymbt=nsymbt,
        exttyp=exttyp,
        exttyp_hex=_hex(head[104:108]),
        nversion=nversion,
        origin_a=_vec(h["origin"], ("x", "y", "z")),
        origin_sign_inverted=origin_inverted,
        map_id=head[208:212].decode("latin-1"),
        machine_stamp=_hex(head[212:216]),
        byte_order=order,
        byte_order_source=order_source,
        rms=rms,
        nlabl=int(h["nlabl"]),
        voxel_size_a=voxel,
        voxel_size_nm=_scaled(voxel, 0.1),
        voxel_size_um=_scaled(voxel, 1e-4),
        statistics=stats,
        imod=imod,
    )
    labels = _labels(h, collector)
    ext = _decode_ext(
        ext_bytes,
        indexed,
        exttyp=exttyp,
        nsymbt=nsymbt,
        imod=imod,
        nz=nz,
        order=order,
        collector=collector,
    )
    tilts = [s.tilt_deg for s in ext.sections]
    tilt_angles = (
        [t for t in tilts if t is not None] if tilts and all(t is not None for t in tilts) else None
    )

    steps = tilt_steps(tilt_angles) if tilt_angles else None
    if steps is not None and not steps[3] and max(tilt_angles or [0]) > min(tilt_angles or [0]):
        collector.warning(
            "tilt_steps_irregular",
            f"tilt steps range from {steps[1]:g}° to {steps[2]:g}° (median {steps[0]:g}°): "
            "not a regular tilt scheme (dose-symmetric, bidirectional or missing views?)",
            locator="extended header",
        )

    expected = present = None
    rb = row_bytes(mode, nx, imod)
    if dims_ok and rb is not None:
        expected = rb * ny * nz
    if nsymbt >= 0:
        present = max(room - nsymbt, 0)
    if expected is not None and present is not None:
        if present < expected:
            collector.error(
                "data_missing",
                f"data missing: expected {expected} bytes of pixel data "
                f"({nx}×{ny}×{nz}, {dtype}), file has {present}",
                locator=f"byte {HEADER_SIZE + nsymbt}",
            )
        elif present > expected:
            collector.info(
                "trailing_bytes",
                f"{present - expected} bytes after the pixel data",
            )

    role, evidence, conflicts = decide_role(spath, header, labels, tilt_angles)
    if conflicts:
        collector.info("role_conflict", f"role {role} chosen; other clues: " + "; ".join(conflicts))
    return MrcFile(
        path=spath,
        file_size=size,
        header=header,
        labels=labels,
        ext_header=ext,
        tilt_angles_deg=tilt_angles,
        data_bytes_expected=expected,
        data_bytes_present=present,
        role=role,
        role_evidence=evidence,
        findings=collector.items,
    )
