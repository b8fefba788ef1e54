"""DV read leaves the extended header undecoded (and the values made from it) until first use.

Issue 21: ``read`` decoded every extended-header record up front (0.34x of ``mrc.DVFile`` on
cell1.dv). Every output of the lazy model must be what reading everything at once gives
(`reader.EAGER`), on every real sample, the examples and written files, byte-flipped and cut ones
included; both decoders (numpy, and pure Python for small headers) are compared.
"""

from __future__ import annotations

import random
import struct
from pathlib import Path
from typing import Any

import pytest

import clxm_meta
from clxm_meta.errors import ClxmMetaError
from clxm_meta.findings import Finding
from clxm_meta.readers.dv import reader, small_table
from clxm_meta.readers.dv.model import DvFile
from conftest import real_files
from lazy_outputs import Read, outputs
from writers.dv import DvSpec, SectionSpec, dv_bytes

reader_channels = reader._channels

ROOT = Path(__file__).resolve().parents[3]
COCKPIT = (
    "Date & time: 2022/11/02 16:05:44; pos: ['10.00', '20.50', '-3.25']",
    "SI order: Z, Angle, Phase",
    "[light source: 488nm: 50.000ms 2.500 mW;561nm: 100.000ms 5.000 mW]",
    "[camera: Andor iXon Ultra 888, EM gain 200, bin 2]",
)


