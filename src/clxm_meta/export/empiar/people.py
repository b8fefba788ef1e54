"""People for EMPIAR: entry authors, the corresponding author, principal investigators.

EMPIAR wants names split (``('Surname', 'IN')`` for authors, first and last name for contacts).
A person's split comes from the sidecar's ``last_name``/``first_name``, or from ``name`` written
``"Surname, Given names"``. A plain ``"Given Surname"`` is not split: which word is the surname
is a guess (``"Maria de la Cruz"``, family-name-first names), so it is reported as missing instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clxm_meta.records.values import Person

__all__ = ["SplitName", "initials", "split_name", "split_text_name"]


@dataclass(frozen=True)
class SplitName:
    """A surname and the given names (possibly empty)."""

    last: str
    first: str


def split_text_name(text: str) -> SplitName | None:
    """Split ``"Surname, Given names"``; ``None`` for text without exactly one comma."""
    if text.count(",") != 1:
        return None
    last, first = (part.strip() for part in text.split(","))
    return SplitName(last, first) if last else None


def split_name(person: Person) -> SplitName | None:
    """The person's surname and given names, or ``None`` when the sidecar does not say them."""
    if person.last_name:
        return SplitName(person.last_name.strip(), (person.first_name or "").strip())
    return split_text_name(person.name)


def initials(given: str) -> str:
    """Upper-case initials of given names: ``"Yi-Wei"`` → ``"YW"``, ``"J. R. R."`` → ``"JRR"``.

    Given names that are already initials (``"JW"``, all capitals, at most 4 letters) are kept.
    """
    g = given.strip()
    if g.isalpha() and g.isupper() and len(g) <= 4:
        return g
    parts = [p for p in re.split(r"[\s\-.]+", g) if p]
    return "".join(p[0].upper() for p in parts if p[0].isalpha())
