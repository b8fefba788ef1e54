"""How many extended-header records a DV file holds, and what is missing: read with the header.

The records themselves are decoded on first use (`clxm_meta.readers.dv.model.DvExtHeader.table`:
`clxm_meta.readers.dv.extended_header` with numpy, `clxm_meta.readers.dv.small_table` without);
nothing here needs numpy, so reading a file imports none.
"""

from __future__ import annotations

from typing import Literal

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.dv.header import HEADER_SIZE
from clxm_meta.readers.dv.model import DvExtHeader, RawRecords

__all__ = ["MAX_EXT_BYTES", "MAX_SECTIONS_SHORT", "MAX_ZERO_TAIL", "ext_header"]

MAX_EXT_BYTES = 64 * 1024 * 1024
"""Extended-header bytes read at most (about 400 000 Cockpit sections); the rest is reported."""

MAX_SECTIONS_SHORT = 4096
"""Section records decoded at most when the extended header holds fewer records than the header's
plane count declares. Such a header is inconsistent (a garbage plane count, or an extended header
cut short) and each 4-byte value becomes a section object, so a 1 MiB extended header of
one-float records would otherwise be 262 144 sections and an 80 MB JSON model (found by fuzzing)."""

MAX_ZERO_TAIL = 4096
"""Trailing all-zero section records decoded at most. A record of zero bytes says nothing (no
time, no wavelength, no exposure); a sparse file whose extended header is a hole is nothing but
such records, and each became a section object: 41 MB of ``inspect --format json`` for a file of
4 KB on disk (issue 23). Beyond this many, the zero tail is counted instead of decoded."""


def ext_header(
    raw: bytes,
    *,
    order: Literal["little", "big"],
    n_ints: int,
    n_floats: int,
    declared_bytes: int,
    n_sections: int,
    seq: int,
    nz: int | None,
    nw: int,
    nt: int,
    col: FindingCollector,
) -> DvExtHeader:
    """The header over the records held in ``raw`` (already bounded by the caller).

    Works out how many records to decode and reports what is missing or left out; the records
    themselves are decoded on first use (`DvExtHeader.table`), and the finding on their garbage
    floats with them (by the reader, before these).
    """
    rec_bytes = 4 * (n_ints + n_floats)
    n = min(len(raw) // rec_bytes, max(n_sections, 0))
    held = n
    if n < n_sections and n > MAX_SECTIONS_SHORT:
        n = MAX_SECTIONS_SHORT
    decoded = n
    zero_tail = _zero_tail(raw, n, rec_bytes)
    if zero_tail > MAX_ZERO_TAIL:
        n -= zero_tail
    if held < n_sections:
        col.warning(
            "ext_header_short",
            f"the extended header holds {held} of {n_sections} section records "
            f"({rec_bytes} bytes each)",
            field="next",
            locator="byte 92",
        )
    if n < decoded:
        col.warning(
            "ext_header_zero",
            f"the last {decoded - n} of {decoded} section records are all zero bytes (never "
            "written, or a hole of a sparse file): counted, not decoded",
            field="ext_header",
            locator=f"bytes {HEADER_SIZE + n * rec_bytes}-{HEADER_SIZE + decoded * rec_bytes - 1}",
        )
    if decoded < held:
        col.warning(
            "ext_header_capped",
            f"only the first {decoded} of the {held} section records were decoded: the header's plane "
            "count and its extended header disagree, so the records are doubtful anyway",
            field="ext_header",
            locator=f"byte {HEADER_SIZE}",
        )
    return DvExtHeader.from_records(
        RawRecords(raw, order, n_ints, n_floats, n, seq, nz, nw, nt),
        n_ints=n_ints,
        n_floats=n_floats,
        record_bytes=rec_bytes,
        declared_bytes=declared_bytes,
    )


def _zero_tail(raw: bytes, n: int, rec_bytes: int) -> int:
    """How many of the first ``n`` records, counted from the last, are all zero bytes.

    Searched from the end in 64 KiB slices (a hole of a sparse file is all zeros; a copy of the
    whole header would double its memory).
    """
    if n <= 0 or rec_bytes <= 0:
        return 0
    end = n * rec_bytes
    while end > 0:
        start = max(end - 65536, 0)
        kept = len(raw[start:end].rstrip(b"\0"))
        if kept:
            return n - ((start + kept - 1) // rec_bytes + 1)
        end = start
    return n
