"""A fast path for reading valid knowledge base files with rapidyaml (the optional ``fast`` extra).

:func:`graphkit.io.yaml.parse_yaml` composes PyYAML nodes and walks them in Python: exact, and
able to locate every problem, but about 1 s per thousand events. This module reads the same files
about fifty times faster and gives **the same data**, or declines:

1. rapidyaml parses the UTF-8 bytes in place into its C++ tree;
2. the tree's node array is inspected in bulk (byte columns sliced out of a zero-copy view, checked
   with ``bytes.translate``) for anything the precise reader treats specially: tags, anchors,
   aliases, null or complex keys, several documents, unfiltered scalars, nesting deeper than
   :data:`~graphkit.io.yaml.MAX_DEPTH`;
3. every *plain* scalar whose text YAML 1.2 could read as something other than a string is
   checked against the value the JSON route gives (``012``, ``0x1F``, ``~``, ``True``, ``.inf``,
   ``0e0`` (a float that rapidyaml writes as a string), numbers too large for a float and numbers
   orjson would round all decline), and so is every plain scalar that starts with an indicator
   character (``@``, a backtick, ``%``, ``?``, ...), which rapidyaml may read as text where
   PyYAML refuses it, and so is a plain scalar holding ``" #"`` (a comment for YAML) and a text
   holding ``:`` right before ``?`` or a flow indicator (``[x:]``);
4. rapidyaml emits JSON and orjson builds the Python data; duplicate keys (which JSON objects
   silently merge) are found by comparing key counts;
5. the positions of the section items (for :attr:`graphkit.kb.KnowledgeBase.origins`) are read
   from the node array; any other location is found by composing the PyYAML node tree lazily,
   so diagnostics are exactly those of the precise reader.

:func:`fast_parse` returns ``None`` ("decline") whenever anything is unusual: a byte-order mark,
tabs, characters PyYAML rejects or treats as line breaks, any rapidyaml error, or any check above.
The caller then uses the precise reader, which reports the problem with its line and column.
"""

from __future__ import annotations

import codecs
import ctypes
import math
import mmap
import os
import re
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from typing import Any

from graphkit.io.yaml import MAX_DEPTH, Parsed, compose_yaml

__all__ = ["FastParsed", "available", "fast_parse"]

# rapidyaml and orjson are imported on first use (see _modules), keeping ``import graphkit`` fast.
_orjson: Any = None
_ryml: Any = None
_swig: Any = None

# rapidyaml 0.15 ``NodeData``: 18 little-endian 64-bit words per node.
_WORDS = 18
_STRIDE = _WORDS * 8
_TYPE, _KEY_PTR, _KEY_LEN, _VAL_PTR, _VAL_LEN = 0, 3, 4, 9, 10
_FIRST_CHILD, _NEXT_SIBLING, _PARENT = 14, 16, 13
_NONE = (1 << 64) - 1

# NodeType bits, by byte of the type word.
_KEY, _MAP, _SEQ = 0x01, 0x04, 0x08
_BAD0 = 0x10 | 0x20 | 0x40 | 0x80  # DOC, STREAM, KEYREF, VALREF
_BAD1 = 0x01 | 0x02 | 0x04 | 0x08 | 0x10 | 0x40 | 0x80  # anchors, tags, KEYNIL, unfiltered
_FLOW2 = 0x01 | 0x02  # FLOW_SL, FLOW_ML
_KEY_QUOTED3 = 0x02 | 0x08  # KEY_SQUO, KEY_DQUO
_VAL_PLAIN3 = 0x40


def _without(mask: int) -> bytes:
    """The bytes that have none of the bits of ``mask`` (to delete with ``bytes.translate``)."""
    return bytes(b for b in range(256) if not b & mask)


_NOT_BAD0, _NOT_BAD1 = _without(_BAD0), _without(_BAD1)
_NOT_KEY, _NOT_CONTAINER, _NOT_PLAIN = _without(_KEY), _without(_MAP | _SEQ), _without(_VAL_PLAIN3)

# Bytes allowed raw in the text: printable ASCII and LF (tab is refused: indentation rules differ;
# CR is allowed only before LF, counted apart); the characters PyYAML rejects or reads as line
# breaks are looked up.
_ASCII_OK = bytes([0x0A, *range(0x20, 0x7F), *range(0x80, 0x100)])
_SPECIAL_CHARS = ("\ufffe", "\uffff", "\u2028", "\u2029")
_C1 = re.compile(rb"\xc2[\x80-\x9f]")

