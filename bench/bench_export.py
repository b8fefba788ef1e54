"""Light-side exports: PageTab, file list, SIM spreadsheet, OME-XML (own timings, no peer does this).

Run: python bench/bench_export.py
Builds every document of the example SIM dataset (records scanned once, outside the timing), then
OME-XML for real DV/TIFF samples and for a synthetic raw 3D-SIM DV with 2,700 planes (3 channels ×
60 planes × 15 angle/phase images) to show how the per-plane part scales.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from _harness import REAL, compare

import clxm_meta
from clxm_meta.export.biostudies.filelist import build_file_list, file_list_tsv
from clxm_meta.export.biostudies.pagetab import build_pagetab, pagetab_json, pagetab_tsv
from clxm_meta.export.biostudies.sim_xlsx import sim_workbook
from clxm_meta.export.ome.build import ome_xml
from writers.dv import DvSpec, SectionSpec, write_dv

ROOT = Path(__file__).resolve().parents[1]
SIM, SXT = "sample1/SIM/cell1", "sample1/SXT/ts1"


def _big_dv(folder: Path) -> Path:
    waves, nz = 3, 60 * 15
    sections = [
        SectionSpec(floats={1: 0.01 * i, 8: 0.05, 10: 488.0 + 50 * (i % waves), 11: 525.0})
        for i in range(waves * nz)
    ]
    spec = DvSpec(
        nx=16,
        ny=16,
        nz=nz,
        n_waves=waves,
        waves=(525, 600, 680),
        minmax=((0.0, 1.0),) * waves,
        sections=sections,
        sequence=1,
    )
    return write_dv(folder / "big_raw.dv", spec)


def main() -> None:
    result = clxm_meta.scan(ROOT / "examples" / "deposition")

    def pagetab() -> object:
        doc = build_pagetab(result, SIM, sxt=SXT).document
        return pagetab_tsv(doc), pagetab_json(doc)

    compare("PageTab (build + TSV + JSON), example SIM", pagetab, {})
    compare(
        "file list (build + TSV), example SIM",
        lambda: file_list_tsv(build_file_list(result, SIM)),
        {},
    )
    compare(
        "SIM spreadsheet (xlsx bytes), example SIM", lambda: sim_workbook(result, SIM), {}, number=5
    )
    paths = [
        ROOT / "examples" / "deposition" / "sample1" / "SIM" / "cell1.dv",
        REAL / "dv" / "cudasirecon__raw.dv",
        REAL / "tiff" / "txrm2tiff-2.2.1__txrm_test_chip_tomo.ome.tiff",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        paths.append(_big_dv(Path(tmp)))
        for path in paths:
            if not path.is_file():
                print(f"skip {path.name} (not available)")
                continue
            model = clxm_meta.read(path)
            compare(f"OME-XML: {path.name}", lambda m=model: ome_xml(m), {}, number=3)


if __name__ == "__main__":
    main()
