"""Split a walked tree into units of work: sub-trees whose datasets can be built independently.

What one dataset's grouping depends on (`clxm_meta.dataset.group`, `adjust_roles`): the files of
its own folder, of the folders above it (a file joins the nearest dataset above its folder, a
correlation file or a picture the datasets below it) and of the folders below it. A folder that
holds no file directly can therefore be cut: a file in one of its sub-trees never joins a dataset
of a sibling sub-tree, since the only way between them passes through a folder without files (no
dataset there, nothing to attach). Cutting is applied from the scanned folder downwards, stopping
at the first folder that holds a file: that folder's whole sub-tree is one unit (in the usual
layout, a sample folder with its ``SIM``/``SXT`` folders and a transform file beside them). A tree
with files directly in its root (other than the sidecar) is one unit: a picture or a correlation
file there belongs to every dataset below it.

Pairs are made within a sample (`clxm_meta.dataset.pairing`) or named by the sidecar: so that
every pair lies inside one unit (the per-unit checks and documents of a pair need both datasets),
`split_units` then joins the units of one sample (a folder named after a modality in a unit's
path makes the folder above it the sample of every dataset in the unit: ``sample1/SIM/cell1``
and ``sample1/SXT/ts1`` are one unit) and every run of units between the two sides of a pair
the sidecar names.

The walk lists files sorted by relative path, so every sub-tree is a contiguous run of entries and
the units, in order, are the walk order again.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from clxm_meta.dataset.pairing import _is_modality
from clxm_meta.dataset.walk import WalkEntry

__all__ = ["split_units"]


def _child(rel: str, prefix: str) -> str | None:
    """The first path component of ``rel`` below ``prefix`` when it is a folder, else ``None``."""
    rest = rel[len(prefix) :]
    head, sep, _tail = rest.partition("/")
    return head if sep else None


def split_units(
    entries: list[WalkEntry],
    *,
    base: str = "",
    inert: frozenset[str] = frozenset(),
    together: Iterable[tuple[str, str]] = (),
) -> list[list[WalkEntry]]:
    """Cut ``entries`` (walk order) into independent units, in walk order.

    Parameters
    ----------
    entries
        The files to read, sorted by relative path (as the walk gives them).
    base
        The scanned folder relative to the deposition root followed by ``/`` (``""`` for the root
        itself): every ``rel`` starts with it.
    inert
        Relative paths of files that join no dataset (the sidecar): they do not keep a folder
        whole, and travel with the unit they sort into.
    together
        Pairs of dataset names that must end in one unit (the sidecar's ``pairs:``).
    """
    cut: list[tuple[str, list[WalkEntry]]] = []
    _split(entries, base, inert, cut)
    return _join(cut, together)


def _sample_key(folder: str) -> str | None:
    """The sample of every dataset under ``folder`` when a modality folder in its path fixes it."""
    parts = folder.split("/") if folder else []
    for i, part in enumerate(parts):
        if _is_modality(part):
            return "/".join(parts[:i]) or "."
    return None


def _join(
    cut: list[tuple[str, list[WalkEntry]]], together: Iterable[tuple[str, str]]
) -> list[list[WalkEntry]]:
    reach = list(range(len(cut)))  # the last unit each unit must be joined with
    last: dict[str, int] = {}
    for i, (folder, _entries) in enumerate(cut):
        key = _sample_key(folder)
        if key is not None:
            if key in last:
                reach[last[key]] = i
            last[key] = i
    index = {folder: i for i, (folder, _e) in enumerate(cut) if folder}
    for a, b in together:
        ia, ib = _unit_of(a, index), _unit_of(b, index)
        if ia is not None and ib is not None and ia != ib:
            lo, hi = min(ia, ib), max(ia, ib)
            reach[lo] = max(reach[lo], hi)
    out: list[list[WalkEntry]] = []
    end = -1
    for i, (_folder, entries) in enumerate(cut):
        if i > end:
            out.append([])
        out[-1].extend(entries)
        end = max(end, reach[i])
    return out


def _unit_of(name: str, index: dict[str, int]) -> int | None:
    """The unit holding dataset ``name``: the unit whose folder is the name or a folder above it.

    A name is ``folder/stem``, or a folder for a dataset without a primary file.
    """
    while name:
        if name in index:
            return index[name]
        name = posixpath.dirname(name)
    return None


def _split(
    entries: list[WalkEntry],
    prefix: str,
    inert: frozenset[str],
    out: list[tuple[str, list[WalkEntry]]],
) -> None:
    """Append the units of ``entries`` (all under ``prefix``) to ``out``, in walk order.

    A stack, not recursion: a chain of a thousand nested folders must not overflow. Each item is
    a run of entries with the folder prefix to cut it at, or ``None`` for a finished unit (an
    inert file directly in a folder that is cut).
    """
    stack: list[tuple[list[WalkEntry], str | None]] = [(entries, prefix)]
    while stack:
        here, pre = stack.pop()
        if pre is None:
            out.append(("", here))
            continue
        if not here:
            continue
        if any(_child(e.rel, pre) is None and e.rel not in inert for e in here):
            out.append((pre.rstrip("/"), here))  # a file directly here: the sub-tree is whole
            continue
        runs: list[tuple[list[WalkEntry], str | None]] = []
        start = 0
        while start < len(here):
            name = _child(here[start].rel, pre)
            end = start + 1
            while end < len(here) and _child(here[end].rel, pre) == name:
                end += 1
            runs.append((here[start:end], None if name is None else f"{pre}{name}/"))
            start = end
        stack.extend(reversed(runs))  # popped in walk order
