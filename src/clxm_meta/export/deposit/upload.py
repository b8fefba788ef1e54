"""The upload folders of a deposit: ``upload/biostudies/`` and ``upload/empiar/``.

Each holds exactly what one archive receives, at exactly the path its documents name, so that a
transfer client can send the folder as it is:

``upload/biostudies/``
    every path of the BioImage Archive file list (``biostudies/files.tsv``) relative to the
    depositor's upload area, plus the file list itself (``files.tsv``: the PageTab names it so).
``upload/empiar/``
    ``data/<path>`` for every file of the SXT dataset: EMPIAR's image sets name
    ``/data/<folder>`` as their ``directory``, and the entry's upload area holds ``data/``.

Both hold ``md5.txt`` (``md5sum -c md5.txt`` from inside the folder), which is not sent. The input
files are staged as symbolic links by absolute path (the input is never copied or touched), or as
hard links or copies for a client that does not follow links. Nothing else goes there: not the
sidecar (it holds e-mail addresses), not the other archive's files, not our own documents (the
file list excepted). A file of the tree that resolves outside the scanned tree is refused, never
staged: a link to a private file must not end up in a public archive.
"""

from __future__ import annotations

import errno
import hashlib
import os
import posixpath
import shlex
import shutil
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from clxm_meta.dataset.walk import UPLOAD_MARKER
from clxm_meta.errors import OutputPathError

__all__ = [
    "ASCP",
    "ASPERA_KEY",
    "EMPIAR_GLOBUS_ENDPOINT",
    "LINK_MODES",
    "MARKER_TEXT",
    "MD5_NAME",
    "UPLOAD_DIR",
    "LinkMode",
    "UploadFolder",
    "UploadSourceError",
    "biostudies_commands",
    "biostudies_upload",
    "empiar_commands",
    "empiar_upload",
    "file_list_paths",
    "marker_files",
    "place_links",
    "refuse_sources_inside",
    "resolve_sources",
    "unit_uploads",
]

UPLOAD_DIR = "upload"
"""Folder of the deposit (per unit) that holds one upload folder per archive."""

MD5_NAME = "md5.txt"
"""The checksum list in each upload folder (not sent)."""

LinkMode = Literal["symlink", "hardlink", "copy"]
LINK_MODES: tuple[LinkMode, ...] = ("symlink", "hardlink", "copy")

ASCP = "~/.aspera/connect/bin/ascp"
"""Where IBM Aspera Connect installs ``ascp`` on Linux (empiar-depositor's README and the
protocol name it; on a Mac ``~/Applications/Aspera Connect.app/Contents/Resources/ascp``)."""

ASPERA_KEY = "~/.aspera/connect/etc/asperaweb_id_dsa.openssh"
"""The key BioStudies' Aspera command passes with ``-i`` (beside ``bin/ascp`` in the install)."""

EMPIAR_GLOBUS_ENDPOINT = "d50a0618-6d04-11e5-ba46-22000b92c6ec"
"""The EMBL-EBI private Globus endpoint that empiar-depositor transfers to (``upload/<dir>/data``)."""


class UploadSourceError(OutputPathError):
    """A file to upload cannot be staged (outside the scanned tree, inside the output, a clash)."""


@dataclass
class UploadFolder:
    """One archive's upload folder, before it is written."""

    archive: Literal["biostudies", "empiar"]
    folder: str
    """Its path in the output folder (``upload/empiar``, or ``<unit>/upload/empiar``)."""
    links: dict[str, str] = field(default_factory=dict)
    """Path inside the folder → path of the input file relative to the scanned root."""
    generated: dict[str, bytes] = field(default_factory=dict)
    """Path inside the folder → content of a file we write there (the file list)."""
    md5: dict[str, str] = field(default_factory=dict)
    """Path inside the folder → MD5 (files whose MD5 is not known are left out of md5.txt)."""

    @property
    def paths(self) -> list[str]:
        """Every file sent from this folder, sorted."""
        return sorted({*self.links, *self.generated})

    @property
    def tops(self) -> list[str]:
        """The entries directly in the folder that are sent (``md5.txt`` is not), sorted."""
        return sorted({p.split("/", 1)[0] for p in self.paths})

    def md5_text(self) -> bytes:
        """``md5.txt``: ``md5sum -c`` compatible, paths relative to this folder."""
        from clxm_meta.checks.manifest import ManifestEntry, format_manifest

        entries = [ManifestEntry(p, None, self.md5[p]) for p in self.paths if p in self.md5]
        return format_manifest(entries).encode("utf-8")

    def files(self) -> dict[str, bytes]:
        """The files we write into the folder, keyed by their path in the output folder."""
        out = {f"{self.folder}/{p}": data for p, data in self.generated.items()}
        out[f"{self.folder}/{MD5_NAME}"] = self.md5_text()
        return out


