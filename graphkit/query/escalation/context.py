"""What every rule looks up, computed once per scan: roots, conflicts, alignments, dated rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cached_property, lru_cache
from operator import attrgetter
from typing import NamedTuple

from graphkit.kb import KnowledgeBaseLike
from graphkit.model.dates import DAY_MAX, DAY_MIN, Bounds, PartialDate, Span
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.model.vocab import EventType
from graphkit.query.escalation.conflicts import Conflict, find_conflicts, roots
from graphkit.query.escalation.steps import Cited, StepEvidence
from graphkit.query.evidence import Citations

__all__ = ["Row", "ScanContext", "day", "moment", "resolve_conflict", "third_party_rows"]

_DEFAULT_TYPE = EventType(id="other")


class Row(NamedTuple):
    """An event that can make a step, with its days and the roots of its actor and target.

    What the rules read of the event is read once, here (:attr:`ScanContext.rows`): the rules
    then never go back to the event object (a hundred thousand of them do not stay in a cache).
    """

    lo: int
    hi: int
    id: str
    event: Event
    kind: EventType
    actor: str
    target: str
    #: The event's date as written (``str(row.when)`` is the text of its steps).
    when: PartialDate | Bounds | Span
    #: The event's type in words (``heavy_weapons`` -> ``heavy weapons``).
    name: str
    #: Whether the event gives figures (``quantities``), which may count deaths.
    quantified: bool


class ScanContext:
    """Everything the rules look up, computed once per query."""

    def __init__(self, kb: KnowledgeBaseLike) -> None:
        self.kb = kb
        self.citations: Citations = {}
        self.types = kb.vocabulary.event_types
        self.relation_types = kb.vocabulary.relation_types
        self.root: dict[str, str] = roots(kb)
        # One pass over the relations sorts out the wars, the supportive and the hostile ones
        # (in id order), with one lookup of each relation's type.
        flags = {
            name: (t.war, t.supportive, t.hostile)
            for name, t in self.relation_types.items()
            if t.war or t.supportive or t.hostile
        }
        self.wars: list[Relation] = []
        #: Supportive relations between two different roots: (relation, root from, root to).
        self.supportive_links: list[tuple[Relation, str, str]] = []
        #: Hostile relations (wars included) between two different roots, likewise.
        self.hostile_links: list[tuple[Relation, str, str]] = []
        #: Supportive relations between two roots, by the pair of roots (sorted), id order.
        self.supportive: dict[tuple[str, str], list[Relation]] = defaultdict(list)
        #: Hostile relations (wars included) between two roots, by the pair of roots (sorted).
        self.hostile: dict[tuple[str, str], list[Relation]] = defaultdict(list)
        self.partners: dict[str, set[str]] = defaultdict(set)
        #: Of those links, the supportive ones with a start and the ones with an end, and the
        #: hostile ones with an end, each with that date: what :mod:`.widening` and
        #: :mod:`.deescalation` read (the dates read here, while the relation is at hand).
        self.started_supportive: list[tuple[Relation, str, str, PartialDate]] = []
        self.ended_supportive: list[tuple[Relation, str, str, PartialDate]] = []
        self.ended_hostile: list[tuple[Relation, str, str, PartialDate]] = []
        started_supportive, ended_supportive = self.started_supportive, self.ended_supportive
        ended_hostile = self.ended_hostile
        root = self.root
        wars, supportive_links, hostile_links = self.wars, self.supportive_links, self.hostile_links
        supportive, hostile, partners = self.supportive, self.hostile, self.partners
        # In id order, not file order: order carries no meaning (the evidence of a step lists
        # the relations between the same roots in this order, and steps that tie keep it).
        for relation in sorted(kb.relations, key=attrgetter("id")):
            flag = flags.get(relation.type)
            if flag is None:
                continue
            war, is_supportive, is_hostile = flag
            if war:
                wars.append(relation)
            if not (is_supportive or is_hostile):
                continue
            a, b = relation.from_, relation.to
            a, b = root.get(a, a), root.get(b, b)
            if a == b:
                continue
            pair = (a, b) if a < b else (b, a)
            end = relation.end
            if is_supportive:
                supportive_links.append((relation, a, b))
                supportive[pair].append(relation)
                partners[a].add(b)
                partners[b].add(a)
                start = relation.start
                if start is not None:
                    started_supportive.append((relation, a, b, start))
                if end is not None:
                    ended_supportive.append((relation, a, b, end))
            if is_hostile:
                hostile_links.append((relation, a, b))
                hostile[pair].append(relation)
                if end is not None:
                    ended_hostile.append((relation, a, b, end))
        self.conflicts = find_conflicts(wars, root)
        # Conflicts that share a belligerent are merged, so each root is in at most one.
        self.conflict_of: dict[str, Conflict] = {
            root: conflict for conflict in self.conflicts for root in conflict.side_of
        }

    @cached_property
    def published(self) -> dict[str, int]:
        """Source id -> the last possible day of its publication, for sources with a date."""
        return {
            source.id: source.published.hi
            for source in self.kb.sources
            if source.published is not None
        }

    @cached_property
    def rows(self) -> list[Row]:
        """Events that can make a step up, in time order.

        That is events with an actor and a target, of a conflictual (negative Goldstein) or
        material-support type; other cooperative events are :attr:`easing_rows`.
        """
        return self._rows[0]

    @cached_property
    def lowering_rows(self) -> list[Row]:
        """Cooperative events of a type with ``lowers_to`` between two roots, in time order.

        These can move a dyad down the ladder, so :mod:`.ladder` walks them with :attr:`rows`.
        """
        return self._rows[1]

    @cached_property
    def easing_rows(self) -> list[Row]:
        """Cooperative events between two roots (not in time order): what can make a de-escalation.

        That is events with an actor and a target, of a cooperative type (positive Goldstein)
        that is not material support (support to one side feeds a war, it does not ease it).
        """
        return [*self._rows[1], *self._rows[2]]

    @cached_property
    def quantified(self) -> list[Event]:
        """The events that give figures (``quantities``), in file order.

        Found by the same pass over the events as :attr:`rows` (one walk over a hundred
        thousand events, not two).
        """
        return self._rows[3]

    @cached_property
    def _rows(self) -> tuple[list[Row], list[Row], list[Row], list[Event]]:
        """The rows, lowering rows, other cooperative rows and quantified events, in one pass."""
        rows: list[Row] = []
        lowering: list[Row] = []
        easing: list[Row] = []
        # An unknown type reads as _DEFAULT_TYPE, which is neither: it makes no step. Each type
        # that can make a step -> the list its events go to, and the type.
        into_of: dict[str, tuple[list[Row], EventType, str]] = {}
        for name, t in self.types.items():
            words = name.replace("_", " ")
            if t.goldstein < 0 or t.material_support:
                into_of[name] = (rows, t, words)
            elif t.goldstein > 0:
                into_of[name] = (easing if t.lowers_to is None else lowering, t, words)
        root = self.root
        quantified: list[Event] = []
        # Row(...) runs a Python-level __new__ (a namedtuple's); tuple.__new__ builds the same row.
        new_row = tuple.__new__
        for event in self.kb.events:
            quantities = event.quantities
            if quantities:
                quantified.append(event)
            actor, target = event.actor, event.target
            if target is None or actor is None:
                continue
            found = into_of.get(event.type)
            if found is None:
                continue
            into, kind, name = found
            a, b = root.get(actor, actor), root.get(target, target)
            if into is not rows and a == b:
                continue
            when = event.date
            lo, hi = (when.lo, when.hi) if type(when) is PartialDate else when.extent[:2]
            into.append(
                new_row(Row, (lo, hi, event.id, event, kind, a, b, when, name, bool(quantities)))
            )
        _sort_rows(rows)
        _sort_rows(lowering)
        return rows, lowering, easing, quantified

    @cached_property
    def cache(self) -> dict[str, object]:
        """Results one rule computes for another in the same scan (see :mod:`.ladder`)."""
        return {}

    def evidence(self, *items: Event | Relation | Cited) -> StepEvidence:
        """The evidence of a step, built on first use (citations shared across the scan)."""
        return StepEvidence(self.kb, items, self.citations)

    def event_type(self, event: Event) -> EventType:
        """The type of an event (an unknown type reads as ``other``: neutral, level 1)."""
        return self.types.get(event.type, _DEFAULT_TYPE)

    def root_of(self, actor: str | None) -> str | None:
        """The root of an actor (``None`` stays ``None``)."""
        return None if actor is None else self.root.get(actor, actor)

    def conflict_name(self, *roots: str | None) -> str | None:
        """The name of the conflict of the first of ``roots`` that is a belligerent."""
        conflict_of = self.conflict_of
        for root in roots:
            conflict = conflict_of.get(root) if root is not None else None
            if conflict is not None:
                return conflict.name
        return None

    def supportive_between(self, a: str, b: str, day: int) -> list[Relation]:
        """Supportive relations between two roots that had started by ``day``."""
        found = self.supportive.get((a, b) if a < b else (b, a))
        if not found:
            return []
        # r.extent.lo, without building the extent: DAY_MIN when it has no start.
        return [r for r in found if (DAY_MIN if r.start is None else r.start.lo) <= day]


def _sort_rows(rows: list[Row]) -> None:
    """Sort rows by first day, last day, then event id.

    The plain tuple order is that order: event ids are unique, so two rows never compare
    beyond their ids (and no key function is called per row).
    """
    rows.sort()


@lru_cache(maxsize=65536)
def day(ordinal: int) -> date:
    """The date of a day ordinal, clamped (cached: a scan names the same few thousand days)."""
    return date.fromordinal(min(max(ordinal, 1), DAY_MAX - 1))


def moment(event: Event) -> int:
    """The day an event is placed on for ordering: its first possible day."""
    return event.extent.lo


def third_party_rows(ctx: ScanContext) -> list[tuple[Row, Conflict, int]]:
    """Acts toward a belligerent by an actor that is not (yet) at war in its conflict.

    Each comes with the first day of the event's extent on which its target is at war: a
    ``2024-10`` event toward a war that began on 15 October is weighed from the 15th, and an act
    after a war ended toward a former belligerent is not weighed at all. These are the acts by
    which a third party takes part in a war: :mod:`.new_party` and :mod:`.widening` read them.
    """
    cached = ctx.cache.get("third parties")
    if isinstance(cached, list):
        return cached
    found: list[tuple[Row, Conflict, int]] = []
    ctx.cache["third parties"] = found
    conflict_of = ctx.conflict_of
    for row in ctx.rows:
        target = row[6]  # row.target, without the named field's lookup
        conflict = conflict_of.get(target)
        if conflict is None:
            continue
        span = conflict.span
        at_war = span[target]
        lo = row[0]
        if at_war[0] <= lo <= at_war[1] and target not in conflict.gaps:
            first = lo  # the common case, inlined
        else:
            day_at_war = conflict.first_belligerent_day(target, lo, row[1])
            if day_at_war is None:
                continue
            first = day_at_war
        actor = row[5]
        actor_at_war = span.get(actor)
        if (
            actor_at_war is not None
            and actor_at_war[0] <= first <= actor_at_war[1]
            and (actor not in conflict.gaps or conflict.belligerent_on(actor, first))
        ):
            continue  # the actor is at war in this conflict already
        found.append((row, conflict, first))
    return found


def resolve_conflict(
    ctx: ScanContext, kb: KnowledgeBaseLike, conflict: str | tuple[str, str]
) -> str:
    """The name of the conflict meant by a war relation id or two actors on opposite sides."""
    if isinstance(conflict, str):
        for candidate in ctx.conflicts:
            if any(r.id == conflict for r in candidate.relations):
                return candidate.name
        names = [r.id for c in ctx.conflicts for r in c.relations]
        raise ValueError(
            f"no conflict named {conflict!r} (war relations: {', '.join(names) or 'none'})"
        )
    a = ctx.root_of(kb.actor(conflict[0]).id)
    b = ctx.root_of(kb.actor(conflict[1]).id)
    for candidate in ctx.conflicts:
        sides = candidate.side_of
        if a in sides and b in sides and sides[a] != sides[b]:
            return candidate.name
    raise ValueError(f"{conflict[0]!r} and {conflict[1]!r} are not on opposite sides of a war")
