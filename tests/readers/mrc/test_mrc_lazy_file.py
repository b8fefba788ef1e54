"""MRC read decodes the main header and leaves what is worked out beyond it to first use.

Issue 21: ``read`` of a SerialEM stack parsed every label, decoded the extended header, decided the
role and built every finding up front, and was 0.64-0.84x of ``mrcfile.open(header_only=True)``
on tomoauto__test_002_mode1.st. The labels, the extended header, the tilt angles, the role and the
findings are now worked out on first use (`clxm_meta.readers.deferred`). Every output of the lazy
model must be what reading everything at once gives (`reader.EAGER`), on the real samples, the
example and written files, byte-flipped and cut ones included.
"""

from __future__ import annotations

import pickle
import random
import struct
from pathlib import Path
from typing import Any

import pytest

import clxm_meta
from clxm_meta.dataset import transport
from clxm_meta.errors import ClxmMetaError
from clxm_meta.findings import Finding
from clxm_meta.readers.mrc import reader
from clxm_meta.readers.mrc.model import MrcFile
from conftest import real_files
from lazy_outputs import Read, outputs
from writers.mrc import imod_label, patch, serialem_label, serialem_tilt_axis_label, write_mrc

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "deposition" / "sample1" / "SXT" / "ts1_rec.mrc"


def _written(tmp_path: Path) -> list[Path]:
    n = 6
    tilts = [-30.0, -18.0, -6.0, 6.0, 18.0, 30.0]
    stack: dict[str, Any] = {
        "shape": (n, 4, 4),
        "dtype": "int16",
        "tilt_angles": tilts,
        "stage_um": [(1.0, 2.0)] * n,
        "magnification": [5000.0] * n,
        "intensity": [0.5] * n,
        "dose": [1.5, 2.25, 3.0, 0.125, 1e-3, 7.0],
        "labels": [
            serialem_label(),
            serialem_tilt_axis_label(86.3, binning=2),
            imod_label("NEWSTACK: Images copied, transformed"),
        ],
    }
    out = [
        write_mrc(tmp_path / "plain.mrc", shape=(2, 4, 4)),
        write_mrc(tmp_path / "ts.st", **stack),
        write_mrc(tmp_path / "ts_be.st", big_endian=True, **stack),
        write_mrc(
            tmp_path / "irregular.st",
            shape=(4, 4, 4),
            tilt_angles=[0.0, 3.0, -3.0, 6.0],
            labels=[imod_label("TILT: Tomographic reconstruction"), "softWoRx OMX SIM"],
        ),
        write_mrc(tmp_path / "fei1.mrc", shape=(3, 4, 4), fei="FEI1", tilt_angles=[1.0, 2.0, 3.0]),
        write_mrc(
            tmp_path / "fei2.mrc",
            shape=(3, 4, 4),
            fei="FEI2",
            tilt_angles=[1.0, 2.0, 3.0],
            stage_um=[(1.0, 2.0)] * 3,
        ),
        write_mrc(tmp_path / "agar.mrc", shape=(3, 4, 4), exttyp=b"AGAR"),
        write_mrc(tmp_path / "vol_rec.mrc", shape=(3, 4, 4), labels=["EMDATABANK.org:EMD-1234"]),
    ]
    agard = tmp_path / "agard.mrc"
    data = bytearray(write_mrc(agard, shape=(3, 4, 4), exttyp=b"AGAR").read_bytes())
    rec = struct.pack("<2i3f", 7, 8, 1.5, 0.25, 2.0) * 2 + struct.pack("<2i3f", 9, 1, *[1e-42] * 3)
    struct.pack_into("<i", data, 92, len(rec))
    struct.pack_into("<hh", data, 128, 2, 3)
    agard.write_bytes(bytes(data[:1024]) + rec + bytes(data[1024:]))
    out.append(agard)
    bad = write_mrc(tmp_path / "nlabl.mrc", shape=(2, 4, 4), labels=["a", "b"])
    patch(bad, 220, struct.pack("<i", 12))  # nlabl outside 0..10
    out.append(bad)
    rng = random.Random(21)
    for base in [*out[:6], EXAMPLE, *real_files("mrc")]:
        data = bytearray(base.read_bytes())
        end = min(len(data), 1024 + 512)
        for k in range(4):  # byte flips in the header, the labels and the extended header
            buf = bytearray(data)
            for _ in range(rng.randint(1, 6)):
                buf[rng.randrange(end)] ^= 1 << rng.randrange(8)
            (tmp_path / f"flip{k}_{base.name}").write_bytes(bytes(buf))
            out.append(tmp_path / f"flip{k}_{base.name}")
        for k, cut in enumerate((1000, 1100, len(data) - 7)):
            (tmp_path / f"cut{k}_{base.name}").write_bytes(bytes(data[:cut]))
            out.append(tmp_path / f"cut{k}_{base.name}")
    return out


