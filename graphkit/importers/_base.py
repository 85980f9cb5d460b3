"""Shared machinery of the importers: errors, row problems, streaming input, id building.

Every importer reads its input row by row (the :mod:`csv` module over a byte-counting stream),
turns each good row into validated model objects, and records each bad row as a
:class:`RowProblem` with its file and line, or raises :class:`ImporterError` at once when asked to
(``on_error="fail"``). Nothing is dropped without a problem being recorded.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

from pydantic import ValidationError

from graphkit._fs import file_kind, open_regular, read_regular
from graphkit.errors import GraphkitError
from graphkit.io.loader import read_text
from graphkit.io.yaml import YamlError, parse_yaml
from graphkit.model.actor import Actor
from graphkit.model.document import FORMAT_VERSION, Document
from graphkit.model.event import Event
from graphkit.model.source import Source

__all__ = [
    "ActorMap",
    "ImportResult",
    "ImporterError",
    "OnError",
    "Progress",
    "RowProblem",
    "clean_line",
    "clean_text",
    "read_document",
    "read_text_document",
    "short_hash",
    "slug",
]

#: What to do with a malformed row: record it and go on, or stop at once.
OnError = Literal["skip", "fail"]

#: Called with (bytes read so far, total bytes of all inputs or ``None`` when unknown).
Progress = Callable[[int, int | None], None]


class ImporterError(GraphkitError, ValueError):
    """An input file could not be imported; the message starts with ``file:line:``."""


class BadRow(Exception):
    """A row that cannot be imported; the message says why (reported with its line)."""


@dataclass(frozen=True)
class RowProblem:
    """A malformed input row that was skipped: where it is and what is wrong with it.

    Examples:
        >>> str(RowProblem("events.tsv", 12, "expected 61 columns, got 60"))
        'events.tsv:12: expected 61 columns, got 60'
    """

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """Return the problem as a JSON-ready mapping."""
        return {"file": self.file, "line": self.line, "message": self.message}


@dataclass
class ImportResult:
    """What an import produced: the document, counts, and every skipped row.

    ``external_actors`` are curated actor ids that imported facts point at (through an actor
    map); they are not defined in ``document``, so the output loads together with the curated
    knowledge base that defines them. ``already_curated`` counts records left out because their id
    is already in the curated knowledge base given to the importer.
    """

    document: Document
    dataset: str
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    already_curated: int = 0
    duplicates: int = 0
    external_actors: set[str] = field(default_factory=set)

    def summary(self) -> dict[str, Any]:
        """Counts as printed by ``graphkit import --json``."""
        doc = self.document
        return {
            "dataset": self.dataset,
            "rows": self.rows,
            "events": len(doc.events),
            "relations": len(doc.relations),
            "actors": len(doc.actors),
            "sources": len(doc.sources),
            "skipped": len(self.problems),
            "duplicates": self.duplicates,
            "already_curated": self.already_curated,
            "external_actors": sorted(self.external_actors),
            "problems": [p.to_dict() for p in self.problems],
        }


class ActorMap:
    """Dataset codes and names mapped to curated actor ids (``--actors map.yaml``).

    The file is a YAML mapping, either flat (applies to every dataset) or keyed by dataset::

        gdelt:
          RUS: RUS              # GDELT actor code -> curated id
          PRKGOV: PRK
        acled:
          Military Forces of Russia (2000-): RUS-MIL
        RUSMIL: RUS-MIL         # a flat entry: any dataset

    Keys match exactly first, then case-insensitively.

    Examples:
        >>> m = ActorMap({"gdelt": {"RUS": "RUS"}, "Wagner Group": "WAGNER"})
        >>> m.lookup("gdelt", "RUS"), m.lookup("acled", "wagner group"), m.lookup("acled", "RUS")
        ('RUS', 'WAGNER', None)
    """

    DATASETS = ("gdelt", "acled", "stix")

    def __init__(self, data: Mapping[str, object] | None = None) -> None:
        self._by_dataset: dict[str, dict[str, str]] = {}
        self._any: dict[str, str] = {}
        for key, value in (data or {}).items():
            if key in self.DATASETS and isinstance(value, Mapping):
                target = self._by_dataset.setdefault(key, {})
                for code, actor_id in value.items():
                    target[str(code)] = self._id(code, actor_id)
            else:
                self._any[str(key)] = self._id(key, value)
        self._folded = {
            name: {k.casefold(): v for k, v in table.items()}
            for name, table in self._by_dataset.items()
        }
        self._any_folded = {k.casefold(): v for k, v in self._any.items()}

    @staticmethod
    def _id(code: object, actor_id: object) -> str:
        if not isinstance(actor_id, str) or not actor_id.strip():
            raise ImporterError(f"actor map: {code!r} must map to an actor id, got {actor_id!r}")
        return actor_id

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ActorMap:
        """Read a map file.

        Raises:
            ImporterError: If the file cannot be read or is not a mapping of strings.
        """
        name = str(path)
        try:
            data = parse_yaml(read_regular(path).decode("utf-8"), text_keys=False).data
        except OSError as exc:
            raise ImporterError(f"{name}: cannot read: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise ImporterError(f"{name}: not UTF-8 text ({exc.reason})") from exc
        except YamlError as exc:
            p = exc.problem
            raise ImporterError(f"{name}:{p.line}:{p.column}: {p.message}") from exc
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ImporterError(f"{name}:1: an actor map must be a mapping of code: actor id")
        try:
            return cls(data)
        except ImporterError as exc:
            raise ImporterError(f"{name}: {exc}") from exc

    def lookup(self, dataset: str, key: str) -> str | None:
        """Return the curated actor id for ``key`` in ``dataset``, or ``None``."""
        table = self._by_dataset.get(dataset, {})
        found = table.get(key) or self._any.get(key)
        if found is not None:
            return found
        folded = key.casefold()
        return self._folded.get(dataset, {}).get(folded) or self._any_folded.get(folded)

    def targets(self) -> set[str]:
        """Every curated actor id the map points at."""
        return {*self._any.values(), *(v for t in self._by_dataset.values() for v in t.values())}


_SLUG_DROP = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\s+")


def slug(text: str) -> str:
    """Return a lowercase ASCII slug of ``text`` (``-`` between words), or ``x`` if empty.

    Examples:
        >>> slug("Military Forces of Russia (2000-)")
        'military-forces-of-russia-2000'
    """
    return _SLUG_DROP.sub("-", text.casefold()).strip("-") or "x"


def short_hash(text: str, length: int = 12) -> str:
    """Return the first ``length`` hex digits of the SHA-256 of ``text`` (stable across runs).

    Examples:
        >>> short_hash("https://example.org/a")
        'b5b10dd0429e'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def clean_line(text: str) -> str:
    r"""Collapse whitespace (newlines included) and drop control characters: a one-line string.

    Examples:
        >>> clean_line("  Kyiv\nIndependent\x0b ")
        'Kyiv Independent'
    """
    return _LINE_BREAKS.sub(" ", _CONTROL.sub(" ", text)).strip()


