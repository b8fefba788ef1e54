"""The generated docs pages (Table 1 field reference, CLI reference) cover everything and are fresh."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from clxm_meta.records.fields import FIELDS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_docs"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fields_text(gen: ModuleType) -> str:
    text: str = gen.fields_page()
    return text


def _sections(text: str) -> dict[tuple[str, str], str]:
    """(kind, id) -> the text of that id's section."""
    out: dict[tuple[str, str], str] = {}
    kind = ""
    current: tuple[str, str] | None = None
    for line in text.splitlines():
        if m := re.match(r"^## (SIM|SXT) datasets", line):
            kind = m.group(1)
            current = None
        elif m := re.match(r"^### `([a-z_.0-9]+)`", line):
            current = (kind, m.group(1))
            out[current] = ""
        elif current is not None:
            out[current] += line + "\n"
    return out


def test_every_table1_id_has_an_entry(fields_text: str) -> None:
    sections = _sections(fields_text)
    expected = {(k.value, s.id) for k, specs in FIELDS.items() for s in specs}
    assert expected - set(sections) == set(), "ids without an entry"
    assert set(sections) - expected == set(), "entries that are not Table 1 ids"
    for kind, specs in FIELDS.items():
        for spec in specs:
            body = sections[(kind.value, spec.id)]
            assert f"| origin | {spec.origin} |" in body
            assert f"| unit | {spec.unit or '—'} |" in body
            assert "| filled by |" in body


def test_sources_come_from_running_the_code(fields_text: str) -> None:
    sections = _sections(fields_text)
    pixel = sections[("SIM", "setup.pixel_size")]
    assert "**dv** (file) `cell1.dv`: header dx, dy, dz (bytes 40-51)" in pixel
    energy = sections[("SXT", "setup.energy")]
    assert "**txrm** (file) `ts1.txrm`: stream ImageInfo/Energy" in energy
    residual = sections[("SXT", "processing.residual_error")]
    assert "**imod** (file) `align.log`: line" in residual
    assert "[imod](imod.md)" in residual
    # attached-file rows name the role that fills them
    assert "attached file (role `otf`" in sections[("SIM", "processing.otf_files")]
    # no absolute path of the machine that generated the page
    assert str(ROOT) not in fields_text
    assert "/tmp" not in fields_text


def test_export_mappings_are_columns(gen: ModuleType, fields_text: str) -> None:
    maps = gen._mappings()
    sections = _sections(fields_text)
    for name, mapping in maps.items():
        for kind, specs in FIELDS.items():
            if kind.value not in gen.MAPPING_KINDS.get(name, ("SIM", "SXT")):
                continue
            for spec in specs:
                body = sections[(kind.value, spec.id)]
                assert f"| {gen.mapping_column(name)} |" in body
                target = gen._lookup(mapping, kind.value, spec.id)
                if target is not None:
                    assert gen._cell(gen._target_text(target)) in body


def test_archive_columns_go_with_their_kind(fields_text: str) -> None:
    sections = _sections(fields_text)
    sim, sxt = sections[("SIM", "setup.pixel_size")], sections[("SXT", "setup.pixel_size")]
    assert "`EMPIAR_MAPPING`" not in sim
    assert "`OME_MAPPING`" not in sxt and "`REMBI_MAPPING`" not in sxt
    assert "SIM spreadsheet" not in sxt


def test_target_text_shapes(gen: ModuleType) -> None:
    from typing import NamedTuple

    class Target(NamedTuple):
        module: str
        section: str
        attribute: str

    assert gen._target_text("Image/AcquisitionDate") == "Image/AcquisitionDate"
    assert gen._target_text(Target("Study", "Study", "Title")) == "Study › Study › Title"
    assert gen._lookup({"SXT:setup.energy": "a"}, "SXT", "setup.energy") == "a"
    assert gen._lookup({("SIM", "setup.lasers"): "b"}, "SIM", "setup.lasers") == "b"
    assert gen._lookup({"setup.lasers": "c"}, "SXT", "setup.lasers") == "c"


def test_pages_are_fresh(gen: ModuleType, fields_text: str) -> None:
    stale = "run `python scripts/gen_docs.py` and commit the result"
    assert (ROOT / "docs" / "fields.md").read_text(encoding="utf-8") == fields_text, stale
    if sys.version_info >= (3, 13):
        # argparse 3.13 lays help out differently (``-o, --output OUTPUT`` on one line); the
        # page is generated with the oldest supported Python, and compared there (and on 3.12)
        return
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == gen.cli_page(), stale


def test_cli_page_lists_every_command(gen: ModuleType) -> None:
    from clxm_meta.cli import COMMANDS

    text = gen.cli_page()
    for module in COMMANDS:
        name = module.rsplit(".", 1)[1].removesuffix("_cmd")
        assert f"## clxm-meta {name}\n" in text
