"""Which SIM reconstruction value wins when a config and a log are read together."""

from __future__ import annotations


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