def file_list_paths(tsv: bytes) -> list[str]:
    """The paths a TSV file list names: the first cell of every line after the header."""
    lines = tsv.decode("utf-8").splitlines()
    return [line.split("\t", 1)[0] for line in lines[1:] if line.strip()]


def _check_rel(path: str) -> str:
    parts = path.split("/")
    if path.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\0" in path:
        raise UploadSourceError(f"not a plain path under the scanned tree: {path!r}")
    return path


def biostudies_upload(
    folder: str, file_list_name: str, file_list: bytes, md5: Mapping[str, str]
) -> UploadFolder:
    """The BioStudies upload folder: the file list's paths, and the file list itself.

    Parameters
    ----------
    folder
        Its path in the output folder.
    file_list_name
        The name the PageTab gives the file list (``files.tsv``).
    file_list
        The file list (TSV) as written in ``biostudies/``.
    md5
        MD5 of the input files by path relative to the scanned root.
    """
    up = UploadFolder("biostudies", folder)
    for path in file_list_paths(file_list):
        up.links[_check_rel(path)] = path
        if path in md5:
            up.md5[path] = md5[path]
    if file_list_name in up.links:
        raise UploadSourceError(
            f"a file to upload is called {file_list_name}, the name of the file list: rename it",
            path=file_list_name,
        )
    up.generated[file_list_name] = file_list
    up.md5[file_list_name] = hashlib.md5(file_list, usedforsecurity=False).hexdigest()
    return up


def empiar_upload(folder: str, paths: Sequence[str], md5: Mapping[str, str]) -> UploadFolder:
    """The EMPIAR upload folder: ``data/<path>`` for every file to upload.

    EMPIAR's image sets name ``/data/<folder of the file>`` as their directory
    (`clxm_meta.export.empiar.imagesets.data_directory`), so ``upload/empiar/data`` is the entry's
    ``data`` folder.
    """
    up = UploadFolder("empiar", folder)
    for path in sorted(set(paths)):
        staged = f"data/{_check_rel(path)}"
        up.links[staged] = path
        if path in md5:
            up.md5[staged] = md5[path]
    return up


def _inside(path: str, base: str) -> bool:
    return path == base or path.startswith(base.rstrip(os.sep) + os.sep)


def _realpath(base: str, rel: str, folders_real: dict[str, str]) -> str:
    """``os.path.realpath`` of ``rel`` under the real folder ``base``, each folder resolved once.

    ``realpath`` checks every component of the path with ``lstat``; a unit's files share a few
    folders, so a folder's real path is kept (``folders_real``, for one call of
    `resolve_sources`) and only the file's own name is checked: a name that is not a link is its
    real path's last component, as ``realpath`` would find; a link, a missing file or an unusual
    name (``.``, ``..``, empty) is resolved by ``realpath`` as before.
    """
    folder, _, name = rel.rpartition("/")
    if name in ("", ".", ".."):
        return os.path.realpath(os.path.join(base, *rel.split("/")))
    real_folder = folders_real.get(folder)
    if real_folder is None:
        real_folder = os.path.realpath(os.path.join(base, *folder.split("/"))) if folder else base
        folders_real[folder] = real_folder
    candidate = os.path.join(real_folder, name)
    try:
        if not stat.S_ISLNK(os.lstat(candidate).st_mode):
            return candidate
    except OSError:
        pass
    return os.path.realpath(candidate)


def resolve_sources(root: str, folders: Sequence[UploadFolder]) -> dict[str, str]:
    """Path in the output folder → absolute real path of the input file, for every link.

    Raises
    ------
    UploadSourceError
        A file resolves (through symbolic links) outside the scanned tree: it is not staged, so
        that a link to a private file is never sent to a public archive.
    """
    base = os.path.realpath(root)
    out: dict[str, str] = {}
    folders_real: dict[str, str] = {}
    for up in folders:
        for staged, rel in up.links.items():
            real = _realpath(base, rel, folders_real)
            if not _inside(real, base) or real == base:
                raise UploadSourceError(
                    f"resolves to {real}, outside the scanned tree {root}: not staged for upload. "
                    "Scan the folder that holds the file, or move it into the tree",
                    path=rel,
                )
            out[f"{up.folder}/{staged}"] = real
    return out


