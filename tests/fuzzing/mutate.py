"""Mutators: generic byte damage plus format-aware damage at every structural boundary.

Every mutator takes the seed bytes and a seeded `random.Random` and returns the mutated bytes and a
short label (the label names the mutation family; the campaign counts cases per family). The
structure walkers here (`tiff_ifds`, `ole_layout`) are deliberately small and defensive: they only
have to find offsets in well-formed seeds, and give up quietly on anything else.
"""

from __future__ import annotations

import io
import random
import re
import struct
from collections.abc import Callable

Mutator = Callable[[bytes, random.Random], tuple[bytes, str]]

INT32_EXTREMES = (-1, 0, 1, 2**31 - 1, -(2**31), 2**16, 2**24 + 1, 65535, 32767, -32768)
INT16_EXTREMES = (-1, 0, 1, 32767, -32768, 255, 1024)
FLOAT32_EXTREMES = (
    float("nan"),
    float("inf"),
    float("-inf"),
    -0.0,
    0.0,
    1e38,
    -1e38,
    1e-45,  # denormal
    2.0**31,
    99999.0,
)
TEXT_NUMBER_EXTREMES = (
    "nan",
    "NaN",
    "inf",
    "-inf",
    "-0",
    "0",
    "1e309",
    "-1e309",
    "1e-320",
    "99999",
    "2147483648",
    "-2147483649",
    "9" * 400,
    "0x1F",
    "1_000",
    "",
    "-",
    ".",
    "1e",
    "١٢",  # Arabic-Indic digits: int() accepts them
)

MB10 = 10 * 1024 * 1024


# ---------------------------------------------------------------- generic byte damage


