"""Words for sidecar mistakes: "did you mean `general.title`?"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["did_you_mean"]


def did_you_mean(key: str, known: Iterable[str]) -> str:
    """`` (did you mean `x`?)`` for the known key closest to ``key``, or ``""`` when none is close.

    A key that is the last part of a known dotted key (``title`` → ``general.title``) or that
    differs from one by case, separators or a typo (``general.tittle``) is matched.
    """
    names = list(known)
    k = key.strip().casefold().replace("-", "_").replace(" ", "_")
    for name in names:
        if name.casefold() == k:
            return f" (did you mean `{name}`?)"
    tails = [n for n in names if n.casefold().endswith("." + k)]
    if len(tails) == 1:
        return f" (did you mean `{tails[0]}`?)"
    close = difflib.get_close_matches(k, [n.casefold() for n in names], n=1, cutoff=0.75)
    if not close:
        by_tail = {n.rsplit(".", 1)[-1].casefold(): n for n in names}
        hit = difflib.get_close_matches(k.rsplit(".", 1)[-1], list(by_tail), n=1, cutoff=0.8)
        if hit:
            return f" (did you mean `{by_tail[hit[0]]}`?)"
        return ""
    original = next(n for n in names if n.casefold() == close[0])
    return f" (did you mean `{original}`?)"
