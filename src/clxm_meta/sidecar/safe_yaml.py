r"""The sidecar's reading layer: a bounded read of a regular file and a hardened YAML parse.

A sidecar is depositor-written text, and one found by the upward search may have been written by
anyone; whatever it holds, reading it must end quickly in a `SidecarError` that names the line, or
in data that every later step can walk and encode. So:

* the file must be a regular file (a FIFO would block, ``/dev/zero`` never ends) of at most
  `MAX_BYTES`, read with that limit, in strict UTF-8;
* nesting is limited to `MAX_DEPTH` levels (PyYAML composes recursively: a 1,000-deep mapping was a
  `RecursionError`);
* aliases may not refer to a node that contains them (``&a [*a]``), and the document expanded
  through its aliases may hold at most `MAX_NODES` nodes (a "billion laughs" is a few lines of YAML
  and 10^9 nodes once walked);
* a key given twice in one mapping is an error (YAML says keys are unique; PyYAML kept the last);
* a value the constructor cannot build (``2026-02-30``, a 5,000-digit integer) is an error at its
  line, not a `ValueError` traceback;
* no string may hold a control character (other than tab and line breaks), a lone surrogate or a
  Unicode noncharacter (U+FFFE, U+FFFF, U+FDD0-U+FDEF ...): double-quoted escapes (``"\\x01"``,
  ``"\\ud800"``) get them past the YAML reader's own check, and then openpyxl, XML and UTF-8
  encoders fail on them far from the sidecar.

`load_file` parses a file once per content: the result is kept (by device, inode, size and mtime)
so the scan, the exporters and the template builder share one parse.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.error import Mark, MarkedYAMLError

from clxm_meta.errors import SidecarError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Parsed",
    "bad_character",
    "load_file",
    "parse_text",
    "read_bounded",
]

MAX_BYTES = 1024 * 1024
"""Largest sidecar read (1 MiB; a filled sidecar of a large deposition is a few tens of kB)."""

MAX_DEPTH = 64
"""Deepest nesting of mappings and lists (the layout needs about 6 levels)."""

MAX_NODES = 200_000
"""Most nodes the document may hold once its aliases are expanded."""

_CACHE: dict[tuple[str, int, int, int, int], Parsed] = {}
_CACHE_SIZE = 4


@dataclass(frozen=True)
class Parsed:
    """A parsed sidecar: the data (plain dicts, lists, scalars) and the node tree (for lines)."""

    path: str
    data: Any
    node: yaml.Node | None


def bad_character(text: str) -> str | None:
    """The first character of ``text`` no archive document can hold, as ``U+XXXX``, or ``None``.

    Refused: C0/C1 control characters other than tab, line feed and carriage return; lone
    surrogates; noncharacters (U+FDD0-U+FDEF and the last two code points of every plane).
    """
    for ch in text:
        o = ord(ch)
        if o < 0x20:
            if ch in "\t\n\r":
                continue
            return f"U+{o:04X}"
        if o < 0x7F:
            continue
        if (
            0x7F <= o <= 0x9F
            or 0xD800 <= o <= 0xDFFF
            or 0xFDD0 <= o <= 0xFDEF
            or (o & 0xFFFE) == 0xFFFE
        ):
            return f"U+{o:04X}"
    return None


def _line_of(offset: int, data: bytes) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_bounded(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> str:
    """The text of a regular file of at most ``limit`` bytes, strict UTF-8 (a BOM is dropped).

    Raises
    ------
    SidecarError
        Not a regular file (folder, FIFO, device, socket), larger than ``limit``, unreadable or not
        UTF-8 (the message names the line).
    """
    p = os.fspath(path)
    try:
        # O_NONBLOCK: opening a FIFO for reading does not wait for a writer.
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SidecarError(f"cannot read the sidecar: {exc.strerror or exc}", path=p) from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SidecarError(
                "the sidecar is not a regular file (a folder, pipe, device or socket); give the "
                "path of a clxm.yaml file",
                path=p,
            )
        if st.st_size > limit:
            raise SidecarError(
                f"the sidecar is {st.st_size} bytes; at most {limit} bytes are read", path=p
            )
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, limit + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise SidecarError(f"cannot read the sidecar: {exc.strerror or exc}", path=p) from exc
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise SidecarError(f"the sidecar grew past {limit} bytes while it was read", path=p)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SidecarError(
            f"not UTF-8 text (line {_line_of(exc.start, data)}: byte 0x{data[exc.start]:02x}); "
            "save the sidecar as UTF-8",
            path=p,
        ) from exc
    return text.removeprefix("\ufeff")


class _Error(Exception):
    """A problem found while checking the node graph (turned into `SidecarError`)."""

    def __init__(self, message: str, mark: Mark | None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _Constructing:
    """Constructor failures tied to their node (mixed into both loaders)."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, OverflowError, TypeError, RecursionError) as exc:
            if isinstance(exc, MarkedYAMLError):
                raise
            raise _Error(
                f"{node.value!r} is not a valid {_tag(node)} ({exc})", node.start_mark
            ) from exc


