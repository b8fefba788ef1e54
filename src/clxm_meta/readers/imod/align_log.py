"""``align.log``: the parser of tiltalign output (and of the etomo ``ta*.log`` views cut from it).

Handles the old dialect (IMOD 3.x/4.x: no units, ``mean resid`` column, ``Final F`` on its own
line) and the modern one (units ``nm``/``pixels``, ``resid-nm`` column, ``(Global)`` and
``(Local area i j)`` tags, robust fitting and leave-out errors). The model is in
`clxm_meta.readers.imod.align_log_model`, the line patterns of both dialects in
`clxm_meta.readers.imod.align_log_lines`.

Why this module is over 500 lines: `_match_line` is one ordered chain of line tests (first match
wins, and the order settles lines both dialects print differently), sharing the parse state of
`parse_align_log`; split across modules, that order and that state would have to be read in two
places.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.imod.align_log_lines import (
    COLUMN_NAMES,
    RE_BEAM_TILT,
    RE_BENEFIT,
    RE_COUNTS,
    RE_CYCLE,
    RE_EXTENT,
    RE_FINAL_F,
    RE_LARGE_HEADER,
    RE_LEAVE_OUT,
    RE_LEAVE_OUT_RUN,
    RE_LOCAL_AREA,
    RE_LOCAL_GRID,
    RE_LOCAL_MEAN,
    RE_LOCAL_RATIO,
    RE_MAPPING_HEADER,
    RE_MIDPOINT,
    RE_N_CYCLES,
    RE_NON_PATCH,
    RE_OPENED,
    RE_POINTS_HEADER,
    RE_RATIO,
    RE_RESIDUAL,
    RE_ROBUST_START,
    RE_ROBUST_TOTAL,
    RE_ROTATION,
    RE_SKEW,
    RE_SURFACE_VALUE,
    RE_TABLE_HEADER,
    RE_WEIGHTED,
    SURFACE_KEYS,
    norm_unit,
    scope_of,
)
from clxm_meta.readers.imod.align_log_model import (
    AlignLog,
    Counts,
    LeaveOutError,
    LocalArea,
    LocalSummary,
    Ratio,
    Residual,
    RobustFitting,
    RotationAngle,
    SolutionTable,
    SurfaceAnalysis,
    ViewSolution,
)
from clxm_meta.readers.imod.entries import (
    ProgramEntries,
    entries_end,
    entries_start,
    parse_entry,
)
from clxm_meta.readers.imod.model import Located, TextLine
from clxm_meta.readers.imod.text import (
    LineKeeper,
    TextDoc,
    floats,
    number,
    report_unconvertible,
    to_float,
)
from clxm_meta.unvalidated import construct

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


def _columns(header: str) -> tuple[list[str], str | None]:
    text = re.sub(r"mean\s+resid", "resid", header.strip(), flags=re.IGNORECASE)
    tokens = text.split()[1:]
    cols: list[str] = []
    unit: str | None = None
    for tok in tokens:
        low = tok.lower()
        if low.startswith("resid-"):
            unit = norm_unit(tok[len("resid-") :])
            low = "resid"
        cols.append(low)
    return cols, unit


def _row_numbers(text: str, columns: list[str]) -> list[float] | None:
    """The numbers of a solution-table row (view number first); ``None`` if not a row."""
    nums = floats(text)
    if nums is None or len(nums) != len(columns) + 1 or nums[0] != int(nums[0]):
        return None
    return nums


def _view_solution(nums: list[float], columns: list[str], line: int) -> ViewSolution:
    """One table row, not validated: `floats` gives plain finite floats, the view an ``int``."""
    values: dict[str, Any] = {"view": int(nums[0])}
    for col, val in zip(columns, nums[1:], strict=True):
        name = COLUMN_NAMES.get(col)
        if name is not None:
            values[name] = val
    values["line"] = line
    return construct(ViewSolution, values)


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
    unconvertible: list[int] = []
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
            nums = _row_numbers(stripped, st.table.columns)
            if nums is not None:  # a row; only the global (first) table's rows are kept
                if st.table is found.get("solution"):
                    st.table.rows.append(_view_solution(nums, st.table.columns, no))
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
                found.setdefault("large_unit", norm_unit(m.group(1)))
            continue
        if "SURFACE ANALYSIS" in stripped:
            surface = {"line": no, "values": {}}
            st.section = "surface"
            continue
        try:
            matched = _match_line(
                text,
                no,
                found,
                st,
                local_residuals,
                local_weighted,
                local_summaries,
                local_areas,
                leave_out,
            )
        except ValueError:  # an integer of > 4300 digits (issue 23)
            unconvertible.append(no)
            keep.add(no, text)
            continue
        if matched:
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
                    attr = SURFACE_KEYS.get(name.lower())
                    if attr is not None:
                        surface[attr] = loc
                    continue
            if stripped.startswith(("Fit of", "The following", "#")):
                continue
        if _is_noise(text):
            continue
        keep.add(no, text)

    report_unconvertible(collector, unconvertible)
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
        tagged, area = scope_of(m, 4)
        area = area or (st.local_area if not tagged else None)
        res = Residual(
            mean=number(m.group(1)),
            sd=number(m.group(2)),
            unit=norm_unit(m.group(3)),
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
        tagged, area = scope_of(m, 3)
        area = area or (st.local_area if not tagged else None)
        res = Residual(
            mean=number(m.group(1)),
            unit=norm_unit(m.group(2)),
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
                mean=number(m.group(2)),
                range_min=number(m.group(3)),
                range_max=number(m.group(4)),
                unit=norm_unit(m.group(5)),
                line=no,
            )
        )
        return True
    m = RE_LOCAL_RATIO.search(text)
    if m:
        found["local_ratio"] = LocalSummary(
            what="residual",
            mean=number(m.group(1)),
            range_min=number(m.group(2)),
            range_max=number(m.group(3)),
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
                measured=int(m.group(1)),
                unknowns=int(m.group(2)),
                ratio=number(m.group(3)),
                line=no,
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
        found.setdefault(
            "rotation", RotationAngle(kind=kind, angle_deg=number(m.group(2)), line=no)
        )
        return True
    for regex, key in (
        (RE_BEAM_TILT, "beam_tilt_deg"),
        (RE_SKEW, "projection_skew_deg"),
        (RE_MIDPOINT, "midpoint_z"),
    ):
        m = regex.search(text)
        if m:
            found.setdefault(key, Located(value=number(m.group(1)), line=no))
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
        base.update(total_cycles=int(m.group(1)), final_f=number(m.group(2)))
        found["robust"] = RobustFitting(**base)
        return True
    if re.search(r"(?<!\d)\d+\s+weights:", text) or "Final mean and max weight change" in text:
        if "weights:" in text:
            found["robust_weights"] = TextLine(line=no, text=text.strip())
        return True
    m = RE_FINAL_F.match(text)
    if m:
        found["final_f"] = Located(value=number(m.group(1)), line=no)
        return True
    m = RE_N_CYCLES.match(text)
    if m:
        found["n_cycles"] = Located(value=number(m.group(1)), line=no)
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
                error=number(m.group(4)),
                unit=norm_unit(m.group(5) or m.group(7)),
                weighted=number(m.group(6)) if m.group(6) else None,
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
