"""``clxm-meta deposit``: build and write one unit at a time, and resume a killed run.

`write_deposit` builds each unit's files (`clxm_meta.export.deposit.build.build_unit`), writes
them into the staging folder at once and drops their bytes, keeping only what the summary needs
(paths, missing values, rejections, pending steps). Memory therefore holds one unit's documents,
not the archive's. The folder is made, recorded and swapped into place by
`clxm_meta.io.outdir.staging_folder`, with issue 18's rules: a refusal (missing values, broken
archive rules, a file to upload outside the tree or inside the output) discards the staging
folder and leaves the output as it was.

Resuming. After a unit's files and links are in the staging folder, a completion note
``.clxm-progress/unit-<n>.json`` lists each of them with its size and SHA-256 (a symbolic link by
its target, a hard link by the input file it is). The staging marker holds the run's key: the
clxm-meta version, the scan, the MD5 of every file to upload, the sidecar's content and the
options (`resume_key`). ``deposit --resume`` takes over the staging folder a killed run left for
the same output with the same key, keeps each unit whose note still matches every one of its
files (and nothing else is in its folder), removes and rebuilds the others, then records and
swaps as usual. A key that differs (other inputs, options or version) means nothing is resumed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import stat
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clxm_meta.dataset.executors import submit
from clxm_meta.errors import ClxmMetaError
from clxm_meta.export.base import MissingField
from clxm_meta.export.deposit.build import Unit, UnitOutput, build_unit, deposition_units
from clxm_meta.findings import Finding
from clxm_meta.io.outdir import PROGRESS_DIR, STAGING_MARKER, staging_folder, write_files_in
from clxm_meta.io.output import output_path_in
from clxm_meta.io.record import file_sha256
from clxm_meta.records.scan import ScanResult
from clxm_meta.sidecar.load import Sidecar, load_sidecar

if TYPE_CHECKING:
    from clxm_meta.export.deposit.upload import LinkMode

__all__ = ["DepositSummary", "WrittenUnit", "resume_key", "unit_view", "write_deposit"]

_NOTE_FORMAT = "clxm-meta deposit unit 1"


@dataclass
class WrittenUnit:
    """What is left of a unit once its files are written: no bytes."""

    unit: Unit
    paths: list[str] = field(default_factory=list)
    """The files written (documents; not the staged input files), paths in the output folder."""
    links: int = 0
    """How many input files were staged in its upload folders."""
    missing: list[MissingField] = field(default_factory=list)
    info: list[MissingField] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    rejected: list[Finding] = field(default_factory=list)
    shortened: list[tuple[str, str]] = field(default_factory=list)
    kept: bool = False
    """Taken over from a killed run (``--resume``), not rebuilt."""


@dataclass
class DepositSummary:
    """Every unit of a deposit as written (or refused)."""

    units: list[WrittenUnit]
    written: bool = False
    """The folder was moved into place (false when ``accept`` refused it)."""
    resume_note: str = ""
    """With ``resume``: what was resumed, or why nothing was."""

    @property
    def files(self) -> list[str]:
        """Every file written, sorted."""
        return sorted(p for u in self.units for p in u.paths)

    @property
    def missing(self) -> list[MissingField]:
        """Every unit's missing required values."""
        return [m for u in self.units for m in u.missing]

    @property
    def rejected(self) -> list[Finding]:
        """Every unit's broken archive rules."""
        return [f for u in self.units for f in u.rejected]

    @property
    def links(self) -> int:
        """How many input files were staged."""
        return sum(u.links for u in self.units)

    @property
    def kept(self) -> int:
        """How many units were taken over from a killed run."""
        return sum(1 for u in self.units if u.kept)


def resume_key(
    result: ScanResult,
    md5: Mapping[str, str],
    sidecar: Sidecar | None,
    options: Mapping[str, Any],
) -> dict[str, Any]:
    """What a resumed run must share with the killed one: digests, so the marker stays small."""
    from clxm_meta import __version__

    def digest(text: str | bytes) -> str:
        data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
        return hashlib.sha256(data).hexdigest()

    if sidecar is None and result.sidecar:
        try:
            with open(result.sidecar, "rb") as fh:
                side = digest(fh.read())
        except OSError:
            side = "unreadable"
    else:
        side = digest(repr(sidecar))
    return {
        "version": __version__,
        "scan": digest(result.model_dump_json()),
        "md5": digest(json.dumps(sorted(md5.items()))),
        "sidecar": side,
        "options": dict(options),
    }


