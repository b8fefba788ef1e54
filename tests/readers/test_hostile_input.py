"""Hostile reader input found by an independent fuzz run (issue 23, "Readers: hangs, memory,
escapes"): every case is a small file written here, and each fails on the code before the fix.

Anything that hung or ran out of memory runs in a worker subprocess with a timeout (the fuzz
harness's `Worker`) or under an address-space limit, so that a regression is a failed test, not a
stuck suite.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import clxm_meta
from fuzzing.harness import Worker
from writers.dv import DvSpec, dv_bytes, write_dv
from writers.imod import align_log_text, mdoc_text, tlt_text
from writers.mrc import patch, write_mrc
from writers.tiff import compose_ome, write_ome_tiff, write_plain

TIMEOUT = 20.0
"""Seconds per case in the worker: each takes well under one once fixed (the old code took from
5 s to no answer in 60 s)."""

SRC = Path(clxm_meta.__file__).resolve().parents[1]
"""The source tree this test imported (the subprocess must run the same code)."""


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    w = Worker()
    yield w
    w.stop()


def _read(worker: Worker, path: Path, reader: str) -> list[str]:
    """Read `path` in the worker; the finding codes (a timeout or an escape fails the test)."""
    answer = worker.ask(
        {"id": 0, "reader": reader, "path": str(path), "detect": True, "strict": False}, TIMEOUT
    )
    assert answer["status"] in ("ok", "lib_error"), answer
    codes = answer["codes"]
    assert isinstance(codes, list)
    return [str(c) for c in codes]


# --- TIFF: patterns, IFD chains, nesting ----------------------------------------------------------


def test_ome_id_with_a_crafted_lsid_does_not_hang(tmp_path: Path, worker: Worker) -> None:
    """``urn:lsid:a.a.a...`` made the OME LSID pattern (subset check and ome-types) backtrack."""
    xml = compose_ome().replace('ID="Image:0"', 'ID="urn:lsid:' + "a." * 40 + 'a"', 1)
    assert "urn:lsid:" in xml
    path = write_ome_tiff(tmp_path / "lsid.ome.tif", xml)
    assert "tiff.ome_invalid" in _read(worker, path, "tiff")


def test_ome_id_with_a_long_lsid_authority_does_not_hang(tmp_path: Path, worker: Worker) -> None:
    """Two dots and 3,000 characters: polynomial backtracking in ome-types' LSID pattern (19 s)."""
    authority = ("a" * 1000 + ".") * 2 + "a" * 1000
    xml = compose_ome().replace('ID="Image:0"', f'ID="urn:lsid:{authority}!"', 1)
    path = write_ome_tiff(tmp_path / "lsid_long.ome.tif", xml)
    assert "tiff.ome_invalid" in _read(worker, path, "tiff")


def test_well_formed_lsids_are_still_read(tmp_path: Path) -> None:
    xml = compose_ome().replace(
        'ID="Image:0"', 'ID="urn:lsid:export.openmicroscopy.org:Image:0"', 1
    )
    model = clxm_meta.read(write_ome_tiff(tmp_path / "lsid_ok.ome.tif", xml))
    assert model.ome is not None and model.ome.images
    assert not any(f.code.startswith("tiff.ome_") for f in model.findings)


@pytest.mark.parametrize(
    "software",
    ["a" + "_1" * 20_000 + " x", "A" + "-" * 30_000 + "\x01", "a" + " " * 30_000 + "1.x!"],
    ids=["underscore-digits", "dashes", "spaces"],
)
def test_crafted_software_tag_does_not_hang(tmp_path: Path, worker: Worker, software: str) -> None:
    """The name/version split of the Software tag was an ambiguous pattern (32 s)."""
    path = write_plain(tmp_path / "software.tif", software=software)
    _read(worker, path, "tiff")


