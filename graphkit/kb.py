"""The knowledge base: a validated document with lookups an analyst types.

>>> import graphkit as gk
>>> kb = gk.loads('''
... format_version: 1
... sources: [{id: s1, title: Report, reliability: B}]
... actors:
...   - {id: PRK, name: North Korea, kind: state, aliases: [DPRK]}
...   - {id: RUS, name: Russia, kind: state}
... events:
...   - {id: e1, type: troop_deployment, date: 2024-10, actor: PRK, target: RUS, sources: [s1]}
... ''')
>>> kb.actor("dprk").name
'North Korea'
>>> [e.id for e in kb.events.where(type="troop_deployment", actor="PRK")]
['e1']
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from graphkit.errors import UnknownActorError, UnknownIdError, did_you_mean
from graphkit.io.dump import dump_yaml
from graphkit.io.loader import Loaded, Origin, read_files, read_text
from graphkit.io.vocabulary import default_vocabulary
from graphkit.model.actor import Actor
from graphkit.model.checks import check_document
from graphkit.model.dates import Overlap, window
from graphkit.model.document import Document
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.model.source import Source
from graphkit.model.vocab import Vocabulary

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Actors", "Events", "Items", "KnowledgeBase", "Relations", "load", "loads"]

T = TypeVar("T", Source, Actor, Relation, Event)


class Items(Generic[T]):
    """A read-only, ordered collection of items with lookup by id.

    ``items[id]`` raises :class:`~graphkit.errors.UnknownIdError` (a ``KeyError``) with
    suggestions; ``items.get(id)`` returns ``None``.
    """

    kind = "item"

    def __init__(self, items: Iterable[T]) -> None:
        self._items: list[T] = list(items)
        self._by_id: dict[str, T] = {item.id: item for item in self._items}

    def __getitem__(self, item_id: str) -> T:
        found = self._by_id.get(item_id)
        if found is None:
            raise UnknownIdError(self.kind, item_id, did_you_mean(item_id, self._by_id))
        return found

    def get(self, item_id: str) -> T | None:
        """Return the item with this id, or ``None``."""
        return self._by_id.get(item_id)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._by_id

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {len(self)} {self.kind}s>"

    def ids(self) -> list[str]:
        """The ids, in file order."""
        return [item.id for item in self._items]

    def filter(self, predicate: Callable[[T], bool]) -> Self:
        """Return the items for which ``predicate`` is true, as the same kind of collection."""
        return type(self)(item for item in self._items if predicate(item))

    def to_records(self) -> list[dict[str, Any]]:
        """Return the items as plain dicts (JSON-ready), defaults left out."""
        return [
            item.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            for item in self._items
        ]

    def to_pandas(self) -> Any:
        """Return the records as a pandas ``DataFrame`` (needs the optional ``pandas`` extra)."""
        import pandas as pd  # type: ignore[import-untyped, unused-ignore]

        return pd.DataFrame.from_records(self.to_records())


class Sources(Items[Source]):
    """The sources of a knowledge base."""

    kind = "source"


class Actors(Items[Actor]):
    """The actors of a knowledge base; :meth:`resolve` finds one by id, name or alias."""

    kind = "actor"

    def __init__(self, items: Iterable[Actor]) -> None:
        super().__init__(items)
        self._names: dict[str, Actor] = {}
        for actor in self._items:
            for name in (actor.id, actor.name, *actor.aliases):
                self._names.setdefault(name.casefold(), actor)
        for actor in self._items:  # an exact id always wins over another actor's alias
            self._names[actor.id.casefold()] = actor

    def resolve(self, name: str | Actor) -> Actor:
        """Return the actor whose id, name or alias is ``name`` (case-insensitive).

        Raises:
            UnknownActorError: If nothing matches; the error lists close matches.
        """
        if isinstance(name, Actor):
            return name
        found = self._names.get(name.casefold()) if isinstance(name, str) else None
        if found is None:
            close = did_you_mean(str(name), [*self._by_id, *(a.name for a in self._items)])
            raise UnknownActorError(str(name), close)
        return found


class Events(Items[Event]):
    """The events of a knowledge base, with filters that return events."""

    kind = "event"

    def where(
        self,
        *,
        type: str | Iterable[str] | None = None,  # noqa: A002 - the YAML field is called type
        actor: str | None = None,
    ) -> Events:
        """Return events of a type (or types) and/or involving an actor id (in any role)."""
        types = {type} if isinstance(type, str) else (set(type) if type is not None else None)
        return self.filter(
            lambda e: (types is None or e.type in types) and (actor is None or actor in e.actor_ids)
        )

    def between(self, start: object, end: object, *, certain: bool = False) -> Events:
        """Return events that possibly (or, with ``certain``, certainly) fall in the window."""
        a, b = window(start, end)
        wanted = Overlap.CERTAIN if certain else Overlap.POSSIBLE
        return self.filter(lambda e: e.extent.overlap(a, b) >= wanted)

    def sorted(self) -> Events:
        """Return the events in time order (first possible day, then last, then id)."""
        return Events(sorted(self._items, key=lambda e: (e.extent.lo, e.extent.hi, e.id)))


class Relations(Items[Relation]):
    """The relations of a knowledge base, with time filters."""

    kind = "relation"

    def valid_at(self, when: object, *, certain: bool = False) -> Relations:
        """Return relations that possibly (or certainly) held on the date ``when``."""
        return self.valid_between(when, when, certain=certain)

    def valid_between(self, start: object, end: object, *, certain: bool = False) -> Relations:
        """Return relations that possibly (or certainly) held at some time in the window."""
        a, b = window(start, end)
        wanted = Overlap.CERTAIN if certain else Overlap.POSSIBLE
        return self.filter(lambda r: r.extent.overlap(a, b) >= wanted)

    def where(
        self, *, type: str | Iterable[str] | None = None, actor: str | None = None
    ) -> Relations:  # noqa: A002
        """Return relations of a type (or types) and/or with an actor at either end."""
        types = {type} if isinstance(type, str) else (set(type) if type is not None else None)
        return self.filter(
            lambda r: (
                (types is None or r.type in types) and (actor is None or actor in (r.from_, r.to))
            )
        )


class KnowledgeBase:
    """Sources, actors, relations and events, validated and cross-checked, with lookups.

    Build one with :func:`load` or :func:`loads`, or from a :class:`~graphkit.model.Document`
    with :meth:`from_document` (which runs the same checks). Two knowledge bases are equal when
    they hold the same facts (see :meth:`graphkit.model.Document.same_facts`).
    """

    def __init__(self, loaded: Loaded) -> None:
        self.document: Document = loaded.document
        self.vocabulary: Vocabulary = loaded.vocabulary
        self.origins: dict[str, Origin] = loaded.origins
        self.files: tuple[str, ...] = loaded.files
        self.sources = Sources(self.document.sources)
        self.actors = Actors(self.document.actors)
        self.relations = Relations(self.document.relations)
        self.events = Events(self.document.events)

    @classmethod
    def from_document(cls, document: Document) -> KnowledgeBase:
        """Check ``document`` like a loaded file and wrap it.

        Raises:
            LoadError: If cross-item checks fail (locations are given as paths, line 0).
        """
        from graphkit.errors import Diagnostic, LoadError

        problems = check_document(document, default_vocabulary())
        if problems:
            raise LoadError(
                Diagnostic("<document>", 0, 0, p.code, f"{_path(p.loc)}: {p.message}", p.hint)
                for p in problems
            )
        vocabulary = default_vocabulary().extended(document.event_types, document.relation_types)
        return cls(Loaded(document, vocabulary))

    def actor(self, name: str) -> Actor:
        """Return the actor named ``name`` by id, name or alias, case-insensitively.

        Raises:
            UnknownActorError: If nothing matches; the error lists close matches.
        """
        return self.actors.resolve(name)

    def date_range(self) -> tuple[date, date] | None:
        """First and last day any event or dated relation touches, or ``None`` if undated."""
        bounds: list[int] = []
        for event in self.events:
            extent = event.extent
            bounds.append(extent.lo)
            if extent.hi < date.max.toordinal():
                bounds.append(extent.hi)
        for relation in self.relations:
            for point in (relation.start, relation.end):
                if point is not None:
                    bounds.extend((point.lo, point.hi))
        if not bounds:
            return None
        return date.fromordinal(min(bounds)), date.fromordinal(max(bounds))

    def summary(self) -> dict[str, Any]:
        """Counts and date range, as shown by ``graphkit info``."""
        span = self.date_range()
        types: dict[str, int] = {}
        for event in self.events:
            types[event.type] = types.get(event.type, 0) + 1
        return {
            "files": list(self.files),
            "sources": len(self.sources),
            "actors": len(self.actors),
            "relations": len(self.relations),
            "events": len(self.events),
            "first_date": span[0].isoformat() if span else None,
            "last_date": span[1].isoformat() if span else None,
            "event_types": dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
        }

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The actor graph (built on first use); see :mod:`graphkit.graph`."""
        from graphkit.graph import build_graph

        return build_graph(self.document, self.vocabulary)

    def to_yaml(self) -> str:
        """Return the knowledge base as YAML text in the graphkit format."""
        return dump_yaml(self.document)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KnowledgeBase):
            return NotImplemented
        return self.document.same_facts(other.document)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<KnowledgeBase: {len(self.actors)} actors, {len(self.relations)} relations, "
            f"{len(self.events)} events, {len(self.sources)} sources>"
        )


def _path(loc: tuple[str | int, ...]) -> str:
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def load(*paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> KnowledgeBase:
    """Load a knowledge base from YAML files or directories (merged into one).

    Raises:
        LoadError: Listing every problem with its file, line and column.
    """
    flat: list[str | os.PathLike[str]] = []
    for path in paths:
        if isinstance(path, (str, os.PathLike)):
            flat.append(path)
        else:
            flat.extend(path)
    return KnowledgeBase(read_files(flat))


def loads(text: str, *, name: str = "<string>") -> KnowledgeBase:
    """Load a knowledge base from YAML text; ``name`` appears in error locations.

    Raises:
        LoadError: Listing every problem with its line and column.
    """
    return KnowledgeBase(read_text(text, name))