def _link_entry(staging: str, rel: str, src: str, mode: str) -> dict[str, Any]:
    dest = os.path.join(staging, *rel.split("/"))
    if mode == "symlink":
        return {"path": rel, "kind": "link", "target": os.readlink(dest)}
    st = os.lstat(dest)
    if mode == "hardlink":
        return {"path": rel, "kind": "hardlink", "source": src, "size": st.st_size}
    return {"path": rel, "kind": "file", "size": st.st_size, "sha256": file_sha256(dest)}


def _entry_holds(staging: str, entry: Mapping[str, Any]) -> bool:
    """Whether the staged entry is still exactly what the unit's note says."""
    path = entry.get("path")
    if not isinstance(path, str):
        return False
    folder, name = path.rpartition("/")[::2]
    try:  # the entry itself may be a link out of the folder: only its folder is checked
        full = os.path.join(output_path_in(staging, folder) if folder else staging, name)
        if name in ("", ".", ".."):
            return False
        st = os.lstat(full)
    except (OSError, ClxmMetaError):
        return False
    kind = entry.get("kind")
    if kind == "link":
        return stat.S_ISLNK(st.st_mode) and os.readlink(full) == entry.get("target")
    if not stat.S_ISREG(st.st_mode) or st.st_size != entry.get("size"):
        return False
    if kind == "hardlink":
        source = entry.get("source")
        try:
            return isinstance(source, str) and os.path.samestat(st, os.stat(source))
        except OSError:
            return False
    return kind == "file" and file_sha256(full) == entry.get("sha256")


def _note_path(staging: str, index: int) -> str:
    return os.path.join(staging, PROGRESS_DIR, f"unit-{index:07d}.json")


