"""Linear transform files: ``.xf``, ``.tltxf``, ``.prexf``, ``.prexg`` and ``local.xf``.

``.xf`` style: one line per view, ``A11 A12 A21 A22 DX DY``. ``local.xf``: a header line
``nx ny xstart ystart dx dy ifXtilts pixel_A ifZfactors`` then, per local area, the tilt changes,
optional X-tilts, optional Z-factor pairs and one transform per view.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.imod.model import ImodFile
from clxm_meta.readers.imod.text import LineKeeper, TextDoc, floats

__all__ = ["LocalXf", "XfFile", "XfRow", "parse_local_xf", "parse_xf"]


class XfRow(BaseModel):
    """One transform: X' = a11·X + a12·Y + dx, Y' = a21·X + a22·Y + dy (dx, dy in pixels)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    a11: float
    a12: float
    a21: float
    a22: float
    dx: float
    dy: float
    line: int

    @property
    def rotation_deg(self) -> float:
        """Rotation of the transform, degrees."""
        return math.degrees(math.atan2(self.a21 - self.a12, self.a11 + self.a22))


class XfFile(ImodFile):
    """A per-view transform list; ``variant`` is the file ending (``xf``, ``tltxf``, ``prexg`` ...)."""

    kind: Literal["xf"] = "xf"
    variant: str = "xf"
    transforms: list[XfRow] = Field(default_factory=list)

    @property
    def n_views(self) -> int:
        """Number of transforms."""
        return len(self.transforms)


def parse_xf(doc: TextDoc, path: str, collector: FindingCollector, variant: str) -> XfFile:
    """Parse an .xf-style file from decoded lines."""
    keep = LineKeeper()
    rows: list[XfRow] = []
    for no, text in doc.numbered():
        vals = floats(text.strip())
        if vals is not None and len(vals) == 6:
            rows.append(
                XfRow(
                    a11=vals[0],
                    a12=vals[1],
                    a21=vals[2],
                    a22=vals[3],
                    dx=vals[4],
                    dy=vals[5],
                    line=no,
                )
            )
        else:
            keep.add(no, text)
    if keep.kept:
        collector.warning(
            "xf_lines_unparsed",
            f"{len(keep.kept) + keep.dropped} line(s) are not 6 numbers",
            locator=f"line {keep.kept[0].line}",
        )
    if not rows:
        collector.error("no_transforms", "the transform file holds no transform")
    return XfFile(
        path=path,
        variant=variant,
        file_size=doc.size,
        encoding=doc.encoding,
        line_count=len(doc.lines),
        transforms=rows,
        unparsed=keep.kept,
        unparsed_dropped=keep.dropped,
    )


class LocalXf(ImodFile):
    """A local-alignment file.

    Attributes
    ----------
    n_areas_xy, start_xy_px, spacing_xy_px
        The local-area grid (header fields 1–6).
    has_x_tilts, has_z_factors
        Header flags 7 and 9.
    pixel_size_a
        Header field 8, Å.
    n_views
        Views per area, inferred from the number of values (``None`` if they do not divide).
    """

    kind: Literal["local_xf"] = "local_xf"
    n_areas_xy: tuple[int, int] | None = None
    start_xy_px: tuple[float, float] | None = None
    spacing_xy_px: tuple[float, float] | None = None
    has_x_tilts: bool | None = None
    pixel_size_a: float | None = None
    has_z_factors: bool | None = None
    n_views: int | None = None
    n_values: int = 0


def parse_local_xf(doc: TextDoc, path: str, collector: FindingCollector) -> LocalXf:
    """Parse a local.xf file from decoded lines."""
    keep = LineKeeper()
    header: list[float] | None = None
    n_values = 0
    for no, text in doc.numbered():
        vals = floats(text.strip())
        if vals is None:
            keep.add(no, text)
            continue
        if header is None:
            if vals:
                header = vals
            continue
        n_values += len(vals)
    fields: dict[str, object] = {}
    if header is None or len(header) < 6:
        collector.error("local_xf_header", "no local-alignment header line (nx ny x0 y0 dx dy ...)")
    else:
        nx, ny = int(header[0]), int(header[1])
        fields.update(
            n_areas_xy=(nx, ny),
            start_xy_px=(header[2], header[3]),
            spacing_xy_px=(header[4], header[5]),
        )
        xt = bool(header[6]) if len(header) > 6 else False
        zf = bool(header[8]) if len(header) > 8 else False
        fields.update(
            has_x_tilts=xt if len(header) > 6 else None,
            pixel_size_a=header[7] if len(header) > 7 else None,
            has_z_factors=zf if len(header) > 8 else None,
        )
        per_view = 1 + int(xt) + 2 * int(zf) + 6
        areas = nx * ny
        if areas > 0 and n_values % (areas * per_view) == 0:
            fields["n_views"] = n_values // (areas * per_view)
        else:
            collector.warning(
                "local_xf_count",
                f"{n_values} values do not divide into {areas} areas of {per_view} values per view",
            )
    return LocalXf(
        path=path,
        file_size=doc.size,
        encoding=doc.encoding,
        line_count=len(doc.lines),
        n_values=n_values,
        unparsed=keep.kept,
        unparsed_dropped=keep.dropped,
        **fields,
    )