# A plain scalar whose first byte is none of these is a string for YAML 1.2 and for rapidyaml.
# Plain scalars that start with an indicator are declined: PyYAML refuses ``@``, the backtick,
# ``%``, ``,``, ``]`` and ``}`` where rapidyaml reads text, and reads ``?`` and ``:`` in flow
# collections its own way (``[?x]`` is a mapping for it).
_RESERVED_START = frozenset(b"@`%,]}?:")
_CHECKED_START = frozenset(b"-+.0123456789~nNtTfFiI") | _RESERVED_START
_JSON_INT = re.compile(rb"-?(?:0|[1-9][0-9]{0,17})")
# JSON floats that rapidyaml writes as numbers: ``0e5`` (a zero mantissa with an exponent and no
# fraction) is a YAML 1.2 float that rapidyaml quotes as a string, so it is left to resolve_plain.
_JSON_FLOAT = re.compile(
    rb"-?(?:(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?|[1-9][0-9]*[eE][-+]?[0-9]+)"
)
_WORDS_OK = frozenset((b"true", b"false", b"null"))
# Words rapidyaml writes as YAML infinities or NaN (``infinity`` becomes ``.inf``).
_REWRITTEN = frozenset((b"inf", b"infinity", b"nan"))
#: The model's mappings with free keys, as (section, path to the mapping inside an item). Keys of
#: model mappings are field names (anything else fails validation and goes the precise way), so
#: only these can hold a key that YAML 1.2 reads as a number, boolean or null.
FREE_KEY_MAPPINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("event_types", ("goldstein_alternatives",)),
    *((name, ("provenance", "fields")) for name in ("sources", "actors", "relations", "events")),
)


@dataclass
class FastParsed:
    """Data read by the fast path, with the positions of section items.

    :meth:`locate` answers item positions from the rapidyaml tree and composes the PyYAML node
    tree (once, lazily) for any other location, so it always agrees with
    :meth:`graphkit.io.yaml.Parsed.locate`.
    """

    data: object
    #: The text read, or its UTF-8 bytes (decoded only if a location must be composed).
    source: str | bytes
    #: Per top-level list, the (line, column) of each item by index (None where unsure).
    items: dict[str, list[tuple[int, int] | None]] = field(default_factory=dict)
    _precise: Parsed | None = field(default=None, repr=False)

    def locate(self, loc: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
        """Return the 1-based (line, column) of the value at ``loc`` (see ``Parsed.locate``)."""
        if not key and len(loc) == 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
            listed = self.items.get(loc[0])
            found = listed[loc[1]] if listed is not None and 0 <= loc[1] < len(listed) else None
            if found is not None:
                return found
        if self._precise is None:
            text = self.source if isinstance(self.source, str) else self.source.decode("utf-8")
            self._precise = Parsed(None, compose_yaml(text))
        return self._precise.locate(loc, key=key)


def _modules() -> bool:
    """Import rapidyaml and orjson; whether both are installed."""
    global _orjson, _ryml, _swig
    try:
        import orjson
        import ryml
        from ryml import _ryml as swig
    except ImportError:  # pragma: no cover - without the fast extra
        return False
    _orjson, _ryml, _swig = orjson, ryml, swig
    return True


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether rapidyaml and orjson are installed and the node layout is the one expected."""
    if sys.byteorder != "little" or not _modules():
        return False
    try:
        probe = fast_parse('a: [1, "x", {b: c}]\nd: e\n', _probe=True)
    except Exception:  # pragma: no cover - another rapidyaml layout
        return False
    return probe is not None and probe.data == {"a": [1, "x", {"b": "c"}], "d": "e"}


def fast_parse(source: str | bytes, *, _probe: bool = False) -> FastParsed | None:
    """Parse like :func:`graphkit.io.yaml.parse_yaml`, or return ``None`` to decline.

    ``source`` is the text, or a file's bytes: then it is never decoded as a whole (a ``str``
    of a large file takes up to four times its bytes), only checked to be UTF-8, and bytes that
    are not UTF-8 are declined for the precise reader to report. Only a mapping at the top level
    is accepted. The data returned is equal, type for type, to what the precise reader gives;
    anything it cannot prove so is declined.
    """
    if not _probe and not available():
        return None
    if isinstance(source, str):
        if source[:1] == "\ufeff":
            return None
        try:
            raw = source.encode("utf-8")
        except UnicodeEncodeError:
            return None
        if _unusual(raw) or any(char in source for char in _SPECIAL_CHARS):
            return None
    else:
        raw = source
        if raw[:3] == b"\xef\xbb\xbf" or _unusual(raw) or not _plain_utf8(raw):
            return None
    if not raw:
        return None
    if raw[:2] == b"{\n":  # perhaps orjson's own indented JSON: read without rapidyaml
        indented = _read_indented_json(raw, source)
        if indented is not None:
            return indented
    reader = _Reader(raw, raw.isascii())
    del raw  # the reader drops its copies as soon as it can: files can be large
    if not reader.parse():
        return None
    try:
        return reader.read(source)
    finally:
        reader.close()


def _unusual(raw: bytes) -> bool:
    """Whether the UTF-8 ``raw`` holds a control character, a tab or a lone carriage return.

    One pass over the bytes finds them all (C1 controls are two-byte sequences, searched only
    when their lead byte occurs). The characters that take three bytes are looked up apart.
    """
    odd = raw.translate(None, _ASCII_OK)
    if odd and (odd.translate(None, b"\r") or len(odd) != raw.count(b"\r\n")):
        return True  # control characters (reported by the precise reader), tabs or a lone CR
    return b"\xc2" in raw and _C1.search(raw) is not None


#: Bytes decoded at a time by :func:`_plain_utf8`.
_DECODED_AT_ONCE = 1 << 20


def _plain_utf8(raw: bytes) -> bool:
    """Whether ``raw`` is UTF-8 without the special characters, decoded a slice at a time.

    Each slice's ``str`` is searched for the characters PyYAML rejects or reads as line breaks
    (a search that a slice whose code points stay below them answers at once), then dropped.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for at in range(0, len(raw), _DECODED_AT_ONCE):
            piece = decoder.decode(raw[at : at + _DECODED_AT_ONCE])
            if any(char in piece for char in _SPECIAL_CHARS):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


