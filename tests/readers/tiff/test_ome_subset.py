"""The standard-library OME-XML reading (ome_subset) against ome-types, the independent peer.

For every document, `parse_ome` runs twice: as shipped (the subset reader answers when it can) and
with the subset reader switched off (ome-types reads everything, as before). The summaries and the
findings must be identical. Documents: the real OME-TIFFs in ../shared/data/real, the files the
tests write (tests/writers/tiff.py), the OME-XML the project exports (clxm_meta.export.ome.build), a
document that reaches every attribute of the subset, and that document with each attribute and
element changed into spellings that ome-types may read differently or refuse.
"""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import tifffile

import clxm_meta
from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.tiff import ome as ome_module
from clxm_meta.readers.tiff.ome_subset import ENUMERATIONS, OME_2016_06, read_subset
from conftest import EXAMPLE, real_files
from writers.tiff import compose_ome, fluorescence_ome

ome_types = pytest.importorskip("ome_types")

NS = OME_2016_06


@contextmanager
def _ome_types_only() -> Iterator[None]:
    with mock.patch.object(ome_module, "read_subset", return_value=None):
        yield


def _parse(xml: str) -> tuple[Any, list[dict[str, Any]]]:
    col = FindingCollector("x.ome.tif", "tiff")
    summary = ome_module.parse_ome(xml, col)
    return (
        summary.model_dump() if summary is not None else None,
        [f.model_dump() for f in col.items],
    )


def _same_as_ome_types(xml: str) -> bool:
    """Assert both readings agree when the subset reader answers; tell whether it did.

    Outside the subset both runs are ome-types' (not compared: ome-types numbers missing or
    malformed IDs from a process-wide counter, so two runs of it can differ).
    """
    if read_subset(xml) is None:
        return False
    fast = _parse(xml)
    with _ome_types_only():
        slow = _parse(xml)
    assert fast == slow
    return True


# --- documents ------------------------------------------------------------------------------------

