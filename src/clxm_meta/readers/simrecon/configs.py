"""Config files of SIM reconstruction: cudasirecon ``key=value`` files and PySIMRecon INI files.

* cudasirecon config (shared/docs/reference/formats-logs-deposition.md §B2): one ``key=value``
  per line, keys are the long command-line option names (``ndirs``, ``k0angles``, ``ls``, ``na``,
  ``nimm``, ``wiener``, ``otf-file`` ...).
* PySIMRecon channel config (§B3): INI sections ``[otf config]`` and ``[recon config]`` holding the
  same keys.
* PySIMRecon root ``config.ini`` (§B3): ``[configs]`` (``directory``, ``defaults``,
  ``<emission nm>=<channel cfg>``) and ``[otfs]`` (``<emission nm>=<otf path>``).

Comments start with ``#`` or ``;``, on a line of their own or after a value and a blank. Values are kept as text; numeric parameters are also parsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from clxm_meta.readers._text import parse_float
from clxm_meta.readers.simrecon.model import ConfigEntry, Param
from clxm_meta.readers.simrecon.sniff import strip_comment

__all__ = [
    "NUMERIC_KEYS",
    "OTF_KEYS",
    "config_params",
    "k0angles",
    "parse_config",
]


NUMERIC_KEYS = {
    "ndirs": None,
    "nphases": None,
    "angle0": "rad",
    "ls": "um",
    "na": None,
    "nimm": None,
    "wiener": None,
    "background": None,
    "zoomfact": None,
    "zzoom": None,
    "xyres": "um",
    "zres": "um",
    "zrespsf": "um",
    "wavelength": "nm",
    "gammaapo": None,
}
"""Config keys parsed as numbers, with their unit (cudasirecon documentation)."""

OTF_KEYS = frozenset({"otf-file", "otf_file", "otffile", "otf"})

RE_SECTION = re.compile(r"^\[([^\]]{1,200})\]\s*$")
RE_ENTRY = re.compile(r"^([A-Za-z0-9_.\-]{1,100})\s*(?:=|:)\s*(.*)$")
RE_INLINE_COMMENT = re.compile(r"[ \t][#;].*$")
"""An inline comment: ``#`` or ``;`` after a blank, as PySIMRecon reads its configs
(``configparser`` with ``inline_comment_prefixes``): ``nphases=5   # Number of phases``."""


def parse_config(lines: Iterable[tuple[int, str]]) -> tuple[list[ConfigEntry], list[int]]:
    """Parse ``key=value`` lines (with optional INI sections).

    Returns
    -------
    entries, bad_lines
        The entries in file order, and the numbers of non-empty lines that are neither a comment,
        a section header nor an entry.
    """
    entries: list[ConfigEntry] = []
    bad: list[int] = []
    section: str | None = None
    for number, raw in lines:
        text = strip_comment(raw)
        if not text:
            continue
        sec = RE_SECTION.match(text)
        if sec:
            section = sec.group(1).strip()
            continue
        match = RE_ENTRY.match(text)
        if match:
            entries.append(
                ConfigEntry(
                    key=match.group(1),
                    value=RE_INLINE_COMMENT.sub("", match.group(2)).strip(),
                    line=number,
                    section=section,
                )
            )
        else:
            bad.append(number)
    return entries, bad


def config_params(entries: Iterable[ConfigEntry]) -> dict[str, Param]:
    """Numeric parameters of config entries (``[recon config]`` wins over ``[otf config]``).

    ``k0angles`` is kept as text in the entries (a list); see `k0angles`.
    """
    params: dict[str, Param] = {}
    for entry in entries:
        section = (entry.section or "").lower()
        key = entry.key.lower()
        if key not in NUMERIC_KEYS or (section == "otf config" and key in params):
            continue
        value = parse_float(entry.value)
        if value is None:
            continue
        params[key] = Param(
            value=value, text=entry.value, unit=NUMERIC_KEYS[key], line=entry.line, origin="config"
        )
    return params


def k0angles(entries: Iterable[ConfigEntry]) -> tuple[list[float], int] | None:
    """The ``k0angles`` list (rad) and its line, or ``None`` if absent or not all numbers."""
    for entry in entries:
        if entry.key.lower() == "k0angles":
            parts = [p for p in re.split(r"[,\s]+", entry.value) if p]
            values = [parse_float(p) for p in parts]
            if not values or any(v is None for v in values):
                return None
            return [v for v in values if v is not None], entry.line
    return None