#: Texts larger than this have their nodes estimated from samples (see :func:`_node_estimate`).
_SAMPLED_ABOVE = 1 << 22
_SAMPLES, _SAMPLE_BYTES = 32, 1 << 15


def _node_estimate(raw: bytes) -> int:
    """About how many nodes rapidyaml makes of ``raw``, a little more rather than less.

    Nearly every node of a knowledge base file comes with a ``:``, a ``,``, a ``- `` or a
    ``[``. A large text is not counted in full (four passes over it) but in samples spread
    evenly over it (text that holds colons and commas already makes the count a little high):
    a tree that outgrows its reservation still grows, only more slowly.
    """
    if len(raw) <= _SAMPLED_ABOVE:
        return _marks(raw) + 16
    step = len(raw) // _SAMPLES
    samples = [raw[at : at + _SAMPLE_BYTES] for at in range(0, len(raw), step)]
    counted, sampled = sum(map(_marks, samples)), sum(map(len, samples))
    return int(counted * len(raw) / sampled * 1.02) + 16


#: A comma that separates the entries of a flow mapping (``, key: ``): its entry is already
#: counted by the colon, so it makes no node of its own.
_FLOW_MAP_COMMA = re.compile(rb", [^\s\"',:{}\[\]#]+: ")


def _marks(raw: bytes) -> int:
    """Colons, commas, ``- `` and ``[``, less the commas between flow mapping entries.

    Without that correction a file of flow mappings (the usual layout) reserved 18% more nodes
    than it needed: 0.6 GB too many at a million events.
    """
    marks = raw.count(b":") + raw.count(b",") + raw.count(b"- ") + raw.count(b"[")
    return marks - len(_FLOW_MAP_COMMA.findall(raw))


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence file descriptor 2: rapidyaml prints its parse errors there before raising."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # pragma: no cover - no usable stderr
        yield
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 2)
        finally:
            os.close(devnull)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class _Reader:
    """One fast read: owns the mutable buffer, the rapidyaml tree and a view of its nodes."""

    def __init__(self, raw: bytes, ascii_only: bool) -> None:
        self.raw = raw
        self.ascii_only = ascii_only
        self.buf = bytearray(raw)
        self.tree: Any = None
        self.base = 0
        self.size = 0
        self.words: memoryview | None = None
        self.nodes: memoryview | None = None

    def parse(self) -> bool:
        tree = _ryml.Tree()
        # Reserving nodes up front makes parsing several times faster (no regrowth).
        tree.reserve(_node_estimate(self.raw))
        try:
            with _quiet_stderr():
                _ryml.parse_in_place(self.buf, tree)
        except Exception:
            return False
        self.tree = tree
        self.size = size = tree.size()
        if size == 0 or tree.root_id() != 0:
            return False
        header = (ctypes.c_uint64 * 3).from_address(int(tree.this))
        if header[2] != size:  # pragma: no cover - another rapidyaml layout
            return False
        array = (ctypes.c_char * (size * _STRIDE)).from_address(header[0])
        self.nodes = memoryview(array).cast("B")
        self.words = self.nodes.cast("Q")
        self.base = ctypes.addressof(ctypes.c_char.from_buffer(self.buf))
        return True

    def close(self) -> None:
        for view in (self.words, self.nodes):
            if view is not None:
                view.release()
        self.words = self.nodes = None
        self.tree = None
        self.buf = bytearray()
        self.raw = b""

    def column(self, byte: int) -> bytes:
        """Byte ``byte`` of every node's type word, as one bytes object."""
        assert self.nodes is not None
        return self.nodes[byte::_STRIDE].tobytes()

    def read(self, source: str | bytes) -> FastParsed | None:
        words = self.words
        assert words is not None
        if not _swig.Tree_type(self.tree, 0) & _MAP or _COLON_INDICATOR.search(self.raw):
            return None
        bulk = _Bulk(self) if self.size >= BULK_NODES else None
        if bulk is not None:
            col0, col1, col3 = bulk.columns()
        else:
            col0, col1, col3 = self.column(0), self.column(1), self.column(3)
        if col0.translate(None, _NOT_BAD0) or col1.translate(None, _NOT_BAD1):
            return None
        if bulk is not None:
            if not bulk.plain_values_agree(col3) or not bulk.shallow_enough(col0):
                return None
            items = bulk.item_positions()
            del bulk  # its arrays view the buffers that close() releases
        else:
            if not self._plain_values_agree(col3) or not self._shallow_enough(col0):
                return None
            items = self._item_positions()
        keys = len(col0.translate(None, _NOT_KEY))
        emitted = self._emit_json()
        self.close()
        try:
            data = _orjson.loads(emitted)
        except _orjson.JSONDecodeError:
            return None
        finally:
            emitted.release()
        if not isinstance(data, dict):
            return None
        counted, free_keys = _count_keys(data)
        if counted != keys or (free_keys and not _free_keys_ok(data)):
            return None
        return FastParsed(data, source, items)

    def _emit_json(self) -> memoryview:
        """The tree as UTF-8 JSON, written into a buffer (half the memory of a ``str``).

        The buffer is an anonymous map: its pages take memory only once written, so the room
        left for safety costs none.
        """
        size = 2 * len(self.raw) + 4096  # JSON of a knowledge base is about 1.5 times its YAML
        for _ in range(2):
            out = mmap.mmap(-1, size)
            failed, needed = _swig.emit_json_to_substr(self.tree, 0, out)
            if not failed:
                return memoryview(out)[:needed]
            size = needed
        raise RuntimeError("rapidyaml could not emit JSON")  # pragma: no cover

    def _plain_values_agree(self, col3: bytes) -> bool:
        """Whether every plain value reads the same through JSON as under YAML 1.2."""
        words, buf, base = self.words, self.buf, self.base
        assert words is not None
        marks = _comment_marks(buf)
        for node in compress(range(len(col3)), col3.translate(_PLAIN_TABLE)):
            at = node * _WORDS
            length = words[at + _VAL_LEN]
            if length == 0:
                continue  # an empty plain scalar: null for both
            start = words[at + _VAL_PTR] - base
            if marks:  # a " #" inside a plain scalar: a comment rapidyaml took as text
                following = bisect_left(marks, start)
                if following < len(marks) and marks[following] < start + length - 1:
                    return False
            if buf[start] not in _CHECKED_START:
                continue
            if not _plain_ok(bytes(buf[start : start + length])):
                return False
        return True

    def _shallow_enough(self, col0: bytes) -> bool:
        """Whether no node is nested deeper than MAX_DEPTH (containers are checked)."""
        words = self.words
        assert words is not None
        containers = col0.translate(_CONTAINER_TABLE)
        if containers.count(1) <= MAX_DEPTH:
            return True
        parents = words[_PARENT::_WORDS]
        depth = bytearray(len(containers))  # 0 for the root; nodes come in document order
        for node in compress(range(1, len(containers)), containers[1:]):
            parent = parents[node]
            if parent >= node:  # pragma: no cover - nodes not in document order
                return False
            level = depth[parent] + 1
            if level >= MAX_DEPTH:  # its children would sit deeper than MAX_DEPTH
                return False
            depth[node] = level
        return True

    def sequences(self) -> Iterator[tuple[str, int]]:
        """The name and node of each top-level list (a section such as ``events``)."""
        words, buf, base = self.words, self.buf, self.base
        assert words is not None
        section = words[_FIRST_CHILD]
        while section != _NONE:
            at = section * _WORDS
            if words[at + _TYPE] & _SEQ:
                start = words[at + _KEY_PTR] - base
                name = bytes(buf[start : start + words[at + _KEY_LEN]])
                yield name.decode("utf-8"), section
            section = words[at + _NEXT_SIBLING]

    def children(self, node: int) -> list[int]:
        """The children of ``node``, in order (a walk along their sibling links)."""
        words = self.words
        assert words is not None
        found: list[int] = []
        child = words[node * _WORDS + _FIRST_CHILD]
        while child != _NONE:
            found.append(child)
            child = words[child * _WORDS + _NEXT_SIBLING]
        return found

    def _item_positions(self) -> dict[str, list[tuple[int, int] | None]]:
        """Line and column of each item of each top-level list, as PyYAML marks them."""
        raw = self.raw
        offsets: list[tuple[int, list[tuple[int, int] | None], int]] = []
        positions: dict[str, list[tuple[int, int] | None]] = {}
        for name, section in self.sequences():
            items = self.children(section)
            listed = positions[name] = [None] * len(items)
            for index, item in enumerate(items):
                offset = self._item_offset(item)
                if offset is not None:
                    offsets.append((offset, listed, index))
        offsets.sort(key=itemgetter(0))
        line, last = 1, 0
        for offset, listed, index in offsets:
            line += raw.count(b"\n", last, offset)
            last = offset
            start = raw.rfind(b"\n", 0, offset) + 1
            column = offset - start if self.ascii_only else len(raw[start:offset].decode())
            listed[index] = (line, column + 1)
        return positions

    def _item_offset(self, item: int) -> int | None:
        """Byte offset where PyYAML starts a mapping item, or ``None`` when unsure."""
        words, raw = self.words, self.raw
        assert words is not None
        at = item * _WORDS
        kind = words[at + _TYPE]
        first = words[at + _FIRST_CHILD]
        if not kind & _MAP or first == _NONE:
            return None
        key_kind = words[first * _WORDS + _TYPE]
        offset = words[first * _WORDS + _KEY_PTR] - self.base
        if (key_kind >> 24) & _KEY_QUOTED3:
            offset -= 1
        if not 0 <= offset < len(raw):
            return None
        if (kind >> 16) & _FLOW2:
            window = max(0, offset - 256)
            back = window + len(raw[window:offset].rstrip(b" \r\n")) - 1
            return back if back >= window and raw[back] == 0x7B else None  # '{'
        line_start = raw.rfind(b"\n", 0, offset) + 1
        before = raw[line_start:offset].strip(b" ")
        return offset if before in (b"-", b"") else None


