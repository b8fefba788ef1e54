"""The pure-Python TIFF reading (`readers.tiff.pure`) gives the model the tifffile reading gives.

`reader._read(..., pure=False)` is the reading before: tifffile opens every file. The default
reading tries `pure.read_pure` first and hands the file to tifffile when it cannot read it exactly
as tifffile does. Every file here is read both ways and must give the same model dump, findings
included, or the same error: the real TIFFs (which the pure reading must take), the TIFFs the
writers make, every one-byte change and every cut of small written files, and hypothesis' changes.
"""

from __future__ import annotations

import ast
import os
import re
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tifffile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clxm_meta.errors import ClxmMetaError
from clxm_meta.readers.base import FindingCollector, file_size
from clxm_meta.readers.tiff import ifd, pure, reader
from conftest import ROOT, real_files
from readers.tiff.test_tiff_fast_path import _written
from readers.tiff.test_tiff_inspect_pinned import WRITTEN
from writers.tiff import compose_ome, write_imagej, write_ome_tiff, write_plain


def _dump(path: Path, *, pure_first: bool, strict: bool = False, blank: bool = False) -> object:
    """The model as JSON text, or the error.

    ``blank``: ome-types numbers the ``ID`` it makes up for an element without one (a damaged
    ``ID`` attribute) from a counter of the process, so two readings differ there: such numbers
    are blanked (damaged files only; real and written files are compared as they are).
    """
    try:
        model = reader._read(path, file_size(path), strict=strict, pure=pure_first)
    except ClxmMetaError as exc:
        return f"{type(exc).__name__}: {exc}"
    text = model.model_dump_json()
    return re.sub(r"(\w+):\d+(['\"])", r"\1:N\2", text) if blank else text


def _is_pure(path: Path) -> bool:
    return pure.read_pure(path, file_size(path), FindingCollector(path, "tiff")) is not None


def _assert_same(path: Path) -> None:
    assert _dump(path, pure_first=True) == _dump(path, pure_first=False), path.name


# --- the tables against tifffile's ----------------------------------------------------------


def test_tag_names_are_tifffiles() -> None:
    for code, name in ifd.TAG_NAMES.items():
        assert tifffile.TIFF.TAGS[code] == name


def test_tuple_tags_are_tifffiles() -> None:
    assert set(ifd._TUPLE_TAGS) == set(tifffile.TIFF.TAG_TUPLE) & set(ifd.TAG_NAMES)


def test_enum_values_are_tifffiles() -> None:
    for code, values in ifd._ENUM_VALUES.items():
        enum = tifffile.TIFF.TAG_ENUM[code]
        for value in values:
            enum(value)  # no ValueError: tifffile logs nothing
    assert set(ifd._ENUM_VALUES) | {259, 317} >= set(tifffile.TIFF.TAG_ENUM) & set(ifd.TAG_NAMES)


@pytest.mark.parametrize(
    ("table", "enum"),
    [
        (pure._COMPRESSION, tifffile.COMPRESSION),
        (pure._PHOTOMETRIC, tifffile.PHOTOMETRIC),
        (pure._PLANAR, tifffile.PLANARCONFIG),
        (pure._SAMPLE_FORMAT, tifffile.SAMPLEFORMAT),
    ],
)
def test_enum_names_are_tifffiles(table: dict[int, str], enum: type) -> None:
    for code, name in table.items():
        assert enum(code).name == name


def test_readers_without_tag_reader() -> None:
    """tifffile reads these tags with its own functions; only IJMetadata (bytes) is read here."""
    assert set(tifffile.TIFF.TAG_READERS) & set(ifd.TAG_NAMES) == {50839}


# --- real and written files ------------------------------------------------------------------


@pytest.mark.parametrize("path", real_files("tiff"), ids=lambda p: p.name)
def test_real_tiffs_read_pure_and_the_same(path: Path) -> None:
    assert _is_pure(path)
    _assert_same(path)


def test_written_files_read_the_same(tmp_path: Path) -> None:
    paths = _written(tmp_path)
    paths += [make(tmp_path / f"pin_{name}") for name, make in WRITTEN.items()]
    taken = 0
    for path in paths:
        _assert_same(path)
        taken += _is_pure(path)
    assert taken >= len(paths) // 2  # the pure reading is not a dead branch