KITCHEN_SINK = f"""<?xml version="1.0" encoding="UTF-8"?>
<OME xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
     xsi:schemaLocation="{NS} {NS}/ome.xsd"
     UUID="urn:uuid:12345678-90ab-cdef-1234-567890abcdef" Creator="kitchen sink 1.0">
  <Instrument ID="Instrument:0">
    <AnnotationRef ID="Annotation:5"/>
    <Microscope Manufacturer="Acme" Model="M1" SerialNumber="S1" LotNumber="L1" Type="Inverted"/>
    <Objective ID="Objective:0" Manufacturer="Nikon" Model="100x" SerialNumber="S2"
        LotNumber="L2" Correction="PlanApo" Immersion="Oil" LensNA="1.4"
        NominalMagnification="100" CalibratedMagnification="99.5" WorkingDistance="0.13"
        WorkingDistanceUnit="mm" Iris="false"><AnnotationRef ID="Annotation:6"/></Objective>
    <Objective ID="Objective:1" LensNA="0.9" WorkingDistance="200"/>
    <Detector ID="Detector:0" Manufacturer="Andor" Model="Zyla" SerialNumber="S3"
        LotNumber="L3" Gain="2.5" Voltage="12" VoltageUnit="mV" Offset="100" Zoom="1"
        AmplificationGain="300" Type="CMOS"><AnnotationRef ID="Annotation:7"/></Detector>
    <Laser ID="LightSource:0" Manufacturer="Coherent" Model="OBIS" SerialNumber="S4"
        LotNumber="L4" Power="0.05" PowerUnit="W" Type="Semiconductor" LaserMedium="GaAs"
        Wavelength="488" WavelengthUnit="nm" FrequencyMultiplication="1" Tuneable="false"
        Pulse="CW" PockelCell="false" RepetitionRate="80" RepetitionRateUnit="MHz">
      <AnnotationRef ID="Annotation:8"/></Laser>
    <Laser ID="LightSource:1" Wavelength="0.561" WavelengthUnit="µm" Power="20"/>
  </Instrument>
  <Image ID="Image:0" Name="cell 1">
    <AcquisitionDate>2024-01-02T03:04:05</AcquisitionDate>
    <Description>  two
      lines  </Description>
    <InstrumentRef ID="Instrument:0"/>
    <ObjectiveSettings ID="Objective:0" CorrectionCollar="0.17" Medium="Oil"
        RefractiveIndex="1.518"/>
    <Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint16" SignificantBits="12"
        Interleaved="false" BigEndian="true" SizeX="8" SizeY="6" SizeZ="2" SizeC="2" SizeT="1"
        PhysicalSizeX="0.08" PhysicalSizeXUnit="µm" PhysicalSizeY="80" PhysicalSizeYUnit="nm"
        PhysicalSizeZ="0.125" TimeIncrement="1.5" TimeIncrementUnit="ms">
      <Channel ID="Channel:0:0" Name="GFP" SamplesPerPixel="1" IlluminationType="Epifluorescence"
          PinholeSize="1" PinholeSizeUnit="µm" AcquisitionMode="StructuredIllumination"
          ContrastMethod="Fluorescence" ExcitationWavelength="488"
          ExcitationWavelengthUnit="nm" EmissionWavelength="0.525"
          EmissionWavelengthUnit="µm" Fluor="EGFP" NDFilter="0.5" PockelCellSetting="3"
          Color="-16776961">
        <LightSourceSettings ID="LightSource:0" Attenuation="0.9" Wavelength="488"
            WavelengthUnit="nm"/>
        <DetectorSettings ID="Detector:0" Offset="1" Gain="2" Voltage="3" VoltageUnit="V"
            Zoom="1" ReadOutRate="10" ReadOutRateUnit="MHz" Binning="2x2" Integration="1"/>
        <LightPath><AnnotationRef ID="Annotation:4"/></LightPath>
        <AnnotationRef ID="Annotation:2"/>
      </Channel>
      <Channel ID="Channel:0:1" ExcitationWavelength="561" EmissionWavelength="610">
        <LightSourceSettings ID="LightSource:1"/>
      </Channel>
      <TiffData IFD="0" FirstZ="0" FirstT="0" FirstC="0" PlaneCount="4">
        <UUID FileName="a.ome.tif">urn:uuid:12345678-90ab-cdef-1234-567890abcdef</UUID>
      </TiffData>
      <Plane TheZ="0" TheC="0" TheT="0" DeltaT="0" DeltaTUnit="s" ExposureTime="10"
          ExposureTimeUnit="ms" PositionX="1" PositionXUnit="mm" PositionY="-2.5"
          PositionYUnit="µm" PositionZ="3" PositionZUnit="reference frame"/>
      <Plane TheZ="1" TheC="0" TheT="0" ExposureTime="0.01" PositionX="1" PositionY="2"
          PositionZ="3"/>
      <Plane TheZ="0" TheC="1" TheT="0" DeltaT="1.5" DeltaTUnit="min"/>
      <Plane TheZ="1" TheC="1" TheT="0"><AnnotationRef ID="Annotation:3"/></Plane>
    </Pixels>
  </Image>
  <Image ID="urn:lsid:example.org:Image:1">
    <AnnotationRef ID="Annotation:1"/>
    <Pixels ID="Pixels:1" DimensionOrder="XYCZT" Type="float" SizeX="1" SizeY="1" SizeZ="1"
        SizeC="1" SizeT="1">
      <MetadataOnly/>
    </Pixels>
  </Image>
  <StructuredAnnotations>
    <CommentAnnotation ID="Annotation:0" Namespace="x.org/c" Annotator="Experimenter:0">
      <Description>a comment</Description><Value>hello</Value></CommentAnnotation>
    <MapAnnotation ID="Annotation:1"><AnnotationRef ID="Annotation:0"/>
      <Value><M K="a">1</M><M K="b"/><M>no key</M></Value></MapAnnotation>
    <XMLAnnotation ID="Annotation:2" Namespace="openmicroscopy.org/OriginalMetadata">
      <Value><o:OriginalMetadata xmlns:o="openmicroscopy.org/OriginalMetadata" a="1">
        <o:Key>k</o:Key><o:Value>v <o:b/> w</o:Value></o:OriginalMetadata>tail</Value>
    </XMLAnnotation>
    <LongAnnotation ID="Annotation:3"><Value>42</Value></LongAnnotation>
    <DoubleAnnotation ID="Annotation:4"><Value>4.5</Value></DoubleAnnotation>
    <BooleanAnnotation ID="Annotation:5"><Value>true</Value></BooleanAnnotation>
    <TimestampAnnotation ID="Annotation:6"><Value>2024-01-02T03:04:05</Value></TimestampAnnotation>
    <TagAnnotation ID="Annotation:7"><Value>tag</Value></TagAnnotation>
    <TermAnnotation ID="Annotation:8"><Value>term</Value></TermAnnotation>
  </StructuredAnnotations>
</OME>
"""


