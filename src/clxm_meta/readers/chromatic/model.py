"""The chromatic-shift format model: one Chromagnon CSV, its key rows and per-channel transforms."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FormatModel

__all__ = ["ChromagnonRow", "ChromaticModel"]


class ChromagnonRow(BaseModel):
    """One time point x wavelength row: the transform of that channel onto the reference.

    ``tz, ty, tx`` in pixels, ``rz`` in degrees, ``mz, my, mx`` dimensionless.
    """

    model_config = ConfigDict(extra="forbid")

    line: int
    t: int | None = None
    wavelength_nm: float | None = None
    tz: float | None = None
    ty: float | None = None
    tx: float | None = None
    rz: float | None = None
    mz: float | None = None
    my: float | None = None
    mx: float | None = None


class ChromaticModel(FormatModel):
    """A Chromagnon chromatic-shift parameter file.

    Attributes
    ----------
    software, version
        ``"Chromagnon"``; version only if the file has a ``version`` row.
    nt, nw
        Numbers of time points and wavelengths declared.
    pixel_size_zyx_um
        ``pxlsize_z_y_x`` (µm), the unit of the translations.
    refwave_index, refwave_line, reference_wavelength_nm
        The ``refwave`` value and the wavelength it resolves to.
    units
        Units of the transform columns.
    rows
        The transform rows, in file order.
    extra
        Key rows the reader does not know (key → values), with their line in ``extra_lines``.
    """

    format: Literal["chromatic"] = "chromatic"
    kind: Literal["chromagnon_csv"] = "chromagnon_csv"
    software: str = "Chromagnon"
    version: str | None = None
    nt: int | None = None
    nw: int | None = None
    pixel_size_zyx_um: list[float] | None = None
    refwave_index: int | None = None
    refwave_line: int | None = None
    reference_wavelength_nm: float | None = None
    units: dict[str, str] = Field(
        default_factory=lambda: {
            "tz": "px",
            "ty": "px",
            "tx": "px",
            "rz": "deg",
            "mz": "1",
            "my": "1",
            "mx": "1",
        }
    )
    header_line: int | None = None
    rows: list[ChromagnonRow] = Field(default_factory=list)
    extra: dict[str, list[str]] = Field(default_factory=dict)
    extra_lines: dict[str, int] = Field(default_factory=dict)
