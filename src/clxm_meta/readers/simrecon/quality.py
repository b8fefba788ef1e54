"""Quality flags on SIM reconstruction fits, reported as findings (never as changed values).

Thresholds, and why they are what they are (deliberately conservative: a flag means "look at this
fit", not "the reconstruction is wrong"):

``MODAMP_MAX = 10`` (combined modulation amplitude, any order)
    The modulation depth of an illumination order is physically at most 1 (Gustafsson et al. 2008,
    Biophys J 94:4957: each information band is the object spectrum weighted by the modulation
    depth of its order).
    sirecon/cudasirecon print an OTF-weighted ratio that is not normalised to that bound, so values
    of a few occur in good runs (the real cell7 log of the Janelia CPU sirecon: order-2 combined
    amplitudes 2.72-3.53). An amplitude an order of magnitude above 1 means the fit locked onto
    noise (same log, direction 0, order 1: 23.6 with correlation coefficient 0.024; cell8 log:
    84.2, 40.7, 15.4 with correlations 0.017-0.10). This is why cudasirecon offers ``forcemodamp``.
``MODAMP_MIN = 0`` (exclusive)
    A zero or negative amplitude is no modulation at all.
``BEST_FIT_MAX_PERCENT = 10``
    "best fit for k0 is P percent off expected value" compares the optimised k0 with the one
    expected from the configured angle and line spacing. cudasirecon itself prefixes the line with
    ``WARNING:`` above its own threshold (reported verbatim as ``simrecon.log_warning``); we flag
    above 10 %, which the real CPU-sirecon logs (4.7-8.3 %, no warning) stay under.

Findings: ``simrecon.modamp_implausible`` and ``simrecon.best_fit_far`` (warnings), with the line.
"""

from __future__ import annotations

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.simrecon.model import ReconRun

__all__ = ["BEST_FIT_MAX_PERCENT", "MODAMP_MAX", "MODAMP_MIN", "check_runs"]

MODAMP_MAX = 10.0
MODAMP_MIN = 0.0
BEST_FIT_MAX_PERCENT = 10.0


def _label(run: ReconRun) -> str:
    if run.channel is not None:
        return run.channel if run.channel.startswith("wave") else f"channel {run.channel}"
    if run.wave_index is not None:
        return f"wave {run.wave_index}"
    return f"run {run.index}"


def check_runs(runs: list[ReconRun], findings: FindingCollector) -> None:
    """Add quality findings for every run (see the module docstring for the thresholds)."""
    for run in runs:
        for d in run.directions:
            for fit in d.fits:
                amp = fit.combined_amp
                if amp is None:
                    continue
                if amp <= MODAMP_MIN or amp > MODAMP_MAX:
                    order = f"order {fit.order}" if fit.order is not None else "an order"
                    corr = (
                        f", correlation coefficient {fit.correlation:g}"
                        if fit.correlation is not None
                        else ""
                    )
                    findings.warning(
                        "modamp_implausible",
                        f"{_label(run)}, direction {d.direction}, {order}: combined modulation "
                        f"amplitude {amp:g} is outside the plausible range "
                        f"({MODAMP_MIN:g}, {MODAMP_MAX:g}]{corr}; the fit may have failed",
                        locator=f"line {fit.combined_line or fit.line}",
                    )
            if d.best_fit_percent is not None and d.best_fit_percent > BEST_FIT_MAX_PERCENT:
                findings.warning(
                    "best_fit_far",
                    f"{_label(run)}, direction {d.direction}: optimised k0 is "
                    f"{d.best_fit_percent:g} % off the expected value (> {BEST_FIT_MAX_PERCENT:g} %): "
                    "check the configured angles and line spacing",
                    locator=f"line {d.best_fit_line}",
                )