def clean_text(text: str) -> str:
    """Drop control characters other than tab and newline; strip surrounding whitespace."""
    return _CONTROL.sub(" ", text).strip()


class _CountingReader(io.RawIOBase):
    """A raw binary stream that reports how many bytes were read."""

    def __init__(self, raw: BinaryIO, on_read: Callable[[int], None]) -> None:
        self._raw = raw
        self._on_read = on_read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        if size:
            self._on_read(size)
        return size


class Reader:
    """Streams text lines from the input files, reporting progress in bytes.

    One instance serves a whole multi-file import so the progress total covers every file.
    """

    def __init__(self, paths: Iterable[str | os.PathLike[str]], progress: Progress | None) -> None:
        self.paths = [Path(p) for p in paths]
        self.progress = progress
        self.done = 0
        total: int | None = 0
        for path in self.paths:
            try:
                info = path.stat()
            except OSError as exc:
                raise ImporterError(f"{path}: cannot read: {exc.strerror or exc}") from exc
            if stat.S_ISDIR(info.st_mode):
                raise ImporterError(f"{path}: cannot read: is a directory (give the files in it)")
            if not stat.S_ISREG(info.st_mode):
                raise ImporterError(
                    f"{path}: cannot read: not a regular file ({file_kind(info.st_mode)})"
                )
            total = None if total is None else total + info.st_size
        self.total = total

    def _advance(self, size: int) -> None:
        self.done += size
        if self.progress is not None:
            self.progress(self.done, self.total)

    @contextmanager
    def open(self, path: Path) -> Iterator[io.TextIOWrapper]:
        """Open ``path`` as UTF-8 text (BOM skipped) through the counting stream."""
        try:
            raw = open_regular(path)
        except OSError as exc:
            raise ImporterError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        with raw:
            buffered = io.BufferedReader(_CountingReader(raw, self._advance), 1 << 16)
            text = io.TextIOWrapper(buffered, encoding="utf-8-sig", newline="")
            try:
                yield text
            finally:
                text.detach()

    @contextmanager
    def csv_rows(self, path: Path, **options: Any) -> Iterator[Iterator[tuple[int, list[str]]]]:
        """Open ``path`` as CSV (``options`` go to :func:`csv.reader`): its rows and line numbers.

        Text that is not UTF-8 or a malformed CSV row raises :class:`ImporterError` with its line.
        """
        with self.open(path) as handle:
            yield _located_rows(path, handle, options)


