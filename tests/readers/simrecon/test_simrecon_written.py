"""SIM reconstruction dialects with no real sample: written by tests/writers/simlog.py."""

from __future__ import annotations

from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.errors import MalformedFileError
from clxm_meta.normalise.build import build_records, candidates_for
from clxm_meta.readers.registry import detect, detect_bytes
from clxm_meta.readers.simrecon import SimreconModel
from clxm_meta.readers.simrecon.sniff import sniff
from writers.simlog import (
    ChannelFit,
    DirectionSpec,
    cudasirecon_config_text,
    cudasirecon_log_text,
    pysimrecon_config_ini_text,
    pysimrecon_log_text,
)


def _write(tmp_path: Path, name: str, text: str) -> SimreconModel:
    path = tmp_path / name
    path.write_text(text, newline="")
    model = clxm_meta.read(path)
    assert isinstance(model, SimreconModel)
    return model


def test_cudasirecon_stdout(tmp_path: Path) -> None:
    model = _write(tmp_path, "recon.log", cudasirecon_log_text())
    assert (model.kind, model.dialect, model.software) == (
        "cudasirecon_log",
        "cudasirecon",
        "cudasirecon",
    )
    (run,) = model.runs
    assert run.completed and run.wave_index == 0 and run.channel == "wave 0"
    assert run.parameters["dxy"].value == 0.08 and run.parameters["dxy"].unit is None
    d0 = run.directions[0]
    assert d0.k0_vector_unit == "px"
    assert (d0.k0_angle_rad, d0.k0_length_per_um) == (-0.8043, 2.457)
    assert d0.line_spacing_um == pytest.approx(1 / 2.457, abs=1e-6)
    assert d0.best_fit_percent == 1.5
    assert [(f.order, f.combined_amp, f.correlation) for f in d0.fits] == [
        (2, 0.85, 0.62),
        (1, 0.95, 0.71),
    ]
    assert model.unknown_lines == []
    assert not [f for f in model.findings if f.severity != "info"]


def test_cudasirecon_two_waves_and_warning(tmp_path: Path) -> None:
    bad = DirectionSpec(angle=0.5, length=2.0, best_fit_percent=14.2, amp1=25.0, warning=True)
    text = cudasirecon_log_text(
        [ChannelFit(525), ChannelFit(605, directions=[bad, bad, bad])], ntimes=2
    )
    model = _write(tmp_path, "cell_605nm.log", text)
    assert [(r.timepoint, r.wave_index) for r in model.runs] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    codes = [f.code for f in model.findings]
    assert "simrecon.log_warning" in codes
    assert "simrecon.best_fit_far" in codes
    assert "simrecon.modamp_implausible" in codes
    assert model.runs[1].directions[0].best_fit_warning
    # name says 605 nm: used as channel identity with its source
    assert model.runs[0].wavelength_source == "file name cell_605nm.log"
    cands = {c.field: c for c in candidates_for(model)}
    # one entry per channel (first time point)
    assert len(cands["processing.per_channel"].value) == 1


def test_pysimrecon_log_two_channels(tmp_path: Path) -> None:
    model = _write(tmp_path, "cell1_recon.log", pysimrecon_log_text())
    assert model.kind == "pysimrecon_log" and model.software == "PySIMRecon"
    assert model.software_line == 1
    assert model.reconstructed_file == "/dls/b24/data/2024/cm12345-1/cell1.dv"
    assert model.outputs == ["/dls/b24/data/2024/cm12345-1/processed/cell1_recon.dv"]
    assert [(r.channel, r.wavelength_nm) for r in model.runs] == [("525", 525.0), ("605", 605.0)]
    assert model.runs[0].wavelength_source == "log line 5"
    assert model.runs[0].parameters["na"].value == 0.9
    assert model.runs[0].parameters["na"].origin == "config"
    assert [o.path for o in model.otf_files] == [
        "/dls/b24/otfs/525_OTF.tiff",
        "/dls/b24/otfs/605_OTF.tiff",
    ]
    assert "_recon: PySIMRecon output/log naming (<stem>_recon[_<nm>])" in model.name_hints
    (record,) = build_records([model])
    assert record.processing.software is not None
    assert record.processing.software.value.name == "PySIMRecon"
    assert record.processing.otf_files is not None
    otfs = record.processing.otf_files.value
    assert [o.path for o in otfs] == [o.path for o in model.otf_files]
    assert record.processing.per_channel is not None
    chans = record.processing.per_channel.value
    assert [c.wavelength_nm for c in chans] == [525.0, 605.0]
    assert record.acquisition.linewidth_per_k0 is not None
    assert len(record.acquisition.linewidth_per_k0.value) == 6


