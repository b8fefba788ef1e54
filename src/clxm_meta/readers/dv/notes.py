"""A findings collector that makes the `Finding` models only when the findings are first needed.

A header-only DV read records one to four findings (``ext_header_absent``, ``new_type_empty``,
``otf`` ...); building each frozen `Finding` model cost about as much as decoding the header, and
``read`` leaves the findings to first use like the other values worked out from the header
(`clxm_meta.readers.dv.model.DvFile.deferred`). Strict mode still raises at once, where the
finding is met.
"""

from __future__ import annotations

from clxm_meta.findings import Finding, Severity
from clxm_meta.readers.base import FindingCollector

__all__ = ["Notes"]

Note = tuple[str, Severity, str, str | None, str | None]
"""A finding's code (with its reader prefix), severity, message, field and locator.

The prefix and strict mode are `FindingCollector`'s own; only how a finding is kept differs."""


class Notes(FindingCollector):
    """`FindingCollector` keeping each finding's values (`notes`) until `findings` is called."""

    def __init__(self, path: str, reader: str, *, strict: bool = False) -> None:
        super().__init__(path, reader, strict=strict)
        self.notes: list[Note] = []

    def _keep(
        self, code: str, severity: Severity, message: str, field: str | None, locator: str | None
    ) -> None:
        self.notes.append((code, severity, message, field, locator))

    def findings(self, start: int = 0, stop: int | None = None) -> list[Finding]:
        """The `Finding` of each note from ``start`` to ``stop``, as `FindingCollector` makes them."""
        path = self.path
        return [
            Finding.make(code, severity, message, path=path, field=field, locator=locator)
            for code, severity, message, field, locator in self.notes[start:stop]
        ]
