"""TIFF metadata: clxm_meta.read vs tifffile (+ ome-types) and, when installed, bioio.

The job: open the file and get its metadata (tags, ImageJ / OME metadata). Peers:

- ``tifffile``: ``TiffFile`` + first-page tags + ``ome_metadata`` / ``imagej_metadata`` + series;
- ``ome_types.from_tiff``: the OME model (OME-TIFFs only);
- ``bioio`` + ``bioio-ome-tiff`` (optional, not a project dependency): ``BioImage(...).metadata`` and
  ``physical_pixel_sizes``; run it in an environment that has them (``pip install bioio
  bioio-ome-tiff``).

clxm_meta does more than each peer (unit conversion, findings, the typed model), so a ratio below 1
is expected against the bare tifffile call.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import ome_types
import tifffile
from _harness import REAL, compare

import clxm_meta

FILES = [
    "tiff/txrm2tiff-2.2.1__txrm_test_chip_tomo.ome.tiff",
    "tiff/txrm2tiff-2.2.1__mosaic_4x4_bin8.ome.tiff",
    "tiff/cudasirecon__raw.tif",
    "tiff/cudasirecon__otf.tif",
]


def _tifffile(path: Path) -> object:
    with tifffile.TiffFile(path) as tif:
        page = tif.pages.first
        tags = {t.name: t.value for t in page.tags.values()}
        return tags, tif.ome_metadata, tif.imagej_metadata, [s.shape for s in tif.series]


def _ome_types(path: Path) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ome_types.from_tiff(path, validate=False)


def _bioio_peer() -> Callable[[Path], object] | None:
    try:
        from bioio import BioImage
        from bioio_ome_tiff import Reader as OmeTiffReader
    except ImportError:
        return None

    def run(path: Path) -> object:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = OmeTiffReader if path.name.endswith(".ome.tiff") else None
            img = BioImage(path, reader=reader) if reader else BioImage(path)
            return img.metadata, img.physical_pixel_sizes, img.dims

    return run


def main() -> None:
    bioio_run = _bioio_peer()
    if bioio_run is None:
        print("(bioio / bioio-ome-tiff not installed: bioio peer skipped)")
    for rel in FILES:
        path = REAL / rel
        if not path.is_file():
            print(f"skip {rel}: not available")
            continue
        peers: dict[str, Callable[[], object]] = {
            "tifffile (tags+meta+series)": lambda p=path: _tifffile(p)
        }
        if rel.endswith(".ome.tiff"):
            peers["ome_types.from_tiff"] = lambda p=path: _ome_types(p)
        if bioio_run is not None:
            try:
                bioio_run(path)
            except Exception as exc:  # report, do not time, a peer that fails on the file
                print(f"\n{path.name}: bioio failed: {type(exc).__name__}: {exc}")
            else:
                peers["bioio"] = lambda p=path, f=bioio_run: f(p)
        compare(f"{path.name}", lambda p=path: clxm_meta.read(p), peers, number=10, repeat=3)


if __name__ == "__main__":
    main()