def _written_documents() -> list[str]:
    """The OME-XML of the files tests/writers/tiff.py writes (the variants the reader tests use)."""
    return [
        fluorescence_ome(),
        compose_ome(size=(8, 6, 1, 1, 1), physical_size=(0.5, 0.25, None), physical_unit="µm"),
        compose_ome(size=(4, 4, 1, 1, 1), physical_size=(0.001, 0.001, None), physical_unit="mm"),
        compose_ome(
            size=(8, 6, 3, 1, 1),
            physical_size=(10.0, 10.0, 1.0),
            physical_unit="nm",
            physical_z_unit="reference frame",
            exposures_ms=[1000, 2000, 1500],
        ),
        compose_ome(size=(8, 6, 2, 1, 1), physical_unit="pixel"),
    ]


def _real_ome_documents() -> list[Path]:
    return [p for p in real_files("tiff") if p.name.endswith((".ome.tif", ".ome.tiff"))]


# --- the enumerations -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ENUMERATIONS))
def test_enumerations_are_ome_types_ones(name: str) -> None:
    enum = getattr(ome_types.model, name)
    assert set(ENUMERATIONS[name]) == {m.value for m in enum}
    assert len(ENUMERATIONS[name]) == len(set(ENUMERATIONS[name]))


# --- whole documents --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", _real_ome_documents(), ids=lambda p: p.name)
def test_real_ome_tiffs(path: Path) -> None:
    with tifffile.TiffFile(path) as tif:
        xml = tif.pages.first.description
    assert _same_as_ome_types(xml)  # read by the subset reader, same as ome-types


def test_real_files_read_the_same(tmp_path: Path) -> None:
    paths = _real_ome_documents()
    if not paths:
        pytest.skip("../shared/data/real not available")
    for path in paths:
        fast = clxm_meta.read(path).model_dump()
        with _ome_types_only():
            slow = clxm_meta.read(path).model_dump()
        assert fast == slow


@pytest.mark.parametrize("index", range(len(_written_documents())))
def test_written_documents(index: int) -> None:
    assert _same_as_ome_types(_written_documents()[index])


def _exported_documents() -> list[str]:
    from clxm_meta.errors import UnsupportedFormatError
    from clxm_meta.export.ome.build import ome_xml

    docs = []
    for path in [*real_files("dv"), *real_files("tiff"), *sorted(EXAMPLE.rglob("*.dv"))]:
        try:
            export = ome_xml(clxm_meta.read(path))
        except UnsupportedFormatError:  # an OTF is not an image
            continue
        if export.document:
            docs.append(export.document)
    return docs


def test_exported_documents() -> None:
    docs = _exported_documents()
    assert docs  # the example dataset is in the repository
    for xml in docs:
        assert _same_as_ome_types(xml)


def test_kitchen_sink() -> None:
    assert _same_as_ome_types(KITCHEN_SINK)
    summary, findings = _parse(KITCHEN_SINK)
    assert summary["images"][0]["pixels"]["planes"][3]["position_x_um"] is None
    assert summary["instruments"][0]["lasers"][0]["power_mw"] == 50.0
    assert any(f["field"] == "position_x_um" for f in findings)  # default unit: reference frame
    assert summary["n_structured_annotations"] == 9


def test_comments_and_processing_instructions_are_skipped() -> None:
    xml = KITCHEN_SINK.replace("<Plane ", "<!-- a comment --><?pi x?><Plane ")
    assert _same_as_ome_types(xml)


