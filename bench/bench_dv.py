"""DV header reading: clxm_meta vs the `mrc` package (tlambert03) ``DVFile``.

Peers (the ``bench`` extra): ``mrc.DVFile`` header (a namedtuple) + extended header (a lazy
buffer wrapper: records are unpacked only by ``frame(i)``) + voxel size + lens, against
``clxm_meta.read`` (which also leaves the extended header undecoded until a value from it is
needed); and, on equal work, the peer with every extended-header record unpacked to Python values
against ``clxm_meta.read`` with every value worked out: every record decoded into columns, every
float checked, the findings and channels made (what ``read`` did at once before it decoded on
first use; the per-record `DvSection` objects are built only when asked for, as before).
bioio-dv wraps mrc.DVFile and is not timed separately.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from _harness import ROOT, Comparison, Headline, Report, compare, samples, standalone, worst

import clxm_meta

SECTION = "DV: clxm_meta.read vs mrc.DVFile"


LAZY = "mrc.DVFile (lazy ext header)"
EQUAL = "mrc.DVFile + every ext record (equal work)"


def _peers(path: Path) -> dict[str, Callable[[], object]]:
    try:
        import mrc
    except ImportError:
        print("  (mrc not installed: pip install -e '.[bench]')")
        return {}

    def views() -> object:
        with mrc.DVFile(str(path)) as f:
            return (f.hdr, f.ext_hdr, f.voxel_size, f.lens)

    def equal_work() -> object:
        with mrc.DVFile(str(path)) as f:
            ext = f.ext_hdr
            frames = [ext.frame(i)._asdict() for i in range(ext.n_frames)] if ext else []
            return f.hdr._asdict(), frames, f.voxel_size, f.lens

    return {LAZY: views, EQUAL: equal_work}


def _everything(path: Path) -> object:
    """`clxm_meta.read` with every value worked out (every record decoded, findings, channels)."""
    model = clxm_meta.read(path)
    return model.findings, getattr(model, "channels", None)


def run(report: Report) -> None:
    # every real DV sample and every DV shipped in examples/: the headline is the worst of all
    paths = samples("dv", ".dv") + sorted((ROOT / "examples").rglob("*.dv"))
    comps: list[Comparison] = []
    for path in paths:
        if not path.is_file():
            print(f"skip {path.name} (not available)")
            continue
        peers = _peers(path)
        comp = compare(
            f"{path.name} ({path.stat().st_size:,} B)",
            lambda p=path: clxm_meta.read(p),
            {name: fn for name, fn in peers.items() if name == LAZY},
            number=100,
            repeat=25,
        )
        report.add_comparison(SECTION, comp)
        comps.append(comp)
        comp = compare(
            f"{path.name} ({path.stat().st_size:,} B), every value worked out",
            lambda p=path: _everything(p),
            {name: fn for name, fn in peers.items() if name == EQUAL},
            number=100,
            repeat=25,
            note="clxm_meta.read, then its findings and channels (every record decoded)",
        )
        report.add_comparison(SECTION, comp)
        comps.append(comp)
    if comps:
        lazy = worst(comps, LAZY)
        equal = worst(comps, EQUAL)
        report.headline(
            Headline(
                "DV `read` vs `mrc` DVFile (header + extended header, as each reader leaves it)",
                lazy.text(),
                "≥ 1× on every sample",
                lazy.read > 0 and lazy.ratio >= 1,
                f"met by this comparison alone; on equal work (every record unpacked by the "
                f"peer too): {equal.text()}",
            )
        )


if __name__ == "__main__":
    standalone(run)
