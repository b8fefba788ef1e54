"""The DV reader builds its models without validation: what it builds must be what validation
would have built (exact field types, field order), and its float cleaning must be numpy's."""

from __future__ import annotations

import math
import random
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import BaseModel

from clxm_meta.readers.dv import read
from clxm_meta.readers.dv.header import clean_float
from clxm_meta.readers.dv.model import DvFile
from conftest import real_files
from writers.dv import DvSpec, SectionSpec, dv_bytes

ROOT = Path(__file__).resolve().parents[3]
COCKPIT = (
    "Date & time: 2022/11/02 16:05:44; pos: ['10.00', '20.50', '-3.25']",
    "SI order: Z, Angle, Phase",
    "[light source: 488nm: 50.000ms 2.500 mW;561nm: 100.000ms 5.000 mW]",
    "[camera: Andor iXon Ultra 888, EM gain 200, bin 2]",
)
_LEAF = (int, float, str, bool, type(None))


def _walk(value: Any, where: str) -> None:
    """Every model's fields in declaration order; every leaf of an exact builtin type."""
    if isinstance(value, BaseModel):
        assert list(value.__dict__) == list(type(value).model_fields), where
        for name, item in value.__dict__.items():
            _walk(item, f"{where}.{name}")
    elif type(value) in (list, tuple):
        for i, item in enumerate(value):
            _walk(item, f"{where}[{i}]")
    elif type(value) is dict:
        for key, item in value.items():
            assert type(key) in _LEAF, where
            _walk(item, f"{where}[{key!r}]")
    else:
        assert type(value) in _LEAF or isinstance(value, str), f"{where}: {type(value)}"


def _files(tmp_path: Path) -> list[Path]:
    secs = [
        SectionSpec(ints=[i, 7], floats={1: 0.5 * i, 8: 0.05, 10: 488.0, 20: 1.5}) for i in range(8)
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
            minmax=((0.5, 9.25), (1.0, 2.0)),
            sections=secs,
            sequence=1,
        ),
        "unknown.dv": DvSpec(
            write_pixels=False,
            pixel_type=42,
            d_um=(0.0, -1.0, float("nan")),
            lens_id=4242,
            sequence=7,
            titles=("DECON3D: x", "IMGCORR: y"),
        ),
    }
    out = []
    for name, spec in specs.items():
        path = tmp_path / name
        path.write_bytes(dv_bytes(spec))
        out.append(path)
    raw = bytearray(dv_bytes(DvSpec(image_type=100, n_waves=1)))
    struct.pack_into("<7f", raw, 544, *[0.1 * i for i in range(7)])
    struct.pack_into("<7h", raw, 676, *range(600, 607))
    struct.pack_into("<d", raw, 844, 1_600_000_000.0)
    struct.pack_into("<i", raw, 880, 1)
    (tmp_path / "new_type.dv").write_bytes(bytes(raw))
    out.append(tmp_path / "new_type.dv")
    return [*out, ROOT / "examples" / "cell1.dv", *real_files("dv")]


def test_models_are_what_validation_builds(tmp_path: Path) -> None:
    for path in _files(tmp_path):
        model = read(path)
        model._settle()  # the values left to first use (test_dv_lazy_file.py)
        _walk(model, path.name)
        again = DvFile.model_validate(model.model_dump())
        assert again == model, path.name
        assert again.model_dump() == model.model_dump(), path.name
        assert again.findings == model.findings


def _numpy_clean(value: float) -> float | None:
    v = np.float32(value)
    f = float(v)
    if not math.isfinite(f) or (f != 0 and abs(f) < np.finfo(np.float32).tiny):
        return None
    return float(str(v))


def test_clean_float_is_numpys_shortest_float32() -> None:
    rng = random.Random(3)
    special = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        16777216.0,
        16777217.0,
        16777218.0,
        -16777218.0,
        2.0**30,
        0.1,
        0.08,
        1e-40,
        -1e-45,
        3.4e38,
        float("inf"),
        float("-inf"),
        float("nan"),
        2.0**-126,
        2.0**-127,
        123456792.0,
        0.5,
        1 / 3,
    ]
    randoms = [
        struct.unpack("<f", rng.getrandbits(32).to_bytes(4, "little"))[0] for _ in range(20000)
    ]
    ints = [float(rng.randrange(-(2**25), 2**25)) for _ in range(2000)]
    # the float32 range's ends and each power of ten with its float32 neighbours (the decimals
    # that lie closest to a rounding boundary, where a half-unit tie is decided by evenness)
    ends = [3.4028234663852886e38, -3.4028234663852886e38, 2.0**-126 * (1 + 2.0**-23)]
    near_tens = []
    for k in range(-37, 39):
        bits = struct.unpack("<I", struct.pack("<f", 10.0**k))[0]
        near_tens += [
            struct.unpack("<f", struct.pack("<I", b))[0] for b in (bits - 1, bits, bits + 1)
        ]
    # every power of two (a lopsided rounding interval) and its neighbours
    near_twos = [
        x
        for e in range(-126, 128)
        for x in (math.ldexp(1.0, e), math.ldexp(1.0 + 2.0**-23, e), math.ldexp(2.0 - 2.0**-23, e))
    ]
    for value in special + ends + near_tens + near_twos + randoms + ints:
        f32 = struct.unpack("<f", struct.pack("<f", value))[0] if math.isfinite(value) else value
        for signed in (f32, -f32):
            got, want = clean_float(signed), _numpy_clean(signed)
            assert got == want or (got is want is None), signed
            if got is not None and want is not None:
                assert math.copysign(1, got) == math.copysign(1, want) and type(got) is float


@pytest.mark.parametrize("name", ["cell1.dv"])
def test_ext_header_read_is_bounded_and_complete(name: str) -> None:
    model = read(ROOT / "examples" / name)
    assert model.ext_header is not None and len(model.ext_header.sections) == 90