def _located_rows(
    path: Path, handle: io.TextIOWrapper, options: dict[str, Any]
) -> Iterator[tuple[int, list[str]]]:
    records = csv.reader(handle, **options)
    try:
        for row in records:
            yield records.line_num, row
    except UnicodeDecodeError as exc:
        raise ImporterError(
            f"{path}:{records.line_num + 1}: not UTF-8 text ({exc.reason})"
        ) from exc
    except csv.Error as exc:
        raise ImporterError(f"{path}:{records.line_num}: {exc}") from exc


def row_error(
    problems: list[RowProblem], on_error: OnError, file: str, line: int, message: str
) -> None:
    """Record a malformed row, or raise :class:`ImporterError` when ``on_error`` is ``fail``."""
    problem = RowProblem(file, line, message)
    if on_error == "fail":
        raise ImporterError(f"{problem} (use --on-error skip to skip malformed rows)")
    problems.append(problem)


def validation_message(exc: ValidationError) -> str:
    """A one-line summary of a pydantic error, for row problems."""
    parts = []
    for error in exc.errors(include_url=False)[:3]:
        where = ".".join(str(step) for step in error["loc"] if not str(step).startswith("function"))
        parts.append(f"{where}: {error['msg']}" if where else str(error["msg"]))
    return "; ".join(parts)


