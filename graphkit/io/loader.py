"""Read knowledge base files into one validated :class:`~graphkit.model.Document`.

Every problem of every file is collected and raised together as one
:class:`~graphkit.errors.LoadError` whose diagnostics name file, line and column. Items that fail
field validation are left out of the cross-item checks, so one typo does not cascade into a page
of "unknown reference" errors.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from pydantic import ValidationError

from graphkit._fs import NotRegularFileError, file_kind, read_regular
from graphkit._gc import gc_paused
from graphkit.errors import Diagnostic, LoadError
from graphkit.io.fastyaml import FastParsed, fast_parse
from graphkit.io.messages import describe
from graphkit.io.recovery import parse_recovering
from graphkit.io.validate import validate_document
from graphkit.io.vocabulary import default_vocabulary
from graphkit.io.yaml import Parsed
from graphkit.model.checks import Loc, check_document
from graphkit.model.common import sharing_source_refs
from graphkit.model.document import FORMAT_VERSION, SECTIONS, Document
from graphkit.model.vocab import Vocabulary

__all__ = ["FileCache", "Loaded", "Origin", "Origins", "expand_paths", "read_files", "read_text"]

_LISTS = ("event_types", "relation_types", *SECTIONS)
_SUFFIXES = (".yaml", ".yml")
_ID = attrgetter("id")

#: Set ``GRAPHKIT_FAST=0`` to always use the precise PyYAML reader (for comparisons).
_FAST_ENV = "GRAPHKIT_FAST"


class _Locator(Protocol):
    def locate(self, loc: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]: ...


class Origin(NamedTuple):
    """Where an item was written: file, 1-based line and column.

    A named tuple (not a frozen dataclass): a large load makes one per item, and a tuple is built
    several times faster.
    """

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


#: Where each item of a file was written: id -> (line, column).
Positions = dict[str, tuple[int, int]]


class Origins(Mapping[str, Origin]):
    """Where each item was written, by id (a later file wins, as in a merge).

    Each file's positions are kept as ``id -> (line, column)``, or as a function that lists
    them the first time one is looked up; the :class:`Origin` is made on lookup. A large load
    thus builds no object per item for locations nobody may ask for.

    Examples:
        >>> origins = Origins()
        >>> origins.add("a.yaml", {"x": (3, 5), "y": (4, 5)})
        >>> origins.add("b.yaml", {"y": (2, 3)})
        >>> origins["x"], str(origins["y"]), len(origins), "z" in origins
        (Origin(file='a.yaml', line=3, column=5), 'b.yaml:2:3', 2, False)
    """

    def __init__(self) -> None:
        self._files: list[tuple[str, Positions | Callable[[], Positions]]] = []

    def add(self, file: str, positions: Positions | Callable[[], Positions]) -> None:
        """Add the positions of one file's items, or a function that lists them."""
        self._files.append((file, positions))

    def _positions(self) -> list[tuple[str, Positions]]:
        """Each file with its positions, listed now if they were not yet."""
        files: list[tuple[str, Positions]] = []
        for index, (file, positions) in enumerate(self._files):
            if callable(positions):
                positions = positions()
                self._files[index] = (file, positions)
            files.append((file, positions))
        return files

    def __getitem__(self, item_id: str) -> Origin:
        for file, positions in reversed(self._positions()):
            found = positions.get(item_id)
            if found is not None:
                return Origin(file, *found)
        raise KeyError(item_id)

    def __iter__(self) -> Iterator[str]:
        files = self._positions()
        if len(files) == 1:
            return iter(files[0][1])
        return iter(dict.fromkeys(chain.from_iterable(p for _, p in files)))

    def __len__(self) -> int:
        files = self._positions()
        if len(files) == 1:
            return len(files[0][1])
        return len(set(chain.from_iterable(p for _, p in files)))


@dataclass
class Loaded:
    """The result of a load: the merged document, the types in force and where items came from.

    ``strict_files`` names the files whose header says ``strict: true``.
    """

    document: Document
    vocabulary: Vocabulary
    origins: Mapping[str, Origin] = field(default_factory=Origins)
    files: tuple[str, ...] = ()
    strict_files: frozenset[str] = frozenset()


