"""Tilt-angle files: ``.rawtlt``, ``.tlt``, ``.xtilt`` and AreTomo's ``<stem>_TLT.txt``.

``.rawtlt`` holds the acquired angles, ``.tlt`` the solved ones, ``.xtilt`` X-axis tilts, and
``_TLT.txt`` the angles given to AreTomo (``<angle> <index>`` per line). One number per line (per view; an AreTomo line may add the view's index), in degrees. A line that is not a number is kept as unparsed with
a finding; its view gets no angle (nothing is invented).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.imod.model import ImodFile
from clxm_meta.readers.imod.text import LineKeeper, TextDoc, floats

__all__ = ["AngleFile", "parse_angles"]


class AngleFile(ImodFile):
    """A per-view angle list.

    Attributes
    ----------
    kind
        ``rawtlt`` (as acquired), ``tlt`` (solved by tiltalign), ``xtilt`` (X-axis tilt) or
        ``aretomo_tlt`` (the angles given to AreTomo).
    angles_deg
        One value per view, in file order.
    lines
        The 1-based line of each value.
    """

    kind: Literal["rawtlt", "tlt", "xtilt", "aretomo_tlt"]
    angles_deg: list[float] = Field(default_factory=list)
    lines: list[int] = Field(default_factory=list)

    @property
    def n_views(self) -> int:
        """Number of angles."""
        return len(self.angles_deg)


def parse_angles(
    doc: TextDoc,
    path: str,
    collector: FindingCollector,
    kind: Literal["rawtlt", "tlt", "xtilt", "aretomo_tlt"],
) -> AngleFile:
    """Parse an angle file from decoded lines."""
    keep = LineKeeper()
    angles: list[float] = []
    lines: list[int] = []
    bad = 0
    for no, text in doc.numbered():
        s = text.strip()
        if not s:
            continue
        vals = floats(s)
        if vals is not None and (len(vals) == 1 or (kind == "aretomo_tlt" and len(vals) == 2)):
            angles.append(vals[0])
            lines.append(no)
            continue
        bad += 1
        keep.add(no, text)
    if bad:
        collector.warning(
            "angle_lines_unparsed",
            f"{bad} line(s) are not a single number; those views have no angle here",
            locator=f"line {keep.kept[0].line}" if keep.kept else None,
        )
    if not angles:
        collector.error("no_angles", "the angle file holds no angle")
    return AngleFile(
        path=path,
        kind=kind,
        file_size=doc.size,
        encoding=doc.encoding,
        line_count=len(doc.lines),
        angles_deg=angles,
        lines=lines,
        unparsed=keep.kept,
        unparsed_dropped=keep.dropped,
    )
