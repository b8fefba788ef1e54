"""Outputs a depositor can trust (issues 18 and 23): ``--force`` never deletes what clxm-meta did
not write, never the input, never anything but a regular file or a folder it wrote.

Each "what happens today" case of issue 18 and the output cases of issue 23 is a test here; each
failed on the code before the output record existed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from clxm_meta.cli import EXIT_OK, EXIT_USAGE, main
from conftest import SHARED, snapshot

SRC = Path(__file__).resolve().parents[2] / "src"
RECORD = ".clxm-record.json"


def _tree_files(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` with its content (links not followed)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _run(*argv: str) -> int:
    return main([str(a) for a in argv])


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _record(folder: Path) -> dict[str, dict[str, object]]:
    doc = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    return {e["path"]: e for e in doc["entries"]}


# ------------------------------------------------------------------ the record


def test_a_deposit_folder_records_every_file_it_wrote(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run("deposit", tree, "-o", out) == EXIT_OK
    record = _record(out)
    everything = list(out.rglob("*"))
    files = {str(p.relative_to(out)) for p in everything if p.is_file() and not p.is_symlink()}
    files -= {RECORD}
    assert {k for k, e in record.items() if e["kind"] == "file"} == files
    for rel in files:
        data = (out / rel).read_bytes()
        assert record[rel]["size"] == len(data)
        assert record[rel]["sha256"] == hashlib.sha256(data).hexdigest()
    assert record["ome"]["kind"] == "dir"
    # the upload folders' links to the inputs: recorded by target, never hashed
    links = {str(p.relative_to(out)): os.readlink(p) for p in everything if p.is_symlink()}
    assert links and {k: e["target"] for k, e in record.items() if e["kind"] == "link"} == links
    assert all(os.path.realpath(t).startswith(str(tree.resolve())) for t in links.values())
    assert "README.txt" in files and ".clxm-record.json" in (out / "README.txt").read_text()
    assert not list(tmp_path.glob(".clxm-*"))  # no staging folder left


def test_what_the_stage_hook_adds_is_recorded_links_by_target(tmp_path: Path) -> None:
    from clxm_meta.export.deposit.build import write_tree

    data = tmp_path / "data.bin"
    data.write_bytes(b"x" * 100)

    def stage(folder: str) -> None:
        os.makedirs(os.path.join(folder, "upload", "empiar"))
        os.symlink(data, os.path.join(folder, "upload", "empiar", "data.bin"))

    out = tmp_path / "out"
    write_tree(out, {"README.txt": b"hello\n"}, force=False, stage=stage)
    record = _record(out)
    assert record["upload/empiar/data.bin"] == {
        "path": "upload/empiar/data.bin",
        "kind": "link",
        "target": str(data),
    }
    assert ".clxm-staging" not in record and not (out / ".clxm-staging").exists()
    # the link is ours: --force replaces the folder (the linked file itself is never touched)
    write_tree(out, {"README.txt": b"again\n"}, force=True, stage=stage)
    assert (out / "README.txt").read_bytes() == b"again\n"
    assert data.read_bytes() == b"x" * 100
    # a link retargeted by someone else is not ours any more
    os.unlink(out / "upload" / "empiar" / "data.bin")
    os.symlink("/etc/hostname", out / "upload" / "empiar" / "data.bin")
    from clxm_meta.errors import OutputExistsError

    with pytest.raises(OutputExistsError, match=r"upload/empiar/data\.bin changed"):
        write_tree(out, {"README.txt": b"third\n"}, force=True)


# ------------------------------------------------------------------ issue 18: what happened


def test_force_into_a_projects_folder_keeps_the_unrelated_files(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    projects = tmp_path / "projects"
    assert _run("deposit", tree, "-o", projects / "deposit_2024") == EXIT_OK
    (projects / "thesis").mkdir()
    (projects / "thesis" / "chapter1.tex").write_text("\\chapter{One}\n")
    (projects / "raw_data_2023").mkdir()
    (projects / "raw_data_2023" / "cell1.dv").write_bytes(b"\x00" * 1024)
    before = _tree_files(projects)
    capsys.readouterr()
    assert _run("deposit", tree, "-o", projects, "--force") == EXIT_USAGE
    err = capsys.readouterr().err
    assert "not replaced, even with --force" in err and "raw_data_2023" in err
    assert "Traceback" not in err
    assert _tree_files(projects) == before
    assert not list(tmp_path.glob(".clxm-*"))


def test_allow_inside_never_replaces_the_tree_or_anything_in_it(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("deposit", tree, "-o", tree / "out", "--allow-inside") == EXIT_OK
    before = snapshot(tree)
    capsys.readouterr()
    assert _run("deposit", tree, "-o", tree, "--force", "--allow-inside") == EXIT_USAGE
    assert "is the scanned tree" in capsys.readouterr().err
    assert snapshot(tree) == before
    assert (tree / "clxm.yaml").is_file() and (tree / "sample1" / "SIM" / "cell1.dv").is_file()
    # the output made inside earlier is not replaced either: --allow-inside creates, never replaces
    assert _run("deposit", tree, "-o", tree / "out", "--force", "--allow-inside") == EXIT_USAGE
    assert "never replaces anything in the tree" in capsys.readouterr().err
    assert snapshot(tree) == before


def test_a_note_saved_in_an_earlier_output_is_kept(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert _run("deposit", tree, "-o", out) == EXIT_OK
    (out / "empiar" / "my notes.txt").write_text("accession requested 3 May\n")
    capsys.readouterr()
    assert _run("deposit", tree, "-o", out, "--force") == EXIT_USAGE
    err = capsys.readouterr().err
    assert "clxm-meta did not write empiar/my notes.txt" in err
    assert (out / "empiar" / "my notes.txt").read_text() == "accession requested 3 May\n"
    (out / "empiar" / "my notes.txt").unlink()
    assert _run("deposit", tree, "-o", out, "--force") == EXIT_OK  # ours again: replaced


def test_export_ome_force_keeps_a_folder_it_did_not_write(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "images"
    mine.mkdir()
    (mine / "figure1.ome.xml").write_text("<OME/>")  # a name clxm-meta might write, not ours
    capsys.readouterr()
    assert _run("export", "ome", tree, "-o", mine, "--force") == EXIT_USAGE
    assert "did not write figure1.ome.xml" in capsys.readouterr().err
    assert (mine / "figure1.ome.xml").read_text() == "<OME/>"
    ome = tmp_path / "ome"
    assert _run("export", "ome", tree, "-o", ome) == EXIT_OK
    assert _run("export", "ome", tree, "-o", ome, "--force") == EXIT_OK
    (ome / "sample1__SIM__cell1.ome.xml").write_text("<OME>edited</OME>")
    assert _run("export", "ome", tree, "-o", ome, "--force") == EXIT_USAGE
    assert "changed since clxm-meta wrote them" in capsys.readouterr().err


def _long_tree(tree: Path) -> str:
    """Give a SIM image of ``tree`` a ~250-character path; the new relative path."""
    sim = tree / "sample1" / "SIM"
    name = "cell1_SIR_" + "reconstructed_with_a_very_long_description_" * 5 + "0123456789.dv"
    (sim / "cell1_SIR.dv").rename(sim / name)
    return f"sample1/SIM/{name}"


def test_a_250_character_dataset_path_is_shortened_not_a_traceback(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rel = _long_tree(tree)
    assert len(rel) == 250
    assert _run("check", tree) == EXIT_OK
    out = capsys.readouterr().out
    assert "lint.output_name_shortened" in out
    assert _run("deposit", tree, "-o", tmp_path / "out") == EXIT_OK
    names = [p.name for p in (tmp_path / "out" / "ome").iterdir()]
    assert all(len(n.encode()) <= 255 for n in names)
    short = next(n for n in names if "~" in n)
    assert short.endswith(".ome.xml") and short.startswith("sample1__SIM__cell1_SIR_")
    readme = (tmp_path / "out" / "README.txt").read_text()
    assert f"ome/{short}  stands for  {rel}" in readme
    assert _run("export", "ome", tree, "-o", tmp_path / "ome") == EXIT_OK
    assert short in [p.name for p in (tmp_path / "ome").iterdir()]  # the same stable name
    assert "Traceback" not in capsys.readouterr().err


def test_fit_name_is_stable_bounded_and_distinct() -> None:
    from clxm_meta.io.names import fit_name, flat_name

    assert flat_name("sample1/SIM/cell1.dv", ".ome.xml") == "sample1__SIM__cell1.ome.xml"
    long_a = "é" * 200 + "a"
    long_b = "é" * 200 + "b"
    a, b = fit_name(long_a, ".ome.xml"), fit_name(long_b, ".ome.xml")
    assert a != b and a == fit_name(long_a, ".ome.xml")
    assert len(a.encode()) <= 255 and a.endswith(".ome.xml")
    a.encode("utf-8")  # cut on a character boundary


def test_no_traceback_on_any_output_path_length(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    too_long = tmp_path / ("d" * 300)
    for argv in (
        ["deposit", tree, "-o", too_long],
        ["export", "ome", tree, "-o", too_long],
        ["report", tree, "-o", str(too_long) + ".html"],
        ["export", "empiar", tree, "-o", str(too_long) + ".json"],
    ):
        assert _run(*argv) == EXIT_USAGE
        err = capsys.readouterr().err
        assert "Traceback" not in err and "File name too long" in err


# ------------------------------------------------------------------ issue 23: output cases


def test_report_into_an_existing_folder_or_an_empty_name(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "old.html").write_text("keep")
    assert _run("report", tree, "-o", folder, "--force") == EXIT_USAGE
    assert "is a folder" in capsys.readouterr().err
    assert (folder / "old.html").read_text() == "keep"
    assert _run("report", tree, "-o", "") == EXIT_USAGE
    assert "the output path is empty" in capsys.readouterr().err
    assert _run("export", "empiar", tree, "-o", "", "--force") == EXIT_USAGE
    assert _run("deposit", tree, "-o", "", "--force") == EXIT_USAGE


def test_deposit_data_into_the_folder_holding_it_deletes_nothing(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tree.parent
    (work / "thesis.txt").write_text("four years\n")
    monkeypatch.chdir(work)
    before = snapshot(work)
    assert _run("deposit", tree.name, "-o", ".", "--force") == EXIT_USAGE
    assert "holds the scanned tree" in capsys.readouterr().err
    assert snapshot(work) == before
    assert (work / "thesis.txt").read_text() == "four years\n"


def test_force_never_replaces_a_fifo_a_link_or_a_file_it_did_not_write(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    assert _run("report", tree, "-o", fifo, "--force") == EXIT_USAGE
    assert "not a regular file" in capsys.readouterr().err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    elsewhere = tmp_path / "precious.json"
    elsewhere.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(elsewhere)
    assert _run("export", "empiar", tree, "-o", link, "--force") == EXIT_USAGE
    assert "symbolic link" in capsys.readouterr().err
    assert link.is_symlink() and elsewhere.read_text() == "{}"
    theirs = tmp_path / "d.json"
    theirs.write_text('{"mine": true}')
    assert _run("export", "empiar", tree, "-o", theirs, "--force") == EXIT_USAGE
    assert "clxm-meta did not write it" in capsys.readouterr().err
    assert theirs.read_text() == '{"mine": true}'
    ours = tmp_path / "e.json"
    assert _run("export", "empiar", tree, "-o", ours) == EXIT_OK
    assert _run("export", "empiar", tree, "-o", ours, "--force") == EXIT_OK


def test_a_device_node_is_never_replaced() -> None:
    from clxm_meta.errors import OutputExistsError
    from clxm_meta.io.output import check_replace_file

    if not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null")
    with pytest.raises(OutputExistsError, match="not a regular file"):
        check_replace_file("/dev/null", force=True)


def test_a_report_from_before_records_is_replaced_by_its_marker(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert _run("report", tree, "-o", out) == EXIT_OK
    assert '<meta name="generator" content="clxm-meta' in out.read_text()
    (tmp_path / RECORD).unlink()  # as written by a version without records
    assert _run("report", tree, "-o", out, "--force") == EXIT_OK
    out.write_text(out.read_text().replace("<title>", "<title>edited "))
    assert _run("report", tree, "-o", out, "--force") == EXIT_USAGE  # recorded, then edited


def test_an_input_file_is_never_replaced(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(tree)
    target = tree / "sample1" / "SXT" / "ts1.tlt"
    assert (
        _run("export", "empiar", tree, "-o", tree / "old.json", "--force", "--allow-inside")
        == EXIT_OK
    )
    assert not (tree / RECORD).exists()  # no record file is put into the input tree
    capsys.readouterr()
    for argv in (
        ["export", "empiar", tree, "-o", tree / "old.json", "--force", "--allow-inside"],
        ["report", tree, "-o", target, "--force", "--allow-inside-input"],
        ["sidecar", tree, "-o", tree / "clxm.yaml", "--force"],
    ):
        assert _run(*argv) == EXIT_USAGE
        assert "never replaces anything in the tree" in capsys.readouterr().err
    after = snapshot(tree)
    assert {k: v for k, v in after.items() if k != "old.json"} == before


def test_a_symlinked_output_into_the_input_is_refused(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "out"
    link.symlink_to(tree / "sample1")
    before = snapshot(tree)
    assert _run("deposit", tree, "-o", link, "--force") == EXIT_USAGE
    assert "inside the scanned tree" in capsys.readouterr().err
    assert _run("export", "ome", tree, "-o", link / "x", "--force") == EXIT_USAGE
    assert snapshot(tree) == before
    other = tmp_path / "elsewhere"
    other.mkdir()
    link2 = tmp_path / "out2"
    link2.symlink_to(other)
    assert _run("deposit", tree, "-o", link2, "--force") == EXIT_USAGE  # a link is never replaced
    assert link2.is_symlink()


def test_an_output_folder_that_is_a_file(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out"
    target.write_text("a file")
    assert _run("deposit", tree, "-o", target, "--force") == EXIT_USAGE
    assert "is not a folder" in capsys.readouterr().err
    assert target.read_text() == "a file"


def test_a_read_only_parent_gives_a_clear_message(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tempfile

    def refuse(*_a: object, **_k: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)  # what a read-only folder does to mkdtemp
    assert _run("deposit", tree, "-o", tmp_path / "out") == EXIT_USAGE
    err = capsys.readouterr().err
    assert "cannot write here: Permission denied" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores modes")
def test_a_read_only_parent_for_real(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        assert _run("deposit", tree, "-o", ro / "out") == EXIT_USAGE
        assert "cannot write here" in capsys.readouterr().err
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o755)


_DEPOSIT = """
    import sys
    from clxm_meta.cli import main
    sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("force", [False, True])
