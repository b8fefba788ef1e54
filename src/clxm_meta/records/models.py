"""Table 1 records: one typed slot per row of the protocol's table.

A slot holds a `Value` (value + unit + source) or ``None`` when unknown. Slot names are the second
part of the Table 1 id: ``record.setup.pixel_size`` is row ``setup.pixel_size``.
"""

from __future__ import annotations

from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.findings import Finding
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.value import Value
from clxm_meta.records.values import (
    XYZ,
    AttachedFile,
    ChannelSetting,
    ChromaticTransform,
    DetectorSettings,
    EnergySummary,
    ExposureSummary,
    FundingItem,
    ImageDimensions,
    IntensityRange,
    LineSpacing,
    Magnification,
    MosaicLayout,
    Objective,
    Person,
    ReconstructionProtocol,
    ResidualError,
    SimChannelProcessing,
    Software,
    TiltRange,
    TiltStep,
    Transform,
)

__all__ = [
    "Record",
    "SimRecord",
    "SxtRecord",
    "record_class",
]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


# --- shared by both archives -------------------------------------------------------------------


class General(_Section):
    """``general.*`` rows."""

    title: Value[str] | None = None
    collection_date: Value[str] | None = None
    """ISO 8601 date or date-time, as precise as the file gives it."""
    facility: Value[str] | None = None
    instrument: Value[str] | None = None
    people: Value[list[Person]] | None = None
    funding: Value[list[FundingItem]] | None = None
    publication_doi: Value[str] | None = None


class Sample(_Section):
    """``sample.*`` rows."""

    sample_id: Value[str] | None = None
    fluorophores: Value[list[str]] | None = None
    fiducials: Value[str] | None = None
    carrier: Value[str] | None = None


class Related(_Section):
    """``related.*`` rows."""

    accessions: Value[list[str]] | None = None


class Correlation(_Section):
    """``correlation.*`` rows."""

    transform: Value[list[Transform]] | None = None


# --- cryo-SIM (BioStudies) ----------------------------------------------------------------------


class SimSetup(_Section):
    """SIM ``setup.*`` rows."""

    objective: Value[Objective] | None = None
    lasers: Value[list[float]] | None = None
    detector: Value[str] | None = None
    emission_filters: Value[list[float]] | None = None
    field_of_view: Value[XYZ] | None = None
    pixel_size: Value[XYZ] | None = None


class SimAcquisition(_Section):
    """SIM ``acquisition.*`` rows."""

    n_excitation_wavelengths: Value[int] | None = None
    channels: Value[list[ChannelSetting]] | None = None
    n_focal_planes: Value[int] | None = None
    stack_height: Value[float] | None = None
    diffraction_angle: Value[list[float]] | None = None
    linewidth_per_k0: Value[list[LineSpacing]] | None = None
    si_acquired_order: Value[str] | None = None
    si_reported_order: Value[str] | None = None
    detector_settings: Value[DetectorSettings] | None = None
    attenuation: Value[list[float | None]] | None = None
    software: Value[Software] | None = None
    mosaic: Value[AttachedFile] | None = None


class SimRaw(_Section):
    """SIM ``raw.*`` rows."""

    format: Value[str] | None = None
    dimensions: Value[ImageDimensions] | None = None
    pixel_type: Value[str] | None = None
    intensity_range: Value[list[IntensityRange]] | None = None
    brightfield_stack: Value[AttachedFile] | None = None


class SimProcessing(_Section):
    """SIM ``processing.*`` rows."""

    software: Value[Software] | None = None
    otf_files: Value[list[AttachedFile]] | None = None
    per_channel: Value[list[SimChannelProcessing]] | None = None


class SimProcessed(_Section):
    """SIM ``processed.*`` rows."""

    dimensions: Value[ImageDimensions] | None = None
    voxel_size: Value[XYZ] | None = None
    resolution: Value[float | str] | None = None
    color_depth: Value[int] | None = None


class ChromaticShift(_Section):
    """``chromatic_shift.*`` rows."""

    software: Value[Software] | None = None
    transform: Value[list[ChromaticTransform]] | None = None


# --- cryo-SXT (EMPIAR) --------------------------------------------------------------------------


class SxtSetup(_Section):
    """SXT ``setup.*`` rows."""

    energy: Value[EnergySummary] | None = None
    zone_plate: Value[str] | None = None
    magnification: Value[Magnification] | None = None
    field_of_view: Value[XYZ] | None = None
    pixel_size: Value[XYZ] | None = None


class SxtAcquisition(_Section):
    """SXT ``acquisition.*`` rows."""

    exposure: Value[ExposureSummary] | None = None
    attenuation: Value[str] | None = None
    tilt_range: Value[TiltRange] | None = None
    tilt_step: Value[TiltStep] | None = None
    n_frames: Value[int] | None = None
    overlaps: Value[MosaicLayout] | None = None
    radiation_damage: Value[str] | None = None
    mosaic: Value[AttachedFile] | None = None


class SxtRaw(_Section):
    """SXT ``raw.*`` rows."""

    type: Value[str] | None = None
    format: Value[str] | None = None
    dimensions: Value[ImageDimensions] | None = None
    pixel_type: Value[str] | None = None
    non_referenced_file: Value[AttachedFile] | None = None


