"""TXRM/XRM metadata: clxm_meta.read vs a plain-olefile reader doing the same job.

The peer is written here in the style of dxchange's ``read_ole_metadata`` (open the compound file,
read a fixed set of ImageInfo streams with struct, no validation, no stream index). txrm2tiff and
dxchange themselves are not installable in this environment; when they are, add them as peers.
"""

from __future__ import annotations

import struct

import olefile
from _harness import REAL, compare

import clxm_meta

SAMPLES = [
    "txrm/dxchange__txrm_test_chip_tomo.txrm",
    "txrm/dxchange__test_chip00.xrm",
    "txrm/xanespy__mosaic_4x4_bin8.xrm",
]


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
        meta = {
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
            "date": ole.openstream("ImageInfo/Date").read()
            if ole.exists("ImageInfo/Date")
            else b"",
        }
        return meta
    finally:
        ole.close()


if __name__ == "__main__":
    for rel in SAMPLES:
        path = REAL / rel
        if not path.is_file():
            print(f"skip {rel} (../shared absent)")
            continue
        compare(
            f"TXRM metadata: {path.name} ({path.stat().st_size // 1024} kB)",
            lambda p=path: clxm_meta.read(p),
            {"olefile direct (dxchange-style)": lambda p=str(path): olefile_direct(p)},
        )
