"""Reader of Zeiss/Xradia ``.txrm`` / ``.xrm`` files (OLE2 compound files), header streams only.

File versions 3 (XM Controller), 4 and 5 (XRM Data Explorer era) are read alike: every stream is
looked up case-insensitively, and the vendor's misspellings (``MosiacRows``, ``VerticalalBin``) are
accepted next to the correct spellings. Pixel streams (``ImageData*/Image*``,
``ReferenceData/Image``) are never opened; their presence and sizes come from the OLE directory.
See docs/txrm.md for what is read and why.
"""

from __future__ import annotations

import itertools
import os
import re

from clxm_meta.errors import UnsupportedFormatError
from clxm_meta.readers.base import FindingCollector, assemble, construct, file_size
from clxm_meta.readers.txrm.container import OleStreams, open_ole
from clxm_meta.readers.txrm.decode import StreamDecoder
from clxm_meta.readers.txrm.model import TxrmFile, TxrmMosaic, TxrmReference

__all__ = ["DATA_TYPES", "STEP_TOLERANCE_DEG", "read"]

DATA_TYPES = {
    2: "int8",
    3: "uint8",
    4: "int16",
    5: "uint16",
    6: "int32",
    7: "uint32",
    8: "int64",
    9: "uint64",
    10: "float32",
    11: "float64",
}
"""``ImageInfo/DataType`` codes (txrm2tiff ``XrmDataTypes``)."""

_IMAGE_STREAM = re.compile(r"^imagedata(\d+)/image(\d+)$", re.IGNORECASE)
_REF_IMAGE = "ReferenceData/Image"
STEP_TOLERANCE_DEG = 0.01
"""Consecutive tilt steps differing by more than this are irregular."""


def read(path: str | os.PathLike[str], *, strict: bool = False) -> TxrmFile:
    """Read the metadata streams of a TXRM/XRM file.

    Parameters
    ----------
    path
        The file (opened read-only).
    strict
        Raise `MalformedFileError` on error-level problems instead of reporting them as findings.

    Raises
    ------
    UnsupportedFormatError
        Not an OLE2 file, or an OLE2 file that is not an Xradia file (no ``ImageInfo`` storage).
    MalformedFileError
        The compound-file structure is corrupt (or, in strict mode, an error-level finding).
    UnreadableFileError
        The file cannot be opened.
    """
    spath = os.fspath(path)
    size = file_size(spath)
    findings = FindingCollector(spath, "txrm", strict=strict)
    with open_ole(spath, size) as streams:
        if not streams.has_storage("ImageInfo"):
            raise UnsupportedFormatError(
                "OLE2 compound file without an ImageInfo storage: not a Zeiss/Xradia TXRM/XRM file",
                path=spath,
            )
        for issue in streams.parsing_issues:
            findings.warning("ole_defect", f"olefile tolerated a defect: {issue}")
        fields = _Fields(streams, StreamDecoder(streams, findings), findings)
        fields.run()
    # Built without validation (as the DV and MRC readers do): the decoder gives values of
    # exactly the field types, which tests/readers/txrm/test_txrm_unvalidated.py holds against a
    # validating construction on every sample; validating would build pydantic's validator, and
    # import its plugin loader, on every run of the command line.
    values = {"path": spath, "file_size": size, "findings": findings.items, **fields.values}
    return construct(TxrmFile, values)