def test_pysimrecon_log_truncated_in_config(tmp_path: Path) -> None:
    text = pysimrecon_log_text()
    cut = text[: text.index("-" * 80)]
    model = _write(tmp_path, "x_recon.log", cut)
    codes = [f.code for f in model.findings]
    assert "simrecon.channel_block_truncated" in codes
    assert "simrecon.channel_without_output" in codes
    assert model.runs[0].directions == []


def test_pysimrecon_config_ini(tmp_path: Path) -> None:
    path = tmp_path / "config.ini"
    path.write_text(pysimrecon_config_ini_text())
    assert detect(path).name == "simrecon"
    model = clxm_meta.read(path)
    assert isinstance(model, SimreconModel)
    assert model.kind == "pysimrecon_config"
    assert [(o.channel, o.path, o.line) for o in model.otf_files] == [
        ("525", "/dls/b24/otfs/525_OTF.tiff", 8),
        ("605", "/dls/b24/otfs/605_OTF.tiff", 9),
    ]
    cands = {c.field: c for c in candidates_for(model)}
    assert cands["processing.otf_files"].source.locator == "lines 8, 9"
    # [configs]/[otfs] are PySIMRecon's own layout: the software, without a version (issue 22)
    assert cands["processing.software"].value.name == "PySIMRecon"
    assert cands["processing.software"].value.version is None


def test_pysimrecon_channel_cfg(tmp_path: Path) -> None:
    text = (
        "[otf config]\nna=0.9\nangle=-0.264228\nbeaddiam=0.17\n\n[recon config]\n"
        "# comment\nna=0.85\nk0angles=-0.264228,1.829976,-2.353254\nls=0.2035\nnimm=1\n"
    )
    model = _write(tmp_path, "525.cfg", text)
    assert model.kind == "config"
    assert model.parameters["na"].value == 0.85
    assert model.k0angles_rad == [-0.264228, 1.829976, -2.353254] and model.k0angles_line == 9


def test_softworx_log_recognised_not_mined(tmp_path: Path) -> None:
    model = _write(tmp_path, "cell1_SIR.log", "Image file: cell1.dv\ntype: SI\nwavelength: 525\n")
    assert model.kind == "softworx_log"
    assert "_SIR: softWoRx SI-reconstruction output naming" in model.name_hints
    assert "simrecon.softworx_undocumented" in [f.code for f in model.findings]
    assert [e.key for e in model.config] == ["Image file", "type", "wavelength"]
    assert candidates_for(model) == []


def test_sniff_is_specific() -> None:
    assert not sniff("align.log", b"TILTALIGN  Version 4.11\n residual error mean 1.2\n")
    assert not sniff("tilt.log", b"nphases is a word\n")
    assert sniff("x.log", b"nphases=5, ndirs=3\nnx=1\n")
    assert sniff("config", b"ndirs=3\nnphases=5\n")
    assert not sniff("config", b"foo=1\nbar=2\n")
    assert not sniff("notes.txt", b"ndirs=3\nnphases=5\n")
    assert detect_bytes(b"type: SI\n", "x.log") is not None


def test_unrecognised_text_is_library_error(tmp_path: Path) -> None:
    path = tmp_path / "x.log"
    path.write_text("hello\nworld\n")
    with pytest.raises(MalformedFileError):
        clxm_meta.read(path, format="simrecon")


def test_config_with_otf_file_key(tmp_path: Path) -> None:
    model = _write(tmp_path, "config", cudasirecon_config_text(otf_file="otf.tif", wavelength=528))
    assert model.parameters["wavelength"].value == 528
    assert model.parameters["wavelength"].unit == "nm"
    assert [o.path for o in model.otf_files] == ["otf.tif"]
