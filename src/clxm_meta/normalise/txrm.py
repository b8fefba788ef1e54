"""SXT Table 1 candidates from a `TxrmFile` (Zeiss/Xradia TXRM/XRM). Never opens a file.

Rules (see docs/txrm.md):

* Header values are `Precedence.HEADER` with the stream as locator; values computed from several
  streams (field of view, tilt step) are `Precedence.DERIVED` with the formula in the transform.
* An aborted acquisition (no image taken or stored) proposes nothing: its findings speak for it.
* Tilt rows only for a tilt series: at least two images whose angles differ. A single-image ``.xrm``
  or a mosaic (all tiles at one angle) has no tilt range.
* A mosaic (``MosiacRows``/``MosiacColumns`` set) is a 2D overview of the grid, not the tilt series:
  it proposes ``acquisition.overlaps`` (the grid), ``acquisition.mosaic`` (the file itself, attached)
  and the setup rows (energy, optics, pixel size), but not the series rows (frames, exposure, tilt,
  ``raw.*``), so that it does not compete with the tilt series of the same dataset.
"""

from __future__ import annotations

import itertools
import os
import statistics
from typing import Any

from clxm_meta.normalise.candidate import Candidate, Precedence
from clxm_meta.readers.txrm.model import TxrmFile
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.pixel_types import pixel_type_words
from clxm_meta.records.provenance import Source
from clxm_meta.records.values import (
    XYZ,
    AttachedFile,
    EnergySummary,
    ExposureSummary,
    ImageDimensions,
    Magnification,
    MosaicLayout,
    TiltRange,
    TiltStep,
)

__all__ = ["candidates"]

READER = "txrm"
REL_CONSTANT = 1e-4
"""Per-image values within this relative spread count as one constant value."""
STEP_TOLERANCE_DEG = 0.01
MIN_TILT_SPAN_DEG = 0.01


def candidates(model: TxrmFile) -> list[Candidate]:
    """Return the SXT Table 1 candidates of one TXRM/XRM file."""
    if model.images_taken == 0 or model.image_streams == 0:
        return []
    return _Builder(model).build()


def _r(value: float, digits: int = 6) -> float:
    return round(value, digits)