#: Trees of at least this many nodes are checked with numpy (:class:`_Bulk`); smaller ones, where
#: importing numpy would cost more than it saves, node by node.
BULK_NODES = 200_000


class _Bulk:
    """The node-array checks of :class:`_Reader`, done over numpy views of the same memory.

    Each method gives exactly what its per-node counterpart in :class:`_Reader` gives (the
    fast-path tests run both); only what a bulk test cannot settle is looked at one by one.
    """

    def __init__(self, reader: _Reader) -> None:
        import numpy as np

        assert reader.nodes is not None
        self.np = np
        self.reader = reader
        self.table = np.frombuffer(reader.nodes, dtype=np.uint64).reshape(reader.size, _WORDS)
        self.numeric = np.zeros(256, dtype=bool)
        self.numeric[sorted(_CHECKED_START)] = True

    def columns(self) -> tuple[bytes, bytes, bytes]:
        """Bytes 0, 1 and 3 of every node's type word (as :meth:`_Reader.column`), in one pass."""
        np = self.np
        nodes = np.frombuffer(self.reader.nodes, dtype=np.uint8).reshape(-1, _STRIDE)
        types = nodes[:, [0, 1, 3]]  # the bytes of the type word's first half that matter
        return types[:, 0].tobytes(), types[:, 1].tobytes(), types[:, 2].tobytes()

    def plain_values_agree(self, col3: bytes) -> bool:
        """As :meth:`_Reader._plain_values_agree`.

        Plain JSON integers and decimals pass in bulk (:meth:`_json_numbers`); each other
        distinct candidate value is checked once.
        """
        np, table, reader = self.np, self.table, self.reader
        plain = np.flatnonzero(np.frombuffer(col3.translate(_PLAIN_TABLE), dtype=np.uint8))
        lengths = table[plain, _VAL_LEN]
        filled = lengths > 0  # an empty plain scalar is null for both
        nodes, lengths = plain[filled], lengths[filled]
        del plain, filled
        starts = (table[nodes, _VAL_PTR] - np.uint64(reader.base)).astype(np.int64)
        marks = _comment_marks(reader.buf)
        if marks:  # a " #" inside a plain scalar: a comment rapidyaml took as text
            at = np.array(marks, dtype=np.int64)
            following = np.searchsorted(at, starts)  # the first mark at or after each start
            found = following < len(at)
            ends = starts[found] + lengths[found].astype(np.int64)
            if bool((at[following[found]] < ends - 1).any()):
                return False
        first = np.frombuffer(reader.buf, dtype=np.uint8)[starts]
        keep = self.numeric[first]
        starts, lengths, first = starts[keep], lengths[keep].astype(np.int64), first[keep]
        digit = (lengths == 1) & (first >= 0x30) & (first <= 0x39)  # the most common case
        starts, lengths = starts[~digit], lengths[~digit]
        rest = ~self._json_numbers(np.frombuffer(reader.buf, dtype=np.uint8), starts, lengths)
        buf = reader.buf
        checked: dict[bytes, bool] = {}
        for start, length in zip(starts[rest].tolist(), lengths[rest].tolist(), strict=True):
            value = bytes(buf[start : start + length])
            ok = checked.get(value)
            if ok is None:
                ok = checked[value] = _plain_ok(value)
            if not ok:
                return False
        return True

    def _json_numbers(self, buf: Any, starts: Any, lengths: Any) -> Any:
        """Which values are surely numbers that ``_plain_ok`` accepts.

        ``-?(0|[1-9][0-9]{0,17})`` (a JSON integer) or ``-?(0|[1-9][0-9]*)[.][0-9]+`` (a JSON
        decimal without exponent), up to 24 bytes; anything else is left to ``_plain_ok``.
        """
        np = self.np
        width = 24
        index = _index_type(np, len(buf))  # int32 where it fits: the grids are large
        columns = np.arange(width, dtype=index)
        at = np.minimum(starts.astype(index)[:, None] + columns, len(buf) - 1)
        grid = buf[at]
        inside = columns < lengths[:, None]
        negative = grid[:, 0] == 0x2D  # '-'
        body = inside & (columns >= negative[:, None])  # the bytes after the sign
        size = lengths - negative  # body length
        lead = grid[np.arange(len(grid)), negative.astype(np.int64)]  # first body byte
        digits = (grid >= 0x30) & (grid <= 0x39)
        dots = (grid == 0x2E) & body
        others = body & ~digits & ~dots
        fits = (lengths <= width) & ~others.any(axis=1)
        plain_lead = lead != 0x30  # no leading zero
        dot_count = dots.sum(axis=1)
        integer = fits & (dot_count == 0) & (size >= 1) & (size <= 18) & (plain_lead | (size == 1))
        dot_at = np.argmax(dots, axis=1) - negative  # the dot's index in the body
        decimal = fits & (dot_count == 1) & (dot_at >= 1) & (dot_at <= size - 2)
        decimal &= plain_lead | (dot_at == 1)
        return integer | decimal

    def shallow_enough(self, col0: bytes) -> bool:
        """As :meth:`_Reader._shallow_enough`: container depths found level by level."""
        np, table = self.np, self.table
        containers = np.frombuffer(col0.translate(_CONTAINER_TABLE), dtype=np.uint8)
        if int(containers.sum()) <= MAX_DEPTH:
            return True
        nodes = np.flatnonzero(containers[1:]) + 1
        parents = table[nodes, _PARENT]
        if bool((parents >= nodes.astype(np.uint64)).any()):  # pragma: no cover - not in order
            return False
        parents = parents.astype(np.int64)
        depth = np.zeros(len(containers), dtype=np.int32)
        # After k rounds a container at level L has depth min(L, k): MAX_DEPTH rounds settle
        # every level that matters.
        for _ in range(MAX_DEPTH):
            deeper = depth[parents] + 1
            if bool((deeper == depth[nodes]).all()):
                break
            depth[nodes] = deeper
        return int(depth.max()) < MAX_DEPTH

    def item_positions(self) -> dict[str, list[tuple[int, int] | None]]:
        """As :meth:`_Reader._item_positions`, with lines and columns found by bisection."""
        np, reader = self.np, self.reader
        text = np.frombuffer(reader.raw, dtype=np.uint8)
        step = 1 << 22  # a few MB of comparison at a time, not one byte per byte of the file
        newlines = np.concatenate(
            [np.zeros(0, dtype=np.int64)]
            + [
                np.flatnonzero(text[at : at + step] == 0x0A) + at
                for at in range(0, len(text), step)
            ]
        )
        positions: dict[str, list[tuple[int, int] | None]] = {}
        for name, section in reader.sequences():
            items = np.array(reader.children(section), dtype=np.int64)
            positions[name] = self._positions(items, newlines)
        return positions

    def _positions(self, items: Any, newlines: Any) -> list[tuple[int, int] | None]:
        """The positions of one list's items (node ids in document order)."""
        np, table, reader = self.np, self.table, self.reader
        raw = reader.raw
        kinds = table[items, _TYPE]
        firsts = table[items, _FIRST_CHILD]
        block = ((kinds & np.uint64(_MAP)) != 0) & (firsts != np.uint64(_NONE))
        block &= ((kinds >> np.uint64(16)) & np.uint64(_FLOW2)) == 0
        keys = firsts[block].astype(np.int64)
        offsets = (table[keys, _KEY_PTR] - np.uint64(reader.base)).astype(np.int64)
        quoted = ((table[keys, _TYPE] >> np.uint64(24)) & np.uint64(_KEY_QUOTED3)) != 0
        offsets -= quoted
        lines = np.searchsorted(newlines, offsets)  # newlines before each offset
        starts = np.where(lines > 0, newlines[np.maximum(lines - 1, 0)] + 1, 0)
        # PyYAML marks an item where its first key is when only spaces and at most the dash
        # stand before it on its line; a short run of such bytes is checked here in bulk.
        width = 32
        text = np.frombuffer(raw, dtype=np.uint8)
        index = _index_type(np, len(text))
        columns = np.arange(width, dtype=index)
        before = np.minimum(starts.astype(index)[:, None] + columns, len(text) - 1)
        inside = columns < (offsets - starts)[:, None]
        marks = (text[before] != 0x20) & inside  # what is not a space
        dashes = (text[before] == 0x2D) & inside
        plain = (
            (offsets >= 0)
            & (offsets < len(raw))
            & (offsets - starts <= width)
            & (marks.sum(axis=1) == dashes.sum(axis=1))
            & (dashes.sum(axis=1) <= 1)
        )
        if bool(block.all()) and bool(plain.all()):  # spaces and dashes: columns are bytes
            return list(zip((lines + 1).tolist(), (offsets - starts + 1).tolist(), strict=True))
        found: list[tuple[int, int] | None] = [None] * len(items)
        rows = zip(
            np.flatnonzero(block).tolist(),
            offsets.tolist(),
            lines.tolist(),
            starts.tolist(),
            plain.tolist(),
            strict=True,
        )
        for index, offset, line, start, sure in rows:
            if 0 <= offset < len(raw) and (sure or raw[start:offset].strip(b" ") in (b"-", b"")):
                found[index] = (line + 1, offset - start + 1)  # spaces and a dash: ASCII
        odd = np.flatnonzero(~block)  # flow mappings, and items that are no mapping
        for index, item in zip(odd.tolist(), items[odd].tolist(), strict=True):
            offset = reader._item_offset(item)  # checked the way PyYAML marks it
            if offset is not None:
                line = int(np.searchsorted(newlines, offset))
                start = int(newlines[line - 1]) + 1 if line > 0 else 0
                text_before = raw[start:offset]
                column = offset - start if reader.ascii_only else len(text_before.decode())
                found[index] = (line + 1, column + 1)
        return found