def _written(tmp_path: Path) -> list[Path]:
    vary = [
        SectionSpec(floats={1: 0.5 * i, 8: 0.05, 10: 488.0 + (i % 3 == 0), 11: 525.0, 20: 1.5})
        for i in range(12)
    ]
    nan = [
        SectionSpec(floats={0: float("nan"), 8: 0.05 * (i % 2), 9: 1e-42, 11: float("inf")})
        for i in range(6)
    ]
    specs = {
        "plain.dv": DvSpec(),
        "cockpit_raw.dv": DvSpec(
            nz=15, titles=COCKPIT, lens_id=10003, sections=[SectionSpec()] * 15
        ),
        "big_SIR.dv": DvSpec(
            big_endian=True,
            pixel_type=2,
            nz=4,
            n_waves=2,
            waves=(525, 609),
            sections=[SectionSpec(ints=[i, 7], floats={1: -0.0, 8: 0.05}) for i in range(8)],
            sequence=1,
        ),
        "nan.dv": DvSpec(nz=3, n_waves=2, waves=(525, 600), sections=nan, n_floats=14),
        "short.dv": DvSpec(nz=10, sections=[SectionSpec(floats={1: 0.1})] * 4, n_floats=3),
        "zeros.dv": DvSpec(
            nz=6000,
            write_pixels=False,
            sections=[SectionSpec(floats={0: 0.1})] + [SectionSpec()] * 5999,
            n_ints=0,
            n_floats=1,
        ),
        **{
            f"vary{seq}.dv": DvSpec(
                nz=3, n_waves=2, n_times=2, waves=(525, 600), sequence=seq, sections=vary
            )
            for seq in (0, 1, 2)
        },
    }
    out = []
    for name, spec in specs.items():
        (tmp_path / name).write_bytes(dv_bytes(spec))
        out.append(tmp_path / name)
    rng = random.Random(21)
    for base in [*out, ROOT / "examples" / "cell1.dv"]:
        data = base.read_bytes()
        end = min(len(data), 1024 + 4096)
        for k in range(4):  # byte flips in the header and the extended header
            buf = bytearray(data)
            for _ in range(rng.randint(1, 6)):
                buf[rng.randrange(end)] ^= 1 << rng.randrange(8)
            (tmp_path / f"flip{k}_{base.name}").write_bytes(bytes(buf))
            out.append(tmp_path / f"flip{k}_{base.name}")
        for k, cut in enumerate((1100, end // 2)):
            (tmp_path / f"cut{k}_{base.name}").write_bytes(data[:cut])
            out.append(tmp_path / f"cut{k}_{base.name}")
        buf = bytearray(data)
        struct.pack_into("<h", buf, 182, 2)  # another image sequence
        (tmp_path / f"seq_{base.name}").write_bytes(bytes(buf))
        out.append(tmp_path / f"seq_{base.name}")
    return out


def _files(tmp_path: Path) -> list[Path]:
    return [*_written(tmp_path), *sorted((ROOT / "examples").rglob("*.dv")), *real_files("dv")]


def _dv_outputs(read: Read) -> dict[str, Any]:
    return {
        "channels": [c.model_dump() for c in read().channels],
        "sections": repr(read().ext_header.sections if read().ext_header else None),
    }


def _outputs(path: Path) -> dict[str, Any]:
    return outputs(path, _dv_outputs)


@pytest.mark.parametrize("small", [False, True], ids=["numpy", "pure-python"])
def test_lazy_model_outputs_are_the_eager_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small: bool
) -> None:
    monkeypatch.setattr(small_table, "use_small", lambda source: small)
    files = _files(tmp_path)
    assert len(files) > 60
    lazy = {path: _outputs(path) for path in files}
    monkeypatch.setattr(reader, "EAGER", True)
    for path in files:
        assert _outputs(path) == lazy[path], path.name
    with_ext = [
        p for p in files if "error" not in lazy[p] and '"ext_header": null' not in lazy[p]["json"]
    ]
    assert len(with_ext) > 20  # the comparison covers files with an extended header


def test_read_decodes_no_record_until_a_value_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    for name in ("decode_small",):
        real = getattr(small_table, name)
        monkeypatch.setattr(
            small_table, name, lambda source, real=real: calls.append("decode") or real(source)
        )
    from clxm_meta.readers.dv import extended_header

    real_numpy = extended_header.decode_records
    monkeypatch.setattr(
        extended_header,
        "decode_records",
        lambda source: calls.append("decode") or real_numpy(source),
    )
    model = clxm_meta.read(ROOT / "examples" / "cell1.dv")
    assert isinstance(model, DvFile) and model.ext_header is not None
    assert calls == []
    assert {"findings", "channels", "cockpit", "intensity"}.isdisjoint(model.__dict__)
    assert model.channels[0].exposure_s == 0.05  # first use: decoded once
    assert calls == ["decode"]
    assert list(model.__dict__) == list(DvFile.model_fields)  # settled in field order
    assert len(model.ext_header.sections) == 90 and calls == ["decode"]


def test_assignment_before_first_use_keeps_the_value_and_the_field_order() -> None:
    model = clxm_meta.read(ROOT / "examples" / "cell1.dv")
    assert isinstance(model, DvFile)
    model.channels = []
    assert model.channels == [] and model.cockpit is not None
    assert list(model.__dict__) == list(DvFile.model_fields)
    other = clxm_meta.read(ROOT / "examples" / "cell1.dv")
    assert other != model and other == clxm_meta.read(ROOT / "examples" / "cell1.dv")


def test_header_only_read_makes_no_finding_or_channel_until_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 21: the smallest DV files read slower than mrc.DVFile; building their findings (four
    # on cudasirecon__otf.dv) cost a third of the read. They are made on first use, as before.
    path = tmp_path / "otf.dv"
    path.write_bytes(dv_bytes(DvSpec(d_um=(0.1, 0.1, 0.0), image_type=100)))
    made: list[str] = []
    monkeypatch.setattr(
        reader, "_channels", lambda nw, wl: made.append("channels") or reader_channels(nw, wl)
    )
    real_make = Finding.make  # every finding of the read is made through it, on first use
    monkeypatch.setattr(
        Finding, "make", lambda code, *a, **k: made.append(code) or real_make(code, *a, **k)
    )
    model = clxm_meta.read(path)
    assert isinstance(model, DvFile) and model.ext_header is None
    assert made == []
    assert {"findings", "channels", "intensity"}.isdisjoint(model.__dict__)
    codes = [f.code for f in model.findings]
    assert codes == [
        "dv.bad_pixel_size",
        "dv.new_type_empty",
        "dv.ext_header_absent",
        "dv.otf",
    ]
    assert made == [*codes, "channels"]
    assert [c.wavelength_nm for c in model.channels] == [525]
    assert list(model.__dict__) == list(DvFile.model_fields)


def test_strict_read_still_raises_where_the_error_is_met(tmp_path: Path) -> None:
    path = tmp_path / "bad.dv"
    path.write_bytes(dv_bytes(DvSpec(pixel_type=42, write_pixels=False)))
    assert clxm_meta.read(path).findings[0].code == "dv.unknown_pixel_type"
    with pytest.raises(ClxmMetaError, match="unknown pixel type 42"):
        clxm_meta.read(path, strict=True)


def test_inspect_of_a_small_dv_with_extended_header_imports_no_numpy() -> None:
    """Issue 21 start-up: decoding cell1.dv's 90 records must not import numpy (~60 ms)."""
    import subprocess
    import sys

    code = (
        "import sys, contextlib, io\n"
        "from clxm_meta.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['inspect', {str(ROOT / 'examples' / 'cell1.dv')!r}])\n"
        "print('numpy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "False"
