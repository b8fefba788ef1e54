"""``clxm-meta deposit`` driven by `clxm_meta.scan_units`: each unit built where it was read.

`write_deposit` builds from a whole `ScanResult`, which holds every record and format model of the
tree (2.3 GiB at 10,000 datasets). Here the tree is scanned as a stream of units (samples); in the
worker that read a unit, the `then` hook (`deposit_hook`) checksums the unit's files to upload,
builds its documents (`build_unit`, the same builder) and sends back the bytes. The driver writes
each deposition unit into the staging folder as it arrives and drops it: it keeps only the
stream's slim tree (every file's entry and dataset description) and each unit's summary.

Everything `build_unit` reads lies inside the unit's sample: its datasets, records, models, files
and pair, the correlation files of its sample folder. What spans the tree is checked at the end
against the stream's `ScanStream.result`: the deposition units, their pairs and samples must be
the ones the streamed units found, a paired sample must have its own folder, and there must be
more than one deposition unit (one unit is written at the top of the folder, not in a sub-folder).
When any of this does not hold, `deposit_streamed` discards what it staged and returns ``None``:
the caller falls back to the whole-scan path (`write_deposit`), so the output is the same, byte
for byte, either way.

Resuming. The staging marker's key holds the clxm-meta version, the root, the sidecar's content
and the options; each unit's completion note also holds the digest of the unit's part of the scan
and of its MD5s (`UnitBuild.digest`). ``--resume`` keeps a unit whose note has the same digest and
whose files are all still whole; it removes and rewrites the others, and removes whatever belongs
to no unit of the tree.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clxm_meta.export.deposit.build import (
    Unit,
    UnitOutput,
    build_unit,
    deposition_units,
    upload_files,
)
from clxm_meta.export.deposit.stream import (
    DepositSummary,
    WrittenUnit,
    _entries_under,
    _entry_holds,
    _write_unit,
    note_body,
    write_note_file,
    written_from_note,
)
from clxm_meta.findings import Finding
from clxm_meta.io.outdir import PROGRESS_DIR, STAGING_MARKER, staging_folder
from clxm_meta.records.scan import ScanResult
from clxm_meta.sidecar.load import Sidecar, load_sidecar

if TYPE_CHECKING:
    from clxm_meta.dataset.scan import ScanStream
    from clxm_meta.export.deposit.upload import LinkMode

__all__ = ["UnitBuild", "deposit_hook", "deposit_streamed", "streamed_key"]

_NOTE_FORMAT = "clxm-meta deposit streamed unit 1"


@dataclass
class UnitBuild:
    """What a worker sends back for one unit of the scan: its deposition units' files."""

    outputs: list[UnitOutput] = field(default_factory=list)
    digest: str = ""
    """SHA-256 of the unit's part of the scan and of its MD5s (what a resumed unit must match)."""
    errors: list[Finding] = field(default_factory=list)
    """Files to upload that could not be read (nothing built for the unit then)."""
    samples: list[tuple[str, str]] = field(default_factory=list)
    """The unit's samples (name, folder): checked against the tree's at the end."""
    pairs: list[tuple[str, str, str | None]] = field(default_factory=list)
    """The unit's pairs (sim, sxt, sample)."""


_SIDECARS: dict[tuple[str, int, int], Sidecar] = {}


def _sidecar(path: str | None) -> Sidecar | None:
    """The sidecar, parsed once per worker (keyed by its path, size and time)."""
    if not path:
        return None
    try:
        st = os.stat(path)
        key = (os.path.abspath(path), st.st_size, st.st_mtime_ns)
    except OSError:
        return load_sidecar(path)
    if key not in _SIDECARS:
        _SIDECARS.clear()
        _SIDECARS[key] = load_sidecar(path)
    return _SIDECARS[key]


def local_units(partial: ScanResult) -> list[Unit]:
    """The deposition units of one scan unit, named as in a deposit of several units."""
    return deposition_units(partial, folders=True)


