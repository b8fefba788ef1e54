"""Recognise SIM reconstruction logs and configs by content, without importing the parsers.

The registry calls `sniff` on text files no binary reader claimed; the same recognisers decide the
file kind in `clxm_meta.readers.simrecon.reader`.
"""

from __future__ import annotations

import re

__all__ = [
    "KNOWN_KEYS",
    "PYSIMRECON_HEAD",
    "PYSIMRECON_SEP",
    "RE_FLAT_ENTRY",
    "RE_SOFTWORX",
    "looks_like_config",
    "looks_like_ini",
    "looks_like_stdout",
    "sniff",
    "strip_comment",
]

PYSIMRECON_HEAD = "Reconstruction log for:"
PYSIMRECON_SEP = "The text below is the output from cudasirecon"
RE_SOFTWORX = re.compile(r"(?mi)^[ \t]*type[ \t]*:[ \t]*SI[ \t]*$")  # [ \t]: \s* spans lines


def _head_text(head: bytes) -> str:
    return head.decode("utf-8", errors="replace")


KNOWN_KEYS = frozenset(
    {
        "ndirs", "nphases", "angle0", "k0angles", "ls", "na", "nimm", "wiener", "background",
        "zoomfact", "zzoom", "otfra", "otfperangle", "dampenorder0", "gammaapo", "forcemodamp",
        "norescale", "equalizez", "equalizet", "fastsi", "nofilterovlps", "xyres", "zres",
        "zrespsf", "wavelength", "otf-file", "input-file", "output-file", "nordersout",
        "negdangle", "bessel", "besselexwave", "besselna", "deskew", "noorder0", "usecorr",
        "nokz0", "k0searchall", "searchforvalue", "apodizeoutput", "dampenfactor", "drift_filename",
        "otfpath", "outputfile", "beaddiam", "angle", "fixorigin", "leavekz", "nocompen",
    }
)  # fmt: skip
"""cudasirecon / makeotf option names (lower case) used to recognise a config by content."""
RE_FLAT_ENTRY = re.compile(r"^([A-Za-z0-9_.\-]{1,100})\s*=\s*(.*)$")


def strip_comment(text: str) -> str:
    """``text`` stripped, or ``""`` for a ``#`` / ``;`` comment line."""
    stripped = text.strip()
    if stripped.startswith(("#", ";")):
        return ""
    return stripped


def looks_like_config(text: str) -> bool:
    """True if ``text`` has at least two ``key=value`` lines with cudasirecon keys."""
    hits = 0
    for raw in text.splitlines():
        if "=" not in raw:  # cannot be an entry: skip the strip and the match (most log lines)
            continue
        match = RE_FLAT_ENTRY.match(strip_comment(raw))
        if match and match.group(1).lower() in KNOWN_KEYS:
            hits += 1
            if hits >= 2:
                return True
    return False


_RE_SECTION = re.compile(r"(?m)^\[([^\]\n]+)\]")


def looks_like_ini(text: str) -> bool:
    """True for a PySIMRecon INI file (root config.ini or channel cfg)."""
    if "[" not in text:  # no section header can be there
        return False
    sections = {m.group(1).strip().lower() for m in _RE_SECTION.finditer(text)}
    return bool(sections & {"configs", "otfs", "recon config", "otf config"})


def looks_like_stdout(text: str) -> bool:
    """True if ``text`` (a file head) contains lines only sirecon/cudasirecon print."""
    return bool(
        re.search(r"k0guess\[direction \d+\]", text)
        or "In getmodamp:" in text
        or "best fit for k0 is" in text
        or re.search(r"^nphases=\d+, ndirs=\d+", text, re.MULTILINE)
        or "Initial guess by findk0()" in text
    )


def sniff(name: str, head: bytes) -> bool:
    """Claim a file whose content looks like a SIM reconstruction log or config.

    A ``.log`` is claimed for sirecon/cudasirecon/PySIMRecon content, a softWoRx ``type: SI``
    line, or config content (a cudasirecon config saved as ``cell1.log`` beside its data is the
    reconstruction's record all the same); configs only when at least two cudasirecon keys (or
    PySIMRecon sections) appear. The name alone never decides.
    """
    text = _head_text(head)
    lower = name.lower()
    if PYSIMRECON_HEAD in text or PYSIMRECON_SEP in text or looks_like_stdout(text):
        return True
    if lower.endswith(".log"):
        return bool(RE_SOFTWORX.search(text)) or looks_like_ini(text) or looks_like_config(text)
    if lower.endswith((".ini", ".cfg", ".conf")) or "config" in lower:
        return looks_like_ini(text) or looks_like_config(text)
    return False
