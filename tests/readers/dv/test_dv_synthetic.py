"""DV files written at test time (tests/writers/dv.py), read back field by field."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from clxm_meta.normalise.build import build_record
from clxm_meta.normalise.candidate import Precedence
from clxm_meta.normalise.dv import candidates
from clxm_meta.readers.dv import read
from clxm_meta.readers.dv.extended_header import plane_index
from clxm_meta.records.provenance import SourceKind
from writers.dv import DvSpec, SectionSpec, dv_bytes, write_dv

COCKPIT_TITLES = (
    "Date & time: 2022/11/02 16:05:44; pos: ['10.00', '20.50', '-3.25']",
    "SI order: Z, Angle, Phase",
    "[light source: 488nm: 50.000ms 2.500 mW;561nm: 100.000ms 5.000 mW]",
)


def _sections(nz: int, nw: int, nt: int, seq: int) -> list[SectionSpec]:
    out = []
    for p in range(nz * nw * nt):
        z, w, t = plane_index(p, seq, nz, nw, nt)
        assert z is not None and w is not None and t is not None
        out.append(
            SectionSpec(
                ints=[p, 7],
                floats={
                    0: 12.5,
                    1: 0.5 * p,
                    2: 100.0 + z,
                    3: 200.0 + w,
                    4: 300.0 + t,
                    5: 1.0 + w,
                    6: 1000.0 + w,
                    7: 50.0,
                    8: (0.05, 0.1, 0.2)[w],
                    9: 0.5,
                    10: (405.0, 488.0, 561.0)[w],
                    11: (450.0, 525.0, 609.0)[w],
                    12: 1.0,
                    13: 1.0,
                    20: 3.5,
                },
            )
        )
    return out


def _spec(big: bool, seq: int = 1, **kw: object) -> DvSpec:
    nz, nw, nt = 4, 3, 2
    base: dict[str, object] = {
        "nx": 10,
        "ny": 7,
        "nz": nz,
        "n_waves": nw,
        "n_times": nt,
        "waves": (450, 525, 609),
        "minmax": ((1.0, 1000.0), (2.0, 1001.0), (3.0, 1002.0)),
        "mean1": 42.5,
        "lens_id": 10612,
        "sequence": seq,
        "origin_zxy": (3.0, 1.0, 2.0),
        "titles": COCKPIT_TITLES,
        "sections": _sections(nz, nw, nt, seq),
        "big_endian": big,
        "d_um": (0.0794, 0.0794, 0.125),
    }
    base.update(kw)
    return DvSpec(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("big", [False, True], ids=["little", "big"])
@pytest.mark.parametrize("seq", [0, 1, 2], ids=["ZTW", "WZT", "ZWT"])
def test_full_ext_header_round_trip(tmp_path: Path, big: bool, seq: int) -> None:
    path = write_dv(tmp_path / "a.dv", _spec(big, seq))
    m = read(path)
    h = m.header
    assert h.byte_order == ("big" if big else "little")
    assert h.dtype == (">u2" if big else "<u2")
    assert (h.nx, h.ny, h.n_sections, m.nz, m.n_waves, m.n_times) == (10, 7, 24, 4, 3, 2)
    assert (h.dx_um, h.dy_um, h.dz_um) == (0.0794, 0.0794, 0.125)
    assert h.origin_um == (1.0, 2.0, 3.0)  # stored z, x, y
    assert m.wavelengths_nm == [450, 525, 609]
    assert [(s.min, s.max) for s in m.intensity] == [(1, 1000), (2, 1001), (3, 1002)]
    assert m.intensity[0].mean == 42.5
    assert h.image_sequence_name == ("ZTW", "WZT", "ZWT")[seq]
    ext = m.ext_header
    assert ext is not None and len(ext.sections) == 24 and ext.record_bytes == 160
    for sec in ext.sections:
        assert sec.ints[:2] == [sec.index, 7]
        assert sec.time_s == 0.5 * sec.index
        assert (sec.stage_x, sec.stage_y, sec.stage_z) == (
            100.0 + sec.z,  # type: ignore[operator]
            200.0 + sec.wave,  # type: ignore[operator]
            300.0 + sec.time,  # type: ignore[operator]
        )
        assert sec.exposure_s == (0.05, 0.1, 0.2)[sec.wave]  # type: ignore[index]
        assert sec.excitation_nm == (405, 488, 561)[sec.wave]  # type: ignore[index]
        assert sec.emission_nm == (450, 525, 609)[sec.wave]  # type: ignore[index]
        assert (sec.nd_filter, sec.photosensor_mv, sec.mean) == (0.5, 12.5, 50.0)
        assert sec.other_floats == {20: 3.5}
    assert [(c.excitation_nm, c.exposure_s) for c in m.channels] == [
        (405, 0.05),
        (488, 0.1),
        (561, 0.2),
    ]
    assert m.lens is not None and m.lens.lens_id == 10612
    assert m.cockpit is not None and m.cockpit.date_time == "2022-11-02T16:05:44"
    assert m.cockpit.stage_position == [10.0, 20.5, -3.25]
    assert m.cockpit.si_order == "Z, Angle, Phase"
    lights = {d.wavelength_nm: d for d in m.cockpit.devices}
    assert lights[488].exposures_ms == [50.0] and lights[561].power_mw == 5.0
    assert not [f for f in m.findings if f.severity != "info"]


def test_plane_index_orders() -> None:
    # ZTW: z fastest, then t, then w
    assert plane_index(1, 0, 4, 3, 2) == (1, 0, 0)
    assert plane_index(4, 0, 4, 3, 2) == (0, 0, 1)
    assert plane_index(8, 0, 4, 3, 2) == (0, 1, 0)
    # WZT: w fastest, then z, then t
    assert plane_index(1, 1, 4, 3, 2) == (0, 1, 0)
    assert plane_index(3, 1, 4, 3, 2) == (1, 0, 0)
    assert plane_index(12, 1, 4, 3, 2) == (0, 0, 1)
    # ZWT: z fastest, then w, then t
    assert plane_index(4, 2, 4, 3, 2) == (0, 1, 0)
    assert plane_index(12, 2, 4, 3, 2) == (0, 0, 1)
    assert plane_index(0, 9, 4, 3, 2) == (None, None, None)


def test_padded_ext_header(tmp_path: Path) -> None:
    spec = _spec(False, pad_ext_to=1024)
    m = read(write_dv(tmp_path / "p.dv", spec))
    assert m.ext_header is not None and len(m.ext_header.sections) == 24
    assert m.ext_header.declared_bytes % 1024 == 0


def test_cockpit_raw_sim_candidates(tmp_path: Path) -> None:
    spec = _spec(False, nz=30, n_times=1, sections=_sections(30, 3, 1, 1))
    m = read(write_dv(tmp_path / "sim.dv", spec))
    assert m.role == "raw_sim" and m.sim is not None and m.sim.nz == 2
    cands = {c.field: c for c in candidates(m)}
    assert cands["acquisition.n_focal_planes"].value == 2
    assert cands["acquisition.n_focal_planes"].precedence is Precedence.ASSUMPTION
    sh = cands["acquisition.stack_height"]
    assert sh.value == pytest.approx(0.125) and sh.source.kind is SourceKind.ASSUMPTION
    assert "(2 − 1) × 0.125" in (sh.source.transform or "")
    assert "header Z 30 / 15" in (sh.source.transform or "")
    assert cands["acquisition.si_acquired_order"].value == "Z, Angle, Phase"
    assert cands["acquisition.si_acquired_order"].precedence is Precedence.HEADER
    assert cands["setup.lasers"].value == [405.0, 488.0, 561.0]
    assert cands["setup.emission_filters"].value == [450.0, 525.0, 609.0]
    ch = cands["acquisition.channels"].value
    assert [c.exposure_s for c in ch] == [0.05, 0.1, 0.2]
    assert [c.power_mw for c in ch] == [None, 2.5, 5.0]  # matched by excitation 488/561
    assert cands["acquisition.attenuation"].value == [0.5, 0.5, 0.5]
    assert cands["general.collection_date"].value == "2022-11-02T16:05:44"
    fov = cands["setup.field_of_view"]
    assert fov.value.x == pytest.approx(0.794) and fov.precedence is Precedence.DERIVED
    assert fov.source.transform == "nx × dx, ny × dy"
    record = build_record("SIM", candidates(m), name="sim")  # type: ignore[arg-type]
    assert not [f for f in record.findings if f.code == "normalise.bad_value"]
    assert record.get("setup.objective").value.na == 1.42  # type: ignore[union-attr]
    for c in candidates(m):
        assert c.source.path == str(tmp_path / "sim.dv") and c.source.locator


def test_exposure_from_cockpit_title_when_float8_is_zero(tmp_path: Path) -> None:
    secs = _sections(30, 3, 1, 1)
    for s in secs:
        s.floats[8] = 0.0
    m = read(write_dv(tmp_path / "c.dv", _spec(False, nz=30, n_times=1, sections=secs)))
    ch = {c.field: c for c in candidates(m)}["acquisition.channels"]
    assert [c.exposure_s for c in ch.value] == [None, 0.05, 0.1]
    assert "exposure (ms → s)" in (ch.source.locator or "")


def test_cockpit_titles_split_at_80_chars(tmp_path: Path) -> None:
    entry = "[light source: " + ";".join(f"laser {w}nm: 12.500ms 1.000 mW" for w in (405, 488, 561))
    entry += "]"
    chunks = [entry[i : i + 80] for i in range(0, len(entry), 80)]
    titles = ("Date & time: 2021/01/02 03:04:05; pos: []", "SI order: Z, Phase, Angle", *chunks)
    m = read(write_dv(tmp_path / "t.dv", _spec(False, titles=titles)))
    assert m.cockpit is not None
    assert [d.wavelength_nm for d in m.cockpit.devices] == [405, 488, 561]
    assert all(d.exposures_ms == [12.5] and d.power_mw == 1.0 for d in m.cockpit.devices)
    assert m.cockpit.si_order == "Z, Phase, Angle"


def test_processed_widefield_and_unknown_lens(tmp_path: Path) -> None:
    m = read(write_dv(tmp_path / "cell_SIR.dv", _spec(False, pixel_type=2, lens_id=4242)))
    assert m.role == "processed"
    assert any(f.code == "dv.unknown_lens" for f in m.findings) and m.lens is None
    fields = {c.field: c for c in candidates(m)}
    assert fields["processed.color_depth"].value == 32
    assert fields["processed.voxel_size"].precedence is Precedence.PROCESSED_HEADER
    assert fields["processed.dimensions"].value.z == 4
    assert "raw.dimensions" not in fields
    m2 = read(write_dv(tmp_path / "wf.dv", _spec(False, titles=(), lens_id=4242)))
    assert m2.role == "widefield"
    obj = {c.field: c for c in candidates(m2)}["setup.objective"]
    assert obj.value.lens_id == 4242 and obj.value.na is None  # an ID, not a guess


def test_otf_by_name(tmp_path: Path) -> None:
    m = read(write_dv(tmp_path / "otf_528.dv", _spec(False, titles=())))
    assert m.role == "otf"


def test_new_type_block(tmp_path: Path) -> None:
    raw = bytearray(dv_bytes(_spec(False, image_type=100, titles=COCKPIT_TITLES[:2])))
    struct.pack_into("<d", raw, 844, 1_600_000_000.0)
    struct.pack_into("<i", raw, 880, 1)
    path = tmp_path / "n.dv"
    path.write_bytes(bytes(raw))
    m = read(path)
    assert m.new_type is not None and m.new_type.acquisition_time == "2020-09-13T12:26:40+00:00"
    assert m.new_type.n_panels == 1
    struct.pack_into("<i", raw, 880, -5)
    path.write_bytes(bytes(raw))
    m = read(path)
    assert m.new_type is None and any(f.code == "dv.new_type_insane" for f in m.findings)


def test_no_ext_header_when_next_is_zero(tmp_path: Path) -> None:
    m = read(write_dv(tmp_path / "z.dv", _spec(False, sections=None)))
    assert m.ext_header is None
    assert "acquisition.channels" not in {c.field for c in candidates(m)}
    assert "setup.lasers" not in {c.field for c in candidates(m)}  # never from emission


def test_garbage_floats_left_unknown(tmp_path: Path) -> None:
    secs = _sections(4, 3, 2, 1)
    secs[0].floats[8] = float("nan")
    secs[1].floats[10] = 1e-40  # denormal
    m = read(write_dv(tmp_path / "g.dv", _spec(False, sections=secs)))
    assert m.ext_header is not None
    assert m.ext_header.sections[0].exposure_s is None
    assert m.ext_header.sections[1].excitation_nm is None
    assert any(f.code == "dv.ext_header_garbage" for f in m.findings)
