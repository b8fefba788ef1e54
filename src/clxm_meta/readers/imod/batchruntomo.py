"""batchruntomo: its log (``batchruntomo.log``) and its directive files (``.adoc``).

A batchruntomo log proves automated processing; after the alignment step it re-prints the
tiltalign residual lines, which are parsed with the align.log expressions. A directive file holds
``setupset.*``, ``runtime.*`` and ``comparam.*`` ``key = value`` lines (formats-logs-deposition.md §A5).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.imod.align_log_lines import RE_RESIDUAL, RE_WEIGHTED, norm_unit, scope_of
from clxm_meta.readers.imod.align_log_model import Residual
from clxm_meta.readers.imod.model import ImodFile, TextLine
from clxm_meta.readers.imod.text import LineKeeper, TextDoc, number, report_unconvertible

__all__ = [
    "BatchruntomoAdoc",
    "BatchruntomoLog",
    "Directive",
    "FinishedStep",
    "parse_adoc",
    "parse_batchruntomo_log",
]

RE_STARTED = re.compile(r"Batchruntomo started(?: on data set)?,?\s*(.*)$", re.IGNORECASE)
RE_FINISHED = re.compile(r"Batchruntomo finished(?: with data set)?,?\s*(.*)$", re.IGNORECASE)
RE_DATASET = re.compile(r"^\s*Starting data set\s+(\S+)")
RE_AXIS = re.compile(r"^\s*Starting axis\s+([AB])")
RE_STEP = re.compile(r"^\s*Successfully finished\s+(\S+)(?:\s+in\s+(\S+))?")
RE_DIRECTIVE = re.compile(r"^\s*([A-Za-z][\w.-]*)\s*=\s*((?:.*\S)?)\s*$")
RE_SECTION = re.compile(r"^\s*\[\s*(\w+)\s*=\s*+((?:.*\S)?)\s*\]\s*$")


def _scope(
    m: re.Match[str], first: int, no: int, unconvertible: list[int]
) -> tuple[bool, tuple[int, int] | None] | None:
    """`scope_of`, or ``None`` (the line noted in `unconvertible`) for a > 4300-digit area."""
    try:
        return scope_of(m, first)
    except ValueError:
        unconvertible.append(no)
        return None


class FinishedStep(BaseModel):
    """A ``Successfully finished <comfile> in <time>`` line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    comfile: str
    duration: str | None = None
    line: int


class BatchruntomoLog(ImodFile):
    """What a batchruntomo log says.

    Attributes
    ----------
    started, finished
        The start and end lines (their text keeps the date stamps).
    datasets, axes
        ``Starting data set`` and ``Starting axis`` lines.
    steps
        The command files that finished, in order.
    residual, weighted_residual
        Residual lines re-printed from align.log (the first global ones).
    """

    kind: Literal["batchruntomo_log"] = "batchruntomo_log"
    started: TextLine | None = None
    finished: TextLine | None = None
    datasets: list[TextLine] = Field(default_factory=list)
    axes: list[TextLine] = Field(default_factory=list)
    steps: list[FinishedStep] = Field(default_factory=list)
    residual: Residual | None = None
    weighted_residual: Residual | None = None
    other_residuals: list[Residual] = Field(default_factory=list)
    warnings: list[TextLine] = Field(default_factory=list)
    errors: list[TextLine] = Field(default_factory=list)

    def finished_step(self, stem: str) -> FinishedStep | None:
        """The first finished step whose command file starts with ``stem`` (``"align"``)."""
        return next((s for s in self.steps if s.comfile.lower().startswith(stem.lower())), None)


