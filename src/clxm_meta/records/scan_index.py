"""Lookups over a `ScanResult`, built once per result instead of once per dataset.

The exporters ask, for every dataset, for "the dataset called X", "the size and format of file
Y", "the pair whose SXT dataset is Z", "the files shared by several datasets", "the record of
dataset W". Answered by
scanning ``result.files`` / ``result.datasets`` each time, a deposit cost grew with the square of
the archive (issue 21). `scan_index(result)` builds the dictionaries once and keeps them for the
last few results; it is rebuilt when one of the result's lists is replaced or changes length.
Each lookup answers exactly as the linear search it replaces did (the first dataset, sample or
pair of a name; the last file record of a path, as a dict built from the list would).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clxm_meta.records.models import Record
    from clxm_meta.records.scan import DatasetInfo, Pair, SampleInfo, ScannedFile, ScanResult

__all__ = ["ScanIndex", "scan_index"]


class ScanIndex:
    """Dictionaries over one scan's files, datasets, samples and pairs."""

    def __init__(self, result: ScanResult) -> None:
        self.files: dict[str, ScannedFile] = {f.path: f for f in result.files}
        self.datasets: dict[str, DatasetInfo] = {}
        self.position: dict[str, int] = {}
        for i, d in enumerate(result.datasets):
            self.datasets.setdefault(d.name, d)
            self.position.setdefault(d.name, i)
        self.samples: dict[str, SampleInfo] = {}
        for s in result.samples:
            self.samples.setdefault(s.name, s)
        self.pair_by_sxt: dict[str, Pair] = {}
        for p in result.pairs:
            self.pair_by_sxt.setdefault(p.sxt, p)
        self.correlation: list[ScannedFile] = [f for f in result.files if f.role == "correlation"]
        self.records: dict[str, Record] = {}
        for r in result.records:
            self.records.setdefault(r.name, r)
        self._result = result
        self._shared: dict[str, list[str]] | None = None

    def shared_members(self, mark: str) -> dict[str, list[str]]:
        """`clxm_meta.checks.carriers.shared_members` of the result, computed once."""
        if self._shared is None:
            out: dict[str, list[str]] = {}
            for d in self._result.datasets:
                for m in d.members:
                    if m.role != "correlation" and mark in m.reason:
                        out.setdefault(m.path, []).append(d.name)
            self._shared = {p: names for p, names in out.items() if len(names) > 1}
        return self._shared


_CACHE: dict[int, tuple[tuple[int, ...], ScanIndex]] = {}
_KEEP = 2
_LOCK = threading.Lock()


def _key(result: ScanResult) -> tuple[int, ...]:
    lists = (result.files, result.datasets, result.samples, result.pairs, result.records)
    return tuple(x for lst in lists for x in (id(lst), len(lst)))


def scan_index(result: ScanResult) -> ScanIndex:
    """The `ScanIndex` of ``result`` (built on first use, reused while its lists are unchanged)."""
    key = _key(result)
    with _LOCK:
        hit = _CACHE.get(id(result))
        if hit is not None and hit[0] == key and hit[1]._result is result:
            return hit[1]
    index = ScanIndex(result)
    with _LOCK:
        _CACHE.pop(id(result), None)
        while len(_CACHE) >= _KEEP:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[id(result)] = (key, index)
    return index
