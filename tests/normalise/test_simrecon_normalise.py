"""Which SIM reconstruction value wins when a config and a log are read together."""

from __future__ import annotations

from pathlib import Path

import clxm_meta
from clxm_meta.normalise.build import candidates_for


def test_fitted_angles_win_over_config_whatever_the_order() -> None:
    import clxm_meta
    from conftest import real_path

    log = real_path("simlog/simrecon-notebook__processing_simple_simrecon_cell7.log")
    config = real_path("simlog/cudasirecon__config")
    for files in ([log, config], [config, log]):
        [record] = clxm_meta.records_from_files(files)
        slot = record.acquisition.diffraction_angle
        assert slot is not None
        assert slot.value == [1.360194, 0.313396, -0.734061]
        assert slot.source.path == str(log)
        # nominal (config) vs fitted (log) angles differ: reported, not silently dropped
        assert "normalise.disagreement" in [f.code for f in record.findings]


def test_pysimrecon_log_settings_per_channel(tmp_path: Path) -> None:
    """Issue 22: the settings of the config the reconstruction used (wiener, zoom, NA, nimm)."""
    from writers.simlog import ChannelFit, pysimrecon_log_text

    path = tmp_path / "cell1_recon.log"
    path.write_text(pysimrecon_log_text([ChannelFit(525), ChannelFit(605)]))
    cands = {c.field: c for c in candidates_for(clxm_meta.read(path))}
    first = cands["processing.per_channel"].value[0]
    assert (first.wiener, first.na, first.immersion_index) == (0.001, 0.9, 1.0)
    assert "settings at lines" in cands["processing.per_channel"].source.locator


def test_pysimrecon_channel_cfg_with_inline_comments(tmp_path: Path) -> None:
    from writers.b24 import pysimrecon_channel_cfg_text

    path = tmp_path / "525.cfg"
    path.write_text(pysimrecon_channel_cfg_text(na=0.9, nimm=1.0))
    model = clxm_meta.read(path)
    assert model.parameters["nphases"].value == 5.0  # "5       # Number of phases"
    cands = {c.field: c for c in candidates_for(model)}
    assert cands["processing.software"].value.name == "PySIMRecon"
    assert (cands["setup.objective"].value.na, cands["setup.objective"].value.immersion) == (
        0.9,
        "refractive index 1",
    )


def test_reconstruction_waves_get_the_raw_dv_wavelengths() -> None:
    """cudasirecon numbers its waves; the raw DV of the same dataset names their wavelengths."""
    from pathlib import Path

    import clxm_meta
    from clxm_meta.records.provenance import SourceKind

    example = Path(__file__).resolve().parents[2] / "examples" / "deposition"
    rec = clxm_meta.scan(example).record("sample1/SIM/cell1")
    rows = rec.acquisition.linewidth_per_k0
    assert rows is not None
    assert {(r.channel, r.wavelength_nm) for r in rows.value} == {
        ("wave 0", 525.0),
        ("wave 1", 609.0),
    }
    assert rows.source.kind is SourceKind.DERIVED
    assert "cell1.dv header wave1..wave5" in str(rows.source.locator)
    assert "emission wavelength of wave N" in str(rows.source.transform)
    per = rec.processing.per_channel
    assert per is not None and [c.wavelength_nm for c in per.value] == [525.0, 609.0]
