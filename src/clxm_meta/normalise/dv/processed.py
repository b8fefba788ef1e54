"""Reconstruction (role processed) → processed rows; OTF (role otf) → processing.otf_files."""

from __future__ import annotations

import os

from clxm_meta.normalise.candidate import Precedence
from clxm_meta.normalise.dv.common import _DIMS, _PIXEL, _date, _dimensions, _emission, _Out
from clxm_meta.records.values import XYZ, AttachedFile


def _processed(out: _Out) -> None:
    model, hdr = out.model, out.model.header
    dx, dy, dz = hdr.dx_um, hdr.dy_um, hdr.dz_um
    if hdr.nx > 0 and hdr.ny > 0:
        out.add(
            "processed.dimensions",
            _dimensions(model, with_z_um=True),
            out.file(f"{_DIMS}, dx, dy, dz (bytes 40-51)", "µm extents = n × d per axis"),
            Precedence.PROCESSED_HEADER,
        )
    if dx is not None and dy is not None:
        out.add(
            "processed.voxel_size",
            XYZ(x=dx, y=dy, z=dz),
            out.file(_PIXEL),
            Precedence.PROCESSED_HEADER,
            "µm",
        )
    if hdr.bits_per_pixel is not None:
        out.add(
            "processed.color_depth",
            hdr.bits_per_pixel,
            out.file(
                f"header PixelType (byte 12) = {hdr.pixel_type}",
                f"{hdr.pixel_type_name} → bits per pixel",
            ),
            Precedence.PROCESSED_HEADER,
            "bit",
        )
    emission = _emission(model)
    if emission is not None:
        out.add(
            "setup.emission_filters",
            emission[0],
            out.file(emission[1]),
            Precedence.PROCESSED_HEADER,
            "nm",
        )
    _date(out, Precedence.PROCESSED_HEADER)


def _otf(out: _Out) -> None:
    model, hdr = out.model, out.model.header
    summary: dict[str, str | int | float | bool | None] = {
        "nx": hdr.nx,
        "ny": hdr.ny,
        "n_sections": hdr.n_sections,
        "pixel_type": hdr.pixel_type,
        "wavelength_nm": model.wavelengths_nm[0] if model.wavelengths_nm else None,
        "lens_id": hdr.lens_id or None,
    }
    out.add(
        "processing.otf_files",
        [
            AttachedFile(
                path=model.path,
                role="otf",
                format="dv",
                size_bytes=model.file_size,
                summary=summary,
            )
        ],
        out.file(
            f"{os.path.basename(model.path)}: " + "; ".join(model.role_evidence),
            "the file itself, recognised as an OTF",
        ),
        Precedence.HEADER,
    )
