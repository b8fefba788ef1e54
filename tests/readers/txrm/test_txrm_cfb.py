"""The fast compound-file index (`clxm_meta.readers.txrm.cfb`, no numpy) against olefile.

The index reads the directory as strided columns of little-endian words with `array`; it must
list the same streams, sizes and storages as olefile and read the same bytes, on the real samples
(skipped without ../shared) and on written files, including streams in the mini stream and a file
large enough for a second FAT sector.
"""

from __future__ import annotations

import math
import random
import struct
from pathlib import Path

import numpy as np
import olefile
import pytest

from clxm_meta.readers.txrm.cfb import CompoundFile
from clxm_meta.readers.txrm.container import MAX_DEPTH, OleStreams, open_ole
from clxm_meta.readers.txrm.decode import _f32
from conftest import real_files
from writers.cfb import write_cfb
from writers.txrm import write_txrm


def _same_as_olefile(path: Path) -> None:
    size = path.stat().st_size
    with olefile.OleFileIO(str(path)) as ole:
        peer = OleStreams(ole, str(path), size)  # the index olefile's directory gives
        with path.open("rb") as fh:
            fast = CompoundFile(fh, size, max_depth=MAX_DEPTH)
            assert fast.sizes == peer.sizes
            assert list(fast.sizes) == list(peer.sizes)  # olefile's order
            assert fast.storages == peer.storages
            for name, n in fast.sizes.items():
                if n <= 1 << 20:
                    assert fast.read(name) == ole.openstream(name).read(), name


@pytest.mark.parametrize("path", real_files("txrm"), ids=lambda p: p.name)
def test_index_equals_olefile_on_real_samples(path: Path) -> None:
    _same_as_olefile(path)


@pytest.mark.parametrize("version", [3, 5])
def test_index_equals_olefile_on_written_txrm(tmp_path: Path, version: int) -> None:
    path = write_txrm(tmp_path / "ts.txrm", version=version, width=40, height=40)
    _same_as_olefile(path)
    with open_ole(path, path.stat().st_size) as streams:
        assert streams.parsing_issues == []  # the fast index: olefile never opened


def test_index_equals_olefile_with_big_and_mini_streams(tmp_path: Path) -> None:
    rng = random.Random(7)
    streams = {
        f"S{i // 40}/s{i}": rng.randbytes(rng.choice([0, 3, 64, 65, 4095, 4096, 9000]))
        for i in range(200)
    }
    streams["big"] = rng.randbytes(300_000)  # > 128 sectors: a second FAT sector
    path = tmp_path / "many.cfb"
    write_cfb(path, streams)
    _same_as_olefile(path)


def test_f32_equals_numpy_on_float32_bit_patterns() -> None:
    rng = random.Random(11)
    bits = [rng.getrandbits(32) for _ in range(20_000)]
    bits += [0x7F800000, 0xFF800000, 0x7FC00000, 0x7F800001, 0x00000001, 0x80000000, 0]
    for b in bits:
        value = struct.unpack("<f", struct.pack("<I", b))[0]
        expected = float(str(np.float32(value)))
        got = _f32(value)
        if math.isnan(expected):
            assert math.isnan(got)
        else:
            assert got == expected and math.copysign(1, got) == math.copysign(1, expected), b


def test_mini_stream_sectors_read_once_and_past_the_kept_count(tmp_path: Path) -> None:
    """Issue 21 (fifth round): mini-stream sectors are kept per file (at most
    `_MINI_BLOCKS_KEPT`); a mini stream of many more sectors, read in random order and twice,
    gives olefile's bytes, and a sector is read once while it is kept."""
    from clxm_meta.readers.txrm import cfb

    rng = random.Random(11)
    streams = {
        f"M{i // 50}/m{i}": rng.randbytes(rng.choice([1, 64, 700, 4000])) for i in range(600)
    }
    path = tmp_path / "mini.cfb"
    write_cfb(path, streams)
    _same_as_olefile(path)
    size = path.stat().st_size
    with olefile.OleFileIO(str(path)) as ole, path.open("rb") as fh:
        fast = CompoundFile(fh, size, max_depth=MAX_DEPTH)
        names = list(fast.sizes) * 2
        rng.shuffle(names)
        for name in names:
            assert fast.read(name) == ole.openstream(name).read(), name
        assert len(fast._mini_blocks) <= cfb._MINI_BLOCKS_KEPT
        assert fast._mini_sectors is not None
        assert len(fast._mini_sectors) > cfb._MINI_BLOCKS_KEPT  # the clearing was exercised
    with path.open("rb") as fh:
        fast = CompoundFile(fh, size, max_depth=MAX_DEPTH)
        reads = 0
        sector = fast._sector

        def counted(index: int) -> bytes:
            nonlocal reads
            reads += 1
            return sector(index)

        fast._sector = counted  # type: ignore[method-assign]
        first = min(fast.sizes, key=lambda n: fast.starts[n] if fast.sizes[n] < 4096 else 1 << 40)
        fast.read(first)  # reads the mini-FAT and the chain, then the sectors
        before = reads
        fast.read(first)
        assert reads == before  # every sector of it already kept