class _HardenedLoader(_Constructing, yaml.SafeLoader):
    """`yaml.SafeLoader` (pure Python) with a nesting limit; used when libyaml is absent."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise _Error(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            node: yaml.Node | None = super().compose_node(parent, index)
            return node
        finally:
            self._depth -= 1


_CLoader: Any = getattr(yaml, "CSafeLoader", None)


def _compose_events(loader: Any) -> yaml.Node | None:
    """Compose the single document from ``loader``'s events, without recursion.

    libyaml's own composer is recursive C code; this loop keeps a stack of open collections, so
    the nesting limit is checked before anything deep is built.
    """
    loader.get_event()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        loader.get_event()
        return None
    loader.get_event()  # document start
    anchors: dict[str, yaml.Node] = {}
    stack: list[yaml.Node] = []
    pending: list[yaml.Node | None] = []
    root: yaml.Node | None = None

    def attach(node: yaml.Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, yaml.SequenceNode):
            parent.value.append(node)
        elif pending[-1] is None:
            pending[-1] = node
        else:
            parent.value.append((pending[-1], node))
            pending[-1] = None

    while not loader.check_event(yaml.DocumentEndEvent):
        event: Any = loader.get_event()
        start: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise _Error(f"the alias *{event.anchor} names no anchor", start)
            attach(anchors[event.anchor])
            continue
        node: yaml.Node
        if isinstance(event, yaml.ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            end: Any = event.end_mark
            node = yaml.ScalarNode(tag, event.value, start, end, style=event.style)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            kind = (
                yaml.SequenceNode
                if isinstance(event, yaml.SequenceStartEvent)
                else yaml.MappingNode
            )
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(kind, None, event.implicit)
            node = kind(tag, [], start, None, flow_style=event.flow_style)
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            stack.pop().end_mark = event.end_mark
            pending.pop()
            continue
        else:  # pragma: no cover - libyaml emits nothing else inside a document
            raise _Error(f"unexpected {type(event).__name__}", start)
        if event.anchor is not None:
            anchors[event.anchor] = node
        attach(node)
        if isinstance(node, yaml.SequenceNode | yaml.MappingNode):
            if len(stack) >= MAX_DEPTH:
                raise _Error(f"nested more than {MAX_DEPTH} levels deep", start)
            stack.append(node)
            pending.append(None)
    loader.get_event()  # document end
    if not loader.check_event(yaml.StreamEndEvent):
        raise _Error(
            "the sidecar holds more than one YAML document", loader.peek_event().start_mark
        )
    return root


def _fast_loader_class() -> Any:
    if _CLoader is None:  # pragma: no cover - PyYAML built without libyaml
        return _HardenedLoader

    class _FastLoader(_Constructing, _CLoader):  # type: ignore[misc]
        """libyaml's parser (about 20 times faster on a long sidecar) + the safe constructor."""

    return _FastLoader


_FastLoader: Any = _fast_loader_class()


def _tag(node: yaml.Node) -> str:
    tag = str(node.tag).rsplit(":", 1)[-1]
    return {"timestamp": "date", "int": "integer", "float": "number"}.get(tag, tag)


