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
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from graphkit.errors import UnknownActorError, UnknownIdError, did_you_mean
from graphkit.io.dump import dump_yaml
from graphkit.io.loader import Loaded, Origin, read_files, read_text
from graphkit.io.vocabulary import default_vocabulary
from graphkit.model.actor import Actor
from graphkit.model.checks import check_document
from graphkit.model.common import SourceRef
from graphkit.model.dates import Bounds, Overlap, PartialDate, window
from graphkit.model.document import Document
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.model.source import Source
from graphkit.model.vocab import EventType, RelationType, Vocabulary

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Actors",
    "Events",
    "Items",
    "KnowledgeBase",
    "KnowledgeBaseLike",
    "KnowledgeBaseView",
    "Relations",
    "load",
    "loads",
]

T = TypeVar("T", Source, Actor, Relation, Event)


def _type_set(types: str | Iterable[str] | None) -> set[str] | None:
    """The wanted types of a ``where`` filter: one name, several, or ``None`` for any."""
    return {types} if isinstance(types, str) else (set(types) if types is not None else None)


def _in_window(start: object, end: object, *, certain: bool) -> Callable[[Event | Relation], bool]:
    """A test: does an item possibly (or, with ``certain``, certainly) fall in the window?"""
    a, b = window(start, end)
    wanted = Overlap.CERTAIN if certain else Overlap.POSSIBLE
    return lambda item: item.extent.overlap(a, b) >= wanted


class Items(Generic[T]):
    """A read-only, ordered collection of items with lookup by id.

    ``items[id]`` raises :class:`~graphkit.errors.UnknownIdError` (a ``KeyError``) with
    suggestions; ``items.get(id)`` returns ``None``.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors:
        ...   - {id: PRK, name: North Korea, kind: state}
        ...   - {id: RUS, name: Russia, kind: state}
        ... ''')
        >>> kb.actors["PRK"].name, "RUS" in kb.actors, len(kb.actors)
        ('North Korea', True, 2)
        >>> kb.actors["PRX"]
        Traceback (most recent call last):
        ...
        graphkit.errors.UnknownIdError: unknown actor 'PRX' (did you mean 'PRK'?)
    """

    kind = "item"

    def __init__(self, items: Iterable[T]) -> None:
        self._items: list[T] = list(items)
        self._by_id: dict[str, T] = {item.id: item for item in self._items}

    def __getitem__(self, item_id: str) -> T:
        found = self._by_id.get(item_id)
        if found is None:
            if not isinstance(item_id, str):
                raise TypeError(
                    f"{self.kind}s are looked up by id, not by {type(item_id).__name__}"
                    f" (for the n-th in file order: list(...)[n])"
                )
            raise UnknownIdError(self.kind, item_id, did_you_mean(item_id, self._by_id))
        return found

    def get(self, item_id: str) -> T | None:
        """Return the item with this id, or ``None``.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads("{format_version: 1, actors: [{id: A, name: Arcadia, kind: state}]}")
            >>> kb.actors.get("A").name, kb.actors.get("B")
            ('Arcadia', None)
        """
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
        """The ids, in file order.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: B, name: Borduria, kind: state}, {id: A, name: Arcadia, kind: state}]
            ... ''')
            >>> kb.actors.ids()
            ['B', 'A']
        """
        return [item.id for item in self._items]

    def filter(self, predicate: Callable[[T], bool]) -> Self:
        """Return the items for which ``predicate`` is true, as the same kind of collection.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: P, name: Pat, kind: person}]
            ... ''')
            >>> kb.actors.filter(lambda actor: actor.kind == "state")
            <Actors: 1 actors>
        """
        return type(self)(item for item in self._items if predicate(item))

    def to_records(self) -> list[dict[str, Any]]:
        """Return the items as plain dicts (JSON-ready), defaults left out.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}]
            ... events: [{id: e1, type: statement, date: 2024-10, actor: A}]
            ... ''')
            >>> kb.events.to_records()
            [{'id': 'e1', 'type': 'statement', 'date': '2024-10', 'actor': 'A'}]
        """
        return [
            item.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            for item in self._items
        ]

    def to_pandas(self) -> Any:
        """Return the records as a pandas ``DataFrame`` (needs the optional ``pandas`` extra).

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... ''')
            >>> frame = kb.actors.to_pandas()
            >>> frame.shape, list(frame["name"])
            ((2, 3), ['Arcadia', 'Borduria'])
        """
        import pandas as pd  # type: ignore[import-untyped, unused-ignore]

        return pd.DataFrame.from_records(self.to_records())