def refuse_sources_inside(links: Mapping[str, str], outdir: str | os.PathLike[str]) -> None:
    """Refuse to stage a file that lies in the output folder itself (our own earlier output).

    Raises
    ------
    UploadSourceError
        A file to upload lies inside ``outdir``.
    """
    target = os.path.realpath(os.fspath(outdir))
    for staged, src in sorted(links.items()):
        if _inside(src, target):
            raise UploadSourceError(
                f"the file to stage as {staged} lies in the output folder: an earlier output is "
                "never uploaded; write the deposit outside the scanned tree",
                path=src,
            )


def _folder(path: str, made: set[str]) -> None:
    """``os.makedirs(path, exist_ok=True)``, each folder once (remembered in ``made``).

    ``mkdir`` first, its parents only when it fails for want of them, and no ``stat`` unless
    something is there already.
    """
    if path in made:
        return
    try:
        os.mkdir(path)
    except FileNotFoundError:
        parent = os.path.dirname(path)
        if parent == path:
            raise
        _folder(parent, made)
        _folder(path, made)
        return
    except FileExistsError:
        if not os.path.isdir(path):  # a file, or a link to no folder: as makedirs, refuse
            raise
    made.add(path)


def place_links(root: str, links: Mapping[str, str], mode: LinkMode) -> None:
    """Stage every input file into the folder ``root`` being written (a fresh staging folder).

    ``links`` maps a path relative to ``root`` (``/`` separators) to the absolute path of the input
    file. ``mode``: a symbolic link to that absolute path, a hard link to it, or a copy (streamed;
    the input is only read).

    Raises
    ------
    UploadSourceError
        A hard link across file systems, or a link or copy that cannot be made.
    """
    if mode not in LINK_MODES:
        raise ValueError(f"link mode {mode!r}: expected one of {', '.join(LINK_MODES)}")
    made: set[str] = set()  # folders there already: one mkdir per folder, not per file
    for rel, src in sorted(links.items()):
        dest = os.path.join(root, *rel.split("/"))
        try:
            _folder(os.path.dirname(dest), made)
            if mode == "symlink":
                os.symlink(src, dest)
            elif mode == "hardlink":
                os.link(src, dest, follow_symlinks=False)
            else:
                shutil.copyfile(src, dest, follow_symlinks=True)
        except OSError as exc:
            why = exc.strerror or str(exc)
            if mode == "hardlink" and exc.errno in (errno.EXDEV, errno.EPERM, errno.EMLINK):
                why += " (a hard link needs the same file system: use --copy)"
            raise UploadSourceError(f"cannot stage {rel} ({mode}): {why}", path=src) from exc


# --- the transfer commands README.txt gives --------------------------------------------------


def _q(path: str) -> str:
    return shlex.quote(path)


def biostudies_commands(up: UploadFolder, here: str = "") -> list[str]:
    """README lines: each transfer method Table 2 of the protocol offers BioStudies, on the folder.

    ``here`` is the folder of the README relative to the output folder (the commands start there).
    """
    rel = up.folder[len(here) :] if here and up.folder.startswith(here) else up.folder
    tops = " ".join(_q(t) for t in up.tops)
    return [
        "     Aspera command line (<SECRET_DIRECTORY>: Files > FTP/Aspera in the submission tool):",
        f"       cd {_q(rel)} && {ASCP} --symbolic-links=follow -P33001 -i {ASPERA_KEY} \\",
        f"         -d {tops} bsaspera_w@hx-fasp-1.ebi.ac.uk:<SECRET_DIRECTORY>",
        "     FTP/sFTP with lftp (host, user and password as that FTP/Aspera window shows them):",
        f"       cd {_q(rel)} && lftp -u <FTP_USER> \\",
        "         -e 'mirror -R -L -x \"^md5\\.txt$\" . <SECRET_DIRECTORY>; bye' <FTP_HOST>",
        "     HTTPS (the submission tool, Files): 'Folder upload' / 'File upload' of",
        *(f"       {rel}/{t}" for t in up.tops),
    ]


