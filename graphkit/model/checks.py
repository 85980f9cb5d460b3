"""Checks that span items: unique ids, references that resolve, known types, sane structure.

Field-level problems are pydantic's; these checks see the whole knowledge base and return
:class:`Problem`s with the location path of the offending value, for the loader to place in its
file. They run on valid items only, so they never fail on half-validated data.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Protocol

from graphkit.errors import suggest
from graphkit.model.actor import Actor
from graphkit.model.common import SourceRef
from graphkit.model.document import SECTIONS, Document
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.model.vocab import Vocabulary

__all__ = ["Loc", "Problem", "check_document"]

Loc = tuple[str | int, ...]


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_KIND = {"sources": "source", "actors": "actor", "relations": "relation", "events": "event"}


@dataclass(frozen=True)
class Problem:
    """A problem found by a check: where (a location path), a code, a message and a hint.

    ``see`` optionally points at a second location (the first definition of a duplicate id).
    """

    loc: Loc
    code: str
    message: str
    hint: str | None = None
    see: Loc | None = None


def check_document(
    doc: Document, vocabulary: Vocabulary, *, invalid_ids: Mapping[str, str] | None = None
) -> list[Problem]:
    """Return every cross-item problem of ``doc`` given the types in force.

    ``invalid_ids`` maps the ids of items that failed field validation (and are left out of
    ``doc``) to their section, so references to them are not reported a second time.

    Examples:
        >>> from graphkit.model.document import Document
        >>> doc = Document.model_validate({"format_version": 1, "actors": [
        ...     {"id": "A", "name": "A", "kind": "state", "part_of": "B"}]})
        >>> [p.message for p in check_document(doc, Vocabulary())]
        ["actor 'A': unknown actor 'B' in part_of"]
    """
    return list(_Checker(doc, vocabulary, invalid_ids or {}).run())


class _Checker:
    def __init__(
        self, doc: Document, vocabulary: Vocabulary, invalid_ids: Mapping[str, str]
    ) -> None:
        self.doc = doc
        self.vocabulary = vocabulary.extended(doc.event_types, doc.relation_types)
        self.ids: dict[str, str] = {}  # id -> the section that first defines it
        self.unique: dict[str, Collection[str]] = {}  # section -> its ids, when all are unique
        self.invalid_ids = invalid_ids
        self.problems: list[Problem] = []
        self.names: dict[str, tuple[str, str]] | None = None  # folded name/alias -> actor

    def run(self) -> Iterator[Problem]:
        yield from self._unique_ids()
        doc = self.doc
        for index, actor in enumerate(doc.actors):
            yield from self._actor(index, actor)
        yield from self._part_of_cycles()
        # Most items are fine: a cheap screen (set lookups, no location tuples or labels) sends
        # only the suspect ones to the detailed checks, which find and word every problem.
        sources, actors, events = (self._section_ids(name) for name in _SCREENED)
        relation_types = self.vocabulary.relation_types
        for index, relation in enumerate(doc.relations):
            if (
                relation.type in relation_types
                and relation.from_ in actors
                and relation.to in actors
                and relation.from_ != relation.to
                and (relation.started_by is None or relation.started_by in events)
                and (relation.ended_by is None or relation.ended_by in events)
                and _refs_ok(relation.sources, sources, actors)
            ):
                continue
            yield from self._relation(index, relation)
        event_types = self.vocabulary.event_types
        for index, event in enumerate(doc.events):
            if (
                event.type in event_types
                and (event.actor is None or event.actor in actors)
                and (event.target is None or event.target in actors)
                and (not event.participants or all(p.actor in actors for p in event.participants))
                and (
                    event.quote is None
                    or event.quote.speaker is None
                    or event.quote.speaker in actors
                )
                and _refs_ok(event.sources, sources, actors)
                and (
                    not event.quantities
                    or all(_refs_ok(q.sources, sources, actors) for q in event.quantities)
                )
                and (
                    not event.alternative_dates
                    or all(_refs_ok(a.sources, sources, actors) for a in event.alternative_dates)
                )
            ):
                continue
            yield from self._event(index, event)

    def _index_of(self, section: str, item_id: str) -> int:
        """Index of the first item of ``section`` with this id (only for reporting duplicates)."""
        items: Sequence[_Identified] = getattr(self.doc, section)
        return next(i for i, item in enumerate(items) if item.id == item_id)

    def _section_ids(self, section: str) -> Collection[str]:
        """The ids ``section`` defines first (its own keys when they were all unique)."""
        known = self.unique.get(section)
        if known is not None:
            return known
        return frozenset(i for i, s in self.ids.items() if s == section)

    def _actor(self, index: int, actor: Actor) -> Iterator[Problem]:
        where: Loc = ("actors", index)
        label = f"actor {actor.id!r}"
        if actor.part_of is not None:
            yield from self._ref(where + ("part_of",), label, actor.part_of, "actors", "part_of")
            if actor.part_of == actor.id:
                yield Problem(where + ("part_of",), "self-reference", f"{label}: is part_of itself")
        yield from self._refs(where + ("sources",), label, actor.sources)

    def _relation(self, index: int, relation: Relation) -> Iterator[Problem]:
        where: Loc = ("relations", index)
        label = f"relation {relation.id!r}"
        yield from self._type(where + ("type",), label, relation.type, relation=True)
        yield from self._ref(where + ("from",), label, relation.from_, "actors", "from")
        yield from self._ref(where + ("to",), label, relation.to, "actors", "to")
        if relation.from_ == relation.to:
            yield Problem(
                where + ("to",),
                "self-reference",
                f"{label}: goes from {relation.to!r} to itself",
            )
        for field in ("started_by", "ended_by"):
            value = getattr(relation, field)
            if value is not None:
                yield from self._ref(where + (field,), label, value, "events", field)
        yield from self._refs(where + ("sources",), label, relation.sources)

    def _event(self, index: int, event: Event) -> Iterator[Problem]:
        where: Loc = ("events", index)
        label = f"event {event.id!r}"
        yield from self._type(where + ("type",), label, event.type, relation=False)
        for field in ("actor", "target"):
            value = getattr(event, field)
            if value is not None:
                yield from self._ref(where + (field,), label, value, "actors", field)
        for p_index, participant in enumerate(event.participants):
            yield from self._ref(
                where + ("participants", p_index, "actor"),
                label,
                participant.actor,
                "actors",
                "participants",
            )
        if event.quote is not None and event.quote.speaker is not None:
            yield from self._ref(
                where + ("quote", "speaker"),
                label,
                event.quote.speaker,
                "actors",
                "quote speaker",
            )
        yield from self._refs(where + ("sources",), label, event.sources)
        for q_index, quantity in enumerate(event.quantities):
            yield from self._refs(
                where + ("quantities", q_index, "sources"), label, quantity.sources
            )
        for a_index, alternative in enumerate(event.alternative_dates):
            yield from self._refs(
                where + ("alternative_dates", a_index, "sources"), label, alternative.sources
            )

    def _unique_ids(self) -> Iterator[Problem]:
        ids = self.ids
        for section in SECTIONS:
            items: Sequence[_Identified] = getattr(self.doc, section)
            fresh = dict.fromkeys(map(_ID, items), section)
            if len(fresh) == len(items) and ids.keys().isdisjoint(fresh):
                ids.update(fresh)  # the usual case, without a Python loop per item
                self.unique[section] = fresh.keys()
                continue
            for index, item in enumerate(items):
                first = ids.get(item.id)
                if first is None:
                    ids[item.id] = section
                    continue
                yield Problem(
                    (section, index, "id"),
                    "duplicate-id",
                    f"{_KIND[section]} {item.id!r}: duplicate id",
                    see=(first, self._index_of(first, item.id), "id"),
                )
        vocabularies: tuple[tuple[str, Sequence[_Identified]], ...] = (
            ("event_types", self.doc.event_types),
            ("relation_types", self.doc.relation_types),
        )
        for name, types in vocabularies:
            seen: dict[str, int] = {}
            for index, item in enumerate(types):
                if item.id in seen:
                    yield Problem(
                        (name, index, "id"),
                        "duplicate-id",
                        f"{name[:-1].replace('_', ' ')} {item.id!r}: duplicate id",
                        see=(name, seen[item.id], "id"),
                    )
                seen.setdefault(item.id, index)

    def _ref(
        self, loc: Loc, label: str, value: str, section: str, field: str
    ) -> tuple[Problem, ...]:
        """No problem (an empty tuple, no generator: this runs once per reference) or one."""
        found = self.ids.get(value)
        if found == section:
            return ()
        if found is None and self.invalid_ids.get(value) == section:
            return ()  # the item exists but is invalid: that error is reported already
        kind = _KIND[section]
        hint: str | None
        named = self._actor_named(value) if section == "actors" else None
        if named is not None:
            hint = named
        elif found is not None or value in self.invalid_ids:
            other = found or self.invalid_ids[value]
            hint = f"{value!r} is {_a(_KIND[other])}, not {_a(kind)}"
        else:
            hint = suggest(value, [i for i, s in self.ids.items() if s == section])
        where = "" if field in ("actor", "source") else f" in {field}"
        return (
            Problem(loc, "unknown-reference", f"{label}: unknown {kind} {value!r}{where}", hint),
        )

    def _actor_named(self, value: str) -> str | None:
        """``"'Russia' is the name of RUS; write its id"`` when ``value`` names an actor."""
        if self.names is None:
            self.names = {}
            for actor in self.doc.actors:
                for what, name in (("name", actor.name), *(("alias", a) for a in actor.aliases)):
                    self.names.setdefault(name.casefold(), (what, actor.id))
        found = self.names.get(value.casefold())
        if found is None:
            return None
        what, actor_id = found
        article = "the name" if what == "name" else "an alias"
        return f"{value!r} is {article} of {actor_id}; write its id"

    def _refs(self, loc: Loc, label: str, refs: list[SourceRef]) -> Iterator[Problem]:
        # A bare id sits at loc + (index,); the locator stops at the deepest node that exists.
        for index, ref in enumerate(refs):
            yield from self._ref(loc + (index, "source"), label, ref.source, "sources", "source")
            if ref.according_to is not None:
                yield from self._ref(
                    loc + (index, "according_to"), label, ref.according_to, "actors", "according_to"
                )

    def _type(self, loc: Loc, label: str, value: str, *, relation: bool) -> Iterator[Problem]:
        known = self.vocabulary.relation_types if relation else self.vocabulary.event_types
        if value in known:
            return
        if self.invalid_ids.get(value) == ("relation_types" if relation else "event_types"):
            return  # declared, but invalid: that error is reported already
        kind = "relation type" if relation else "event type"
        hint = suggest(value, known) or (
            f"declare it under {'relation_types' if relation else 'event_types'}:"
        )
        yield Problem(loc, "unknown-type", f"{label}: unknown {kind} {value!r}", hint)

    def _part_of_cycles(self) -> Iterator[Problem]:
        parent = {a.id: a.part_of for a in self.doc.actors if a.part_of and a.part_of != a.id}
        index_of = {a.id: i for i, a in enumerate(self.doc.actors)}
        reported: set[str] = set()
        for start in parent:
            chain = [start]
            current = parent.get(start)
            while current is not None and current not in chain:
                chain.append(current)
                current = parent.get(current)
            if current == start and start not in reported:
                reported.update(chain)
                cycle = " -> ".join([*chain, start])
                yield Problem(
                    ("actors", index_of[start], "part_of"),
                    "part-of-cycle",
                    f"actor {start!r}: part_of forms a cycle ({cycle})",
                )


_SCREENED = ("sources", "actors", "events")
_ID = attrgetter("id")


def _refs_ok(refs: list[SourceRef], sources: Collection[str], actors: Collection[str]) -> bool:
    """Whether every source reference resolves (the screen of :meth:`_Checker.run`)."""
    for ref in refs:
        if ref.source not in sources or (
            ref.according_to is not None and ref.according_to not in actors
        ):
            return False
    return True


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"
