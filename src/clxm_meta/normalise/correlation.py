"""Correlation transforms → ``correlation.transform`` candidates for both SIM and SXT records.

The row is shared by both archives (shared/docs/table1.md), so the same value is proposed for each
kind. Matrices are given as read (row-major); what space they map from and to is not stated by
either format and is left ``None`` for the depositor.
"""

from __future__ import annotations

from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.readers.correlation import CorrelationModel
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import Transform

__all__ = ["candidates"]

READER = "correlation"


def _description(model: CorrelationModel, entry_order: int | None, rows: int) -> str:
    if model.kind == "ecclem_xml":
        order = f", order {entry_order}" if entry_order is not None else ""
        return f"eC-CLEM MatrixTransformation{order} (4x4 affine)"
    return f"{rows}x4 affine matrix" + (" (row 0 0 0 1 implied)" if rows == 3 else "")


def candidates(model: CorrelationModel) -> list[Candidate]:
    """Table 1 candidates of one correlation transform file (one per record kind)."""
    if not model.matrices:
        return []
    value = [
        Transform(matrix=e.matrix, description=_description(model, e.order, len(e.matrix)))
        for e in model.matrices
    ]
    locator = "; ".join(e.locator for e in model.matrices)
    transform = "matrices as written, row-major"
    if model.combined is not None:
        transform += "; eC-CLEM applies them in sequence (combined = M_n x ... x M_1)"
    return [
        Candidate(
            field="correlation.transform",
            kind=kind,
            value=value,
            source=Source.file(model.path, READER, locator, transform),
            precedence=Precedence.LOG,
        )
        for kind in (DatasetKind.SIM, DatasetKind.SXT)
    ]
