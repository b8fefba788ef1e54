"""The standard-library fallback for OME-XML that ome-types rejects.

One bad attribute (a wrong type, a unit outside the OME enumeration) makes ome-types refuse the
whole document; this reads the first image's ``Pixels`` attributes and ``AcquisitionDate`` so the
rest is not lost.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from clxm_meta.readers._xml import XmlError, parse_xml
from clxm_meta.readers.tiff.model import OmeImage, OmePixels, OmeSummary
from clxm_meta.readers.tiff.ome_units import UnitIssues, as_written, length_in, number_of

__all__ = ["fallback_summary", "namespace_of"]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _int_attr(el: ET.Element, name: str, col: UnitIssues, loc: str) -> int | None:
    raw = el.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        col.warning(
            "ome_value",
            f"{loc}@{name} = {raw!r} is not an integer; reported as unknown",
            field=name,
            locator=f"{loc}@{name}",
        )
        return None


def fallback_summary(xml: str, col: UnitIssues) -> OmeSummary | None:
    """The first image's Pixels and AcquisitionDate, or ``None`` if the XML is not well-formed."""
    try:
        root = parse_xml(xml)
    except XmlError:
        return None
    image = next((el for el in root if _local(el.tag) == "Image"), None)
    images: list[OmeImage] = []
    if image is not None:
        loc = "OME Image[0]/Pixels"
        px_el = next((el for el in image if _local(el.tag) == "Pixels"), None)
        date_el = next((el for el in image if _local(el.tag) == "AcquisitionDate"), None)
        pixels = None
        if px_el is not None:
            sizes: dict[str, float | None] = {}
            written: dict[str, str | None] = {}
            for axis in "XYZ":
                raw = px_el.get(f"PhysicalSize{axis}")
                unit = px_el.get(f"PhysicalSize{axis}Unit")
                written[axis] = as_written(raw, unit or "µm") if raw is not None else None
                value: float | None = None
                if raw is not None:
                    number = number_of(raw)
                    if number is None:
                        col.warning(
                            "ome_value",
                            f"{loc}@PhysicalSize{axis} = {raw!r} is not a number; "
                            "reported as unknown",
                            field=f"physical_size_{axis.lower()}_um",
                            locator=f"{loc}@PhysicalSize{axis}",
                        )
                    else:
                        value = length_in(
                            number,
                            unit,
                            "µm",
                            col,
                            f"{loc}@PhysicalSize{axis}",
                            f"physical_size_{axis.lower()}_um",
                        )
                sizes[axis] = value
            pixels = OmePixels(
                dimension_order=px_el.get("DimensionOrder"),
                type=px_el.get("Type"),
                size_x=_int_attr(px_el, "SizeX", col, loc),
                size_y=_int_attr(px_el, "SizeY", col, loc),
                size_z=_int_attr(px_el, "SizeZ", col, loc),
                size_c=_int_attr(px_el, "SizeC", col, loc),
                size_t=_int_attr(px_el, "SizeT", col, loc),
                physical_size_x_um=sizes["X"],
                physical_size_y_um=sizes["Y"],
                physical_size_z_um=sizes["Z"],
                physical_size_x_as_written=written["X"],
                physical_size_y_as_written=written["Y"],
                physical_size_z_as_written=written["Z"],
            )
        date = date_el.text.strip() if date_el is not None and date_el.text else None
        images.append(
            OmeImage(
                index=0,
                id=image.get("ID"),
                name=image.get("Name"),
                acquisition_date=date,
                pixels=pixels,
            )
        )
    return OmeSummary(
        parsed_by="fallback",
        schema_namespace=namespace_of(root.tag),
        creator=root.get("Creator"),
        uuid=root.get("UUID"),
        images=images,
    )


def namespace_of(tag: str) -> str | None:
    """The namespace of a ``{namespace}tag`` element name, ``None`` if it has none."""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else None
