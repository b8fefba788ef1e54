"""Raw SIM stack (role raw_sim, widefield or unknown) → setup, acquisition and raw rows."""

from __future__ import annotations

from clxm_meta.normalise.candidate import Precedence
from clxm_meta.normalise.dv.channels import _camera, _channels, _software
from clxm_meta.normalise.dv.common import (
    _DIMS,
    _PIXEL,
    _date,
    _dimensions,
    _emission,
    _Out,
    _pixel_type_words,
    _r,
)
from clxm_meta.records.values import XYZ, IntensityRange, Objective


def _raw(out: _Out) -> None:
    model, hdr = out.model, out.model.header
    dx, dy, dz = hdr.dx_um, hdr.dy_um, hdr.dz_um
    if dx is not None and dy is not None:
        out.add(
            "setup.pixel_size", XYZ(x=dx, y=dy, z=dz), out.file(_PIXEL), Precedence.HEADER, "µm"
        )
        out.add(
            "setup.field_of_view",
            XYZ(x=_r(hdr.nx * dx), y=_r(hdr.ny * dy)),
            out.derived("header nx, ny (bytes 0-7), dx, dy (bytes 40-47)", "nx × dx, ny × dy"),
            Precedence.DERIVED,
            "µm",
        )
    if hdr.lens_id:
        lens = model.lens
        obj = (
            Objective(
                lens_id=lens.lens_id,
                name=lens.name,
                manufacturer=lens.manufacturer,
                model=lens.model,
                magnification=lens.magnification,
                na=lens.na,
                immersion=lens.immersion,
                correction=lens.correction,
                working_distance_mm=lens.working_distance_mm,
            )
            if lens is not None
            else Objective(lens_id=hdr.lens_id)
        )
        out.add(
            "setup.objective",
            obj,
            out.file(
                f"header LensNum (byte 162) = {hdr.lens_id}",
                "lens table clxm_meta.readers.dv.lenses"
                if lens is not None
                else "lens ID not in the lens table: ID only",
            ),
            Precedence.HEADER,
        )
    emission = _emission(model)
    if emission is not None:
        out.add(
            "setup.emission_filters", emission[0], out.file(emission[1]), Precedence.HEADER, "nm"
        )
    out.add(
        "acquisition.n_excitation_wavelengths",
        model.n_waves,
        out.file(
            "header NumWaves (byte 196)",
            None if hdr.n_waves == model.n_waves else f"stored {hdr.n_waves}, read as 1",
        ),
        Precedence.HEADER,
    )
    _channels(out)
    _focal(out)
    _camera(out)
    _software(out)
    out.add(
        "raw.format",
        "DeltaVision (.dv)",
        out.file(f"magic -16224 at byte 96 ({hdr.byte_order}-endian)"),
        Precedence.HEADER,
    )
    if hdr.nx > 0 and hdr.ny > 0:
        out.add(
            "raw.dimensions",
            _dimensions(model, with_z_um=False),
            out.file(
                f"{_DIMS}, dx, dy (bytes 40-47)",
                "z = n_sections / (waves × times): planes per channel as stored "
                "(raw SIM: focal planes × angles × phases); x_um = nx × dx, y_um = ny × dy",
            ),
            Precedence.HEADER,
        )
    words = _pixel_type_words(model)
    if words is not None:
        out.add(
            "raw.pixel_type",
            words,
            out.file(f"header PixelType (byte 12) = {hdr.pixel_type}"),
            Precedence.HEADER,
        )
    ranges = [
        IntensityRange(index=s.index, wavelength_nm=s.wavelength_nm, min=s.min, max=s.max)
        for s in model.intensity
    ]
    if any(r.min is not None or r.max is not None for r in ranges):
        out.add(
            "raw.intensity_range",
            ranges,
            out.file("; ".join(s.locator for s in model.intensity)),
            Precedence.HEADER,
        )
    _date(out, Precedence.HEADER)


def _focal(out: _Out) -> None:
    model, dz = out.model, out.model.header.dz_um
    sim = model.sim
    if model.role == "raw_sim" and sim is not None:
        if sim.nz is not None and sim.angles and sim.phases:
            n = sim.angles * sim.phases
            out.add(
                "acquisition.n_focal_planes",
                sim.nz,
                out.assumption(
                    f"{_DIMS}",
                    f"header Z {sim.nz_header} / ({sim.angles} angles × {sim.phases} phases); "
                    + sim.counts_note,
                ),
                Precedence.ASSUMPTION,
            )
            if dz is not None:
                out.add(
                    "acquisition.stack_height",
                    _r((sim.nz - 1) * dz),
                    out.assumption(
                        f"{_DIMS}, dz (bytes 48-51)",
                        f"(planes − 1) × dz = ({sim.nz} − 1) × {dz}, with the planes of "
                        f"acquisition.n_focal_planes (header Z {sim.nz_header} / {n}; same "
                        "assumption)",
                    ),
                    Precedence.ASSUMPTION,
                    "µm",
                )
        if sim.acquired_order is not None and model.cockpit is not None:
            out.add(
                "acquisition.si_acquired_order",
                sim.acquired_order,
                out.file(
                    f"title {model.cockpit.si_order_title} ('SI order:')",
                    "Cockpit loop order, outermost first",
                ),
                Precedence.HEADER,
            )
        else:
            out.add(
                "acquisition.si_acquired_order",
                sim.data_order,
                out.assumption(
                    "no SI order title",
                    "acquisition order not recorded; taken as the stored order: "
                    + sim.data_order_note,
                ),
                Precedence.ASSUMPTION,
            )
        out.add(
            "acquisition.si_reported_order",
            sim.data_order,
            out.assumption(
                f"header ImgSequence (byte 182) = {model.header.image_sequence_name}",
                sim.data_order_note,
            ),
            Precedence.ASSUMPTION,
        )
    elif model.role == "widefield" and model.nz is not None:
        out.add(
            "acquisition.n_focal_planes",
            model.nz,
            out.derived(_DIMS, "n_sections / (waves × times)"),
            Precedence.DERIVED,
        )
        if dz is not None:
            out.add(
                "acquisition.stack_height",
                _r((model.nz - 1) * dz),
                out.derived(
                    f"{_DIMS}, dz (bytes 48-51)", f"(nz − 1) × dz = ({model.nz} − 1) × {dz}"
                ),
                Precedence.DERIVED,
                "µm",
            )
