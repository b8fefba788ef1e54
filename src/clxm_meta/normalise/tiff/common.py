"""Rows every TIFF dataset kind shares: format, sizes, pixel type and size, date, instrument."""

from __future__ import annotations

from typing import Any

from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.normalise.tiff.geometry import _Geometry, _Item, _pixels
from clxm_meta.readers.tiff import TiffMetadata
from clxm_meta.readers.tiff.model import OmeInstrument
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.pixel_types import pixel_type_words
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import XYZ, ImageDimensions

READER = "tiff"


def _file(model: TiffMetadata, item: _Item) -> Source:
    return Source.file(model.path, READER, item.locator, item.transform)


def _join(*items: _Item | None) -> str:
    return " + ".join(i.locator for i in items if i is not None)


def _cand(
    kind: DatasetKind,
    field: str,
    value: Any,
    source: Source,
    unit: str | None = None,
    precedence: Precedence = Precedence.PROCESSED_HEADER,
) -> Candidate:
    return Candidate(
        field=field, kind=kind, value=value, unit=unit, source=source, precedence=precedence
    )


def _format_name(model: TiffMetadata) -> str:
    if model.flavour in ("ome", "txrm2tiff"):
        return "OME-TIFF"
    if model.flavour == "imagej":
        return "ImageJ TIFF"
    return "BigTIFF" if model.bigtiff else "TIFF"


def _common(
    model: TiffMetadata, kind: DatasetKind, geo: _Geometry, *, with_z: bool, why: str = ""
) -> list[Candidate]:
    """raw.format, raw.dimensions, raw.pixel_type, setup.pixel_size, setup.field_of_view."""
    out: list[Candidate] = []
    path = model.path
    writer = f"written by {model.writer} {model.writer_version or ''}".rstrip()
    out.append(
        _cand(
            kind,
            "raw.format",
            _format_name(model),
            Source.file(
                path,
                READER,
                "TIFF signature + ImageDescription",
                (
                    f"flavour {model.flavour}; {writer}"
                    if model.writer
                    else f"flavour {model.flavour}"
                )
                + why,
            ),
        )
    )
    x_um = geo.x.value * geo.px.value if geo.x and geo.px else None
    y_um = geo.y.value * geo.py.value if geo.y and geo.py else None
    if geo.x is not None or geo.y is not None:
        dims = ImageDimensions(
            x=geo.x.value if geo.x else None,
            y=geo.y.value if geo.y else None,
            z=geo.z.value if with_z and geo.z else None,
            c=geo.c.value if with_z and geo.c else None,
            t=geo.t.value if with_z and geo.t else None,
            x_um=x_um,
            y_um=y_um,
        )
        used = [geo.x, geo.y, geo.px, geo.py]
        if with_z:
            used += [geo.z, geo.c, geo.t]
        if x_um is None and y_um is None:
            src = Source.file(path, READER, _join(*used))
        else:
            src = Source.derived(path, READER, _join(*used), "x_um = size X × pixel size X (µm)")
        out.append(_cand(kind, "raw.dimensions", dims, src))
    if geo.dtype is not None:
        dtype = str(geo.dtype.value)
        wording = "1-bit" if dtype == "bit" else pixel_type_words(dtype)
        if wording:
            out.append(
                _cand(
                    kind,
                    "raw.pixel_type",
                    wording,
                    Source.file(path, READER, geo.dtype.locator, f"{dtype} → wording"),
                )
            )
    if geo.px is not None or geo.py is not None:
        pz = geo.pz.value if with_z and geo.pz else None
        size = XYZ(x=geo.px.value if geo.px else None, y=geo.py.value if geo.py else None, z=pz)
        parts = [geo.px, geo.py] + ([geo.pz] if with_z else [])
        transforms = "; ".join(
            dict.fromkeys(i.transform for i in parts if i is not None and i.transform)
        )
        out.append(
            _cand(
                kind,
                "setup.pixel_size",
                size,
                Source.file(path, READER, _join(*parts), transforms or None),
                unit="µm",
            )
        )
    if x_um is not None or y_um is not None:
        out.append(
            _cand(
                kind,
                "setup.field_of_view",
                XYZ(x=x_um, y=y_um),
                Source.derived(
                    path,
                    READER,
                    _join(geo.x, geo.y, geo.px, geo.py),
                    "size × pixel size (µm)",
                ),
                unit="µm",
                precedence=Precedence.DERIVED,
            )
        )
    return out


def _date(model: TiffMetadata, kind: DatasetKind) -> list[Candidate]:
    image, _ = _pixels(model)
    if image is not None and image.acquisition_date:
        src = Source.file(model.path, READER, "OME Image[0]/AcquisitionDate")
        return [_cand(kind, "general.collection_date", image.acquisition_date, src)]
    if model.first_page.datetime_iso:
        src = Source.file(
            model.path, READER, "tag DateTime (306)", "YYYY:MM:DD HH:MM:SS → ISO 8601"
        )
        return [_cand(kind, "general.collection_date", model.first_page.datetime_iso, src)]
    return []


def _instrument(model: TiffMetadata) -> OmeInstrument | None:
    if model.ome is None or not model.ome.instruments:
        return None
    image, _ = _pixels(model)
    ref = image.instrument_ref if image is not None else None
    for ins in model.ome.instruments:
        if ref is not None and ins.id == ref:
            return ins
    return model.ome.instruments[0] if len(model.ome.instruments) == 1 else None


def _instrument_name(model: TiffMetadata, kind: DatasetKind) -> list[Candidate]:
    ins = _instrument(model)
    if ins is None:
        return []
    name = " ".join(p for p in (ins.microscope_manufacturer, ins.microscope_model) if p)
    if not name:
        return []
    src = Source.file(model.path, READER, f"OME Instrument[{ins.id}]/Microscope")
    return [_cand(kind, "general.instrument", name, src)]
