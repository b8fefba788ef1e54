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

import os
import stat
from types import TracebackType

from pydantic import BaseModel, ConfigDict

from clxm_meta.errors import MalformedFileError, UnreadableFileError
from clxm_meta.findings import Finding, Severity
from clxm_meta.unvalidated import assemble, construct

__all__ = [
    "FileHead",
    "FindingCollector",
    "FormatModel",
    "Notes",
    "assemble",
    "construct",
    "file_size",
    "open_head",
    "read_bounded",
    "read_head",
]

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
"""Read-only; non-blocking so that opening a FIFO with no writer returns instead of hanging."""


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

    model_config = ConfigDict(extra="forbid", defer_build=True)
    """``defer_build`` (inherited by every format model): a model's validator and serializer are
    built on first use, not when its module is imported; readers that build their models with
    `construct` never build a validator, which keeps ``clxm-meta inspect`` start-up short."""

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
        self._record(
            code,
            severity if type(severity) is Severity else Severity(severity),
            message,
            field,
            locator,
        )

    def info(
        self, code: str, message: str, *, field: str | None = None, locator: str | None = None
    ) -> None:
        """Record an info-level finding."""
        self._record(code, Severity.INFO, message, field, locator)

    def warning(
        self, code: str, message: str, *, field: str | None = None, locator: str | None = None
    ) -> None:
        """Record a warning-level finding."""
        self._record(code, Severity.WARNING, message, field, locator)

    def error(
        self, code: str, message: str, *, field: str | None = None, locator: str | None = None
    ) -> None:
        """Record an error-level finding (raises in strict mode)."""
        self._record(code, Severity.ERROR, message, field, locator)

    def _record(
        self, code: str, severity: Severity, message: str, field: str | None, locator: str | None
    ) -> None:
        if self.strict and severity is Severity.ERROR:
            raise MalformedFileError(message, path=self.path, field=field)
        self._keep(
            code if "." in code else f"{self.reader}.{code}", severity, message, field, locator
        )

    def _keep(
        self, code: str, severity: Severity, message: str, field: str | None, locator: str | None
    ) -> None:
        """Keep a finding whose ``code`` has its prefix (a subclass may keep it another way)."""
        self.items.append(
            Finding.make(code, severity, message, path=self.path, field=field, locator=locator)
        )


Note = tuple[str, Severity, str, str | None, str | None]
"""A finding's code (with its reader prefix), severity, message, field and locator."""


class Notes(FindingCollector):
    """`FindingCollector` keeping each finding's values (`notes`) until `findings` is called.

    For a reader that leaves its findings to first use (`clxm_meta.readers.deferred`): building
    each frozen `Finding` model can cost as much as decoding a header. The prefix and strict mode
    are `FindingCollector`'s own (strict mode still raises where an error is met); only how a
    finding is kept differs.
    """

    def __init__(self, path: str, reader: str, *, strict: bool = False) -> None:
        super().__init__(path, reader, strict=strict)
        self.notes: list[Note] = []

    def _keep(
        self, code: str, severity: Severity, message: str, field: str | None, locator: str | None
    ) -> None:
        self.notes.append((code, severity, message, field, locator))

    def findings(self, start: int = 0, stop: int | None = None) -> list[Finding]:
        """The `Finding` of each note from ``start`` to ``stop``, as `FindingCollector` makes them."""
        path = self.path
        return [
            Finding.make(code, severity, message, path=path, field=field, locator=locator)
            for code, severity, message, field, locator in self.notes[start:stop]
        ]


def file_size(path: str | os.PathLike[str]) -> int:
    """Size of a regular file in bytes, or `UnreadableFileError`."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise UnreadableFileError(f"cannot stat file: {exc.strerror or exc}", path=path) from exc
    if not os.path.isfile(path):
        raise UnreadableFileError("not a regular file", path=path)
    return st.st_size


class FileHead:
    """A file opened once for a header read: its size, its first bytes, and reads at offsets.

    Made by `open_head`. The registry detects a format from `head` and hands the open file to a
    reader that has ``read_open(fh, *, strict=False)``, so that a header read costs one open, one
    ``fstat`` and the reads it needs (`read_at`), however many layers look at the file.

    Attributes
    ----------
    path
        The file, as given.
    size
        Size in bytes (``st_size``; for a file that is not regular, whatever ``fstat`` says).
    regular
        Whether it is a regular file.
    head
        Its first bytes: as many as asked for, fewer when the file is shorter.
    """

    __slots__ = ("_fd", "head", "path", "regular", "size")

    def __init__(self, path: str, fd: int, size: int, regular: bool, head: bytes) -> None:
        self.path = path
        self._fd = fd
        self.size = size
        self.regular = regular
        self.head = head

    def read_at(self, offset: int, n: int) -> bytes:
        """At most ``n`` bytes from ``offset`` (fewer at the end of the file), or `UnreadableFileError`."""
        end = offset + n
        if end <= len(self.head):
            return self.head[offset:end]
        try:
            return _read_fd(self._fd, offset, n)
        except OSError as exc:
            raise UnreadableFileError(
                f"cannot read file: {exc.strerror or exc}", path=self.path
            ) from exc

    def close(self) -> None:
        """Close the file (idempotent)."""
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            os.close(fd)

    def __enter__(self) -> "FileHead":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _read_fd(fd: int, offset: int | None, n: int) -> bytes:
    """``n`` bytes at ``offset``, fewer at end of file, whatever the platform's short reads.

    ``offset=None`` reads from the current position (pipes and devices cannot ``pread``).
    """
    if offset is not None and not hasattr(os, "pread"):  # pragma: no cover - Windows
        os.lseek(fd, offset, os.SEEK_SET)
        offset = None
    chunks: list[bytes] = []
    while n > 0:
        chunk = os.read(fd, n) if offset is None else os.pread(fd, n, offset)
        if not chunk:
            break
        chunks.append(chunk)
        if offset is not None:
            offset += len(chunk)
        n -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def open_head(path: str | os.PathLike[str], n: int) -> FileHead:
    """Open ``path`` read-only and read its first ``n`` bytes (see `FileHead`).

    Raises
    ------
    UnreadableFileError
        A directory, a missing file, no permission, an I/O error (the messages of `read_head`).
    """
    spath = os.fspath(path)
    try:
        fd = os.open(spath, _OPEN_FLAGS)
    except IsADirectoryError as exc:  # pragma: no cover - Windows; POSIX opens a directory
        raise UnreadableFileError("is a directory, not a file", path=spath) from exc
    except OSError as exc:
        raise UnreadableFileError(f"cannot read file: {exc.strerror or exc}", path=spath) from exc
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise UnreadableFileError("is a directory, not a file", path=spath)
        try:
            head = _read_fd(fd, None, n)
        except OSError as exc:
            raise UnreadableFileError(
                f"cannot read file: {exc.strerror or exc}", path=spath
            ) from exc
    except BaseException:
        os.close(fd)
        raise
    return FileHead(spath, fd, st.st_size, stat.S_ISREG(st.st_mode), head)


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