def empiar_commands(
    up: UploadFolder, json_path: str, entry_image: str | None, here: str = ""
) -> list[str]:
    """README lines: empiar-depositor, then each method Table 2 offers EMPIAR, on the folder.

    empiar-depositor uploads its DATA argument into the entry's ``data/`` folder under DATA's own
    name, so DATA is each entry of ``upload/empiar/data`` in turn (one, usually): the first run
    creates the entry, the next ones resume it (``-r``), the last one submits.
    """
    rel = up.folder[len(here) :] if here and up.folder.startswith(here) else up.folder
    data = posixpath.join(rel, "data")
    tops = sorted({p.split("/", 2)[1] for p in up.paths if p.startswith("data/")})
    lines = [
        "     The EMPIAR client (pip install empiar-depositor) creates the entry from the JSON,",
        "     uploads with Aspera and submits. <EMPIAR_API_TOKEN>: empiar.org/deposition/api_token;",
        "     <EMPIAR_TRANSFER_PASSWORD>: the transfer password the EMPIAR team gives you.",
        "       export EMPIAR_TRANSFER_PASS=<EMPIAR_TRANSFER_PASSWORD>",
    ]
    for i, top in enumerate(tops):
        opts = [f"-a {ASCP}"]
        if i == 0 and entry_image:
            opts.append(f"-e {_q(entry_image)}")
        if i > 0:
            opts.append("-r <ENTRY_ID> <ENTRY_DIR>")
        if i < len(tops) - 1:
            opts.append("-s")
        cmd = f"empiar-depositor {' '.join(opts)} <EMPIAR_API_TOKEN> {_q(json_path)}"
        lines.append(f"       {cmd} {_q(posixpath.join(data, top))}")
    if len(tops) > 1:
        lines.append(
            "     (the first run prints the entry ID and directory: <ENTRY_ID> <ENTRY_DIR>)"
        )
    qtops = " ".join(_q(t) for t in tops)
    lines += [
        "     Aspera command line (<ENTRY_DIR>: the entry's unique directory, on the Upload data",
        "     page after 'Save & Validate'; ascp asks for the EMPIAR transfer password):",
        f"       cd {_q(data)} && {ASCP} --symbolic-links=follow -QT -l 200M -P 33001 -L- -k3 \\",
        f"         {qtops} emp_dep@hx-fasp-1.ebi.ac.uk:upload/<ENTRY_DIR>/data",
        "     Globus CLI (<MY_ENDPOINT_ID>: your Globus Connect Personal endpoint; Globus may not",
        "     follow symbolic links: write the deposit with --hardlink or --copy first):",
        *(
            f'       globus transfer --recursive <MY_ENDPOINT_ID>:"$PWD"/{_q(posixpath.join(data, t))}'
            f" {EMPIAR_GLOBUS_ENDPOINT}:upload/<ENTRY_DIR>/data/{_q(t)}"
            for t in tops
        ),
        "     FTP/sFTP with lftp (EMPIAR gives host, user, password and <FTP_DIRECTORY> on request,",
        "     empdep-help@ebi.ac.uk):",
        f"       cd {_q(rel)} && lftp -u <FTP_USER> -e 'mirror -R -L data <FTP_DIRECTORY>/data; bye'"
        " <FTP_HOST>",
    ]
    return lines


MARKER_TEXT = (
    b"Written by clxm-meta deposit. biostudies/ and empiar/ hold exactly what each archive\n"
    b"receives (links to the input files); clxm-meta scans skip this folder.\n"
)
"""Content of `UPLOAD_MARKER` in ``upload/``: the walk never scans our links as input files."""


def unit_uploads(
    root: str,
    files: Mapping[str, bytes],
    prefix: str,
    empiar_paths: Sequence[str] | None,
    md5: Mapping[str, str],
) -> tuple[list[UploadFolder], dict[str, str]]:
    """The upload folders of one unit of a deposit, and their links (output path → input file).

    ``files`` are the unit's documents (the BioStudies upload follows ``biostudies/files.tsv``);
    ``empiar_paths`` the files of the SXT dataset to upload (``None``: no EMPIAR upload).
    """
    from clxm_meta.export.biostudies.pagetab import FILE_LIST_NAME

    folders = []
    file_list = files.get(f"{prefix}biostudies/{FILE_LIST_NAME}")
    if file_list is not None:
        folders.append(
            biostudies_upload(f"{prefix}{UPLOAD_DIR}/biostudies", FILE_LIST_NAME, file_list, md5)
        )
    if empiar_paths is not None:
        folders.append(empiar_upload(f"{prefix}{UPLOAD_DIR}/empiar", empiar_paths, md5))
    return folders, resolve_sources(root, folders)


def marker_files(prefix: str) -> dict[str, bytes]:
    """``upload/.clxm-meta-upload``: a later scan of a tree holding this deposit skips ``upload/``."""
    return {f"{prefix}{UPLOAD_DIR}/{UPLOAD_MARKER}": MARKER_TEXT}