def test_software_version_split_is_unchanged_on_real_tags(tmp_path: Path) -> None:
    for software, writer, version in [
        ("ImageJ 1.53t", "ImageJ", "1.53t"),
        ("tifffile.py 2021.1.1", "tifffile.py", "2021.1.1"),
        ("foo_v1.2-rc", "foo", "1.2-rc"),
        ("Zeiss ZEN v3.4", "Zeiss ZEN v3.4", None),
    ]:
        model = clxm_meta.read(write_plain(tmp_path / "s.tif", software=software))
        assert (model.writer, model.writer_version) == (writer, version), software


def _ifd_chain(n: int) -> bytes:
    """A little-endian TIFF of `n` 1×1 uint8 IFDs, all pointing at one shared pixel byte."""
    entries = [(256, 3, 1), (257, 3, 1), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, 8),
               (277, 3, 1), (278, 3, 1), (279, 4, 1)]  # fmt: skip
    size = 2 + 12 * len(entries) + 4
    out = bytearray(b"II*\x00" + struct.pack("<I", 10) + b"\x00\x00")
    for i in range(n):
        out += struct.pack("<H", len(entries))
        for tag, kind, value in entries:
            packed = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
            out += struct.pack("<HHI", tag, kind, 1) + packed
        out += struct.pack("<I", 10 + (i + 1) * size if i < n - 1 else 0)
    return bytes(out)


def test_long_ifd_chain_is_counted_not_parsed(tmp_path: Path, worker: Worker) -> None:
    """20,000 IFDs: tifffile parsed every page to build the series (24 s for a header read)."""
    path = tmp_path / "chain.tif"
    path.write_bytes(_ifd_chain(20_000))
    assert "tiff.too_many_pages" in _read(worker, path, "tiff")
    model = clxm_meta.read(path)
    assert model.n_pages == 20_000 and model.series == []


def _looping_chain(n: int, back: int) -> bytes:
    """`_ifd_chain(n)` whose last IFD points back to IFD `back` instead of ending."""
    data = bytearray(_ifd_chain(n))
    size = 2 + 12 * 9 + 4
    struct.pack_into("<I", data, 10 + n * size - 4, 10 + back * size)
    return bytes(data)


@pytest.mark.parametrize(("n", "back"), [(150, 120), (150, 3), (20, 5), (100, 0)])
def test_looping_ifd_chain_is_refused_not_walked(
    tmp_path: Path, worker: Worker, n: int, back: int
) -> None:
    """tifffile looks for a loop only at its 100th IFD: a chain that comes back anywhere else made
    ``len(pages)`` run forever with a growing list (found by the issue-21 OME-TIFF work)."""
    path = tmp_path / "loop.tif"
    path.write_bytes(_looping_chain(n, back))
    answer = worker.ask(
        {"id": 0, "reader": "tiff", "path": str(path), "detect": True, "strict": False}, TIMEOUT
    )
    assert answer["status"] == "lib_error", answer
    with pytest.raises(clxm_meta.MalformedFileError, match="comes back to the IFD"):
        clxm_meta.read(path)


def test_short_ifd_chain_keeps_its_series(tmp_path: Path) -> None:
    path = tmp_path / "chain.tif"
    path.write_bytes(_ifd_chain(50))
    model = clxm_meta.read(path)
    assert model.n_pages == 50 and model.series and model.series[0].shape == [50, 1, 1]


@pytest.mark.parametrize("depth", [300, 500, 5000])
@pytest.mark.parametrize("where", ["annotation", "description", "root"])
def test_deeply_nested_ome_xml_is_refused(tmp_path: Path, depth: int, where: str) -> None:
    """300-500 levels ended in RecursionError / "Maximum serialization depth exceeded"."""
    nest = "<a>" * depth + "x" + "</a>" * depth
    xml = compose_ome()
    if where == "annotation":
        xml = xml.replace(
            "</OME>",
            '<StructuredAnnotations><XMLAnnotation ID="Annotation:0"><Value>'
            f"{nest}</Value></XMLAnnotation></StructuredAnnotations></OME>",
        )
    elif where == "description":
        xml = xml.replace("<Pixels", f"<Description>{nest}</Description><Pixels", 1)
    else:
        xml = xml.replace("</OME>", nest + "</OME>")
    model = clxm_meta.read(write_ome_tiff(tmp_path / "deep.ome.tif", xml))
    refused = [f for f in model.findings if f.code == "tiff.ome_refused"]
    assert refused and "levels deep" in refused[0].message
    model.model_dump_json()