class Sources(Items[Source]):
    """The sources of a knowledge base.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads("{format_version: 1, sources: [{id: s1, title: Report, reliability: B}]}")
        >>> kb.sources["s1"].reliability
        'B'
    """

    kind = "source"


class Actors(Items[Actor]):
    """The actors of a knowledge base; :meth:`resolve` finds one by id, name or alias.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads("{format_version: 1, actors: [{id: PRK, name: DPRK, kind: state}]}")
        >>> kb.actors
        <Actors: 1 actors>
        >>> kb.actors.resolve("dprk").id
        'PRK'
    """

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

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: PRK, name: North Korea, kind: state, aliases: [DPRK]}]
            ... ''')
            >>> kb.actors.resolve("dprk").id, kb.actors.resolve("PRK").name
            ('PRK', 'North Korea')
            >>> try:
            ...     kb.actors.resolve("North Corea")
            ... except gk.UnknownActorError as err:
            ...     print(err)
            unknown actor 'North Corea' (did you mean 'North Korea'?)
        """
        if isinstance(name, Actor):
            return name
        found = self._by_id.get(name) if isinstance(name, str) else None  # an exact id first
        if found is None and isinstance(name, str):
            found = self._names.get(name.casefold())
        if found is None:
            close = did_you_mean(str(name), [*self._by_id, *(a.name for a in self._items)])
            raise UnknownActorError(str(name), close)
        return found


class Events(Items[Event]):
    """The events of a knowledge base, with filters that return events.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: Arcadia, kind: state}]
        ... events: [{id: e1, type: statement, date: 2024-10, actor: A}]
        ... ''')
        >>> kb.events, kb.events["e1"].type
        (<Events: 1 events>, 'statement')
    """

    kind = "event"

    def where(
        self,
        *,
        type: str | Iterable[str] | None = None,  # noqa: A002 - the YAML field is called type
        actor: str | None = None,
    ) -> Events:
        """Return events of a type (or types) and/or involving an actor id (in any role).

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... events:
            ...   - {id: e2, type: attack, date: 2024-11-02, actor: A, target: B}
            ...   - {id: e1, type: statement, date: 2024-10, actor: B}
            ... ''')
            >>> kb.events.where(actor="B").ids()
            ['e2', 'e1']
            >>> kb.events.where(type=["attack", "ceasefire"], actor="B").ids()
            ['e2']
        """
        types = _type_set(type)
        return self.filter(
            lambda e: (types is None or e.type in types) and (actor is None or actor in e.actor_ids)
        )

    def between(self, start: object, end: object, *, certain: bool = False) -> Events:
        """Return events that possibly (or, with ``certain``, certainly) fall in the window.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... events:
            ...   - {id: e2, type: attack, date: 2024-11-02, actor: A, target: B}
            ...   - {id: e1, type: statement, date: 2024-10, actor: B}
            ... ''')
            >>> kb.events.between("2024-10-15", "2024-11-30").ids()
            ['e2', 'e1']
            >>> kb.events.between("2024-10-15", "2024-11-30", certain=True).ids()
            ['e2']
        """
        return self.filter(_in_window(start, end, certain=certain))

    def sorted(self) -> Events:
        """Return the events in time order (first possible day, then last, then id).

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... events:
            ...   - {id: e2, type: attack, date: 2024-11-02, actor: A, target: B}
            ...   - {id: e1, type: statement, date: 2024-10, actor: B}
            ... ''')
            >>> kb.events.sorted().ids()
            ['e1', 'e2']
        """
        return Events(sorted(self._items, key=lambda e: (e.extent.lo, e.extent.hi, e.id)))


class Relations(Items[Relation]):
    """The relations of a knowledge base, with time filters.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
        ... relations: [{id: r, type: allied_with, from: A, to: B, start: 2024}]
        ... ''')
        >>> kb.relations, kb.relations["r"].type
        (<Relations: 1 relations>, 'allied_with')
    """

    kind = "relation"

    def valid_at(self, when: object, *, certain: bool = False) -> Relations:
        """Return relations that possibly (or certainly) held on the date ``when``.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... relations:
            ...   - {id: war, type: at_war_with, from: A, to: B, start: 2022-02, end: 2023-06-30}
            ...   - {id: aid, type: supports, from: B, to: A, start: 2024}
            ... ''')
            >>> kb.relations.valid_at("2022-02-10").ids()
            ['war']
            >>> kb.relations.valid_at("2022-02-10", certain=True).ids()
            []
            >>> kb.relations.valid_at("2025-01-01", certain=True).ids()
            ['aid']
        """
        return self.valid_between(when, when, certain=certain)

    def valid_between(self, start: object, end: object, *, certain: bool = False) -> Relations:
        """Return relations that possibly (or certainly) held at some time in the window.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... relations:
            ...   - {id: war, type: at_war_with, from: A, to: B, start: 2022-02, end: 2023-06-30}
            ...   - {id: aid, type: supports, from: B, to: A, start: 2024}
            ... ''')
            >>> kb.relations.valid_between("2023-01-01", "2024-06-30").ids()
            ['war', 'aid']
            >>> kb.relations.valid_between("2023-07-01", "2023-12-31").ids()
            []
        """
        return self.filter(_in_window(start, end, certain=certain))

    def where(
        self, *, type: str | Iterable[str] | None = None, actor: str | None = None
    ) -> Relations:  # noqa: A002
        """Return relations of a type (or types) and/or with an actor at either end.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... relations:
            ...   - {id: war, type: at_war_with, from: A, to: B, start: 2022-02, end: 2023-06-30}
            ...   - {id: aid, type: supports, from: B, to: A, start: 2024}
            ... ''')
            >>> kb.relations.where(actor="A").ids()
            ['war', 'aid']
            >>> kb.relations.where(type="supports").ids()
            ['aid']
        """
        types = _type_set(type)
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

    ``kb.graph`` is the actor graph, a networkx ``MultiDiGraph`` built on first use: nodes are
    actor ids, edges are keyed by the id of the relation or event they come from.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... sources: [{id: s1, title: Report, reliability: B, published: 2024-10-20}]
        ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
        ... relations: [{id: r, type: allied_with, from: A, to: B, start: 2024-06}]
        ... events:
        ...   - {id: e, type: troop_deployment, date: 2024-10, actor: A, target: B, sources: [s1]}
        ... ''')
        >>> kb
        <KnowledgeBase: 2 actors, 1 relations, 1 events, 1 sources>
        >>> sorted(kb.graph.edges(keys=True))
        [('A', 'B', 'e'), ('A', 'B', 'r'), ('B', 'A', 'r')]
        >>> kb == gk.loads(kb.to_yaml())
        True
    """

    def __init__(self, loaded: Loaded) -> None:
        self.document: Document = loaded.document
        self.vocabulary: Vocabulary = loaded.vocabulary
        self.origins: Mapping[str, Origin] = loaded.origins
        self.files: tuple[str, ...] = loaded.files
        #: The files whose header says ``strict: true`` (see :func:`graphkit.lint.lint`).
        self.strict_files: frozenset[str] = loaded.strict_files
        self.sources = Sources(self.document.sources)
        self.actors = Actors(self.document.actors)
        self.relations = Relations(self.document.relations)
        self.events = Events(self.document.events)
        #: A whole knowledge base has no time window (views have one).
        self.window: tuple[int, int] | None = None

    @classmethod
    def from_document(cls, document: Document) -> KnowledgeBase:
        """Check ``document`` like a loaded file and wrap it (a strict document strictly).

        Raises:
            LoadError: If cross-item checks fail (locations are given as paths, line 0).

        Examples:
            >>> import graphkit as gk
            >>> document = gk.Document(
            ...     format_version=1, actors=[gk.Actor(id="A", name="Arcadia", kind="state")]
            ... )
            >>> gk.KnowledgeBase.from_document(document).actor("arcadia").id
            'A'
        """
        from graphkit.errors import Diagnostic, LoadError

        problems = check_document(document, default_vocabulary())
        if problems:
            raise LoadError(
                Diagnostic("<document>", 0, 0, p.code, f"{_path(p.loc)}: {p.message}", p.hint)
                for p in problems
            )
        vocabulary = default_vocabulary().extended(document.event_types, document.relation_types)
        strict_files = frozenset({"<document>"}) if document.strict else frozenset()
        return _strictly(cls(Loaded(document, vocabulary, strict_files=strict_files)), None)

    def actor(self, name: str) -> Actor:
        """Return the actor named ``name`` by id, name or alias, case-insensitively.

        Raises:
            UnknownActorError: If nothing matches; the error lists close matches.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: PRK, name: North Korea, kind: state, aliases: [DPRK]}]
            ... ''')
            >>> kb.actor("dprk").name, kb.actor("North Korea").id
            ('North Korea', 'PRK')
            >>> try:
            ...     kb.actor("Noth Korea")
            ... except KeyError as err:
            ...     print(err)
            unknown actor 'Noth Korea' (did you mean 'North Korea'?)
        """
        return self.actors.resolve(name)

    def date_range(self) -> tuple[date, date] | None:
        """First and last day any event or dated relation touches, or ``None`` if undated.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}]
            ... events: [{id: e, type: statement, date: 2024-10, actor: A}]
            ... ''')
            >>> kb.date_range()
            (datetime.date(2024, 10, 1), datetime.date(2024, 10, 31))
        """
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

    def dates_as_written(self) -> tuple[str, str] | None:
        """The first and the last date of the data, as written (``2024-10``, not its days).

        The first is the written date whose extent starts earliest, the last the one whose
        extent ends latest (the more precise of equals); :meth:`date_range` gives their days.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}]
            ... events: [{id: e, type: statement, date: {earliest: 2024-10, latest: 2024-11-05},
            ...           actor: A}]
            ... ''')
            >>> kb.dates_as_written()
            ('2024-10', '2024-11-05')
        """
        firsts: list[PartialDate] = []
        lasts: list[PartialDate] = []
        for event in self.events:
            when = event.date
            if isinstance(when, PartialDate):
                firsts.append(when)
                lasts.append(when)
            elif isinstance(when, Bounds):
                firsts.append(when.earliest)
                lasts.append(when.latest)
            else:
                firsts.append(when.start)
                lasts.append(when.end if when.end is not None else when.start)
        for relation in self.relations:
            for point in (relation.start, relation.end):
                if point is not None:
                    firsts.append(point)
                    lasts.append(point)
        if not firsts:
            return None
        first = min(firsts, key=lambda d: (d.lo, d.hi, str(d)))
        last = max(lasts, key=lambda d: (d.hi, d.lo, str(d)))
        return str(first), str(last)

    def summary(self) -> dict[str, Any]:
        """Counts and date range, as shown by ``graphkit info``.

        ``first_date`` and ``last_date`` are as written; ``first_day`` and ``last_day`` are the
        days they cover at the two ends.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... sources: [{id: s1, title: Report, reliability: B, published: 2024-10-20}]
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... relations: [{id: r, type: allied_with, from: A, to: B, start: 2024-06}]
            ... events:
            ...   - {id: e, type: troop_deployment, date: 2024-10, actor: A, target: B}
            ... ''')
            >>> summary = kb.summary()
            >>> summary["events"], summary["first_date"], summary["last_date"]
            (1, '2024-06', '2024-10')
            >>> summary["first_day"], summary["last_day"]
            ('2024-06-01', '2024-10-31')
            >>> summary["event_types"]
            {'troop_deployment': 1}
        """
        span = self.date_range()
        written = self.dates_as_written()
        types: dict[str, int] = {}
        for event in self.events:
            types[event.type] = types.get(event.type, 0) + 1
        return {
            "files": list(self.files),
            "sources": len(self.sources),
            "actors": len(self.actors),
            "relations": len(self.relations),
            "events": len(self.events),
            "first_date": written[0] if written else None,
            "last_date": written[1] if written else None,
            "first_day": span[0].isoformat() if span else None,
            "last_day": span[1].isoformat() if span else None,
            "event_types": dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
        }

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The actor graph (built on first use); see :mod:`graphkit.graph`."""
        from graphkit.graph import build_graph

        return build_graph(self.document, self.vocabulary)

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base itself (views answer with the one they slice).

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... ''')
            >>> kb.kb is kb, kb.at("2024").kb is kb
            (True, True)
        """
        return self

    def status(self, item: Event | Relation) -> Overlap:
        """Every item of a whole knowledge base is in it for certain.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... relations: [{id: r, type: allied_with, from: A, to: B, start: 2024}]
            ... ''')
            >>> kb.status(kb.relations["r"]).name
            'CERTAIN'
        """
        return Overlap.CERTAIN

    def trusts(self, sources: Iterable[SourceRef], credibility: int | None) -> bool:
        """Whether a claim with these sources and credibility passes the filters: always here.

        A view answers with its quality filters (:meth:`KnowledgeBaseView.trusts`); a figure
        with its own sources is such a claim.

        Examples:
            >>> import graphkit as gk
            >>> gk.loads("format_version: 1").trusts([], None)
            True
        """
        return True

    def view(
        self,
        *,
        types: str | Iterable[str] | None = None,
        min_reliability: str | None = None,
        min_credibility: int | None = None,
        known_at: object | None = None,
    ) -> KnowledgeBaseView:
        """Return a view with only items of these types and this quality, known by a date.

        ``types`` are event or relation types; ``min_reliability`` a source grade (``"B"``
        keeps items with at least one A or B source; F, "cannot be judged", never passes a
        minimum); ``min_credibility`` an information grade (``2`` keeps 1 and 2; 6 never
        passes); ``known_at`` keeps claims whose sources were certainly published by that date.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... sources:
            ...   - {id: wire, title: Wire report, reliability: B, published: 2024-10-20}
            ...   - {id: blog, title: Blog post, reliability: D, published: 2024-10}
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... events:
            ...   - {id: e1, type: attack, date: 2024-10-18, actor: A, target: B, sources: [wire]}
            ...   - {id: e2, type: attack, date: 2024-10-19, actor: A, target: B, sources: [blog]}
            ... ''')
            >>> kb.view(min_reliability="B").events.ids()
            ['e1']
            >>> kb.view(known_at="2024-10-25").events.ids()
            ['e1']
            >>> kb.view(types="attack").events.ids()
            ['e1', 'e2']
        """
        return KnowledgeBaseView(
            self,
            None,
            certain=False,
            types=types,
            min_reliability=min_reliability,
            min_credibility=min_credibility,
            known_at=known_at,
        )

    def at(self, when: object, *, certain: bool = False, **filters: Any) -> KnowledgeBaseView:
        """Return a view of what held or happened on the date ``when``.

        Partial dates keep their precision (``kb.at("2024-10")`` is the whole month). By
        default items that only *possibly* held are included and flagged (``view.status``);
        ``certain=True`` keeps only what certainly held. Other filters as in :meth:`view`.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state}]
            ... relations: [{id: r, type: allied_with, from: A, to: B, start: 2024}]
            ... ''')
            >>> kb.at("2024-06-01").status(kb.relations["r"]).name
            'POSSIBLE'
            >>> kb.at("2025-01-01").status(kb.relations["r"]).name
            'CERTAIN'
            >>> len(kb.at("2023-12-31").relations)
            0
        """
        return KnowledgeBaseView(self, window(when), certain=certain, **filters)

    def between(
        self, start: object, end: object, *, certain: bool = False, **filters: Any
    ) -> KnowledgeBaseView:
        """Return a view of what held or happened between two dates (both ends inclusive).

        Partial dates cover their whole extent; other arguments as in :meth:`at`.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... events:
            ...   - {id: e1, type: attack, date: 2024-09-30, actor: A, target: B}
            ...   - {id: e2, type: attack, date: 2024-10, actor: A, target: B}
            ... ''')
            >>> oct24 = kb.between("2024-10-01", "2024-10-31")
            >>> oct24
            <KnowledgeBaseView 2024-10-01..2024-10-31: 0 relations, 1 events>
            >>> oct24.status(kb.events["e2"]).name
            'CERTAIN'
            >>> kb.between("2024-10-15", "2024-10-31").status(kb.events["e2"]).name
            'POSSIBLE'
        """
        return KnowledgeBaseView(self, window(start, end), certain=certain, **filters)

    def to_rdf(self, *, base: str | None = None) -> Any:
        """Return the knowledge base as an rdflib ``Graph`` (see :mod:`graphkit.rdf`).

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}]
            ... ''')
            >>> graph = kb.to_rdf()
            >>> from rdflib import URIRef
            >>> str(graph.value(URIRef("https://graphkit.example.org/kb/actor/A"),
            ...                 URIRef("https://schema.org/name")))
            'Arcadia'
        """
        from graphkit.rdf import to_rdf

        return to_rdf(self, base=base)

    def timeline(self, **options: Any) -> Any:
        """Return the interactive timeline as a plotly ``Figure`` (see :mod:`graphkit.render`).

        Options are those of :func:`graphkit.render.timeline.timeline` (``actors``, ``types``,
        ``since``, ``until``, ``escalation``); ``figure.write_html(path)`` saves it.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... events: [{id: e, type: attack, date: 2024-10-02, actor: A, target: B}]
            ... ''')
            >>> fig = kb.timeline(actors=["A"])
            >>> fig.layout.meta["graphkit"], len(fig.data) > 0
            ('timeline', True)
        """
        from graphkit.render.timeline import timeline

        return timeline(self, **options)

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: an escaped summary table."""
        from graphkit.render.html import kb_html

        return kb_html(self)

    def to_yaml(self) -> str:
        """Return the knowledge base as YAML text in the graphkit format.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads("{format_version: 1, actors: [{id: A, name: Arcadia, kind: state}]}")
            >>> print(kb.to_yaml(), end="")
            format_version: 1
            actors:
              - {id: A, name: Arcadia, kind: state}
        """
        return dump_yaml(self.document)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the knowledge base to a YAML file (atomically: temp file, then rename).

        The file is written afresh in graphkit's layout (``id`` first, defaults left out, short
        items inline); comments of a file it was loaded from are not kept. To add records to a
        commented file, use ``graphkit promote``, which appends text.

        Examples:
            >>> import pathlib, tempfile
            >>> import graphkit as gk
            >>> kb = gk.loads("{format_version: 1, actors: [{id: A, name: Arcadia, kind: state}]}")
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "kb.yaml"
            >>> kb.save(path)
            >>> gk.load(path) == kb
            True
        """
        from graphkit._fs import atomic_write

        atomic_write(path, self.to_yaml())

    def add(
        self, *items: Source | Actor | Relation | Event | EventType | RelationType
    ) -> KnowledgeBase:
        """Return a new knowledge base with ``items`` added, checked like a loaded file.

        Raises:
            LoadError: If an item breaks a rule (duplicate id, unknown reference, unknown type).

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.KnowledgeBase.from_document(gk.Document(format_version=1))
            >>> kb = kb.add(gk.Actor(id="A", name="Arcadia", kind="state"))
            >>> kb.add(gk.Relation(id="r", type="allied_with", **{"from": "A"}, to="B"))
            Traceback (most recent call last):
            ...
            graphkit.errors.LoadError: 1 error in knowledge base
            <document>:0:0: relations[0].to: relation 'r': unknown actor 'B' in to
        """
        sections: dict[str, list[Any]] = {
            "sources": list(self.document.sources),
            "actors": list(self.document.actors),
            "relations": list(self.document.relations),
            "events": list(self.document.events),
            "event_types": list(self.document.event_types),
            "relation_types": list(self.document.relation_types),
        }
        for item in items:
            name = _SECTION_OF.get(type(item))
            if name is None:
                raise TypeError(f"cannot add a {type(item).__name__} to a knowledge base")
            sections[name].append(item)
        data: dict[str, Any] = {
            "format_version": 1,
            "strict": self.document.strict,
            "base": self.document.base,
            **sections,
        }
        return KnowledgeBase.from_document(Document.model_validate(data))

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


_SECTION_OF: dict[type, str] = {
    Source: "sources",
    Actor: "actors",
    Relation: "relations",
    Event: "events",
    EventType: "event_types",
    RelationType: "relation_types",
}

_RELIABILITY_RANK = {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5}


class KnowledgeBaseView:
    """A read-only slice of a knowledge base: a time window and/or quality filters.

    Nothing is copied: :attr:`graph` is a networkx ``subgraph_view`` of ``kb.graph``, and
    :attr:`events` / :attr:`relations` hold the same model objects. Actors and sources are the
    knowledge base's own. :meth:`status` tells whether an item *certainly* or only *possibly*
    falls in the window. Views of views combine their filters (:meth:`at`, :meth:`between`).

    Every query function (:func:`graphkit.paths`, :func:`graphkit.neighbours`, ...) accepts a
    view wherever it accepts a knowledge base.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
        ... relations:
        ...   - {id: war, type: at_war_with, from: A, to: B, start: 2022-02, end: 2023-06}
        ...   - {id: aid, type: supports, from: B, to: A, start: 2024}
        ... ''')
        >>> view = kb.at("2023-01-15")
        >>> view
        <KnowledgeBaseView 2023-01-15..2023-01-15: 1 relations, 0 events>
        >>> view.relations.ids(), sorted(view.graph.edges(keys=True))
        (['war'], [('A', 'B', 'war'), ('B', 'A', 'war')])
        >>> gk.neighbours(view, "A")[0].actor
        'B'
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        span: tuple[int, int] | None,
        *,
        certain: bool = False,
        types: str | Iterable[str] | None = None,
        min_reliability: str | None = None,
        min_credibility: int | None = None,
        known_at: object | None = None,
    ) -> None:
        if min_reliability is not None and min_reliability not in _RELIABILITY_RANK:
            raise ValueError(
                f"min_reliability must be one of A, B, C, D, E, not {min_reliability!r}"
            )
        if min_credibility is not None and min_credibility not in range(1, 6):
            raise ValueError(f"min_credibility must be 1..5, not {min_credibility!r}")
        self._kb = kb
        self.window = span
        self.certain = certain
        self.types = {types} if isinstance(types, str) else (set(types) if types else None)
        self.min_reliability = min_reliability
        self.min_credibility = min_credibility
        self.known_at = window(known_at)[1] if known_at is not None else None
        self.actors = kb.actors
        self.sources = kb.sources
        self.vocabulary = kb.vocabulary
        self._status: dict[str, Overlap] = {}
        for item in (*kb.relations, *kb.events):
            status = self._classify(item)
            if status:
                self._status[item.id] = status
        self.relations = Relations(r for r in kb.relations if r.id in self._status)
        self.events = Events(e for e in kb.events if e.id in self._status)

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base this view slices.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... ''')
            >>> kb.at("2024-10").kb is kb
            True
        """
        return self._kb

    def _classify(self, item: Event | Relation) -> Overlap:
        if self.types is not None and item.type not in self.types:
            return Overlap.NONE
        if not self._trusted(item):
            return Overlap.NONE
        if self.window is None:
            return Overlap.CERTAIN
        status = item.extent.overlap(*self.window)
        if self.certain and status is not Overlap.CERTAIN:
            return Overlap.NONE
        return status

    def _trusted(self, item: Event | Relation) -> bool:
        return self.trusts(item.sources, item.credibility)

    def trusts(self, sources: Iterable[SourceRef], credibility: int | None) -> bool:
        """Whether a claim with these sources and credibility passes this view's quality filters.

        The rule of the view's items, for claims inside them (a figure with its own sources).

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... sources: [{id: s, title: Report, reliability: B, published: 2024-10-20}]
            ... ''')
            >>> refs = [gk.SourceRef(source="s")]
            >>> [kb.view(known_at=day).trusts(refs, 2) for day in ("2024-10-19", "2024-10")]
            [False, True]
        """
        if self.min_credibility is not None and (
            credibility is None or credibility > self.min_credibility
        ):
            return False
        if self.min_reliability is None and self.known_at is None:
            return True
        for ref in sources:
            source = self._kb.sources.get(ref.source)
            if source is None:
                continue
            if self.known_at is not None and (
                source.published is None or source.published.hi > self.known_at
            ):
                continue
            if (
                self.min_reliability is not None
                and _RELIABILITY_RANK.get(source.reliability, 99)
                > _RELIABILITY_RANK[self.min_reliability]
            ):
                continue
            return True
        return False

    def status(self, item: Event | Relation) -> Overlap:
        """``CERTAIN``, ``POSSIBLE`` or ``NONE``: how ``item`` falls in this view.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... events: [{id: e, type: attack, date: 2024-10, actor: A, target: B}]
            ... ''')
            >>> event = kb.events["e"]
            >>> [kb.at(day).status(event).name for day in ("2024-10", "2024-10-20", "2024-11-01")]
            ['CERTAIN', 'POSSIBLE', 'NONE']
        """
        return self._status.get(item.id, Overlap.NONE)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The knowledge base's graph restricted to this view's edges (a view, not a copy)."""
        import networkx as nx

        keep = self._status
        return nx.subgraph_view(self._kb.graph, filter_edge=lambda u, v, key: key in keep)

    def at(self, when: object, *, certain: bool = False) -> KnowledgeBaseView:
        """Narrow this view to a date, keeping its filters.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... sources:
            ...   - {id: s1, title: Report, reliability: A}
            ...   - {id: s2, title: Post, reliability: E}
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... relations:
            ...   - {id: r1, type: allied_with, from: A, to: B, start: 2020, sources: [s1]}
            ...   - {id: r2, type: supports, from: A, to: B, start: 2020, sources: [s2]}
            ... ''')
            >>> trusted = kb.view(min_reliability="B")
            >>> trusted.at("2024-10-20").relations.ids()
            ['r1']
        """
        return self._narrowed(window(when), certain)

    def between(self, start: object, end: object, *, certain: bool = False) -> KnowledgeBaseView:
        """Narrow this view to a window, keeping its filters.

        Raises:
            ValueError: If the new window does not overlap this view's window.

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
            ... events:
            ...   - {id: e1, type: attack, date: 2024-10-02, actor: A, target: B}
            ...   - {id: e2, type: attack, date: 2024-10-20, actor: A, target: B}
            ... ''')
            >>> kb.between("2024-10-01", "2024-10-31").between("2024-10-15", "2024-12-31")
            <KnowledgeBaseView 2024-10-15..2024-10-31: 0 relations, 1 events>
        """
        return self._narrowed(window(start, end), certain)

    def _narrowed(self, span: tuple[int, int], certain: bool) -> KnowledgeBaseView:
        if self.window is not None:
            span = (max(span[0], self.window[0]), min(span[1], self.window[1]))
            if span[0] > span[1]:
                raise ValueError("the new window does not overlap this view's window")
        return KnowledgeBaseView(
            self._kb,
            span,
            certain=certain or self.certain,
            types=self.types,
            min_reliability=self.min_reliability,
            min_credibility=self.min_credibility,
            known_at=None if self.known_at is None else date.fromordinal(self.known_at),
        )

    def actor(self, name: str) -> Actor:
        """Resolve an actor by id, name or alias (see :meth:`KnowledgeBase.actor`).

        Examples:
            >>> import graphkit as gk
            >>> kb = gk.loads('''
            ... format_version: 1
            ... actors: [{id: PRK, name: North Korea, kind: state}]
            ... ''')
            >>> kb.at("2024-10").actor("north korea").id
            'PRK'
        """
        return self._kb.actor(name)

    def __repr__(self) -> str:
        span = ""
        if self.window is not None:
            span = f" {date.fromordinal(self.window[0])}..{date.fromordinal(self.window[1])}"
        return (
            f"<KnowledgeBaseView{span}: {len(self.relations)} relations, {len(self.events)} events>"
        )


#: Anything the query functions accept: a whole knowledge base or a view of one.
KnowledgeBaseLike = KnowledgeBase | KnowledgeBaseView


def _path(loc: tuple[str | int, ...]) -> str:
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


#: Suffixes of the RDF files :func:`load` reads with :func:`graphkit.rdf.load_files` (the keys
#: of ``graphkit.rdf.RDF_SUFFIXES``, repeated here so that ``import graphkit`` needs no rdflib).
RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".jsonld", ".json-ld", ".trig", ".rdf", ".xml")


def load(
    *paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], strict: bool | None = None
) -> KnowledgeBase:
    """Load a knowledge base from YAML files, directories and RDF exports (merged into one).

    Files ending in an RDF suffix (:data:`RDF_SUFFIXES`: ``.ttl``, ``.nt``, ``.jsonld``...) are
    read as graphkit RDF exports, as the command line does. ``strict`` makes the curation rules at
    level *warning* errors (docs/errors.md): ``True`` for every file, ``None`` (the default) for
    the files whose header says ``strict: true``, ``False`` for none.

    Raises:
        LoadError: Listing every problem with its file, line and column.

    Examples:
        >>> import pathlib, tempfile
        >>> import graphkit as gk
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "actors.yaml").write_text(
        ...     "{format_version: 1, actors: [{id: A, name: Arcadia, kind: state}]}"
        ... )
        >>> _ = (folder / "events.yaml").write_text(
        ...     "{format_version: 1, events: [{id: e, type: statement, date: 2024, actor: A}]}"
        ... )
        >>> gk.load(folder)
        <KnowledgeBase: 1 actors, 0 relations, 1 events, 0 sources>
        >>> try:
        ...     gk.load(folder / "events.yaml")
        ... except gk.LoadError as err:
        ...     [(d.line, d.column, d.code, d.message) for d in err.diagnostics]
        [(1, 74, 'unknown-reference', "event 'e': unknown actor 'A'")]
        >>> try:
        ...     gk.load(folder, strict=True)
        ... except gk.LoadError as err:
        ...     [d.code for d in err.diagnostics]
        ['fact-no-credibility', 'fact-no-source']
    """
    flat: list[str | os.PathLike[str]] = []
    for path in paths:
        if isinstance(path, (str, os.PathLike)):
            flat.append(path)
        else:
            flat.extend(path)
    if any(Path(p).suffix.lower() in RDF_SUFFIXES and not Path(p).is_dir() for p in flat):
        from graphkit.rdf.read import load_files

        kb = load_files(flat)
    else:
        kb = KnowledgeBase(read_files(flat))
    return _strictly(kb, strict)


def _strictly(kb: KnowledgeBase, strict: bool | None) -> KnowledgeBase:
    """Return ``kb``, or raise the curation findings that are errors under ``strict``."""
    if strict is False or (strict is None and not kb.strict_files):
        return kb
    from graphkit.errors import LoadError
    from graphkit.lint import strict_diagnostics

    problems = strict_diagnostics(kb, strict=strict)
    if problems:
        raise LoadError(problems)
    return kb


def loads(text: str, *, name: str = "<string>", strict: bool | None = None) -> KnowledgeBase:
    """Load a knowledge base from YAML text; ``name`` appears in error locations.

    ``strict`` is as in :func:`load`.

    Raises:
        LoadError: Listing every problem with its line and column.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: PRK, name: North Korea, kind: state}]
        ... ''')
        >>> kb.actor("PRK").name
        'North Korea'
        >>> try:
        ...     gk.loads("{format_version: 1, actors: [{id: A, name: Arcadia, kind: stat}]}")
        ... except gk.LoadError as err:
        ...     [(d.file, d.line, d.column, d.code, d.hint) for d in err.diagnostics]
        [('<string>', 1, 59, 'bad-choice', "did you mean 'state'?")]
    """
    return _strictly(KnowledgeBase(read_text(text, name)), strict)
