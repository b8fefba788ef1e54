"""The model of a tiltalign ``align.log`` (and of the etomo ``ta*.log`` views cut from it)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.imod.entries import ProgramEntries
from clxm_meta.readers.imod.model import ImodFile, Located, TextLine

__all__ = [
    "AlignLog",
    "Counts",
    "LeaveOutError",
    "LocalArea",
    "LocalSummary",
    "Ratio",
    "Residual",
    "RobustFitting",
    "RotationAngle",
    "SolutionTable",
    "SurfaceAnalysis",
    "ViewSolution",
]


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Counts(_M):
    """The ``N views, N geometric variables, N 3-D points, N projection points`` line."""

    n_views: int
    n_geometric_variables: int
    n_points_3d: int
    """Number of fiducials (3-D points) in the solution."""
    n_projection_points: int
    line: int


class Ratio(_M):
    """``Ratio of total measured values to all unknowns = a/ b = r``."""

    measured: int
    unknowns: int
    ratio: float
    line: int


class RotationAngle(_M):
    """The tilt-axis rotation angle the solution reports."""

    kind: Literal["minimum_tilt", "fixed", "overall"]
    angle_deg: float
    line: int


class ViewSolution(_M):
    """One row of the per-view solution table (columns absent from a layout are ``None``)."""

    view: int
    rotation_deg: float | None = None
    tilt_deg: float | None = None
    deltilt_deg: float | None = None
    mag: float | None = None
    dmag: float | None = None
    skew_deg: float | None = None
    x_tilt_deg: float | None = None
    comp_inc: float | None = None
    comp_abs: float | None = None
    residual: float | None = None
    """Mean residual of the view, in the table's ``residual_unit``."""
    line: int


class SolutionTable(BaseModel):
    """The per-view solution table (the first, global one).

    Attributes
    ----------
    header
        The header line as written.
    columns
        Normalised column names after ``view``.
    residual_unit
        ``"nm"``/``"pixels"`` from a ``resid-<unit>`` header, ``None`` for ``mean resid`` (pixels).
    rows
        One row per included view.
    """

    model_config = ConfigDict(extra="forbid")

    header: TextLine
    columns: list[str]
    residual_unit: str | None = None
    rows: list[ViewSolution] = Field(default_factory=list)

    @property
    def tilt_min_deg(self) -> float | None:
        """Smallest solved tilt angle."""
        tilts = [r.tilt_deg for r in self.rows if r.tilt_deg is not None]
        return min(tilts) if tilts else None

    @property
    def tilt_max_deg(self) -> float | None:
        """Largest solved tilt angle."""
        tilts = [r.tilt_deg for r in self.rows if r.tilt_deg is not None]
        return max(tilts) if tilts else None


class Residual(_M):
    """A ``Residual error mean and sd`` or ``Residual error weighted mean`` line.

    ``unit`` is ``None`` when the line prints none (older tiltalign, where it is pixels).
    ``local_area`` is set for ``(Local area i j)`` lines; ``tagged_global`` for ``(Global)``.
    """

    mean: float
    sd: float | None = None
    unit: str | None = None
    tagged_global: bool = False
    local_area: tuple[int, int] | None = None
    line: int


class LocalSummary(_M):
    """``Residual error local mean`` / ``Weighted error local mean`` summary of local areas."""

    what: Literal["residual", "weighted"]
    mean: float
    range_min: float
    range_max: float
    unit: str | None = None
    line: int


class LocalArea(_M):
    """``Doing local area i j, centered on x y, size w h, n fiducials``."""

    ix: int
    iy: int
    center_x_px: int
    center_y_px: int
    size_x_px: int
    size_y_px: int
    n_fiducials: int
    line: int


class LeaveOutError(_M):
    """A cross-validation (``CrossValidate``) leave-out error line."""

    scope: Literal["global", "local"]
    variant: str | None = None
    """``"non-robust"``, ``"robust"`` or ``None``."""
    n_points: int | None = None
    error: float
    weighted: float | None = None
    unit: str | None = None
    line: int


