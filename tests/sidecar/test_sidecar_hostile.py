"""Hostile sidecars (issue 23): each ends in `SidecarError` naming the line, or a finding; never a
traceback, a hang or a memory blow-up, and nothing is written.

Cases that hung or exhausted memory before the fix run in a subprocess with a time limit, so a
regression fails instead of hanging the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.errors import SidecarError
from clxm_meta.sidecar import load_sidecar, safe_yaml
from clxm_meta.sidecar.validate import accession_kind, doi_valid, orcid_checksum_ok

HEAD = "version: 1\n"


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    src = str(Path(clxm_meta.__file__).parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [sys.executable, "-m", "clxm_meta", "-q", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def billion_laughs(levels: int = 10) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]")
    return HEAD + "x:\n" + "".join(f"  {line}\n" for line in lines)


def _refused(tmp_path: Path, text: str, *words: str) -> SidecarError:
    path = tmp_path / "clxm.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SidecarError) as err:
        load_sidecar(path)
    for word in words:
        assert word in err.value.message, err.value.message
    return err.value


def test_alias_bomb_is_refused_quickly_in_a_subprocess(tree: Path) -> None:
    (tree / "clxm.yaml").write_text(billion_laughs())
    out = tree.parent / "out"
    proc = _cli("check", str(tree), timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "expands" in proc.stderr and "line" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = _cli("deposit", str(tree), "-o", str(out), timeout=60)
    assert proc.returncode == 2 and not out.exists()


def test_alias_bomb_refused_in_process(tmp_path: Path) -> None:
    _refused(tmp_path, billion_laughs(), "expands", "line")


def test_aliases_within_the_budget_still_work(tmp_path: Path) -> None:
    path = tmp_path / "clxm.yaml"
    path.write_text(
        HEAD
        + "all:\n  general.people: &people\n    - {name: A. Person, affiliation: Uni}\n"
        + "samples:\n  s1:\n    general.people: *people\n"
    )
    sc = load_sidecar(path)
    assert (
        next(e.value for e in sc.entries if e.field == "general.people")[0]["name"] == "A. Person"
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (HEAD + "x: &a [*a]\n", ("recursive", "line 2")),
        (HEAD + "x: &a {k: *a}\n", ("recursive", "line 2")),
        (HEAD + "x: " + "{a: " * 1000 + "1" + "}" * 1000 + "\n", ("levels deep", "line 2")),
        (HEAD + "x:\n" + "".join("  " * (i + 1) + "a:\n" for i in range(1000)), ("levels deep",)),
        (HEAD + "x: " + "[" * 1000 + "]" * 1000 + "\n", ("dep", "line 2")),  # libyaml's own limit
    ],
    ids=["recursive-seq", "recursive-map", "deep-flow", "deep-block", "deep-list"],
)
def test_recursion_and_depth_are_refused(tmp_path: Path, text: str, words: tuple[str, ...]) -> None:
    _refused(tmp_path, text, *words)


def test_impossible_date_and_huge_integer_name_their_line(tmp_path: Path) -> None:
    _refused(tmp_path, HEAD + "biostudies:\n  release_date: 2026-02-30\n", "date", "line 3")
    _refused(tmp_path, HEAD + "x: 1" + "0" * 5000 + "\n", "integer", "line 2")


def test_quoted_impossible_date_is_a_biostudies_finding(tree: Path) -> None:
    text = (tree / "clxm.yaml").read_text().replace("2027-01-31", "'2026-02-30'")
    (tree / "clxm.yaml").write_text(text)
    found = [f for f in clxm_meta.scan(tree).all_findings() if "release_date" in f.message]
    assert found and found[0].locator and found[0].locator.startswith("line ")


@pytest.mark.parametrize(
    "escape", ["\\x01", "\\0", "\\x1b", "\\uFFFE", "\\uFFFF", "\\ud800", "\\x85", "\\U0010FFFF"]
)
def test_control_characters_and_surrogates_are_refused(tmp_path: Path, escape: str) -> None:
    err = _refused(tmp_path, HEAD + f'all:\n  general.title: "A{escape}B"\n', "line 3")
    # ours names the code point; libyaml refuses a surrogate escape itself
    assert ("U+" in err.message and "remove it" in err.message) or "invalid Unicode" in err.message


def test_control_character_sidecar_writes_nothing(tree: Path) -> None:
    text = (tree / "clxm.yaml").read_text()
    text = text.replace(
        "general.title: Example cryo-SIM of synthetic cell 1", 'general.title: "Ex\\x01\\uFFFE"'
    )
    (tree / "clxm.yaml").write_text(text)
    out = tree.parent / "out"
    proc = _cli("deposit", str(tree), "-o", str(out))
    assert proc.returncode == 2, proc.stderr
    assert "U+0001" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()
    text = text.replace('"Ex\\x01\\uFFFE"', '"Ex\\ud800ample"')
    (tree / "clxm.yaml").write_text(text)
    proc = _cli("deposit", str(tree), "-o", str(out))
    assert proc.returncode == 2 and "line 28" in proc.stderr and not out.exists()
    assert "Traceback" not in proc.stderr


def test_raw_control_character_names_its_line(tmp_path: Path) -> None:
    _refused(tmp_path, HEAD + "all:\n  general.title: A\x07B\n", "line 3", "U+0007")


def test_duplicate_keys_are_refused_with_both_lines(tmp_path: Path) -> None:
    _refused(tmp_path, HEAD + "version: 2\n", "twice", "line 1", "line 2")
    _refused(
        tmp_path,
        HEAD + "datasets:\n  a/SIM/c:\n    general.title: x\n    general.title: y\n",
        "general.title",
        "line 5",
    )


@pytest.mark.parametrize("special", ["fifo", "devzero", "folder", "big"])
def test_sidecar_must_be_a_bounded_regular_file(tree: Path, special: str) -> None:
    if special == "fifo":
        path = tree.parent / "pipe.yaml"
        os.mkfifo(path)
    elif special == "devzero":
        path = Path("/dev/zero")
    elif special == "folder":
        path = tree / "sample1"
    else:
        path = tree.parent / "big.yaml"
        path.write_text(HEAD + "# " + "x" * safe_yaml.MAX_BYTES + "\n")
    out = tree.parent / "out"
    proc = _cli("deposit", str(tree), "--sidecar", str(path), "-o", str(out), timeout=30)
    assert proc.returncode == 2, proc.stderr
    assert ("regular file" in proc.stderr) or ("bytes" in proc.stderr), proc.stderr
    assert not out.exists()


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "clxm.yaml"
    path.write_bytes(b"version: 1\nall:\n  general.title: caf\xe9\n")
    with pytest.raises(SidecarError, match="line 3"):
        load_sidecar(path)


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (orcid_checksum_ok, "0000-0002-1825-0097", "０000-0002-1825-0097"),
        (accession_kind, "S-BIAD123", "S-BIAD１２３"),
        (accession_kind, "EMPIAR-10001", "EMPIAR-١٠٠٠١"),
        (doi_valid, "10.1000/xyz", "10.１０００/xyz"),
        (doi_valid, "10.1000/xyz", "10.1000/xÿz"),
    ],
)
def test_identifiers_accept_ascii_only(check: object, good: str, bad: str) -> None:
    assert callable(check)
    assert check(good)
    assert not check(bad)


def test_fullwidth_identifiers_are_findings_not_exported(tree: Path) -> None:
    text = (tree / "clxm.yaml").read_text()
    text = text.replace("orcid: 0000-0002-1825-0097", "orcid: 0000-0002-1825-009７")
    text = text.replace("grant_id: ERC-0000-EXAMPLE", "grant_id: ERC-００００")
    text = text.replace("country: GB", "country: ＧＢ")
    text = text.replace(
        "    general.title: Example cryo-SXT tilt series of synthetic cell 1",
        "    general.title: Example cryo-SXT tilt series of synthetic cell 1\n"
        "    related.accessions: [S-BIAD１２３]",
    )
    (tree / "clxm.yaml").write_text(text)
    codes = {f.code for f in clxm_meta.scan(tree).all_findings()}
    assert {
        "sidecar.bad_orcid",
        "sidecar.bad_grant_id",
        "sidecar.bad_country",
        "sidecar.bad_accession",
    } <= codes
    out = tree.parent / "out"
    proc = _cli("deposit", str(tree), "-o", str(out), "--allow-incomplete")
    assert proc.returncode in (1, 4), proc.stderr
    for path in out.rglob("*") if out.exists() else []:
        if path.is_file() and path.suffix in (".json", ".tsv", ".txt"):
            body = path.read_text(encoding="utf-8")
            assert "１２３" not in body and "００００" not in body and "ＧＢ" not in body


def test_sidecar_parsed_once_per_run(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clxm_meta.cli import main

    calls: list[str] = []
    real = safe_yaml.parse_text

    def counting(text: str, path: str) -> safe_yaml.Parsed:
        calls.append(path)
        return real(text, path)

    monkeypatch.setattr(safe_yaml, "parse_text", counting)
    safe_yaml._CACHE.clear()
    code = main(["-q", "deposit", str(tree), "-o", str(tree.parent / "out")])
    assert code == 0
    assert len(calls) == 1, calls


def test_a_changed_sidecar_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "clxm.yaml"
    path.write_text(HEAD + "all:\n  general.title: one\n")
    assert load_sidecar(path).entries[0].value == "one"
    path.write_text(HEAD + "all:\n  general.title: two, longer\n")
    assert load_sidecar(path).entries[0].value == "two, longer"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (billion_laughs(), ("expands",)),
        (HEAD + "x: &a [*a]\n", ("recursive",)),
        (HEAD + "x: " + "{a: " * 1000 + "1" + "}" * 1000 + "\n", ("levels deep",)),
        (HEAD + "version: 2\n", ("twice",)),
        (HEAD + 'all:\n  general.title: "A\\x01B"\n', ("U+0001",)),
    ],
    ids=["bomb", "recursive", "deep", "duplicate", "control"],
)
def test_pure_python_parser_refuses_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, words: tuple[str, ...]
) -> None:
    """Without libyaml (a PyYAML built without it) the pure-Python path gives the same errors."""
    monkeypatch.setattr(safe_yaml, "_CLoader", None)
    _refused(tmp_path, text, *words, "line")
    (tmp_path / "ok.yaml").write_text(HEAD + "all:\n  general.title: fine\n")
    assert load_sidecar(tmp_path / "ok.yaml").entries[0].value == "fine"


def test_deposit_and_report_name_the_sidecar_used(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from clxm_meta.cli import main

    assert main(["deposit", str(tree), "-o", str(tree.parent / "out")]) == 0
    assert f"sidecar: {tree / 'clxm.yaml'}" in capsys.readouterr().err
    assert main(["report", str(tree), "-o", str(tree.parent / "r.html")]) in (0, 1)
    assert f"sidecar: {tree / 'clxm.yaml'}" in capsys.readouterr().err
