"""`Sidecar.candidates`: the most specific entry per row, found without a pass over every entry.

The scan asks the sidecar once per dataset; a pass over all the sidecar's entries each time grew
with the square of the archive (a 1,000-dataset sidecar holds thousands of entries). The choice
must stay the one a single pass in entry order makes: dataset over sample over ``all``, the first
given on a tie.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from clxm_meta.records.fields import DatasetKind
from clxm_meta.sidecar.load import SCOPE_RANK, Entry, Sidecar


class _CountingList(list[Entry]):
    """A list that counts the passes made over it."""

    passes = 0

    def __iter__(self) -> Iterator[Entry]:
        type(self).passes += 1
        return super().__iter__()


def _reference(sc: Sidecar, kind: DatasetKind, dataset: str, sample: str | None) -> list[Any]:
    """The choice as one pass over every entry in order makes it (the code before the index)."""
    from clxm_meta.records.fields import field_spec

    best: dict[str, Entry] = {}
    for e in list.__iter__(sc.entries):
        applies = (
            e.scope == "all"
            or (e.scope == "sample" and e.target == sample)
            or (e.scope == "dataset" and e.target == dataset)
        )
        if not applies:
            continue
        try:
            field_spec(kind, e.field)
        except KeyError:
            continue
        cur = best.get(e.field)
        if cur is None or SCOPE_RANK[e.scope] > SCOPE_RANK[cur.scope]:
            best[e.field] = e
    return [(fid, e.value, f"{e.key} (line {e.line})") for fid, e in sorted(best.items())]


def _sidecar(n_samples: int) -> Sidecar:
    entries: list[Entry] = [
        Entry("all", None, "general.title", "top", 1, "all.general.title"),
        Entry("all", None, "general.title", "top again", 2, "all.general.title#2"),
        Entry("all", None, "sample.carrier", "Homo sapiens", 3, "all.sample.carrier"),
        Entry("all", None, "setup.zone_plate", "25 nm", 4, "all.setup.zone_plate"),
        Entry("all", None, "no.such_row", "x", 5, "all.no.such_row"),
    ]
    line = 10
    for i in range(n_samples):
        s = f"s{i}"
        for ds in (f"{s}/SIM/cell", f"{s}/SXT/ts"):
            # a dataset entry given before the sample's: it still wins
            entries.append(Entry("dataset", ds, "general.title", f"t {ds}", line, f"d.{ds}"))
            entries.append(Entry("dataset", ds, "general.title", f"t2 {ds}", line + 1, f"d2.{ds}"))
            line += 2
        entries.append(Entry("sample", s, "general.title", f"sample {s}", line, f"s.{s}.title"))
        entries.append(Entry("sample", s, "sample.carrier", f"org {s}", line + 1, f"s.{s}.org"))
        line += 2
    entries.append(Entry("sample", None, "sample.fiducials", "no target", line, "s.none.strain"))
    return Sidecar(path="clxm.yaml", entries=entries)


def test_same_choice_as_one_pass_over_every_entry() -> None:
    sc = _sidecar(5)
    for kind in DatasetKind:
        for ds, sample in [
            ("s0/SIM/cell", "s0"),
            ("s3/SXT/ts", "s3"),
            ("s3/SXT/ts", "s1"),  # a dataset under another sample's entries
            ("elsewhere", None),
            ("elsewhere", "s4"),
        ]:
            got = [(c.field, c.value, c.source.locator) for c in sc.candidates(kind, ds, sample)]
            want = _reference(sc, kind, ds, sample)
            assert got == want, (kind, ds, sample)
    titles = {c.field: c.value for c in sc.candidates(DatasetKind.SIM, "s2/SIM/cell", "s2")}
    assert titles["general.title"] == "t s2/SIM/cell"  # dataset > sample > all; first on a tie
    assert titles["sample.carrier"] == "org s2"


def test_entries_are_passed_over_once_not_once_per_dataset() -> None:
    """The regression: 200 datasets made 200 passes over every entry of the sidecar."""
    sc = _sidecar(100)
    sc.entries = _CountingList(sc.entries)
    _CountingList.passes = 0
    for i in range(100):
        sc.candidates(DatasetKind.SIM, f"s{i}/SIM/cell", f"s{i}")
        sc.candidates(DatasetKind.SXT, f"s{i}/SXT/ts", f"s{i}")
    assert _CountingList.passes == 1


def test_entries_added_or_replaced_later_are_seen() -> None:
    sc = _sidecar(2)
    assert sc.candidates(DatasetKind.SIM, "s0/SIM/cell", "s0")
    sc.entries.append(Entry("dataset", "new/SIM/a", "general.title", "late", 99, "d.late"))
    got = {c.field: c.value for c in sc.candidates(DatasetKind.SIM, "new/SIM/a", None)}
    assert got["general.title"] == "late"
    sc.entries = [Entry("all", None, "general.title", "only", 1, "all.general.title")]
    got = {c.field: c.value for c in sc.candidates(DatasetKind.SIM, "s0/SIM/cell", "s0")}
    assert got == {"general.title": "only"}


def test_a_sidecar_with_its_index_still_pickles_and_compares_equal() -> None:
    import pickle

    sc = _sidecar(3)
    before = sc.candidates(DatasetKind.SXT, "s1/SXT/ts", "s1")
    copy = pickle.loads(pickle.dumps(sc))
    assert copy == sc
    assert copy.candidates(DatasetKind.SXT, "s1/SXT/ts", "s1") == before