def test_two_concurrent_deposits_leave_one_whole_output(
    tree: Path, tmp_path: Path, force: bool
) -> None:
    from clxm_meta.io.record import foreign_entries

    out = tmp_path / "out"
    argv = ["deposit", str(tree), "-o", str(out), *(["--force"] if force else [])]
    procs = [_python(_DEPOSIT, *argv) for _ in range(2)]
    results = [p.communicate(timeout=120) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == ([0, 0] if force else [0, 2]), results
    for _stdout, err in results:
        assert "Traceback" not in err
    assert foreign_entries(str(out)) == ([], [], True)  # whole: everything recorded, unchanged
    assert (out / "README.txt").is_file()
    assert not list(tmp_path.glob(".clxm-*"))


_KILLED = """
    import os, signal, sys
    from clxm_meta.export.deposit.build import write_tree
    def die(folder):
        print("staged", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    write_tree(sys.argv[1], {"README.txt": b"new\\n", "a/b.txt": b"b"}, force=True, stage=die)
"""


def test_a_killed_deposit_leaves_the_old_output_and_its_staging_is_cleaned_up(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert _run("deposit", tree, "-o", out) == EXIT_OK
    before = _tree_files(out)
    proc = _python(_KILLED, str(out))
    _stdout, _err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    stale = list(tmp_path.glob(".clxm-deposit-*"))
    assert len(stale) == 1 and (stale[0] / ".clxm-staging").is_file()
    assert _tree_files(out) == before  # the old output, whole
    # an unrelated hidden folder of that name pattern, not provably ours, is never removed
    foreign = tmp_path / ".clxm-deposit-99999999-keep"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    old_style = tmp_path / ".clxm-deposit-abc123"  # a pre-record version's staging folder
    old_style.mkdir()
    capsys.readouterr()
    assert _run("deposit", tree, "-o", out) == EXIT_USAGE  # without --force: refused, unchanged
    assert _tree_files(out) == before
    assert _run("deposit", tree, "-o", out, "--force") == EXIT_OK
    assert not stale[0].exists()  # the killed run's staging folder is gone
    assert (foreign / "notes.txt").read_text() == "mine" and old_style.is_dir()


def test_a_killed_first_deposit_leaves_no_output_and_a_rerun_writes_it(
    tree: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    proc = _python(_KILLED, str(out))
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()
    assert _run("deposit", tree, "-o", out) == EXIT_OK
    assert not list(tmp_path.glob(".clxm-deposit-*"))


def test_a_live_writers_staging_folder_is_left_alone(tmp_path: Path) -> None:
    from clxm_meta.io.outdir import STAGING_MARKER, clean_stale

    live = tmp_path / f".clxm-deposit-{os.getppid()}-abcd"
    live.mkdir()
    (live / STAGING_MARKER).write_text(json.dumps({"pid": os.getppid(), "host": "x"}))
    assert clean_stale(str(tmp_path)) == []
    assert live.is_dir()


# ------------------------------------------------------------------ smaller defects


def test_quiet_silences_deposit_and_export(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("-q", "deposit", tree, "-o", tmp_path / "out") == EXIT_OK
    assert capsys.readouterr().err == ""
    assert _run("deposit", tree, "-o", tmp_path / "out2", "-q") == EXIT_OK
    assert capsys.readouterr().err == ""
    for target, out in (("ome", "ome"), ("biostudies", "bs"), ("empiar", "e.json")):
        assert _run("export", target, tree, "-o", tmp_path / out, "-q") == EXIT_OK
        assert capsys.readouterr().err == ""
    assert _run("deposit", tree, "-o", tmp_path / "out3") == EXIT_OK
    assert "written to" in capsys.readouterr().err  # without -q the notes are there


@pytest.mark.parametrize(
    ("target", "name", "extra"),
    [
        ("pagetab", "x.xlsx", []),
        ("pagetab", "x.json", ["--format", "tsv"]),
        ("empiar", "x.tsv", []),
    ],
)
def test_export_refuses_an_extension_it_will_not_write(
    tree: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    target: str,
    name: str,
    extra: list[str],
) -> None:
    assert _run("export", target, tree, "-o", tmp_path / name, *extra) == EXIT_USAGE
    assert "nothing written" in capsys.readouterr().err
    assert not (tmp_path / name).exists()


def test_an_apostrophe_in_a_name_is_accepted_as_the_empiar_schema_does(
    tree: Path, tmp_path: Path
) -> None:
    path = tree / "clxm.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Carberry", "O'Brien"))
    out = tmp_path / "out"
    assert _run("deposit", tree, "-o", out) == EXIT_OK
    doc = json.loads((out / "empiar" / "deposition.json").read_text(encoding="utf-8"))
    assert doc["corresponding_author"]["last_name"] == "O'Brien"
    assert doc["authors"][0]["name"] == "('O'Brien', 'J')"
    schema = SHARED / "schemas" / "empiar-depositor" / "empiar_deposition.schema.json"
    if schema.is_file():
        from jsonschema import Draft7Validator, FormatChecker

        validator = Draft7Validator(json.loads(schema.read_text()), format_checker=FormatChecker())
        assert [e.message for e in validator.iter_errors(doc)] == []


def test_quickstart_gives_an_install_that_works() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "quickstart.md").read_text()
    commands = [line.split("#")[0].strip() for line in text.splitlines()]
    assert "pip install clxm-meta" not in commands  # not on PyPI
    assert "pip install ." in commands


def test_no_staging_or_old_folder_is_left_after_a_replacement(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run("deposit", tree, "-o", out) == EXIT_OK
    assert _run("deposit", tree, "-o", out, "--force") == EXIT_OK
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != tree.name) == ["out"]
    shutil.rmtree(out)


def test_a_file_exported_into_a_deposit_folder_is_recorded_there(
    tree: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert _run("deposit", tree, "-o", out) == EXIT_OK
    target = out / "empiar" / "deposition.json"
    assert _run("export", "empiar", tree, "-o", target, "--force") == EXIT_OK
    assert not (out / "empiar" / RECORD).exists()  # the deposit's record speaks for it
    assert _record(out)["empiar/deposition.json"]["command"] == "export empiar"
    assert _run("deposit", tree, "-o", out, "--force") == EXIT_OK  # still all ours
    target.write_text("{}")
    assert _run("export", "empiar", tree, "-o", target, "--force") == EXIT_USAGE  # edited
