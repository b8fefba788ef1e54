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

Samples (`clxm_meta.dataset.pairing.assign_samples`) are a pure function of a dataset's folder and
pairs are made by the driver from every unit's datasets, so a sample split over two units (a
``SIM/`` and a ``SXT/`` folder at the root) still pairs exactly as in one piece.

The walk lists files sorted by relative path, so every sub-tree is a contiguous run of entries and
the units, in order, are the walk order again.
"""

from __future__ import annotations

from clxm_meta.dataset.walk import WalkEntry

__all__ = ["split_units"]


def _child(rel: str, prefix: str) -> str | None:
    """The first path component of ``rel`` below ``prefix`` when it is a folder, else ``None``."""
    rest = rel[len(prefix) :]
    head, sep, _tail = rest.partition("/")
    return head if sep else None


def split_units(
    entries: list[WalkEntry], *, base: str = "", inert: frozenset[str] = frozenset()
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
    """
    out: list[list[WalkEntry]] = []
    _split(entries, base, inert, out)
    return out


def _split(
    entries: list[WalkEntry], prefix: str, inert: frozenset[str], out: list[list[WalkEntry]]
) -> None:
    if not entries:
        return
    if any(_child(e.rel, prefix) is None and e.rel not in inert for e in entries):
        out.append(entries)  # a file directly in this folder: the sub-tree stays whole
        return
    start = 0
    while start < len(entries):
        name = _child(entries[start].rel, prefix)
        end = start + 1
        while end < len(entries) and _child(entries[end].rel, prefix) == name:
            end += 1
        if name is None:  # an inert file directly in this folder: a unit of its own
            out.append(entries[start:end])
        else:
            _split(entries[start:end], f"{prefix}{name}/", inert, out)
        start = end
