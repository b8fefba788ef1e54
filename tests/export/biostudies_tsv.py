"""BioStudies' PageTab TSV reader, written again in tests from its rules (never its code).

EBIBioStudies/biostudies-backend-services, ``commons-serialization``,
``ac/uk/ebi/biostd/tsv/deserialization/chunks/TsvChunkGenerator.kt``:

1. every match of ``(")([^\\n|\\t|"]*)(")`` in the whole text (a quote, a stretch with no line
   break, tab, ``|`` or quote, a quote) has each of its quotes escaped as ``\\"``, by a global
   string replacement of the matched text;
2. the result is parsed by Apache Commons CSV (``CSVFormat.DEFAULT``: delimiter TAB, quote ``"``,
   surrounding spaces ignored, empty lines kept, ``#`` comment lines); inside a quoted field ``""``
   is a quote; a character after a closing quote other than a space or the delimiter is an error;
3. in every cell ``\\"`` becomes ``"``, and a blank cell is ``None``;
4. blank lines split the records into blocks: the first line of a block is its head, each
   further line ``name, value`` (``<name>``: a reference, ``[name]``: a value qualifier).
"""

from __future__ import annotations

import re

__all__ = ["TsvReadError", "read_blocks"]

_PAIR = re.compile(r'(")([^\n|\t"]*)(")')


class TsvReadError(ValueError):
    """The reader refuses the text (as Commons CSV would throw)."""


def _escape_quotes(text: str) -> str:
    for m in list(_PAIR.finditer(text)):
        text = text.replace(m.group(0), m.group(0).replace('"', '\\"'))
    return text


def _records(text: str) -> list[list[str]]:
    """Commons CSV DEFAULT, TAB-delimited, ignoreSurroundingSpaces, comment marker '#'."""
    records: list[list[str]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == "#":  # a comment line
            while i < n and text[i] not in "\r\n":
                i += 1
            i += 2 if text.startswith("\r\n", i) else 1
            continue
        record: list[str] = []
        while True:
            while i < n and text[i] == " ":
                i += 1
            if i < n and text[i] == '"':
                i += 1
                cell = []
                while True:
                    if i >= n:
                        raise TsvReadError("EOF reached before encapsulated token finished")
                    if text[i] == '"':
                        if i + 1 < n and text[i + 1] == '"':
                            cell.append('"')
                            i += 2
                            continue
                        i += 1
                        break
                    cell.append(text[i])
                    i += 1
                while i < n and text[i] == " ":
                    i += 1
                if i < n and text[i] not in "\t\r\n":
                    raise TsvReadError("invalid char between encapsulated token and delimiter")
                value = "".join(cell)
            else:
                start = i
                while i < n and text[i] not in "\t\r\n":
                    i += 1
                value = text[start:i].rstrip(" ")
            record.append(value)
            if i < n and text[i] == "\t":
                i += 1
                continue
            if text.startswith("\r\n", i):
                i += 2
            elif i < n:
                i += 1
            break
        records.append(record)
    return records


def read_blocks(text: str) -> list[tuple[list[str | None], list[tuple[str, str | None]]]]:
    """The blocks of a PageTab TSV as BioStudies reads them: ``(head cells, [(name, value)])``."""
    blocks: list[tuple[list[str | None], list[tuple[str, str | None]]]] = []
    current: tuple[list[str | None], list[tuple[str, str | None]]] | None = None
    for raw in _records(_escape_quotes(text)):
        cells = [c.replace('\\"', '"') for c in raw]
        if all(c.strip() == "" for c in cells):
            current = None
            continue
        values = [c if c.strip() else None for c in cells]
        if current is None:
            current = (values, [])
            blocks.append(current)
        else:
            name = values[0]
            if name is None:
                raise TsvReadError("attribute without a name")
            current[1].append((name, values[1] if len(values) > 1 else None))
    return blocks
