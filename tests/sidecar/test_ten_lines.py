"""The depositor's part in minutes: a two-sample B24 deposition from at most 10 typed lines.

The depositor knows the title, the ORCIDs, the paper's DOI, the release instruction and the
licence. The facility profile (``diamond-b24``) gives the facility rows, the visit folder gives the
beamtime proposal, the look-ups (a local server with recorded answers) give the people's
affiliations, ROR ids, countries and emails and the citation, its abstract and keywords. What no
file, profile or look-up can know about the sample (its organism, biological entity, preparation,
fiducials), a co-author's role in the study and the BioStudies release date are typed too, and
still fit in the 10 lines; the organism's NCBI taxon is looked up (ENA).
"""

from __future__ import annotations

import json
import runpy
import shutil
from pathlib import Path

import pytest
import yaml
from test_lookup import CARBERRY, DOI, QUILL, services  # noqa: F401 (fixture)

import clxm_meta
from clxm_meta.cli import main
from clxm_meta.records.provenance import SourceKind

ROOT = Path(__file__).resolve().parents[2]

TYPED = f"""\
facility: diamond-b24
release_instruction: HPUB
all:
  general.title: Correlative cryo-SIM and cryo-SXT of synthetic U2OS cells
  general.people:
    - {{name: Josiah Carberry, orcid: {CARBERRY}, corresponding_author: true, principal_investigator: true}}
    - {{name: Ada Quill, orcid: {QUILL}, role: data acquisition}}
  sample.fiducials: none, SIM and SXT correlated on cell features
biostudies: {{license: CC BY 4.0, release_date: 2027-01-31, organism: Homo sapiens,
  biological_entity: U2OS cells, sample_preparation: plunge-frozen on gold finder grids}}
"""


def _b24_tree(base: Path) -> Path:
    """Two samples, each a raw + reconstructed SIM and an SXT tilt series with IMOD files,
    written by the test writers (scripts/make_examples.py), inside a Diamond visit folder."""
    make = runpy.run_path(str(ROOT / "scripts" / "make_examples.py"))["make_deposition"]
    root = make(base / "dls" / "b24" / "data" / "2026" / "cm31234-5" / "processing")
    other = make(base / "second")
    shutil.move(str(other / "sample1"), str(root / "sample2"))
    (root / "clxm.yaml").unlink()  # the depositor starts from nothing
    return root


@pytest.mark.usefixtures("services")
def test_a_two_sample_b24_deposition_from_ten_typed_lines(tmp_path: Path) -> None:
    root = _b24_tree(tmp_path)
    typed = [line for line in TYPED.splitlines() if line.strip()]
    assert len(typed) <= 10
    typed_file = tmp_path / "typed.yaml"  # the depositor's ten lines, outside the data tree
    typed_file.write_text(TYPED)
    sidecar = root / "clxm.yaml"
    # 1. the look-ups complete them into the tree's sidecar (every typed value kept)
    code = main(
        ["-q", "sidecar", str(root), "--sidecar", str(typed_file), "--orcid", CARBERRY,
         "--orcid", QUILL, "--doi", DOI, "-o", str(sidecar)]
    )  # fmt: skip
    assert code == 0
    # 2. the deposition is complete: nothing required is missing
    out = tmp_path / "out"
    assert main(["-q", "deposit", str(root), "-o", str(out)]) == 0
    docs = sorted(p.name for p in out.rglob("*.json"))
    assert docs.count("deposition.json") == 2  # one EMPIAR entry per correlative pair
    empiar = json.loads(next(out.rglob("deposition.json")).read_text())
    assert empiar["corresponding_author"]["email"] == "josiah.carberry@example.org"
    assert empiar["citation"][0]["journal"] == "Journal of Psychoceramics"
    # 3. where the values came from
    result = clxm_meta.scan(root)
    assert {s.name for s in result.samples} == {"sample1", "sample2"}
    sim = result.record("sample2/SIM/cell1")
    assert sim.general.facility is not None
    assert sim.general.facility.source.kind is SourceKind.FACILITY
    assert "doi.org/10.1016/j.xpro.2020.100253" in str(sim.general.facility.source.transform)
    funding = sim.general.funding
    assert funding is not None and funding.value[0].grant_id == "cm31234-5"
    assert funding.source.kind is SourceKind.ASSUMPTION and "cm31234-5" in str(funding.source)
    data = yaml.safe_load(sidecar.read_text())
    people = data["all"]["general.people"]
    assert people[0]["ror"] == "https://ror.org/05gq02987"
    # the organisations' ROR ids, where the BioImages.v5 Organization sections take them from
    assert data["biostudies"]["organisations"] == {
        "Brown University, Department of Psychoceramics": {"ror": "https://ror.org/05gq02987"},
        "Example Institute of Imaging": {"ror": "https://ror.org/0abcde165"},
    }
    assert people[1]["affiliation"] == "Example Institute of Imaging"
    assert people[1]["country"] == "GB"
