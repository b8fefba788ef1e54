"""The MRC read path's shortcuts give what the plain ways give.

- the header checks made without mrcfile give mrcfile's own warnings (mrcfile run here as the
  independent peer), in both byte orders, flipped and unrecognised machine stamps, no map ID;
- models built without validation (`readers.base.construct`) equal validated ones, field sets and privates included;
- `f32` is numpy's shortest float32 decimal;
- `ExtHeader.sections` built on first use looks, dumps, compares, copies and pickles like a list
  given at construction, whichever way it is first reached;
- the registry's open-file hand-over (`read_open`) gives what `read(path)` gives.
"""

from __future__ import annotations

import copy
import pickle
import struct
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mrcfile
import numpy as np
import pytest

import clxm_meta
from clxm_meta.findings import Finding, Severity
from clxm_meta.readers.base import construct
from clxm_meta.readers.mrc import read
from clxm_meta.readers.mrc.header import f32
from clxm_meta.readers.mrc.model import (
    ExtHeader,
    ExtSection,
    ImodFields,
    MrcFile,
    MrcLabel,
    Statistics,
    Vec3,
)
from writers.mrc import imod_label, patch, serialem_label, write_mrc


def _mrcfile_warnings(path: Path) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with mrcfile.open(path, header_only=True, permissive=True) as mrc:
            if bytes(mrc.header.exttyp) in (b"FEI1", b"FEI2") and mrc.extended_header.size:
                _ = mrc.indexed_extended_header
    # mrcfile's own DeprecationWarning under NumPy >= 2.5 (it sets ``ndarray.dtype``) is about
    # mrcfile's code, not the file: the peer's header messages are the other warnings.
    return [
        f"mrcfile: {w.message}" for w in caught if not issubclass(w.category, DeprecationWarning)
    ]


def _our_mrcfile_messages(model: MrcFile) -> list[str]:
    return [f.message for f in model.findings if f.message.startswith("mrcfile: ")]


_VARIANTS: dict[str, tuple[int, bytes] | None] = {
    "as written": None,
    "stamp unrecognised": (212, b"\x00\x00\x00\x00"),
    "stamp says big": (212, b"\x11\x11\x00\x00"),
    "stamp says little": (212, b"\x44\x44\x00\x00"),
    "stamp DA": (212, b"\x44\x41\x00\x00"),
    "no map id": (208, b"XYZ "),
    "map id MAP only": (208, b"MAP\x00"),
    "mode invalid both ways": (12, b"\x07\x00\x00\x07"),
}


@pytest.mark.parametrize("big_endian", [False, True])
@pytest.mark.parametrize("variant", list(_VARIANTS))
@pytest.mark.parametrize("fei", [None, "FEI1", "FEI2"])
def test_header_checks_give_mrcfiles_warnings(
    tmp_path: Path, big_endian: bool, variant: str, fei: str | None
) -> None:
    path = write_mrc(
        tmp_path / "x.mrc",
        shape=(2, 4, 4),
        big_endian=big_endian,
        fei=fei,
        tilt_angles=[1.0, 2.0] if fei else None,
    )
    change = _VARIANTS[variant]
    if change is not None:
        patch(path, *change)
    model = read(path)
    assert _our_mrcfile_messages(model) == _mrcfile_warnings(path)


def test_fei_records_that_mrcfile_cannot_index(tmp_path: Path) -> None:
    path = write_mrc(tmp_path / "x.mrc", shape=(3, 4, 4), fei="FEI2", tilt_angles=[1.0, 2.0, 3.0])
    patch(path, 8, struct.pack("<i", 5))  # nz = 5 records declared, 3 present
    model = read(path)
    assert _our_mrcfile_messages(model) == _mrcfile_warnings(path)
    assert "mrc.ext_header_fei" in {f.code for f in model.findings}


def _models() -> list[tuple[type[Any], dict[str, Any]]]:
    vec = Vec3(x=1.5, y=None, z=3.0)
    return [
        (Vec3, {"x": 1.5, "y": None, "z": 3.0}),
        (Vec3, {"x": 1.5}),
        (Statistics, {"min": 0.0, "max": 1.0, "determined": True, "representable": None}),
        (ImodFields, {"stamp_present": True, "flags": 5, "flag_names": ["a"]}),
        (ImodFields, {}),
        (MrcLabel, {"index": 2, "text": "x", "kind": "imod", "program": "P"}),
        (ExtSection, {"index": 0, "tilt_deg": 1.0, "extra": {"a": 1, "b": None}}),
        (ExtSection, {"index": 3}),
        (ExtHeader, {"size": 12, "items": ["tilt"], "sections": [ExtSection(index=0)]}),
        (ExtHeader, {"size": 12}),
        (
            Finding,
            {
                "code": "mrc.x",
                "severity": Severity.WARNING,
                "message": "m",
                "path": "p",
                "field": None,
                "locator": "byte 1",
            },
        ),
        (Vec3, {"z": 1.0, "x": 2.0, "y": vec.x}),  # keys not in field order
    ]