def _mixed(path: Path) -> Path:
    """Ten pages, the sixth of another shape: tifffile makes two series (read by tifffile)."""
    import numpy as np

    with tifffile.TiffWriter(path) as tw:
        for i in range(10):
            shape = (4, 4) if i == 5 else (8, 8)
            tw.write(np.zeros(shape, "uint8"), metadata=None, photometric="minisblack")
    return path


def test_long_chains_read_the_same(tmp_path: Path) -> None:
    """Pages compared with the page before them (`ifd.same_layout`) and pages read in full."""
    paths = [
        _mixed(tmp_path / "mixed.tif"),
        write_plain(tmp_path / "uniform.tif", shape=(12, 8, 8)),
        write_imagej(tmp_path / "ij20.tif", shape=(20, 6, 8), axes="ZYX"),
        write_ome_tiff(
            tmp_path / "ome20.tif", compose_ome(size=(8, 6, 20, 1, 1)), shape=(20, 6, 8)
        ),
    ]
    for path in paths:
        _assert_same(path)
    assert [_is_pure(p) for p in paths] == [False, True, True, True]


def test_strict_truncation_raises_the_same(tmp_path: Path) -> None:
    path = write_plain(tmp_path / "cut.tif", shape=(3, 64, 64), dtype="uint16")
    data = path.read_bytes()
    cut = tmp_path / "cut2.tif"
    # keep the IFDs (tifffile writes them first) and drop the last page's pixels
    cut.write_bytes(data[: len(data) - 100])
    assert _dump(cut, pure_first=True, strict=True) == _dump(cut, pure_first=False, strict=True)


# --- damaged files: every byte changed, every cut ---------------------------------------------


def _small_files(tmp_path: Path) -> dict[str, bytes]:
    makers: dict[str, Callable[[Path], Path]] = {
        "plain": lambda p: write_plain(
            p, shape=(2, 4, 4), resolution=(1e4, 1e4), resolutionunit=3, description="hello"
        ),
        "imagej": lambda p: write_imagej(p, shape=(2, 2, 4, 4), axes="ZCYX"),
        "ome": lambda p: write_ome_tiff(p, compose_ome(size=(4, 4, 2, 1, 1)), shape=(2, 4, 4)),
        "big_endian_bigtiff": lambda p: write_plain(p, shape=(2, 4, 4), bigtiff=True),
    }
    return {name: make(tmp_path / f"{name}.tif").read_bytes() for name, make in makers.items()}


def _header_span(data: bytes) -> int:
    """Bytes up to the end of the last IFD's entries (where a change can matter)."""
    return min(len(data), 600)


@pytest.mark.parametrize("name", ["plain", "imagej", "ome", "big_endian_bigtiff"])
def test_every_byte_flip_reads_the_same(tmp_path: Path, name: str) -> None:
    data = _small_files(tmp_path)[name]
    path = tmp_path / "flip.tif"
    for i in range(0, _header_span(data)):
        for mask in (0x01, 0x80, 0xFF):
            changed = bytearray(data)
            changed[i] ^= mask
            path.write_bytes(changed)
            assert _dump(path, pure_first=True, blank=True) == _dump(
                path, pure_first=False, blank=True
            ), (i, mask)


@pytest.mark.parametrize("name", ["plain", "imagej", "ome", "big_endian_bigtiff"])
def test_every_cut_reads_the_same(tmp_path: Path, name: str) -> None:
    data = _small_files(tmp_path)[name]
    path = tmp_path / "cut.tif"
    for n in sorted({*range(0, min(len(data), 400), 3), len(data) - 1, len(data) // 2}):
        path.write_bytes(data[:n])
        assert _dump(path, pure_first=True, blank=True) == _dump(
            path, pure_first=False, blank=True
        ), n


# --- hostile input ---------------------------------------------------------------------------


def _classic(entries: list[tuple[int, int, int, int]], next_ifd: int, tail: bytes = b"") -> bytes:
    body = struct.pack("<H", len(entries))
    for code, dtype, count, value in entries:
        body += struct.pack("<HHII", code, dtype, count, value)
    return b"II*\x00" + struct.pack("<I", 8) + body + struct.pack("<I", next_ifd) + tail


_BASIC = [(256, 3, 1, 4), (257, 3, 1, 4), (262, 3, 1, 1), (273, 4, 1, 8), (279, 4, 1, 16)]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cycle", _classic(_BASIC, 8, b"\x00" * 64)),
        ("huge_count", _classic([*_BASIC[:4], (279, 4, 0x3FFFFFFF, 8)], 0, b"\x00" * 64)),
        ("offset_past_eof", _classic(_BASIC, 10**9)),
        ("value_past_eof", _classic([*_BASIC, (270, 2, 100, 10**6)], 0)),
    ],
)
def test_hostile_files_read_the_same_and_fast(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / f"{name}.tif"
    path.write_bytes(data)
    start = time.perf_counter()
    assert not _is_pure(path)
    assert time.perf_counter() - start < 1.0
    _assert_same(path)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    which=st.sampled_from(["plain", "imagej", "ome", "big_endian_bigtiff"]),
    changes=st.lists(st.tuples(st.integers(0, 599), st.integers(0, 255)), min_size=1, max_size=6),
)
def test_fuzzed_files_read_the_same(
    tmp_path: Path, which: str, changes: list[tuple[int, int]]
) -> None:
    data = bytearray(_SMALL[which])
    for at, value in changes:
        if at < len(data):
            data[at] = value
    path = tmp_path / "fuzz.tif"
    path.write_bytes(data)
    start = time.perf_counter()
    pure.read_pure(path, len(data), FindingCollector(path, "tiff"))
    assert time.perf_counter() - start < 1.0
    assert _dump(path, pure_first=True, blank=True) == _dump(path, pure_first=False, blank=True)


