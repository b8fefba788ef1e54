"""Correlation (SIM ↔ SXT registration) transforms: plain matrix text and legacy eC-CLEM XML.

No public format is established for a CLXM correlation transform; two are accepted (see
docs/correlation.md):

``matrix_text``
    A text file holding one affine matrix: 3 or 4 rows of 4 numbers, separated by whitespace,
    commas or semicolons; ``#`` starts a comment; blank lines are ignored. A 3-row matrix is the
    top of a 3D affine (the implied ``0 0 0 1`` row is not added). Recognised when the name ends
    ``.txt``, ``.csv`` or ``.dat`` **and** contains ``transform``, ``transfo``, ``matrix``,
    ``affine``, ``registration`` or ``correlation``, and the content parses.
``ecclem_xml``
    The ``*_transfo.xml`` written by the legacy eC-CLEM Icy plugin (easyclemv0 era, and plugins
    derived from it): elements ``MatrixTransformation`` with attributes ``order``,
    ``m00`` ... ``m33`` and ``process_date``, under one element per sequence. Every matrix is kept;
    eC-CLEM's combined transform is ``M_n · ... · M_1`` (document order), kept as ``combined``.
``ecclem_schema_xml``
    The newer eC-CLEM XML (``<transformation type=... noiseModel=...>`` with fiducial
    ``<dataset>``/``<point>`` elements) stores the fiducial points, not a matrix: recognised, no
    matrix taken (finding).

Verified against eC-CLEM sources (anrcrocoval/ec-clem, ``storage/transformation_schema``) and an
Icy plugin that reads/writes the legacy format; no real sample file was available.
"""

from __future__ import annotations

import math
import os

from clxm_meta.errors import MalformedFileError
from clxm_meta.readers._text import parse_float, read_text
from clxm_meta.readers._xml import XmlError, parse_xml
from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.correlation.matrix_text import matrix_rows
from clxm_meta.readers.correlation.model import CorrelationModel, MatrixEntry

__all__ = ["read"]

READER = "correlation"
MAX_BYTES = 4 * 1024 * 1024
MATRIX_KEYS = [f"m{r}{c}" for r in range(4) for c in range(4)]


def _matmul(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    return [[sum(a[i][k] * b[k][j] for k in range(4)) for j in range(4)] for i in range(4)]


def _read_text_matrix(spath: str, text: str, findings: FindingCollector) -> CorrelationModel:
    rows = matrix_rows(text)
    if rows is None:
        raise MalformedFileError(
            "not a correlation matrix: expected 3 or 4 rows of 4 numbers ('#' comments allowed)",
            path=spath,
        )
    matrix = [r for _, r in rows]
    if len(matrix) == 4 and any(
        not math.isclose(a, b, abs_tol=1e-9)
        for a, b in zip(matrix[3], (0.0, 0.0, 0.0, 1.0), strict=True)
    ):
        findings.warning(
            "not_affine", "last row is not 0 0 0 1: not an affine matrix (kept as given)"
        )
    locator = f"lines {rows[0][0]}-{rows[-1][0]}"
    return CorrelationModel(
        path=spath,
        kind="matrix_text",
        matrices=[MatrixEntry(matrix=matrix, locator=locator)],
    )


def _read_xml(spath: str, text: str, findings: FindingCollector) -> CorrelationModel:
    try:
        root = parse_xml(text)  # refuses DTDs with entities or external ids (XXE, billion laughs)
    except XmlError as exc:
        raise MalformedFileError(str(exc), path=spath) from None
    matrices: list[MatrixEntry] = []
    parents = {child: parent for parent in root.iter() for child in parent}
    for n, element in enumerate(root.iter("MatrixTransformation")):
        values = [parse_float(element.get(k, "")) for k in MATRIX_KEYS]
        if any(v is None for v in values):
            findings.warning(
                "incomplete_matrix",
                f"MatrixTransformation #{n + 1} lacks some of m00..m33: skipped",
                locator=f"MatrixTransformation[{n + 1}]",
            )
            continue
        flat = [v for v in values if v is not None]
        order = element.get("order")
        parent = parents.get(element)
        matrices.append(
            MatrixEntry(
                matrix=[flat[i : i + 4] for i in range(0, 16, 4)],
                locator=f"MatrixTransformation[{n + 1}]",
                order=int(order) if order and order.lstrip("-").isdigit() else None,
                process_date=element.get("process_date"),
                container=parent.tag if parent is not None else None,
            )
        )
        if len(matrices) >= 1000:
            break
    if matrices:
        combined = None
        if len(matrices) > 1:
            combined = [[float(i == j) for j in range(4)] for i in range(4)]
            for entry in matrices:
                combined = _matmul(entry.matrix, combined)
        return CorrelationModel(path=spath, kind="ecclem_xml", matrices=matrices, combined=combined)
    schema = root if root.tag == "transformation" else root.find(".//transformation")
    if schema is not None and schema.get("noiseModel") is not None:
        findings.warning(
            "no_matrix_stored",
            "eC-CLEM transformation schema: it stores the fiducial points, not the matrix; "
            "export the matrix from eC-CLEM to deposit it",
        )
        return CorrelationModel(
            path=spath,
            kind="ecclem_schema_xml",
            transformation_type=schema.get("type"),
            noise_model=schema.get("noiseModel"),
        )
    raise MalformedFileError(
        "XML without eC-CLEM MatrixTransformation or transformation elements", path=spath
    )


def read(path: str | os.PathLike[str], *, strict: bool = False) -> CorrelationModel:
    """Read a correlation transform (matrix text or eC-CLEM XML).

    Raises
    ------
    MalformedFileError
        The content is neither a 3x4/4x4 matrix nor eC-CLEM XML.
    """
    spath = os.fspath(path)
    findings = FindingCollector(spath, READER, strict=strict)
    tf = read_text(spath, max_bytes=MAX_BYTES)
    if tf.truncated:
        raise MalformedFileError("file larger than 4 MiB: not a transform file", path=spath)
    text = "\n".join(line for _, line in tf.lines)
    if text.lstrip().startswith("<"):
        model = _read_xml(spath, text, findings)
    else:
        model = _read_text_matrix(spath, text, findings)
    if tf.replaced:
        findings.warning("not_utf8", "bytes that are not UTF-8 were replaced by U+FFFD")
    return model.model_copy(update={"file_size": tf.size, "findings": findings.items})
