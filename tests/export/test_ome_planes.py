"""OME planes of a DV taken from the extended-header columns equal those from ``sections``.

`export.ome.build._dv_planes` reads the five plane floats straight from the `SectionTable`
columns instead of building a `DvSection` per record; the planes (and so the documents) must be
what the sections give, value for value and type for type, on every DV sample and on written
files with the values the cleaning rules treat apart (NaN, infinities, denormals, -0.0, values
with a long float32 form).
"""

from __future__ import annotations

import math
import struct
import sys
from pathlib import Path
from typing import Any

import pytest

import clxm_meta
from clxm_meta.export.ome.build import _dv_planes, ome_xml
from conftest import EXAMPLE, ROOT, real_files

sys.path.insert(0, str(ROOT / "tests"))
from writers.dv import DvSpec, SectionSpec, write_dv

pytest.importorskip("numpy")  # the columns are numpy's (`SectionTable`)

_F32_DENORMAL = struct.unpack("<f", struct.pack("<I", 1))[0]


def _from_sections(ext: Any) -> list[dict[str, Any]]:
    """The planes as the OME builder made them from ``ext.sections`` before the change."""
    return [
        {
            "the_z": s.z,
            "the_c": s.wave,
            "the_t": s.time,
            "exposure_time": s.exposure_s,
            "delta_t": s.time_s,
            "position_x": s.stage_x,
            "position_y": s.stage_y,
            "position_z": s.stage_z,
            "position_unit": "reference frame",
        }
        for s in ext.sections
        if s.z is not None and s.wave is not None and s.time is not None
    ]


def _same(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert list(x) == list(y)
        for k in x:
            vx, vy = x[k], y[k]
            assert type(vx) is type(vy), k
            if isinstance(vx, float):
                assert repr(vx) == repr(vy), k  # -0.0 and 0.0 apart; NaN never reaches here
            else:
                assert vx == vy, k


def _check(path: Path, *, columns: bool = True) -> None:
    import numpy  # noqa: F401 - the numpy decoder, as in a deposit (scan loads numpy)

    fresh = clxm_meta.read(path)
    ext = fresh.ext_header  # type: ignore[attr-defined]
    if ext is None:
        pytest.skip("no extended header")
    planes = _dv_planes(ext)
    # the columns were used: no section built or kept (else the sections, as before)
    assert ("sections" not in ext.__dict__) is columns
    doc = ome_xml(fresh).document
    reference = clxm_meta.read(path)
    _same(planes, _from_sections(reference.ext_header))  # type: ignore[attr-defined]
    assert ome_xml(reference).document == doc
    # once the sections exist they are used as they are
    assert "sections" in reference.ext_header.__dict__  # type: ignore[attr-defined]
    _same(_dv_planes(reference.ext_header), planes)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path",
    [EXAMPLE / "sample1" / "SIM" / "cell1.dv", *real_files("dv")],
    ids=lambda p: p.name,
)
def test_planes_from_columns_equal_sections(path: Path) -> None:
    if path.name.endswith("otf.dv"):
        pytest.skip("an OTF has no OME document")
    _check(path)


_ODD = [
    0.1,
    -0.0,
    0.0,
    math.nan,
    math.inf,
    -math.inf,
    _F32_DENORMAL,
    1e-30,
    3.4e38,
    -123456.789,
    16777217.0,
    2.5e-5,
]


@pytest.mark.parametrize("sequence", [0, 1, 2])
@pytest.mark.parametrize("big_endian", [False, True])
def test_planes_from_columns_written(tmp_path: Path, sequence: int, big_endian: bool) -> None:
    nz, nw, nt = 3, 2, 2
    sections = []
    for i in range(nz * nw * nt):
        floats = {k: _ODD[(i + 3 * k) % len(_ODD)] for k in range(14)}
        floats[20] = _ODD[i % len(_ODD)]  # a spare float: not a plane value
        sections.append(SectionSpec(floats=floats, ints=[i, -i]))
    spec = DvSpec(
        nz=nz,
        n_waves=nw,
        n_times=nt,
        waves=(525, 605),
        minmax=((0.0, 1.0), (0.0, 1.0)),
        sequence=sequence,
        sections=sections,
        big_endian=big_endian,
    )
    _check(write_dv(tmp_path / "odd.dv", spec))


def test_narrow_records_fall_back_to_sections(tmp_path: Path) -> None:
    """Records with fewer floats than the plane needs: the sections' defaults, as before."""
    spec = DvSpec(n_floats=4, sections=[SectionSpec(floats={1: 2.5, 2: 0.1}) for _ in range(2)])
    _check(write_dv(tmp_path / "narrow.dv", spec), columns=False)


def test_plane_number_texts_kept_per_document_equal_each_plane_alone() -> None:
    """`_planes_xml` words each distinct non-zero number once per document: the elements equal
    those of each plane written alone, with 0.0 and -0.0, exponents and ints among repeats."""
    from clxm_meta.export.ome.build import _planes_xml

    values: list[Any] = [0.0, -0.0, 1.5, 1e-30, -2.5e20, 3, 0.1, 1.5, -0.0, 0.0, 3.0, 1e16]
    planes = []
    for i in range(40):
        planes.append(
            {
                "the_z": i % 5,
                "the_c": 0,
                "the_t": i // 5,
                "exposure_time": values[i % len(values)],
                "delta_t": values[(i * 7) % len(values)],
                "position_x": values[(i * 5) % len(values)],
                "position_y": values[(i * 3) % len(values)],
                "position_z": values[(i * 11) % len(values)],
                "position_unit": "reference frame",
            }
        )
    together = _planes_xml(planes)
    assert together is not None
    alone = [_planes_xml([p]) for p in planes]
    assert together == [a[0] for a in alone if a is not None]
    assert any('="-0.0"' in t for t in together) and any('="0.0"' in t for t in together)
    # a value that is not finite after a kept one still sends the planes to ome-types
    assert _planes_xml([*planes, {**planes[0], "delta_t": math.inf}]) is None
