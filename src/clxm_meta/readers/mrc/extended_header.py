"""Decode MRC extended headers: SerialEM/IMOD bit-flag records, Agard records and FEI1/FEI2.

SerialEM (IMOD ``mrc_format.txt``): ``nint`` is the number of bytes per section and ``nreal`` a set
of bit flags saying which short items each section holds, in increasing bit order. When the bytes
the flags imply do not add up to ``nint``, the header is read the Agard way: ``nint`` int32 then
``nreal`` float32 per section, the tilt angle being the first float. FEI1/FEI2 records are indexed
here with mrcfile's record layouts (``mrcfile.dtypes``, imported only for such files) and the rules
of its ``indexed_extended_header``, then mapped.

Everything is decoded in the main header's byte order, column by column (SerialEM: one array of
all the shorts, a column being every n-th, in pure Python; Agard and FEI: one numpy structured
array over the bytes, numpy being imported for those files only), and bounded by the bytes that
are actually present. The per-section models are then built from the columns without re-validation.
"""

from __future__ import annotations

import array
import itertools
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clxm_meta.readers.base import construct
from clxm_meta.readers.mrc.model import ExtHeader, ExtSection, Scalar

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = [
    "SERIALEM_ITEMS",
    "ExtDecode",
    "decode_agard",
    "decode_fei",
    "decode_serialem",
    "fei_records",
    "serialem_layout",
    "tilt_steps",
    "unpack_serialem_float",
]

SERIALEM_ITEMS: tuple[tuple[int, str, int], ...] = (
    (1, "tilt", 2),
    (2, "montage", 6),
    (4, "stage", 4),
    (8, "magnification", 2),
    (16, "intensity", 2),
    (32, "dose", 4),
    (64, "reserved_64", 2),
    (128, "reserved_128", 4),
    (256, "reserved_256", 2),
    (512, "reserved_512", 4),
    (1024, "reserved_1024", 2),
)
"""(bit, item, bytes) of the SerialEM extended-header items, in file order."""

STEP_TOLERANCE_DEG = 0.05
"""Tilt steps within this spread count as regular: SerialEM stores the stage read-back to 0.01°."""

_KNOWN_BITS = sum(bit for bit, _, _ in SERIALEM_ITEMS)
MAX_EXTRA_PER_SECTION = 64
"""Agard records can declare up to 32767 numbers per section; at most this many are kept each."""


