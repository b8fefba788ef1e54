"""The zip container of an xlsx workbook, byte for byte as `zipfile` writes it, minus the cost.

`zipfile.ZipFile.writestr` into a `BytesIO` (deflated, fixed entry time and mode) spends most of
a small workbook's time on per-entry bookkeeping and on deflating parts that are the same in every
workbook (the 10 kB theme, the styles, the relationship and content-type parts). Here each entry
is its local header, its deflated data and its central-directory record, packed with `struct` in
the layout `zipfile` uses for such an archive (no data descriptor, no zip64, no extra field), and
the deflated form of a part named ``constant`` is kept (a small cache keyed by its bytes).

tests/export/test_xlsx_zip.py compares the result with `zipfile`'s on the workbook parts and on
random names, contents and modes. Anything outside that layout (a name that is not ASCII, a part
of 1 GiB or more, an archive past 4 GiB) is written by `zipfile` itself.
"""

from __future__ import annotations

import functools
import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Sequence

__all__ = ["zip_bytes"]

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # what zipfile writes for a deflated entry (version needed and made by)
_SYSTEM = 0 if sys.platform == "win32" else 3  # zipfile.ZipInfo's create_system
_BIG = 1 << 30
"""Parts this large go through zipfile (its zip64 choice starts near 4 GiB)."""


def _deflate(data: bytes) -> tuple[int, bytes]:
    """CRC-32 and raw deflate stream of ``data``, as `zipfile`'s default compressor makes it."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


_deflate_constant = functools.lru_cache(maxsize=32)(_deflate)


def _dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    return h << 11 | mi << 5 | s // 2, (y - 1980) << 9 | mo << 5 | d


def _with_zipfile(
    parts: Sequence[tuple[str, bytes, bool]],
    date_time: tuple[int, int, int, int, int, int],
    mode: int,
) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, _ in parts:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = mode << 16
            archive.writestr(info, data)
    return buf.getvalue()


def zip_bytes(
    parts: Sequence[tuple[str, bytes, bool]],
    *,
    date_time: tuple[int, int, int, int, int, int],
    mode: int,
) -> bytes:
    """A deflated zip of ``parts`` (``(name, data, constant)``), in order.

    The same bytes as ``ZipFile(BytesIO(), "w", ZIP_DEFLATED)`` with one ``writestr`` per part of
    a `ZipInfo` with ``date_time``, deflate and ``external_attr = mode << 16``. ``constant`` marks
    a part whose deflated form is worth keeping for the next archive (the same in every workbook).
    """
    if any(not name.isascii() or len(data) >= _BIG for name, data, _ in parts):
        return _with_zipfile(parts, date_time, mode)
    dos_time, dos_date = _dos_time(date_time)
    attr = (mode << 16) or (0o600 << 16)  # zipfile gives an entry of mode 0 its default 0o600
    body: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data, constant in parts:
        crc, packed = (_deflate_constant if constant else _deflate)(data)
        raw_name = name.encode("ascii")
        header = _LOCAL.pack(
            b"PK\003\004",
            _VERSION,
            0,
            0,
            zipfile.ZIP_DEFLATED,
            dos_time,
            dos_date,
            crc,
            len(packed),
            len(data),
            len(raw_name),
            0,
        )
        central.append(
            _CENTRAL.pack(
                b"PK\001\002",
                _VERSION,
                _SYSTEM,
                _VERSION,
                0,
                0,
                zipfile.ZIP_DEFLATED,
                dos_time,
                dos_date,
                crc,
                len(packed),
                len(data),
                len(raw_name),
                0,
                0,
                0,
                0,
                attr,
                offset,
            )
            + raw_name
        )
        body += (header, raw_name, packed)
        offset += len(header) + len(raw_name) + len(packed)
    if offset >= _BIG:
        return _with_zipfile(parts, date_time, mode)
    directory = b"".join(central)
    end = _END.pack(b"PK\005\006", 0, 0, len(parts), len(parts), len(directory), offset, 0)
    return b"".join(body) + directory + end