def _index_type(np: Any, size: int) -> Any:
    """The smallest integer type that indexes ``size`` bytes with room for a row of a grid."""
    return np.int32 if size < 2**31 - 64 else np.int64


def _table(mask: int) -> bytes:
    return bytes(1 if b & mask else 0 for b in range(256))


_PLAIN_TABLE = _table(_VAL_PLAIN3)
_CONTAINER_TABLE = _table(_MAP | _SEQ)


def _comment_marks(buf: bytearray) -> list[int]:
    """Offsets of every ``" #"`` in the parsed text (usually none, or a few comments).

    In YAML a space and ``#`` always start a comment, so no plain scalar holds them; rapidyaml
    reads ``{k: a #b}`` as the text ``a #b`` where PyYAML finds a comment (and then an unclosed
    mapping). A plain scalar spanning one of these offsets is declined.
    """
    if buf.find(b"#") < 0:  # one memchr: most large files hold no comment
        return []
    return [match.start() for match in _COMMENT.finditer(buf)]


_COMMENT = re.compile(rb" #")
#: ``:`` right before ``?`` or a flow indicator: PyYAML refuses ``[x:]`` and ``[x:?]`` where
#: rapidyaml reads a mapping or a text. Rare outside such mistakes (``{"a":[1]}``): declined.
_COLON_INDICATOR = re.compile(rb":[?,\[\]{}]")


