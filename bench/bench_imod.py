"""SerialEM .mdoc parsing: clxm_meta vs teamtomo `mdocfile` (pandas DataFrame of sections).

Run: python bench/bench_imod.py   (the peer is optional: `pip install mdocfile`; not a project
dependency). Also times the two align.log dialects (no peer parses them).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import REAL, Report, compare, standalone

import clxm_meta

MDOCS = [
    "mdocfile__tilt_series.mdoc",
    "tomo_preprocessing__TS_01.mrc.mdoc",
    "mdocfile__montage_section.mdoc",
    "mdocfile__frame_set_single.mdoc",
]
LOGS = ["yaiw__align.log", "imod-etomo__aligna.log"]


def _peers(path: Path) -> dict[str, Callable[[], object]]:
    logging.disable(logging.WARNING)  # mdocfile logs every unknown key on every read
    try:
        import mdocfile
    except ImportError:
        print("  (mdocfile not installed: pip install mdocfile)")
        return {}
    return {"mdocfile.read": lambda: mdocfile.read(path)}


SECTION = "IMOD / SerialEM text files"


def run(report: Report) -> None:
    for name in MDOCS:
        path = REAL / "imod" / name
        if not path.is_file():
            print(f"skip {name} (not available)")
            continue
        comp = compare(f"mdoc: {name}", lambda p=path: clxm_meta.read(p), _peers(path))
        report.add_comparison(SECTION, comp)
    for name in LOGS:
        path = REAL / "imod" / name
        if path.is_file():
            comp = compare(f"align.log: {name}", lambda p=path: clxm_meta.read(p), {})
            report.add_comparison(SECTION, comp)


if __name__ == "__main__":
    standalone(run)
