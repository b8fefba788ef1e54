"""Reader for MRC2014 / IMOD / SerialEM files (.mrc, .st, .ali, .rec, .map).

One ``open``, one ``fstat``, one read of the first bytes (the main header, and an extended header
that ends within them) and at most one more for the extended header: `read` and the registry both
go through `read_open`. The main header is decoded by one ``struct.unpack_from`` (``header.py``).
The checks mrcfile's permissive reader makes on it (map ID, machine stamp, mode in the other byte
order) are made here with the same rules and the same messages, so the findings are those of the
mrcfile-based reader this replaced; mrcfile is not imported to read a file (it remains a test peer,
and provides the FEI1/FEI2 record layouts when a file has such an extended header). The extended
header (SerialEM, Agard, FEI), the IMOD overlays, the labels and the role of the file are decoded
by our own modules. Pixel data are never read; every size taken from the header is checked against
the file size before anything is allocated.

Why this module is over 500 lines: the IMOD, extended-header, label, pixel-type and role decoders
live in sibling modules; what stays here is `read`, one ordered sequence of checks on the one open
header (bounds against the file size before anything is read or allocated, then the fields that
depend on them); cut in two, that order would have to be read in two places.
"""

from __future__ import annotations

import os
from typing import Any, cast

from clxm_meta.errors import MalformedFileError, UnreadableFileError
from clxm_meta.readers.base import FileHead, FindingCollector, Notes, construct, open_head
from clxm_meta.readers.mrc.extended_header import (
    ExtDecode,
    decode_agard,
    decode_fei,
    decode_serialem,
    fei_records,
    serialem_layout,
    tilt_steps,
)
from clxm_meta.readers.mrc.header import (
    HEADER_SIZE,
    MRCFILE_MODES,
    RawHeader,
    derived,
    f32,
    imod_fields,
    pixel_type,
    prepass_byte_order,
    row_bytes,
    unpack_header,
)
from clxm_meta.readers.mrc.labels import parse_label
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

__all__ = ["MAX_EXT_HEADER", "read", "read_open"]

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


_HEX = tuple(f"0x{b:02x}" for b in range(256))


def _hex(raw: bytes) -> str:
    return " ".join([_HEX[b] for b in raw])


def _ext_length(head: bytes, size: int) -> int:
    """Bytes of extended header to read after the main header (0 when none is to be read).

    The declared size when it fits in the file and under `MAX_EXT_HEADER`; when it is declared
    beyond the end of a file of at most that size, the bytes that are there (for the findings).
    """
    nsymbt = _nsymbt(head)
    room = size - HEADER_SIZE
    if 0 <= nsymbt <= min(room, MAX_EXT_HEADER):
        return nsymbt
    if nsymbt > 0 and 0 < room <= MAX_EXT_HEADER:
        return room
    return 0


def _truncated(path: str, found: int) -> MalformedFileError:
    return MalformedFileError(
        "truncated header: an MRC header has 1024 bytes",
        path=path,
        field="header",
        expected=HEADER_SIZE,
        found=found,
    )


def _nsymbt(head: bytes) -> int:
    order, _ = prepass_byte_order(head)
    return int.from_bytes(head[92:96], "little" if order == "<" else "big", signed=True)


def _header_checks(
    head: bytes, ext: bytes | None, nsymbt: int, collector: FindingCollector
) -> bytes | None:
    """The findings mrcfile's permissive header reader gave, in its order and with its messages.

    Map ID (bytes 208-210 ``MAP``), machine stamp, and a mode that is valid only in the other byte
    order. Returns the extended header, or ``None`` when it is shorter than declared.
    """
    if head[208:211] != b"MAP":
        collector.error(
            "no_map_id",
            "mrcfile: Map ID string not found - not an MRC file, or file is corrupt",
            locator="byte 208",
        )
    st = head[212:216]
    stamp = _hex(st)
    order = "<"  # also mrcfile's choice when the stamp is not recognised
    if st[0] == 0x11 and st[1] == 0x11:
        order = ">"
    elif not (st[0] == 0x44 and st[1] in (0x44, 0x41)):
        collector.warning(
            "machine_stamp", f"mrcfile: Unrecognised machine stamp: {stamp}", locator="byte 212"
        )
    mode = int.from_bytes(head[12:16], "little" if order == "<" else "big", signed=True)
    if mode not in MRCFILE_MODES:
        other = ">" if order == "<" else "<"
        flipped = int.from_bytes(head[12:16], "little" if other == "<" else "big", signed=True)
        if flipped in MRCFILE_MODES:
            collector.warning(
                "machine_stamp",
                f"mrcfile: Machine stamp '{stamp}' does not match the apparent byte order "
                f"'{other}'",
                locator="byte 212",
            )
    if ext is not None and nsymbt >= 0 and len(ext) < nsymbt:  # the file shrank since the stat
        collector.warning(
            "mrcfile_warning",
            f"mrcfile: Expected {nsymbt} bytes in extended header but could only read {len(ext)}",
        )
        return None
    return ext