def test_prefixed_namespace_and_no_declaration() -> None:
    xml = re.sub(r"<(/?)([A-Za-z]\w*)(?=[\s/>])", r"<\1ome:\2", KITCHEN_SINK.split("?>", 1)[1])
    xml = xml.replace(f'xmlns="{NS}"', f'xmlns:ome="{NS}"')
    assert _same_as_ome_types(xml)


@pytest.mark.parametrize(
    "xml",
    [
        KITCHEN_SINK.replace("2016-06", "2015-01"),  # older schema: ome-types transforms it
        KITCHEN_SINK.replace("<StructuredAnnotations>", '<ROI ID="ROI:0"/><StructuredAnnotations>'),
        KITCHEN_SINK.replace("<Value><o:Original", "<Value><Original"),  # OME element in XML value
        KITCHEN_SINK.replace("<Value>42</Value>", "<Value>forty-two</Value>"),
        KITCHEN_SINK.replace('<Image ID="Image:0"', '<Image ID="cell"'),  # ome-types renames it
        KITCHEN_SINK.replace('<Image ID="Image:0"', "<Image"),  # numbered by ome-types
        KITCHEN_SINK.replace('InstrumentRef ID="Instrument:0"', 'InstrumentRef ID="Instrument:9"'),
        KITCHEN_SINK.replace("<LightPath>", '<LightPath><DichroicRef ID="Dichroic:0"/>'),
        KITCHEN_SINK.replace('SizeX="8"', 'SizeX="eight"'),
        KITCHEN_SINK.replace('SizeX="8"', f'SizeX="{"9" * 5000}"'),  # beyond Python's int()
        KITCHEN_SINK.replace('PhysicalSizeZ="0.125"', 'PhysicalSizeZ="1e99999"'),
        KITCHEN_SINK[:200],  # not well-formed
        "<OME/>",  # no namespace
    ],
)
def test_outside_the_subset_goes_to_ome_types(xml: str) -> None:
    assert read_subset(xml) is None
    with mock.patch.object(
        ome_module, "_read_with_ome_types", wraps=ome_module._read_with_ome_types
    ) as spy:
        _parse(xml)
    spy.assert_called_once()


# --- every attribute and element changed ----------------------------------------------------------

VARIANTS = ["", "0", "-1", "2.5", " 3", "+3", "1e400", "1E2", "Other", "true", "1", "Image:7"]
DATES = [
    "2024-01-02T03:04:05.5",
    "2024-01-02T03:04:05.123456",
    "2024-01-02T03:04:05Z",
    "2024-01-02T03:04:05+02:00",
    " 2024-01-02T03:04:05",
    "2024-01-02 03:04:05",
    "2024-13-02T03:04:05",
    "2024-01-02",
    "",
]


def _mutations() -> list[str]:
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root = ET.fromstring(KITCHEN_SINK)
    elements = list(root.iter())
    docs: list[str] = []

    def dump() -> None:
        docs.append(ET.tostring(root, encoding="unicode"))

    for el in elements:
        for key in list(el.attrib):
            original = el.attrib[key]
            for value in VARIANTS:
                el.attrib[key] = value
                dump()
            del el.attrib[key]
            dump()
            el.attrib[key] = original
        el.attrib["Unknown"] = "1"
        dump()
        del el.attrib["Unknown"]
    for el in elements:  # each element removed, then doubled
        for parent in elements:
            if el in list(parent):
                index = list(parent).index(el)
                parent.remove(el)
                dump()
                parent.insert(index, el)
                parent.insert(index, el)
                dump()
                parent.remove(el)
                break
    for el in elements:  # the text of every element without children (values, M, dates ...)
        if len(el) == 0 and el.tag.startswith(f"{{{NS}}}"):
            original_text = el.text
            for text in [*VARIANTS, "yes", "2024-01-02T03:04:05Z", None]:
                el.text = text
                dump()
            el.text = original_text
    date = root.find(f".//{{{NS}}}AcquisitionDate")
    assert date is not None
    for text in DATES:
        date.text = text
        dump()
    return docs


def test_mutations_read_as_ome_types_reads_them() -> None:
    docs = _mutations()
    sample = random.Random(9).sample(docs, min(len(docs), 400))
    in_subset = sum(_same_as_ome_types(xml) for xml in sample)
    assert 0 < in_subset < len(sample)  # both sides of the line were crossed
