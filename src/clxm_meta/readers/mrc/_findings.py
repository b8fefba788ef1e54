"""The MRC reader's findings collector: `FindingCollector` whose findings skip pydantic.

A header read records a few findings; each ``Finding.make`` (``model_construct``) costs about as
much as the rest of a label's parsing. The values here are always plain ``str`` / ``None`` and a
`Severity`, so the finding is built with `build`; codes, order, messages and the strict-mode
raise are those of `FindingCollector.add`.
"""

from __future__ import annotations

from clxm_meta.errors import MalformedFileError
from clxm_meta.findings import Finding, Severity
from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.mrc._build import build

__all__ = ["MrcCollector"]


class MrcCollector(FindingCollector):
    """`FindingCollector` for the MRC reader (same findings, built without validation)."""

    def add(
        self,
        code: str,
        severity: Severity | str,
        message: str,
        *,
        field: str | None = None,
        locator: str | None = None,
    ) -> None:
        """Record a finding. ``code`` without a dot is prefixed with the reader name."""
        level = Severity(severity)
        if self.strict and level is Severity.ERROR:
            raise MalformedFileError(message, path=self.path, field=field)
        self.items.append(
            build(
                Finding,
                {
                    "code": code if "." in code else f"{self.reader}.{code}",
                    "severity": level,
                    "message": message,
                    "path": self.path,
                    "field": field,
                    "locator": locator,
                },
            )
        )
