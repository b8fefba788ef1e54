"""What a BioStudies document is built from: the SIM record, its SXT partner's, the sidecar's facts.

One `Sources` class is shared by the PageTab builders (`pagetab.BuilderV4`, `pagetab_v5.BuilderV5`)
and the BIA RO-Crate (`rocrate`): the Table 1 values of the SIM dataset worded as the PageTab
words them (`describe.one_line`, `REMBI_MAPPING`), the ``biostudies:`` block of the sidecar, the
list of required values none of them gives (`MissingField`, named by the subclass's `document`),
and the texts both documents write the same way (specimen preparation, correlation, the Study
Component's description). `sidecar_key` is also what the SIM spreadsheet names.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from clxm_meta.export.base import MissingField, Supplier
from clxm_meta.export.biostudies.describe import one_line
from clxm_meta.export.biostudies.filelist import dataset_info, role_text
from clxm_meta.export.biostudies.rembi import REMBI_MAPPING, SHORT_LABELS
from clxm_meta.records.fields import DatasetKind, field_spec
from clxm_meta.records.models import Record
from clxm_meta.records.rows import rows
from clxm_meta.records.scan import ScanResult
from clxm_meta.records.value import Value
from clxm_meta.records.values import Person
from clxm_meta.sidecar.biostudies import BiostudiesInfo, load_biostudies
from clxm_meta.sidecar.template import ALL_ROWS, SAMPLE_ROWS

__all__ = ["TRANSFORM_WHERE", "Sources", "ncbi_taxon_digits", "person_roles", "sidecar_key"]

TRANSFORM_WHERE = (
    "a correlation transform file (4×4 matrix text or eC-CLEM XML) in the sample folder"
)
"""Where a missing correlation transform comes from (the `MissingField` ``where``)."""


def sidecar_key(field_id: str, dataset: str, sample: str | None) -> str:
    """The sidecar key that gives Table 1 row ``field_id`` of ``dataset``."""
    if field_id in ALL_ROWS:
        return f"all.{field_id}"
    if field_id in SAMPLE_ROWS and sample:
        return f"samples.{sample}.{field_id}"
    return f"datasets.{dataset}.{field_id}"


def ncbi_taxon_digits(taxon: str) -> str:
    """The number of an NCBI taxon written ``9606``, ``txid9606`` or ``NCBI:txid9606``."""
    return taxon.rsplit("txid", 1)[-1].rsplit(":", 1)[-1]


def person_roles(person: Person, role: str | None) -> list[str]:
    """A person's roles, each once.

    ``role`` (their own, as the document words it), then ``corresponding author`` and
    ``principal investigator`` when they are.
    """
    roles = [role] if role else []
    if person.corresponding_author:
        roles.append("corresponding author")
    if person.principal_investigator:
        roles.append("principal investigator")
    return list(dict.fromkeys(roles))


_BLOCKS: dict[str, tuple[object, BiostudiesInfo]] = {}
_BLOCKS_KEPT = 4


def _biostudies(path: str | None) -> BiostudiesInfo:
    """`load_biostudies` of ``path``, made once per parse of the sidecar (never modified here).

    The sidecar of an archive names every dataset; mapping the lines of its whole YAML tree again
    for each document of each unit made building quadratic (issue 21). `load_file` re-parses a
    sidecar whose content changed, which makes a new entry here.
    """
    if path is None:
        return load_biostudies(None)
    from clxm_meta.sidecar.safe_yaml import load_file

    parsed = load_file(path)
    hit = _BLOCKS.get(path)
    if hit is not None and hit[0] is parsed:
        return hit[1]
    info = load_biostudies(path)
    _BLOCKS.pop(path, None)
    while len(_BLOCKS) >= _BLOCKS_KEPT:
        _BLOCKS.pop(next(iter(_BLOCKS)))
    _BLOCKS[path] = (parsed, info)
    return info


class Sources:
    """The records and sidecar one SIM study is built from, and the values they lack.

    Raises `KeyError` (a dataset not in the scan) or `ValueError` (``sim`` not a SIM dataset,
    ``sxt`` not an SXT dataset) when made.
    """

    document: ClassVar[str]
    """The document named by this builder's `MissingField` entries."""

    def __init__(self, result: ScanResult, sim: str, sxt: str | None) -> None:
        self.info = dataset_info(result, sim)
        if self.info.kind is not DatasetKind.SIM:
            raise ValueError(f"dataset {sim!r} is a {self.info.kind} dataset, not SIM")
        self.result = result
        self.root = result.root
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
        self.bs: BiostudiesInfo = _biostudies(result.sidecar)
        self.missing: list[MissingField] = []

    # --- missing values -------------------------------------------------------------------------

    def miss(self, key: str, label: str, who: Supplier, where: str, fid: str | None = None) -> None:
        """Record a required value the document lacks."""
        self.missing.append(MissingField(self.document, key, label, who, where, fid))

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

    # --- values ---------------------------------------------------------------------------------

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

    def person_where(self, i: int) -> str:
        """Where person ``i`` of ``general.people`` is given (a sidecar key)."""
        return f"sidecar key {sidecar_key('general.people', self.sim, self.sample)}[{i}]"

    def relative(self, path: str | None) -> str | None:
        """``path`` as uploaded (relative to the deposition root) when it is under the root."""
        if path is None:
            return None
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(self.root))
        return path if rel.startswith("..") else rel.replace(os.sep, "/")

    def accessions(self) -> list[str]:
        """Related entries to link (each document says which)."""
        raise NotImplementedError

    # --- texts both documents write -------------------------------------------------------------

    def preparation(self, key: str) -> str | None:
        """The specimen preparation: the sidecar's protocol, carrier, fluorophores.

        A missing protocol is listed under ``key``.
        """
        prep = self.bs.get("sample_preparation")
        if not prep:
            self.miss_bs(key, "Sample preparation protocol", "sample_preparation")
        parts = [prep] if prep else []
        for fid, label in (
            ("sample.carrier", "Sample carrier"),
            ("sample.fluorophores", "Fluorophores"),
        ):
            text = self.text(fid)
            if text:
                parts.append(f"{label}: {text}")
        return "\n".join(parts) or None

    def transform(self) -> Value[Any] | None:
        """The correlation transform: the SIM record's, else the SXT partner's."""
        rec = self.record if self.record.get("correlation.transform") else self.sxt_record
        return rec.get("correlation.transform") if rec is not None else None

    def alignment(self, slot: Value[Any] | None, keys: tuple[str, str]) -> tuple[str, str] | None:
        """How SIM and SXT were aligned and the matrix, from transform ``slot``.

        Without a transform both are listed missing, under ``keys`` (alignment, matrix).
        """
        if slot is None:
            self.miss(
                keys[0],
                "How SIM and SXT were aligned (correlation software output)",
                "file",
                TRANSFORM_WHERE,
                "correlation.transform",
            )
            self.miss(
                keys[1],
                "SIM ↔ SXT transformation matrix",
                "file",
                TRANSFORM_WHERE,
                "correlation.transform",
            )
            return None
        origin = slot.source
        how = [f"Transform read from {self.relative(origin.path) or 'a file'}"]
        if origin.reader:
            how.append(f"({origin.reader} reader)")
        if origin.transform:
            how.append(f"; {origin.transform}")
        descriptions = {t.description for t in slot.value if t.description}
        if descriptions:
            how.append("; " + "; ".join(sorted(descriptions)))
        matrix = one_line("correlation.transform", slot.model_dump(mode="json")["value"])
        return " ".join(how).replace(" ;", ";"), matrix

    def fiducials(self, key: str) -> str | None:
        """The fiducials: the SIM record's, else the SXT partner's (missing: listed under ``key``)."""
        text = self.text("sample.fiducials")
        if text is None and self.sxt_record is not None:
            slot = self.sxt_record.get("sample.fiducials")
            text = slot.value if slot is not None else None
        if not text:
            self.miss_row(key, "sample.fiducials")
        return text

    def component_description(self) -> str:
        """What the Study Component holds: the SIM files' roles, the SXT partner and its entry."""
        roles = sorted({role_text(m.role) for m in self.info.members})
        desc = f"Cryo-SIM dataset {self.sim}: {', '.join(roles)}."
        if self.sxt:
            empiar = [a for a in self.accessions() if a.startswith("EMPIAR")]
            desc += f" Correlative cryo-SXT dataset: {self.sxt}"
            desc += f" ({', '.join(empiar)})." if empiar else " (deposited to EMPIAR)."
        return desc