class _Fields:
    """Collects the model's keyword arguments from the streams."""

    def __init__(self, streams: OleStreams, dec: StreamDecoder, findings: FindingCollector) -> None:
        self.streams = streams
        self.dec = dec
        self.findings = findings
        self.locators: dict[str, str] = {}
        self.values: dict[str, object] = {
            "streams": dict(sorted(streams.sizes.items())),
            "locators": self.locators,
        }

    def _set(self, key: str, got: tuple[str, object] | None) -> object:
        if got is None:
            return None
        self.values[key] = got[1]
        self.locators[key] = got[0]
        return got[1]

    def _positive_int(self, key: str, *names: str, high: int = 1 << 24) -> int | None:
        got = self.dec.int_value(*names)
        if got is None:
            return None
        name, value = got
        if not 0 < value <= high:
            if value != 0:
                self.findings.warning(
                    "junk_value",
                    f"value {value} is outside the plausible range [1, {high}]; left unknown",
                    field=name,
                    locator=f"stream {name}",
                )
            return None
        self.values[key] = value
        self.locators[key] = name
        return value

    def run(self) -> None:
        self._identity()
        n = self._images()
        self._pixels()
        self._series(n)
        self._optics()
        self._camera()
        self._source()
        self._mosaic()
        self._reference()
        self._sample()

    def _identity(self) -> None:
        dec = self.dec
        self._set("file_version", dec.float_value("Version", low=1, high=100))
        self._set("software_version", dec.string("exeVersion"))
        if self.values.get("file_version") is None:
            self.findings.info("no_version", "no usable Version stream (file version unknown)")

    def _images(self) -> int:
        dec = self.dec
        self._positive_int("image_width_px", "ImageInfo/ImageWidth")
        self._positive_int("image_height_px", "ImageInfo/ImageHeight")
        planned = self._positive_int("images_planned", "ImageInfo/NoOfImages")
        got = dec.int_value("ImageInfo/ImagesTaken")
        taken: int | None = None
        if got is not None and 0 <= got[1] <= 1 << 24:
            taken = got[1]
            self.values["images_taken"] = taken
            self.locators["images_taken"] = got[0]
        image_names = sorted(
            (int(m.group(2)), name)
            for name in self.streams.sizes
            if (m := _IMAGE_STREAM.match(name)) is not None
        )
        self.values["image_streams"] = len(image_names)
        if image_names:
            self.values["image_stream_bytes"] = self.streams.sizes[image_names[0][1]]
        if taken == 0 or not image_names:
            what = "ImagesTaken is 0" if taken == 0 else "there is no ImageData pixel stream"
            self.findings.error(
                "no_images",
                f"aborted or empty acquisition: {what} (planned: {planned})",
                field="ImageInfo/ImagesTaken",
                locator="stream ImageInfo/ImagesTaken",
            )
        elif taken is not None and planned is not None and taken < planned:
            self.findings.warning(
                "incomplete",
                f"{taken} of {planned} planned images were taken",
                field="ImageInfo/ImagesTaken",
                locator="stream ImageInfo/ImagesTaken",
            )
        if taken is not None:
            return taken
        return planned if planned is not None else len(image_names)

    def _pixels(self) -> None:
        got = self.dec.int_value("ImageInfo/DataType")
        if got is not None:
            name, code = got
            self.values["data_type_code"] = code
            self.locators["data_type"] = name
            if code in DATA_TYPES:
                self.values["data_type"] = DATA_TYPES[code]
            else:
                self.findings.warning(
                    "unknown_data_type",
                    f"DataType code {code} is not a known pixel type",
                    field=name,
                    locator=f"stream {name}",
                )
        self._set("pixel_size_um", self.dec.float_value("ImageInfo/PixelSize", low=1e-6, high=1e4))

    def _series(self, n: int) -> None:
        dec = self.dec
        got = dec.per_image(n, "ImageInfo/Energy", low=10.0, high=1e6)
        if got is not None:
            self._set("energies_ev", got)
        self._set(
            "angles_deg", dec.per_image(n, "ImageInfo/Angles", low=-360, high=360, zero_ok=True)
        )
        exp = dec.per_image(n, "ImageInfo/ExpTimes", low=1e-6, high=1e5)
        if exp is None:
            exp = self._scalar_exposure(n)
        if exp is not None:
            self._set("exposures_s", exp)
        self._check_steps()
        self._set("dates", dec.dates(n, "ImageInfo/Date"))
        for axis in "xyz":
            self._set(
                f"{axis}_positions_um",
                dec.per_image(
                    n, f"ImageInfo/{axis.upper()}Position", low=-1e7, high=1e7, zero_ok=True
                ),
            )

    def _check_steps(self) -> None:
        angles = self.values.get("angles_deg")
        if not isinstance(angles, list) or len(angles) < 3 or any(a is None for a in angles):
            return
        steps = [b - a for a, b in itertools.pairwise(angles)]
        if max(steps) - min(steps) > STEP_TOLERANCE_DEG and max(abs(s) for s in steps) > 0:
            self.findings.warning(
                "irregular_tilt_steps",
                f"tilt steps vary from {min(steps):g}° to {max(steps):g}°",
                field=self.locators.get("angles_deg"),
                locator=f"stream {self.locators.get('angles_deg')}",
            )

    def _scalar_exposure(self, n: int) -> tuple[str, list[float | None]] | None:
        raw = self.dec.floats_raw("ImageInfo/ExpTime")
        if raw is None:
            return None
        if len(raw[1]) == 1 and n > 1:
            # one exposure stated for the series: keep it once, do not repeat it per image
            value = self.dec.check(raw[1][0], raw[0], low=1e-6, high=1e5)
            self.findings.info(
                "single_exposure",
                f"one exposure given for {n} images (ExpTime)",
                field=raw[0],
                locator=f"stream {raw[0]}",
            )
            return raw[0], [value]
        return self.dec.per_image(n, "ImageInfo/ExpTime", low=1e-6, high=1e5)

    def _optics(self) -> None:
        dec = self.dec
        self._set(
            "optical_magnification",
            dec.float_value(
                "ImageInfo/OpticalMagnification",
                "DetAssemblyInfo/OpticalMagnification",
                low=1e-3,
                high=1e5,
            ),
        )
        got = dec.floats_raw("ImageInfo/XrayMagnification")
        if got is not None and got[1]:
            name, values = got
            self.values["xray_magnification"] = dec.check(values[0], name, low=1e-3, high=1e6)
            self.locators["xray_magnification"] = name
        self._set(
            "objective_name",
            dec.string("ImageInfo/ObjectiveName", "DetAssemblyInfo/LensInfo/LensName"),
        )
        self._set(
            "zone_plate_name",
            dec.string("ImageInfo/ZonePlateName", "DetAssemblyInfo/ZonePlateName"),
        )

    def _camera(self) -> None:
        dec = self.dec
        self._set("camera_name", dec.string("ImageInfo/CameraName", "DetAssemblyInfo/CameraName"))
        self._set(
            "camera_pixel_size_um",
            dec.float_value(
                "ImageInfo/CamPixelSize", "DetAssemblyInfo/CamPixelSize", low=0.1, high=1e3
            ),
        )
        self._positive_int(
            "binning", "ImageInfo/CameraBinning", "DetAssemblyInfo/CameraBinning", high=1024
        )
        self._positive_int("horizontal_binning", "ImageInfo/HorizontalBin", high=1024)
        self._positive_int(
            "vertical_binning", "ImageInfo/VerticalBin", "ImageInfo/VerticalalBin", high=1024
        )
        self._positive_int(
            "frames_per_image",
            "ImageInfo/CameraNumberOfFramesPerImage",
            "ImageInfo/ImagesPerProjection",
        )
        self._positive_int("images_averaged", "ImageInfo/NoOfImagesAveraged")
        got = dec.int_value("ImageInfo/Temperature")
        if got is not None:
            name, temp = got
            if -200 <= temp <= 100:
                self.values["temperature_c"] = float(temp)
                self.locators["temperature_c"] = name
            else:
                self.findings.warning(
                    "junk_value",
                    f"temperature {temp} is not plausible (99999 = not measured); left unknown",
                    field=name,
                    locator=f"stream {name}",
                )
        got_mode = dec.int_value("ImageInfo/AcquisitionMode")
        if got_mode is not None:
            self.values["acquisition_mode"] = got_mode[1]

    def _source(self) -> None:
        dec = self.dec
        for key, names in (
            ("source_voltage_kv", ("ImageInfo/XrayVoltage", "ImageInfo/Voltage")),
            ("source_current", ("ImageInfo/XrayCurrent", "ImageInfo/Current")),
        ):
            got = dec.floats_raw(*names)
            if got is None or not got[1] or got[1][0] == 0:
                continue  # zero: no lab source recorded (synchrotron), not a value
            self.values[key] = dec.check(got[1][0], got[0], low=1e-6, high=1e6)
            self.locators[key] = got[0]

    def _mosaic(self) -> None:
        parts: dict[str, int] = {}
        for key, names in (
            ("rows", ("ImageInfo/MosaicRows", "ImageInfo/MosiacRows")),
            ("columns", ("ImageInfo/MosaicColumns", "ImageInfo/MosiacColumns")),
            ("mode", ("ImageInfo/MosaicMode", "ImageInfo/MosiacMode")),
            ("fast_axis", ("ImageInfo/MosaicFastAxis",)),
            ("slow_axis", ("ImageInfo/MosaicSlowAxis",)),
        ):
            got = self.dec.int_value(*names)
            if got is not None and 0 <= got[1] <= 1 << 16:
                parts[key] = got[1]
                self.locators[f"mosaic.{key}"] = got[0]
        if parts.get("rows", 0) > 0 or parts.get("columns", 0) > 0 or parts.get("mode") == 1:
            self.values["mosaic"] = assemble(
                TxrmMosaic,
                rows=parts.get("rows") or None,
                columns=parts.get("columns") or None,
                mode=parts.get("mode"),
                fast_axis=parts.get("fast_axis"),
                slow_axis=parts.get("slow_axis"),
            )

    def _reference(self) -> None:
        dec = self.dec
        got_file = dec.string("ImageInfo/ReferenceFile")
        if got_file is not None:
            self.values["reference_file"] = got_file[1]
        got_corr = dec.int_value("ImageInfo/OriginalDataRefCorrected")
        if got_corr is not None and got_corr[1] in (0, 1):
            self.values["ref_corrected"] = bool(got_corr[1])
            self.locators["ref_corrected"] = got_corr[0]
        stream = self.streams.find(_REF_IMAGE)
        if stream is None:
            return
        code_got = dec.int_value("ReferenceData/ImageInfo/DataType", "ReferenceData/DataType")
        code = code_got[1] if code_got is not None else None
        width = dec.int_value("ReferenceData/ImageInfo/ImageWidth")
        height = dec.int_value("ReferenceData/ImageInfo/ImageHeight")
        exp = dec.float_value(
            "ReferenceData/ExpTime",
            "ReferenceData/ImageInfo/ExpTimes",
            "ReferenceData/ImageInfo/ExpTime",
            low=1e-6,
            high=1e5,
        )
        self.values["reference"] = assemble(
            TxrmReference,
            stream=stream,
            size_bytes=self.streams.sizes[stream],
            width_px=width[1] if width is not None and width[1] > 0 else None,
            height_px=height[1] if height is not None and height[1] > 0 else None,
            data_type=DATA_TYPES.get(code) if code is not None else None,
            data_type_code=code,
            exposure_s=exp[1] if exp is not None else None,
            exposure_locator=f"stream {exp[0]}" if exp is not None and exp[1] is not None else None,
        )

    def _sample(self) -> None:
        self._set("facility", self.dec.string("SampleInfo/Facility"))
        self._set("sample_id", self.dec.string("SampleInfo/SampleID"))
