"""Reader-text mutations built from the readers' own patterns (issue 23, with `fuzzing.patterns`).

`pump` puts one attack on a pattern of the reader's package into a text seed, pumped to a line of
20-70 kB (the lengths that hung the IMOD readers): the whole reader, detection included, must then
finish in time. The pattern campaign times each pattern alone; this checks the patterns as the
readers apply them (per line, after `split_lines`, behind other patterns).
"""

from __future__ import annotations

import functools
import random
import threading

from fuzzing.patterns import Attack, Site, attacks, collect

PACKAGES = {
    "imod": ("readers/imod/",),
    "simrecon": ("readers/simrecon/",),
    "chromatic": ("readers/chromatic/",),
    "correlation": ("readers/correlation/",),
}
"""The source folders whose patterns each text reader applies."""


_LOCK = threading.Lock()
_SITES: dict[str, tuple[Site, ...]] = {}


def _sites(reader: str) -> tuple[Site, ...]:
    """The patterns of `reader`'s package (collected once; cases are made on several threads)."""
    with _LOCK:
        if reader not in _SITES:
            folders = PACKAGES.get(reader, ())
            _SITES[reader] = tuple(
                s for s in collect() if s.pattern is not None and s.where.startswith(folders)
            )
        return _SITES[reader]


@functools.cache
def _attacks(site: Site) -> tuple[Attack, ...]:
    return tuple(attacks(site.compiled()))


def pump(reader: str, data: bytes, rng: random.Random) -> tuple[bytes, str] | None:
    """`data` with one pumped attack line inserted after a random line, or ``None`` when the
    reader has no pattern of its own."""
    sites = _sites(reader)
    if not sites:
        return None
    site = rng.choice(sites)
    found = _attacks(site)
    if not found:
        return None
    attack = rng.choice(found)
    n = max(1, rng.randint(20_000, 70_000) // len(attack.body))
    line = attack.text(n).replace("\n", " ").encode("utf-8", "surrogatepass")
    lines = data.split(b"\n")
    i = rng.randrange(len(lines) + 1)
    lines[i:i] = [line]
    return b"\n".join(lines), f"text_pattern_pump[{site.where}]"
