"""Which events and relations a timeline (or map) shows, after the actor, type and date filters."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from graphkit.errors import InvalidDateError, UnknownIdError, did_you_mean
from graphkit.model.dates import DAY_MAX, DAY_MIN, Extent, window
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.render._describe import DAY_MS, ordinal_ms
from graphkit.render.timeline.lanes import first_actor

if TYPE_CHECKING:
    from graphkit.kb import KnowledgeBase

__all__ = ["Selection", "data_bounds", "initial_view", "select", "select_items"]


@dataclass
class Selection:
    """The selected items with their extents, computed once (the builder reads them often)."""

    events: list[Event]
    event_extents: list[Extent]
    relations: list[Relation]
    relation_extents: list[Extent]

    @cached_property
    def first_actors(self) -> list[str | None]:
        """Each event's first actor (its lane's, see :func:`.lanes.first_actor`)."""
        return [first_actor(e) for e in self.events]


def select(
    kb: KnowledgeBase,
    actors: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    since: object | None = None,
    until: object | None = None,
) -> tuple[list[Event], list[Relation]]:
    """The events and relations a timeline shows, after the actor, type and date filters.

    ``actors`` are ids, names or aliases (an item qualifies if any of them takes part in it);
    ``types`` event or relation type ids; ``since``/``until`` partial dates (items that possibly
    fall in the window are kept). Events and relations come in time order (first day, last day,
    id), whatever the order of the files.

    Raises:
        UnknownActorError: For an actor that is not in the knowledge base.
        UnknownIdError: For a type that is not in the vocabulary.
    """
    chosen = select_items(kb, actors, types, since, until)
    return list(chosen.events), list(chosen.relations)  # copies: a selection may be shared


def select_items(
    kb: KnowledgeBase,
    actors: Iterable[str] | None,
    types: Iterable[str] | None,
    since: object | None,
    until: object | None,
) -> Selection:
    """:func:`select` with the items' extents.

    Without filters the selection of the knowledge base last asked about is kept: ``graphkit
    build`` draws the timeline and then the report's map of the same knowledge base, and a
    knowledge base does not change (``kb.add`` returns a new one; ``kb.graph`` is kept too).
    The returned selection is shared then: read it, do not change it.
    """
    unfiltered = not actors and not types and since is None and until is None
    if unfiltered:
        for held, chosen in _LAST:
            if held() is kb:
                return chosen
    chosen = _select_items(kb, actors, types, since, until)
    if unfiltered:
        with suppress(TypeError):  # an object without weak references is not kept
            _LAST[:] = [(weakref.ref(kb, _forget), chosen)]
    return chosen


def _forget(gone: weakref.ref[KnowledgeBase]) -> None:
    """Drop the kept selection of a knowledge base that was freed (it holds the items)."""
    _LAST[:] = [(held, chosen) for held, chosen in _LAST if held is not gone]


#: The unfiltered selection of the knowledge base last asked about (see :func:`select_items`).
_LAST: list[tuple[weakref.ref[KnowledgeBase], Selection]] = []


def _select_items(
    kb: KnowledgeBase,
    actors: Iterable[str] | None,
    types: Iterable[str] | None,
    since: object | None,
    until: object | None,
) -> Selection:
    wanted = {kb.actor(a).id for a in actors} if actors else None
    wanted_types: set[str] | None = None
    if types:
        known = [*kb.vocabulary.event_types, *kb.vocabulary.relation_types]
        wanted_types = set()
        for t in types:
            if t not in known:
                raise UnknownIdError("type", t, did_you_mean(t, known))
            wanted_types.add(t)
    lo = DAY_MIN if since is None else window(since)[0]
    hi = DAY_MAX if until is None else window(until)[1]
    if lo > hi:
        raise InvalidDateError(f"--until {until} is before --since {since}")

    events: list[Event] = []
    event_extents: list[Extent] = []
    for e in kb.events:
        if wanted_types is not None and e.type not in wanted_types:
            continue
        if wanted is not None and not wanted.intersection(e.actor_ids):
            continue
        extent = e.date.extent
        if extent.lo > hi or extent.hi < lo:
            continue
        events.append(e)
        event_extents.append(extent)
    relations: list[Relation] = []
    relation_extents: list[Extent] = []
    for r in kb.relations:
        if wanted_types is not None and r.type not in wanted_types:
            continue
        if wanted is not None and r.from_ not in wanted and r.to not in wanted:
            continue
        extent = r.extent
        if extent.lo > hi or extent.hi < lo:
            continue
        relations.append(r)
        relation_extents.append(extent)
    # the order of the file never changes the figure
    order = _time_order(event_extents, [e.id for e in events])
    relation_order = _time_order(relation_extents, [r.id for r in relations])
    return Selection(
        [events[i] for i in order],
        [event_extents[i] for i in order],
        [relations[i] for i in relation_order],
        [relation_extents[i] for i in relation_order],
    )


def _time_order(extents: Sequence[Extent], ids: Sequence[str]) -> list[int]:
    """Indices in time order: first day, last day, then id (ids are unique: a total order).

    Two stable sorts on single keys (the id, then first and last day as one integer) give the
    order of the tuples ``(lo, hi, id)`` at a fraction of the cost of comparing tuples.
    """
    order = sorted(range(len(ids)), key=ids.__getitem__)
    days = [(x.lo - DAY_MIN) * _DAYS + x.hi - DAY_MIN for x in extents]
    order.sort(key=days.__getitem__)
    return order


#: Day ordinals lie in ``DAY_MIN..DAY_MAX``: ``lo * _DAYS + hi`` orders by ``lo``, then ``hi``.
_DAYS = DAY_MAX - DAY_MIN + 1


def data_bounds(chosen: Selection) -> tuple[int, int]:
    """The first and last day of the data (relations' partial ends count by their extent)."""
    los = [x.lo for x in chosen.event_extents]
    his = [x.hi for x in chosen.event_extents if x.hi < DAY_MAX]
    for relation in chosen.relations:
        for point in (relation.start, relation.end):
            if point is not None:
                los.append(point.lo)
                his.append(point.hi)
    days = los + his
    if not days:
        today = date.today().toordinal()
        return today - 365, today
    return min(days), max(days)


def initial_view(extents: Sequence[Extent], lo: int, hi: int) -> tuple[float, float]:
    """The first view: the events' span (relations may reach decades back), padded by 3%."""
    if extents:
        lo = min(x.lo for x in extents)
        hi = min(max(x.hi for x in extents), hi)
    start, end = ordinal_ms(lo), ordinal_ms(hi + 1)
    pad = max((end - start) * 0.03, 2 * DAY_MS)
    return start - pad, end + pad
