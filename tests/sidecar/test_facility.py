"""Facility profiles: merged beneath the sidecar, each value cited; the file wins and check says so."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import clxm_meta
from clxm_meta.cli import main
from clxm_meta.errors import SidecarError
from clxm_meta.records.provenance import SourceKind
from clxm_meta.sidecar.facility import builtin_profiles, load_profile
from writers.dv import DvSpec, write_dv


def test_shipped_diamond_b24_cites_a_public_source_for_every_value() -> None:
    assert "diamond-b24" in builtin_profiles()
    prof = load_profile("diamond-b24")
    assert prof.rows
    for row in prof.rows:
        assert row.url.startswith("https://") and row.quote, row.field
    fields = {(r.scope, r.field) for r in prof.rows}
    assert ("all", "general.facility") in fields and ("SIM", "setup.objective") in fields
    # rows no public source states are not in the profile (docs/sidecar.md lists them)
    assert not {f for _, f in fields} & {
        "setup.zone_plate",
        "setup.detector",
        "setup.magnification",
    }


def test_profile_values_fill_rows_no_file_gives_with_their_reference(tree: Path) -> None:
    res = clxm_meta.scan(tree, facility="diamond-b24")
    assert res.facility == "diamond-b24"
    sim = res.record("sample1/SIM/cell1")
    inst = sim.general.instrument
    assert inst is not None and inst.source.kind is SourceKind.FACILITY
    assert inst.source.reader == "facility profile diamond-b24"
    assert "https://doi.org/10.1016/j.xpro.2020.100253" in str(inst.source.transform)
    obj = sim.setup.objective
    assert obj is not None and obj.value.na == 0.9 and obj.source.kind is SourceKind.FACILITY
    # the depositor's sidecar wins over the profile, silently (the example sidecar names a facility)
    fac = sim.general.facility
    assert fac is not None and fac.source.kind is SourceKind.SIDECAR
    assert not [
        f for f in res.all_findings() if f.code == "sidecar.override" and "facility" in f.message
    ]


def test_a_file_disagreeing_with_the_profile_wins_and_check_says_so(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = tree / "sample1" / "SIM"
    for f in sim.iterdir():
        f.unlink()
    write_dv(sim / "cell1.dv", DvSpec(lens_id=13))  # Nikon 100X/1.40 oil in the lens table
    (tree / "clxm.yaml").write_text("facility: diamond-b24\n")
    res = clxm_meta.scan(tree)
    (sim_rec,) = [r for r in res.records if r.kind.value == "SIM"]
    obj = sim_rec.setup.objective
    assert obj is not None and obj.value.na == 1.4 and obj.source.kind is SourceKind.FILE
    hits = [f for f in res.all_findings() if f.code == "facility.disagrees"]
    assert len(hits) == 1 and hits[0].field == "setup.objective"
    assert (
        "facility profile diamond-b24" in hits[0].message
        and "file's value is used" in hits[0].message
    )
    main(["check", str(tree)])
    assert "facility.disagrees" in capsys.readouterr().out


def test_a_facility_writes_and_ships_its_own_profile(tree: Path, tmp_path: Path) -> None:
    (tree / "profiles").mkdir()
    (tree / "profiles" / "my-beamline.yaml").write_text(
        yaml.safe_dump(
            {
                "profile": 1,
                "name": "my-beamline",
                "references": {"page": {"title": "Beamline page", "url": "https://example.org/bl"}},
                "rows": {
                    "SXT": {
                        "acquisition.radiation_damage": {
                            "value": "none visible at 500 eV, 1 s per image",
                            "source": "page",
                            "quote": "no radiation damage is visible",
                        }
                    }
                },
            }
        )
    )
    (tree / "clxm.yaml").write_text("facility: profiles/my-beamline.yaml\n")  # relative to it
    sxt = clxm_meta.scan(tree).record("sample1/SXT/ts1")
    row = sxt.acquisition.radiation_damage
    assert row is not None and row.source.reader == "facility profile my-beamline"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"all": {"general.facility": {"value": "X"}}}, "must cite a public source"),
        ({"all": {"general.facility": {"value": "X", "source": "nope"}}}, "must cite"),
        (
            {"SIM": {"setup.objective": {"value": "fast", "source": "r"}}},
            "rows.SIM.setup.objective",
        ),
        ({"SIM": {"setup.zone_plate": {"value": "x", "source": "r"}}}, "not a Table 1 row of SIM"),
        ({"XRAY": {}}, "expected one of all, SIM, SXT"),
    ],
)
def test_a_bad_profile_is_refused_with_where(
    tmp_path: Path, rows: dict[str, object], message: str
) -> None:
    path = tmp_path / "p.yaml"
    refs = {"r": {"title": "t", "url": "https://example.org"}}
    path.write_text(yaml.safe_dump({"name": "p", "references": refs, "rows": rows}))
    with pytest.raises(SidecarError, match=message):
        load_profile(str(path))


def test_unknown_profile_names_the_shipped_ones() -> None:
    with pytest.raises(SidecarError, match="diamond-b24"):
        load_profile("no-such-facility")


def test_sidecar_facility_option_writes_the_key_and_cites_in_comments(
    tree: Path, tmp_path: Path
) -> None:
    (tree / "clxm.yaml").unlink()
    out = tmp_path / "clxm.yaml"
    assert main(["-q", "sidecar", str(tree), "--facility", "diamond-b24", "-o", str(out)]) == 0
    text = out.read_text()
    data = yaml.safe_load(text)
    assert data["facility"] == "diamond-b24"
    # the profile's values are comments (they stay the profile's), the row is left to fill
    assert "from the facility profile diamond-b24: {na: 0.9}" in text
    assert data["datasets"]["sample1/SIM/cell1"]["setup.objective"]["na"] is None
    res = clxm_meta.scan(tree, sidecar=out)
    obj = res.record("sample1/SIM/cell1").setup.objective
    assert obj is not None and obj.source.kind is SourceKind.FACILITY


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            'a: &a ["x", "x"]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n'
            + "".join(f"c{i}: &c{i} [{', '.join(['*b'] * 9)}]\n" for i in range(1))
            + "d: ["
            + ", ".join(["*c0"] * 3000)
            + "]\n",
            "expand",
        ),
        ("a: &a [*a]\n", "recursive"),
        ("a: 1\na: 2\n", "duplicate"),
        ("x:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200)), "nested"),
    ],
)
def test_a_hostile_profile_is_refused_like_a_hostile_sidecar(
    tmp_path: Path, text: str, why: str
) -> None:
    """A profile is any file a user names with --facility: it goes through the sidecar's hardened
    reader (alias bombs, recursion, duplicate keys, depth), never plain yaml.safe_load."""
    path = tmp_path / "evil.yaml"
    path.write_text(text)
    with pytest.raises(SidecarError):
        load_profile(str(path))


def test_a_profile_that_is_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "profile.yaml"
    os.mkfifo(fifo)
    with pytest.raises(SidecarError):  # refused, never opened (opening a FIFO blocks)
        load_profile(str(fifo))
