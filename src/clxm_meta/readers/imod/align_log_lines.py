"""The lines tiltalign prints, as patterns: both dialects (old: no units; modern: units, scopes).

Numbers are matched with a float pattern, never by column position. Line catalogue:
shared/docs/reference/formats-logs-deposition.md §A1. The batchruntomo log reader reuses the
residual patterns.
"""

from __future__ import annotations

import re

from clxm_meta.readers.imod.text import NUMBER

__all__ = [
    "COLUMN_NAMES",
    "RE_BEAM_TILT",
    "RE_BENEFIT",
    "RE_COUNTS",
    "RE_CYCLE",
    "RE_EXTENT",
    "RE_FINAL_F",
    "RE_LARGE_HEADER",
    "RE_LEAVE_OUT",
    "RE_LEAVE_OUT_RUN",
    "RE_LOCAL_AREA",
    "RE_LOCAL_GRID",
    "RE_LOCAL_MEAN",
    "RE_LOCAL_RATIO",
    "RE_MAPPING_HEADER",
    "RE_MIDPOINT",
    "RE_NON_PATCH",
    "RE_N_CYCLES",
    "RE_OPENED",
    "RE_POINTS_HEADER",
    "RE_RATIO",
    "RE_RESIDUAL",
    "RE_ROBUST_START",
    "RE_ROBUST_TOTAL",
    "RE_ROTATION",
    "RE_SKEW",
    "RE_SURFACE_VALUE",
    "RE_TABLE_HEADER",
    "RE_WEIGHTED",
    "SURFACE_KEYS",
    "norm_unit",
    "scope_of",
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
    rf"^\s*(Global|Local)\s+(?:(non-robust|robust)\s+)?leave-out error\s*+(?:\((\d+)\s*pts\))?[^:]*:\s*"
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
RE_SURFACE_VALUE = re.compile(
    rf"^\s*([A-Za-z#](?:[A-Za-z #'.,()-]*[A-Za-z#'.,()-])?)\s*=\s*({N})\s*$"
)
RE_TABLE_HEADER = re.compile(r"^\s*view\s(?=.*\btilt\b)")
RE_MAPPING_HEADER = re.compile(r"^\s*View\s+Rotation\s+Tilt")
RE_POINTS_HEADER = re.compile(r"^\s*#\s+X\s+Y\s+Z\s+obj\s+cont")
RE_LARGE_HEADER = re.compile(r"Projection points with large residuals(?:\s*\(in (\w+)\))?")
RE_OPENED = re.compile(r"(file opened:|Opened (NEW|OLD) file:)", re.IGNORECASE)
RE_CYCLE = re.compile(r"^\s*(Cycle\s+\d+|Variable Metric minimization|For beam tilt\s*=)")
RE_NON_PATCH = re.compile(r"being ignored for non-patch track model", re.IGNORECASE)
COLUMN_NAMES = {
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
SURFACE_KEYS = {
    "unbinned thickness needed to contain centers of all fiducials": "unbinned_thickness_needed_px",
    "incremental unbinned shift needed to center range of fiducials in z": "incremental_unbinned_shift_px",
    "total unbinned shift needed to center range of fiducials in z": "total_unbinned_shift_px",
    "x axis tilt needed": "x_axis_tilt_needed_deg",
    "incremental tilt angle change": "incremental_tilt_angle_change_deg",
    "total tilt angle change": "total_tilt_angle_change_deg",
    "thickness at z intercepts": "thickness_at_z_intercepts_px",
}


def scope_of(m: re.Match[str], first: int) -> tuple[bool, tuple[int, int] | None]:
    """``(is_global, local_area)`` from the scope groups starting at group ``first``."""
    tag = m.group(first)
    if tag is None:
        return False, None
    if tag.startswith("(Global"):
        return True, None
    return False, (int(m.group(first + 1)), int(m.group(first + 2)))


def norm_unit(unit: str | None) -> str | None:
    """One spelling per unit (``pixel`` -> ``pixels``, ``um`` -> ``µm``, ``A`` -> ``Å``)."""
    if unit is None:
        return None
    return {"pixel": "pixels", "um": "µm", "A": "Å"}.get(unit, unit)