def deposit_hook(options: Mapping[str, Any], partial: ScanResult) -> UnitBuild:
    """Run in the worker on a unit's partial scan: MD5s, then every document of its units.

    ``options``: ``entry_image``, ``link_mode``, ``template`` as for `build_unit`.
    """
    from clxm_meta.checks.manifest import compute_manifest

    units = local_units(partial)
    paths = sorted(
        {p for unit in units for files in upload_files(partial, unit).values() for p in files}
    )
    entries, errors = compute_manifest(
        [(p, os.path.join(partial.root, p)) for p in paths], workers=1
    )
    md5 = {e.rel: e.md5 for e in entries if e.md5 is not None}
    digest = hashlib.sha256(partial.model_dump_json().encode("utf-8", "surrogateescape"))
    digest.update(json.dumps(sorted(md5.items())).encode("utf-8", "surrogateescape"))
    build = UnitBuild(
        digest=digest.hexdigest(),
        errors=errors,
        samples=[(s.name, s.folder) for s in partial.samples],
        pairs=[(p.sim, p.sxt, p.sample) for p in partial.pairs],
    )
    if errors:
        return build
    sidecar = _sidecar(partial.sidecar)
    for unit in units:
        build.outputs.append(build_unit(partial, unit, md5=md5, sidecar=sidecar, **options))
    return build


def streamed_key(root: str, sidecar_path: str | None, options: Mapping[str, Any]) -> dict[str, Any]:
    """The staging marker's key of a streamed deposit (the inputs are checked unit by unit)."""
    from clxm_meta import __version__

    side = ""
    if sidecar_path:
        try:
            with open(sidecar_path, "rb") as fh:
                side = hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            side = "unreadable"
    return {
        "version": __version__,
        "mode": "streamed",
        "root": os.path.abspath(root),
        "sidecar": side,
        "options": dict(options),
    }