def parse_batchruntomo_log(doc: TextDoc, path: str, collector: FindingCollector) -> BatchruntomoLog:
    """Parse a batchruntomo log from decoded lines."""
    keep = LineKeeper()
    unconvertible: list[int] = []
    data: dict[str, object] = {}
    datasets: list[TextLine] = []
    axes: list[TextLine] = []
    steps: list[FinishedStep] = []
    others: list[Residual] = []
    warnings: list[TextLine] = []
    errors: list[TextLine] = []
    for no, text in doc.numbered():
        s = text.strip()
        if not s:
            continue
        if RE_STARTED.search(s):
            data.setdefault("started", TextLine(line=no, text=s))
        elif RE_FINISHED.search(s):
            data["finished"] = TextLine(line=no, text=s)
        elif RE_DATASET.match(s):
            datasets.append(TextLine(line=no, text=s))
        elif RE_AXIS.match(s):
            axes.append(TextLine(line=no, text=s))
        elif m := RE_STEP.match(s):
            steps.append(FinishedStep(comfile=m.group(1), duration=m.group(2), line=no))
        elif (m := RE_RESIDUAL.search(text)) and (scope := _scope(m, 4, no, unconvertible)):
            tagged, area = scope
            res = Residual(
                mean=number(m.group(1)),
                sd=number(m.group(2)),
                unit=norm_unit(m.group(3)),
                tagged_global=tagged,
                local_area=area,
                line=no,
            )
            if area is None and "residual" not in data:
                data["residual"] = res
            else:
                others.append(res)
        elif (m := RE_WEIGHTED.search(text)) and (scope := _scope(m, 3, no, unconvertible)):
            tagged, area = scope
            res = Residual(
                mean=number(m.group(1)),
                unit=norm_unit(m.group(2)),
                tagged_global=tagged,
                local_area=area,
                line=no,
            )
            if area is None and "weighted_residual" not in data:
                data["weighted_residual"] = res
            else:
                others.append(res)
        elif s.upper().startswith("WARNING"):
            warnings.append(TextLine(line=no, text=s))
        elif s.upper().startswith("ERROR") or "ABORT" in s.upper():
            errors.append(TextLine(line=no, text=s))
        else:
            keep.add(no, text)
    report_unconvertible(collector, unconvertible)
    for err in errors:
        collector.warning("batchruntomo_error", err.text, locator=f"line {err.line}")
    if "started" in data and "finished" not in data:
        collector.warning(
            "batchruntomo_unfinished",
            "the log has no 'Batchruntomo finished' line: the run may have stopped early",
        )
    return BatchruntomoLog(
        path=path,
        file_size=doc.size,
        encoding=doc.encoding,
        line_count=len(doc.lines),
        datasets=datasets,
        axes=axes,
        steps=steps,
        other_residuals=others,
        warnings=warnings,
        errors=errors,
        unparsed=keep.kept,
        unparsed_dropped=keep.dropped,
        **data,
    )


class Directive(BaseModel):
    """One ``key = value`` directive line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    value: str
    line: int


class BatchruntomoAdoc(ImodFile):
    """A batchruntomo directive file (or template).

    Attributes
    ----------
    directives
        Every ``key = value`` line, in order.
    sections
        ``[Type = Name]`` section lines, if any.
    """

    kind: Literal["batchruntomo_adoc"] = "batchruntomo_adoc"
    directives: list[Directive] = Field(default_factory=list)
    sections: list[TextLine] = Field(default_factory=list)

    def get(self, key: str) -> Directive | None:
        """The last directive ``key`` (exact, case-insensitive), or ``None``."""
        found = None
        for d in self.directives:
            if d.key.lower() == key.lower():
                found = d
        return found

    def get_suffix(self, suffix: str) -> Directive | None:
        """The last directive whose key ends with ``suffix`` (for ``.a.``/``.any.`` variants)."""
        found = None
        for d in self.directives:
            if d.key.lower().endswith(suffix.lower()):
                found = d
        return found


def parse_adoc(doc: TextDoc, path: str, collector: FindingCollector) -> BatchruntomoAdoc:
    """Parse a directive file from decoded lines."""
    keep = LineKeeper()
    directives: list[Directive] = []
    sections: list[TextLine] = []
    for no, text in doc.numbered():
        s = text.strip()
        if not s or s.startswith("#"):
            continue
        if RE_SECTION.match(s):
            sections.append(TextLine(line=no, text=s))
            continue
        m = RE_DIRECTIVE.match(s)
        if m:
            directives.append(Directive(key=m.group(1), value=m.group(2), line=no))
            continue
        keep.add(no, text)
    if not directives:
        collector.warning("adoc_empty", "no 'key = value' directive was found")
    return BatchruntomoAdoc(
        path=path,
        file_size=doc.size,
        encoding=doc.encoding,
        line_count=len(doc.lines),
        directives=directives,
        sections=sections,
        unparsed=keep.kept,
        unparsed_dropped=keep.dropped,
    )