@lru_cache(maxsize=4096)
def _plain_ok(value: bytes) -> bool:
    """Whether a plain scalar that may not be a string reads the same through JSON.

    rapidyaml writes numbers it recognises raw and quotes the rest; orjson then reads them. The
    precise reader's YAML 1.2 rules agree on JSON integers (up to 18 digits), JSON floats,
    ``true``, ``false``, ``null`` and on words that are strings for both; everything else
    (``012``, ``0x1F``, ``+1``, ``~``, ``True``, ``.inf``, ``inf``, ``0e0``, ``1e400``, ``@x``)
    is declined.
    """
    if value in _WORDS_OK or _JSON_INT.fullmatch(value):
        return True
    if _JSON_FLOAT.fullmatch(value):
        return math.isfinite(float(value))  # 1e400: refused by the precise reader
    if value[0] in _RESERVED_START:
        return False
    from graphkit.io.yaml import resolve_plain

    try:
        resolved = resolve_plain(value.decode("utf-8"))
    except ValueError:
        return False
    if not isinstance(resolved, str):
        return False
    return value.lower().lstrip(b"+-.") not in _REWRITTEN


def _free_keys_ok(data: dict[str, Any], key_ok: Callable[[str], bool] | None = None) -> bool:
    """Whether every key of the model's free-key mappings passes ``key_ok``.

    By default: whether it reads as the same string in YAML 1.2 (:func:`_key_ok`).
    """
    ok = _key_ok if key_ok is None else key_ok
    for section, path in FREE_KEY_MAPPINGS:
        items = data.get(section)
        if type(items) is not list:
            continue
        for item in items:
            value: object = item
            for step in path:
                value = value.get(step) if type(value) is dict else None
            if type(value) is dict and not all(map(ok, value)):
                return False
    return True