def bit_flips(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Flip 1-16 random bits (biased to the first 4 KiB, where the headers are)."""
    if not data:
        return b"\x00", "bitflip"
    buf = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        limit = min(len(buf), 4096) if rng.random() < 0.8 else len(buf)
        pos = rng.randrange(limit)
        buf[pos] ^= 1 << rng.randrange(8)
    return bytes(buf), "bitflip"


def range_overwrite(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Overwrite a byte range with zeros, 0xFF, random bytes or a copy of another range."""
    if not data:
        return bytes(rng.randrange(256) for _ in range(8)), "overwrite"
    buf = bytearray(data)
    limit = min(len(buf), 8192) if rng.random() < 0.8 else len(buf)
    start = rng.randrange(limit)
    n = min(rng.choice((1, 2, 4, 8, 16, 64, 512)), len(buf) - start)
    kind = rng.randrange(4)
    if kind == 0:
        fill = bytes(n)
    elif kind == 1:
        fill = b"\xff" * n
    elif kind == 2:
        fill = bytes(rng.randrange(256) for _ in range(n))
    else:
        src = rng.randrange(len(buf))
        fill = bytes(buf[src : src + n]).ljust(n, b"\x00")
    buf[start : start + n] = fill
    return bytes(buf), "overwrite"


def splice(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Insert or delete a few bytes (shifts every later offset)."""
    if not data:
        return b"\x00", "splice"
    pos = rng.randrange(min(len(data), 8192))
    if rng.random() < 0.5:
        ins = bytes(rng.randrange(256) for _ in range(rng.choice((1, 3, 4, 17))))
        return data[:pos] + ins + data[pos:], "splice"
    return data[:pos] + data[pos + rng.choice((1, 2, 4, 16)) :], "splice"


def truncate_random(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Cut the file at a random length (biased to short files)."""
    if not data:
        return data, "truncate"
    n = rng.randrange(min(len(data), 4096)) if rng.random() < 0.6 else rng.randrange(len(data))
    return data[:n], "truncate"


def append_garbage(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Append random bytes (a file that kept growing, or a concatenation)."""
    return data + bytes(rng.randrange(256) for _ in range(rng.choice((1, 100, 4096)))), "append"


GENERIC: tuple[Mutator, ...] = (bit_flips, range_overwrite, splice, truncate_random, append_garbage)


def _cut_at(data: bytes, offsets: list[int], rng: random.Random, label: str) -> tuple[bytes, str]:
    inside = sorted({o for o in offsets if 0 <= o <= len(data)})
    if not inside:
        return truncate_random(data, rng)
    cut = rng.choice(inside) + rng.choice((0, 0, 0, -1, 1))
    return data[: max(cut, 0)], label


def _pack_extreme(rng: random.Random, endian: str, width: int) -> bytes:
    if width == 2:
        return struct.pack(endian + "h", rng.choice(INT16_EXTREMES))
    if rng.random() < 0.5:
        return struct.pack(endian + "i", rng.choice(INT32_EXTREMES))
    return struct.pack(endian + "f", rng.choice(FLOAT32_EXTREMES))


# ---------------------------------------------------------------- DV / MRC (1024-byte headers)

_HOT_FIELDS = (0, 4, 8, 12, 28, 32, 36, 40, 44, 48, 92, 104, 108, 128, 130, 160, 180, 196, 208, 212)
"""Header words that size or locate things: nx ny nz mode, m*, cell, next/nsymbt, exttyp, nversion,
DV ext counts and ntst, wavelengths, machine stamp, nlabl/ntitle area."""


def _header_endian(data: bytes) -> str:
    if len(data) >= 216 and data[212:214] in (b"\x11\x11", b"\x11\x00"):
        return ">"
    if len(data) >= 98 and data[96:98] == b"\xc0\xa0":
        return ">"
    return "<"


def _next_bytes(data: bytes, endian: str) -> int:
    if len(data) < 96:
        return 0
    return int(struct.unpack_from(endian + "i", data, 92)[0])


def header_boundaries(data: bytes) -> list[int]:
    """Field, title and extended-header boundaries of a DV/MRC file."""
    endian = _header_endian(data)
    ext = _next_bytes(data, endian)
    out = list(range(0, 224, 4)) + [224 + 80 * k for k in range(11)] + [1024]
    if 0 < ext < len(data):
        out.append(1024 + ext)
        for step in (8, 12, 32, 88, 128, 160):  # common per-section record lengths
            out.extend(1024 + step * k for k in range(1, min(ext // step, 64) + 1))
    out.append(len(data))
    return out


def header_truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Cut at a header field, title, extended-header section or data boundary."""
    return _cut_at(data, header_boundaries(data), rng, "truncate@boundary")


def header_extreme(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Set one or more header words to extremes (negative, 0, 2^31-1, NaN, inf, denormal)."""
    if len(data) < 224:
        return range_overwrite(data, rng)
    buf = bytearray(data)
    endian = _header_endian(data) if rng.random() < 0.8 else rng.choice("<>")
    for _ in range(rng.randint(1, 3)):
        off = rng.choice(_HOT_FIELDS) if rng.random() < 0.6 else rng.randrange(0, 224, 2)
        width = 2 if off in (128, 130, 160, 180, 196) or off % 4 else 4
        buf[off : off + width] = _pack_extreme(rng, endian, width)
    return bytes(buf), "extreme_field"


def ext_header_overlong(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Claim more extended-header bytes (or per-section ints/floats) than the file holds."""
    if len(data) < 224:
        return range_overwrite(data, rng)
    buf = bytearray(data)
    endian = _header_endian(data)
    claim = rng.choice((len(data), len(data) - 1023, len(data) + 1, 2**31 - 1, 2**24, 1 << 20))
    struct.pack_into(endian + "i", buf, 92, claim)
    if rng.random() < 0.5:  # DV: ints/floats per section; MRC: nint/nreal
        struct.pack_into(
            endian + "2h", buf, 128, rng.choice((32767, -1, 0)), rng.choice((32767, 1))
        )
    if rng.random() < 0.3:
        struct.pack_into(endian + "i", buf, 8, rng.choice((2**31 - 1, 10**6)))
    return bytes(buf), "ext_header_overlong"


def title_garbage(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Fill the label/title area with control bytes, non-UTF-8 or NULs; set the count to extremes."""
    if len(data) < 1024:
        return range_overwrite(data, rng)
    buf = bytearray(data)
    k = rng.randrange(10)
    fill = rng.choice((b"\xff\xfe" * 40, bytes(80), bytes(range(80)), b"\xc3" * 80))
    buf[224 + 80 * k : 304 + 80 * k] = fill
    struct.pack_into(_header_endian(data) + "i", buf, 220, rng.choice((-1, 0, 10, 11, 2**31 - 1)))
    return bytes(buf), "title_garbage"


HEADER_MUTATORS: tuple[Mutator, ...] = (
    header_truncate,
    header_extreme,
    header_extreme,
    ext_header_overlong,
    title_garbage,
)


# ---------------------------------------------------------------- TIFF


def tiff_ifds(data: bytes, limit: int = 64) -> tuple[str, bool, list[tuple[int, int]]]:
    """``(endian, bigtiff, [(ifd offset, entry count)])`` of the first ``limit`` IFDs."""
    if len(data) < 8 or data[:2] not in (b"II", b"MM"):
        return "<", False, []
    e = "<" if data[:2] == b"II" else ">"
    big = struct.unpack_from(e + "H", data, 2)[0] == 43
    out: list[tuple[int, int]] = []
    try:
        off = (
            struct.unpack_from(e + "Q", data, 8)[0]
            if big
            else struct.unpack_from(e + "I", data, 4)[0]
        )
        seen: set[int] = set()
        while off and off not in seen and len(out) < limit and off < len(data):
            seen.add(off)
            n = struct.unpack_from(e + ("Q" if big else "H"), data, off)[0]
            if n > 4096:
                break
            out.append((off, n))
            entries = off + (8 if big else 2)
            nxt = entries + n * (20 if big else 12)
            off = struct.unpack_from(e + ("Q" if big else "I"), data, nxt)[0]
    except struct.error:
        pass
    return e, big, out


def _tiff_entry_offsets(data: bytes) -> tuple[str, bool, list[int], list[int]]:
    e, big, ifds = tiff_ifds(data)
    entries: list[int] = []
    next_ptrs: list[int] = []
    for off, n in ifds:
        first = off + (8 if big else 2)
        size = 20 if big else 12
        entries.extend(first + size * k for k in range(n))
        next_ptrs.append(first + size * n)
    return e, big, entries, next_ptrs


def tiff_boundaries(data: bytes) -> list[int]:
    """Header, IFD, entry, next-pointer and out-of-line value boundaries."""
    e, big, entries, next_ptrs = _tiff_entry_offsets(data)
    out = [0, 4, 8, 16, len(data), *entries, *next_ptrs]
    for pos in entries:
        try:
            if big:
                out.append(int(struct.unpack_from(e + "Q", data, pos + 12)[0]))
            else:
                out.append(int(struct.unpack_from(e + "I", data, pos + 8)[0]))
        except struct.error:
            continue
    return out


def tiff_truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Cut at an IFD, entry, next-IFD pointer or tag-value boundary."""
    return _cut_at(data, tiff_boundaries(data), rng, "truncate@boundary")


def tiff_ifd_loop(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Point a next-IFD pointer back at itself, the first IFD, or an earlier IFD (a loop)."""
    e, big, ifds = tiff_ifds(data)
    _, _, _, next_ptrs = _tiff_entry_offsets(data)
    if not ifds:
        return bit_flips(data, rng)
    buf = bytearray(data)
    k = rng.randrange(len(next_ptrs))
    target = rng.choice([off for off, _ in ifds[: k + 1]])
    if rng.random() < 0.2:
        target = next_ptrs[k] - 2  # into its own entries: a misaligned self-reference
    struct.pack_into(e + ("Q" if big else "I"), buf, next_ptrs[k], target)
    return bytes(buf), "ifd_loop"


def tiff_entry_extreme(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Set an entry's type, count or value offset to extremes (beyond EOF, huge, zero)."""
    e, big, entries, next_ptrs = _tiff_entry_offsets(data)
    if not entries:
        return bit_flips(data, rng)
    buf = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        pos = rng.choice(entries)
        what = rng.randrange(4)
        if what == 0:  # field type
            struct.pack_into(e + "H", buf, pos + 2, rng.choice((0, 13, 19, 255, 65535, 2, 7)))
        elif what == 1:  # count
            value = rng.choice((0, 1, 2**31 - 1, 2**32 - 1, len(data), 2**28))
            if big:
                struct.pack_into(e + "Q", buf, pos + 4, value)
            else:
                struct.pack_into(e + "I", buf, pos + 4, value)
        elif what == 2:  # value / offset
            value = rng.choice((len(data), len(data) + 1, 2**32 - 1, 0, 7, len(data) - 1))
            if big:
                struct.pack_into(e + "Q", buf, pos + 12, value)
            else:
                struct.pack_into(e + "I", buf, pos + 8, value)
        else:  # tag code: duplicate / unknown / reorder
            struct.pack_into(e + "H", buf, pos, rng.choice((256, 270, 273, 279, 305, 65000, 0)))
    if next_ptrs and rng.random() < 0.2:  # and an entry count that runs past EOF
        off = tiff_ifds(data)[2][0][0]
        struct.pack_into(e + ("Q" if big else "H"), buf, off, rng.choice((0, 65535, 4097)))
    return bytes(buf), "tiff_entry_extreme"


MINIMAL_OME = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">'
    '<Image ID="Image:0" Name="x"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint16" '
    'SizeX="8" SizeY="6" SizeZ="2" SizeC="1" SizeT="1" PhysicalSizeX="0.1" PhysicalSizeY="0.1">'
    '<Channel ID="Channel:0:0" SamplesPerPixel="1"/><Plane TheZ="0" TheC="0" TheT="0"/>'
    "</Pixels></Image></OME>"
)
"""A small valid OME-XML document (for TIFF seeds without one)."""

EVIL_XML = {
    "xxe_file": (
        '<?xml version="1.0"?>\n<!DOCTYPE OME [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">'
        '<Image ID="Image:0" Name="&xxe;"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" '
        'Type="uint16" SizeX="8" SizeY="6" SizeZ="1" SizeC="1" SizeT="1"/></Image></OME>'
    ),
    "xxe_net": (
        '<?xml version="1.0"?>\n<!DOCTYPE OME SYSTEM "http://127.0.0.1:9/ome.dtd">\n'
        '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"/>'
    ),
    "xxe_param": (
        '<?xml version="1.0"?>\n<!DOCTYPE OME [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>\n'
        '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"/>'
    ),
    "billion_laughs": (
        '<?xml version="1.0"?>\n<!DOCTYPE OME [<!ENTITY a "ha">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + ']>\n<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">'
        '<Image ID="Image:0" Name="&j;"/></OME>'
    ),
    "quadratic_blowup": (
        '<?xml version="1.0"?>\n<!DOCTYPE OME [<!ENTITY a "' + "x" * 50_000 + '">]>\n'
        '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0" '
        'Name="' + "&a;" * 2000 + '"/></OME>'
    ),
}
"""Hostile XML documents: external entities (file, network, parameter) and entity expansion."""


def _ome_text(data: bytes) -> str | None:
    m = re.search(rb"<\?xml[^>]*>\s*<([\w.-]+:)?OME\b", data) or re.search(
        rb"<([\w.-]+:)?OME\b", data
    )
    if m is None:
        return None
    end = data.find(b"\x00", m.start())
    return data[m.start() : end if end > 0 else len(data)].decode("utf-8", "replace")


def xml_damage(xml: str, rng: random.Random) -> tuple[str, str]:
    """Malformed, huge or hostile variants of an XML document."""
    kind = rng.randrange(8)
    if kind == 0:
        return xml[: rng.randrange(max(len(xml), 1))], "xml_truncated"
    if kind == 1:
        name, evil = rng.choice(sorted(EVIL_XML.items()))
        return evil, f"xml_{name}"
    if kind == 2:  # inject a DOCTYPE with entities into the real document
        pos = xml.find("<", xml.find("?>") + 1 if "?>" in xml else 0)
        dtd = rng.choice(
            (
                '<!DOCTYPE OME [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
                '<!DOCTYPE OME [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
            )
        )
        out = xml[:pos] + dtd + xml[pos:]
        ref = 'Name="&e;"' if "SYSTEM" in dtd else 'Name="&b;"'
        return re.sub(r'Name="[^"]*"', ref, out, count=1), "xml_injected_dtd"
    if kind == 3:  # huge: an enormous attribute or many repeated elements
        if rng.random() < 0.5:
            huge = 'Name="' + "N" * 2_000_000 + '"'
            return re.sub(r'Name="[^"]*"', huge, xml, count=1), "xml_huge_attr"
        planes = "".join(f'<Plane TheZ="{i}" TheC="0" TheT="0"/>' for i in range(10_000))
        return xml.replace("</Pixels>", planes + "</Pixels>", 1), "xml_huge_planes"
    if kind == 4:  # unbalanced / wrong nesting
        return xml.replace("</Image>", "", 1).replace(
            "<Pixels", "<Pixels><Pixels", 1
        ), "xml_unbalanced"
    if kind == 5:  # attribute values set to extremes
        value = rng.choice(TEXT_NUMBER_EXTREMES)
        attr = rng.choice(("SizeX", "SizeZ", "PhysicalSizeX", "ExposureTime", "TheZ", "SizeC"))
        return re.sub(rf'{attr}="[^"]*"', f'{attr}="{value}"', xml), "xml_extreme_attr"
    if kind == 6:  # control characters / invalid UTF-8 surrogates
        pos = rng.randrange(max(len(xml), 1))
        return xml[:pos] + rng.choice(("\x00", "\x01", "\ud800", "\ufffe", "]]>")) + xml[
            pos:
        ], "xml_bad_char"
    return xml.replace(
        "http://www.openmicroscopy.org/Schemas/OME/2016-06",
        rng.choice(("", "urn:x", "http://www.openmicroscopy.org/Schemas/OME/2999-01")),
    ), "xml_namespace"


def tiff_ome_damage(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Rewrite the file as a small TIFF whose ImageDescription is damaged or hostile OME-XML."""
    import numpy as np
    import tifffile

    xml = _ome_text(data) or MINIMAL_OME
    new, label = xml_damage(xml, rng)
    buf = io.BytesIO()
    tifffile.imwrite(
        buf,
        np.zeros((2, 6, 8), "uint16"),
        description=new.encode("utf-8", "surrogatepass"),
        metadata=None,
        software=rng.choice((False, "txrm2tiff 2.2.1")),
        photometric="minisblack",
    )
    return buf.getvalue(), label


TIFF_MUTATORS: tuple[Mutator, ...] = (
    tiff_truncate,
    tiff_ifd_loop,
    tiff_entry_extreme,
    tiff_entry_extreme,
    tiff_ome_damage,
)


# ---------------------------------------------------------------- OLE2 / TXRM


def ole_layout(data: bytes) -> tuple[int, list[int], list[int]] | None:
    """``(sector size, FAT entry offsets, directory entry offsets)`` of a compound file."""
    if len(data) < 512 or data[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return None
    shift = struct.unpack_from("<H", data, 30)[0]
    if shift not in (9, 12):
        return None
    ss = 1 << shift
    n_fat = struct.unpack_from("<I", data, 44)[0]
    first_dir = struct.unpack_from("<I", data, 48)[0]
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 76)[: min(n_fat, 109)] if s < 2**31]

    def sector_offset(s: int) -> int:
        return (s + 1) * ss

    fat: list[int] = []
    fat_entries: list[int] = []
    for s in fat_sectors:
        base = sector_offset(s)
        if base + ss > len(data):
            break
        fat_entries.extend(base + 4 * k for k in range(ss // 4))
        fat.extend(struct.unpack_from(f"<{ss // 4}I", data, base))
    dir_entries: list[int] = []
    s, seen = first_dir, set()
    while s < len(fat) and s not in seen and len(seen) < 1024:
        seen.add(s)
        base = sector_offset(s)
        if base + ss > len(data):
            break
        dir_entries.extend(base + 128 * k for k in range(ss // 128))
        s = fat[s]
    return ss, fat_entries, dir_entries


def ole_boundaries(data: bytes) -> list[int]:
    """Header, sector and directory-entry boundaries."""
    layout = ole_layout(data)
    out = [0, 8, 76, 512, len(data)]
    if layout is not None:
        ss, _, dirs = layout
        out.extend(range(ss, len(data), ss))
        out.extend(dirs)
    return out


def ole_truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Cut at a sector or directory-entry boundary (a half-copied compound file)."""
    return _cut_at(data, ole_boundaries(data), rng, "truncate@boundary")


def ole_header_extreme(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Sector shift, FAT/dir/mini-FAT/DIFAT counts and starts set to extremes."""
    if len(data) < 512:
        return bit_flips(data, rng)
    buf = bytearray(data)
    off, fmt = rng.choice(
        (
            (30, "<H"),
            (32, "<H"),
            (40, "<I"),
            (44, "<I"),
            (48, "<I"),
            (56, "<I"),
            (60, "<I"),
            (64, "<I"),
            (68, "<I"),
            (72, "<I"),
            (76 + 4 * rng.randrange(109), "<I"),
        )
    )
    values = (0, 1, 7, 16, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFA, 2**31 - 1, len(data) // 512 + 5)
    value = rng.choice(values) & (0xFFFF if fmt == "<H" else 0xFFFFFFFF)
    struct.pack_into(fmt, buf, off, value)
    return bytes(buf), "ole_header_extreme"


def ole_chain(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """FAT entries pointing outside the file, to themselves or back up the chain (a cycle)."""
    layout = ole_layout(data)
    if layout is None or not layout[1]:
        return ole_header_extreme(data, rng)
    ss, fat_entries, _ = layout
    buf = bytearray(data)
    n_sectors = len(data) // ss
    for _ in range(rng.randint(1, 4)):
        pos = rng.choice(fat_entries)
        index = fat_entries.index(pos)
        value = rng.choice(
            (index, max(index - 1, 0), 0, n_sectors + 10, 2**31 - 1, 0xFFFFFFFB, 0xFFFFFFFD)
        )
        struct.pack_into("<I", buf, pos, value)
    return bytes(buf), "ole_chain"


def ole_dir_cycle(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Directory entries whose left/right/child links point to themselves, a parent or far away;
    streams with huge sizes or out-of-file start sectors."""
    layout = ole_layout(data)
    if layout is None or not layout[2]:
        return ole_header_extreme(data, rng)
    _, _, dirs = layout
    buf = bytearray(data)
    n = len(dirs)
    for _ in range(rng.randint(1, 3)):
        k = rng.randrange(n)
        pos = dirs[k]
        what = rng.randrange(4)
        if what < 2:  # sibling or child link
            field = pos + rng.choice((68, 72, 76))
            struct.pack_into("<I", buf, field, rng.choice((k, 0, max(k - 1, 0), n + 100, 2**31)))
        elif what == 2:  # stream start sector
            struct.pack_into("<I", buf, pos + 116, rng.choice((2**31 - 1, len(data), 0xFFFFFFFE)))
        else:  # stream size
            struct.pack_into("<Q", buf, pos + 120, rng.choice((2**31 - 1, 2**40, len(data) + 1, 0)))
            if rng.random() < 0.3:
                buf[pos + 66] = rng.choice((0, 1, 2, 5, 7, 255))  # entry type
    return bytes(buf), "ole_dir_cycle"


OLE_MUTATORS: tuple[Mutator, ...] = (
    ole_truncate,
    ole_header_extreme,
    ole_chain,
    ole_chain,
    ole_dir_cycle,
    ole_dir_cycle,
)


# ---------------------------------------------------------------- text (logs, configs, CSV, XML)

_NUMBER = re.compile(rb"-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")


def text_numbers(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Replace some numbers with extremes (nan, inf, 1e309, 400 digits, '', '-', ...)."""
    spans = [m.span() for m in _NUMBER.finditer(data[: 1 << 20])]
    if not spans:
        return bit_flips(data, rng)
    out = bytearray(data)
    for start, end in sorted(rng.sample(spans, min(len(spans), rng.randint(1, 8))), reverse=True):
        out[start:end] = rng.choice(TEXT_NUMBER_EXTREMES).encode("utf-8")
    return bytes(out), "text_number_extreme"


def text_nul(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Insert NUL bytes (or a NUL-filled block, as after a crash of the writer)."""
    pos = rng.randrange(len(data) + 1)
    block = b"\x00" * rng.choice((1, 4, 512, 4096))
    return data[:pos] + block + data[pos:], "text_nul"


def text_bad_utf8(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Insert invalid UTF-8 (lone continuation bytes, overlong forms, surrogates, a BOM)."""
    pos = rng.randrange(len(data) + 1)
    bad = rng.choice((b"\xff", b"\xc3", b"\x80\x80", b"\xc0\xaf", b"\xed\xa0\x80", b"\xef\xbb\xbf"))
    if rng.random() < 0.2:
        return data.decode("utf-8", "replace").encode("utf-16"), "text_utf16"
    return data[:pos] + bad + data[pos:], "text_bad_utf8"


def text_long_line(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Insert one line of 10 MiB (no newline inside), or a file that is one huge line."""
    pos = data.find(b"\n", rng.randrange(len(data) + 1))
    pos = len(data) if pos < 0 else pos
    filler = rng.choice((b"x", b"1 ", b"= ", b"<a>"))
    line = (filler * (MB10 // len(filler) + 1))[:MB10]
    return data[:pos] + b"\n" + line + data[pos:], "text_10mb_line"


def text_line_endings(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Convert to CRLF, to CR only, or mix the endings."""
    lf = data.replace(b"\r\n", b"\n")
    kind = rng.randrange(3)
    if kind == 0:
        return lf.replace(b"\n", b"\r\n"), "text_crlf"
    if kind == 1:
        return lf.replace(b"\n", b"\r"), "text_cr"
    lines = lf.split(b"\n")
    return b"".join(ln + rng.choice((b"\n", b"\r\n", b"\r")) for ln in lines), "text_mixed_eol"


def text_lines(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Delete, duplicate or swap lines; or cut at a line boundary."""
    lines = data.split(b"\n")
    if len(lines) < 2:
        return text_nul(data, rng)
    kind = rng.randrange(4)
    i = rng.randrange(len(lines))
    if kind == 0:
        del lines[i : i + rng.randint(1, 10)]
    elif kind == 1:
        lines[i:i] = [lines[i]] * rng.choice((2, 50, 5000))
    elif kind == 2:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    else:
        return b"\n".join(lines[:i]) + rng.choice((b"", b"\n")), "truncate@line"
    return b"\n".join(lines), "text_lines"


def text_xml(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """For XML files: malformed, huge or hostile (XXE, billion laughs) variants."""
    new, label = xml_damage(data.decode("utf-8", "replace").replace("OME", "root"), rng)
    if "MatrixTransformation" not in new and rng.random() < 0.7:
        # keep the sniffer interested so that the reader, not detection, meets the payload
        new = new.replace("</root>", '<MatrixTransformation m00="1"/></root>')
        if "</root>" not in new:
            new += '<!-- <MatrixTransformation m00="1"/> -->'
    return new.encode("utf-8", "surrogatepass"), label


TEXT_MUTATORS: tuple[Mutator, ...] = (
    text_numbers,
    text_numbers,
    text_nul,
    text_bad_utf8,
    text_line_endings,
    text_lines,
    text_lines,
    truncate_random,
)

FORMAT_MUTATORS: dict[str, tuple[Mutator, ...]] = {
    "dv": HEADER_MUTATORS,
    "mrc": HEADER_MUTATORS,
    "txrm": OLE_MUTATORS,
    "tiff": TIFF_MUTATORS,
}

LONG_LINE_RATE = 0.01
"""Share of text cases that get a 10 MiB line (they dominate the run time)."""

PUMP_RATE = 0.05
"""Share of text cases that get a 20-70 kB line pumped from one of the reader's own patterns."""


def mutate(reader: str, name: str, data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One mutated case for ``reader`` from a seed; returns the bytes and the mutation label.

    Binary formats: half format-aware mutators, half generic byte damage, sometimes stacked.
    Text formats: text mutators (numbers, NUL, bad UTF-8, line endings, line edits), XML damage for
    XML files, rarely a 10 MiB line.
    """
    if reader in FORMAT_MUTATORS:
        pool = FORMAT_MUTATORS[reader] if rng.random() < 0.6 else GENERIC
        out, label = rng.choice(pool)(data, rng)
        if rng.random() < 0.15:  # stack a second, generic mutation
            out, extra = rng.choice(GENERIC)(out, rng)
            label = f"{label}+{extra}"
        return out, label
    if rng.random() < LONG_LINE_RATE:
        return text_long_line(data, rng)
    if rng.random() < PUMP_RATE:
        from fuzzing.textpump import pump  # issue 23: the tag-pattern / reader-text class

        pumped = pump(reader, data, rng)
        if pumped is not None:
            return pumped
    if name.lower().endswith(".xml") and rng.random() < 0.5:
        return text_xml(data, rng)
    pool = TEXT_MUTATORS if rng.random() < 0.8 else GENERIC
    out, label = rng.choice(pool)(data, rng)
    if rng.random() < 0.25:
        out, extra = rng.choice(TEXT_MUTATORS)(out, rng)
        label = f"{label}+{extra}"
    return out, label
