"""A findings collector that makes the `Finding` models only when the findings are first needed.

A header-only DV read records one to four findings (``ext_header_absent``, ``new_type_empty``,
``otf`` ...); building each frozen `Finding` model cost about as much as decoding the header, and
``read`` leaves the findings to first use like the other values worked out from the header
(`clxm_meta.readers.dv.model.DvFile.deferred`). Strict mode still raises at once, where the
finding is met. The collector is `clxm_meta.readers.base.Notes`, shared with the MRC reader.
"""

from __future__ import annotations

from clxm_meta.readers.base import Note, Notes

__all__ = ["Note", "Notes"]