def _file_model(tmp_path: Path) -> tuple[type[Any], dict[str, Any]]:
    header = read(write_mrc(tmp_path / "e.mrc", shape=(2, 4, 4))).header
    values = {
        "path": "p",
        "file_size": 3,
        "header": header,
        "labels": [],
        "ext_header": ExtHeader(size=0),
        "tilt_angles_deg": None,
        "role": "map",
        "role_evidence": ["e"],
        "findings": [],
    }
    return MrcFile, values


@pytest.mark.parametrize("case", [*range(len(_models())), "file"])
def test_build_equals_validation(tmp_path: Path, case: int | str) -> None:
    cls, values = _file_model(tmp_path) if case == "file" else _models()[int(case)]
    built = construct(cls, dict(values))
    validated = cls(**values)
    assert built == validated
    assert built.model_fields_set == validated.model_fields_set
    assert list(built.__dict__) == list(validated.__dict__)
    assert built.__pydantic_private__ == validated.__pydantic_private__
    assert built.__pydantic_extra__ == validated.__pydantic_extra__
    assert repr(built) == repr(validated)
    assert built.model_dump_json() == validated.model_dump_json()
    # mutable defaults are fresh per instance, as after validation
    for name, value in built.__dict__.items():
        if isinstance(value, list | dict) and name not in values:
            assert value is not construct(cls, dict(values)).__dict__[name]


def test_f32_is_numpys_shortest_float32_decimal() -> None:
    rng = np.random.default_rng(9)
    bits = rng.integers(0, 2**32, size=20000, dtype=np.uint64).astype(np.uint32)
    special = np.array(
        [0.0, -0.0, 1.0, 90.0, 62.496, 3.17, 2**24, 2**24 + 2, -(2**24), 2**-149, 3.4e38, 1e-30],
        dtype=np.float32,
    )
    ints = np.arange(-(2**24), 2**24, 9973, dtype=np.float32)
    for value in np.concatenate([bits.view(np.float32), special, ints]):
        widened = float(value)
        expected = float(str(value)) if np.isfinite(value) else None
        got = f32(widened)
        assert got == expected or (got is None and expected is None), value
        if expected is not None and got is not None:
            assert np.copysign(1.0, got) == np.copysign(1.0, expected)


def _stack(tmp_path: Path, **kw: Any) -> Path:
    return write_mrc(
        tmp_path / "ts.st",
        shape=(5, 4, 4),
        dtype="int16",
        tilt_angles=[-20.0, -10.0, 0.0, 10.0, 20.0],
        stage_um=[(1.0, 2.0)] * 5,
        dose=[0.5, 1.0, 1.5, 2.0, 2.5],
        labels=[serialem_label(), imod_label("NEWSTACK: Images copied")],
        **kw,
    )


def _agard(tmp_path: Path) -> Path:
    path = write_mrc(tmp_path / "ag.mrc", shape=(3, 4, 4), exttyp=b"AGAR")
    data = bytearray(path.read_bytes())
    rec = np.zeros(3, dtype=[("i", "<i4", (2,)), ("f", "<f4", (3,))])
    rec["i"] = [[7, 8], [9, 10], [11, 12]]
    rec["f"] = [[1.5, 0.25, 2.0], [np.nan, 1.0, 2.0], [3.5, np.inf, 1.0]]
    struct.pack_into("<i", data, 92, rec.nbytes)
    struct.pack_into("<hh", data, 128, 2, 3)
    path.write_bytes(bytes(data[:1024]) + rec.tobytes() + bytes(data[1024:]))
    return path


_FIRST_USE: dict[str, Callable[[ExtHeader], object]] = {
    "attribute": lambda e: e.sections,
    "model_dump": lambda e: e.model_dump(),
    "model_dump_json": lambda e: e.model_dump_json(),
    "repr": repr,
    "str": str,
    "iteration": lambda e: list(e),
    "pickle": lambda e: pickle.loads(pickle.dumps(e)),
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
    "model_copy": lambda e: e.model_copy(),
    "model_copy_update": lambda e: e.model_copy(update={"size": e.size}),
}


@pytest.mark.parametrize("kind", ["serialem", "serialem_be", "agard"])
@pytest.mark.parametrize("first", list(_FIRST_USE))
def test_sections_built_on_first_use_are_the_given_ones(
    tmp_path: Path, kind: str, first: str
) -> None:
    path = _agard(tmp_path) if kind == "agard" else _stack(tmp_path, big_endian=kind.endswith("be"))
    lazy = read(path).ext_header
    assert "sections" not in lazy.__dict__  # not built by the read
    assert "sections" in lazy.model_fields_set
    result = _FIRST_USE[first](lazy)
    if isinstance(result, ExtHeader):  # a copy: built from the shared columns on its own
        result_dump = result.model_dump()
        assert result_dump == lazy.model_dump()
    eager = ExtHeader(**{name: getattr(lazy, name) for name in lazy.model_fields_set})
    assert lazy == eager and eager == lazy
    assert lazy.model_dump_json() == eager.model_dump_json()
    assert repr(lazy) == repr(eager)
    assert lazy.model_fields_set == eager.model_fields_set
    assert lazy.__pydantic_private__ == eager.__pydantic_private__
    assert list(lazy.__dict__) == list(eager.__dict__)
    assert [s.tilt_deg for s in lazy.sections] == [s.tilt_deg for s in eager.sections]