@dataclass
class _File:
    name: str
    parsed: _Locator
    document: Document
    # For each list section: the original index of each item kept in ``document``.
    kept: dict[str, list[int]]
    # Ids of items left out because they failed validation, with their section.
    invalid_ids: dict[str, str] = field(default_factory=dict)


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand directories to their ``*.yaml``/``*.yml`` files (sorted); keep files as given.

    Nothing is passed over in silence: a path that does not exist, a directory that cannot be
    listed (at any depth) and anything that is not a regular file (a FIFO, a device such as
    ``/dev/zero``, a socket) are located errors. Links are followed to files, not to directories.

    Raises:
        LoadError: With every such problem (``no-such-file``, ``unreadable``, ``not-a-file``,
            ``no-files``).
    """
    out: list[Path] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        mode = _mode(path, problems)
        if mode is None:
            continue
        if stat.S_ISDIR(mode):
            known = len(problems)
            found = _yaml_files(path, problems)
            if not found and len(problems) == known:
                problems.append(
                    Diagnostic(str(path), 1, 1, "no-files", "directory holds no .yaml or .yml file")
                )
            out.extend(found)
        elif stat.S_ISREG(mode):
            out.append(path)
        else:
            problems.append(_not_a_file(path, mode))
    if problems:
        raise LoadError(problems)
    return out


def _mode(path: Path, problems: list[Diagnostic]) -> int | None:
    """The ``st_mode`` of ``path`` (links followed), or ``None`` with the problem recorded."""
    try:
        return path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        message = "no such file or directory"
        if path.is_symlink():
            message = f"the link points at {os.readlink(path)!r}, which does not exist"
        problems.append(Diagnostic(str(path), 1, 1, "no-such-file", message))
    except OSError as exc:
        problems.append(
            Diagnostic(str(path), 1, 1, "unreadable", f"cannot read: {exc.strerror or exc}")
        )
    return None


def _not_a_file(path: Path, mode: int) -> Diagnostic:
    return Diagnostic(
        str(path),
        1,
        1,
        "not-a-file",
        f"not a regular file ({file_kind(mode)})",
        "save the knowledge base to a file and give its path",
    )


def _yaml_files(folder: Path, problems: list[Diagnostic]) -> list[Path]:
    """The YAML files under ``folder``, sorted; folders that cannot be listed are problems."""

    def unlisted(exc: OSError) -> None:
        where = exc.filename if exc.filename is not None else folder
        problems.append(
            Diagnostic(
                str(where),
                1,
                1,
                "unreadable",
                f"cannot read this directory: {exc.strerror or exc}",
                "its files would be left out of the knowledge base; fix its permissions",
            )
        )

    found: list[Path] = []
    for top, _dirs, names in os.walk(folder, onerror=unlisted):
        for name in names:
            if not name.endswith(_SUFFIXES):
                continue
            path = Path(top, name)
            mode = _mode(path, problems)
            if mode is None:
                continue
            if stat.S_ISREG(mode):
                found.append(path)
            elif not stat.S_ISDIR(mode):  # a link to a folder named x.yaml is not walked
                problems.append(_not_a_file(path, mode))
    return sorted(found)


class FileCache:
    """Files read before, so that reading the same paths again reparses only the changed ones.

    ``read_files(paths, cache=cache)`` keeps each file that read without a problem, by path and
    a digest of its bytes; the next read with the same cache reuses a file whose bytes are the
    same and forgets files no longer read. The checks across items (references, duplicate ids)
    run again on every read, since an edit in one file can break a reference in another. The
    documents of reused files are shared by the knowledge bases of successive reads (graphkit
    never changes a loaded document: ``KnowledgeBase.add`` makes a new one).

    ``parsed`` and ``reused`` name the files of the latest read.

    Examples:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "actors.yaml").write_text(
        ...     "{format_version: 1, actors: [{id: A, name: Arcadia, kind: state}]}"
        ... )
        >>> events = folder / "events.yaml"
        >>> _ = events.write_text("{format_version: 1, events: []}")
        >>> cache = FileCache()
        >>> len(read_files([folder], cache=cache).document.actors), len(cache.parsed)
        (1, 2)
        >>> _ = events.write_text(
        ...     "{format_version: 1, events: [{id: e, type: statement, date: 2024, actor: A}]}"
        ... )
        >>> len(read_files([folder], cache=cache).document.events)
        1
        >>> names = lambda files: [pathlib.Path(f).name for f in files]
        >>> names(cache.parsed), names(cache.reused)
        (['events.yaml'], ['actors.yaml'])
    """

    def __init__(self) -> None:
        self._files: dict[str, tuple[bytes, _File]] = {}
        #: Files the latest read parsed (new or changed).
        self.parsed: list[str] = []
        #: Files the latest read took from the cache (unchanged bytes).
        self.reused: list[str] = []

    def _start(self, names: Iterable[str]) -> None:
        """Begin a read of ``names``: forget the other files and the latest read's lists."""
        wanted = set(names)
        self._files = {k: v for k, v in self._files.items() if k in wanted}
        self.parsed, self.reused = [], []

    def _read(self, name: str, source: str | bytes, problems: list[Diagnostic]) -> _File:
        raw = source.encode("utf-8") if isinstance(source, str) else source
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        known = self._files.get(name)
        if known is not None and known[0] == digest:
            self.reused.append(name)
            return known[1]
        before = len(problems)
        file = _read_one(name, source, problems)
        self.parsed.append(name)
        if len(problems) == before:
            self._files[name] = (digest, file)
        else:  # a file with problems is read again next time, to report them again
            self._files.pop(name, None)
        return file


