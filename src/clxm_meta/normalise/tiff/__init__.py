"""TIFF / OME-TIFF / ImageJ-TIFF format model → Table 1 candidates.

Which dataset a TIFF belongs to is decided from evidence in the file, never from its name:

- **txrm2tiff output** (Software ``txrm2tiff x.y.z``) → SXT raw data rows: ``raw.format``
  ``"OME-TIFF"``, ``raw.dimensions``, ``raw.pixel_type``, ``setup.pixel_size`` and the derived
  ``setup.field_of_view``, ``acquisition.exposure`` from the OME planes, ``acquisition.n_frames``
  from SizeZ (txrm2tiff stacks the projections in Z; a single plane is either one projection or a
  stitched mosaic, so it gives no frame count), ``general.collection_date`` from AcquisitionDate.
  ``raw.type`` is *not* proposed: a float32 txrm2tiff file usually means that the reference was
  applied (image·100/reference), but a TXRM can hold float32 images itself, and this file cannot tell
  the two apart.
- **fluorescence OME-TIFF** (a channel with an excitation or emission wavelength), or an **ImageJ /
  plain / OME stack whose Z count is a multiple of 15** (3 angles × 5 phases per focal plane, e.g.
  cudasirecon's raw.tif, 135 = 9 × 15) → SIM raw data rows, as far as the file goes.
- **anything else**, including a CImg OTF (``otf_like``; an attachment, not raw data) → no candidate.

Detector and software (SIM only): ``setup.detector`` from the OME Instrument's Detector,
``acquisition.detector_settings`` from the channels' OME DetectorSettings (Binning, Gain; the
Detector's Gain when no channel states one). ``acquisition.software`` is the program that wrote
the file as the file states it: tag Software (305), else the ImageJ description's ``ImageJ=`` key,
else the OME ``Creator``; for a converted copy that is the converter rather than the acquisition
program, which its source says, and it ranks lowest (`Precedence.ASSUMPTION`), below a DV title.

Precedence: a TIFF of microscope data is, in this workflow, a converted copy of the original file
(txrm2tiff of a .txrm, Fiji of a .dv). Values read from it therefore use
`Precedence.PROCESSED_HEADER`, below the original TXRM/DV header; values computed from them use
`Precedence.DERIVED`, and the SIM stack height, which assumes 15 images per plane,
`Precedence.ASSUMPTION`.
"""

from __future__ import annotations

from clxm_meta.normalise.candidate import Candidate
from clxm_meta.normalise.tiff.geometry import _geometry
from clxm_meta.normalise.tiff.sim import _sim
from clxm_meta.normalise.tiff.sim_layout import SIM_IMAGES_PER_PLANE, _fluorescence, _sim_like_z
from clxm_meta.normalise.tiff.sxt import _sxt
from clxm_meta.readers.base import FormatModel
from clxm_meta.readers.tiff import TiffMetadata

__all__ = ["SIM_IMAGES_PER_PLANE", "candidates", "sim_evidence"]


def sim_evidence(model: FormatModel) -> tuple[str, bool] | None:
    """Why a TIFF is taken as SIM data, and whether that is a guess; ``None`` when it is not.

    The same rule as `candidates`: OME channels with excitation / emission wavelengths are
    evidence; a single-channel size Z that is a multiple of 15 (3 angles × 5 phases) is a guess.
    """
    if not isinstance(model, TiffMetadata) or model.otf_like or model.flavour == "txrm2tiff":
        return None
    if _fluorescence(model):
        return "OME channels carry excitation/emission wavelengths: fluorescence (SIM) data", False
    geo = _geometry(model)
    if _sim_like_z(geo) and geo.z is not None:
        return (
            f"size Z {geo.z.value} is a multiple of 15 (3 angles × 5 phases), which the file "
            "does not state: taken as a raw 3D-SIM stack",
            True,
        )
    return None


def candidates(model: FormatModel) -> list[Candidate]:
    """Table 1 candidates of one TIFF format model (see the module docstring for the rules)."""
    if not isinstance(model, TiffMetadata) or model.otf_like:
        return []
    if model.flavour == "txrm2tiff":
        return _sxt(model)
    geo = _geometry(model)
    if _fluorescence(model) or _sim_like_z(geo):
        return _sim(model, geo)
    return []
