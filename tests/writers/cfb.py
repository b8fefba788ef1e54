"""A minimal writer of OLE2 / MS-CFB compound files (version 3, 512-byte sectors), for tests.

olefile reads compound files but cannot create them, so the tests write their own, following the
public specification [MS-CFB]. Only what a reader needs is implemented:

* one header with up to 109 FAT sectors listed in the header DIFAT (files up to ~7 MB);
* streams smaller than the 4096-byte cutoff go to the mini stream (64-byte mini sectors, chained in
  the mini FAT, the mini stream itself held by the root entry); larger ones get regular sectors;
* each storage's children form a binary search tree in CFB order (shorter names first, then
  upper-case comparison), all nodes black, built balanced from the sorted list.

Usage::

    write_cfb(path, {"ImageInfo/ImageWidth": b"...", "Version": b"..."})

Storages are implied by the "/" in stream names.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["build_cfb", "write_cfb"]

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_STORAGE, _STREAM, _ROOT = 1, 2, 5


@dataclass
class _Node:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Node] = field(default_factory=dict)
    sid: int = -1
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    start: int = ENDOFCHAIN
    size: int = 0


def _cfb_key(name: str) -> tuple[int, str]:
    return (len(name), name.upper())


def _tree(root: _Node, streams: Mapping[str, bytes]) -> None:
    for path, data in streams.items():
        parts = path.split("/")
        node = root
        for part in parts[:-1]:
            nxt = node.children.get(part)
            if nxt is None:
                nxt = node.children[part] = _Node(part, _STORAGE, start=0)
            if nxt.kind != _STORAGE:
                raise ValueError(f"{part!r} is both a stream and a storage")
            node = nxt
        if parts[-1] in node.children:
            raise ValueError(f"duplicate stream {path!r}")
        node.children[parts[-1]] = _Node(parts[-1], _STREAM, bytes(data))


def _number(node: _Node, order: list[_Node]) -> None:
    node.sid = len(order)
    order.append(node)
    for kid in node.children.values():
        _number(kid, order)


def _link(node: _Node) -> None:
    kids = sorted(node.children.values(), key=lambda n: _cfb_key(n.name))

    def balanced(lo: int, hi: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        kids[mid].left = balanced(lo, mid)
        kids[mid].right = balanced(mid + 1, hi)
        return kids[mid].sid

    node.child = balanced(0, len(kids))
    for kid in kids:
        _link(kid)


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else ENDOFCHAIN


def _sectors(n_bytes: int, size: int) -> int:
    return (n_bytes + size - 1) // size


def build_cfb(streams: Mapping[str, bytes]) -> bytes:
    """Return the bytes of a compound file holding ``streams`` ("storage/.../name" → content)."""
    root = _Node("Root Entry", _ROOT)
    _tree(root, streams)
    order: list[_Node] = []
    _number(root, order)
    _link(root)
    for node in order:
        if len(node.name) > 31:
            raise ValueError(f"name longer than 31 characters: {node.name!r}")

    # mini stream: small streams, 64-byte mini sectors
    mini_fat: list[int] = []
    mini_data = bytearray()
    big: list[_Node] = []
    for node in order:
        if node.kind != _STREAM:
            continue
        node.size = len(node.data)
        if node.size == 0:
            node.start = ENDOFCHAIN
        elif node.size < MINI_CUTOFF:
            n = _sectors(node.size, MINI_SECTOR)
            node.start = len(mini_fat)
            mini_fat.extend([0] * n)
            _chain(mini_fat, node.start, n)
            mini_data += node.data + b"\x00" * (n * MINI_SECTOR - node.size)
        else:
            big.append(node)

    n_dir = _sectors(len(order) * 128, SECTOR)
    n_minifat = _sectors(len(mini_fat) * 4, SECTOR)
    n_ministream = _sectors(len(mini_data), SECTOR)
    n_big = sum(_sectors(len(n.data), SECTOR) for n in big)
    n_data = n_dir + n_minifat + n_ministream + n_big
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + n_data:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("file too large for this minimal writer (needs a DIFAT chain)")

    fat = [FREESECT] * (n_fat * (SECTOR // 4))
    for i in range(n_fat):
        fat[i] = FATSECT
    pos = n_fat
    dir_start = pos
    _chain(fat, pos, n_dir)
    pos += n_dir
    minifat_start = pos if n_minifat else ENDOFCHAIN
    _chain(fat, pos, n_minifat)
    pos += n_minifat
    root.start = pos if n_ministream else ENDOFCHAIN
    root.size = len(mini_data)
    _chain(fat, pos, n_ministream)
    pos += n_ministream
    for node in big:
        n = _sectors(len(node.data), SECTOR)
        node.start = pos
        _chain(fat, pos, n)
        pos += n

    header = bytearray(SECTOR)
    struct.pack_into("<8s16sHHHHH6sIIIIIIIII", header, 0,
        MAGIC, b"\x00" * 16, 0x003E, 0x0003, 0xFFFE, 9, 6, b"\x00" * 6,
        0, n_fat, dir_start, 0, MINI_CUTOFF, minifat_start, n_minifat, ENDOFCHAIN, 0,
    )  # fmt: skip
    difat = list(range(n_fat)) + [FREESECT] * (109 - n_fat)
    struct.pack_into("<109I", header, 76, *difat)

    directory = bytearray(n_dir * SECTOR)
    for node in order:
        encoded = (node.name + "\x00").encode("utf-16-le")
        entry = struct.pack(
            "<64sHBBIII16sIQQIQ",
            encoded, len(encoded), node.kind, 1,  # colour 1 = black
            node.left, node.right, node.child,
            b"\x00" * 16, 0, 0, 0, node.start, node.size,
        )  # fmt: skip
        directory[node.sid * 128 : node.sid * 128 + 128] = entry
    # unused directory entries: empty, no siblings
    for sid in range(len(order), n_dir * SECTOR // 128):
        directory[sid * 128 + 68 : sid * 128 + 80] = struct.pack(
            "<III", NOSTREAM, NOSTREAM, NOSTREAM
        )

    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += directory
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    out += mini_fat_bytes + b"\xff" * (n_minifat * SECTOR - len(mini_fat_bytes))
    out += mini_data + b"\x00" * (n_ministream * SECTOR - len(mini_data))
    for node in big:
        out += node.data + b"\x00" * (_sectors(len(node.data), SECTOR) * SECTOR - len(node.data))
    return bytes(out)


def write_cfb(path: str | os.PathLike[str], streams: Mapping[str, bytes]) -> None:
    """Write a compound file holding ``streams`` to ``path`` (overwrites)."""
    with open(path, "wb") as fh:
        fh.write(build_cfb(streams))
