"""etomo ``.edf`` project files (Java properties: ``key=value``, a ``#<date>`` first line).

Both the old (``Setup.RevisionNumber=1.5``, 2004) and the new revisions (``1.12``, etomo 4.12) are
plain properties; the model keeps every key with its line and exposes the ones Table 1 uses.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.imod.model import ImodFile, TextLine
from clxm_meta.readers.imod.text import LineKeeper, TextDoc

__all__ = ["Edf", "EdfValue", "parse_edf"]


class EdfValue(BaseModel):
    """One property with its line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: str
    line: int


class Edf(ImodFile):
    """An etomo project file.

    Attributes
    ----------
    date_comment
        The ``#<date>`` first line (when etomo saved the file).
    properties
        Every ``key=value`` line (the last value of a repeated key).
    revision
        ``Setup.RevisionNumber`` (metadata revision; ≤1.7 is the old layout).
    etomo_version
        ``Setup.Version.Etomo.Modified``, else ``...Created`` (absent from old revisions).
    """

    kind: Literal["edf"] = "edf"
    date_comment: TextLine | None = None
    properties: dict[str, EdfValue] = Field(default_factory=dict)

    def get(self, key: str) -> EdfValue | None:
        """Property ``key``, or ``None``."""
        return self.properties.get(key)

    @property
    def revision(self) -> str | None:
        """``Setup.RevisionNumber``."""
        v = self.get("Setup.RevisionNumber")
        return v.value if v else None

    @property
    def etomo_version(self) -> tuple[str, int] | None:
        """Etomo (IMOD) version and its line: Modified, else Created."""
        for key in ("Setup.Version.Etomo.Modified", "Setup.Version.Etomo.Created"):
            v = self.get(key)
            if v is not None and v.value:
                return v.value, v.line
        return None

    @property
    def dataset_name(self) -> str | None:
        """``Setup.DatasetName``."""
        v = self.get("Setup.DatasetName")
        return v.value if v else None

    @property
    def batchruntomo_keys(self) -> list[str]:
        """Keys written by batchruntomo (``batchruntomo.*``): evidence of an automated run."""
        return [k for k in self.properties if k.startswith("batchruntomo.")]


def parse_edf(doc: TextDoc, path: str, collector: FindingCollector) -> Edf:
    """Parse an .edf file from decoded lines."""
    keep = LineKeeper()
    props: dict[str, EdfValue] = {}
    date: TextLine | None = None
    for no, text in doc.numbered():
        s = text.strip()
        if not s:
            continue
        if s.startswith(("#", "!")):
            if date is None and no == 1:
                date = TextLine(line=no, text=s.lstrip("#").strip())
            continue
        if "=" in s:
            key, value = s.split("=", 1)
            props[key.strip()] = EdfValue(value=value.strip(), line=no)
            continue
        keep.add(no, text)
    if not props:
        collector.warning("edf_empty", "no 'key=value' property was found")
    return Edf(
        path=path,
        file_size=doc.size,
        encoding=doc.encoding,
        line_count=len(doc.lines),
        date_comment=date,
        properties=props,
        unparsed=keep.kept,
        unparsed_dropped=keep.dropped,
    )
