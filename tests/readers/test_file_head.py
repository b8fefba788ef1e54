"""One open per read: `open_head` / `FileHead`, the registry's ``read_open`` hand-over, and
`construct` (a format model from values a reader decoded itself, without validation)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clxm_meta.errors import UnreadableFileError
from clxm_meta.findings import Finding, Severity
from clxm_meta.readers import registry
from clxm_meta.readers.base import FileHead, construct, open_head

ROOT = Path(__file__).resolve().parents[2]


def test_head_size_and_reads_at_offsets(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    data = bytes(range(256)) * 40
    path.write_bytes(data)
    with open_head(path, 100) as fh:
        assert fh.head == data[:100] and fh.size == len(data) and fh.regular
        assert fh.path == str(path)
        assert fh.read_at(10, 20) == data[10:30]  # inside the head
        assert fh.read_at(90, 5000) == data[90:5090]  # beyond it
        assert fh.read_at(len(data) - 3, 100) == data[-3:]  # cut at end of file
        assert fh.read_at(len(data) + 10, 5) == b""
    fh.close()  # idempotent


def test_short_file_gives_a_short_head(tmp_path: Path) -> None:
    path = tmp_path / "short"
    path.write_bytes(b"abc")
    with open_head(path, 4096) as fh:
        assert fh.head == b"abc" and fh.size == 3


def test_directory_and_missing_file_are_our_errors(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="directory"):
        open_head(tmp_path, 10)
    with pytest.raises(UnreadableFileError, match="cannot read file"):
        open_head(tmp_path / "missing", 10)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_without_writer_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.dv"
    os.mkfifo(fifo)
    with open_head(fifo, 10) as fh:
        assert not fh.regular and fh.head == b""


def test_registry_hands_the_open_file_to_read_open(monkeypatch: pytest.MonkeyPatch) -> None:
    from clxm_meta.readers.dv import reader

    seen: list[FileHead] = []
    real = getattr(reader, "read_open", None)

    def spy(fh: FileHead, *, strict: bool = False) -> object:
        seen.append(fh)
        return real(fh, strict=strict) if real is not None else reader.read(fh.path, strict=strict)

    monkeypatch.setattr(reader, "read_open", spy, raising=False)
    model = registry.read(ROOT / "examples" / "cell1.dv")
    assert model.format == "dv" and len(seen) == 1
    assert seen[0]._fd == -1  # closed once the read is done


def test_construct_equals_validation() -> None:
    values = {
        "code": "dv.x",
        "severity": Severity.WARNING,
        "message": "m",
        "path": "p",
        "field": None,
        "locator": "byte 1",
    }
    built = construct(Finding, dict(values))
    assert built == Finding(**values)
    assert built.model_fields_set == Finding(**values).model_fields_set
    assert list(built.__dict__) == list(Finding.model_fields)
    partial = construct(Finding, {"code": "a", "severity": Severity.INFO, "message": "m"})
    assert partial == Finding(code="a", severity="info", message="m")


def test_finding_make_validates_what_is_not_typed() -> None:
    typed = Finding.make("dv.x", "info", "m", path=Path("a") / "b", field="f")
    path = os.path.join("a", "b")
    assert typed == Finding(code="dv.x", severity=Severity.INFO, message="m", path=path, field="f")
    assert typed.severity is Severity.INFO
    with pytest.raises(ValueError):
        Finding.make("dv.x", "nonsense", "m")
    with pytest.raises(ValueError):
        Finding.make(3, "info", "m")  # type: ignore[arg-type]
