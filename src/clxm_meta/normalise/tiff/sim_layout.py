"""Raw 3D-SIM layout: is a TIFF SIM data, and its focal planes and stack height from size Z."""

from __future__ import annotations

from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.normalise.tiff.common import READER, _cand, _file, _join
from clxm_meta.normalise.tiff.geometry import _Geometry, _pixels
from clxm_meta.readers.tiff import TiffMetadata
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.provenance import Source

SIM_IMAGES_PER_PLANE = 15
"""3 illumination angles × 5 phases: the usual raw 3D-SIM layout (Table 1's stack-height formula)."""


def _fluorescence(model: TiffMetadata) -> bool:
    _, px = _pixels(model)
    return px is not None and any(
        c.excitation_nm is not None or c.emission_nm is not None for c in px.channels
    )


def _sim_like_z(geo: _Geometry) -> bool:
    nz = geo.z.value if geo.z is not None else None
    nc = geo.c.value if geo.c is not None else 1
    return (
        isinstance(nz, int)
        and nz >= SIM_IMAGES_PER_PLANE
        and nz % SIM_IMAGES_PER_PLANE == 0
        and nc in (None, 1)
    )


def _focal(model: TiffMetadata, geo: _Geometry) -> list[Candidate]:
    """Focal planes and stack height from one reading of the Z layout.

    A size Z that is a multiple of 15 is read as a raw 3D-SIM stack with angles × phases folded
    into Z (3 × 5, which the file does not state): both rows then use Z / 15 planes, and the
    assumption is stated once, on ``acquisition.n_focal_planes``. Any other size Z is taken as the
    number of focal planes itself.
    """
    if geo.z is None or not isinstance(geo.z.value, int):
        return []
    kind = DatasetKind.SIM
    nz = geo.z.value
    out: list[Candidate] = []
    if nz % SIM_IMAGES_PER_PLANE == 0 and nz >= SIM_IMAGES_PER_PLANE:
        planes = nz // SIM_IMAGES_PER_PLANE
        out.append(
            _cand(
                kind,
                "acquisition.n_focal_planes",
                planes,
                Source.assumption(
                    model.path,
                    READER,
                    geo.z.locator,
                    f"size Z {nz} / {SIM_IMAGES_PER_PLANE}: a raw 3D-SIM stack with 3 angles × "
                    f"5 phases per focal plane folded into Z (cudasirecon and B24 defaults; the "
                    f"file does not record them), so {nz} images = {planes} planes × "
                    f"{SIM_IMAGES_PER_PLANE}",
                ),
                precedence=Precedence.ASSUMPTION,
            )
        )
        if geo.pz is not None:
            out.append(
                _cand(
                    kind,
                    "acquisition.stack_height",
                    (planes - 1) * geo.pz.value,
                    Source.assumption(
                        model.path,
                        READER,
                        _join(geo.z, geo.pz),
                        f"(planes − 1) × Z step = ({planes} − 1) × {geo.pz.value:g}, with the "
                        "planes of acquisition.n_focal_planes (same assumption)",
                    ),
                    unit="µm",
                    precedence=Precedence.ASSUMPTION,
                )
            )
        return out
    out.append(_cand(kind, "acquisition.n_focal_planes", nz, _file(model, geo.z)))
    if geo.pz is not None:
        out.append(
            _cand(
                kind,
                "acquisition.stack_height",
                (nz - 1) * geo.pz.value,
                Source.derived(
                    model.path,
                    READER,
                    _join(geo.z, geo.pz),
                    f"(size Z − 1) × Z step = ({nz} − 1) × {geo.pz.value:g}",
                ),
                unit="µm",
                precedence=Precedence.DERIVED,
            )
        )
    return out