def read_files(
    paths: Iterable[str | os.PathLike[str]], *, cache: FileCache | None = None
) -> Loaded:
    """Read, validate and merge YAML files (directories are expanded).

    With a :class:`FileCache`, files whose bytes did not change since the cache's previous read
    are not parsed again.

    Raises:
        LoadError: With every problem found in every file.
    """
    texts: list[tuple[str, str | bytes]] = []
    problems: list[Diagnostic] = []
    for path in expand_paths(paths):
        try:
            texts.append((str(path), read_regular(path)))  # decoded only if read the precise way
        except NotRegularFileError as exc:  # replaced since it was listed
            problems.append(Diagnostic(str(path), 1, 1, "not-a-file", exc.strerror or str(exc)))
        except OSError as exc:
            problems.append(
                Diagnostic(str(path), 1, 1, "unreadable", f"cannot read: {exc.strerror or exc}")
            )
    return _read(texts, problems, cache)


def read_text(text: str, name: str = "<string>") -> Loaded:
    """Read, validate and check one YAML text; ``name`` is used in diagnostics.

    Raises:
        LoadError: With every problem found.
    """
    return _read([(name, text)], [])


def _read(
    texts: list[tuple[str, str | bytes]],
    problems: list[Diagnostic],
    cache: FileCache | None = None,
) -> Loaded:
    files: list[_File] = []
    read_one = _read_one if cache is None else cache._read
    if cache is not None:
        cache._start(name for name, _ in texts)
    with gc_paused(keep=True), sharing_source_refs():
        for name, text in texts:
            files.append(read_one(name, text, problems))
        merged, origin_of = _merge(files)
        _check_bases(files, problems)
        vocabulary = default_vocabulary().extended(merged.event_types, merged.relation_types)
        invalid_ids = {k: v for f in files for k, v in f.invalid_ids.items()}
        for problem in check_document(merged, default_vocabulary(), invalid_ids=invalid_ids):
            where = origin_of(problem.loc)
            line, column = where[0].parsed.locate(where[1])
            hint = problem.hint
            if problem.see is not None:
                first_file, first_loc = origin_of(problem.see)
                first_line, first_column = first_file.parsed.locate(first_loc)
                hint = f"first defined at {first_file.name}:{first_line}:{first_column}"
            problems.append(
                Diagnostic(where[0].name, line, column, problem.code, problem.message, hint)
            )
        if problems:
            raise LoadError(problems)
        origins = _origins(files)
    strict_files = frozenset(f.name for f in files if f.document.strict)
    return Loaded(merged, vocabulary, origins, tuple(f.name for f in files), strict_files)


def _check_bases(files: list[_File], problems: list[Diagnostic]) -> None:
    """Files loaded together must not declare different base IRIs."""
    first: _File | None = None
    for file in files:
        base = file.document.base
        if base is None:
            continue
        if first is None:
            first = file
        elif base != first.document.base:
            line, column = file.parsed.locate(("base",))
            first_line, first_column = first.parsed.locate(("base",))
            problems.append(
                Diagnostic(
                    file.name,
                    line,
                    column,
                    "conflicting-base",
                    f"base {base!r} differs from {first.document.base!r}",
                    f"declared at {first.name}:{first_line}:{first_column}; "
                    "files loaded together share one base IRI",
                )
            )


