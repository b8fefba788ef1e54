"""What every reader shares: the format-model base class and the findings collector.

The reader contract
-------------------
A reader is a module ``clxm_meta.readers.<name>`` that provides::

    def read(path: str | os.PathLike[str], *, strict: bool = False) -> <Model>

where ``<Model>`` subclasses `FormatModel`. Text readers also provide::

    def sniff(name: str, head: bytes) -> bool

which says, from the file name and its first bytes, whether the reader wants the file (binary formats
are detected by magic bytes in `clxm_meta.readers.registry`). Readers read headers only, never write,
and report problems through a `FindingCollector`: ``strict=True`` turns error-level findings into
`MalformedFileError`; permissive mode returns what could be read plus findings. A file that cannot be
interpreted at all raises in both modes.
"""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict

from clxm_meta.errors import MalformedFileError, UnreadableFileError
from clxm_meta.findings import Finding, Severity

__all__ = ["FindingCollector", "FormatModel", "file_size", "read_bounded", "read_head"]


class FormatModel(BaseModel):
    """Base of every format model: everything one file says, in the file's own vocabulary.

    Attributes
    ----------
    format
        Registry name of the reader (``"dv"``, ``"mrc"``, ``"txrm"``, ...).
    path
        The file, as given to the reader.
    file_size
        Size in bytes.
    findings
        What the reader noticed (absent, doubtful or garbage values, truncation ...).
    """

    model_config = ConfigDict(extra="forbid")

    format: str
    path: str
    file_size: int | None = None
    findings: list[Finding] = []

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.format} {os.path.basename(self.path)!r}: "
            f"{len(self.findings)} findings>"
        )

    def _repr_html_(self) -> str:
        """Jupyter: every field of the model (nested values compact) and the findings."""
        from clxm_meta.render_html import esc, findings_table, fragment, mapping_table

        data = self.model_dump(mode="json")
        findings = data.pop("findings", [])
        body = (
            f"<h3>{esc(type(self).__name__)} ({esc(self.format)}): "
            f'<code title="{esc(self.path)}">{esc(os.path.basename(self.path))}</code></h3>'
            + mapping_table(data)
            + f"<h3>Findings ({len(findings)})</h3>"
            + findings_table(findings)
        )
        return fragment(body)


class FindingCollector:
    """Collects a reader's findings; raises in strict mode on error-level ones.

    Parameters
    ----------
    path
        The file being read.
    reader
        Reader name, used as the default prefix of finding codes.
    strict
        Raise `MalformedFileError` instead of recording an error-level finding.
    """

    def __init__(self, path: str | os.PathLike[str], reader: str, *, strict: bool = False) -> None:
        self.path = os.fspath(path)
        self.reader = reader
        self.strict = strict
        self.items: list[Finding] = []

    def add(
        self,
        code: str,
        severity: Severity | str,
        message: str,
        *,
        field: str | None = None,
        locator: str | None = None,
    ) -> None:
        """Record a finding. ``code`` without a dot is prefixed with the reader name."""
        full_code = code if "." in code else f"{self.reader}.{code}"
        finding = Finding.make(
            full_code, severity, message, path=self.path, field=field, locator=locator
        )
        if self.strict and finding.severity is Severity.ERROR:
            raise MalformedFileError(message, path=self.path, field=field)
        self.items.append(finding)

    def info(self, code: str, message: str, **kw: str | None) -> None:
        """Record an info-level finding."""
        self.add(code, Severity.INFO, message, **kw)

    def warning(self, code: str, message: str, **kw: str | None) -> None:
        """Record a warning-level finding."""
        self.add(code, Severity.WARNING, message, **kw)

    def error(self, code: str, message: str, **kw: str | None) -> None:
        """Record an error-level finding (raises in strict mode)."""
        self.add(code, Severity.ERROR, message, **kw)


def file_size(path: str | os.PathLike[str]) -> int:
    """Size of a regular file in bytes, or `UnreadableFileError`."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise UnreadableFileError(f"cannot stat file: {exc.strerror or exc}", path=path) from exc
    if not os.path.isfile(path):
        raise UnreadableFileError("not a regular file", path=path)
    return st.st_size


def read_head(path: str | os.PathLike[str], n: int) -> bytes:
    """Read at most ``n`` bytes from the start of ``path`` (read-only), or `UnreadableFileError`."""
    if os.path.isdir(path):
        raise UnreadableFileError("is a directory, not a file", path=path)
    try:
        with open(path, "rb") as fh:
            return fh.read(n)
    except OSError as exc:
        raise UnreadableFileError(f"cannot read file: {exc.strerror or exc}", path=path) from exc


def read_bounded(path: str | os.PathLike[str], max_bytes: int) -> tuple[bytes, int]:
    """Read a whole (text) file, but at most ``max_bytes + 1`` bytes, read-only.

    Returns the bytes and the file size; more than ``max_bytes`` bytes returned means the file was
    cut. Never asks for more than the file holds: ``read(n)`` allocates ``n`` bytes up front, and a
    16 MiB buffer per small log file costs more than the parse.

    Raises
    ------
    UnreadableFileError
        A directory, a missing file, no permission, an I/O error.
    """
    if os.path.isdir(path):
        raise UnreadableFileError("is a directory, not a file", path=path)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            return fh.read(min(size, max_bytes) + 1), size
    except OSError as exc:
        raise UnreadableFileError(f"cannot read file: {exc.strerror or exc}", path=path) from exc
