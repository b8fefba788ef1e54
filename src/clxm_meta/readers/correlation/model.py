"""The correlation-transform format model: the matrices a file holds and where each was found."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FormatModel

__all__ = ["CorrelationModel", "MatrixEntry"]


class MatrixEntry(BaseModel):
    """One affine matrix (row-major) and where it was found."""

    model_config = ConfigDict(extra="forbid")

    matrix: list[list[float]]
    locator: str
    order: int | None = None
    process_date: str | None = None
    container: str | None = None
    """For eC-CLEM XML: the element (sequence name) holding the matrix."""


class CorrelationModel(FormatModel):
    """A correlation transform file.

    Attributes
    ----------
    kind
        ``matrix_text``, ``ecclem_xml`` or ``ecclem_schema_xml`` (see the module docstring).
    matrices
        The matrices in file order.
    combined
        eC-CLEM legacy: the product ``M_n · ... · M_1`` when there is more than one matrix.
    transformation_type, noise_model
        eC-CLEM schema XML attributes (the matrix itself is not stored there).
    """

    format: Literal["correlation"] = "correlation"
    kind: Literal["matrix_text", "ecclem_xml", "ecclem_schema_xml"]
    matrices: list[MatrixEntry] = Field(default_factory=list)
    combined: list[list[float]] | None = None
    transformation_type: str | None = None
    noise_model: str | None = None