class _Builder:
    def __init__(self, model: TxrmFile) -> None:
        self.m = model
        self.out: list[Candidate] = []
        self.is_mosaic = model.mosaic is not None
        ext = os.path.splitext(model.path)[1].lower()
        self.ext = ext if ext in (".txrm", ".xrm", ".txm") else None

    # -- helpers -------------------------------------------------------------------------------

    def loc(self, *keys: str) -> str:
        names = [self.m.locators[k] for k in keys if k in self.m.locators]
        return "stream " + ", ".join(names) if names else "streams " + ", ".join(keys)

    def header(
        self,
        field: str,
        value: Any,
        locator: str,
        unit: str | None = None,
        transform: str | None = None,
    ) -> None:
        self.out.append(
            Candidate(
                field=field,
                kind=DatasetKind.SXT,
                value=value,
                unit=unit,
                source=Source.file(self.m.path, READER, locator, transform),
                precedence=Precedence.HEADER,
            )
        )

    def derived(
        self, field: str, value: Any, locator: str, transform: str, unit: str | None = None
    ) -> None:
        self.out.append(
            Candidate(
                field=field,
                kind=DatasetKind.SXT,
                value=value,
                unit=unit,
                source=Source.derived(self.m.path, READER, locator, transform),
                precedence=Precedence.DERIVED,
            )
        )

    # -- rows ----------------------------------------------------------------------------------

    def build(self) -> list[Candidate]:
        self.energy()
        self.optics()
        self.pixel_size_and_fov()
        self.date()
        if self.is_mosaic:
            self.mosaic()
        else:
            self.series()
            self.raw()
        self.reference()
        return self.out

    def energy(self) -> None:
        known = [e for e in self.m.energies_ev if e is not None]
        if not known:
            return
        lo, hi = min(known), max(known)
        constant = hi - lo <= REL_CONSTANT * hi
        value = EnergySummary(
            value_ev=_r(statistics.median(known), 3) if constant else None,
            min_ev=lo,
            max_ev=hi,
            n_images=len(known),
        )
        transform = (
            "per-image energies summarised (constant within 0.01 %)"
            if constant
            else ("per-image energies summarised (they vary)")
        )
        self.header("setup.energy", value, self.loc("energies_ev"), "eV", transform)

    def optics(self) -> None:
        m = self.m
        if m.zone_plate_name is not None:
            self.header("setup.zone_plate", m.zone_plate_name, self.loc("zone_plate_name"))
        if m.xray_magnification is not None or m.optical_magnification is not None:
            self.header(
                "setup.magnification",
                Magnification(xray=m.xray_magnification, optical=m.optical_magnification),
                self.loc("xray_magnification", "optical_magnification"),
            )

    def tile_size_px(self) -> tuple[int | None, int | None, bool]:
        """Size of one field of view: a v3 mosaic stores the whole grid as one image."""
        m = self.m
        w, h = m.image_width_px, m.image_height_px
        mos = m.mosaic
        if (
            mos is not None
            and mos.rows
            and mos.columns
            and w is not None
            and h is not None
            and m.image_streams == 1
            and m.images_taken == mos.rows * mos.columns
            and w % mos.columns == 0
            and h % mos.rows == 0
        ):
            return w // mos.columns, h // mos.rows, True
        return w, h, False

    def pixel_size_and_fov(self) -> None:
        ps = self.m.pixel_size_um
        if ps is None:
            return
        self.header(
            "setup.pixel_size",
            XYZ(x=ps, y=ps),
            self.loc("pixel_size_um"),
            "µm",
            "one PixelSize for both axes",
        )
        w, h, per_tile = self.tile_size_px()
        if w is None or h is None:
            return
        formula = (
            "one tile of the stitched mosaic image: ImageWidth / MosiacColumns × PixelSize, "
            "ImageHeight / MosiacRows × PixelSize"
            if per_tile
            else "ImageWidth × PixelSize, ImageHeight × PixelSize"
        )
        keys: tuple[str, ...] = ("image_width_px", "image_height_px", "pixel_size_um")
        if per_tile:
            keys = (*keys, "mosaic.rows", "mosaic.columns")
        self.derived(
            "setup.field_of_view", XYZ(x=_r(w * ps), y=_r(h * ps)), self.loc(*keys), formula, "µm"
        )

    def date(self) -> None:
        first = next((d for d in self.m.dates if d is not None), None)
        if first is None:
            return
        self.header(
            "general.collection_date",
            first,
            f"{self.loc('dates')} (first image)",
            transform="MM/DD/YY(YY) HH:MM:SS → ISO 8601; local time, no time zone in the file",
        )

    def series(self) -> None:
        m = self.m
        if m.images_taken is not None:
            self.header("acquisition.n_frames", m.images_taken, self.loc("images_taken"))
        known = [e for e in m.exposures_s if e is not None]
        if known:
            lo, hi = min(known), max(known)
            constant = hi - lo <= REL_CONSTANT * hi
            self.header(
                "acquisition.exposure",
                ExposureSummary(
                    value_s=statistics.median(known) if constant else None,
                    min_s=lo,
                    max_s=hi,
                    n_images=len(known),
                    type="constant" if constant else "variable",
                ),
                self.loc("exposures_s"),
                "s",
                "per-image exposure times summarised",
            )
        self.tilts()

    def tilts(self) -> None:
        angles = self.m.angles_deg
        if len(angles) < 2 or any(a is None for a in angles):
            return
        a = [float(x) for x in angles if x is not None]
        if max(a) - min(a) < MIN_TILT_SPAN_DEG:
            return
        loc = self.loc("angles_deg")
        self.header(
            "acquisition.tilt_range",
            TiltRange(start_deg=a[0], end_deg=a[-1], min_deg=min(a), max_deg=max(a)),
            loc,
            "°",
            "first, last, min and max of the per-image angles",
        )
        steps = [y - x for x, y in itertools.pairwise(a)]
        regular = max(steps) - min(steps) <= STEP_TOLERANCE_DEG
        self.derived(
            "acquisition.tilt_step",
            TiltStep(
                step_deg=_r(statistics.median(steps), 4),
                min_deg=_r(min(steps), 4),
                max_deg=_r(max(steps), 4),
                regular=regular,
            ),
            loc,
            "median of consecutive angle differences; regular when all steps agree within "
            f"{STEP_TOLERANCE_DEG}°",
            "°",
        )

    def raw(self) -> None:
        m = self.m
        fmt = self.ext or ".txrm/.xrm"
        version = f", file version {m.file_version:g}" if m.file_version is not None else ""
        self.header(
            "raw.format",
            fmt,
            "OLE2 signature + ImageInfo storage; file name extension",
            transform=f"Zeiss/Xradia compound file{version}",
        )
        if m.data_type is not None:
            self.header(
                "raw.pixel_type",
                pixel_type_words(m.data_type),
                self.loc("data_type"),
                transform=f"DataType code {m.data_type_code} = {m.data_type}",
            )
        w, h, ps = m.image_width_px, m.image_height_px, m.pixel_size_um
        if w is not None or h is not None:
            self.header(
                "raw.dimensions",
                ImageDimensions(
                    x=w,
                    y=h,
                    z=m.images_taken,
                    x_um=_r(w * ps) if w is not None and ps is not None else None,
                    y_um=_r(h * ps) if h is not None and ps is not None else None,
                ),
                self.loc("image_width_px", "image_height_px", "images_taken", "pixel_size_um"),
                transform="z = ImagesTaken; x_um = ImageWidth × PixelSize, y_um = ImageHeight × PixelSize",
            )
        self.raw_type()

    def raw_type(self) -> None:
        m = self.m
        if m.ref_corrected:
            self.header("raw.type", "referenced", self.loc("ref_corrected"))
        elif m.reference is not None:
            self.header(
                "raw.type",
                "not referenced (reference image stored in the file, not applied)",
                f"stream {m.reference.stream}; {self.loc('ref_corrected')}",
            )
        elif m.ref_corrected is False:
            self.header("raw.type", "not referenced", self.loc("ref_corrected"))

    def reference(self) -> None:
        ref = self.m.reference
        if ref is None:
            return
        summary: dict[str, str | int | float | bool | None] = {
            "exposure_s": ref.exposure_s,
            "data_type": ref.data_type,
            "width_px": ref.width_px,
            "height_px": ref.height_px,
        }
        self.header(
            "processing.reference_image",
            AttachedFile(
                path=self.m.path,
                role="reference",
                format=self.ext,
                size_bytes=ref.size_bytes,
                stream=ref.stream,
                summary={k: v for k, v in summary.items() if v is not None},
            ),
            f"stream {ref.stream}",
            transform="reference held inside the file; size from the OLE directory (pixels not read)",
        )

    def mosaic(self) -> None:
        m = self.m
        mos = m.mosaic
        if mos is None:
            return
        self.header(
            "acquisition.overlaps",
            MosaicLayout(rows=mos.rows, columns=mos.columns),
            self.loc("mosaic.rows", "mosaic.columns"),
            transform="grid only: the file states no overlap fraction",
        )
        summary: dict[str, str | int | float | bool | None] = {
            "rows": mos.rows,
            "columns": mos.columns,
            "tiles": m.images_taken,
        }
        self.header(
            "acquisition.mosaic",
            AttachedFile(
                path=m.path,
                role="mosaic",
                format=self.ext,
                size_bytes=m.file_size,
                summary={k: v for k, v in summary.items() if v is not None},
            ),
            self.loc("mosaic.rows", "mosaic.columns", "images_taken"),
            transform="this file is a mosaic of the grid area",
        )
