"""Values mined from where the files are rather than from what they hold.

Diamond Light Source keeps every beamtime's data under a visit folder named
``<two letters><five digits>-<visit number>`` (``cm31234-5``, ``bi27612-3``, ``mg28473-1``): the
proposal the beamtime was granted under, which Table 1 asks for as funding ("beamline proposal or
associated"). The visit is taken from the nearest such folder name in the dataset's path (the
deposition root and the folders above it count: a deposition is often made inside the visit),
as a stated assumption that the depositor's sidecar replaces.
"""

from __future__ import annotations

import os
import re

from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import FundingItem

__all__ = ["VISIT", "visit_candidates", "visit_in_path"]

VISIT = re.compile(r"([a-z]{2})(\d{5})-(\d+)")
"""A Diamond visit folder name: proposal (two letters, five digits), dash, visit number."""


def visit_in_path(path: str) -> tuple[str, str] | None:
    """``(visit, folder)``: the nearest folder of ``path`` named like a Diamond visit, or ``None``."""
    parts = os.path.abspath(path).replace(os.sep, "/").split("/")
    for i in range(len(parts) - 1, -1, -1):
        if VISIT.fullmatch(parts[i]):
            return parts[i], "/".join(parts[: i + 1]) or "/"
    return None


def visit_candidates(kind: DatasetKind, root: str, folder: str) -> list[Candidate]:
    """The ``general.funding`` candidate of a dataset in ``folder`` (relative to ``root``)."""
    hit = visit_in_path(os.path.join(root, folder) if folder else root)
    if hit is None:
        return []
    visit, where = hit
    m = VISIT.fullmatch(visit)
    assert m is not None
    proposal = m.group(1) + m.group(2)
    return [
        Candidate(
            field="general.funding",
            kind=kind,
            value=[FundingItem(agency="Diamond Light Source", grant_id=visit)],
            source=Source.assumption(
                where,
                None,
                f"folder name {visit!r}",
                f"assumed: a folder named like a Diamond visit (two letters, five digits, '-', "
                f"visit number) is the beamtime of proposal {proposal} (visit {m.group(3)}), "
                "granted by Diamond Light Source; give general.funding in clxm.yaml if not",
            ),
            precedence=Precedence.ASSUMPTION,
        )
    ]