def _note_path(staging: str, unit: Unit) -> str:
    name = hashlib.sha256(unit.folder.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return os.path.join(staging, PROGRESS_DIR, f"unit-{name}.json")


def _note(written: WrittenUnit, entries: list[dict[str, Any]], digest: str) -> dict[str, Any]:
    return {"format": _NOTE_FORMAT, "digest": digest, **note_body(written, entries)}


def _write_note(staging: str, unit: Unit, note: Mapping[str, Any]) -> None:
    write_note_file(_note_path(staging, unit), note)


def _kept(staging: str, unit: Unit, digest: str) -> WrittenUnit | None:
    """The unit as a killed run wrote it: same inputs (digest), every file whole, nothing else."""
    try:
        with open(_note_path(staging, unit), encoding="utf-8") as fh:
            doc = json.load(fh)
        if doc.get("format") != _NOTE_FORMAT or doc.get("digest") != digest:
            return None
        if doc.get("unit") != dataclasses.asdict(unit):
            return None
        entries = doc["entries"]
        listed = {e.get("path") for e in entries if isinstance(e, dict)}
        if not all(isinstance(e, dict) and _entry_holds(staging, e) for e in entries):
            return None
        if _entries_under(staging, unit.folder) != listed:
            return None
        return written_from_note(doc, unit)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def _drop_strays(staging: str, units: list[Unit]) -> None:
    """Remove what a killed run left that belongs to no unit of this tree (and stray notes)."""
    tops = {u.folder for u in units}
    for name in os.listdir(staging):
        if name not in (STAGING_MARKER, PROGRESS_DIR) and name not in tops:
            _remove(os.path.join(staging, name))
    notes = {os.path.basename(_note_path(staging, u)) for u in units}
    progress = os.path.join(staging, PROGRESS_DIR)
    if os.path.isdir(progress):
        for name in os.listdir(progress):
            if name not in notes:
                _remove(os.path.join(progress, name))


def _lines_up(tree: ScanResult, built: list[Unit], builds: list[UnitBuild]) -> bool:
    """Whether the streamed units are the whole scan's: else the whole-scan path is taken."""
    from clxm_meta.export.deposit.build import deposition_units

    expected = deposition_units(tree)
    if len(expected) < 2 or sorted(expected, key=repr) != sorted(built, key=repr):
        return False
    if len({u.folder for u in built}) != len(built):
        return False
    samples = sorted(s for b in builds for s in b.samples)
    if samples != sorted((s.name, s.folder) for s in tree.samples):
        return False
    pairs = sorted((b for bl in builds for b in bl.pairs), key=repr)
    if pairs != sorted(((p.sim, p.sxt, p.sample) for p in tree.pairs), key=repr):
        return False
    folders = {s.name: s.folder for s in tree.samples}
    # a pair without a sample folder of its own takes the correlation files of the whole tree
    return all(
        p.sample is not None and folders.get(p.sample) not in (None, ".") for p in tree.pairs
    )


@dataclass
class StreamedDeposit:
    """The outcome of `deposit_streamed`."""

    summary: DepositSummary
    tree: ScanResult
    """The stream's slim tree (no records or models)."""
    errors: list[Finding] = field(default_factory=list)
    """Files to upload that could not be read: nothing was written."""


def deposit_streamed(
    outdir: str | os.PathLike[str],
    stream: ScanStream,
    *,
    entry_image: bool = False,
    link_mode: LinkMode = "symlink",
    template: str | None = None,
    force: bool = False,
    resume: bool = False,
    refuse: Callable[[ScanResult], bool] | None = None,
    accept: Callable[[DepositSummary], bool] | None = None,
    command: str = "deposit",
) -> StreamedDeposit | None:
    """Write the deposit folder ``outdir`` from a stream made with `deposit_hook` as its ``then``.

    ``stream`` is ``scan_units(root, then=functools.partial(deposit_hook, options))`` with the
    same ``entry_image``, ``link_mode`` and ``template`` in ``options``; the units are built
    where they were read (on the stream's executor) and written here, as they arrive.

    Returns ``None`` when the tree's deposition units do not line up with the stream's units (see
    the module's docstring): nothing is written, build it with `write_deposit` instead. Otherwise
    as `write_deposit`; ``refuse`` is called with the slim tree once every unit is staged, before
    ``accept`` (True discards the folder: a refusal on the tree, such as invalid sidecar entries).
    """
    from clxm_meta.export.deposit.upload import refuse_sources_inside

    options = {"entry_image": entry_image, "link_mode": link_mode, "template": template}
    key = streamed_key(stream.root, stream.sidecar, options)
    written: dict[Unit, WrittenUnit] = {}
    built: list[Unit] = []
    builds: list[UnitBuild] = []
    errors: list[Finding] = []
    with staging_folder(outdir, force=force, command=command, resume=key, adopt=resume) as st:
        for part in stream:
            build = part.extra
            if not isinstance(build, UnitBuild):
                raise TypeError("deposit_streamed needs a stream made with deposit_hook")
            errors.extend(build.errors)
            for out in build.outputs:
                unit = out.unit
                built.append(unit)
                kept = _kept(st.path, unit, build.digest) if st.resumed else None
                if kept is not None:
                    written[unit] = kept
                    continue
                if st.resumed:
                    _remove(os.path.join(st.path, unit.folder))
                    _remove(_note_path(st.path, unit))
                refuse_sources_inside(out.links, outdir)
                done, entries = _write_unit(st.path, out, link_mode)
                _write_note(st.path, unit, _note(done, entries, build.digest))
                written[unit] = done
            build.outputs = []
            builds.append(dataclasses.replace(build, outputs=[], errors=[]))
        tree = stream.result()
        if not _lines_up(tree, built, builds) or errors:
            st.discard()
            if errors:
                return StreamedDeposit(DepositSummary([]), tree, sorted(errors, key=repr))
            return None
        if st.resumed:
            _drop_strays(st.path, built)
        from clxm_meta.export.deposit.build import deposition_units

        units = deposition_units(tree)
        summary = DepositSummary([written[u] for u in units])
        if resume:
            n = summary.kept
            summary.resume_note = (
                f"resumed an unfinished run: {n} of {len(units)} units kept whole, "
                f"{len(units) - n} built"
                if st.resumed
                else f"{st.resume_note}: building every unit"
            )
        if refuse is not None and refuse(tree):
            st.discard()
            return StreamedDeposit(summary, tree)
        if accept is not None and not accept(summary):
            st.discard()
            return StreamedDeposit(summary, tree)
    summary.written = True
    return StreamedDeposit(summary, tree)