@lru_cache(maxsize=1024)
def _key_ok(key: str) -> bool:
    if not _short_key(key):
        return False  # PyYAML refuses an implicit key of more than 1,024 characters
    if " #" in key:
        return False  # a comment rapidyaml took as text (see _comment_marks)
    if not key or key[0] not in _KEY_START:
        return True
    if key[0] in "-+.0123456789~@`%,]}?:":
        return False  # a number or null, rewritten by rapidyaml (inf -> .inf), or reserved
    from graphkit.io.yaml import resolve_plain

    try:
        resolved = resolve_plain(key)
    except ValueError:  # pragma: no cover - only .inf/.nan fail, and they start with '.'
        return False
    return isinstance(resolved, str) and key.lower().encode("utf-8") not in _REWRITTEN


_KEY_START = frozenset("-+.0123456789~nNtTfFiI@`%,]}?:")


#: The keys of :data:`FREE_KEY_MAPPINGS` as orjson writes them (a quote inside a string is
#: escaped there, so these bytes occur only where such a key is).
_FREE_KEY_MARKS = (b'"goldstein_alternatives":', b'"provenance":')


def _may_hold_free_keys(dumped: bytes) -> bool:
    """Whether orjson's ``dumped`` may hold a mapping of :data:`FREE_KEY_MAPPINGS`.

    Two plain searches (a regular expression of the two keys scans five times slower).
    """
    return any(mark in dumped for mark in _FREE_KEY_MARKS)


def _count_keys(data: dict[str, Any]) -> tuple[int, bool]:
    """Count the keys of every mapping in ``data`` (in C, through orjson's serialiser).

    Also says whether ``data`` may hold a mapping of :data:`FREE_KEY_MAPPINGS`: when not,
    :func:`_free_keys_ok` (a Python pass over every item) has nothing to check.
    """
    dumped: bytes = _orjson.dumps(data)
    free_keys = _may_hold_free_keys(dumped)
    if b"\\" not in dumped:  # no escaped quote: every '":' ends a key
        return dumped.count(b'":'), free_keys
    if b'\\\\":' in dumped:
        return -1, free_keys  # a key ending in a backslash: not worth counting exactly
    return dumped.count(b'":') - dumped.count(b'\\":'), free_keys


