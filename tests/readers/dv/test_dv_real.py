"""The real DV samples: header values cross-checked against the raw bytes, and against peers."""

from __future__ import annotations

import struct

import numpy as np
import pytest

import clxm_meta
from clxm_meta.normalise.build import build_record
from clxm_meta.normalise.dv import candidates
from clxm_meta.readers.dv import read
from conftest import real_path

TOXO = "dv/tlambert03-mrc__toxo.dv"
RAW = "dv/cudasirecon__raw.dv"
OTF = "dv/cudasirecon__otf.dv"


def _f32(value: float) -> float:
    return float(np.float32(value))


def test_toxo_header_matches_raw_bytes() -> None:
    path = real_path(TOXO)
    head = path.read_bytes()[:1024]
    m = read(path)
    h = m.header
    nx, ny, ns, mode = struct.unpack_from("<4i", head, 0)
    assert (h.nx, h.ny, h.n_sections, h.pixel_type) == (nx, ny, ns, mode) == (128, 128, 34, 6)
    assert h.dtype == "<u2" and h.byte_order == "little"
    dx, dy, dz = struct.unpack_from("<3f", head, 40)
    assert (_f32(h.dx_um), _f32(h.dy_um), _f32(h.dz_um)) == (dx, dy, dz)  # type: ignore[arg-type]
    assert (h.dx_um, h.dy_um, h.dz_um) == (0.13262, 0.13262, 0.3)
    assert m.n_waves == 2 and m.n_times == 1 and m.nz == 17
    assert m.wavelengths_nm == list(struct.unpack_from("<2h", head, 198)) == [525, 632]
    assert h.lens_id == struct.unpack_from("<h", head, 162)[0] == 10003
    assert m.lens is not None and m.lens.na == 1.35 and m.lens.magnification == 100
    # per-wave min/max: wave 1 at 76/80, wave 2 at 136/140
    assert (m.intensity[0].min, m.intensity[0].max) == struct.unpack_from("<2f", head, 76)
    assert (m.intensity[1].min, m.intensity[1].max) == struct.unpack_from("<2f", head, 136)
    assert (m.intensity[0].min, m.intensity[0].max, m.intensity[1].max) == (40, 3545, 7657)
    # Title count: the int16 at 222 (4). The int32 at 220 (which the `mrc` package uses as
    # `hdr.ntiles`) reads 262146 here because the int16 at 220 holds 2: it is wrong for such files.
    assert h.n_titles == struct.unpack_from("<h", head, 222)[0] == 4
    assert h.n_titles_i4_220 == 262146
    assert len(m.titles) == 4 and m.titles[0] == ""
    assert m.titles[1] == "IMGCORR:  Norm=on  Method=1"
    assert m.titles[3].startswith("DECON3D:") and not m.titles[3].endswith(" ")
    assert m.ext_header is None and any(f.code == "dv.ext_header_absent" for f in m.findings)
    assert m.role == "widefield"
    assert m.processing_history == ["IMGCORR", "DECON3D"]


def test_raw_sim_header_matches_raw_bytes() -> None:
    path = real_path(RAW)
    head = path.read_bytes()[:1024]
    m = read(path)
    h = m.header
    assert (h.nx, h.ny, h.n_sections) == struct.unpack_from("<3i", head, 0) == (64, 64, 135)
    assert h.dtype == "<f4"
    assert (h.dx_um, h.dy_um, h.dz_um) == (0.08, 0.08, 0.125)
    assert m.wavelengths_nm == [528]
    assert h.lens_id == 10612 and m.lens is not None and m.lens.na == 1.42
    assert m.lens.immersion == "Oil" and m.lens.working_distance_mm == 0.15
    assert (h.n_ints, h.n_floats, h.ext_header_bytes) == (8, 32, 0)
    assert m.ext_header is None  # next = 0: pixel bytes are not metadata
    # values are the stored float32, written in their shortest round-tripping decimal form
    assert np.float32(m.intensity[0].min) == np.float32(struct.unpack_from("<f", head, 76)[0])
    assert m.role == "raw_sim" and m.sim is not None
    assert (m.sim.nz, m.sim.angles, m.sim.phases) == (9, 3, 5)
    assert m.sim.counts_source == "assumption"
    assert m.new_type is None  # type 100, but bytes 544-1023 are zero


def test_otf_role() -> None:
    m = read(real_path(OTF))
    assert m.role == "otf" and m.header.dtype == "<c8"
    assert (m.header.nx, m.header.ny, m.header.n_sections) == (65, 129, 3)
    cands = candidates(m)
    assert [c.field for c in cands] == ["processing.otf_files"]


@pytest.mark.parametrize("name", [TOXO, RAW])
def test_peer_mrc_agrees_on_header(name: str) -> None:
    mrc = pytest.importorskip("mrc")
    path = real_path(name)
    ours = read(path)
    with mrc.DVFile(str(path)) as peer:
        hdr = peer.hdr
        assert (hdr.width, hdr.height, hdr.n_sections) == (
            ours.header.nx,
            ours.header.ny,
            ours.header.n_sections,
        )
        assert tuple(_f32(v) for v in peer.voxel_size) == tuple(
            _f32(v)  # type: ignore[arg-type]
            for v in (ours.header.dx_um, ours.header.dy_um, ours.header.dz_um)
        )
        assert hdr.lens_num == ours.header.lens_id
        assert peer.lens == (ours.lens.name if ours.lens else "")


def test_records_validate_for_real_files() -> None:
    for name in (TOXO, RAW, OTF):
        m = clxm_meta.read(real_path(name))
        record = build_record("SIM", candidates(m), name="x")  # type: ignore[arg-type]
        assert not [f for f in record.findings if f.code == "normalise.bad_value"]
