"""The truncation finding both TIFF readings (tifffile's and the pure-Python one) give."""

from __future__ import annotations

from collections.abc import Iterable

from clxm_meta.readers.base import FindingCollector

__all__ = ["report_truncated"]


def report_truncated(col: FindingCollector, index: int, ends: Iterable[int], size: int) -> bool:
    """Error finding when page ``index``'s data (strip or tile ``ends``) run past ``size`` bytes.

    Returns True when it did: the readers report the first such page only.
    """
    last = max(ends, default=0)
    if last <= size:
        return False
    col.error(
        "truncated",
        f"page {index} declares image data up to byte {last} but the file has {size} "
        "bytes: the file is truncated",
        locator=f"page {index} StripOffsets/TileOffsets",
    )
    return True
