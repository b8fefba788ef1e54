"""Findings: what readers, the normaliser and the checks report instead of printing or raising.

A finding is data. A scan collects them per file and carries on; the command line renders them and
chooses its exit code from the worst severity.
"""

import os
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from clxm_meta.unvalidated import construct

__all__ = ["Finding", "Severity", "worst_severity"]


class Severity(StrEnum):
    """How much a finding matters for a deposition."""

    INFO = "info"
    """Worth knowing; nothing to do (e.g. an assumption that was stated)."""
    WARNING = "warning"
    """A value is missing, doubtful or was left unknown; look at it before depositing."""
    ERROR = "error"
    """The deposition would be wrong or refused as it stands."""

    @property
    def rank(self) -> int:
        """Order of severity: info < warning < error."""
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Finding(BaseModel):
    """One structured observation about a file, a record or a dataset.

    Attributes
    ----------
    code
        Stable, dotted identifier that scripts can match on, e.g. ``"dv.ext_header_absent"``.
    severity
        See `Severity`.
    path
        The file concerned, or ``None`` for a dataset-level finding.
    field
        The header field / stream / Table 1 id concerned, when there is one.
    message
        A sentence for a person.
    locator
        Where in the file (``"byte 92"``, ``"line 120"``, ``"stream ImageInfo/Angles"``), when known.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    """``defer_build``: the validator is built on first validation, not at import; readers build
    findings through `make` without validating, so a command that only reads a file and prints
    its findings never builds it."""

    code: str
    severity: Severity
    message: str
    path: str | None = None
    field: str | None = None
    locator: str | None = None

    @classmethod
    def make(
        cls,
        code: str,
        severity: Severity | str,
        message: str,
        *,
        path: str | os.PathLike[str] | None = None,
        field: str | None = None,
        locator: str | None = None,
    ) -> "Finding":
        """Build a finding, accepting path-like objects and severity strings.

        Values of exactly the field types (what every reader passes) are taken as they are
        (`clxm_meta.unvalidated.construct`); anything else is validated as ``Finding(...)`` would.
        """
        fspath = os.fspath(path) if path is not None else None
        values: dict[str, Any] = {
            "code": code,
            "severity": severity if type(severity) is Severity else Severity(severity),
            "message": message,
            "path": fspath,
            "field": field,
            "locator": locator,
        }
        if (
            type(code) is str
            and type(message) is str
            and (fspath is None or type(fspath) is str)
            and (field is None or type(field) is str)
            and (locator is None or type(locator) is str)
        ):
            return construct(cls, values)
        return cls(**values)

    def __str__(self) -> str:
        where = self.path or ""
        if self.locator:
            where = f"{where} [{self.locator}]" if where else f"[{self.locator}]"
        prefix = f"{where}: " if where else ""
        return f"{self.severity.value.upper()} {self.code}: {prefix}{self.message}"


def worst_severity(findings: Iterable[Finding]) -> Severity | None:
    """Return the most severe level among ``findings``, or ``None`` if there are none."""
    worst: Severity | None = None
    for finding in findings:
        if worst is None or finding.severity.rank > worst.rank:
            worst = finding.severity
    return worst