_SMALL: dict[str, bytes] = {}


@pytest.fixture(autouse=True, scope="module")
def _small(tmp_path_factory: pytest.TempPathFactory) -> None:
    _SMALL.update(_small_files(tmp_path_factory.mktemp("small")))


# --- modules loaded --------------------------------------------------------------------------


@pytest.mark.parametrize("output", ["text", "json"])
@pytest.mark.parametrize(
    "path", [*real_files("tiff"), "imagej", "ome"], ids=lambda p: getattr(p, "name", p)
)
def test_inspect_of_a_tiff_loads_no_numpy_nor_tifffile(
    tmp_path: Path, path: Path | str, output: str
) -> None:
    if isinstance(path, str):
        path = tmp_path / f"{path}.tif"
        path.write_bytes(_SMALL[path.stem])
    probe = (
        "import contextlib, io, sys\n"
        "from clxm_meta.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['inspect', {str(path)!r}, '--format', {output!r}])\n"
        "print(repr(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=ROOT,
    )
    modules = set(ast.literal_eval(out.stdout.strip().splitlines()[-1]))
    assert "clxm_meta.readers.tiff.pure" in modules
    assert {m.split(".")[0] for m in modules} & {
        "numpy",
        "tifffile",
        "ome_types",
        "xsdata",
    } == set()


def test_deeply_nested_shaped_description_reads_the_same(tmp_path: Path) -> None:
    """``json.loads`` gives up on it (RecursionError): tifffile reads the file, as before."""
    import numpy as np

    path = tmp_path / "deep.tif"
    nested = '{"shape": [4, 4], "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    tifffile.imwrite(path, np.zeros((4, 4), "uint8"), description=nested, metadata=None)
    assert not _is_pure(path)
    _assert_same(path)


# --- the OME walk's runs of IFDs ---------------------------------------------------------------


def _many_pages(path: Path, pages: int, *, bigtiff: bool = False, byteorder: str = "<") -> Path:
    """An OME-TIFF whose IFDs 1.. follow each other at a fixed spacing (tifffile's layout)."""
    tifffile.imwrite(
        path,
        shape=(pages, 8, 8),
        dtype="uint8",
        ome=True,
        metadata={"axes": "ZYX"},
        bigtiff=bigtiff,
        byteorder=byteorder,
    )
    return path


def _walked(path: Path) -> tuple[list[int], int, int]:
    """The pure OME walk's IFD offsets, its reads and the bytes they asked for."""
    size = file_size(path)
    fd = os.open(path, os.O_RDONLY)
    reads = [0, 0]
    real = os.pread

    def counting(fd_: int, n: int, offset: int) -> bytes:
        reads[0] += 1
        reads[1] += n
        return real(fd_, n, offset)

    try:
        header = ifd.read_header(fd, size)
        entries, after = ifd.read_ifd(fd, header.first, header, size)
        first = pure._Page(header.first, entries)
        os.pread = counting  # type: ignore[assignment]
        try:
            offsets, _ = pure._walk(fd, header, size, first, after, every=False)
        finally:
            os.pread = real
    finally:
        os.close(fd)
    return offsets, reads[0], reads[1]