# --- IMOD text: long lines, huge integers, Fortran exponents ------------------------------------


LONG_LINES = {
    "spaces": " " * 60_000 + "x",
    "tabs": "\t" * 60_000 + "x",
    "digits": "1" * 60_000 + "x",
    "pairs": "1 " * 30_000 + "x",
}


@pytest.mark.parametrize("kind", sorted(LONG_LINES))
@pytest.mark.parametrize("name", ["ts.tlt", "ts.xf", "ts.zfac", "ts.xtilt", "ts.mdoc"])
def test_one_long_line_in_an_imod_file_is_linear(
    tmp_path: Path, worker: Worker, name: str, kind: str
) -> None:
    """A 20-70 kB line took 4-60+ s (a 20,000-space .tlt line: 5.6 s), quadratic or worse."""
    path = tmp_path / name
    path.write_text(tlt_text([-3.0, 0.0, 3.0]) + LONG_LINES[kind] + "\n" + "1.0\n")
    _read(worker, path, "imod")


@pytest.mark.parametrize("kind", sorted(LONG_LINES))
def test_long_weighted_residual_in_align_log(tmp_path: Path, worker: Worker, kind: str) -> None:
    """A 32,000-digit weighted residual in align.log gave no answer in 60 s."""
    text = align_log_text(weighted_mean=0.289)
    assert "Residual error weighted mean:" in text
    line = next(s for s in text.splitlines() if "Residual error weighted mean:" in s)
    for value in ("1" * 32_000 + "x", LONG_LINES[kind]):
        path = tmp_path / "align.log"
        path.write_text(text.replace(line, f" Residual error weighted mean:   {value} nm"))
        _read(worker, path, "imod")


def test_fortran_exponents_in_align_log_are_parsed(tmp_path: Path) -> None:
    """IMOD's Fortran programs print ``1D-5``: float() refused it (a ValueError escaped)."""
    text = align_log_text(residual_mean=0.383, residual_sd=0.218)
    line = next(s for s in text.splitlines() if "Residual error mean and sd:" in s)
    path = tmp_path / "align.log"
    path.write_text(text.replace(line, " Residual error mean and sd:   1.5D-01   2D-2  pixels"))
    model = clxm_meta.read(path)
    assert model.residual is not None
    assert (model.residual.mean, model.residual.sd) == (0.15, 0.02)


def test_an_integer_too_long_for_int_in_align_log(tmp_path: Path) -> None:
    """``int()`` refuses more than 4,300 digits: the line is skipped with a finding."""
    text = align_log_text()
    line = next(s for s in text.splitlines() if "views," in s and "geometric variables" in s)
    bad = line.replace(line.split("views,")[0].strip(), "9" * 5000, 1)
    path = tmp_path / "align.log"
    path.write_text(text.replace(line, bad))
    model = clxm_meta.read(path)
    assert "imod.number_unconvertible" in {f.code for f in model.findings}
    assert model.residual is not None  # the rest of the log is still read


def test_mdoc_section_index_of_5000_digits(tmp_path: Path) -> None:
    """``[ZValue = 5000 digits]``: Python's int-string limit raised ValueError."""
    text = mdoc_text().replace("[ZValue = 1]", "[ZValue = " + "9" * 5000 + "]", 1)
    assert "9" * 5000 in text
    path = tmp_path / "ts.mdoc"
    path.write_text(text)
    model = clxm_meta.read(path)
    codes = {f.code for f in model.findings}
    assert "imod.mdoc_bad_section" in codes
    assert [s.index for s in model.sections][:3] == [0, None, 2]
    assert model.tilt_angles_deg == [0.0, 3.0, -3.0, 6.0, -6.0]


