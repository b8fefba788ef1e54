"""TXRM/XRM metadata: clxm_meta.read vs txrm2tiff (Diamond B24's converter) and plain olefile.

Peers: ``txrm2tiff.txrm.open_txrm(load_images=False, load_reference=False)`` and the metadata it
exposes (image info, positions, energies, exposures, dates, dimensions, data type, mosaic); and a
plain-olefile reader in the style of dxchange's ``read_ole_metadata`` (a fixed set of ImageInfo
streams, no validation). Both parse the OLE directory with olefile; clxm_meta indexes a
well-formed file itself (`clxm_meta.readers.txrm.cfb`) and uses olefile only as a fallback.
"""

from __future__ import annotations

import logging
import struct
import warnings
from collections.abc import Callable
from pathlib import Path

import olefile
from _harness import REAL, Comparison, Headline, Report, compare, standalone, worst

import clxm_meta

SAMPLES = [
    "txrm/dxchange__txrm_test_chip_tomo.txrm",
    "txrm/dxchange__test_chip00.xrm",
    "txrm/xanespy__mosaic_4x4_bin8.xrm",
]
SECTION = "TXRM: clxm_meta.read vs txrm2tiff and olefile"
PEER = "txrm2tiff open_txrm(load_images=False)"


def olefile_direct(path: str) -> dict[str, object]:
    ole = olefile.OleFileIO(path)
    try:

        def floats(name: str) -> list[float]:
            if not ole.exists(name):
                return []
            data = ole.openstream(name).read()
            return list(struct.unpack(f"<{len(data) // 4}f", data))

        def int_(name: str) -> int | None:
            if not ole.exists(name):
                return None
            return int(struct.unpack("<i", ole.openstream(name).read()[:4])[0])

        n = int_("ImageInfo/NoOfImages") or 0
        return {
            "width": int_("ImageInfo/ImageWidth"),
            "height": int_("ImageInfo/ImageHeight"),
            "n": n,
            "data_type": int_("ImageInfo/DataType"),
            "pixel_size": floats("ImageInfo/PixelSize")[:1],
            "angles": floats("ImageInfo/Angles")[:n],
            "energy": floats("ImageInfo/Energy")[:n],
            "exposure": floats("ImageInfo/ExpTimes")[:n],
            "x": floats("ImageInfo/XPosition")[:n],
            "y": floats("ImageInfo/YPosition")[:n],
            "z": floats("ImageInfo/ZPosition")[:n],
        }
    finally:
        ole.close()


def _txrm2tiff() -> Callable[[Path], object] | None:
    try:
        from txrm2tiff.txrm import open_txrm
    except ImportError:
        print("  (txrm2tiff not installed: pip install -e '.[bench]')")
        return None
    logging.disable(logging.WARNING)  # it logs a warning for every file without a reference

    def job(path: Path) -> object:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with open_txrm(path, load_images=False, load_reference=False) as t:
                return (
                    t.image_info,
                    t.position_info,
                    t.reference_info,
                    t.energies,
                    t.exposures,
                    t.datetimes,
                    t.image_dims,
                    t.image_dtype,
                    t.is_mosaic,
                    t.mosaic_dims,
                )

    return job


def run(report: Report) -> None:
    peer = _txrm2tiff()
    comps: list[Comparison] = []
    for rel in SAMPLES:
        path = REAL / rel
        if not path.is_file():
            print(f"skip {rel} (../shared absent)")
            continue
        peers: dict[str, Callable[[], object]] = {}
        if peer is not None:
            peers[PEER] = lambda p=path: peer(p)
        peers["olefile direct (dxchange-style)"] = lambda p=str(path): olefile_direct(p)
        comp = compare(
            f"{path.name} ({path.stat().st_size:,} B)",
            lambda p=path: clxm_meta.read(p),
            peers,
            number=5,
            repeat=5,
        )
        report.add_comparison(SECTION, comp)
        comps.append(comp)
    if comps and peer is not None:
        w = worst(comps, PEER)
        report.headline(
            Headline(
                "TXRM `read` vs txrm2tiff `open_txrm(load_images=False)` metadata",
                w.text(),
                "≥ 5×",
                w.read > 0 and w.ratio >= 5,
                "own compound-file index; olefile only as fallback (TXRM section)",
            )
        )


if __name__ == "__main__":
    standalone(run)
