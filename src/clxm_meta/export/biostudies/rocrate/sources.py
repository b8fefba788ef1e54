"""What a BIA RO-Crate is built from: the SIM record, its SXT partner's, the sidecar's study facts.

`Sources` is shared by the modules that write the crate's entities (`study`, `rembi`, `files`):
the Table 1 values of the SIM dataset worded as the PageTab words them (`describe.one_line`,
`REMBI_MAPPING`), the ``biostudies:`` block of the sidecar, and the list of required values none
of them gives (`MissingField`, document ``BIA RO-Crate``).
"""

from __future__ import annotations

import os

from clxm_meta.export.base import MissingField, Supplier
from clxm_meta.export.biostudies.describe import one_line
from clxm_meta.export.biostudies.filelist import dataset_info
from clxm_meta.export.biostudies.rembi import REMBI_MAPPING, SHORT_LABELS
from clxm_meta.records.fields import DatasetKind, field_spec
from clxm_meta.records.models import Record
from clxm_meta.records.rows import rows
from clxm_meta.records.scan import ScanResult
from clxm_meta.sidecar.biostudies import BiostudiesInfo, load_biostudies
from clxm_meta.sidecar.template import ALL_ROWS, SAMPLE_ROWS

__all__ = ["DOCUMENT", "Sources", "sidecar_key"]

DOCUMENT = "BIA RO-Crate"
"""The document named by the crate's `MissingField` entries."""


def sidecar_key(field_id: str, dataset: str, sample: str | None) -> str:
    """The sidecar key that gives Table 1 row ``field_id`` of ``dataset``."""
    if field_id in ALL_ROWS:
        return f"all.{field_id}"
    if field_id in SAMPLE_ROWS and sample:
        return f"samples.{sample}.{field_id}"
    return f"datasets.{dataset}.{field_id}"


class Sources:
    """The records and sidecar one SIM study is built from, and the values they lack.

    Raises `KeyError` (a dataset not in the scan) or `ValueError` (``sim`` not a SIM dataset,
    ``sxt`` not an SXT dataset) when made.
    """

    def __init__(self, result: ScanResult, sim: str, sxt: str | None) -> None:
        self.info = dataset_info(result, sim)
        if self.info.kind is not DatasetKind.SIM:
            raise ValueError(f"dataset {sim!r} is a {self.info.kind} dataset, not SIM")
        self.result = result
        self.sim = sim
        self.sxt = sxt
        self.sample: str | None = self.info.sample
        self.record: Record = result.record(sim)
        self.sxt_record: Record | None = None
        if sxt is not None:
            if dataset_info(result, sxt).kind is not DatasetKind.SXT:
                raise ValueError(f"dataset {sxt!r} is not an SXT dataset")
            self.sxt_record = result.record(sxt)
        self.values = {r.id: (r.value, r.unit) for r in rows(self.record, filled_only=True)}
        self.bs: BiostudiesInfo = load_biostudies(result.sidecar)
        self.missing: list[MissingField] = []

    def miss(self, key: str, label: str, who: Supplier, where: str, fid: str | None = None) -> None:
        """Record a required value the crate lacks."""
        self.missing.append(MissingField(DOCUMENT, key, label, who, where, fid))

    def miss_row(self, key: str, fid: str) -> None:
        """Table 1 row ``fid`` is missing: who gives it and under which sidecar key."""
        spec = field_spec(DatasetKind.SIM, fid)
        who: Supplier = "facility" if spec.origin.startswith("facility") else "depositor"
        if spec.origin == "file":
            who = "file"
        where = f"sidecar key {sidecar_key(fid, self.sim, self.sample)}"
        self.miss(key, spec.label, who, where, fid)

    def miss_bs(self, key: str, label: str, bs_key: str) -> None:
        """A value of the sidecar's ``biostudies:`` block is missing."""
        self.miss(key, label, "depositor", f"sidecar key biostudies.{bs_key}")

    def text(self, fid: str) -> str | None:
        """Table 1 row ``fid`` on one line, as the PageTab words it (``None`` when empty)."""
        hit = self.values.get(fid)
        if hit is None:
            return None
        return one_line(fid, hit[0], hit[1]) or None

    def mapped(self, section: str, attribute: str) -> str | None:
        """One ``Label: value`` line per filled field that `REMBI_MAPPING` sends there."""
        lines = []
        for fid, target in REMBI_MAPPING.items():
            if (target.section, target.attribute) != (section, attribute):
                continue
            text = self.text(fid)
            if text:
                label = SHORT_LABELS.get(fid, field_spec(DatasetKind.SIM, fid).label)
                lines.append(f"{label}: {text}")
        return "\n".join(lines) or None

    def relative(self, path: str | None) -> str | None:
        """``path`` as uploaded (relative to the deposition root) when it is under the root."""
        if path is None:
            return None
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(self.result.root))
        return path if rel.startswith("..") else rel.replace(os.sep, "/")

    def accessions(self) -> list[str]:
        """Related entries: the SIM record's, and the partner's EMPIAR entries.

        The SXT record's BioStudies accessions are left out: after README step 2 they hold this
        study's own S-BIAD accession, and a study does not link to itself.
        """
        out: list[str] = []
        for rec, only_empiar in ((self.record, False), (self.sxt_record, True)):
            slot = rec.get("related.accessions") if rec is not None else None
            for acc in slot.value if slot is not None else []:
                if only_empiar and not acc.startswith("EMPIAR"):
                    continue
                if acc not in out:
                    out.append(acc)
        return out