class Builder:
    """Collects the actors, sources and events of one import, keyed by their stable ids.

    ``known_ids`` are ids of the curated knowledge base: records with those ids are not emitted
    again (an event already curated is counted in ``already_curated``; an actor or source already
    curated is referenced, not redefined).
    """

    def __init__(self, dataset: str, known_ids: Iterable[str] = ()) -> None:
        self.dataset = dataset
        self.known = set(known_ids)
        self.actors: dict[str, Actor] = {}
        self.sources: dict[str, Source] = {}
        self.events: dict[str, Event] = {}
        self.external: set[str] = set()
        self.already_curated = 0
        self.duplicates = 0

    def is_new_event(self, event_id: str) -> bool:
        """Whether ``event_id`` is still to be imported (neither curated nor imported before).

        An id already curated is counted in ``already_curated``, one imported before in
        ``duplicates``.
        """
        if event_id in self.known:
            self.already_curated += 1
            return False
        if event_id in self.events:
            self.duplicates += 1
            return False
        return True

    def add_event(self, data: Mapping[str, Any]) -> None:
        """Validate ``data`` as an event (fields ``None`` or ``[]`` left out) and keep it."""
        event = Event.model_validate({k: v for k, v in data.items() if v not in (None, [])})
        self.events[str(data["id"])] = event

    def add_source(self, data: Mapping[str, Any]) -> str:
        """Keep ``data`` as a source unless its id is collected or curated already; return it."""
        source_id = str(data["id"])
        if source_id not in self.sources and source_id not in self.known:
            self.sources[source_id] = Source.model_validate(data)
        return source_id

    def document(self) -> Document:
        """Return the collected records as a document (sections in first-seen order)."""
        return Document(
            format_version=1,
            sources=list(self.sources.values()),
            actors=list(self.actors.values()),
            events=list(self.events.values()),
        )

    def result(self, rows: int, problems: list[RowProblem]) -> ImportResult:
        """The outcome of the import: the document, the counts and the row problems."""
        return ImportResult(
            self.document(),
            self.dataset,
            rows=rows,
            problems=problems,
            already_curated=self.already_curated,
            duplicates=self.duplicates,
            external_actors=self.external,
        )


class RowImport:
    """The steps the row-by-row importers (GDELT, ACLED) share; a subclass reads one row.

    A row is read by :meth:`row`: blank rows are passed over, and a row that
    :meth:`read_row` rejects (:class:`BadRow`, or a model validation error) is recorded as a
    :class:`RowProblem`, or raises with ``on_error="fail"``.
    """

    def __init__(self, builder: Builder, actor_map: ActorMap, on_error: OnError) -> None:
        self.builder = builder
        self.actor_map = actor_map
        self.on_error = on_error
        self.problems: list[RowProblem] = []

    def row(self, file: str, line: int, row: list[str]) -> None:
        """Import one row of ``file`` (at ``line``), or record why it cannot be imported.

        A blank line carries no record and is passed over; a row of separators with every field
        empty is a malformed record, recorded like any other.
        """
        if not any(cell.strip() for cell in row):
            if len(row) > 1:
                row_error(self.problems, self.on_error, file, line, "every field is empty")
            return
        try:
            self.read_row(row)
        except BadRow as exc:
            row_error(self.problems, self.on_error, file, line, str(exc))
        except ValidationError as exc:
            row_error(self.problems, self.on_error, file, line, validation_message(exc))

    def read_row(self, row: list[str]) -> None:
        """Turn one non-blank row into records of the builder; :class:`BadRow` if it is bad."""
        raise NotImplementedError

    def mapped_actor(self, key: str) -> str | None:
        """The curated actor id the actor map gives ``key`` (noted as external), or ``None``."""
        mapped = self.actor_map.lookup(self.builder.dataset, key)
        if mapped is not None:
            self.builder.external.add(mapped)
        return mapped


def read_text_document(text: str, name: str = "<string>") -> Document:
    """Like :func:`read_document`, from text.

    Raises:
        graphkit.errors.LoadError: With located messages when the text is not valid.
    """
    try:
        data = parse_yaml(text).data
        if isinstance(data, dict) and data.get("format_version") == FORMAT_VERSION:
            return Document.model_validate(data)
    except (YamlError, ValidationError):
        pass
    read_text(text, name)  # raises a LoadError with every located problem
    raise ImporterError(f"{name}: not a graphkit knowledge base")  # pragma: no cover


def read_document(path: str | os.PathLike[str]) -> Document:
    """Read one knowledge base file with field validation but no cross-file reference checks.

    Used where a file may point at ids defined elsewhere (an import that references curated
    actors, one side of a merge).

    Raises:
        graphkit.errors.LoadError: With located messages when the file is not valid on its own
            terms (syntax, fields, format version).
        ImporterError: If the file cannot be read.
    """
    name = str(path)
    try:
        text = read_regular(path).decode("utf-8")
    except OSError as exc:
        raise ImporterError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ImporterError(f"{name}: not UTF-8 text ({exc.reason})") from exc
    return read_text_document(text, name)