def _check_graph(root: yaml.Node) -> None:
    """Refuse recursive aliases, an expansion past `MAX_NODES`, duplicate keys, bad characters.

    One pass over the node graph (each node visited once, however many aliases point at it); the
    expanded size of every node is memoised, so a billion laughs costs its own size to measure.
    """
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        nid = id(node)
        if done:
            on_path.discard(nid)
            total = 1 + sum(size[id(c)] for c in _children(node))
            if total > MAX_NODES:
                raise _Error(
                    f"the document expands (through its aliases) to more than {MAX_NODES} values",
                    node.start_mark,
                )
            size[nid] = total
            continue
        if nid in size:
            continue
        if isinstance(node, yaml.ScalarNode):
            bad = bad_character(str(node.value))
            if bad is not None:
                raise _Error(
                    f"the text holds the character {bad} (a control character, lone surrogate or "
                    "noncharacter), which the archives cannot take; remove it",
                    node.start_mark,
                )
            size[nid] = 1
            continue
        on_path.add(nid)
        stack.append((node, True))
        if isinstance(node, yaml.MappingNode):
            _check_keys(node)
        for child in _children(node):
            cid = id(child)
            if cid in on_path:
                raise _Error(
                    "an alias refers to a node that contains it (recursive)", node.start_mark
                )
            if cid not in size:
                stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_keys(node: yaml.MappingNode) -> None:
    seen: dict[tuple[str, str], int] = {}
    for key, _value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        ident = (str(key.tag), str(key.value))
        if ident in seen:
            raise _Error(
                f"key {key.value!r} is given twice in one mapping (first on line "
                f"{seen[ident]}); keep one",
                key.start_mark,
            )
        seen[ident] = key.start_mark.line + 1


def _where(mark: Mark | None) -> str:
    return f" (line {mark.line + 1})" if mark is not None else ""


def parse_text(text: str, path: str) -> Parsed:
    """Parse sidecar text (see the module docstring for what is refused).

    Raises
    ------
    SidecarError
        Not YAML, or refused; the message names the line.
    """
    fast = _CLoader is not None
    try:
        # the pure-Python reader checks for raw control characters here; libyaml while parsing
        loader = _FastLoader(text) if fast else _HardenedLoader(text)
    except yaml.YAMLError as exc:
        raise SidecarError(f"not valid YAML: {_reader_message(exc, text)}", path=path) from None
    try:
        node = _compose_events(loader) if fast else loader.get_single_node()
        if node is not None:
            _check_graph(node)
        data = loader.construct_document(node) if node is not None else None
    except _Error as exc:
        raise SidecarError(f"refused{_where(exc.mark)}: {exc.message}", path=path) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SidecarError(
            f"not valid YAML{_where(mark)}: {exc.problem or exc.context or exc}", path=path
        ) from None
    except yaml.YAMLError as exc:  # the reader's own check (a raw control character ...)
        raise SidecarError(f"not valid YAML: {_reader_message(exc, text)}", path=path) from None
    except RecursionError:  # belt and braces: the depth limit should make this unreachable
        raise SidecarError(
            f"refused: nested too deeply (over {MAX_DEPTH} levels)", path=path
        ) from None
    finally:
        loader.dispose()
    return Parsed(path, data, node)


def _reader_message(exc: yaml.YAMLError, text: str) -> str:
    position = getattr(exc, "position", None)
    character = getattr(exc, "character", None)
    if isinstance(position, int) and character is not None:
        line = text.count("\n", 0, position) + 1
        code = ord(character) if isinstance(character, str) else int(character)
        name = unicodedata.name(chr(code), "control character") if code > 0x1F else "control"
        return f"line {line}: character U+{code:04X} ({name}) is not allowed in YAML; remove it"
    return str(exc)


def load_file(path: str | os.PathLike[str]) -> Parsed:
    """Read (bounded) and parse a sidecar once per content: later calls reuse the parse.

    Raises
    ------
    SidecarError
        See `read_bounded` and `parse_text`.
    """
    p = os.fspath(path)
    try:
        st = os.stat(p)
    except OSError as exc:
        raise SidecarError(f"cannot read the sidecar: {exc.strerror or exc}", path=p) from exc
    key = (os.path.abspath(p), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    hit = _CACHE.get(key)
    if hit is not None and hit.path == p:
        return hit
    parsed = parse_text(read_bounded(p), p)
    if stat.S_ISREG(st.st_mode):
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = parsed
    return parsed