class RobustFitting(_M):
    """Robust-fitting summary lines (their presence means RobustFitting was on)."""

    n_weight_groups: int | None = None
    n_view_groups: int | None = None
    n_rings: int | None = None
    total_cycles: int | None = None
    final_f: float | None = None
    line: int


class SurfaceAnalysis(BaseModel):
    """The ``SURFACE ANALYSIS`` section: every ``name = number`` line, plus typed shortcuts."""

    model_config = ConfigDict(extra="forbid")

    line: int
    values: dict[str, Located] = Field(default_factory=dict)
    unbinned_thickness_needed_px: Located | None = None
    incremental_unbinned_shift_px: Located | None = None
    total_unbinned_shift_px: Located | None = None
    x_axis_tilt_needed_deg: Located | None = None
    incremental_tilt_angle_change_deg: Located | None = None
    total_tilt_angle_change_deg: Located | None = None
    thickness_at_z_intercepts_px: Located | None = None


class AlignLog(ImodFile):
    """Everything a tiltalign log (or one of its ``ta*.log`` views) says.

    Attributes
    ----------
    ta_view
        For ``ta*.log`` files, the view name (``solution``, ``error`` ...); ``None`` for align.log.
    dialect
        ``"modern"`` when residuals carry units or the table says ``resid-<unit>``, ``"old"`` when
        they do not, ``None`` when the file has neither.
    programs
        Echoed ``*** Entries to program`` blocks (tiltalign, xfproduct ...).
    residual
        The global ``Residual error mean and sd`` line.
    weighted_residual
        The global ``Residual error weighted mean`` line (robust fitting only).
    local_residuals
        Per-local-area residual lines.
    non_patch_model_note
        The line saying a patch-tracking option was ignored "for non-patch track model": evidence
        that the fiducial model came from bead tracking, not patch tracking.
    """

    kind: Literal["align_log", "ta_log"] = "align_log"
    ta_view: str | None = None
    dialect: Literal["old", "modern"] | None = None
    programs: list[ProgramEntries] = Field(default_factory=list)
    counts: Counts | None = None
    ratio: Ratio | None = None
    rotation: RotationAngle | None = None
    beam_tilt_deg: Located | None = None
    projection_skew_deg: Located | None = None
    final_f: Located | None = None
    n_cycles: Located | None = None
    solution: SolutionTable | None = None
    n_local_solution_tables: int = 0
    n_fiducial_coordinates: int = 0
    midpoint_z: Located | None = None
    residual: Residual | None = None
    weighted_residual: Residual | None = None
    local_residuals: list[Residual] = Field(default_factory=list)
    local_weighted_residuals: list[Residual] = Field(default_factory=list)
    local_summaries: list[LocalSummary] = Field(default_factory=list)
    local_ratio: LocalSummary | None = None
    local_extent_px: tuple[int, int] | None = None
    local_grid: tuple[int, int] | None = None
    local_areas: list[LocalArea] = Field(default_factory=list)
    large_residuals_unit: str | None = None
    n_large_residuals: int = 0
    robust: RobustFitting | None = None
    robust_weights: TextLine | None = None
    leave_out_searches: int | None = None
    leave_out: list[LeaveOutError] = Field(default_factory=list)
    robust_benefit: TextLine | None = None
    surface: SurfaceAnalysis | None = None
    warnings: list[TextLine] = Field(default_factory=list)
    errors: list[TextLine] = Field(default_factory=list)
    non_patch_model_note: TextLine | None = None
    completed: bool = False
    chunk_done: bool = False

    @property
    def tiltalign_entries(self) -> ProgramEntries | None:
        """The echoed tiltalign entries, if the log has them."""
        return next((p for p in self.programs if p.program.lower() == "tiltalign"), None)

    @property
    def robust_fitting(self) -> bool:
        """True when the log shows robust fitting was done."""
        return self.robust is not None or self.weighted_residual is not None

    @property
    def local_alignment(self) -> bool:
        """True when the log shows local alignments were solved."""
        return bool(self.local_areas or self.local_summaries or self.local_residuals)