def note_body(written: WrittenUnit, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """What a unit's completion note holds besides its format and key: its files and summary."""
    return {
        "unit": dataclasses.asdict(written.unit),
        "entries": entries,
        "paths": written.paths,
        "links": written.links,
        "missing": [dataclasses.asdict(m) for m in written.missing],
        "info": [dataclasses.asdict(m) for m in written.info],
        "pending": written.pending,
        "rejected": [f.model_dump(mode="json") for f in written.rejected],
        "shortened": [list(s) for s in written.shortened],
    }


def written_from_note(doc: Mapping[str, Any], unit: Unit) -> WrittenUnit | None:
    """The unit's summary as `note_body` recorded it; None when the note is for another unit.

    Raises KeyError, TypeError or ValueError on a damaged note (the caller rebuilds the unit).
    """
    if doc.get("unit") != dataclasses.asdict(unit):
        return None
    return WrittenUnit(
        unit,
        paths=[str(p) for p in doc["paths"]],
        links=int(doc["links"]),
        missing=[MissingField(**m) for m in doc["missing"]],
        info=[MissingField(**m) for m in doc["info"]],
        pending=[str(p) for p in doc["pending"]],
        rejected=[Finding.model_validate(f) for f in doc["rejected"]],
        shortened=[(str(a), str(b)) for a, b in doc["shortened"]],
        kept=True,
    )


def write_note_file(path: str, note: Mapping[str, Any]) -> None:
    """Write a completion note last, atomically: a unit without one is rebuilt."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(note))  # json.dump would encode in Python, piece by piece
    os.replace(tmp, path)


def _note(index: int, written: WrittenUnit, entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": _NOTE_FORMAT, "index": index, **note_body(written, entries)}


def _write_note(staging: str, index: int, note: Mapping[str, Any]) -> None:
    write_note_file(_note_path(staging, index), note)


def _read_note(staging: str, index: int, unit: Unit) -> WrittenUnit | None:
    """The unit as a killed run wrote it, when its note is there, for this unit, and complete."""
    try:
        with open(_note_path(staging, index), encoding="utf-8") as fh:
            doc = json.load(fh)
        if doc.get("format") != _NOTE_FORMAT or doc.get("index") != index:
            return None
        return written_from_note(doc, unit)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def _unit_tops(unit: Unit) -> str | None:
    """The unit's folder in the output; None for the only unit (the whole folder is its)."""
    return unit.folder or None


def _entries_under(staging: str, top: str | None) -> set[str]:
    """Every file and link under the unit's folder (the whole staging folder for the only unit)."""
    from clxm_meta.io.record import walk_entries

    skip = frozenset({STAGING_MARKER, STAGING_MARKER + ".tmp", PROGRESS_DIR})
    base = staging if top is None else os.path.join(staging, top)
    if not os.path.isdir(base) or os.path.islink(base):
        return set()
    prefix = "" if top is None else f"{top}/"
    exclude = skip if top is None else frozenset()
    return {
        prefix + e.path
        for e in walk_entries(base, hash_files=False, exclude=exclude)
        if e.kind != "dir"
    }


def _remove_unit(staging: str, unit: Unit, index: int) -> None:
    """Remove whatever a killed run left of the unit, and its note."""
    with_note = _note_path(staging, index)
    for path in (with_note, with_note + ".tmp"):
        if os.path.lexists(path):
            os.unlink(path)
    top = _unit_tops(unit)
    if top is not None:
        target = os.path.join(staging, top)
        if os.path.islink(target) or os.path.isfile(target):
            os.unlink(target)
        elif os.path.isdir(target):
            shutil.rmtree(target)
        return
    for name in os.listdir(staging):
        if name in (STAGING_MARKER, PROGRESS_DIR):
            continue
        full = os.path.join(staging, name)
        if os.path.isdir(full) and not os.path.islink(full):
            shutil.rmtree(full)
        else:
            os.unlink(full)


def _take_over(staging: str, units: Sequence[Unit]) -> dict[int, WrittenUnit]:
    """The units of a killed run that are whole and unchanged; everything else is removed."""
    kept: dict[int, WrittenUnit] = {}
    tops = {u.folder for u in units if u.folder}
    for name in os.listdir(staging):  # nothing that belongs to no unit stays
        if name in (STAGING_MARKER, PROGRESS_DIR) or name in tops or not tops:
            continue
        full = os.path.join(staging, name)
        if os.path.isdir(full) and not os.path.islink(full):
            shutil.rmtree(full)
        else:
            os.unlink(full)
    for index, unit in enumerate(units):
        written = _read_note(staging, index, unit)
        if written is not None:
            with open(_note_path(staging, index), encoding="utf-8") as fh:
                entries = json.load(fh)["entries"]
            listed = {e.get("path") for e in entries if isinstance(e, dict)}
            whole = all(isinstance(e, dict) and _entry_holds(staging, e) for e in entries)
            if whole and _entries_under(staging, _unit_tops(unit)) == listed:
                kept[index] = written
                continue
        _remove_unit(staging, unit, index)
    return kept


def _write_unit(
    staging: str, out: UnitOutput, link_mode: LinkMode
) -> tuple[WrittenUnit, list[dict[str, Any]]]:
    """Write one unit's files and stage its input files; what is left of it, and its entries."""
    from clxm_meta.export.deposit.upload import place_links

    entries: list[dict[str, Any]] = []
    write_files_in(staging, out.files)
    for rel, data in sorted(out.files.items()):
        entries.append(
            {
                "path": rel,
                "kind": "file",
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    if out.links:
        place_links(staging, out.links, link_mode)
        for rel, src in sorted(out.links.items()):
            entries.append(_link_entry(staging, rel, src, link_mode))
    written = WrittenUnit(
        out.unit,
        paths=sorted(out.files),
        links=len(out.links),
        missing=list(out.missing),
        info=list(out.info),
        pending=list(out.pending),
        rejected=list(out.rejected),
        shortened=list(out.shortened),
    )
    return written, entries


def unit_view(result: ScanResult, unit: Unit) -> ScanResult:
    """The part of the scan one unit's documents are built from: what a worker is sent.

    Its datasets, their sample(s) and every file in those samples' folders (correlation files,
    logs), their pair, records, format models and findings on those files.
    """
    names = {n for n in (unit.sim, unit.sxt) if n is not None}
    datasets = [d for d in result.datasets if d.name in names]
    wanted = {d.sample for d in datasets if d.sample is not None}
    samples = [s for s in result.samples if s.name in wanted]
    folders = [s.folder for s in samples]
    members = {m.path for d in datasets for m in (*d.members, *d.left_out)}

    def inside(path: str) -> bool:
        return any(f in ("", ".") or path.startswith(f"{f}/") for f in folders)

    files = [f for f in result.files if f.path in members or f.dataset in names or inside(f.path)]
    paths = {f.path for f in files}
    return ScanResult(
        root=result.root,
        scope=result.scope,
        sidecar=result.sidecar,
        facility=result.facility,
        files=files,
        datasets=datasets,
        samples=samples,
        pairs=[p for p in result.pairs if p.sim in names or p.sxt in names],
        records=[r for r in result.records if r.name in names],
        findings=[f for f in result.findings if f.path is None or f.path in paths],
        release_instructions={k: v for k, v in result.release_instructions.items() if k in names},
        models={p: m for p, m in result.models.items() if p in paths},
    )


def _unit_task(
    view_json: str, models: dict[str, Any], unit: Unit, options: dict[str, Any]
) -> UnitOutput:
    """`build_unit` in a worker.

    The unit's view of the scan travels as JSON (records do not pickle), its format models pickled.
    """
    view = ScanResult.model_validate_json(view_json)
    view.models = models
    return build_unit(view, unit, **options)


def _submit(
    executor: Executor, result: ScanResult, unit: Unit, options: Mapping[str, Any]
) -> Future[UnitOutput]:
    view = unit_view(result, unit)
    paths = {f.path for f in view.files}
    md5 = options["md5"]
    sub = {**options, "md5": {p: md5[p] for p in paths if p in md5}}
    return submit(executor, _unit_task, view.model_dump_json(), dict(view.models), unit, sub)


def _built(
    result: ScanResult,
    todo: Sequence[tuple[int, Unit]],
    options: Mapping[str, Any],
    executor: Executor | None,
    window: int,
) -> Iterator[tuple[int, UnitOutput]]:
    """Each unit's files, in order; with an executor, at most ``window`` units built ahead."""
    if executor is None:
        for index, unit in todo:
            yield index, build_unit(result, unit, **options)
        return
    pending: deque[tuple[int, Future[UnitOutput]]] = deque()
    queue = iter(todo)
    for index, unit in queue:
        pending.append((index, _submit(executor, result, unit, options)))
        if len(pending) >= window:
            break
    while pending:
        index, future = pending.popleft()
        nxt = next(queue, None)
        if nxt is not None:
            pending.append((nxt[0], _submit(executor, result, nxt[1], options)))
        yield index, future.result()


def write_deposit(
    outdir: str | os.PathLike[str],
    result: ScanResult,
    *,
    md5: Mapping[str, str],
    sidecar: Sidecar | None = None,
    entry_image: bool = False,
    link_mode: LinkMode = "symlink",
    template: str | None = None,
    force: bool = False,
    resume: bool = False,
    accept: Callable[[DepositSummary], bool] | None = None,
    executor: Executor | None = None,
    window: int = 0,
    command: str = "deposit",
    on_unit: Callable[[int, WrittenUnit], None] | None = None,
) -> DepositSummary:
    """Build and write the deposit folder ``outdir`` one unit at a time.

    The parameters up to ``template`` are those of `clxm_meta.export.deposit.build.build_deposit`
    (same files, byte for byte); ``force`` those of `clxm_meta.io.outdir.write_folder`.

    Parameters
    ----------
    resume
        Take over the staging folder a killed run of the same output, inputs and options left,
        keeping its whole units (see the module's docstring); `DepositSummary.resume_note` says
        what happened.
    accept
        Called once every unit is staged, before anything is moved into place: False discards
        the staging folder and leaves ``outdir`` as it was (``written`` is then False). The CLI
        refuses missing values and broken archive rules here.
    executor
        Build units on it (threads or processes: each task is `build_unit` on the unit's part of
        the scan, `unit_view`), at most ``window`` ahead (default twice its workers, or 4); the
        files are written here, in unit order.
    on_unit
        Called after each unit is written or kept (its index and summary): progress.

    Raises
    ------
    UploadSourceError
        A file to upload resolves outside the scanned tree, or lies in the output folder.
    OutputExistsError, OutputPathError, UnreadableFileError
        As `clxm_meta.io.outdir.write_folder`.
    """
    from clxm_meta.export.deposit.upload import refuse_sources_inside

    given = sidecar
    if sidecar is None and result.sidecar:
        sidecar = load_sidecar(result.sidecar)
    options: dict[str, Any] = {
        "md5": md5,
        "sidecar": sidecar,
        "entry_image": entry_image,
        "link_mode": link_mode,
        "template": template,
    }
    key = resume_key(
        result,
        md5,
        given,
        {"entry_image": entry_image, "link_mode": link_mode, "template": template},
    )
    units = deposition_units(result)
    if window <= 0:
        window = 2 * int(getattr(executor, "_max_workers", 2) or 2)
    summary = DepositSummary([WrittenUnit(u) for u in units])
    with staging_folder(outdir, force=force, command=command, resume=key, adopt=resume) as st:
        kept = _take_over(st.path, units) if st.resumed else {}
        if resume:
            summary.resume_note = (
                f"resumed an unfinished run: {len(kept)} of {len(units)} units kept whole, "
                f"{len(units) - len(kept)} built"
                if st.resumed
                else f"{st.resume_note}: building every unit"
            )
        for index, written in sorted(kept.items()):
            summary.units[index] = written
            if on_unit is not None:
                on_unit(index, written)
        todo = [(i, u) for i, u in enumerate(units) if i not in kept]
        for index, out in _built(result, todo, options, executor, window):
            refuse_sources_inside(out.links, outdir)
            written, entries = _write_unit(st.path, out, link_mode)
            del out
            _write_note(st.path, index, _note(index, written, entries))
            summary.units[index] = written
            if on_unit is not None:
                on_unit(index, written)
        if accept is not None and not accept(summary):
            st.discard()
            return summary
    summary.written = True
    return summary
