"""`scan`: one walk of a deposition tree → datasets, samples, pairs and one record per dataset."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import os
import posixpath
import stat
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from clxm_meta.dataset import executors, transport
from clxm_meta.dataset.attached import ATTACHED_FIELDS, attached_candidate, attached_file
from clxm_meta.dataset.group import SHARED_MARK, FileRole, Group, adjust_roles, group_files
from clxm_meta.dataset.mined import visit_candidates
from clxm_meta.dataset.pairing import assign_samples, pair_datasets
from clxm_meta.dataset.roles import LEFT_OUT_ROLES, ROLES, classify_file
from clxm_meta.dataset.sniff import misnamed, named_format, sniff
from clxm_meta.dataset.units import split_units
from clxm_meta.dataset.walk import WalkEntry, walk
from clxm_meta.errors import ClxmMetaError, UnreadableFileError, UnsupportedFormatError
from clxm_meta.findings import Finding, Severity
from clxm_meta.gcpause import paused as gc_paused
from clxm_meta.normalise.build import candidates_for
from clxm_meta.normalise.candidate import Candidate
from clxm_meta.normalise.consistency import FileInput
from clxm_meta.normalise.merge import merge_dataset
from clxm_meta.readers.base import FormatModel
from clxm_meta.readers.registry import detect, read
from clxm_meta.records.fields import DatasetKind, fields_for
from clxm_meta.records.models import Record
from clxm_meta.records.scan import DatasetInfo, Member, Pair, ScannedFile, ScanResult
from clxm_meta.records.values import AttachedFile
from clxm_meta.sidecar.facility import FacilityProfile, load_profile
from clxm_meta.sidecar.load import SIDECAR_NAME, Sidecar, load_sidecar
from clxm_meta.sidecar.messages import did_you_mean

__all__ = ["ScanStream", "UnitContext", "UnitResult", "scan", "scan_unit", "scan_units"]

_ReadResult = tuple[str | None, FormatModel | None, list[Finding]]
"""What reading one file gives: its format name, its model, findings (each may be empty)."""


SIDE_FILE_FIELDS: dict[str, tuple[str, ...]] = {
    "brightfield": (),
    "widefield": (),
    "sxt_image": (),
    "reference": (),
    "non_referenced": (),
    "mosaic": ("acquisition.mosaic", "acquisition.overlaps"),
    "converted_stack": (),
    "denoised": (),
    "segmentation": (),
}
"""Files recorded beside a dataset's raw data (a brightfield or widefield stack, a single X-ray
image, a reference, a mosaic): their headers describe another acquisition, not the raw stack or
tilt series, so in a dataset with a primary file they propose only the rows listed here (attached
files are recorded by `clxm_meta.dataset.attached`). Without this, every header field they share
with the raw file was a spurious ``normalise.disagreement``. The tilt series converted to MRC, a
denoised volume and a segmentation are image files of the same dataset but describe no acquisition
of their own: they propose nothing (their EMPIAR image sets read their own headers)."""


def _read_one(entry: WalkEntry) -> _ReadResult:
    """Detect and read one file; every failure is a finding.

    A file whose size or modification time differ after the read from what the walk saw is still
    being written (an acquisition or a copy in progress): what was read may mix two states of it,
    so its model is dropped and one ``scan.changed_during_scan`` error replaces the read's findings.
    """
    fmt, model, findings = _detect_and_read(entry)
    changed = _changed_since_walk(entry)
    if changed is not None:
        return fmt, None, [changed]
    return fmt, model, findings


def _changed_since_walk(entry: WalkEntry) -> Finding | None:
    try:
        st = os.stat(entry.path)
    except OSError:
        return None  # vanished or unreadable now: the read itself reported it
    if st.st_size == entry.size and st.st_mtime_ns == entry.mtime_ns:
        return None
    grew = f"size {entry.size} -> {st.st_size} bytes" if st.st_size != entry.size else "rewritten"
    return Finding.make(
        "scan.changed_during_scan",
        Severity.ERROR,
        f"the file changed while it was scanned ({grew}): it is probably still being written or "
        "copied, so none of its values are used; scan again once it is complete",
        path=entry.path,
    )


def _detect_and_read(entry: WalkEntry) -> _ReadResult:
    try:
        fmt = detect(entry.path).name
    except UnsupportedFormatError as exc:
        named = named_format(entry.path)
        if named is not None and entry.size > 0:
            seen = sniff(entry.path) or "unreadable"
            message = (
                f"named as {named} file but it does not hold one: it looks like {seen}; the "
                "archive will refuse or mis-curate it (replace it with the real file, or rename it)"
            )
            return (
                None,
                None,
                [
                    Finding.make(
                        "scan.not_what_its_name_says", Severity.WARNING, message, path=entry.path
                    )
                ],
            )
        sev = Severity.WARNING if entry.size == 0 else Severity.INFO
        return None, None, [Finding.make("scan.unrecognised", sev, exc.message, path=entry.path)]
    except UnreadableFileError as exc:
        code = "scan.vanished" if not os.path.exists(entry.path) else "scan.unreadable"
        sev = Severity.WARNING if code == "scan.vanished" else Severity.ERROR
        return None, None, [Finding.make(code, sev, exc.message, path=entry.path)]
    except Exception as exc:  # a text reader's sniff crashed: report, carry on
        return None, None, [_crash(entry.path, "detection", exc)]
    notes: list[Finding] = []
    wrong_name = misnamed(entry.path, fmt)
    if wrong_name is not None:
        notes.append(
            Finding.make(
                "scan.not_what_its_name_says", Severity.WARNING, wrong_name, path=entry.path
            )
        )
    try:
        model = read(entry.path, format=fmt)
    except ModuleNotFoundError as exc:
        return (
            fmt,
            None,
            [
                Finding.make(
                    "scan.reader_missing",
                    Severity.WARNING,
                    f"the {fmt} reader is not available in this build ({exc.name})",
                    path=entry.path,
                )
            ],
        )
    except UnreadableFileError as exc:
        code = "scan.vanished" if not os.path.exists(entry.path) else "scan.unreadable"
        sev = Severity.WARNING if code == "scan.vanished" else Severity.ERROR
        return fmt, None, [Finding.make(code, sev, exc.message, path=entry.path)]
    except ClxmMetaError as exc:
        return (
            fmt,
            None,
            [Finding.make("scan.unreadable", Severity.ERROR, exc.message, path=entry.path)],
        )
    except Exception as exc:
        return fmt, None, [_crash(entry.path, f"the {fmt} reader", exc), *notes]
    return fmt, model, notes


SCAN_BATCH = 32
"""Fewest files per task sent to a scan executor: consecutive units (`clxm_meta.dataset.units`)
are joined into one task until it holds this many (a task per small unit would cost more in
dispatch than in work, on a process pool or a cluster)."""

TASKS_PER_WORKER = 8
"""Tasks per worker a scan aims at (`_batches`): enough for the last tasks to even out between
workers, few enough that dispatch, a task's own overhead and a result's transport stay small
beside the work (on a dask ``LocalCluster`` of 2 workers, 32-file tasks cost 45 % more CPU in
all than 200-file tasks for the same scan)."""

TASK_FILES_MAX = 1024
"""Most files per task when tasks grow with the tree: a task's results wait whole in the driver
until their turn in walk order, so a task of a large archive stays a bounded slice of it (a
streamed scan's memory must not grow with the archive)."""


def _crash(path: str, what: str, exc: Exception) -> Finding:
    return Finding.make(
        "scan.reader_failed",
        Severity.ERROR,
        f"{what} failed unexpectedly ({type(exc).__name__}: {exc}); please report this file",
        path=path,
    )


def _candidates(model: FormatModel) -> tuple[list[Candidate], list[Finding]]:
    try:
        return candidates_for(model), []
    except Exception as exc:
        return [], [
            Finding.make(
                "normalise.failed",
                Severity.ERROR,
                f"the {model.format} normaliser failed ({type(exc).__name__}: {exc})",
                path=model.path,
            )
        ]


def _attached(
    g: Group,
    entries: dict[str, WalkEntry],
    roles: dict[str, FileRole],
    models: dict[str, FormatModel],
) -> list[Candidate]:
    by_field: dict[str, tuple[bool, list[AttachedFile], list[str]]] = {}
    for rel, role, _why in g.members:
        target = ATTACHED_FIELDS.get((g.kind, role))
        if target is None:
            continue
        fld, as_list = target
        e = entries[rel]
        af = attached_file(rel, e.path, role, roles[rel].format, e.size, models.get(rel))
        slot = by_field.setdefault(fld, (as_list, [], []))
        slot[1].append(af)
        slot[2].append(e.path)
    return [
        attached_candidate(g.kind, fld, files, as_list, paths)
        for fld, (as_list, files, paths) in sorted(by_field.items())
    ]


def _no_volume(g: Group, entries: dict[str, WalkEntry]) -> Finding | None:
    """A warning for an SXT dataset whose processing started but left no reconstructed volume.

    Evidence that a volume is on its way: the tilt series converted for processing, or a
    batchruntomo directive. What is there is deposited; the volume is missing from it.
    """
    if g.kind is not DatasetKind.SXT or any(role == "tomogram" for _r, role, _w in g.members):
        return None
    started = [
        rel
        for rel, role, _w in g.members
        if role == "converted_stack" or rel.lower().endswith(".adoc")
    ]
    if not started:
        return None
    names = ", ".join(posixpath.basename(r) for r in started)
    return Finding.make(
        "dataset.no_volume",
        Severity.WARNING,
        f"processing started ({names}) but no reconstructed volume is in the dataset: the "
        "pipeline may not have finished or may have failed; the files that are here can be "
        "deposited, the volume is missing from them",
        path=entries[started[0]].path,
    )


def _shared_note(path: str, names: list[str], cands: list[Candidate]) -> Finding:
    fields = ", ".join(sorted({c.field for c in cands}))
    return Finding.make(
        "dataset.shared_set_aside",
        Severity.INFO,
        f"{os.path.basename(path)} is shared by the {len(names)} datasets {', '.join(names)} "
        f"(no name match): its values ({fields}) are set aside in each, as they cannot be told "
        "apart; name it after one dataset or move it to that dataset's folder",
        path=path,
    )


def _sidecar_path(root: str, sidecar: str | os.PathLike[str] | None) -> str | None:
    if sidecar is not None:
        return os.fspath(sidecar)
    found = os.path.join(root, SIDECAR_NAME)
    return found if os.path.isfile(found) else None


def find_sidecar_above(root: str | os.PathLike[str]) -> str | None:
    """The nearest trusted ``clxm.yaml`` in a folder above ``root``, or ``None`` (see `sidecar_above`)."""
    return sidecar_above(root)[0]


def sidecar_above(root: str | os.PathLike[str]) -> tuple[str | None, list[Finding]]:
    """The nearest ``clxm.yaml`` in a folder above ``root`` (as git looks for ``.git``).

    Like git's ceiling directories and ``safe.directory``: the search stops at a mount point (a
    different device), at the file-system root and at the user's home folder (neither of which is
    searched: a ``clxm.yaml`` there would apply to every scan below it), and a sidecar owned by
    another user or writable by anyone is ignored with a ``sidecar.untrusted`` warning (anyone
    could otherwise change the metadata of every scan below ``/tmp``). Returns the sidecar and
    those findings.
    """
    here = os.path.abspath(os.fspath(root))
    findings: list[Finding] = []
    home = _home()
    try:
        device = os.stat(here).st_dev
    except OSError:
        return None, findings
    while True:
        parent = os.path.dirname(here)
        if parent in (here, home) or os.path.dirname(parent) == parent:
            return None, findings
        try:
            if os.stat(parent).st_dev != device:
                return None, findings
        except OSError:
            return None, findings
        candidate = os.path.join(parent, SIDECAR_NAME)
        if os.path.isfile(candidate):
            why = _untrusted(candidate)
            if why is None:
                return candidate, findings
            findings.append(
                Finding.make(
                    "sidecar.untrusted",
                    Severity.WARNING,
                    f"ignored the sidecar found in a parent folder: {why}; pass it with --sidecar "
                    "if it is yours",
                    path=candidate,
                )
            )
        here = parent


def _home() -> str | None:
    home = os.path.expanduser("~")
    return os.path.abspath(home) if home and home != "~" else None


def _untrusted(path: str) -> str | None:
    """Why a sidecar found above the scanned folder is not used (``None``: it is used)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return f"cannot stat it ({exc.strerror})"
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        return f"it belongs to another user (uid {st.st_uid})"
    if st.st_mode & stat.S_IWOTH:
        return "anyone can write it"
    return None


def _in_scope(name: str, scope: str | None) -> bool:
    return scope is None or name == scope or name.startswith(scope + "/")


def _unknown_targets(
    sc: Sidecar, groups: list[Group], samples: set[str], scope: str | None = None
) -> list[Finding]:
    out = []
    names = {g.name: g.kind for g in groups}
    for name, (kind, line) in sorted(sc.datasets.items()):
        if not _in_scope(name, scope):
            continue  # a dataset of the deposition outside the scanned sub-folder
        if name not in names:
            out.append(
                Finding.make(
                    "sidecar.unknown_dataset",
                    Severity.WARNING,
                    f"datasets: {name!r} is not a dataset of this tree"
                    f"{did_you_mean(name, sorted(names))} "
                    f"(datasets: {', '.join(sorted(names)) or 'none'})",
                    path=sc.path,
                    locator=f"line {line}",
                )
            )
        elif kind is not None and kind is not names[name]:
            out.append(
                Finding.make(
                    "sidecar.kind_mismatch",
                    Severity.WARNING,
                    f"datasets: {name!r} is declared {kind} but its files make it {names[name]}",
                    path=sc.path,
                    locator=f"line {line}",
                )
            )
    for e in sc.entries:
        kind = names.get(e.target or "") if e.scope == "dataset" else None
        if kind is not None and all(spec.id != e.field for spec in fields_for(kind)):
            out.append(
                Finding.make(
                    "sidecar.unknown_key",
                    Severity.WARNING,
                    f"{e.field!r} is not a {kind} Table 1 row (dataset {e.target!r}); ignored",
                    path=sc.path,
                    field=e.field,
                    locator=f"line {e.line}",
                )
            )
    for name in sorted(sc.samples - samples if scope is None else set()):
        out.append(
            Finding.make(
                "sidecar.unknown_sample",
                Severity.WARNING,
                f"samples: {name!r} is not a sample of this tree"
                f"{did_you_mean(name, sorted(samples))} (samples: "
                f"{', '.join(sorted(samples)) or 'none'})",
                path=sc.path,
            )
        )
    return out


def _facility(spec: str | None, sc: Sidecar | None) -> FacilityProfile | None:
    """The facility profile: ``spec`` when given, else the sidecar's ``facility`` key."""
    if spec is not None:
        return load_profile(spec)
    if sc is not None and sc.facility is not None:
        return load_profile(sc.facility, os.path.dirname(os.path.abspath(sc.path)))
    return None


def scan(
    root: str | os.PathLike[str],
    *,
    sidecar: str | os.PathLike[str] | None = None,
    use_sidecar: bool = True,
    executor: Executor | None = None,
    facility: str | None = None,
) -> ScanResult:
    """Scan a deposition tree: one Table 1 record per dataset, with samples and correlative pairs.

    Parameters
    ----------
    root
        The deposition folder (read-only: nothing under it is written).
    sidecar
        A depositor sidecar to merge; default: ``clxm.yaml`` at the root when it exists, else the
        nearest ``clxm.yaml`` in a folder above it (as git finds ``.git``). A sidecar found above
        makes its folder the deposition root: ``ScanResult.root`` is that folder,
        ``ScanResult.scope`` the scanned sub-folder, and every name is relative to the root (so
        ``sample1/SXT`` scanned alone still gives dataset ``sample1/SXT/ts1``).
    use_sidecar
        Set to false to ignore any sidecar (e.g. to write a fresh template).
    executor
        Any `concurrent.futures.Executor` to run the units on (a ``ThreadPoolExecutor``, a
        ``ProcessPoolExecutor``, ``dask.distributed.Client.get_executor()`` ...); default: one
        after the other in this thread. The tree is cut into units, sub-trees that can be
        built independently (a sample with its pairs, `clxm_meta.dataset.units`); each task
        reads, classifies, groups and normalises its units (`scan_unit`, the same code with no
        executor) and the driver only walks, pairs, adds the tree-wide findings and merges, in
        walk order, so the result is the same whatever the executor. With a process or cluster
        executor, records, models and findings travel back pickled; `scan_units` streams units
        instead of holding the whole tree (see docs/scaling.md).
    facility
        A facility profile (shipped name such as ``diamond-b24``, or a path) merged beneath the
        sidecar; default: the sidecar's ``facility`` key.

    Raises
    ------
    UnreadableFileError
        ``root`` does not exist or is not a folder.
    SidecarError
        The sidecar cannot be read at all (invalid entries are findings instead).
    """
    plan = _prepare(root, sidecar, use_sidecar, facility)
    with gc_paused():  # nearly all it makes is kept in the result: little for the collector
        parts = list(_run_units(plan.ctx, plan.units, executor))
        return _merge(plan, parts)


@dataclass
class _Plan:
    """What the driver knows before any file is read: the context, the units, early findings."""

    ctx: UnitContext
    scope: str | None
    sidecar: str | None
    findings: list[Finding]
    units: list[list[WalkEntry]]


def _prepare(
    root: str | os.PathLike[str],
    sidecar: str | os.PathLike[str] | None,
    use_sidecar: bool,
    facility: str | None,
    *,
    keep_models: bool = True,
    keep_records: bool = True,
    then: Callable[[ScanResult], Any] | None = None,
) -> _Plan:
    root_s = os.fspath(root)
    if not os.path.exists(root_s):
        raise UnreadableFileError("does not exist", path=root_s)
    if not os.path.isdir(root_s):
        raise UnreadableFileError("not a folder", path=root_s)
    sc_path = _sidecar_path(root_s, sidecar) if use_sidecar else None
    scope: str | None = None
    walked = walk(root_s)
    found_above: Finding | None = None
    if use_sidecar and sc_path is None:
        above, untrusted = sidecar_above(root_s)
        walked.findings.extend(untrusted)
        if above is not None:
            # The deposition root is the sidecar's folder: names (datasets, samples, file paths)
            # are relative to it, so the sidecar's dataset and sample names apply here too.
            base = os.path.dirname(above)
            scope = os.path.relpath(os.path.abspath(root_s), base).replace(os.sep, "/")
            walked.entries = [
                dataclasses.replace(e, rel=f"{scope}/{e.rel}") for e in walked.entries
            ]
            root_s = os.path.relpath(base) if not os.path.isabs(root_s) else base
            sc_path = above
            found_above = Finding.make(
                "sidecar.found_above",
                Severity.INFO,
                f"using the sidecar {above} found in a parent folder: {scope} is scanned as part "
                f"of the deposition rooted at {base}, and its names are relative to that root",
                path=above,
            )
    sc = load_sidecar(sc_path) if sc_path is not None else None
    profile = _facility(facility, sc)
    findings: list[Finding] = list(walked.findings)
    if found_above is not None:
        findings.append(found_above)
    sc_abs = os.path.abspath(sc_path) if sc_path else None
    inert = frozenset(
        e.rel
        for e in walked.entries
        if (sc_abs is not None and os.path.abspath(e.path) == sc_abs) or e.rel == SIDECAR_NAME
    )
    ctx = UnitContext(
        root=root_s,
        sidecar=sc,
        profile=profile,
        inert=inert,
        keep_models=keep_models,
        keep_records=keep_records,
        then=then,
    )
    together = [(p[0], p[1]) for p in sc.pairs] if sc is not None and sc.pairs else []
    units = split_units(
        walked.entries, base=f"{scope}/" if scope else "", inert=inert, together=together
    )
    return _Plan(ctx, scope, sc_path, findings, units)


def _merge(plan: _Plan, parts: list[UnitResult]) -> ScanResult:
    """The driver's share: concatenate the units' results in walk order, pair, tree-wide findings.

    Each category of finding is concatenated in unit order, so the list is the one a single pass
    over the whole tree gives (units are contiguous runs of the walk).
    """
    ctx, scope, sc_path, findings = plan.ctx, plan.scope, plan.sidecar, list(plan.findings)
    root_s, sc, profile = ctx.root, ctx.sidecar, ctx.profile
    for attr in ("read_findings", "guessed_findings", "group_findings"):
        for part in parts:
            findings.extend(getattr(part, attr))
    order = sorted(
        ((key, i, j) for i, part in enumerate(parts) for j, key in enumerate(part.keys)),
    )
    datasets = [parts[i].datasets[j] for _k, i, j in order]
    records = [parts[i].records[j] for _k, i, j in order if parts[i].records]
    groups = [Group(d.name, d.kind, d.folder, d.primary, None) for d in datasets]
    samples, sample_of = assign_samples(groups, root_s)
    if sc is not None:
        findings.extend(sc.findings)
        findings.extend(_unknown_targets(sc, groups, {s.name for s in samples}, scope))
    pairs, pfind = _pairs(sc, scope, groups, sample_of)
    findings.extend(pfind)
    for part in parts:
        findings.extend(part.orphan_findings)
    given = {k: v for part in parts for k, v in part.release.items()}
    release = {d.name: given[d.name] for d in datasets if d.name in given}
    models: dict[str, FormatModel] = {}
    for part in parts:
        models.update(part.models)
    return ScanResult(
        root=root_s,
        scope=scope,
        sidecar=sc_path,
        facility=profile.name if profile is not None else None,
        files=[f for part in parts for f in part.files],
        datasets=datasets,
        samples=samples,
        pairs=pairs,
        records=records,
        findings=findings,
        release_instructions=release,
        models=models,
    )


@dataclass(frozen=True)
class UnitContext:
    """What every unit of a scan needs besides its files.

    Loaded once by the driver and sent with each task (a sidecar and a profile are a few KiB
    pickled).
    """

    root: str
    sidecar: Sidecar | None = None
    profile: FacilityProfile | None = None
    inert: frozenset[str] = frozenset()
    """Relative paths of the sidecar: listed, never read."""
    keep_models: bool = True
    """Return each file's format model (``ScanResult.models``); a streaming consumer that only
    needs the records sets it false, so models never travel back from a worker."""
    keep_records: bool = True
    """Return each dataset's record (`UnitResult.records`); a streaming consumer whose ``then``
    made everything it needs from them in the worker sets it false, so records never travel back
    either (the units' files, datasets and findings still do)."""
    then: Callable[[ScanResult], Any] | None = None
    """Run in the worker on the unit's partial `ScanResult` (its files, datasets, samples,
    records, models and pairs: a sample and a pair lie inside one unit; no tree-wide findings,
    no ``scope``); its return value
    travels back as `UnitResult.extra`. A module-level function for a process or cluster
    executor."""


@dataclass
class UnitResult:
    """One unit's share of a scan, made in a worker: everything but pairs and tree-wide findings.

    Findings are kept by category so that the driver can concatenate each category in unit order
    and give the list a single pass gives.
    """

    files: list[ScannedFile] = field(default_factory=list)
    datasets: list[DatasetInfo] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    keys: list[tuple[str, str]] = field(default_factory=list)
    """Each dataset's order key: (name before de-duplication, kind)."""
    release: dict[str, str] = field(default_factory=dict)
    models: dict[str, FormatModel] = field(default_factory=dict)
    read_findings: list[Finding] = field(default_factory=list)
    guessed_findings: list[Finding] = field(default_factory=list)
    group_findings: list[Finding] = field(default_factory=list)
    orphan_findings: list[Finding] = field(default_factory=list)
    extra: Any = None
    """What `UnitContext.then` returned."""


def _pairs(
    sc: Sidecar | None, scope: str | None, groups: list[Group], sample_of: dict[str, str]
) -> tuple[list[Pair], list[Finding]]:
    explicit = sc.pairs if sc is not None else None
    if explicit is not None and scope is not None:
        explicit = [p for p in explicit if _in_scope(p[0], scope) and _in_scope(p[1], scope)]
    pairs, pfind = pair_datasets(groups, sample_of, explicit)
    if scope is not None:  # a partner may well be outside the scanned sub-folder: say so
        pfind = [
            f.model_copy(
                update={"message": f"{f.message} within {scope} (only this folder was scanned)"}
            )
            if f.code == "dataset.unpaired"
            else f
            for f in pfind
        ]
    return pairs, pfind


def scan_unit(ctx: UnitContext, entries: list[WalkEntry]) -> UnitResult:
    """Read, classify, group and normalise one unit (`clxm_meta.dataset.units`).

    The serial scan and every executor run this same function, so the result does not depend on
    what executes it. The cyclic garbage collector is paused while it runs
    (`clxm_meta.gcpause`).
    """
    with gc_paused():
        return _scan_unit(ctx, entries)


def _scan_unit(ctx: UnitContext, entries: list[WalkEntry]) -> UnitResult:
    root_s, sc, profile = ctx.root, ctx.sidecar, ctx.profile
    out = UnitResult()
    by_rel: dict[str, WalkEntry] = {}
    roles: dict[str, FileRole] = {}
    models: dict[str, FormatModel] = {}
    file_findings: dict[str, list[Finding]] = {}
    for e in entries:
        by_rel[e.rel] = e
        if e.rel in ctx.inert:
            roles[e.rel] = FileRole(e.rel, None, "sidecar", "depositor sidecar")
            continue
        fmt, model, ff = _read_one(e)
        if model is not None:
            models[e.rel] = model
            ff = [*ff, *model.findings]
        c = classify_file(e.rel, fmt, model)
        reason = c.reason
        if c.role == "unknown" and ff:
            reason = ff[0].message  # what it looks like: the left-out reason says so
        roles[e.rel] = FileRole(e.rel, fmt, c.role, reason, c.guessed)
        file_findings[e.rel] = ff
        if model is None:
            out.read_findings.extend(ff)
    adjust_roles(list(roles.values()))
    for guess in roles.values():
        if guess.guessed:
            out.guessed_findings.append(
                Finding.make(
                    "dataset.role_guessed",
                    Severity.INFO,
                    f"{posixpath.basename(guess.rel)} taken as {ROLES[guess.role][1]} "
                    f"({guess.role}) without evidence in the file: {guess.reason}; rename it or "
                    "move it if wrong",
                    path=by_rel[guess.rel].path,
                )
            )
    groups, gfind = group_files(
        list(roles.values()), root_name=os.path.basename(os.path.abspath(root_s))
    )
    out.group_findings = [
        f.model_copy(update={"path": os.path.join(root_s, f.path)}) if f.path else f for f in gfind
    ]
    unit_samples, sample_of = assign_samples(groups, root_s)
    membership: dict[str, list[tuple[str, str]]] = {}
    for g in groups:
        for rel, _role, why in g.members:
            membership.setdefault(rel, []).append((g.name, why))
    shared = {
        rel: [n for n, _w in who]
        for rel, who in membership.items()
        if len(who) > 1 and roles[rel].role != "correlation" and SHARED_MARK in who[0][1]
    }
    cand_cache: dict[str, list[Candidate]] = {}
    for g in groups:
        inputs: list[FileInput] = []
        carried: list[Finding] = []
        for rel, role, _why in g.members:
            model = models.get(rel)
            if model is not None and rel not in cand_cache:
                cands, nf = _candidates(model)
                cand_cache[rel] = cands
                file_findings[rel] = [*file_findings.get(rel, []), *nf]
            cands = cand_cache.get(rel, [])
            keep = SIDE_FILE_FIELDS.get(role)
            if keep is not None and g.primary is not None:
                cands = [c for c in cands if c.field in keep]
            if rel in shared and cands:
                carried.append(_shared_note(by_rel[rel].path, shared[rel], cands))
                cands = []
            inputs.append(FileInput(by_rel[rel].path, role, model, cands))
            carried.extend(file_findings.get(rel, []))
        unfinished = _no_volume(g, by_rel)
        if unfinished is not None:
            carried.append(unfinished)
        sample = sample_of.get(g.name)
        sc_cands = sc.candidates(g.kind, g.name, sample) if sc is not None else []
        rec = merge_dataset(
            g.kind,
            g.name,
            inputs,
            attached=[
                *_attached(g, by_rel, roles, models),
                *visit_candidates(g.kind, root_s, g.folder),
            ],
            sidecar=sc_cands,
            findings=carried,
            facility=profile.candidates(g.kind) if profile is not None else (),
        )
        out.records.append(rec)
        out.keys.append((g.sort_name or g.name, g.kind.value))
        if sc is not None:
            ri = sc.release_instruction(g.name, sample)
            if ri is not None and g.kind is DatasetKind.SXT:
                out.release[g.name] = ri[0]
        out.datasets.append(
            DatasetInfo(
                name=g.name,
                kind=g.kind,
                folder=g.folder,
                primary=g.primary,
                sample=sample,
                members=[Member(path=r, role=ro, reason=w) for r, ro, w in g.members],
                left_out=[Member(path=r, role=ro, reason=w) for r, ro, w in g.left_out],
            )
        )
    for rel, e in by_rel.items():
        fr = roles.get(rel)
        member = membership.get(rel, [])
        out.files.append(
            ScannedFile(
                path=rel,
                size=e.size,
                format=fr.format if fr else None,
                role=fr.role if fr else "unknown",
                kind=ROLES.get(fr.role, (None, ""))[0] if fr else None,
                role_reason=fr.reason if fr else None,
                dataset=", ".join(n for n, _ in member) or None,
                reason="; ".join(w for _, w in member) or None,
            )
        )
        if fr is not None and fr.role not in ("sidecar", *LEFT_OUT_ROLES) and not member:
            out.orphan_findings.append(
                Finding.make(
                    "dataset.orphan",
                    Severity.INFO,
                    f"{posixpath.basename(rel)} ({fr.role}) belongs to no dataset",
                    path=e.path,
                )
            )
    if ctx.then is not None:
        explicit = sc.pairs if sc is not None else None
        if explicit is not None:  # the pairs named in the sidecar that lie in this unit
            names = {g.name for g in groups}
            explicit = [p for p in explicit if p[0] in names and p[1] in names]
        local_pairs, _pf = pair_datasets(groups, sample_of, explicit)
        partial = ScanResult(
            root=root_s,
            sidecar=sc.path if sc is not None else None,
            facility=profile.name if profile is not None else None,
            files=out.files,
            datasets=out.datasets,
            samples=unit_samples,
            pairs=local_pairs,
            records=out.records,
            release_instructions=out.release,
            models=models,
        )
        out.extra = ctx.then(partial)
    if ctx.keep_models:
        out.models = models
    if not ctx.keep_records:
        out.records = []
    return out


def _scan_batch(ctx: UnitContext, batch: list[list[WalkEntry]]) -> list[UnitResult]:
    return [scan_unit(ctx, unit) for unit in batch]


def _scan_batch_pickled(ctx: UnitContext, batch: list[list[WalkEntry]]) -> bytes:
    """`_scan_batch` for a process or cluster executor: the results pickled in the worker.

    The executor then carries bytes (a process pool pickles them again at no cost, dask sends
    them as they are), and the driver unpickles them itself, in `_unpickled`. Pickled by
    `clxm_meta.dataset.transport` (plain pydantic models as one compact call each).

    The cyclic garbage collector stays paused for the whole task, pickling included: between
    units and while pickling, the young objects of the batch would otherwise start collections
    that also walk the worker's older heap (in a forked pool worker, every object inherited from
    the parent process, touching their pages); measured on 400 samples, those collections took
    about 0.6 s of each worker's 4.6 s.
    """
    with gc_paused():
        return transport.dumps(_scan_batch(ctx, batch))


def _unpickled(blob: bytes) -> list[UnitResult]:
    """A batch's results, unpickled with the cyclic garbage collector paused (`transport.loads`)."""
    results: list[UnitResult] = transport.loads(blob)
    return results


def _batches(
    units: list[list[WalkEntry]], workers: int | None = None
) -> list[list[list[WalkEntry]]]:
    """Consecutive units joined into tasks of at least `SCAN_BATCH` files.

    With ``workers`` (the executor's width), tasks grow so that there are about
    `TASKS_PER_WORKER` per worker: the tree's files divided evenly, never fewer than
    `SCAN_BATCH` a task, nor more than `TASK_FILES_MAX` (unless one unit is larger). The files
    of the last ``workers`` tasks are cut into tasks a quarter that size (`TAIL_SPLIT`), run
    last: the workers then finish within a small task of each other, where a worker could wait
    up to a whole task for the other one at the end, and the driver's share after the last
    result (unpickling it, merging, the caller's use) starts on a smaller result.
    """
    least = SCAN_BATCH
    tail_from = tail_least = 0
    total = sum(len(unit) for unit in units)
    if workers:
        least = max(least, min(TASK_FILES_MAX, -(-total // (workers * TASKS_PER_WORKER))))
        tail_least = max(SCAN_BATCH, least // TAIL_SPLIT)
        tail_from = total - workers * least if tail_least < least else 0
    out: list[list[list[WalkEntry]]] = []
    size = least
    done = 0
    for unit in units:
        goal = tail_least if tail_least and done >= tail_from else least
        if size >= goal:
            out.append([])
            size = 0
        out[-1].append(unit)
        size += len(unit)
        done += len(unit)
    return out


TAIL_SPLIT = 4
"""How much smaller than the others the tasks of a scan's last ``workers`` tasks' files are."""


def _run_units(
    ctx: UnitContext, units: list[list[WalkEntry]], executor: Executor | None
) -> Iterator[UnitResult]:
    """Each unit's result, in unit (walk) order, whatever the executor."""
    if executor is None:
        return (scan_unit(ctx, unit) for unit in units)
    from concurrent.futures import ThreadPoolExecutor

    batches = _batches(units, executors.width(executor))
    if isinstance(executor, ThreadPoolExecutor):  # shares this heap: nothing to pickle
        return itertools.chain.from_iterable(
            executors.ordered(executor, functools.partial(_scan_batch, ctx), batches)
        )
    blobs = executors.ordered(executor, functools.partial(_scan_batch_pickled, ctx), batches)
    return itertools.chain.from_iterable(_unpickled(blob) for blob in blobs)


class ScanStream:
    """A scan delivered unit by unit (`scan_units`): iterate it once, then ask for `result`.

    Each `UnitResult` is handed over as soon as its unit is done (in walk order) and not kept:
    the stream keeps only what the tree-wide part needs (every file's entry and every dataset's
    description, a few hundred bytes each), so memory does not grow with the records of the
    archive.
    """

    def __init__(self, plan: _Plan, executor: Executor | None) -> None:
        self._plan = plan
        self._executor = executor
        self._slim: list[UnitResult] | None = None
        self.units = len(plan.units)
        """How many units the tree was cut into."""

    @property
    def root(self) -> str:
        """The deposition root (a folder above the one given when a sidecar was found there)."""
        return self._plan.ctx.root

    @property
    def sidecar(self) -> str | None:
        """The sidecar used, if any."""
        return self._plan.sidecar

    def early_findings(self) -> list[Finding]:
        """The findings known before any file is read: the walk's and the sidecar's own."""
        sc = self._plan.ctx.sidecar
        return [*self._plan.findings, *(sc.findings if sc is not None else [])]

    def __iter__(self) -> Iterator[UnitResult]:
        if self._slim is not None:
            raise RuntimeError("a ScanStream is iterated once")
        self._slim = []
        for part in _run_units(self._plan.ctx, self._plan.units, self._executor):
            yield part
            self._slim.append(dataclasses.replace(part, records=[], models={}, extra=None))

    def result(self) -> ScanResult:
        """The tree: files, datasets, samples, pairs, tree-wide findings; no records or models.

        The records (and their findings) were in the units; ``findings`` here are the scan's own
        (walk, sidecar, grouping, pairing, unreadable files), as in `ScanResult.findings`.
        """
        if self._slim is None:
            raise RuntimeError("iterate the ScanStream before asking for its result")
        return _merge(self._plan, self._slim)


def scan_units(
    root: str | os.PathLike[str],
    *,
    sidecar: str | os.PathLike[str] | None = None,
    use_sidecar: bool = True,
    executor: Executor | None = None,
    facility: str | None = None,
    keep_models: bool = False,
    keep_records: bool = True,
    then: Callable[[ScanResult], Any] | None = None,
) -> ScanStream:
    """Scan a deposition tree as a stream of units (samples), for archives too big to hold whole.

    The same walk, units and per-unit work as `scan` (whose result is the stream's units merged);
    the parameters are `scan`'s, and:

    keep_models
        Send each file's format model back with its unit (default: no; they are the bulk of what
        a worker returns).
    keep_records
        Send each dataset's record back with its unit (default: yes). With ``then`` making in
        the worker all that is needed from the records, false spares their transport: the
        ``check --format jsonl`` and ``deposit`` commands do so (a unit's records pickled and
        unpickled cost about ten times its JSON lines).
    then
        A module-level function run in the worker on each unit's partial `ScanResult` (with its
        models, records and pairs, whatever ``keep_models`` and ``keep_records`` say); what it
        returns comes back as `UnitResult.extra`: checks or documents made where the files were
        read.
    """
    plan = _prepare(
        root,
        sidecar,
        use_sidecar,
        facility,
        keep_models=keep_models,
        keep_records=keep_records,
        then=then,
    )
    return ScanStream(plan, executor)
