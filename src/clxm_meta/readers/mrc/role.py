"""Decide what an MRC file is: tilt series, aligned stack, tomogram, map/volume or SIM stack.

The decision uses content first (labels written by the programs that made the file, the extended
header, the space group) and the file name second; every clue found is kept as evidence, and the
strongest role wins in the order tomogram > aligned stack > tilt series > SIM stack > map.

A SIM stack is claimed only when a label names SIM software (OMX / softWoRx / Cockpit / a SIM
reconstruction program): nothing else in an MRC header tells light microscopy from electron or
X-ray data.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from clxm_meta.readers.mrc.model import MrcHeader, MrcLabel, MrcRole

__all__ = ["decide_role"]

_ORDER: tuple[MrcRole, ...] = ("tomogram", "aligned_stack", "tilt_series", "sim_stack", "map")
_SIM_SOFTWARE = re.compile(
    r"\b(softWoRx|OMX|Cockpit|cudasirecon|sirecon|SIMrecon|PySIMRecon)\b", re.I
)


def _names_sim_software(text: str) -> bool:
    if text.isascii():
        # Every match of an ASCII text contains one of these words (lower case): skip the
        # case-insensitive search when none is there.
        low = text.lower()
        if not (
            "omx" in low
            or "sirecon" in low
            or "simrecon" in low
            or "softworx" in low
            or "cockpit" in low
        ):
            return False
    return _SIM_SOFTWARE.search(text) is not None


def _name_clues(path: str) -> list[tuple[MrcRole, str]]:
    name = os.path.basename(path).lower()
    clues: list[tuple[MrcRole, str]] = []
    if name.endswith(".rec") or name.endswith("_rec.mrc"):
        clues.append(("tomogram", f"file name {name!r} (IMOD tomogram naming: .rec / _rec.mrc)"))
    if name.endswith((".ali", ".preali", "_ali.mrc")):
        clues.append(("aligned_stack", f"file name {name!r} (IMOD aligned stack .ali/.preali)"))
    if name.endswith((".st", ".mrcs")):
        clues.append(("tilt_series", f"file name {name!r} (raw stack .st/.mrcs)"))
    if name.endswith(".map"):
        clues.append(("map", f"file name {name!r} (.map)"))
    return clues


def _label_clues(labels: Sequence[MrcLabel]) -> list[tuple[MrcRole, str]]:
    clues: list[tuple[MrcRole, str]] = []
    for lab in labels:
        where = f"label {lab.index}"
        text = lab.text
        if "Tomographic reconstruction" in text or (lab.program or "").upper() == "TILT":
            clues.append(("tomogram", f"{where} written by IMOD tilt: {text.strip()!r}"))
        elif (lab.program or "").upper() == "NEWSTACK" and "transformed" in text:
            clues.append(("aligned_stack", f"{where}: {text.strip()!r}"))
        elif lab.kind == "serialem":
            clues.append(("tilt_series", f"{where}: acquired with SerialEM ({text.strip()!r})"))
        elif lab.kind == "emdb":
            clues.append(("map", f"{where}: EMDB map label ({text.strip()!r})"))
        elif _names_sim_software(text):
            clues.append(("sim_stack", f"{where} names SIM software: {text.strip()!r}"))
    return clues


def decide_role(
    path: str,
    header: MrcHeader,
    labels: Sequence[MrcLabel],
    tilt_angles: Sequence[float] | None,
) -> tuple[MrcRole, list[str], list[str]]:
    """Return (role, evidence, conflicts).

    Parameters
    ----------
    path
        The file name (only its base name is used).
    header, labels
        The decoded header and labels.
    tilt_angles
        Per-section tilt angles from the extended header, if any.

    Returns
    -------
    tuple
        The role, the evidence for it (strongest first), and evidence for other roles that was
        overruled (for a finding).
    """
    clues = _label_clues(labels)
    if tilt_angles and len(set(tilt_angles)) > 1:
        lo, hi = min(tilt_angles), max(tilt_angles)
        clues.append(
            ("tilt_series", f"extended header: {len(tilt_angles)} tilt angles {lo:g}..{hi:g}°")
        )
    if header.imod.stamp_present and header.imod.idtype == 1:
        clues.append(("tilt_series", "IMOD idtype = 1 (tilt series)"))
    if header.ispg == 1 or 401 <= header.ispg <= 630:
        clues.append(("map", f"space group ispg = {header.ispg} (a volume)"))
    clues.extend(_name_clues(path))
    for role in _ORDER:
        evidence = [text for r, text in clues if r == role]
        if evidence:
            # A tilt series' evidence is expected in aligned stacks and tomograms made from it,
            # and a volume's space group in tomograms: these are not conflicts.
            inherited: set[MrcRole] = {"tilt_series", "map"} if role == "tomogram" else set()
            if role == "aligned_stack":
                inherited = {"tilt_series"}
            conflicts = [
                f"{text} (suggests {r})"
                for r, text in clues
                if r != role and r not in inherited and r != "map"
            ]
            return role, evidence, conflicts
    return "unknown", [], []
