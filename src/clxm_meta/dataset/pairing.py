"""Samples and correlative pairs.

Sample convention (the protocol's Figure 2: project → sample → SIM / SXT datasets):

- When a folder between the root and a dataset is named after a modality (``SIM``, ``SXT``,
  ``cryoSIM``, ``TXM``, ``xray`` ..., see `MODALITY_WORDS`), the sample is the folder that holds
  the topmost such folder (``sample1/SIM/...`` and ``sample1/SXT/...`` → sample ``sample1``).
- Otherwise the sample is the dataset's own folder (a folder holding both SIM and SXT files is one
  sample).

Within a sample, SIM and SXT datasets are paired: one of each → a pair; several → by a shared area
word holding a digit (``cell1``, ``area02``) when the match is one-to-one. Anything else is a finding
asking for an explicit ``pairs:`` mapping in the sidecar, which replaces the heuristics entirely.
"""

from __future__ import annotations

import os
import re

from clxm_meta.dataset.group import Group, area_tokens
from clxm_meta.findings import Finding, Severity
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.scan import Pair, SampleInfo

__all__ = ["MODALITY_WORDS", "assign_samples", "pair_datasets"]

MODALITY_WORDS = frozenset(
    {
        "sim",
        "sxt",
        "cryosim",
        "cryosxt",
        "txm",
        "cryotxm",
        "xray",
        "xrays",
        "light",
        "lm",
        "fluorescence",
        "fluo",
        "tomo",
        "tomography",
        "biostudies",
        "empiar",
    }
)
"""Folder words that mark a modality folder (the level below the sample)."""


def _words(name: str) -> set[str]:
    text = re.sub(r"x[-_ ]?rays?", "xray", name.lower())
    return {w for w in re.split(r"[_\-.\s]+", text) if w}


def _is_modality(name: str) -> bool:
    words = _words(name)
    return any(w in MODALITY_WORDS or w.removeprefix("cryo") in MODALITY_WORDS for w in words)


def _sample_folder(folder: str) -> tuple[str, str]:
    parts = [] if folder == "." else folder.split("/")
    for i, part in enumerate(parts):
        if _is_modality(part):
            sample = "/".join(parts[:i]) or "."
            return sample, f"folder {part!r} names a modality; its parent is the sample"
    return folder, "no modality folder above the dataset: its own folder is the sample"


def assign_samples(groups: list[Group], root: str) -> tuple[list[SampleInfo], dict[str, str]]:
    """Return the samples and a map dataset name → sample name."""
    samples: dict[str, SampleInfo] = {}
    member: dict[str, str] = {}
    for g in groups:
        folder, evidence = _sample_folder(g.folder)
        name = folder if folder != "." else (os.path.basename(os.path.abspath(root)) or ".")
        info = samples.get(name)
        if info is None:
            info = samples[name] = SampleInfo(name=name, folder=folder, evidence=evidence)
        info.datasets.append(g.name)
        member[g.name] = name
    return sorted(samples.values(), key=lambda s: s.name), member


def pair_datasets(
    groups: list[Group],
    sample_of: dict[str, str],
    explicit: list[tuple[str, str, str]] | None = None,
) -> tuple[list[Pair], list[Finding]]:
    """Pair SIM and SXT datasets.

    Parameters
    ----------
    groups
        The datasets.
    sample_of
        Dataset name → sample name.
    explicit
        ``(sim, sxt, locator)`` from the sidecar's ``pairs:``; when given, it replaces the
        heuristics.
    """
    findings: list[Finding] = []
    kinds = {g.name: g.kind for g in groups}
    if explicit is not None:
        pairs: list[Pair] = []
        for sim, sxt, where in explicit:
            bad = [
                n
                for n, k in ((sim, DatasetKind.SIM), (sxt, DatasetKind.SXT))
                if kinds.get(n) is not k
            ]
            if bad:
                findings.append(
                    Finding.make(
                        "sidecar.bad_pair",
                        Severity.ERROR,
                        f"pairs: {', '.join(repr(b) for b in bad)} is not a dataset of that kind "
                        f"(datasets: {', '.join(sorted(kinds))})",
                        locator=where,
                    )
                )
                continue
            pairs.append(
                Pair(
                    sim=sim,
                    sxt=sxt,
                    sample=sample_of.get(sim),
                    evidence=f"explicit mapping in the sidecar ({where})",
                    origin="sidecar",
                )
            )
        return pairs, findings
    by_sample: dict[str, list[Group]] = {}
    for g in groups:
        by_sample.setdefault(sample_of[g.name], []).append(g)
    pairs = []
    for sample, members in sorted(by_sample.items()):
        sims = [g for g in members if g.kind is DatasetKind.SIM]
        sxts = [g for g in members if g.kind is DatasetKind.SXT]
        if not sims or not sxts:
            for g in members:
                other = "SXT" if g.kind is DatasetKind.SIM else "SIM"
                findings.append(
                    Finding.make(
                        "dataset.unpaired",
                        Severity.INFO,
                        f"{g.kind} dataset {g.name!r} has no {other} partner in sample {sample!r}",
                    )
                )
            continue
        if len(sims) == 1 and len(sxts) == 1:
            pairs.append(
                Pair(
                    sim=sims[0].name,
                    sxt=sxts[0].name,
                    sample=sample,
                    evidence=f"the only SIM and the only SXT dataset of sample {sample!r}",
                )
            )
            continue
        used: set[str] = set()
        for s in sims:
            s_tok = area_tokens(_local(s.name, sample))
            matches = [x for x in sxts if s_tok & area_tokens(_local(x.name, sample))]
            back = [
                y
                for y in sims
                if matches
                and area_tokens(_local(y.name, sample))
                & area_tokens(_local(matches[0].name, sample))
            ]
            if len(matches) == 1 and back == [s] and matches[0].name not in used:
                used.add(matches[0].name)
                common = sorted(s_tok & area_tokens(_local(matches[0].name, sample)))
                pairs.append(
                    Pair(
                        sim=s.name,
                        sxt=matches[0].name,
                        sample=sample,
                        evidence=f"same sample {sample!r} and shared area word(s) {', '.join(common)}",
                    )
                )
        paired = {p.sim for p in pairs} | {p.sxt for p in pairs}
        left = [g.name for g in members if g.name not in paired]
        if left:
            findings.append(
                Finding.make(
                    "dataset.pairing_ambiguous",
                    Severity.WARNING,
                    f"sample {sample!r}: could not pair {', '.join(left)} unambiguously; list the "
                    "correlative pairs under 'pairs:' in the sidecar",
                )
            )
    return pairs, findings


def _local(name: str, sample: str) -> str:
    prefix = sample + "/"
    return name[len(prefix) :] if name.startswith(prefix) else name
