"""``align.log``: the output of tiltalign (and the etomo ``ta*.log`` views cut from it).

Handles the old dialect (IMOD 3.x/4.x: no units, ``mean resid`` column, ``Final F`` on its own
line) and the modern one (units ``nm``/``pixels``, ``resid-nm`` column, ``(Global)`` and
``(Local area i j)`` tags, robust fitting and leave-out errors). Numbers are parsed with a float
regex, never by column position. Line catalogue: shared/docs/reference/formats-logs-deposition.md §A1.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.imod.entries import (
    ProgramEntries,
    entries_end,
    entries_start,
    parse_entry,
)
from clxm_meta.readers.imod.model import ImodFile, Located, TextLine
from clxm_meta.readers.imod.text import NUMBER, LineKeeper, TextDoc, floats, to_float

__all__ = [
    "AlignLog",
    "Counts",
    "LeaveOutError",
    "LocalArea",
    "LocalSummary",
    "Residual",
    "RobustFitting",
    "RotationAngle",
    "SolutionTable",
    "SurfaceAnalysis",
    "ViewSolution",
    "parse_align_log",
]

N = NUMBER
_UNIT = r"(nm|pixels?|um|µm|A|Å)"
_SCOPE = r"(\(Global\)|\(Local area\s+(\d+)\s+(\d+)\s*\))"

RE_COUNTS = re.compile(
    r"^\s*(\d+)\s+views,\s*(\d+)\s+geometric variables,\s*(\d+)\s+3-D points,\s*(\d+)\s+projection points"
)
RE_RATIO = re.compile(
    rf"Ratio of total measured values to all unknowns\s*=\s*(\d+)\s*/\s*(\d+)\s*=\s*({N})"
)
RE_ROTATION = re.compile(
    rf"^\s*(At minimum tilt, rotation angle is|Fixed rotation angle is|Overall rotation angle is)\s+({N})"
)
RE_BEAM_TILT = re.compile(rf"^\s*Beam tilt angle is\s+({N})\s*degrees")
RE_SKEW = re.compile(rf"^\s*Projection skew is\s+({N})\s*degrees")
RE_RESIDUAL = re.compile(
    rf"Residual error mean and sd:\s*({N})\s+({N})(?:\s+{_UNIT})?(?:\s+{_SCOPE})?\s*$"
)
RE_WEIGHTED = re.compile(
    rf"Residual error weighted mean:\s*({N})(?:\s+{_UNIT})?(?:\s+{_SCOPE})?\s*$"
)
RE_LOCAL_MEAN = re.compile(
    rf"(Residual error|Weighted error) local mean:\s*({N})\s+range\s+({N})\s+to\s+({N})(?:\s+{_UNIT})?"
)
RE_LOCAL_RATIO = re.compile(
    rf"Ratio of local measurements to unknowns, mean:\s*({N})\s+range\s+({N})\s+to\s+({N})"
)
RE_LEAVE_OUT = re.compile(
    rf"^\s*(Global|Local)\s+(?:(non-robust|robust)\s+)?leave-out error\s*(?:\((\d+)\s*pts\))?[^:]*:\s*"
    rf"({N})(?:\s+{_UNIT})?(?:\s+weighted\s+({N})(?:\s+{_UNIT})?)?"
)
RE_BENEFIT = re.compile(
    rf"Benefit from robust fitting:\s*unweighted\s+({N})\s+weighted\s+({N})(?:\s+{_UNIT})?"
)
RE_LEAVE_OUT_RUN = re.compile(r"Running\s+(\d+)\s+searches with points left out")
RE_ROBUST_START = re.compile(
    r"Starting robust fitting with\s+(\d+)\s+weight groups:\s+(\d+)\s+view groups in\s+(\d+)\s+rings"
)
RE_ROBUST_TOTAL = re.compile(
    rf"Total cycles for robust fitting:\s*(\d+)\s+Final\s+F\s*:\s*({N})", re.IGNORECASE
)
RE_FINAL_F = re.compile(rf"^\s*(?:Solved beam tilt[^,]*,\s*\d+\s+cycles,\s*)?Final\s+F\s*:\s*({N})")
RE_N_CYCLES = re.compile(r"^\s*Number of cycles\s*:\s*(\d+)")
RE_MIDPOINT = re.compile(rf"Midpoint of Z range relative to centroid in Z:\s*({N})")
RE_EXTENT = re.compile(r"Extent of fiducials is\s+(\d+)\s+and\s+(\d+)\s+pixels in X and Y")
RE_LOCAL_GRID = re.compile(
    r"Doing\s+(\d+)\s+by\s+(\d+)\s+local areas,\s*minimum size\s+(\d+)\s*x\s*(\d+)"
)
RE_LOCAL_AREA = re.compile(
    r"Doing local area\s+(\d+)\s+(\d+),\s*centered on\s+(-?\d+)\s+(-?\d+),\s*size\s+(\d+)\s+(\d+),\s*(\d+)\s+fiducials"
)
RE_SURFACE_VALUE = re.compile(rf"^\s*([A-Za-z#][A-Za-z #'.,()-]*?)\s*=\s*({N})\s*$")
RE_TABLE_HEADER = re.compile(r"^\s*view\s+(?=.*\btilt\b)")
RE_MAPPING_HEADER = re.compile(r"^\s*View\s+Rotation\s+Tilt")
RE_POINTS_HEADER = re.compile(r"^\s*#\s+X\s+Y\s+Z\s+obj\s+cont")
RE_LARGE_HEADER = re.compile(r"Projection points with large residuals(?:\s*\(in (\w+)\))?")
RE_OPENED = re.compile(r"(file opened:|Opened (NEW|OLD) file:)", re.IGNORECASE)
RE_CYCLE = re.compile(r"^\s*(Cycle\s+\d+|Variable Metric minimization|For beam tilt\s*=)")
RE_NON_PATCH = re.compile(r"being ignored for non-patch track model", re.IGNORECASE)

_COLUMN_NAMES = {
    "rotation": "rotation_deg",
    "tilt": "tilt_deg",
    "deltilt": "deltilt_deg",
    "mag": "mag",
    "dmag": "dmag",
    "skew": "skew_deg",
    "x-tilt": "x_tilt_deg",
    "comp-inc": "comp_inc",
    "comp-abs": "comp_abs",
    "resid": "residual",
}

_SURFACE_KEYS = {
    "unbinned thickness needed to contain centers of all fiducials": "unbinned_thickness_needed_px",
    "incremental unbinned shift needed to center range of fiducials in z": "incremental_unbinned_shift_px",
    "total unbinned shift needed to center range of fiducials in z": "total_unbinned_shift_px",
    "x axis tilt needed": "x_axis_tilt_needed_deg",
    "incremental tilt angle change": "incremental_tilt_angle_change_deg",
    "total tilt angle change": "total_tilt_angle_change_deg",
    "thickness at z intercepts": "thickness_at_z_intercepts_px",
}


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


def _scope(m: re.Match[str], first: int) -> tuple[bool, tuple[int, int] | None]:
    tag = m.group(first)
    if tag is None:
        return False, None
    if tag.startswith("(Global"):
        return True, None
    return False, (int(m.group(first + 1)), int(m.group(first + 2)))


def _norm_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    return {"pixel": "pixels", "um": "µm", "A": "Å"}.get(unit, unit)


def _columns(header: str) -> tuple[list[str], str | None]:
    text = re.sub(r"mean\s+resid", "resid", header.strip(), flags=re.IGNORECASE)
    tokens = text.split()[1:]
    cols: list[str] = []
    unit: str | None = None
    for tok in tokens:
        low = tok.lower()
        if low.startswith("resid-"):
            unit = _norm_unit(tok[len("resid-") :])
            low = "resid"
        cols.append(low)
    return cols, unit


def _view_row(text: str, columns: list[str], line: int) -> ViewSolution | None:
    nums = floats(text)
    if nums is None or len(nums) != len(columns) + 1 or nums[0] != int(nums[0]):
        return None
    values: dict[str, float] = {}
    for col, val in zip(columns, nums[1:], strict=True):
        name = _COLUMN_NAMES.get(col)
        if name is not None:
            values[name] = val
    return ViewSolution(view=int(nums[0]), line=line, **values)


class _State:
    """Mutable parse state (which table or section the current line belongs to)."""

    def __init__(self) -> None:
        self.section: str | None = None
        self.table: SolutionTable | None = None
        self.local_area: tuple[int, int] | None = None
        self.program: ProgramEntries | None = None


def parse_align_log(
    doc: TextDoc,
    path: str,
    collector: FindingCollector,
    *,
    ta_view: str | None = None,
) -> AlignLog:
    """Parse a tiltalign log, or the ``ta*.log`` view ``ta_view``, from decoded lines."""
    st = _State()
    keep = LineKeeper()
    found: dict[str, object] = {}
    programs: list[ProgramEntries] = []
    local_residuals: list[Residual] = []
    local_weighted: list[Residual] = []
    local_summaries: list[LocalSummary] = []
    local_areas: list[LocalArea] = []
    leave_out: list[LeaveOutError] = []
    warnings: list[TextLine] = []
    errors: list[TextLine] = []
    n_local_tables = 0
    n_points = 0
    n_large = 0
    surface: dict[str, object] | None = None

    for no, text in doc.numbered():
        stripped = text.strip()
        if not stripped:
            if st.section in ("points", "large"):
                st.section = None
            continue
        # --- echoed entries blocks
        if st.program is not None:
            if entries_end(text):
                st.program = None
                continue
            entry = parse_entry(text, no)
            if entry is not None:
                st.program.entries.append(entry)
            else:
                keep.add(no, text)
            continue
        prog = entries_start(text)
        if prog is not None:
            st.program = ProgramEntries(program=prog, line=no)
            programs.append(st.program)
            st.section = None
            continue
        # --- solution table rows
        if st.section == "table" and st.table is not None:
            row = _view_row(stripped, st.table.columns, no)
            if row is not None:
                if st.table is found.get("solution"):
                    st.table.rows.append(row)
                continue
            st.section = None
        if st.section == "mapping":
            if stripped[0].isdigit():
                continue
            st.section = None
        if st.section == "points" and floats(stripped):
            n_points += 1
            continue
        if st.section == "large":
            if floats(stripped) is not None:
                n_large += 1
                continue
            if stripped.startswith(("#", "obj")):
                continue
            st.section = None
        if stripped.upper().startswith("WARNING"):
            warnings.append(TextLine(line=no, text=stripped))
            continue
        if stripped.upper().startswith("ERROR"):
            errors.append(TextLine(line=no, text=stripped))
            continue
        if RE_MAPPING_HEADER.match(text):
            st.section = "mapping"
            continue
        if RE_TABLE_HEADER.match(text):
            cols, unit = _columns(text)
            table = SolutionTable(
                header=TextLine(line=no, text=text), columns=cols, residual_unit=unit
            )
            if "solution" not in found:
                found["solution"] = table
            else:
                n_local_tables += 1
            st.table, st.section = table, "table"
            continue
        if RE_MAPPING_HEADER.match(text):
            st.section = "mapping"
            continue
        if RE_POINTS_HEADER.match(text):
            st.section = "points"
            continue
        m = RE_LARGE_HEADER.search(text)
        if m:
            st.section = "large"
            if m.group(1):
                found.setdefault("large_unit", _norm_unit(m.group(1)))
            continue
        if "SURFACE ANALYSIS" in stripped:
            surface = {"line": no, "values": {}}
            st.section = "surface"
            continue
        if _match_line(
            text,
            no,
            found,
            st,
            local_residuals,
            local_weighted,
            local_summaries,
            local_areas,
            leave_out,
        ):
            continue
        if st.section == "surface" and surface is not None:
            m = RE_SURFACE_VALUE.match(text)
            if m:
                value = to_float(m.group(2))
                if value is not None:
                    name = " ".join(m.group(1).split())
                    loc = Located(value=value, line=no)
                    values = surface["values"]
                    assert isinstance(values, dict)
                    values[name] = loc
                    attr = _SURFACE_KEYS.get(name.lower())
                    if attr is not None:
                        surface[attr] = loc
                    continue
            if stripped.startswith(("Fit of", "The following", "#")):
                continue
        if _is_noise(text):
            continue
        keep.add(no, text)

    if st.program is not None:
        collector.warning(
            "entries_unterminated",
            f"the entries block of {st.program.program} has no '*** End of entries ***' line",
            locator=f"line {st.program.line}",
        )
    model = AlignLog(
        path=path,
        kind="ta_log" if ta_view is not None else "align_log",
        ta_view=ta_view,
        file_size=doc.size,
        encoding=doc.encoding,
        line_count=len(doc.lines),
        programs=programs,
        local_residuals=local_residuals,
        local_weighted_residuals=local_weighted,
        local_summaries=local_summaries,
        local_areas=local_areas,
        leave_out=leave_out,
        warnings=warnings,
        errors=errors,
        n_local_solution_tables=n_local_tables,
        n_fiducial_coordinates=n_points,
        n_large_residuals=n_large,
        large_residuals_unit=found.pop("large_unit", None),
        surface=SurfaceAnalysis.model_validate(surface) if surface is not None else None,
        unparsed=keep.kept,
        unparsed_dropped=keep.dropped,
        **found,
    )
    model.dialect = _dialect(model)
    _check(model, collector)
    return model


def _dialect(model: AlignLog) -> Literal["old", "modern"] | None:
    if model.residual is not None and model.residual.unit is not None:
        return "modern"
    if model.solution is not None and model.solution.residual_unit is not None:
        return "modern"
    if model.residual is not None or model.solution is not None:
        return "old"
    return None


def _check(model: AlignLog, collector: FindingCollector) -> None:
    if model.kind == "align_log" and model.residual is None:
        collector.warning(
            "no_residual",
            "no 'Residual error mean and sd' line: the alignment may have failed or the log "
            "is incomplete",
            field="residual",
        )
    if model.residual is not None and model.residual.unit is None:
        collector.info(
            "residual_unit_absent",
            "the residual line prints no unit (older tiltalign): the values are in pixels",
            field="residual",
            locator=f"line {model.residual.line}",
        )
    if (
        model.counts is not None
        and model.solution is not None
        and model.solution.rows
        and len(model.solution.rows) != model.counts.n_views
    ):
        collector.warning(
            "view_count_mismatch",
            f"the solution table has {len(model.solution.rows)} rows but the counts line says "
            f"{model.counts.n_views} views",
            locator=f"line {model.counts.line}",
        )
    for err in model.errors:
        collector.warning("tiltalign_error", err.text, locator=f"line {err.line}")


def _match_line(
    text: str,
    no: int,
    found: dict[str, object],
    st: _State,
    local_residuals: list[Residual],
    local_weighted: list[Residual],
    local_summaries: list[LocalSummary],
    local_areas: list[LocalArea],
    leave_out: list[LeaveOutError],
) -> bool:
    """Recognise one catalogue line; record it and return True, or return False."""
    m = RE_RESIDUAL.search(text)
    if m:
        tagged, area = _scope(m, 4)
        area = area or (st.local_area if not tagged else None)
        res = Residual(
            mean=float(m.group(1)),
            sd=float(m.group(2)),
            unit=_norm_unit(m.group(3)),
            tagged_global=tagged,
            local_area=area,
            line=no,
        )
        if area is not None:
            local_residuals.append(res)
        else:
            found.setdefault("residual", res)
        return True
    m = RE_WEIGHTED.search(text)
    if m:
        tagged, area = _scope(m, 3)
        area = area or (st.local_area if not tagged else None)
        res = Residual(
            mean=float(m.group(1)),
            unit=_norm_unit(m.group(2)),
            tagged_global=tagged,
            local_area=area,
            line=no,
        )
        if area is not None:
            local_weighted.append(res)
        else:
            found.setdefault("weighted_residual", res)
        return True
    m = RE_LOCAL_MEAN.search(text)
    if m:
        local_summaries.append(
            LocalSummary(
                what="residual" if m.group(1).startswith("Residual") else "weighted",
                mean=float(m.group(2)),
                range_min=float(m.group(3)),
                range_max=float(m.group(4)),
                unit=_norm_unit(m.group(5)),
                line=no,
            )
        )
        return True
    m = RE_LOCAL_RATIO.search(text)
    if m:
        found["local_ratio"] = LocalSummary(
            what="residual",
            mean=float(m.group(1)),
            range_min=float(m.group(2)),
            range_max=float(m.group(3)),
            line=no,
        )
        return True
    m = RE_COUNTS.match(text)
    if m:
        found.setdefault(
            "counts",
            Counts(
                n_views=int(m.group(1)),
                n_geometric_variables=int(m.group(2)),
                n_points_3d=int(m.group(3)),
                n_projection_points=int(m.group(4)),
                line=no,
            ),
        )
        return True
    m = RE_RATIO.search(text)
    if m:
        found.setdefault(
            "ratio",
            Ratio(
                measured=int(m.group(1)), unknowns=int(m.group(2)), ratio=float(m.group(3)), line=no
            ),
        )
        return True
    if "Ratio to variables in search" in text:
        return True
    m = RE_ROTATION.match(text)
    if m:
        kind: Literal["minimum_tilt", "fixed", "overall"] = (
            "minimum_tilt"
            if m.group(1).startswith("At")
            else "fixed"
            if m.group(1).startswith("Fixed")
            else "overall"
        )
        found.setdefault("rotation", RotationAngle(kind=kind, angle_deg=float(m.group(2)), line=no))
        return True
    for regex, key in (
        (RE_BEAM_TILT, "beam_tilt_deg"),
        (RE_SKEW, "projection_skew_deg"),
        (RE_MIDPOINT, "midpoint_z"),
    ):
        m = regex.search(text)
        if m:
            found.setdefault(key, Located(value=float(m.group(1)), line=no))
            return True
    m = RE_ROBUST_START.search(text)
    if m:
        found["robust"] = RobustFitting(
            n_weight_groups=int(m.group(1)),
            n_view_groups=int(m.group(2)),
            n_rings=int(m.group(3)),
            line=no,
        )
        return True
    m = RE_ROBUST_TOTAL.search(text)
    if m:
        prev = found.get("robust")
        base: dict[str, object] = (
            prev.model_dump() if isinstance(prev, RobustFitting) else {"line": no}
        )
        base.update(total_cycles=int(m.group(1)), final_f=float(m.group(2)))
        found["robust"] = RobustFitting(**base)
        return True
    if re.search(r"\d+\s+weights:", text) or "Final mean and max weight change" in text:
        if "weights:" in text:
            found["robust_weights"] = TextLine(line=no, text=text.strip())
        return True
    m = RE_FINAL_F.match(text)
    if m:
        found["final_f"] = Located(value=float(m.group(1)), line=no)
        return True
    m = RE_N_CYCLES.match(text)
    if m:
        found["n_cycles"] = Located(value=float(m.group(1)), line=no)
        return True
    m = RE_LEAVE_OUT_RUN.search(text)
    if m:
        found["leave_out_searches"] = int(m.group(1))
        return True
    m = RE_LEAVE_OUT.match(text)
    if m:
        leave_out.append(
            LeaveOutError(
                scope="global" if m.group(1) == "Global" else "local",
                variant=m.group(2),
                n_points=int(m.group(3)) if m.group(3) else None,
                error=float(m.group(4)),
                unit=_norm_unit(m.group(5) or m.group(7)),
                weighted=float(m.group(6)) if m.group(6) else None,
                line=no,
            )
        )
        return True
    if RE_BENEFIT.search(text):
        found["robust_benefit"] = TextLine(line=no, text=text.strip())
        return True
    m = RE_EXTENT.search(text)
    if m:
        found["local_extent_px"] = (int(m.group(1)), int(m.group(2)))
        return True
    m = RE_LOCAL_GRID.search(text)
    if m:
        found["local_grid"] = (int(m.group(1)), int(m.group(2)))
        return True
    m = RE_LOCAL_AREA.search(text)
    if m:
        g = [int(x) for x in m.groups()]
        local_areas.append(
            LocalArea(
                ix=g[0],
                iy=g[1],
                center_x_px=g[2],
                center_y_px=g[3],
                size_x_px=g[4],
                size_y_px=g[5],
                n_fiducials=g[6],
                line=no,
            )
        )
        st.local_area = (g[0], g[1])
        return True
    if RE_NON_PATCH.search(text):
        found["non_patch_model_note"] = TextLine(line=no, text=text.strip())
        return True
    stripped = text.strip()
    if stripped == "SUCCESSFULLY COMPLETED":
        found["completed"] = True
        return True
    if stripped == "CHUNK DONE":
        found["chunk_done"] = True
        return True
    return False


def _is_noise(text: str) -> bool:
    """Lines known to carry nothing the model keeps (file-open notices, minimiser progress ...)."""
    if RE_OPENED.search(text) or RE_CYCLE.match(text):
        return True
    s = text.strip()
    return s.startswith(
        ("DXY set to zero", "Variable mappings", "3-D point coordinates", "Solved beam tilt")
    ) or (
        s.endswith(
            ("transforms in first file", "transforms in second file", "new transforms written")
        )
    )