def test_mdoc_superscript_digit(tmp_path: Path) -> None:
    """``ImageSize = 512 512²``: str.isdigit() accepts "²", int() does not."""
    path = tmp_path / "ts.mdoc"
    path.write_text(mdoc_text().replace("ImageSize = 512 512", "ImageSize = 512 512²"))
    model = clxm_meta.read(path)
    assert model.image_size_px is None


# --- the intensity scan -------------------------------------------------------------------------


def _scan_in_subprocess(path: Path) -> dict[str, str]:
    """`scan_intensities` under a 1 GiB address-space limit and a timeout: (error type, message)."""
    code = textwrap.dedent(
        f"""
        import json, resource
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        import clxm_meta
        from clxm_meta.errors import ClxmMetaError
        from clxm_meta.pixels.intensity import scan_intensities
        model = clxm_meta.read({str(path)!r})
        try:
            scan_intensities(model)
            out = {{"type": "ok", "message": ""}}
        except ClxmMetaError as exc:
            out = {{"type": type(exc).__name__, "message": str(exc)}}
        print(json.dumps(out))
        """
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answer: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def test_scan_of_a_dv_declaring_2_31_sections(tmp_path: Path) -> None:
    """The per-section channel list was built before the size check: killed after 30 s."""
    path = write_dv(tmp_path / "huge.dv", DvSpec(nz=2, n_sections=2**31 - 1, write_pixels=False))
    got = _scan_in_subprocess(path)
    assert got["type"] == "MalformedFileError" and "truncated" in got["message"]


def test_scan_of_an_mrc_declaring_2_31_slices(tmp_path: Path) -> None:
    """``[0] * nz`` with nz = 2^31 - 1: MemoryError."""
    path = write_mrc(tmp_path / "huge.mrc", shape=(2, 4, 4), dtype="int16")
    patch(path, 8, struct.pack("<i", 2**31 - 1))
    got = _scan_in_subprocess(path)
    assert got["type"] == "MalformedFileError" and "truncated" in got["message"]


@pytest.mark.parametrize(
    ("mode", "words"), [(3, "complex"), (4, "complex"), (16, "RGB"), (101, "4-bit")]
)
def test_scan_refuses_modes_without_one_ordered_sample(
    tmp_path: Path, mode: int, words: str
) -> None:
    """Modes 101, 3 and 16 raised numpy's TypeError ('uint4' / 'complex_int16' / 'rgb_uint8')."""
    from clxm_meta.errors import UnsupportedFormatError
    from clxm_meta.pixels.intensity import scan_intensities

    path = write_mrc(tmp_path / f"mode{mode}.mrc", shape=(2, 4, 4), dtype="int16")
    patch(path, 12, struct.pack("<i", mode))
    with pytest.raises(UnsupportedFormatError, match=f"MRC mode {mode}: .*{words}"):
        scan_intensities(clxm_meta.read(path))


# --- a sparse DV: what a header the file does not back with data may print ----------------------


def test_sparse_dv_extended_header_is_not_decoded_record_by_record(tmp_path: Path) -> None:
    """A 1 MiB extended-header hole of one-float records printed 41 MB of JSON (4 KB on disk)."""
    head = bytearray(dv_bytes(DvSpec(nx=1, ny=1, write_pixels=False))[:1024])
    n = 1 << 18
    struct.pack_into("<i", head, 8, n)  # sections
    struct.pack_into("<i", head, 92, 4 * n)  # extended-header bytes
    struct.pack_into("<2h", head, 128, 0, 1)  # 0 ints, 1 float per section
    path = tmp_path / "sparse.dv"
    path.write_bytes(bytes(head))
    os.truncate(path, 1024 + 4 * n + 2 * n)  # a hole: extended header and pixels read as zeros
    model = clxm_meta.read(path)
    assert "dv.ext_header_zero" in {f.code for f in model.findings}
    assert len(model.model_dump_json()) < 100_000


# --- AreTomo ------------------------------------------------------------------------------------


def test_empty_aln_says_it_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "ts.aln"
    path.write_bytes(b"")
    model = clxm_meta.read(path)
    errors = [f for f in model.findings if f.code == "imod.aln_no_rows"]
    assert errors and "empty" in errors[0].message
