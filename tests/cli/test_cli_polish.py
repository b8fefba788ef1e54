"""CLI polish: --help lists every command, -q/-v, hints for the usual mistakes, rich on a terminal."""

from __future__ import annotations

import importlib
import zipfile
from pathlib import Path

import pytest

from clxm_meta.cli import COMMANDS, main
from clxm_meta.readers.sniff import looks_like
from conftest import EXAMPLE


def _help_of(module: str) -> tuple[str, str]:
    import argparse

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    importlib.import_module(module).add_parser(sub)
    [(name, _p)] = sub.choices.items()
    [action] = sub._choices_actions
    return name, str(action.help)


def test_help_lists_every_command_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for module in COMMANDS:
        name, help_text = _help_of(module)
        line = next(ln for ln in out.splitlines() if ln.strip().startswith(name + " "))
        assert help_text.split()[0] in line, (name, line)
    assert "exit codes:" in out and "-q, --quiet" in out and "-v, --verbose" in out


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_and_verbose_before_or_after_the_command(
    where: str, tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "clxm.yaml"
    args = ["sidecar", str(tree), "-o", str(out)]
    argv = ["-q", *args] if where == "before" else [*args, "-q"]
    assert main(argv) == 0
    assert capsys.readouterr().err == ""
    argv = ["-v", *args, "--force"] if where == "before" else [*args, "--force", "--verbose"]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "written to" in err and "sidecar took" in err and "exit 0" in err


def test_quiet_before_check_is_not_reset_by_the_command(tree: Path, tmp_path: Path) -> None:
    import argparse

    from clxm_meta.cli import _parser

    args = _parser().parse_args(["-q", "check", str(tree)])
    assert isinstance(args, argparse.Namespace) and args.quiet is True
    args = _parser().parse_args(["check", str(tree)])
    assert args.quiet is False and args.verbose is False


def test_typo_in_command_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chek", "x"]) == 2
    assert "did you mean 'check'?" in capsys.readouterr().err


def test_hints_for_usual_mistakes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dv = EXAMPLE / "sample1" / "SIM" / "cell1.dv"
    assert main(["inspect", str(dv.with_name("cel1.dv"))]) == 2
    err = capsys.readouterr().err
    assert "hint: did you mean" in err and f"'{dv}'" in err
    assert main(["table1", str(dv.with_name("cell1.dvv"))]) == 2
    assert "did you mean" in capsys.readouterr().err
    assert main(["inspect", str(EXAMPLE)]) == 2
    assert f"for a folder use `clxm-meta check {EXAMPLE}`" in capsys.readouterr().err
    assert main(["check", str(dv)]) == 2
    assert f"for one file use `clxm-meta inspect {dv}`" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "nowhere" / "at_all")]) == 2
    assert "does not exist (relative paths start at" in capsys.readouterr().err


def test_folder_without_recognised_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a.png", "b.png", "notes.txt"):
        (tmp_path / name).write_bytes(b"\x89PNG\r\n\x1a\n" if name.endswith(".png") else b"hi\n")
    assert main(["check", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert "hint: found .png ×2, .txt ×1, but no raw SIM stack" in err
    assert main(["-q", "check", str(tmp_path)]) == 3
    assert "hint" not in capsys.readouterr().err


def test_unsupported_file_says_what_it_looks_like(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "shot.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert main(["inspect", str(png)]) == 2
    assert "it looks like a PNG image" in capsys.readouterr().err
    czi = tmp_path / "cell.czi"
    czi.write_bytes(b"ZISRAWFILE" + bytes(100))
    assert main(["inspect", str(czi)]) == 2
    assert "Zeiss CZI" in capsys.readouterr().err


def test_looks_like() -> None:
    assert looks_like(b"PK\x03\x04rest", "book.xlsx") == "an Excel workbook"
    assert looks_like(b"PK\x03\x04rest", "data.zarr.zip") == "a ZIP archive (extract it first)"
    assert looks_like(
        b"\x89HDF\r\n\x1a\n",
        "x.ims",
    ).startswith("an HDF5 file")  # type: ignore[union-attr]
    assert looks_like(b"\x00\x01\x02\x00", "x.bin") is None
    assert (
        looks_like(b"hello world\nmore", "x.txt") == "a text file whose first line is 'hello world'"
    )
    assert looks_like(b"\n\n  \n", "x.txt") == "a text file with only blank lines"
    long = looks_like(b"x" * 500, "x.txt")
    assert long is not None and len(long) < 100 and long.endswith("…'")


def test_zip_detected_in_a_real_zip(tmp_path: Path) -> None:
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.txt", "a")
    assert looks_like(path.read_bytes()[:64], path.name) == "a ZIP archive (extract it first)"


def test_inspect_is_plain_when_piped_and_rich_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dv = str(EXAMPLE / "sample1" / "SIM" / "cell1.dv")
    assert main(["inspect", dv]) == 0
    plain = capsys.readouterr().out
    assert plain.startswith("format: dv\npath: ")
    monkeypatch.setattr("clxm_meta.cli.inspect_cmd.use_rich", lambda stream=None: True)
    assert main(["inspect", dv]) == 0
    drawn = capsys.readouterr().out
    assert drawn.startswith("DvFile (dv): ")
    assert "\x1b[" not in drawn  # captured output is not a terminal: no colour codes
    for key in ("header", "dx_um", "0.0794", "image_sequence_name", "WZT"):
        assert key in drawn


@pytest.mark.parametrize("command", ["check", "table1"])
def test_check_and_table1_draw_tables_on_a_terminal(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, str(EXAMPLE)]) == 0
    plain = capsys.readouterr().out
    assert "│" not in plain and "─" not in plain
    monkeypatch.setattr(f"clxm_meta.cli.{command}_cmd.use_rich", lambda stream=None: True)
    monkeypatch.setenv("COLUMNS", "160")
    assert main([command, str(EXAMPLE)]) == 0
    drawn = capsys.readouterr().out
    assert "─" in drawn and "\x1b[" not in drawn
    for text in ("sample1/SIM/cell1", "setup.pixel_size", "x=0.0794 y=0.0794 z=0.125 µm"):
        assert text in drawn
    assert "sample1/SXT/ts1" in drawn