class SxtProcessing(_Section):
    """SXT ``processing.*`` rows."""

    software: Value[Software] | None = None
    reference_image: Value[AttachedFile] | None = None
    type: Value[str] | None = None
    protocol: Value[ReconstructionProtocol] | None = None
    residual_error: Value[ResidualError] | None = None
    weighted_residual_error: Value[ResidualError] | None = None
    correlation_coefficients: Value[list[float]] | None = None
    fsc_cutoff: Value[float | str] | None = None


class SxtProcessed(_Section):
    """SXT ``processed.*`` rows."""

    format: Value[str] | None = None
    dimensions: Value[ImageDimensions] | None = None
    pixel_type: Value[str] | None = None


# --- records ------------------------------------------------------------------------------------


class _RecordBase(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    name: str
    """Dataset name (folder or file stem)."""
    files: list[str] = []
    """The files the record was built from."""
    findings: list[Finding] = []
    general: General = Field(default_factory=General)
    sample: Sample = Field(default_factory=Sample)
    related: Related = Field(default_factory=Related)
    correlation: Correlation = Field(default_factory=Correlation)

    def get(self, field_id: str) -> Value[Any] | None:
        """Return the slot of Table 1 row ``field_id`` (e.g. ``"setup.pixel_size"``)."""
        holder, attr = self._slot(field_id)
        slot: Value[Any] | None = getattr(holder, attr)
        return slot

    def set(self, field_id: str, value: Value[Any] | None) -> None:
        """Fill (validating the type) or clear the slot of Table 1 row ``field_id``."""
        holder, attr = self._slot(field_id)
        setattr(holder, attr, value)

    def _slot(self, field_id: str) -> tuple[_Section, str]:
        """The section holding row ``field_id`` and the row's attribute; `KeyError` if no row."""
        section, _, attr = field_id.partition(".")
        holder = getattr(self, section, None)
        # the class's own field dict: ``model_fields`` goes through pydantic's property (and
        # its deprecation check), which cost more than the rest of this look-up
        if not isinstance(holder, _Section) or attr not in type(holder).__pydantic_fields__:
            raise KeyError(f"{field_id!r} is not a Table 1 row of a {self.kind} record")
        return holder, attr

    @property
    def kind(self) -> DatasetKind:
        """SIM or SXT."""
        raise NotImplementedError

    def _filled_count(self) -> tuple[int, int]:
        from clxm_meta.records.fields import fields_for

        specs = fields_for(self.kind)
        return sum(1 for s in specs if self.get(s.id) is not None), len(specs)

    def __repr__(self) -> str:
        filled, total = self._filled_count()
        return (
            f"<{type(self).__name__} {self.name!r}: {filled}/{total} rows filled, "
            f"{len(self.findings)} findings>"
        )

    def _repr_html_(self) -> str:
        """Jupyter: the Table 1 rows (missing ones highlighted, sources shown) and the findings."""
        from clxm_meta.records.rows import rows
        from clxm_meta.render_html import esc, findings_table, fragment, rows_table

        filled, total = self._filled_count()
        body = (
            f"<h3>{esc(self.kind.value)} record <code>{esc(self.name)}</code>: "
            f"{filled}/{total} rows filled</h3>"
            + rows_table(r.model_dump(mode="json") for r in rows(cast("Record", self)))
            + f"<h3>Findings ({len(self.findings)})</h3>"
            + findings_table([f.model_dump(mode="json") for f in self.findings])
        )
        return fragment(body)


class SimRecord(_RecordBase):
    """Table 1 of a cryo-SIM dataset (BioStudies)."""

    record_kind: Literal["SIM"] = "SIM"
    setup: SimSetup = Field(default_factory=SimSetup)
    acquisition: SimAcquisition = Field(default_factory=SimAcquisition)
    raw: SimRaw = Field(default_factory=SimRaw)
    processing: SimProcessing = Field(default_factory=SimProcessing)
    processed: SimProcessed = Field(default_factory=SimProcessed)
    chromatic_shift: ChromaticShift = Field(default_factory=ChromaticShift)

    @property
    def kind(self) -> DatasetKind:
        """Always `DatasetKind.SIM`."""
        return DatasetKind.SIM


class SxtRecord(_RecordBase):
    """Table 1 of a cryo-SXT dataset (EMPIAR)."""

    record_kind: Literal["SXT"] = "SXT"
    setup: SxtSetup = Field(default_factory=SxtSetup)
    acquisition: SxtAcquisition = Field(default_factory=SxtAcquisition)
    raw: SxtRaw = Field(default_factory=SxtRaw)
    processing: SxtProcessing = Field(default_factory=SxtProcessing)
    processed: SxtProcessed = Field(default_factory=SxtProcessed)

    @property
    def kind(self) -> DatasetKind:
        """Always `DatasetKind.SXT`."""
        return DatasetKind.SXT


Record = SimRecord | SxtRecord
"""Either kind of record."""


def record_class(kind: DatasetKind | str) -> type[SimRecord] | type[SxtRecord]:
    """Return the record model of a dataset kind."""
    return SimRecord if DatasetKind(kind) is DatasetKind.SIM else SxtRecord