@dataclass
class ExtDecode:
    """Result of decoding: the model part plus problems for the reader to report."""

    ext: ExtHeader
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(code, message) pairs, all warnings."""
    tilts: list[float | None] = field(default_factory=list)
    """Each decoded section's tilt angle (``None`` where it has none): ``tilt_deg`` of
    ``ext.sections``, without building them."""


@dataclass(frozen=True)
class _SerialemSections:
    """SerialEM sections as columns; calling it builds the `ExtSection` list."""

    n: int
    columns: dict[str, list[Any]]
    """`ExtSection` field → one value per section."""
    extra_columns: dict[str, list[int]]
    """Reserved item short (``reserved_64_0`` ...) → one value per section."""

    def __call__(self) -> list[ExtSection]:
        keys = ["index", *self.columns]
        rows = zip(range(self.n), *self.columns.values(), strict=True)
        if not self.extra_columns:
            return [
                construct(ExtSection, {**dict(zip(keys, row, strict=True)), "extra": {}})
                for row in rows
            ]
        extra_keys = list(self.extra_columns)
        extras = [
            dict(zip(extra_keys, row, strict=True))
            for row in zip(*self.extra_columns.values(), strict=True)
        ]
        return [
            construct(ExtSection, {**dict(zip(keys, row, strict=True)), "extra": extra})
            for row, extra in zip(rows, extras, strict=True)
        ]


@dataclass(frozen=True)
class _AgardSections:
    """Agard sections as rows of kept ints and floats; calling it builds the `ExtSection` list."""

    int_rows: list[list[int]]
    float_rows: list[list[float | None]]
    tilts: list[float | None]

    def __call__(self) -> list[ExtSection]:
        n_int = len(self.int_rows[0]) if self.int_rows else 0
        n_float = len(self.float_rows[0]) if self.float_rows else 0
        int_keys = [f"int_{j}" for j in range(n_int)]
        float_keys = [f"float_{j}" for j in range(n_float)]
        sections: list[ExtSection] = []
        for i, (ints, floats) in enumerate(zip(self.int_rows, self.float_rows, strict=True)):
            extra: dict[str, Scalar] = dict(zip(int_keys, ints, strict=True))
            extra.update(zip(float_keys, floats, strict=True))
            sections.append(
                construct(ExtSection, {"index": i, "tilt_deg": self.tilts[i], "extra": extra})
            )
        return sections


def _pending_header(values: dict[str, Any], sections: Callable[[], list[ExtSection]]) -> ExtHeader:
    """An `ExtHeader` of ``values`` whose ``sections`` are built by ``sections()`` when first read.

    ``sections`` counts as given (``model_fields_set``), as when the list is passed.
    """
    ext = construct(ExtHeader, {**values, "sections": []})
    del ext.__dict__["sections"]
    private = ext.__pydantic_private__
    assert private is not None  # ExtHeader has a private attribute
    private["_pending_sections"] = sections
    return ext


def serialem_layout(nint: int, nreal: int) -> list[tuple[int, str, int]] | None:
    """Items of a SerialEM section, or ``None`` when the flags do not describe ``nint`` bytes.

    Parameters
    ----------
    nint
        Bytes per section (header byte 128).
    nreal
        Bit flags (header byte 130).
    """
    if nint <= 0 or nreal <= 0 or nreal & ~_KNOWN_BITS:
        return None
    items = [item for item in SERIALEM_ITEMS if nreal & item[0]]
    if sum(size for _, _, size in items) != nint:
        return None
    return items


def unpack_serialem_float(s1: int, s2: int) -> float:
    """A float that SerialEM packed into two shorts (the exposure dose).

    value = sign(s1) · (|s1| · 256 + |s2| mod 256) · 2^(sign(s2) · (|s2| div 256))
    """
    mantissa = abs(s1) * 256 + abs(s2) % 256
    exponent = abs(s2) // 256
    if s1 < 0:
        mantissa = -mantissa
    if s2 < 0:
        exponent = -exponent
    return float(mantissa) * 2.0**exponent


def tilt_steps(
    angles: list[float], tolerance: float = STEP_TOLERANCE_DEG
) -> tuple[float, float, float, bool] | None:
    """Median, smallest and largest step between consecutive angles, and whether they agree.

    Returns ``None`` for fewer than two angles. Steps are rounded to 0.001°.
    """
    if len(angles) < 2:
        return None
    steps = [b - a for a, b in itertools.pairwise(angles)]
    steps.sort()
    n = len(steps)
    median = steps[n // 2] if n % 2 else (steps[n // 2 - 1] + steps[n // 2]) / 2
    lo, hi = steps[0], steps[-1]
    return round(median, 3), round(lo, 3), round(hi, 3), hi - lo <= tolerance + 1e-9


def _finite(value: Any) -> float | None:
    out = float(value)
    return out if math.isfinite(out) else None


def _sections_available(present: int, record: int, nz: int) -> int:
    if record <= 0 or nz <= 0:
        return 0
    return min(nz, present // record)


def _check_count(decode: ExtDecode, n: int, nz: int, present: int, record: int) -> None:
    if nz > 0 and n < nz:
        decode.problems.append(
            (
                "ext_header_short",
                f"the extended header holds {n} section record(s) of {record} bytes "
                f"({present} bytes present) but the stack has nz = {nz} sections",
            )
        )


def _serialem_dose(s1: Sequence[int], s2: Sequence[int]) -> list[float | None]:
    """`unpack_serialem_float` over two columns of shorts.

    Always finite (at most 8.4e6 · 2^127), so no ``None``; in pure Python, so that a SerialEM
    header does not import numpy (the start-up of ``inspect``).
    """
    return [unpack_serialem_float(a, b) for a, b in zip(s1, s2, strict=True)]


def decode_serialem(
    buf: bytes, *, nint: int, nreal: int, nz: int, byte_order: str, declared: int
) -> ExtDecode:
    """Decode a SerialEM/IMOD bit-flag extended header.

    Parameters
    ----------
    buf
        The extended-header bytes present in the file.
    nint, nreal
        Bytes per section and item flags; ``serialem_layout(nint, nreal)`` must not be ``None``.
    nz
        Number of sections in the stack.
    byte_order
        ``"<"`` or ``">"``.
    declared
        nsymbt.
    """
    layout = serialem_layout(nint, nreal)
    if layout is None:
        raise ValueError(f"nint={nint}, nreal={nreal} is not a SerialEM layout")
    n = _sections_available(len(buf), nint, nz)
    stride = nint // 2  # shorts per section (every item is whole shorts)
    shorts = array.array("h")  # 2 bytes per value, like the file: no Python int per short
    shorts.frombytes(memoryview(buf)[: n * nint])
    if (byte_order == "<") != (sys.byteorder == "little"):
        shorts.byteswap()
    names = [name for _, name, _ in layout]
    # One list per ExtSection field (and per reserved short), n values each: short j of every
    # section is shorts[j::stride].
    columns: dict[str, list[Any]] = {}
    extra_columns: dict[str, list[int]] = {}
    first = 0
    for _, name, size in layout:
        col = [shorts[first + j :: stride] for j in range(size // 2)]
        first += size // 2
        if name == "tilt":
            columns["tilt_deg"] = [v / 100.0 for v in col[0]]
        elif name == "montage":
            columns["piece_x"] = list(col[0])
            columns["piece_y"] = list(col[1])
            columns["piece_z"] = list(col[2])
        elif name == "stage":
            columns["stage_x_um"] = [v / 25.0 for v in col[0]]
            columns["stage_y_um"] = [v / 25.0 for v in col[1]]
        elif name == "magnification":
            columns["magnification"] = [float(v * 100) for v in col[0]]
        elif name == "intensity":
            columns["intensity"] = [v / 25000.0 for v in col[0]]
        elif name == "dose":
            columns["dose_e_per_a2"] = _serialem_dose(col[0], col[1])
        else:
            for j, values in enumerate(col):
                extra_columns[f"{name}_{j}"] = list(values)
    decode = ExtDecode(
        _pending_header(
            {
                "size": declared,
                "present": len(buf),
                "interpretation": "serialem",
                "items": names,
                "section_bytes": nint,
                "n_sections": n,
            },
            _SerialemSections(n, columns, extra_columns),
        ),
        tilts=list(columns["tilt_deg"]) if "tilt_deg" in columns else [None] * n,
    )
    _check_count(decode, n, nz, len(buf), nint)
    return decode


def decode_agard(
    buf: bytes, *, nint: int, nreal: int, nz: int, byte_order: str, declared: int
) -> ExtDecode:
    """Decode an Agard-style extended header: ``nint`` int32 then ``nreal`` float32 per section.

    The tilt angle is the first float (IMOD ``get_extra_header_items``). numpy is imported here,
    for such files only.
    """
    import numpy as np

    record = 4 * (max(nint, 0) + max(nreal, 0))
    head = {
        "size": declared,
        "present": len(buf),
        "interpretation": "agard",
        "section_bytes": record,
    }
    if nint < 0 or nreal < 0 or record == 0:
        decode = ExtDecode(construct(ExtHeader, head))
        decode.problems.append(
            (
                "ext_header_layout",
                f"nint={nint}, nreal={nreal} describe no usable section record; "
                "the extended header was not decoded",
            )
        )
        return decode
    n = _sections_available(len(buf), record, nz)
    dtype = np.dtype(
        [("ints", f"{byte_order}i4", (nint,)), ("floats", f"{byte_order}f4", (nreal,))]
    )
    rec: npt.NDArray[Any] = np.frombuffer(buf, dtype=dtype, count=n)
    kept_ints = rec["ints"][:, :MAX_EXTRA_PER_SECTION]
    with np.errstate(invalid="ignore"):  # a signalling NaN in the file: kept, reported below
        kept_floats = rec["floats"][:, :MAX_EXTRA_PER_SECTION].astype(np.float64)
    finite = np.isfinite(kept_floats)
    nonfinite = int(finite.size - np.count_nonzero(finite))
    int_rows: list[list[int]] = kept_ints.tolist()
    float_rows: list[list[float | None]] = kept_floats.tolist()
    if nonfinite:
        float_rows = [
            [v if v is not None and math.isfinite(v) else None for v in row] for row in float_rows
        ]
    tilts: list[float | None] = [row[0] for row in float_rows] if nreal else [None] * n
    decode = ExtDecode(
        _pending_header(
            {**head, "n_sections": n}, _AgardSections(int_rows, float_rows, list(tilts))
        ),
        tilts=tilts,
    )
    if nint + nreal > MAX_EXTRA_PER_SECTION:
        decode.problems.append(
            (
                "ext_header_truncated_items",
                f"sections declare {nint} ints and {nreal} floats; only the first "
                f"{MAX_EXTRA_PER_SECTION} of each kind are kept",
            )
        )
    if nonfinite:
        decode.problems.append(
            ("ext_header_nonfinite", f"{nonfinite} extended-header float(s) are NaN or infinite")
        )
    _check_count(decode, n, nz, len(buf), record)
    return decode


def fei_records(
    buf: bytes, exttyp: bytes, *, nz: int, byte_order: str
) -> tuple[npt.NDArray[Any] | None, str | None]:
    """FEI1/FEI2 records of an extended header, indexed as mrcfile's ``indexed_extended_header``.

    The first record must be whole and give its own size as ``Metadata size``, and the bytes must
    hold ``nz`` records (Python slicing of ``nz`` × record size bytes, as mrcfile slices them).

    Returns
    -------
    tuple
        The structured array (one element per record) or ``None``, and mrcfile's warning text when
        the records cannot be indexed.
    """
    import numpy as np
    from mrcfile.dtypes import get_ext_header_dtype

    dtype = get_ext_header_dtype(exttyp, byte_order)
    problem = (
        f"The header has exttyp '{exttyp!r}' but the extended header cannot be interpreted as "
        "that type"
    )
    size = int(dtype.itemsize)
    if len(buf) < size:
        return None, problem
    first = np.frombuffer(buf, dtype=dtype, count=1)
    if first["Metadata size"][0] != size:
        return None, problem
    nbytes = nz * size
    if len(buf) < nbytes:
        return None, problem
    full = buf[0:nbytes]
    if len(full) % size:
        return None, problem
    return np.frombuffer(full, dtype=dtype), None


_FEI_MAP: dict[str, tuple[str, float]] = {
    "Alpha tilt": ("tilt_deg", 1.0),
    "X-Stage": ("stage_x_um", 1e6),
    "Y-Stage": ("stage_y_um", 1e6),
    "Z-Stage": ("stage_z_um", 1e6),
    "Magnification": ("magnification", 1.0),
}


def _fei_scalar(value: Any) -> Scalar:
    import numpy as np  # loaded already: the records are a numpy array

    if isinstance(value, bytes):
        return value.rstrip(b"\x00").decode("latin-1").strip()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return _finite(value)
    return None


def decode_fei(
    indexed: npt.NDArray[Any], *, kind: str, nz: int, present: int, declared: int
) -> ExtDecode:
    """Map FEI1/FEI2 records (from `fei_records`) onto `ExtSection` records.

    Parameters
    ----------
    indexed
        The structured array, one element per section.
    kind
        ``"fei1"`` or ``"fei2"``.
    """
    names = [n for n in (indexed.dtype.names or ()) if indexed.dtype[n].shape == ()]
    record = int(indexed.dtype.itemsize)
    sections: list[ExtSection] = []
    for i in range(len(indexed)):
        row = indexed[i]
        kw: dict[str, Any] = {"index": i}
        extra: dict[str, Scalar] = {}
        for name in names:
            value = _fei_scalar(row[name])
            if name in _FEI_MAP:
                slot, scale = _FEI_MAP[name]
                kw[slot] = value * scale if isinstance(value, float) else None
            else:
                extra[name] = value
        sections.append(construct(ExtSection, {**kw, "extra": extra}))
    decode = ExtDecode(
        construct(
            ExtHeader,
            {
                "size": declared,
                "present": present,
                "interpretation": kind,
                "section_bytes": record,
                "n_sections": len(sections),
                "sections": sections,
            },
        )
    )
    decode.tilts = [section.tilt_deg for section in sections]
    _check_count(decode, len(sections), nz, present, record)
    return decode