def test_pending_sections_inside_the_file_model(tmp_path: Path) -> None:
    path = _stack(tmp_path)
    a, b = read(path), read(path)
    assert "sections" not in a.ext_header.__dict__
    assert a == b  # compares the pending headers by their sections
    assert a.model_dump_json() == read(path).model_dump_json()
    dumped = read(path).model_dump()["ext_header"]["sections"][0]
    assert dumped == a.ext_header.sections[0].model_dump()
    with pytest.raises(TypeError):
        hash(read(path).ext_header)  # a list of sections: unhashable, as before


def test_model_copy_update_replaces_pending_sections(tmp_path: Path) -> None:
    lazy = read(_stack(tmp_path)).ext_header
    replaced = lazy.model_copy(update={"sections": []})
    assert replaced.sections == []
    assert replaced.model_dump()["sections"] == []
    assert len(lazy.sections) == 5


@pytest.mark.parametrize("maker", ["stack", "stack_be", "agard", "plain"])
def test_registry_hand_over_equals_read_path(tmp_path: Path, maker: str) -> None:
    if maker == "agard":
        path = _agard(tmp_path)
    elif maker == "plain":
        path = write_mrc(tmp_path / "v.mrc", shape=(2, 4, 4))
    else:
        path = _stack(tmp_path, big_endian=maker.endswith("be"))
    via_registry = clxm_meta.read(path)
    assert via_registry.model_dump_json() == read(path).model_dump_json()
    for strict in (False, True):
        try:
            expected: object = read(path, strict=strict).model_dump_json()
        except Exception as exc:
            expected = (type(exc), str(exc))
        try:
            got: object = clxm_meta.read(path, strict=strict).model_dump_json()
        except Exception as exc:
            got = (type(exc), str(exc))
        assert got == expected


def test_imod_flag_names_for_every_bit() -> None:
    from clxm_meta.readers.mrc.header import IMOD_FLAGS, IMOD_STAMP, imod_fields, unpack_header

    for flags in (0, 1, 5, 63, 64, 2**31 - 1, -1, -(2**31), 0x12345678, -0x1234567):
        head = bytearray(1024)
        struct.pack_into("<ii", head, 152, IMOD_STAMP, flags)
        names = imod_fields(unpack_header(bytes(head), "<")).flag_names
        expected = [
            IMOD_FLAGS.get(1 << bit, f"bit_{1 << bit}") for bit in range(32) if flags & (1 << bit)
        ]
        assert names == expected


def test_reading_an_mrc_file_does_not_import_mrcfile(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = _stack(tmp_path)
    code = (
        "import sys, clxm_meta\n"
        f"m = clxm_meta.read({str(path)!r})\n"
        "m.model_dump_json()\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'mrcfile'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_json_schema_unchanged_by_lazy_sections() -> None:
    for model in (ExtHeader, MrcFile):
        validation = model.model_json_schema(mode="validation")
        serialization = model.model_json_schema(mode="serialization")
        assert serialization == validation  # the wrap serializer keeps the model's own schema
    props = ExtHeader.model_json_schema()["properties"]
    assert list(props) == list(ExtHeader.model_fields)
    assert props["sections"]["items"] == {"$ref": "#/$defs/ExtSection"}


def test_column_dose_equals_the_scalar_unpacking() -> None:
    from array import array

    from clxm_meta.readers.mrc.extended_header import _serialem_dose, unpack_serialem_float

    rng = np.random.default_rng(3)
    edges = np.array([-32768, -32767, -256, -255, -1, 0, 1, 255, 256, 32767], dtype=np.int16)
    s1 = np.concatenate([np.repeat(edges, len(edges)), rng.integers(-32768, 32768, 5000)])
    s2 = np.concatenate([np.tile(edges, len(edges)), rng.integers(-32768, 32768, 5000)])
    s1, s2 = s1.astype(np.int16), s2.astype(np.int16)
    expected = [unpack_serialem_float(int(a), int(b)) for a, b in zip(s1, s2, strict=True)]
    # the columns as the reader slices them: an array("h") of the shorts (no numpy)
    assert _serialem_dose(array("h", s1.tolist()), array("h", s2.tolist())) == expected


def test_signalling_nan_in_agard_floats_reads_without_a_warning(tmp_path: Path) -> None:
    # A signalling NaN (bits 0x7f800001) makes numpy's float32 -> float64 cast raise the
    # invalid-operation flag; found by the flipped-header-bytes property test.
    path = _agard(tmp_path)
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 1024 + 8, 0x7F800001)  # section 0, first float
    path.write_bytes(bytes(data))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = read(path)
        first = model.ext_header.sections[0]
    assert "mrc.ext_header_nonfinite" in [f.code for f in model.findings]
    assert first.extra["float_0"] is None  # left unknown, not a NaN
    assert first.extra["float_1"] == 0.25