@pytest.mark.parametrize(
    ("bigtiff", "byteorder"), [(False, "<"), (False, ">"), (True, "<"), (True, ">")]
)
def test_ome_walk_checks_a_run_of_ifds_in_few_reads(
    tmp_path: Path, bigtiff: bool, byteorder: str
) -> None:
    """3000 IFDs back to back cost a few reads more than 16, not one per 4 KiB (issue 21: a 2 GiB,
    256-page OME-TIFF read 1.5-2.4x slower than a 16-page one; the walk read each block of IFDs
    and each IFD's pointer in turn)."""
    path = _many_pages(tmp_path / "many.ome.tif", 3000, bigtiff=bigtiff, byteorder=byteorder)
    offsets, reads, asked = _walked(path)
    with tifffile.TiffFile(path) as tif:
        assert offsets == [p.offset for p in tif.pages]
    few, few_reads, _ = _walked(
        _many_pages(tmp_path / "few.ome.tif", 16, bigtiff=bigtiff, byteorder=byteorder)
    )
    assert len(few) == 16
    # the blocks of the run (4 KiB, then `RUN_BLOCK`): reads in proportion to its bytes
    run_bytes = offsets[-1] - offsets[1]
    assert reads <= few_reads + 3 + run_bytes // pure.RUN_BLOCK
    assert asked <= 2 * path.stat().st_size
    _assert_same(path)


def test_ome_walk_runs_and_their_breaks_read_the_same(tmp_path: Path) -> None:
    """A pointer or an entry count changed anywhere in a run: the walk gives tifffile's chain or
    hands the file to tifffile (a loop, a pointer past the end, an IFD out of step)."""
    path = _many_pages(tmp_path / "run.ome.tif", 120)
    data = path.read_bytes()
    with tifffile.TiffFile(path) as tif:
        offsets = [p.offset for p in tif.pages]
    stride = offsets[2] - offsets[1]
    assert offsets[1:] == list(range(offsets[1], offsets[1] + 119 * stride, stride))
    bad = tmp_path / "bad.ome.tif"
    for k in (1, 2, 17, 23, 24, 60, 97, 118):
        at = offsets[k] + 2 + 12 * struct.unpack_from("<H", data, offsets[k])[0]
        changes: list[tuple[int, bytes]] = [
            (at, struct.pack("<I", value))
            for value in (
                0,  # the chain ends early
                offsets[k],  # points at itself
                offsets[max(1, k - 5)],  # back into the run
                len(data) + 7,  # past the end
                offsets[k] + stride + 2,  # out of step, inside the next IFD
                offsets[min(k + 2, 119)],  # skips an IFD: a shorter, still regular-looking chain
            )
        ]
        changes.append((offsets[k], struct.pack("<H", 0)))  # no entries
        changes.append((offsets[k], struct.pack("<H", 13)))  # another entry count
        for where, raw in changes:
            changed = bytearray(data)
            changed[where : where + len(raw)] = raw
            bad.write_bytes(bytes(changed))
            walked: list[int] | None
            try:
                walked = _walked(bad)[0]
            except ifd.Irregular:
                walked = None
            if raw == b"\x00" * 4:  # the end of the chain, wherever it lies in a run
                assert walked == offsets[: k + 1], k
            with tifffile.TiffFile(bad) as tif:
                if walked is not None:  # the pure walk took the chain: tifffile's, page by page
                    assert walked == [p.offset for p in tif.pages], (k, where, raw)
            assert _dump(bad, pure_first=True, blank=True) == _dump(
                bad, pure_first=False, blank=True
            ), (k, where, raw)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=4)
)
def test_fuzzed_runs_read_the_same(tmp_path: Path, changes: list[tuple[int, int]]) -> None:
    data = bytearray(_RUN[0])
    start = _RUN[1]
    for at, value in changes:
        data[start + at % (len(data) - start)] = value  # somewhere in the IFDs after the pixels
    path = tmp_path / "fuzz_run.ome.tif"
    path.write_bytes(data)
    assert _dump(path, pure_first=True, blank=True) == _dump(path, pure_first=False, blank=True)


_RUN: list[Any] = []


@pytest.fixture(autouse=True, scope="module")
def _run_file(tmp_path_factory: pytest.TempPathFactory) -> None:
    path = _many_pages(tmp_path_factory.mktemp("run") / "run.ome.tif", 40)
    with tifffile.TiffFile(path) as tif:
        second = tif.pages[1].offset
    _RUN[:] = [path.read_bytes(), second]