def _mrc_outputs(read: Read) -> dict[str, Any]:
    return {
        "role": (lambda m: (m.role, m.role_evidence))(read()),
        "tilts": read().tilt_angles_deg,
        "labels": repr(read().labels),
        "transport": transport.loads(transport.dumps([read()]))[0].model_dump_json(),
        "dict_order": list(pickle.loads(pickle.dumps(read())).__dict__),
        "sections": repr(read().ext_header.sections),
    }


def _outputs(path: Path) -> dict[str, Any]:
    return outputs(path, _mrc_outputs)


def test_lazy_model_outputs_are_the_eager_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = _written(tmp_path)
    # the files this test writes alone (six kinds and the example, flipped and cut): the count
    # holds in a plain clone too, where ../shared's real files are absent
    assert len(written) >= 59
    files = [*written, EXAMPLE, *real_files("mrc")]
    lazy = {path: _outputs(path) for path in files}
    monkeypatch.setattr(reader, "EAGER", True)
    for path in files:
        assert _outputs(path) == lazy[path], path.name
    with_ext = [p for p in files if "error" not in lazy[p] and lazy[p]["sections"] != "[]"]
    assert len(with_ext) > 15  # the comparison covers files with a decoded extended header
    assert sum("role_conflict" in lazy[p].get("json", "") for p in files) > 2


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def spy(name: str, label: str) -> None:
        real = getattr(reader, name)
        monkeypatch.setattr(reader, name, lambda *a, **k: calls.append(label) or real(*a, **k))

    spy("_labels", "labels")
    spy("decode_serialem", "ext_header")
    spy("decide_role", "role")
    real_make = Finding.make  # every finding of the read is made through it
    monkeypatch.setattr(
        Finding, "make", lambda code, *a, **k: calls.append(code) or real_make(code, *a, **k)
    )
    return calls


def test_header_only_read_decodes_no_label_or_extended_header_until_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_mrc(
        tmp_path / "ts.st",
        shape=(5, 4, 4),
        dtype="int16",
        tilt_angles=[-20.0, -10.0, 0.0, 10.0, 25.0],
        labels=[imod_label("NEWSTACK: Images copied, transformed"), "OMX softWoRx"],
    )
    calls = _spy(monkeypatch)
    model = clxm_meta.read(path)
    assert isinstance(model, MrcFile) and model.header.nz == 5
    assert calls == []  # the header is decoded; nothing beyond it
    assert MrcFile.DEFERRED.isdisjoint(model.__dict__)
    assert model.role == "aligned_stack"  # first use: everything worked out once
    assert calls == [
        "labels",
        "ext_header",
        "mrc.tilt_steps_irregular",
        "role",
        "mrc.role_conflict",
    ]
    assert list(model.__dict__) == list(MrcFile.model_fields)  # settled in field order
    assert model.tilt_angles_deg == [-20.0, -10.0, 0.0, 10.0, 25.0]
    assert "sections" not in model.ext_header.__dict__  # the sections wait for their own use
    assert [s.tilt_deg for s in model.ext_header.sections][-1] == 25.0
    assert len(calls) == 5


def test_assignment_before_first_use_keeps_the_value_and_the_field_order(tmp_path: Path) -> None:
    path = write_mrc(
        tmp_path / "ts.st", shape=(3, 4, 4), tilt_angles=[-1.0, 0.0, 1.0], labels=["x"]
    )
    model = clxm_meta.read(path)
    model.labels = []
    assert model.labels == [] and model.role == "tilt_series"
    assert list(model.__dict__) == list(MrcFile.model_fields)
    other = clxm_meta.read(path)
    assert other != model and other == clxm_meta.read(path)


def test_strict_read_still_raises_where_the_error_is_met(tmp_path: Path) -> None:
    path = write_mrc(tmp_path / "bad.mrc", shape=(2, 4, 4), labels=[serialem_label()])
    patch(path, 12, struct.pack("<i", 42))  # mode 42
    assert "mrc.unknown_mode" in [f.code for f in clxm_meta.read(path).findings]
    with pytest.raises(ClxmMetaError, match="mode 42"):
        clxm_meta.read(path, strict=True)
    cut = tmp_path / "cut.mrc"
    cut.write_bytes(path.read_bytes()[:1100])
    patch(cut, 12, struct.pack("<i", 2))  # float32: 128 bytes of data declared, 76 present
    with pytest.raises(ClxmMetaError, match="data missing"):
        clxm_meta.read(cut, strict=True)


def test_an_unsettled_model_pickles_to_the_settled_one(tmp_path: Path) -> None:
    path = write_mrc(tmp_path / "ts.st", shape=(3, 4, 4), tilt_angles=[-1.0, 0.0, 1.0])
    lazy = clxm_meta.read(path)
    back = pickle.loads(pickle.dumps(lazy))
    assert back.__pydantic_private__ == {"_pending": None}
    assert list(back.__dict__) == list(MrcFile.model_fields)
    assert back == lazy and back.model_dump_json() == clxm_meta.read(path).model_dump_json()