def _vec(x: float, y: float, z: float) -> Vec3:
    return construct(Vec3, {"x": f32(x), "y": f32(y), "z": f32(z)})


def _voxel_size(raw: RawHeader, cella: Vec3, collector: FindingCollector) -> Vec3:
    out: dict[str, float | None] = {}
    for axis, m_name, cell, m in (
        ("x", "mx", cella.x, raw.mx),
        ("y", "my", cella.y, raw.my),
        ("z", "mz", cella.z, raw.mz),
    ):
        if cell is None or m <= 0 or cell <= 0:
            out[axis] = None
            collector.warning(
                "voxel_size_unknown",
                f"voxel size along {axis} unknown: cella.{axis} = {cell}, {m_name} = {m}",
                field=f"cella.{axis}",
            )
        else:
            out[axis] = derived(cell / m)
    return construct(Vec3, out)


def _scaled(v: Vec3, factor: float) -> Vec3:
    x, y, z = v.x, v.y, v.z
    return construct(
        Vec3,
        {
            "x": None if x is None else derived(x * factor),
            "y": None if y is None else derived(y * factor),
            "z": None if z is None else derived(z * factor),
        },
    )


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
    return construct(
        Statistics,
        {
            "min": dmin if minmax_ok else None,
            "max": dmax if minmax_ok else None,
            "mean": dmean if mean_ok else None,
            "rms": rms if rms_ok else None,
            "determined": bool(minmax_ok and mean_ok),
            "rms_determined": bool(rms_ok),
            "representable": representable,
        },
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


def _ext(**values: Any) -> ExtHeader:
    return construct(ExtHeader, values)


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
) -> tuple[ExtHeader, list[float | None]]:
    """The extended-header model and each decoded section's tilt (``None`` where it has none)."""
    if nsymbt <= 0:
        return _ext(size=max(nsymbt, 0)), []
    if not ext_bytes:
        return _ext(size=nsymbt, present=0, interpretation="unknown"), []
    present = len(ext_bytes)
    nint, nreal = imod.nint or 0, imod.nreal or 0
    decode: ExtDecode | None = None
    if exttyp in ("FEI1", "FEI2"):
        if indexed is None:
            collector.warning(
                "ext_header_fei", f"exttyp {exttyp} but mrcfile could not index the records"
            )
            return _ext(size=nsymbt, present=present, interpretation="unknown"), []
        decode = decode_fei(indexed, kind=exttyp.lower(), nz=nz, present=present, declared=nsymbt)
    elif exttyp in ("CCP4", "MRCO"):
        return _ext(size=nsymbt, present=present, interpretation="symmetry"), []
    elif exttyp == "HDF5":
        return _ext(size=nsymbt, present=present, interpretation="hdf5"), []
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
            return _ext(size=nsymbt, present=present, interpretation="unknown"), []
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
    return decode.ext, decode.tilts


def _labels(head: bytes, nlabl: int, collector: FindingCollector) -> list[MrcLabel]:
    # Each label as numpy's "S80" gives it (trailing NULs dropped), as mrcfile's header did.
    raw_labels = [head[off : off + 80].rstrip(b"\x00") for off in range(224, 1024, 80)]
    n = min(max(nlabl, 0), 10)
    if n != nlabl:
        collector.warning(
            "nlabl_invalid",
            f"nlabl = {nlabl} is outside 0..10; {n} labels read",
            locator="byte 220",
        )
    labels = [parse_label(i, raw_labels[i]) for i in range(n)]
    # A slot holds something when any byte is neither NUL nor blank.
    garbage = [i for i in range(n, 10) if raw_labels[i].translate(None, b"\x00 ")]
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


