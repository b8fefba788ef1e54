"""Name the SIM reconstruction's "waves" by their wavelength, from the raw DV of the same dataset.

A cudasirecon log numbers the channels it fits (``wave 0``, ``wave 1``) without their wavelength;
the raw SIM stack's header knows the wavelength of each wave. When a dataset has both, the
line-spacing rows (``acquisition.linewidth_per_k0``) and the per-channel fit rows
(``processing.per_channel``) get ``wavelength_nm`` from the DV's emission wavelength of that wave,
and their source says so. A wave the DV does not have, or a row that already has a wavelength, is
left as it is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

from clxm_meta.normalise.candidate import Candidate
from clxm_meta.normalise.consistency import FileInput
from clxm_meta.records.fields import DatasetKind
from clxm_meta.records.provenance import Source

__all__ = ["name_waves"]

_WAVE = re.compile(r"wave (\d+)")
_ROWS = ("acquisition.linewidth_per_k0", "processing.per_channel")


def _wavelengths(files: Sequence[FileInput]) -> tuple[list[Any], str] | None:
    for f in files:
        if f.role != "sim_raw":
            continue
        for c in f.candidates:
            if c.field == "setup.emission_filters" and isinstance(c.value, list):
                return c.value, f"{os.path.basename(f.path)} {c.source.locator or ''}".strip()
    return None


def _named(item: Any, waves: list[Any]) -> Any:
    def get(key: str) -> Any:
        return item.get(key) if isinstance(item, dict) else getattr(item, key, None)

    m = _WAVE.fullmatch(str(get("channel") or ""))
    if get("wavelength_nm") is not None or m is None or int(m.group(1)) >= len(waves):
        return item
    nm = waves[int(m.group(1))]
    if nm is None:
        return item
    if isinstance(item, dict):
        return {**item, "wavelength_nm": nm}
    return item.model_copy(update={"wavelength_nm": nm})


def name_waves(
    kind: DatasetKind, cands: list[Candidate], files: Sequence[FileInput]
) -> list[Candidate]:
    """``cands`` with the reconstruction's waves given the raw DV's wavelengths."""
    if kind is not DatasetKind.SIM:
        return cands
    found = _wavelengths(files)
    if found is None:
        return cands
    waves, where = found
    out = []
    for c in cands:
        if c.field in _ROWS and isinstance(c.value, list):
            value = [_named(v, waves) for v in c.value]
            if value != c.value:
                src = c.source
                c = c.model_copy(
                    update={
                        "value": value,
                        "source": Source.derived(
                            src.path,
                            src.reader,
                            f"{src.locator}; wavelengths: {where}",
                            f"{src.transform + '; ' if src.transform else ''}wavelength_nm of "
                            "'wave N' is the emission wavelength of wave N of the raw SIM stack",
                        ),
                    }
                )
        out.append(c)
    return out
