"""Chromagnon chromatic-shift files → SIM ``chromatic_shift.*`` candidates (never opens a file).

``chromatic_shift.transform`` holds one `ChromaticTransform` per time point x non-reference
wavelength: translations ``tz, ty, tx`` in pixels, ``rz`` in degrees, ``mz, my, mx``
dimensionless (units stated in the source's transform text).
"""

from __future__ import annotations

from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.readers.chromatic import ChromaticModel
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import ChromaticTransform, Software

__all__ = ["candidates"]

READER = "chromatic"
UNITS = "tz, ty, tx in pixels; rz in degrees; mz, my, mx dimensionless"


def candidates(model: ChromaticModel) -> list[Candidate]:
    """Table 1 candidates of one Chromagnon parameter file."""
    out = [
        Candidate(
            field="chromatic_shift.software",
            kind=DatasetKind.SIM,
            value=Software(name=model.software, version=model.version),
            source=Source.file(
                model.path,
                READER,
                f"line {model.header_line}" if model.header_line else "file layout",
                "Chromagnon .chromagnon.csv layout",
            ),
            precedence=Precedence.LOG,
        )
    ]
    ref = model.reference_wavelength_nm
    rows = [r for r in model.rows if ref is None or r.wavelength_nm != ref]
    if rows:
        value = [
            ChromaticTransform(
                reference_wavelength_nm=ref,
                wavelength_nm=r.wavelength_nm,
                timepoint=r.t,
                tz=r.tz,
                ty=r.ty,
                tx=r.tx,
                rz=r.rz,
                mz=r.mz,
                my=r.my,
                mx=r.mx,
            )
            for r in rows
        ]
        lines = ", ".join(str(r.line) for r in rows)
        refloc = f"; refwave line {model.refwave_line}" if model.refwave_line else ""
        out.append(
            Candidate(
                field="chromatic_shift.transform",
                kind=DatasetKind.SIM,
                value=value,
                source=Source.file(
                    model.path,
                    READER,
                    f"rows at lines {lines}{refloc}",
                    f"{UNITS}; reference wavelength resolved from the refwave index",
                ),
                precedence=Precedence.LOG,
            )
        )
    return out
