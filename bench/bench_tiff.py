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
from _harness import REAL, Comparison, Headline, Report, compare, standalone

import clxm_meta

FILES = [
    "tiff/txrm2tiff-2.2.1__txrm_test_chip_tomo.ome.tiff",
    "tiff/txrm2tiff-2.2.1__test_chip00.ome.tiff",
    "tiff/txrm2tiff-2.2.1__mosaic_4x4_bin8.ome.tiff",
    "tiff/cudasirecon__raw.tif",
    "tiff/cudasirecon__otf.tif",
]
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
    for rel in FILES:
        path = REAL / rel
        if not path.is_file():
            print(f"skip {rel}: not available")
            continue
        peers: dict[str, Callable[[], object]] = {}
        if bioio_job is not None:
            try:
                bioio_job(path)
            except Exception as exc:  # report, do not time, a peer that fails on the file
                print(f"{path.name}: bioio failed: {type(exc).__name__}: {exc}")
            else:
                peers[BIOIO] = lambda p=path, f=bioio_job: f(p)
        if rel.endswith(".ome.tiff"):
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
        if rel.endswith(".ome.tiff"):
            ome.append(comp)
    if ome:
        with_bioio = [c for c in ome if BIOIO in c.peers]
        b = min(c.ratio(BIOIO) for c in with_bioio) if with_bioio else float("nan")
        o = min(c.ratio(OME) for c in ome)
        report.headline(
            Headline(
                "OME-TIFF `read` vs bioio `BioImage` dims + pixel sizes + channels",
                f"{b:.1f}× faster (worst file)",
                "≥ 10×",
                b >= 10,
            )
        )
        report.headline(
            Headline(
                "OME-TIFF `read` vs `tifffile` + `ome_types.from_xml`",
                f"{o:.2f}×",
                "≥ 1×",
                o >= 1,
                "clxm_meta opens with tifffile and reads the same OME-XML (its own parser for "
                "documents ome-types reads identically, ome-types otherwise), then builds its model",
            )
        )


if __name__ == "__main__":
    standalone(run)