#: orjson's indentation at the deepest nesting a text may reach before the precise reader's
#: :data:`~graphkit.io.yaml.MAX_DEPTH` could come into play (a content line of a container
#: nested ``MAX_DEPTH - 1`` deep; knowledge bases stay under ten levels).
_JSON_TOO_DEEP = b"\n" + b" " * (2 * (MAX_DEPTH - 1))
#: A line that starts an item of a top-level list in orjson's indented JSON (a mapping item).
_JSON_ITEM = b"\n    {"
#: The longest free key (decoded characters) the fast path reads: written escaped, at most six
#: characters per character, it stays under the 1,024 characters PyYAML allows an implicit key.
_JSON_KEY_MAX = 160


def _read_indented_json(raw: bytes, source: str | bytes) -> FastParsed | None:
    """Read ``raw`` with orjson alone if it is exactly what orjson writes with ``OPT_INDENT_2``.

    That is the JSON ``benchmarks.generate`` writes (and Python's ``json.dumps(data, indent=2,
    ensure_ascii=False)`` for most data); for it, rapidyaml's parse, its JSON emit and the
    node-array checks (three quarters of a fast read) are not needed. The data is proven equal
    to the precise reader's by the bytes themselves: orjson's indented serialisation of the
    data read must be ``raw`` (a final newline aside). Equal bytes rule out, with no further
    check, what JSON and YAML 1.2 read differently: duplicate keys (a dict's serialisation has
    none), numbers (orjson writes the shortest text that reads back as the same float; an
    integer too large for 64 bits, which orjson reads as a float, would come back with an
    exponent), surrogate escapes (orjson writes characters raw), keys separated from their
    colon. What remains is checked: nesting (deep lines are indented deep) and free keys too
    long for an implicit YAML key. The byte checks of :func:`fast_parse` ran before. ``None``
    when ``raw`` is anything else: the caller goes on the rapidyaml way.
    """
    try:
        data = _orjson.loads(raw)
    except _orjson.JSONDecodeError:
        return None
    if type(data) is not dict:
        return None
    dumped: bytes = _orjson.dumps(data, option=_orjson.OPT_INDENT_2)
    if len(raw) - len(dumped) not in (0, 1) or not raw.startswith(dumped):
        return None
    if raw[len(dumped) :] not in (b"", b"\n") or _JSON_TOO_DEEP in dumped:
        return None
    if _may_hold_free_keys(dumped) and not _free_keys_ok(data, _short_key):
        return None
    del dumped
    return FastParsed(data, source, _indented_json_items(raw, data))


def _short_key(key: str) -> bool:
    return len(key) <= _JSON_KEY_MAX


def _indented_json_items(
    raw: bytes, data: dict[str, Any]
) -> dict[str, list[tuple[int, int] | None]]:
    """Line and column of each mapping item of each top-level list of orjson's indented JSON.

    In that layout a mapping that is an item of a top-level list, and nothing else, starts a
    line with four spaces and ``{`` (which is where PyYAML marks a flow mapping): the items
    are those lines, in order. ``{}`` (no positions: the precise tree locates) if the count
    does not come out exact.
    """
    lines = _json_item_lines(raw) if len(raw) >= JSON_BULK_BYTES else _json_item_lines_slow(raw)
    positions: dict[str, list[tuple[int, int] | None]] = {}
    found = iter(lines)
    for name, value in data.items():
        if type(value) is not list:
            continue
        listed: list[tuple[int, int] | None] = [None] * len(value)
        positions[name] = listed
        for index, item in enumerate(value):
            if type(item) is dict:
                line = next(found, None)
                if line is None:
                    return {}
                listed[index] = (line, 5)
    return {} if next(found, None) is not None else positions


#: Texts of at least this many bytes have their JSON item lines found with numpy.
JSON_BULK_BYTES = 1 << 23


def _json_item_lines_slow(raw: bytes) -> list[int]:
    """The 1-based line of every ``{`` that follows a newline and four spaces."""
    lines: list[int] = []
    find, count = raw.find, raw.count
    at, line = 0, 1
    found = find(_JSON_ITEM)
    while found >= 0:
        line += count(b"\n", at, found + 1)
        at = found + 1
        lines.append(line)
        found = find(_JSON_ITEM, at)
    return lines


def _json_item_lines(raw: bytes) -> list[int]:
    """As :func:`_json_item_lines_slow`, over numpy views of the bytes, some megabytes at a time."""
    import numpy as np

    text = np.frombuffer(raw, dtype=np.uint8)
    size, step = len(text), 1 << 24
    lines = []
    before = 0  # newlines before the slice
    for at in range(0, size, step):
        newlines = np.flatnonzero(text[at : at + step] == 0x0A) + at
        starts = newlines[newlines + 5 < size]
        item = text[starts + 5] == 0x7B  # '{'
        for k in range(1, 5):
            item &= text[starts + k] == 0x20
        lines.append(np.flatnonzero(item) + (before + 2))
        before += len(newlines)
    found: list[int] = np.concatenate(lines).tolist() if lines else []
    return found
