"""Completeness, pre-deposition lint and the MD5 manifest."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.checks import completeness, compute_manifest, format_manifest, lint, md5_file
from clxm_meta.checks.lint import MAX_FILE_BYTES
from conftest import EXAMPLE


def _codes(root: Path) -> dict[str, list[str]]:
    res = clxm_meta.scan(root)
    out: dict[str, list[str]] = {}
    for f in lint(res):
        out.setdefault(f.code, []).append(Path(f.path).name if f.path else "")
    return out


def test_completeness_of_the_example() -> None:
    res = clxm_meta.scan(EXAMPLE)
    sim = completeness(res.record("sample1/SIM/cell1"))
    statuses = {r.id: r.status for r in sim.rows}
    assert statuses["general.title"] == "sidecar"
    assert statuses["setup.pixel_size"] == "file"
    assert statuses["setup.field_of_view"] == "derived"
    assert statuses["setup.objective"] == "missing_facility"
    assert statuses["general.publication_doi"] == "missing_depositor"
    assert statuses["raw.brightfield_stack"] == "missing_minable"
    hint = next(r.hint for r in sim.rows if r.id == "raw.brightfield_stack")
    assert hint is not None and "brightfield" in hint
    assert sim.total == 45 and 0 < sim.score < 1
    assert sim.filled == sum(1 for r in sim.rows if not r.status.startswith("missing"))


def test_example_lint_only_sim_first() -> None:
    assert _codes(EXAMPLE) == {"lint.sim_first": [""]}


def test_sim_first_satisfied_by_biostudies_accession(tree: Path) -> None:
    side = tree / "clxm.yaml"
    side.write_text(
        side.read_text().replace(
            "  sample1/SXT/ts1:\n",
            "  sample1/SXT/ts1:\n    related.accessions: [S-BIAD19]\n",
        )
    )
    assert "lint.sim_first" not in _codes(tree)


def test_path_longer_than_260(tree: Path) -> None:
    deep = tree / "sample1" / ("d" * 100) / ("e" * 100)
    deep.mkdir(parents=True)
    prefix = len(f"sample1/{'d' * 100}/{'e' * 100}/")
    ok = deep / ("a" * (260 - prefix - 4) + ".txt")
    long = deep / ("b" * (261 - prefix - 4) + ".txt")
    ok.write_text("ok")
    long.write_text("too long")
    assert len(str(long.relative_to(tree))) == 261
    assert _codes(tree).get("lint.path_too_long") == [long.name]


def test_sparse_file_over_1tb(tree: Path) -> None:
    big = tree / "sample1" / "huge.bin"
    try:
        with open(big, "wb") as fh:
            fh.truncate(MAX_FILE_BYTES + 1)
    except OSError as exc:
        pytest.skip(f"filesystem refuses a sparse 1 TB file: {exc}")
    try:
        assert big.stat().st_size == MAX_FILE_BYTES + 1
        assert _codes(tree).get("lint.file_too_large") == ["huge.bin"]
    finally:
        big.unlink()


def test_names_empty_and_duplicates(tree: Path) -> None:
    (tree / "sample1" / "bad:name?.txt").write_text("x")
    (tree / "sample1" / "café.txt").write_text("y")
    (tree / "sample1" / "with space.txt").write_text("z")
    (tree / "sample1" / "empty.txt").write_bytes(b"")
    shutil.copy(tree / "sample1" / "SIM" / "cell1.log", tree / "sample1" / "copy.log")
    codes = _codes(tree)
    assert set(codes["lint.bad_characters"]) == {"bad:name?.txt", "café.txt"}
    assert codes["lint.risky_characters"] == ["with space.txt"]
    assert codes["lint.empty_file"] == ["empty.txt"]
    assert codes["lint.duplicate"] in (["cell1.log"], ["copy.log"])


def test_manifest_matches_hashlib(tree: Path) -> None:
    big = tree / "sample1" / "chunked.bin"
    big.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    files = [(str(p.relative_to(tree)), str(p)) for p in sorted(tree.rglob("*")) if p.is_file()]
    entries, errors = compute_manifest(files, workers=4)
    assert errors == []
    for e in entries:
        expected = hashlib.md5((tree / e.rel).read_bytes()).hexdigest()
        assert e.md5 == expected and e.size == (tree / e.rel).stat().st_size
    assert md5_file(big, chunk_size=1000) == hashlib.md5(big.read_bytes()).hexdigest()
    text = format_manifest(entries)
    lines = text.splitlines()
    assert lines == sorted(lines, key=lambda line: line[34:])
    assert all(len(line.split("  ", 1)[0]) == 32 for line in lines)


def test_manifest_reports_unreadable(tmp_path: Path) -> None:
    entries, errors = compute_manifest([("gone.bin", str(tmp_path / "gone.bin"))])
    assert entries[0].md5 is None and errors[0].code == "manifest.unreadable"
    assert format_manifest(entries) == ""
