"""``deposit``'s upload folders: exactly each archive's files, md5sum -c, the README's commands.

The last test runs the real ``empiar-depositor`` client (PyPI) on ``upload/empiar`` with the
command README.txt gives, against a local server playing the EMPIAR API and a stand-in ``ascp``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from clxm_meta.cli import EXIT_OK, EXIT_USAGE, main
from conftest import snapshot

SIM_FILES = {
    "sample1/SIM/cell1.chromagnon.csv",
    "sample1/SIM/cell1.dv",
    "sample1/SIM/cell1.log",
    "sample1/SIM/cell1_SIR.dv",
}
SXT_FILES = {
    "sample1/SXT/align.log",
    "sample1/SXT/tilt.com",
    "sample1/SXT/ts1.rawtlt",
    "sample1/SXT/ts1.tlt",
    "sample1/SXT/ts1.txrm",
    "sample1/SXT/ts1_rec.mrc",
}
TRANSFORM = "sample1/sim_to_sxt_transform.txt"
PLACEHOLDERS = {
    "SECRET_DIRECTORY",
    "FTP_USER",
    "FTP_HOST",
    "FTP_DIRECTORY",
    "EMPIAR_API_TOKEN",
    "EMPIAR_TRANSFER_PASSWORD",
    "ENTRY_ID",
    "ENTRY_DIR",
    "MY_ENDPOINT_ID",
}
"""What the archive hands out (secret directory, FTP account, token, password, entry), and the
depositor's own Globus endpoint: nothing else in a command is left to fill in."""


def _entries(folder: Path) -> dict[str, Path]:
    """Every file or link under ``folder`` by relative path (links not followed)."""
    out = {}
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            p = Path(dirpath) / name
            out[p.relative_to(folder).as_posix()] = p
    return out


def _deposit(tree: Path, out: Path, *extra: str) -> Path:
    assert main(["deposit", str(tree), "-o", str(out), *extra]) == EXIT_OK
    return out


