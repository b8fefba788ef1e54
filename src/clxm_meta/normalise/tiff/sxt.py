"""txrm2tiff output → SXT raw data candidates (the rules are in the package docstring)."""

from __future__ import annotations

from clxm_meta.normalise.candidate import Candidate
from clxm_meta.normalise.tiff.common import READER, _cand, _common, _date, _instrument_name
from clxm_meta.normalise.tiff.geometry import _geometry, _pixels
from clxm_meta.readers.tiff import TiffMetadata
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import ExposureSummary


def _exposure(model: TiffMetadata) -> Candidate | None:
    _, px = _pixels(model)
    if px is None:
        return None
    times = [p.exposure_s for p in px.planes if p.exposure_s is not None]
    if not times:
        return None
    constant = max(times) - min(times) <= 1e-9 * max(abs(max(times)), 1.0)
    summary = ExposureSummary(
        value_s=times[0] if constant else None,
        min_s=min(times),
        max_s=max(times),
        n_images=len(times),
        type="constant" if constant else "variable",
    )
    transform = f"summary of {len(times)} plane exposure(s), s"
    if model.flavour == "txrm2tiff" and len(px.planes) == 1:
        transform += "; for a stitched mosaic txrm2tiff writes the mean tile exposure"
    src = Source.derived(model.path, READER, "OME Image[0]/Pixels/Plane[*]@ExposureTime", transform)
    return _cand(DatasetKind.SXT, "acquisition.exposure", summary, src, unit="s")


def _sxt(model: TiffMetadata) -> list[Candidate]:
    kind = DatasetKind.SXT
    geo = _geometry(model)
    out = _common(model, kind, geo, with_z=False)
    exposure = _exposure(model)
    if exposure is not None:
        out.append(exposure)
    _, px = _pixels(model)
    if px is not None and px.size_z is not None and px.size_z > 1:
        out.append(
            _cand(
                kind,
                "acquisition.n_frames",
                px.size_z,
                Source.file(
                    model.path,
                    READER,
                    "OME Image[0]/Pixels@SizeZ",
                    "txrm2tiff stacks the projections in Z",
                ),
            )
        )
    out += _date(model, kind)
    out += _instrument_name(model, kind)
    return out
