"""What a DV file is (raw SIM, reconstruction, OTF, widefield) and how a raw SIM Z splits.

The DV header has no angle or phase field: a raw 3D-SIM stack folds angles × phases into Z
(formats-binary.md §1.9). The rules, in order:

1. **otf** - complex pixels (type 3 or 4) or ``otf`` in the file name: an optical transfer
   function, not image data.
2. **processed** - a reconstruction: ``_SIR``, ``_PROC`` or ``_recon`` in the name (OMX/softWoRx,
   cudasirecon, PySIMRecon), a title naming a reconstruction, or Cockpit SIM titles on a file
   whose Z is not a multiple of 15 or whose pixels are float (Cockpit writes uint16 raw data;
   a reconstruction copies the raw header).
3. **raw_sim** - a Cockpit ``SI order:`` title, or (heuristic) header Z divisible by 15. The
   counts default to 3 angles × 5 phases (cudasirecon and B24 defaults) - an assumption, stated
   in `DvSimLayout.counts_note`.
4. **widefield** - any other consistent stack; **unknown** when the layout does not add up.
"""

from __future__ import annotations

import os
import re
from typing import Literal

from clxm_meta.readers.base import construct
from clxm_meta.readers.dv.model import DvSimLayout, Role

__all__ = ["DEFAULT_ANGLES", "DEFAULT_PHASES", "classify", "processing_history"]

DEFAULT_ANGLES = 3
DEFAULT_PHASES = 5
_PROCESSED_NAME = re.compile(r"(_SIR|_PROC|_recon)(?![a-z])", re.IGNORECASE)
_OTF_NAME = re.compile(r"(^|[^a-z])otf([^a-z]|$)", re.IGNORECASE)
_RECON_TITLE = re.compile(r"^\s*(SIR|SIRECON|RECON)\b|reconstruct", re.IGNORECASE)
_OPERATION = re.compile(r"^([A-Z][A-Z0-9_]{2,}):")
_FLOAT_TYPES = (2, 4, 8)


def processing_history(titles: list[str]) -> list[str]:
    """softWoRx-style operation keywords that start titles (``IMGCORR``, ``DECON3D`` ...)."""
    out: list[str] = []
    for t in titles:
        m = _OPERATION.match(t) if ":" in t else None
        if m and m.group(1) not in out and not t.startswith("SI order"):
            out.append(m.group(1))
    return out


_LAYOUTS: dict[tuple[int, str | None], DvSimLayout] = {}
"""The `DvSimLayout` of each (header Z, acquired order) met so far, at most `_MAX_LAYOUTS`: the
model is frozen and depends on nothing else, so one instance serves every file alike."""
_MAX_LAYOUTS = 256


def _sim_layout(nz: int, acquired: str | None) -> DvSimLayout:
    layout = _LAYOUTS.get((nz, acquired))
    if layout is None:
        if len(_LAYOUTS) >= _MAX_LAYOUTS:
            _LAYOUTS.clear()
        layout = _LAYOUTS[nz, acquired] = _new_sim_layout(nz, acquired)
    return layout


def _new_sim_layout(nz: int, acquired: str | None) -> DvSimLayout:
    n = DEFAULT_ANGLES * DEFAULT_PHASES
    ok = nz % n == 0 and nz >= n
    note = (
        f"3 angles × 5 phases assumed (cudasirecon and B24 PySIMRecon defaults): the DV header "
        f"has no angle/phase field; header Z {nz} "
        + (f"= {nz // n} planes × 15" if ok else "is not a multiple of 15, so Z cannot be split")
    )
    acq_src: Literal["title"] | None = "title" if acquired else None
    return construct(
        DvSimLayout,
        {
            "nz_header": nz,
            "angles": DEFAULT_ANGLES if ok else None,
            "phases": DEFAULT_PHASES if ok else None,
            "nz": nz // n if ok else None,
            "counts_source": "assumption",
            "counts_note": note,
            "acquired_order": acquired,
            "acquired_order_source": acq_src,
            "data_order": "Angle, Z, Phase",
            "data_order_note": (
                "assumed: the order Priism/softWoRx and cudasirecon read (angle slowest, phase "
                "fastest), into which Cockpit rewrites its raw SIM files"
            ),
        },
    )


def classify(
    path: str,
    *,
    pixel_type: int,
    titles: list[str],
    si_order: tuple[str | None, int | None],
    nz: int | None,
) -> tuple[Role, list[str], DvSimLayout | None]:
    """Return the role, the evidence for it, and the raw SIM layout (raw_sim only).

    ``si_order`` is the Cockpit ``SI order:`` title's order and index
    (`clxm_meta.readers.dv.titles.si_order`; ``(None, None)`` without Cockpit titles).
    """
    order, order_title = si_order
    name = os.path.basename(path)
    stem = name.rsplit(".", 1)[0]
    lower = stem.lower()  # the name tests below run only when their word is there at all
    evidence: list[str] = []
    if pixel_type in (3, 4):
        evidence.append(f"complex pixel type {pixel_type} (byte 12)")
    if "otf" in lower and _OTF_NAME.search(stem):
        evidence.append(f"'otf' in the file name {name!r}")
    if evidence:
        return "otf", evidence, None

    m = _PROCESSED_NAME.search(stem) if "_" in lower else None
    if m:
        evidence.append(f"{m.group(1)!r} in the file name {name!r}")
    text = "\n".join(titles).lower()
    if "sir" in text or "recon" in text:  # every title _RECON_TITLE matches holds one of them
        for i, t in enumerate(titles):
            if _RECON_TITLE.search(t):
                evidence.append(f"title {i} names a reconstruction: {t!r}")
    si_title = order is not None
    if si_title and nz is not None and nz % (DEFAULT_ANGLES * DEFAULT_PHASES) != 0:
        evidence.append(
            f"Cockpit SIM titles but header Z {nz} is not a multiple of 15: a reconstruction "
            "whose header was copied from the raw file"
        )
    if si_title and pixel_type in _FLOAT_TYPES:
        evidence.append(
            "Cockpit SIM titles on float pixels (Cockpit writes integer raw data): "
            "a reconstruction whose header was copied from the raw file"
        )
    if evidence:
        return "processed", evidence, None

    if nz is None:
        return "unknown", ["n_sections is not a multiple of waves × times"], None
    if order is not None:
        evidence.append(f"Cockpit title {order_title}: 'SI order: {order}'")
        return "raw_sim", evidence, _sim_layout(nz, order)
    if nz % (DEFAULT_ANGLES * DEFAULT_PHASES) == 0:
        evidence.append(
            f"heuristic: header Z {nz} is a multiple of 15 (3 angles × 5 phases) and nothing "
            "marks the file as processed"
        )
        return "raw_sim", evidence, _sim_layout(nz, order)
    evidence.append(f"header Z {nz} is not a multiple of 15 and no SIM title: a plain Z stack")
    return "widefield", evidence, None
