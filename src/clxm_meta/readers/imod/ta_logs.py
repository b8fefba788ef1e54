"""The etomo ``ta*.log`` views of align.log (written by the ``alignlog`` script).

They hold slices of the tiltalign output, so they are parsed with the align.log parser; this module
only names the view from the file name (``taSolution.log``, ``taErrora.log`` ...).
"""

from __future__ import annotations

import re

__all__ = ["TA_VIEWS", "ta_view"]

TA_VIEWS = {
    "angles": "surface analysis and recommended angle changes",
    "beamtilt": "F values of the beam-tilt search",
    "coordinates": "3-D fiducial coordinates",
    "error": "errors and the ratio of measured values to unknowns",
    "locals": "local areas",
    "mappings": "variable mappings",
    "residuals": "large residuals",
    "robust": "robust fitting and weighted mean residuals",
    "solution": "per-view solution table",
}
"""View name → what it contains (from the alignlog options)."""

_NAME = re.compile(r"ta(" + "|".join(TA_VIEWS) + r")[ab]?\.log$", re.IGNORECASE)


def ta_view(name: str) -> str | None:
    """The view of a ``ta*.log`` file name (``"solution"`` for ``taSolutiona.log``), else ``None``."""
    m = _NAME.search(name)
    return m.group(1).lower() if m else None