def _read_one(name: str, source: str | bytes, problems: list[Diagnostic]) -> _File:
    fast = _read_fast(name, source)
    if fast is not None:
        return fast
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Diagnostic(name, 1, 1, "not-utf8", f"not UTF-8 text ({exc.reason})"))
            return _unread(name)
    return _read_precise(name, source, problems)


def _unread(name: str) -> _File:
    """A file whose content could not be read: nothing in it, and nothing to locate."""
    return _File(name, Parsed(None, None), Document(format_version=1), {})


def _read_fast(name: str, source: str | bytes) -> _File | None:
    """Read a valid file through :mod:`graphkit.io.fastyaml`; ``None`` when that path declines.

    Any file that is unusual or fails validation is left to :func:`_read_precise`, which gives
    the located diagnostics.
    """
    if os.environ.get(_FAST_ENV, "1") == "0":
        return None
    parsed = fast_parse(source)
    if parsed is None:
        return None
    data = parsed.data
    if not isinstance(data, dict) or not _is_format_version(data.get("format_version")):
        return None
    try:
        document = validate_document(data)
    except ValidationError:
        return None
    parsed.data = None  # the document holds everything now; let the raw data go
    kept = {section: list(range(len(getattr(document, section)))) for section in _LISTS}
    return _File(name, parsed, document, kept)


def _is_format_version(value: object) -> bool:
    """Whether ``value`` is the integer :data:`FORMAT_VERSION` (``true`` and ``1.0`` are not)."""
    return type(value) is int and value == FORMAT_VERSION


def _read_precise(name: str, text: str, problems: list[Diagnostic]) -> _File:
    """Read a file with the PyYAML node reader, reporting every problem with its location."""
    empty = _unread(name)
    recovered = parse_recovering(text)
    for p in recovered.problems:
        problems.append(Diagnostic(name, p.line, p.column, p.code, p.message, p.hint))
    parsed = recovered.parsed
    if parsed is None or (recovered.problems and not isinstance(parsed.data, dict)):
        empty.invalid_ids.update(recovered.skipped)
        return empty
    data = parsed.data
    if recovered.problems and isinstance(data, dict):  # what the skipped items left is checked too
        for section in recovered.skipped_sections:
            if section in data and data[section] is None:
                data[section] = []  # every item of the section was skipped
        if recovered.header_skipped:
            data.setdefault("format_version", FORMAT_VERSION)
    if data is None:
        problems.append(
            Diagnostic(
                name,
                1,
                1,
                "empty-file",
                "the file is empty",
                f"start it with 'format_version: {FORMAT_VERSION}'",
            )
        )
        return empty
    if not isinstance(data, dict):
        line, column = parsed.locate(())
        problems.append(
            Diagnostic(
                name,
                line,
                column,
                "not-a-mapping",
                "the top level must be a mapping of sections",
                f"start it with 'format_version: {FORMAT_VERSION}'",
            )
        )
        return empty
    version = data.get("format_version")
    if not _is_format_version(version):
        if "format_version" not in data:
            problems.append(
                Diagnostic(
                    name,
                    1,
                    1,
                    "no-format-version",
                    "missing format_version",
                    f"add 'format_version: {FORMAT_VERSION}' at the top of the file",
                )
            )
        else:
            line, column = parsed.locate(("format_version",))
            problems.append(
                Diagnostic(
                    name,
                    line,
                    column,
                    "bad-format-version",
                    f"unsupported format_version {version!r}",
                    f"this graphkit reads format_version {FORMAT_VERSION}",
                )
            )
        return _File(name, parsed, Document(format_version=1), {})
    try:
        document = Document.model_validate(data)
    except ValidationError as exc:
        read = _partial(name, parsed, data, exc, problems)
    else:
        kept = {section: list(range(len(getattr(document, section)))) for section in _LISTS}
        read = _File(name, parsed, document, kept)
    for item_id, section in recovered.skipped.items():
        read.invalid_ids.setdefault(item_id, section)
    return read