def test_upload_folders_hold_exactly_each_archives_files(tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    out = _deposit(tree, tmp_path / "out")
    bio = _entries(out / "upload" / "biostudies")
    emp = _entries(out / "upload" / "empiar")
    rows = (out / "biostudies/files.tsv").read_text().splitlines()
    assert rows[0].startswith("Files\t")
    listed = [row.split("\t", 1)[0] for row in rows[1:]]
    assert set(listed) == SIM_FILES | {TRANSFORM}
    # BioStudies: the file list's paths, the file list the PageTab names, md5.txt; nothing else
    assert set(bio) == set(listed) | {"files.tsv", "md5.txt"}
    assert "File List\tfiles.tsv" in (out / "biostudies/submission.pagetab.tsv").read_text()
    assert bio["files.tsv"].read_bytes() == (out / "biostudies/files.tsv").read_bytes()
    # EMPIAR: data/<path> of the SXT files (and the pair's transform), md5.txt
    assert set(emp) == {f"data/{p}" for p in SXT_FILES | {TRANSFORM}} | {"md5.txt"}
    doc = json.loads((out / "empiar/deposition.json").read_text())
    for imageset in doc["imagesets"]:
        folder = imageset["directory"].lstrip("/")  # "/data/sample1/SXT"
        assert (out / "upload/empiar" / folder).is_dir(), imageset["directory"]
        assert any(p.startswith(folder + "/") for p in emp)
    for rel, path in [*bio.items(), *emp.items()]:
        if rel in ("md5.txt", "files.tsv"):
            assert not path.is_symlink()
            continue
        # an absolute link to the very input file
        target = os.readlink(path)
        assert os.path.isabs(target)
        assert target == os.path.realpath(tree / rel.removeprefix("data/"))
    staged = {os.readlink(p) for p in [*bio.values(), *emp.values()] if p.is_symlink()}
    assert not any(t.endswith("clxm.yaml") for t in staged)
    assert not any(str(out) in t for t in staged)  # never our own output
    assert snapshot(tree) == before


def test_md5sum_c_works_from_inside_each_upload_folder(tree: Path, tmp_path: Path) -> None:
    md5sum = shutil.which("md5sum")
    if md5sum is None:
        pytest.skip("md5sum (GNU coreutils) not installed")
    out = _deposit(tree, tmp_path / "out")
    for archive, count in (("biostudies", 6), ("empiar", 7)):
        folder = out / "upload" / archive
        done = subprocess.run(
            [md5sum, "-c", "md5.txt"], cwd=folder, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stdout + done.stderr
        lines = done.stdout.splitlines()
        assert len(lines) == count and all(line.endswith(": OK") for line in lines)
        named = {line.split("  ", 1)[1] for line in (folder / "md5.txt").read_text().splitlines()}
        assert named == set(_entries(folder)) - {"md5.txt"}


def test_copy_and_hardlink_modes(tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    copy = _deposit(tree, tmp_path / "copy", "--copy")
    hard = _deposit(tree, tmp_path / "hard", "--hardlink")
    for rel in SXT_FILES:
        c = copy / "upload/empiar/data" / rel
        h = hard / "upload/empiar/data" / rel
        assert not c.is_symlink() and not h.is_symlink()
        assert c.read_bytes() == (tree / rel).read_bytes()
        assert c.stat().st_ino != (tree / rel).stat().st_ino
        assert h.stat().st_ino == (tree / rel).stat().st_ino
    assert "hold copies of your files" in (copy / "README.txt").read_text()
    assert "hold hard links to your files" in (hard / "README.txt").read_text()
    assert snapshot(tree) == before
    with pytest.raises(SystemExit) as exc:
        main(["deposit", str(tree), "-o", str(tmp_path / "both"), "--copy", "--hardlink"])
    assert exc.value.code == EXIT_USAGE


def test_force_replaces_a_deposit_but_never_the_linked_inputs(tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    out = _deposit(tree, tmp_path / "out")
    _deposit(tree, out, "--force")
    _deposit(tree, out, "--force", "--copy")
    assert snapshot(tree) == before
    assert not (out / "upload/empiar/data/sample1/SXT/ts1.txrm").is_symlink()


def test_a_file_resolving_outside_the_tree_is_never_staged(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private = tmp_path / "private"
    private.mkdir()
    (tree / "sample1/SXT/align.log").rename(private / "align.log")
    (tree / "sample1/SXT/align.log").symlink_to(private / "align.log")
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "sample1/SXT/align.log" in err and "outside the scanned tree" in err
    assert not out.exists()
    assert (private / "align.log").is_file()


def test_sources_inside_the_output_are_refused(tmp_path: Path) -> None:
    from clxm_meta.export.deposit.upload import UploadSourceError, refuse_sources_inside

    out = tmp_path / "out"
    with pytest.raises(UploadSourceError, match="earlier output is never uploaded"):
        refuse_sources_inside({"upload/empiar/data/a": str(out / "empiar/a")}, out)
    refuse_sources_inside({"upload/empiar/data/a": str(tmp_path / "tree/a")}, out)


def test_two_units_get_upload_folders_each(tree: Path, tmp_path: Path) -> None:
    shutil.copytree(tree / "sample1", tree / "sample2")
    out = _deposit(tree, tmp_path / "out", "--allow-incomplete")
    for unit, sample in (("sample1_SXT_ts1", "sample1"), ("sample2_SXT_ts1", "sample2")):
        emp = _entries(out / unit / "upload/empiar")
        assert {p for p in emp if p != "md5.txt"} == {
            f"data/{p.replace('sample1', sample, 1)}" for p in SXT_FILES | {TRANSFORM}
        }
        readme = (out / unit / "README.txt").read_text()
        assert f"upload/empiar/data/{sample}" in readme


def _commands(readme: str) -> list[str]:
    """The command lines of README.txt, continuation lines joined."""
    out: list[str] = []
    pending = ""
    for line in readme.splitlines():
        text = line.strip()
        if pending:
            text = pending + " " + text
            pending = ""
        if text.endswith("\\"):
            pending = text[:-1].strip()
            continue
        if re.match(r"(cd |empiar-depositor |globus |export |~/)", text):
            out.append(text)
    return out


def test_readme_gives_each_transfer_method_of_table_2(tree: Path, tmp_path: Path) -> None:
    out = _deposit(tree, tmp_path / "out", "--entry-image")
    readme = (out / "README.txt").read_text()
    commands = _commands(readme)
    joined = "\n".join(commands)
    # BioStudies: Aspera command line, FTP/sFTP, HTTPS (the protocol's Table 2)
    assert (
        "cd upload/biostudies && ~/.aspera/connect/bin/ascp --symbolic-links=follow -P33001 -i "
        "~/.aspera/connect/etc/asperaweb_id_dsa.openssh -d files.tsv sample1 "
        "bsaspera_w@hx-fasp-1.ebi.ac.uk:<SECRET_DIRECTORY>" in commands
    )
    assert "mirror -R -L -x" in joined and "'Folder upload'" in readme
    # EMPIAR: empiar-depositor, Aspera command line, Globus, FTP/sFTP
    assert (
        "empiar-depositor -a ~/.aspera/connect/bin/ascp -e empiar/entry_image.png "
        "<EMPIAR_API_TOKEN> empiar/deposition.json upload/empiar/data/sample1" in commands
    )
    assert (
        "cd upload/empiar/data && ~/.aspera/connect/bin/ascp --symbolic-links=follow -QT -l 200M "
        "-P 33001 -L- -k3 "
        "sample1 emp_dep@hx-fasp-1.ebi.ac.uk:upload/<ENTRY_DIR>/data" in commands
    )
    assert "globus transfer --recursive" in joined
    assert "mirror -R -L data <FTP_DIRECTORY>/data" in joined
    for cmd in commands:
        assert set(re.findall(r"<([A-Z_]+)>", cmd)) <= PLACEHOLDERS, cmd
        shlex.split(cmd)  # each is one valid shell line
    assert "(cd upload/empiar && md5sum -c md5.txt)" in readme


# --- the real empiar-depositor ----------------------------------------------------------------

_ASCP = '''#!{python}
"""Stand-in for IBM Aspera ascp: records what it is asked to send, sends nothing."""
import hashlib, json, os, sys

args = sys.argv[1:]
if not args:
    print("Usage: ascp [-QTdpv] [-l rate] [-P port] SRC... [[user@]host:]DEST")
    sys.exit(112)
i = 0
while i < len(args) and args[i].startswith("-"):
    i += 2 if args[i] in ("-l", "-P", "-i", "-m", "-u", "-E") else 1
*sources, dest = args[i:]
sent = {{}}
links = 0
for src in sources:
    src = os.path.abspath(src)
    base = os.path.basename(src.rstrip("/"))
    if os.path.isdir(src):
        for dirpath, _dirs, names in os.walk(src, followlinks=True):
            for name in names:
                path = os.path.join(dirpath, name)
                links += os.path.islink(path)
                rel = os.path.relpath(path, src).replace(os.sep, "/")
                with open(path, "rb") as fh:
                    sent[base + "/" + rel] = hashlib.md5(fh.read()).hexdigest()
    else:
        with open(src, "rb") as fh:
            sent[base] = hashlib.md5(fh.read()).hexdigest()
with open({record!r}, "w") as fh:
    json.dump({{"argv": sys.argv[1:], "dest": dest, "sent": sent, "links": links,
               "password": os.environ.get("ASPERA_SCP_PASS")}}, fh)
print("Completed: {{}} files".format(len(sent)))
'''

_DRIVER = """
import sys
from empiar_depositor import empiar_depositor as ed

local = "http://127.0.0.1:" + sys.argv[1]
real_init = ed.EmpiarDepositor.__init__

def init(self, *args, **kwargs):
    real_init(self, *args, **kwargs)
    # the only change: the EMPIAR server is the local one
    for name in ("deposition_url", "redeposition_url", "thumbnail_url", "submission_url",
                 "grant_rights_url"):
        setattr(self, name, getattr(self, name).replace(self.server_root, local, 1))

ed.EmpiarDepositor.__init__ = init
sys.exit(ed.main(sys.argv[2:]))
"""


class _Empiar(BaseHTTPRequestHandler):
    """Plays the EMPIAR deposition API as empiar-depositor calls it."""

    calls: list[dict[str, Any]]

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.calls.append(
            {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
        )
        api = "/empiar/deposition/api/"
        if self.path in (f"{api}deposit_entry/", f"{api}redeposit_entry/"):
            self._answer(200, {"deposition": True, "directory": "ABC123", "entry_id": 42})
        elif self.path == f"{api}image_upload/":
            self._answer(200, {"thumbnail_upload": True})
        elif self.path == f"{api}submit_entry/":
            self._answer(200, {"submission": True, "empiar_id": "EMPIAR-99999"})
        else:
            self._answer(404, {"detail": "not found"})

    do_POST = do_PUT = _handle

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _stand_in_ascp(tmp_path: Path) -> tuple[Path, Path, Path]:
    """``$HOME/.aspera/connect/bin/ascp`` (where the README's commands look): home, bin, record."""
    home = tmp_path / "home"
    bindir = home / ".aspera/connect/bin"
    bindir.mkdir(parents=True)
    record = tmp_path / "ascp-record.json"
    ascp = bindir / "ascp"
    ascp.write_text(_ASCP.format(python=sys.executable, record=str(record)))
    ascp.chmod(0o755)
    return home, bindir, record


def _staged(folder: Path) -> dict[str, str]:
    """``md5.txt`` of an upload folder: path → MD5."""
    lines = (folder / "md5.txt").read_text().splitlines()
    return {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in lines}


def test_readme_ascp_commands_send_exactly_the_upload_folders(tree: Path, tmp_path: Path) -> None:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash not installed")
    out = _deposit(tree, tmp_path / "out")
    home, bindir, record = _stand_in_ascp(tmp_path)
    commands = _commands((out / "README.txt").read_text())
    env = {**os.environ, "HOME": str(home), "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}
    for archive, user, placeholder, value in (
        ("biostudies", "bsaspera_w@", "<SECRET_DIRECTORY>", "s3cr3t"),
        ("empiar", "emp_dep@", "<ENTRY_DIR>", "ABC123"),
    ):
        (line,) = [c for c in commands if c.startswith("cd ") and "ascp " in c and user in c]
        done = subprocess.run(
            [bash, "-c", line.replace(placeholder, value)],
            cwd=out,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        sent = json.loads(record.read_text())
        assert value in sent["dest"]
        prefix = "data/" if archive == "empiar" else ""
        got = {prefix + p: md5 for p, md5 in sent["sent"].items()}
        assert got == _staged(out / "upload" / archive)  # all of it, md5.txt left out


@pytest.fixture
def empiar_api() -> Iterator[tuple[int, list[dict[str, Any]]]]:
    calls: list[dict[str, Any]] = []
    handler = type("Handler", (_Empiar,), {"calls": calls})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server.server_address[1], calls
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_real_empiar_depositor_sends_our_json_and_exactly_the_staged_files(
    tree: Path, tmp_path: Path, empiar_api: tuple[int, list[dict[str, Any]]]
) -> None:
    pytest.importorskip("empiar_depositor.empiar_depositor")
    port, calls = empiar_api
    out = _deposit(tree, tmp_path / "out", "--entry-image")
    home, bindir, record = _stand_in_ascp(tmp_path)
    # the command exactly as README.txt gives it, the archive's token filled in
    (line,) = [c for c in _commands((out / "README.txt").read_text()) if "empiar-depositor" in c]
    argv = shlex.split(line.replace("<EMPIAR_API_TOKEN>", "t0k3n"))
    assert argv[0] == "empiar-depositor"
    argv = [str(home / a[2:]) if a.startswith("~/") else a for a in argv[1:]]
    env = {
        **os.environ,
        "HOME": str(home),
        "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
        "EMPIAR_TRANSFER_PASS": "transfer-secret",
        # anything not sent to 127.0.0.1 fails at once instead of reaching the internet
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1",
    }
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, str(port), *argv],
        cwd=out,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "EMPIAR-99999" in done.stdout
    paths = [c["path"] for c in calls]
    assert paths == [
        "/empiar/deposition/api/deposit_entry/",
        "/empiar/deposition/api/image_upload/",
        "/empiar/deposition/api/submit_entry/",
    ]
    create = calls[0]
    assert create["method"] == "POST"
    assert create["body"] == (out / "empiar/deposition.json").read_bytes()  # byte-identical
    assert create["headers"]["Authorization"] == "Token t0k3n"
    assert (out / "empiar/entry_image.png").read_bytes() in calls[1]["body"]
    assert json.loads(calls[2]["body"]) == {"entry_id": "42"}
    # the upload: exactly the staged files of upload/empiar, into the entry's data folder
    sent = json.loads(record.read_text())
    assert sent["dest"] == "emp_dep@hx-fasp-1.ebi.ac.uk:upload/ABC123/data"
    assert sent["password"] == "transfer-secret"
    assert sent["links"] == len(SXT_FILES) + 1  # it was handed our symbolic links
    staged = _staged(out / "upload/empiar")
    assert set(staged) == set(_entries(out / "upload/empiar")) - {"md5.txt"}
    assert {f"data/{p}": md5 for p, md5 in sent["sent"].items()} == staged
    for rel, md5 in staged.items():
        source = tree / rel.removeprefix("data/")
        assert hashlib.md5(source.read_bytes()).hexdigest() == md5
    doc = json.loads(create["body"])
    remote = {f"/data/{p}" for p in sent["sent"]}
    for imageset in doc["imagesets"]:
        assert any(r.startswith(imageset["directory"] + "/") for r in remote)


def test_a_hard_link_across_file_systems_is_a_clear_refusal(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def cross_device(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(os, "link", cross_device)
    out = tmp_path / "out"
    assert main(["deposit", str(tree), "-o", str(out), "--hardlink"]) == EXIT_USAGE
    assert "use --copy" in capsys.readouterr().err
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".clxm-")]  # no staging left


def test_upload_plans_refuse_paths_that_climb_out_or_clash() -> None:
    from clxm_meta.export.deposit.upload import (
        UploadSourceError,
        biostudies_upload,
        empiar_upload,
    )

    for bad in ("../secret.dv", "/etc/passwd", "a//b.dv", "./a.dv"):
        with pytest.raises(UploadSourceError, match="not a plain path"):
            empiar_upload("upload/empiar", [bad], {})
        with pytest.raises(UploadSourceError, match="not a plain path"):
            biostudies_upload("upload/biostudies", "files.tsv", f"Files\n{bad}\n".encode(), {})
    with pytest.raises(UploadSourceError, match="the name of the file list"):
        biostudies_upload("upload/biostudies", "files.tsv", b"Files\tType\nfiles.tsv\tx\n", {})
    up = empiar_upload("upload/empiar", ["a b/c\\d.mrc", "top.mrc"], {"top.mrc": "0" * 32})
    assert up.paths == ["data/a b/c\\d.mrc", "data/top.mrc"]
    assert up.md5_text() == b"00000000000000000000000000000000  data/top.mrc\n"


def test_empiar_depositor_runs_once_per_top_folder_and_submits_last() -> None:
    from clxm_meta.export.deposit.upload import empiar_commands, empiar_upload

    up = empiar_upload("u1/upload/empiar", ["grid1/ts.mrc", "grid2/ts.mrc"], {})
    lines = [
        line.strip()
        for line in empiar_commands(up, "empiar/deposition.json", None, here="u1/")
        if line.strip().startswith("empiar-depositor ")
    ]
    assert lines == [
        "empiar-depositor -a ~/.aspera/connect/bin/ascp -s <EMPIAR_API_TOKEN> "
        "empiar/deposition.json upload/empiar/data/grid1",
        "empiar-depositor -a ~/.aspera/connect/bin/ascp -r <ENTRY_ID> <ENTRY_DIR> "
        "<EMPIAR_API_TOKEN> empiar/deposition.json upload/empiar/data/grid2",
    ]


def test_a_deposit_inside_the_tree_is_not_scanned_again(tree: Path) -> None:
    import clxm_meta

    out = tree / "out"
    assert main(["deposit", str(tree), "-o", str(out), "--allow-inside"]) == EXIT_OK
    assert (out / "upload/.clxm-meta-upload").is_file()
    result = clxm_meta.scan(tree)
    assert sorted(d.name for d in result.datasets) == ["sample1/SIM/cell1", "sample1/SXT/ts1"]
    assert not [f for f in result.files if f.path.startswith("out/upload/")]
    own = [f for f in result.findings if f.code == "scan.own_output"]
    assert [f.path for f in own] == [str(out / "upload")]
    # so a second deposit inside the tree stages each input once, never our links
    again = tree / "again"
    assert main(["deposit", str(tree), "-o", str(again), "--allow-inside"]) == EXIT_OK
    assert set(_entries(again / "upload/empiar")) == set(_entries(out / "upload/empiar"))


def test_realpath_with_folders_resolved_once_equals_realpath(tmp_path: Path) -> None:
    """Issue 21 (fifth round): `resolve_sources` resolves each folder once, then only the file
    name; the result is ``os.path.realpath`` of the whole path for files, links to files and
    folders (inside and outside the tree), dangling links, missing files and odd components."""
    from clxm_meta.export.deposit.upload import _realpath

    root = tmp_path / "tree"
    outside = tmp_path / "outside"
    (root / "a" / "b").mkdir(parents=True)
    outside.mkdir()
    (root / "a" / "b" / "f.dv").write_text("x")
    (outside / "secret.txt").write_text("x")
    (root / "top.txt").write_text("x")
    (root / "a" / "link_in").symlink_to(root / "a" / "b" / "f.dv")
    (root / "a" / "link_out").symlink_to(outside / "secret.txt")
    (root / "a" / "dangling").symlink_to(root / "nothing")
    (root / "a" / "dirlink").symlink_to(outside)
    (root / "a" / "rel_link").symlink_to("b/f.dv")
    (root / "loop").symlink_to(root / "loop")
    base = os.path.realpath(root)
    rels = [
        "top.txt",
        "a/b/f.dv",
        "a/link_in",
        "a/link_out",
        "a/dangling",
        "a/dirlink/secret.txt",
        "a/rel_link",
        "a/missing.txt",
        "a/../top.txt",
        "a/b/../b/f.dv",
        "a/b/.",
        "a/..",
        "a/dirlink/..",
        "loop",
        "nothere/x.txt",
    ]
    cache: dict[str, str] = {}
    for _ in range(2):  # cold, then every folder from the cache
        for rel in rels:
            want = os.path.realpath(os.path.join(base, *rel.split("/")))
            assert _realpath(base, rel, cache) == want, rel