def _check_dims(raw: RawHeader, collector: FindingCollector) -> bool:
    ok = True
    for name, value in (("nx", raw.nx), ("ny", raw.ny), ("nz", raw.nz)):
        if value <= 0:
            ok = False
            collector.error(
                "bad_dimensions",
                f"{name} = {value}: dimensions must be positive",
                field=name,
                locator="bytes 0-11",
            )
    axes = sorted((raw.mapc, raw.mapr, raw.maps))
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
        The file is shorter than an MRC header.
    UnreadableFileError
        The file cannot be opened or read.
    """
    with open_head(path, HEADER_SIZE) as fh:
        return read_open(fh, strict=strict)


def read_open(fh: FileHead, *, strict: bool = False) -> MrcFile:
    """`read` for a file the registry already opened (its first bytes in ``fh.head``).

    The main header, and an extended header that ends within those bytes, cost no further read.
    """
    if not fh.regular:
        raise UnreadableFileError("not a regular file", path=fh.path)
    head = fh.read_at(0, HEADER_SIZE)
    if len(head) < HEADER_SIZE:
        raise _truncated(fh.path, len(head))
    n = _ext_length(head, fh.size)
    ext = fh.read_at(HEADER_SIZE, n) if n else b""
    return _decode(fh.path, fh.size, head, ext, strict=strict)


def _decode(spath: str, size: int, head: bytes, ext_read: bytes, *, strict: bool) -> MrcFile:
    """Everything after the reads: the header's checks and model, the rest left to first use.

    The main header is decoded here, its findings kept as notes (`Notes`: strict mode raises
    where an error is met); the labels, the extended header, the tilt angles, the role and the
    findings are worked out on first use (`_Later`), unless `EAGER`.
    """
    collector = Notes(spath, "mrc", strict=strict)
    order, order_source = prepass_byte_order(head)
    raw = unpack_header(head, order)
    nsymbt = raw.nsymbt
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

    ext_bytes: bytes | None = None
    if safe:
        ext_bytes = _header_checks(head, ext_read, nsymbt, collector)
    else:
        # The extended header cannot be in the file: the header is checked as if nsymbt were 0.
        _header_checks(head, None, 0, collector)
        if ext_read:  # declared beyond the end of the file: the bytes that are there
            ext_bytes = ext_read
    indexed = None
    if safe and ext_bytes and raw.exttyp in (b"FEI1", b"FEI2"):
        indexed, problem = fei_records(ext_bytes, raw.exttyp, nz=raw.nz, byte_order=order)
        if problem is not None:
            collector.warning("mrcfile_warning", f"mrcfile: {problem}")
    if order_source != "machine stamp" and not any(
        note[0] == "mrc.machine_stamp" for note in collector.notes
    ):
        collector.warning(
            "machine_stamp", f"byte order {order}: {order_source}", locator="byte 212"
        )

    imod = imod_fields(raw)
    mode = raw.mode
    dtype, dtype_note = pixel_type(mode, imod)
    if dtype is None:
        collector.error(
            "unknown_mode",
            f"mode {mode} is not an MRC/IMOD pixel mode",
            field="mode",
            locator="byte 12",
        )
    dims_ok = _check_dims(raw, collector)
    exttyp = _exttyp(raw.exttyp, collector)
    nversion = raw.nversion
    if nversion not in _VALID_NVERSIONS:
        collector.warning(
            "nversion_invalid",
            f"nversion = {nversion} (bytes {_hex(head[108:112])}) is not an MRC2014 version",
            field="nversion",
            locator="byte 108",
        )
    cella = _vec(raw.cella_x, raw.cella_y, raw.cella_z)
    voxel = _voxel_size(raw, cella, collector)
    dmin, dmax, dmean, rms = f32(raw.dmin), f32(raw.dmax), f32(raw.dmean), f32(raw.rms)
    stats = _statistics(dmin, dmax, dmean, rms, dtype, imod, collector)
    origin_inverted = bool(imod.stamp_present and imod.flags is not None and imod.flags & 4)
    if origin_inverted:
        collector.info(
            "origin_sign_inverted",
            "IMOD flag 4: the origin is stored sign-inverted; IMOD reports its negation",
            field="origin",
            locator="byte 196",
        )
    nx, ny, nz = raw.nx, raw.ny, raw.nz
    header = construct(
        MrcHeader,
        {
            "nx": nx,
            "ny": ny,
            "nz": nz,
            "mode": mode,
            "dtype": dtype,
            "dtype_note": dtype_note,
            "nxstart": raw.nxstart,
            "nystart": raw.nystart,
            "nzstart": raw.nzstart,
            "mx": raw.mx,
            "my": raw.my,
            "mz": raw.mz,
            "cella_a": cella,
            "cellb_deg": _vec(raw.cellb_alpha, raw.cellb_beta, raw.cellb_gamma),
            "mapc": raw.mapc,
            "mapr": raw.mapr,
            "maps": raw.maps,
            "dmin": dmin,
            "dmax": dmax,
            "dmean": dmean,
            "ispg": raw.ispg,
            "nsymbt": nsymbt,
            "exttyp": exttyp,
            "exttyp_hex": _hex(raw.exttyp),
            "nversion": nversion,
            "origin_a": _vec(raw.origin_x, raw.origin_y, raw.origin_z),
            "origin_sign_inverted": origin_inverted,
            "map_id": raw.map_id.decode("latin-1"),
            "machine_stamp": _hex(raw.machine_stamp),
            "byte_order": order,
            "byte_order_source": order_source,
            "rms": rms,
            "nlabl": raw.nlabl,
            "voxel_size_a": voxel,
            "voxel_size_nm": _scaled(voxel, 0.1),
            "voxel_size_um": _scaled(voxel, 1e-4),
            "statistics": stats,
            "imod": imod,
        },
    )
    expected = present = None
    rb = row_bytes(mode, nx, imod)
    if dims_ok and rb is not None:
        expected = rb * ny * nz
    if nsymbt >= 0:
        present = max(room - nsymbt, 0)
    at = len(collector.notes)  # the findings of the labels and the extended header go here
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
    later = _Later(collector, at, head, header, ext_bytes, indexed)
    values: dict[str, Any] = {
        "format": "mrc",
        "path": spath,
        "file_size": size,
        "findings": [],
        "header": header,
        "labels": [],
        "ext_header": None,
        "tilt_angles_deg": None,
        "data_bytes_expected": expected,
        "data_bytes_present": present,
        "role": "unknown",
        "role_evidence": [],
    }
    if EAGER:
        values.update(later())
        return cast(MrcFile, MrcFile.deferred(values, (), None, _FIELDS_SET))
    return cast(MrcFile, MrcFile.deferred(values, MrcFile.DEFERRED, later, _FIELDS_SET))


EAGER = False
"""Work out every value at read time instead of on first use (tests compare the two)."""

_FIELDS_SET = frozenset(MrcFile.__pydantic_fields__) - {"format"}
"""``model_fields_set`` of a read model: every field the reader gives (``format`` is the default)."""


class _Later:
    """The `MrcFile` values left to first use: labels, extended header, tilts, role, findings.

    Holds what working them out needs; calling it returns them (`MrcFile.deferred`). The findings
    are the read's notes with those of the labels and the extended header at ``at`` (before the
    data-size findings) and the role's last: the order of reading everything at once.
    """

    __slots__ = ("at", "ext_bytes", "head", "header", "indexed", "notes")

    def __init__(
        self,
        notes: Notes,
        at: int,
        head: bytes,
        header: MrcHeader,
        ext_bytes: bytes | None,
        indexed: Any,
    ) -> None:
        self.notes, self.at, self.head, self.header = notes, at, head, header
        self.ext_bytes, self.indexed = ext_bytes, indexed

    def __call__(self) -> dict[str, Any]:
        notes, header = self.notes, self.header
        collector = FindingCollector(notes.path, "mrc", strict=notes.strict)
        labels = _labels(self.head, header.nlabl, collector)
        ext, tilts = _decode_ext(
            self.ext_bytes,
            self.indexed,
            exttyp=header.exttyp,
            nsymbt=header.nsymbt,
            imod=header.imod,
            nz=header.nz,
            order=header.byte_order,
            collector=collector,
        )
        tilt_angles: list[float] | None = (
            [t for t in tilts if t is not None] if tilts and None not in tilts else None
        )
        steps = tilt_steps(tilt_angles) if tilt_angles else None
        if steps is not None and not steps[3] and max(tilt_angles or [0]) > min(tilt_angles or [0]):
            collector.warning(
                "tilt_steps_irregular",
                f"tilt steps range from {steps[1]:g}° to {steps[2]:g}° (median {steps[0]:g}°): "
                "not a regular tilt scheme (dose-symmetric, bidirectional or missing views?)",
                locator="extended header",
            )
        found = len(collector.items)
        role, evidence, conflicts = decide_role(notes.path, header, labels, tilt_angles)
        if conflicts:
            collector.info(
                "role_conflict", f"role {role} chosen; other clues: " + "; ".join(conflicts)
            )
        items, at = collector.items, self.at
        return {
            "findings": [
                *notes.findings(0, at),
                *items[:found],
                *notes.findings(at),
                *items[found:],
            ],
            "labels": labels,
            "ext_header": ext,
            "tilt_angles_deg": tilt_angles,
            "role": role,
            "role_evidence": evidence,
        }
