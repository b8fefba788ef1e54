"""TIFF metadata: clxm_meta.read vs bioio, tifffile + ome-types, and tifffile alone.

Peers (``bioio``, ``bioio-ome-tiff`` and ``bioio-tifffile`` come with the ``bench`` extra):

- ``bioio``: ``BioImage`` dims + physical pixel sizes + channel names (what a user asks bioio for);
- ``tifffile + ome_types.from_xml``: the OME model from the file's OME-XML (OME-TIFFs only);
- ``tifffile``: ``TiffFile`` + first-page tags + ``ome_metadata`` / ``imagej_metadata`` + series.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import ome_types
import tifffile
from _harness import Comparison, Headline, Report, compare, samples, standalone, worst

import clxm_meta

SECTION = "TIFF: clxm_meta.read vs bioio, tifffile + ome-types"
BIOIO = "bioio BioImage (dims, sizes, channels)"
OME = "tifffile + ome_types.from_xml"


def _tifffile(path: Path) -> object:
    with tifffile.TiffFile(path) as tif:
        page = tif.pages.first
        tags = {t.name: t.value for t in page.tags.values()}
        return tags, tif.ome_metadata, tif.imagej_metadata, [s.shape for s in tif.series]


def _ome_types(path: Path) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with tifffile.TiffFile(path) as tif:
            xml = tif.ome_metadata
        return ome_types.from_xml(xml, validate=False) if xml else None


def _bioio_peer() -> Callable[[Path], object] | None:
    try:
        from bioio import BioImage
    except ImportError:
        print("  (bioio not installed: pip install -e '.[bench]')")
        return None

    def job(path: Path) -> object:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            img = BioImage(path)
            return img.dims, img.physical_pixel_sizes, img.channel_names

    return job


def run(report: Report) -> None:
    bioio_job = _bioio_peer()
    ome: list[Comparison] = []
    for path in samples("tiff", ".tif", ".tiff"):
        rel = path.name.lower()
        peers: dict[str, Callable[[], object]] = {}
        if bioio_job is not None:  # compare() reports, and the headline counts, its failures
            peers[BIOIO] = lambda p=path, f=bioio_job: f(p)
        if rel.endswith((".ome.tif", ".ome.tiff")):
            peers[OME] = lambda p=path: _ome_types(p)
        peers["tifffile (tags+meta+series)"] = lambda p=path: _tifffile(p)
        comp = compare(
            f"{path.name} ({path.stat().st_size:,} B)",
            lambda p=path: clxm_meta.read(p),
            peers,
            number=10,
            repeat=5,
        )
        report.add_comparison(SECTION, comp)
        if rel.endswith((".ome.tif", ".ome.tiff")):
            ome.append(comp)
    if ome:
        b = worst(ome, BIOIO)
        o = worst(ome, OME)
        report.headline(
            Headline(
                "OME-TIFF `read` vs bioio `BioImage` dims + pixel sizes + channels",
                b.text(),
                "≥ 10×",
                b.read > 0 and b.ratio >= 10,
            )
        )
        report.headline(
            Headline(
                "OME-TIFF `read` vs `tifffile` + `ome_types.from_xml`",
                o.text(),
                "≥ 1×",
                o.read > 0 and o.ratio >= 1,
                "clxm_meta opens with tifffile and reads the same OME-XML (its own parser for "
                "documents ome-types reads identically, ome-types otherwise), then builds its model",
            )
        )


if __name__ == "__main__":
    standalone(run)
