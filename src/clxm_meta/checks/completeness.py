"""Completeness: for every Table 1 row of a record, is it filled, and if not, who can fill it.

Status of a row:

- ``file`` / ``derived`` / ``assumption`` / ``sidecar``: filled, and how;
- ``missing_minable``: empty, but a file would carry it (origin file / reconstruction / attached):
  the hint names the file that is absent from the dataset;
- ``missing_facility``: empty; the facility knows it (origin facility);
- ``missing_depositor``: empty; only the depositor knows it (sidecar).

The score is the share of rows filled (0-1).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from clxm_meta.records.fields import fields_for
from clxm_meta.records.models import Record

__all__ = ["MINABLE_FROM", "Completeness", "RowStatus", "completeness"]

MINABLE_FROM: dict[str, str] = {
    "general.collection_date": "raw DV / TXRM / TIFF header",
    "general.instrument": "TXRM header or DV titles",
    "correlation.transform": "a correlation transform file (4x4 matrix text, eC-CLEM XML)",
    "setup.lasers": "raw DV extended header",
    "setup.emission_filters": "raw DV header",
    "setup.pixel_size": "raw DV / TXRM header",
    "setup.field_of_view": "raw DV / TXRM header",
    "setup.energy": "TXRM header",
    "acquisition.n_excitation_wavelengths": "raw DV header",
    "acquisition.channels": "raw DV extended header",
    "acquisition.n_focal_planes": "raw DV header",
    "acquisition.stack_height": "raw DV header",
    "acquisition.diffraction_angle": "SIM reconstruction log (k0 angles)",
    "acquisition.si_acquired_order": "raw DV titles",
    "acquisition.si_reported_order": "raw DV titles",
    "acquisition.software": "raw DV titles",
    "acquisition.mosaic": "a mosaic file in the dataset folder",
    "acquisition.exposure": "TXRM header",
    "acquisition.n_frames": "TXRM / MRC tilt series header",
    "raw.format": "the raw file",
    "raw.dimensions": "the raw file's header",
    "raw.pixel_type": "the raw file's header",
    "raw.intensity_range": "raw DV header",
    "raw.brightfield_stack": "a brightfield stack file",
    "raw.non_referenced_file": "a non-referenced raw file",
    "processing.software": "SIM reconstruction log / IMOD logs",
    "processing.otf_files": "an OTF file or a log naming it",
    "processing.per_channel": "SIM reconstruction log",
    "processing.reference_image": "a reference image file or the TXRM reference stream",
    "processing.type": "IMOD batchruntomo / etomo files",
    "processing.protocol": "IMOD tilt.com / tilt.log / align.log",
    "processing.residual_error": "IMOD align.log",
    "processing.weighted_residual_error": "IMOD align.log",
    "processing.correlation_coefficients": "IMOD cross-correlation / patch-tracking logs",
    "processing.fsc_cutoff": "a resolution analysis output",
    "processed.format": "the tomogram",
    "processed.dimensions": "the reconstruction's header",
    "processed.voxel_size": "the reconstruction's header",
    "processed.pixel_type": "the tomogram's header",
    "processed.color_depth": "the reconstruction's header",
    "processed.resolution": "a resolution analysis output",
    "chromatic_shift.software": "a chromatic-shift parameter file",
    "chromatic_shift.transform": "a chromatic-shift parameter file (Chromagnon csv)",
}
"""For rows a file can carry: which file would carry it (shown when the row is empty)."""


class RowStatus(BaseModel):
    """Completeness of one row."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    label: str
    origin: str
    status: str
    hint: str | None = None


class Completeness(BaseModel):
    """Completeness of one record."""

    model_config = ConfigDict(extra="forbid")

    dataset: str
    kind: str
    rows: list[RowStatus]
    filled: int
    total: int
    score: float

    def count(self, status: str) -> int:
        """Number of rows with ``status``."""
        return sum(1 for r in self.rows if r.status == status)


def _missing(origin: str, field_id: str) -> tuple[str, str | None]:
    parts = origin.split("/")
    if any(p in ("file", "reconstruction", "attached") for p in parts):
        return "missing_minable", f"absent file: {MINABLE_FROM.get(field_id, 'a file carrying it')}"
    if "facility" in parts:
        return "missing_facility", "the facility sidecar (clxm.yaml) can supply it"
    return "missing_depositor", "give it in the sidecar (clxm.yaml)"


def completeness(record: Record) -> Completeness:
    """Completeness of one record, row by row."""
    out: list[RowStatus] = []
    for spec in fields_for(record.kind):
        slot = record.get(spec.id)
        if slot is not None:
            out.append(
                RowStatus(
                    id=spec.id, label=spec.label, origin=spec.origin, status=slot.source.kind.value
                )
            )
            continue
        status, hint = _missing(spec.origin, spec.id)
        out.append(
            RowStatus(id=spec.id, label=spec.label, origin=spec.origin, status=status, hint=hint)
        )
    filled = sum(1 for r in out if not r.status.startswith("missing"))
    return Completeness(
        dataset=record.name,
        kind=record.kind.value,
        rows=out,
        filled=filled,
        total=len(out),
        score=round(filled / len(out), 3) if out else 0.0,
    )


def completeness_all(records: Sequence[Record]) -> list[Completeness]:
    """Completeness of every record."""
    return [completeness(r) for r in records]