def _partial(
    name: str,
    parsed: _Locator,
    data: dict[Any, Any],
    exc: ValidationError,
    problems: list[Diagnostic],
) -> _File:
    """Report field errors, then keep the items that are valid for the cross-item checks."""
    bad_items: set[tuple[str, int]] = set()
    bad_sections: set[str] = set()
    for error in exc.errors(include_url=False):
        loc, code, message, hint, at_key = describe(error, data)
        line, column = parsed.locate(loc, key=at_key)
        problems.append(Diagnostic(name, line, column, code, message, hint))
        raw = tuple(error["loc"])
        if len(raw) >= 2 and isinstance(raw[0], str) and isinstance(raw[1], int):
            bad_items.add((raw[0], raw[1]))
        elif raw:
            bad_sections.add(str(raw[0]))
    kept: dict[str, list[int]] = {}
    invalid_ids: dict[str, str] = {}
    clean: dict[str, Any] = {"format_version": FORMAT_VERSION}
    if "base" not in bad_sections and isinstance(data.get("base"), str):
        clean["base"] = data["base"]
    for section in _LISTS:
        items = data.get(section)
        if not isinstance(items, list):
            kept[section] = []
            continue
        for i, item in enumerate(items):
            if ((section, i) in bad_items or section in bad_sections) and isinstance(item, dict):
                item_id = item.get("id")
                if isinstance(item_id, str):
                    invalid_ids.setdefault(item_id, section)
        if section in bad_sections:
            kept[section] = []
            continue
        indexes = [i for i in range(len(items)) if (section, i) not in bad_items]
        kept[section] = indexes
        clean[section] = [items[i] for i in indexes]
    return _File(name, parsed, Document.model_validate(clean), kept, invalid_ids)


def _merge(files: list[_File]) -> tuple[Document, Any]:
    """Concatenate the files' sections; return the merged document and a loc -> origin mapper."""
    if len(files) == 1:
        only = files[0]

        def single(loc: Loc) -> tuple[_File, Loc]:
            return only, _original(only, loc)

        return only.document, single
    sections: dict[str, Any] = {section: [] for section in _LISTS}
    owner: dict[str, list[tuple[_File, int]]] = {section: [] for section in _LISTS}
    for file in files:
        for section in _LISTS:
            items = getattr(file.document, section)
            sections[section].extend(items)
            owner[section].extend((file, i) for i in range(len(items)))
    bases = [f.document.base for f in files if f.document.base is not None]
    merged = Document.model_construct(
        None, format_version=1, base=bases[0] if bases else None, **sections
    )

    def mapper(loc: Loc) -> tuple[_File, Loc]:
        section, index = str(loc[0]), int(loc[1])
        file, local = owner[section][index]
        return file, _original(file, (section, local, *loc[2:]))

    return merged, mapper


def _original(file: _File, loc: Loc) -> Loc:
    """Map a location in a file's kept items back to the location in the file as written."""
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int) and file.kept:
        indexes = file.kept.get(loc[0])
        if indexes is not None and loc[1] < len(indexes):
            return (loc[0], indexes[loc[1]], *loc[2:])
    return loc


def _origins(files: list[_File]) -> Origins:
    origins = Origins()
    for file in files:
        known = _known_positions(file)
        if known is not None:  # listed by id on first lookup: nothing else of the file is kept
            origins.add(file.name, partial(_by_id, known))
            continue
        positions: Positions = {}
        if isinstance(file.parsed, FastParsed):  # every item kept, most positions known
            items = file.parsed.items
            for section in SECTIONS:
                listed = getattr(file.document, section)
                spots = items.get(section, [])
                for local, item in enumerate(listed):
                    spot = spots[local] if local < len(spots) else None
                    positions[item.id] = spot or file.parsed.locate((section, local))
        else:
            for section in SECTIONS:
                for local, item in enumerate(getattr(file.document, section)):
                    positions[item.id] = file.parsed.locate(_original(file, (section, local)))
        origins.add(file.name, positions)
    return origins


def _known_positions(file: _File) -> list[tuple[list[Any], list[tuple[int, int]]]] | None:
    """Each section's items with their positions, if the fast path found every one."""
    if not isinstance(file.parsed, FastParsed):
        return None
    known = []
    for section in SECTIONS:
        listed = getattr(file.document, section)
        spots = file.parsed.items.get(section, [])
        if len(spots) != len(listed) or not all(spots):
            return None
        known.append((listed, spots))
    return known  # type: ignore[return-value]


def _by_id(known: list[tuple[list[Any], list[tuple[int, int]]]]) -> Positions:
    positions: Positions = {}
    for listed, spots in known:
        positions.update(zip(map(_ID, listed), spots, strict=True))
    return positions
