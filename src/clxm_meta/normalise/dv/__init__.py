"""SIM Table 1 candidates from a `DvFile` (DeltaVision / Priism). Never opens a file.

Rules (see docs/dv.md):

* A raw stack (role ``raw_sim``, ``widefield`` or ``unknown``) proposes ``setup.*``,
  ``acquisition.*`` and ``raw.*`` rows at `Precedence.HEADER`; values computed from several header
  fields (field of view, stack height, focal planes) are `Precedence.DERIVED` with the formula in
  the source's transform; values that rest on the 3 angles × 5 phases default are
  `Precedence.ASSUMPTION` and say so.
* A reconstruction (role ``processed``) proposes ``processed.*`` rows at
  `Precedence.PROCESSED_HEADER` (plus its emission wavelengths and date, which a reconstruction
  copies from the raw header).
* An OTF proposes itself as ``processing.otf_files``.
* Excitation comes only from extended-header float 10 (never from emission); exposure from float 8
  or, when that is 0 (Cockpit), from the Cockpit light entry whose wavelength equals the channel's
  excitation.
* ``setup.detector`` and ``acquisition.detector_settings`` come from a Cockpit ``[camera: ...]``
  title entry, when it names the camera / states a setting (the DV header has no binning, gain or
  camera field). ``acquisition.software`` comes from a title that names the program
  (`Precedence.HEADER`) or, failing that, from the title layout only Cockpit writes (a
  ``Date & time:`` title then ``[device type: ...]`` blocks; `Precedence.DERIVED`, no version, and
  the source's transform says it is read from the layout).
"""

from __future__ import annotations

from clxm_meta.normalise.candidate import Candidate
from clxm_meta.normalise.dv.common import _Out
from clxm_meta.normalise.dv.processed import _otf, _processed
from clxm_meta.normalise.dv.raw import _raw
from clxm_meta.readers.dv.model import DvFile

__all__ = ["candidates"]


def candidates(model: DvFile) -> list[Candidate]:
    """Return the SIM Table 1 candidates of one DV file (see the module docstring)."""
    out = _Out(model)
    if model.role == "otf":
        _otf(out)
    elif model.role == "processed":
        _processed(out)
    else:
        _raw(out)
    return out.items
