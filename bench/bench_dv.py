"""DV header reading: clxm_meta vs the `mrc` package (tlambert03, DVFile header + extended header).

Run: python bench/bench_dv.py   (peers are optional: `pip install mrc`; not a project dependency)
bioio-dv wraps mrc.DVFile and is not timed separately; mrcfile does not read DV.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import REAL, compare

import clxm_meta

FILES = ["tlambert03-mrc__toxo.dv", "cudasirecon__raw.dv", "cudasirecon__otf.dv"]


def _peers(path: Path) -> dict[str, Callable[[], object]]:
    peers: dict[str, Callable[[], object]] = {}
    try:
        import mrc
    except ImportError:
        print("  (mrc not installed: pip install mrc)")
        return peers

    def mrc_header() -> object:
        with mrc.DVFile(str(path)) as f:
            return (f.hdr, f.ext_hdr, f.voxel_size, f.lens)

    peers["mrc.DVFile (hdr+ext+lens)"] = mrc_header
    return peers


def main() -> None:
    examples = Path(__file__).resolve().parents[1] / "examples" / "cell1.dv"
    paths = [REAL / "dv" / name for name in FILES] + [examples]
    for path in paths:
        if not path.is_file():
            print(f"skip {path.name} (not available)")
            continue
        compare(f"DV metadata: {path.name}", lambda p=path: clxm_meta.read(p), _peers(path))


if __name__ == "__main__":
    main()
