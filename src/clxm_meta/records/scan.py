"""Typed results of a deposition-tree scan: files, datasets, samples, correlative pairs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.findings import Finding
from clxm_meta.readers.base import FormatModel
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.models import Record

__all__ = ["DatasetInfo", "Member", "Pair", "SampleInfo", "ScanResult", "ScannedFile"]


class ScannedFile(BaseModel):
    """One file found under the deposition root.

    Attributes
    ----------
    path
        Path relative to the root, with ``/`` separators (as it will be uploaded).
    size
        Size in bytes (``None`` when it could not be read).
    format
        Registry name of the detected format, ``None`` when no reader recognised the file.
    role
        What the file is in its dataset (see `clxm_meta.dataset.roles.ROLES`).
    kind
        The kind of dataset the file belongs to (``None`` for unrecognised and shared files).
    role_reason
        Why the role was chosen (reader's own role, file name, folder context).
    dataset
        Name of the dataset the file was grouped into (``None`` for none).
    reason
        Why the file belongs to that dataset.
    """

    model_config = ConfigDict(extra="forbid")

    path: str
    size: int | None = None
    format: str | None = None
    role: str = "unknown"
    kind: DatasetKind | None = None
    role_reason: str | None = None
    dataset: str | None = None
    reason: str | None = None


class Member(BaseModel):
    """A file of a dataset and why it belongs there."""

    model_config = ConfigDict(extra="forbid")

    path: str
    role: str
    reason: str


class DatasetInfo(BaseModel):
    """One dataset: the files that make one Table 1 record."""

    model_config = ConfigDict(extra="forbid")

    name: str
    """Folder path relative to the root plus the stem of the primary file, e.g. ``s1/SIM/cell1``."""
    kind: DatasetKind
    folder: str
    """Folder of the primary file, relative to the root (``.`` for the root itself)."""
    primary: str | None = None
    """The raw file that defines the dataset (raw SIM stack or tilt series), when there is one."""
    sample: str | None = None
    members: list[Member] = []
    left_out: list[Member] = []
    """Files under the dataset that are not uploaded (pipeline pictures, files no reader
    recognises), each with the reason: listed in README.txt and by ``check``, never dropped."""


class SampleInfo(BaseModel):
    """A sample (protocol step 1: each time point or state is its own sample)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    folder: str
    datasets: list[str] = []
    evidence: str


class Pair(BaseModel):
    """A correlative pair: the SIM and the SXT dataset of the same sample / area."""

    model_config = ConfigDict(extra="forbid")

    sim: str
    sxt: str
    sample: str | None = None
    evidence: str
    origin: str = "heuristic"
    """``"heuristic"`` (folder/name rules) or ``"sidecar"`` (explicit mapping)."""


class ScanResult(BaseModel):
    """Everything `clxm_meta.scan` found under one root.

    ``models`` (the format model of every readable file, keyed by relative path) is left out of
    JSON dumps: it is large and available through `clxm_meta.read` anyway.
    """

    model_config = ConfigDict(extra="forbid")

    root: str
    scope: str | None = None
    """The scanned sub-folder relative to ``root`` when the sidecar was found in a folder above the
    one asked for (``root`` is then the sidecar's folder); ``None`` when the whole root was
    scanned."""
    sidecar: str | None = None
    facility: str | None = None
    """The facility profile merged beneath the sidecar (its name), if any."""
    files: list[ScannedFile] = []
    datasets: list[DatasetInfo] = []
    samples: list[SampleInfo] = []
    pairs: list[Pair] = []
    records: list[Record] = []
    findings: list[Finding] = []
    release_instructions: dict[str, str] = {}
    """EMPIAR release instruction per SXT dataset, from the sidecar."""
    models: dict[str, FormatModel] = Field(default={}, exclude=True)

    def record(self, name: str) -> Record:
        """Return the record of dataset ``name`` (`KeyError` if there is none)."""
        from clxm_meta.records.scan_index import scan_index

        rec = scan_index(self).records.get(name)  # a search per call made deposit quadratic
        if rec is None:
            raise KeyError(name)
        return rec

    def __repr__(self) -> str:
        return (
            f"<ScanResult {self.root!r}: {len(self.files)} files, {len(self.datasets)} datasets, "
            f"{len(self.pairs)} pairs, {len(self.all_findings())} findings>"
        )

    def _repr_html_(self) -> str:
        """Jupyter: samples, datasets (rows filled), correlative pairs and findings."""
        from clxm_meta.render_html import esc, findings_table, fragment

        filled = {}
        for rec in self.records:
            n = rec._filled_count()
            filled[rec.name] = f"{n[0]}/{n[1]}"
        parts = [f"<h3>Deposition <code>{esc(self.root)}</code></h3>"]
        parts.append(
            f"<p>{len(self.files)} files; sidecar: {esc(self.sidecar or 'none')}</p>"
            "<table><tr><th>dataset</th><th>kind</th><th>sample</th><th>files</th>"
            "<th>rows filled</th></tr>"
        )
        for d in self.datasets:
            parts.append(
                f'<tr><td class="id">{esc(d.name)}</td><td>{esc(d.kind.value)}</td>'
                f"<td>{esc(d.sample or '—')}</td><td>{len(d.members)}</td>"
                f"<td>{esc(filled.get(d.name, '—'))}</td></tr>"
            )
        parts.append("</table>")
        if self.pairs:
            parts.append("<table><tr><th>SIM</th><th>SXT</th><th>evidence</th></tr>")
            for p in self.pairs:
                parts.append(
                    f'<tr><td class="id">{esc(p.sim)}</td><td class="id">{esc(p.sxt)}</td>'
                    f"<td>{esc(p.evidence)}</td></tr>"
                )
            parts.append("</table>")
        findings = self.all_findings()
        parts.append(f"<h3>Findings ({len(findings)})</h3>")
        parts.append(findings_table([f.model_dump(mode="json") for f in findings]))
        return fragment("".join(parts))

    def all_findings(self) -> list[Finding]:
        """Scan-level findings followed by every record's findings, without duplicates."""
        seen: set[str] = set()
        out: list[Finding] = []
        for finding in [*self.findings, *(f for r in self.records for f in r.findings)]:
            key = finding.model_dump_json()
            if key not in seen:
                seen.add(key)
                out.append(finding)
        return out
