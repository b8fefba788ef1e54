r"""Walk a deposition tree once, read-only, turning every problem into a finding.

Symbolic links to folders are followed once: a folder already visited (same device and inode) is
a loop and is reported, not entered again. Broken links, self-referential links, folders that cannot
be listed and files that vanish between listing and ``stat`` are findings; the walk carries on.
A folder holding `UPLOAD_MARKER` (the ``upload/`` folder of a deposit written inside the tree with
``--allow-inside``: links to files of the tree) is not entered, so no file is seen twice.

Nothing outside the scanned tree is ever listed (so never hashed, staged or offered for upload): a
symbolic link whose target, fully resolved, is not under the resolved root is reported
(``scan.symlink_outside``) and not followed; a link to ``/`` no longer walks the whole disk. A name
that is not UTF-8 (Python holds it with surrogate escapes, which no encoder downstream accepts) is a
``lint.bad_characters`` error naming it with ``\xNN`` escapes, and is left out. A file reached twice
(hard links, or a link to a file of the tree) is a ``scan.same_file`` warning: the archives would
receive two copies.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field

from clxm_meta.findings import Finding, Severity

__all__ = ["UPLOAD_MARKER", "WalkEntry", "WalkResult", "printable_path", "relpath", "walk"]

UPLOAD_MARKER = ".clxm-meta-upload"
"""A file ``clxm-meta deposit`` writes in its ``upload/`` folder: the walk skips that folder."""


@dataclass(frozen=True)
class WalkEntry:
    """A regular file found by the walk."""

    rel: str
    """Path relative to the root with ``/`` separators."""
    path: str
    """Path to open (root joined with ``rel``)."""
    size: int
    mtime_ns: int
    via_symlink: bool = False


@dataclass
class WalkResult:
    """Files (sorted by relative path) and the walk's findings."""

    entries: list[WalkEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def relpath(parts: tuple[str, ...]) -> str:
    """Join relative path parts with ``/`` (``.`` for the root)."""
    return "/".join(parts) if parts else "."


def _finding(code: str, severity: Severity, message: str, path: str) -> Finding:
    return Finding.make(
        code if "." in code else f"scan.{code}", severity, message, path=printable_path(path)
    )


def printable_path(path: str) -> str:
    r"""``path`` with bytes that are not UTF-8 (surrogate escapes) shown as ``\xNN``."""
    if not _has_surrogate(path):
        return path
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _has_surrogate(text: str) -> bool:
    if text.isascii():  # nearly every path: no per-character loop
        return False
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _inside(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def walk(root: str | os.PathLike[str]) -> WalkResult:
    """List every regular file under ``root`` (which must be a directory).

    Parameters
    ----------
    root
        The deposition root. Nothing under it is written or touched.
    """
    root_s = os.fspath(root)
    result = WalkResult()
    try:
        root_st = os.stat(root_s)
    except OSError as exc:
        result.findings.append(
            _finding("unreadable", Severity.ERROR, f"cannot open the root: {exc.strerror}", root_s)
        )
        return result
    visited: set[tuple[int, int]] = {(root_st.st_dev, root_st.st_ino)}
    real_root = os.path.realpath(root_s)
    files_seen: dict[tuple[int, int], str] = {}
    stack: list[tuple[str, tuple[str, ...], bool]] = [(root_s, (), False)]
    while stack:
        folder, parts, linked = stack.pop()
        try:
            with os.scandir(folder) as it:
                children = sorted(it, key=lambda e: e.name)
        except FileNotFoundError:
            result.findings.append(
                _finding("vanished", Severity.WARNING, "folder vanished during the scan", folder)
            )
            continue
        except OSError as exc:
            result.findings.append(
                _finding(
                    "unreadable",
                    Severity.ERROR,
                    f"cannot list folder: {exc.strerror or exc}",
                    folder,
                )
            )
            continue
        if any(child.name == UPLOAD_MARKER for child in children):
            result.findings.append(
                _finding(
                    "own_output",
                    Severity.INFO,
                    "upload folder written by clxm-meta deposit (links to files of the tree); "
                    "not scanned",
                    folder,
                )
            )
            continue
        if not children and parts:
            result.findings.append(
                _finding(
                    "empty_folder",
                    Severity.INFO,
                    f"folder {relpath(parts)} is empty (a processing step that has not written its "
                    "output yet?): nothing from it is deposited",
                    folder,
                )
            )
        subdirs: list[tuple[str, tuple[str, ...], bool]] = []
        for child in children:
            child_parts = (*parts, child.name)
            rel = relpath(child_parts)
            if _has_surrogate(child.name):
                result.findings.append(
                    _finding(
                        "lint.bad_characters",
                        Severity.ERROR,
                        "the name is not UTF-8 text, which the archives cannot take (nor most "
                        "transfer tools); rename it. Left out of the scan",
                        child.path,
                    )
                )
                continue
            is_link = child.is_symlink()
            if is_link:
                real = os.path.realpath(child.path)
                if not _inside(real, real_root):
                    result.findings.append(
                        _finding(
                            "symlink_outside",
                            Severity.WARNING,
                            f"symbolic link leads outside the scanned tree (to "
                            f"{printable_path(real)}); not followed, and nothing it leads to is "
                            "listed, checksummed or staged. Copy the file into the tree if it "
                            "belongs to the deposition",
                            child.path,
                        )
                    )
                    continue
            try:
                st = os.stat(child.path)  # follows links
            except FileNotFoundError:
                code, msg = (
                    ("broken_symlink", "symbolic link points to nothing")
                    if is_link
                    else ("vanished", "file vanished during the scan")
                )
                result.findings.append(_finding(code, Severity.WARNING, msg, child.path))
                continue
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    result.findings.append(
                        _finding(
                            "symlink_loop",
                            Severity.WARNING,
                            "symbolic link loop (the link resolves to itself); not followed",
                            child.path,
                        )
                    )
                else:
                    result.findings.append(
                        _finding(
                            "unreadable",
                            Severity.ERROR,
                            f"cannot stat: {exc.strerror or exc}",
                            child.path,
                        )
                    )
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in visited:
                    result.findings.append(
                        _finding(
                            "symlink_loop",
                            Severity.WARNING,
                            f"folder {rel} was already visited (symbolic link loop); not entered "
                            "again",
                            child.path,
                        )
                    )
                    continue
                visited.add(key)
                subdirs.append((child.path, child_parts, linked or is_link))
            elif stat.S_ISREG(st.st_mode):
                first = files_seen.setdefault((st.st_dev, st.st_ino), rel)
                if first != rel:
                    result.findings.append(
                        _finding(
                            "same_file",
                            Severity.WARNING,
                            f"the same file as {first} (a hard link or a symbolic link to it): "
                            "the archives would receive two copies; keep one",
                            child.path,
                        )
                    )
                result.entries.append(
                    WalkEntry(
                        rel=rel,
                        path=child.path,
                        size=st.st_size,
                        mtime_ns=st.st_mtime_ns,
                        via_symlink=linked or is_link,
                    )
                )
            else:
                result.findings.append(
                    _finding(
                        "not_regular",
                        Severity.INFO,
                        "not a regular file (device, socket or pipe); ignored",
                        child.path,
                    )
                )
        stack.extend(reversed(subdirs))
    result.entries.sort(key=lambda e: e.rel)
    return result
