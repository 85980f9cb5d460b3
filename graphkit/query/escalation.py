"""Escalations: where a situation got worse, when, by how much, and on whose word.

The rules rest on published scales shipped in ``graphkit/data/event_types.yaml`` (see
``docs/escalation-scale.md``): each event type has a Goldstein conflict–cooperation score of its
CAMEO code (GDELT's table), a QuadClass, and a Correlates of War militarized-dispute hostility level
(1 no militarized action, 2 threat to use force, 3 display of force, 4 use of force, 5 war) that
serves as the ordinal ladder. Relation types say which are wars (``war``) and which align two
actors (``supportive``). No actor, name or scenario appears here: the same rules run on any data.

Actors are compared through their *root*: the top of their ``part_of`` chain (a special-forces
unit of a state's army counts for the state).

**Conflicts.** Every relation of a war type is a war between the roots of its ends; wars that
share a belligerent form one conflict, whose sides come from two-colouring the war relations.
A conflict is named by its earliest war relation; ``conflict=`` accepts that id, any of its war
relation ids, or a pair of actors on opposite sides. A root becomes a belligerent when a war
relation naming it starts.

The four kinds of step (:class:`Step`):

1. ``ladder``: between the same two parties (a dyad of roots), a conflictual event (negative
   Goldstein score) whose hostility level is above every earlier one; size = levels gained.
2. ``quantity_growth``: successive reports about the same thing (a quantity's ``measure``, else
   the actor, target and unit) where the reported figure, or a planned one, exceeds every earlier
   one; size = the ratio new / previous. Reports are ordered by the day the figure was known: its
   ``as_of``, else the first publication of its sources, else the event's last possible day. An
   equal later figure corroborates the step (its evidence is added) instead of making a new one.
3. ``new_party``: a third party (not yet a belligerent) commits to a conflict: on one side by
   material support at hostility 3 or more (deploying forces), by hostile acts of level 3 or more
   against one side, and finally by becoming a belligerent (a war relation). Each higher level of
   involvement is a step; size = the level reached. Alliances with the side it joins are cited.
4. ``widening``: a new supportive relation (alliance, support, arms supply, forces deployed)
   with a belligerent that starts after its conflict began, and material-support events below
   level 3 (arms transfers, military aid, training) to a belligerent by a third party.

The index (:func:`escalation_index`) adds, per time bin, the intensity of the events in scope
weighted by their credibility: hostile events count ``-goldstein``; in a conflict scope, material
support by a third party to a belligerent counts ``+goldstein``, because support to a belligerent
escalates its war even when the two supporters cooperate. Credibility weights are the published
Admiralty-to-confidence mapping of the STIX 2.1 confidence scales (1: 0.9, 2: 0.7, 3: 0.5,
4: 0.3, 5: 0.1), with 0.5 for 6 or no grade.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Any, Literal, NamedTuple, overload

from graphkit._gc import gc_paused
from graphkit.kb import KnowledgeBaseLike
from graphkit.model.dates import DAY_MAX, DAY_MIN, PartialDate, Span, window
from graphkit.model.event import Event, Quantity
from graphkit.model.relation import Relation
from graphkit.model.vocab import EventType
from graphkit.query.evidence import Citations, Evidence, Grade, evidence_for
from graphkit.query.paths import scope

__all__ = [
    "LEVELS",
    "Conflict",
    "EscalationIndex",
    "IndexPoint",
    "Step",
    "StepList",
    "conflicts",
    "escalation_index",
    "escalations",
]

#: The Correlates of War MID hostility levels, the ordinal ladder.
LEVELS = {
    1: "no militarized action",
    2: "threat to use force",
    3: "display of force",
    4: "use of force",
    5: "war",
}
#: Admiralty credibility -> weight (STIX 2.1 confidence scale, divided by 100).
CREDIBILITY_WEIGHT = {1: 0.9, 2: 0.7, 3: 0.5, 4: 0.3, 5: 0.1}
UNKNOWN_WEIGHT = 0.5
_DEFAULT_TYPE = EventType(id="other")

Kind = Literal["ladder", "quantity_growth", "new_party", "widening"]


class _Evidence(Sequence[Evidence]):
    """The evidence of a step, built from its items on first use.

    A scan of 100,000 events finds tens of thousands of steps; most are filtered out or never
    printed, so citing their sources up front would be wasted work.
    """

    __slots__ = ("_built", "_citations", "_items", "_kb")

    def __init__(
        self, kb: KnowledgeBaseLike, items: tuple[Event | Relation, ...], citations: Citations
    ) -> None:
        self._kb = kb
        self._items = items
        self._citations = citations
        self._built: tuple[Evidence, ...] | None = None

    def _all(self) -> tuple[Evidence, ...]:
        if self._built is None:
            kb, citations = self._kb, self._citations
            self._built = tuple(evidence_for(kb, item, citations=citations) for item in self._items)
        return self._built

    def __iter__(self) -> Iterator[Evidence]:
        return iter(self._all())

    @overload
    def __getitem__(self, index: int) -> Evidence: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Evidence]: ...

    def __getitem__(self, index: int | slice) -> Evidence | Sequence[Evidence]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Evidence):
            return [i.id for i in self._items] == [i.id for i in other._items]
        return tuple(self) == other

    def __hash__(self) -> int:
        return hash(tuple(i.id for i in self._items))

    def __repr__(self) -> str:
        return f"_Evidence({', '.join(repr(i.id) for i in self._items)})"


@dataclass(frozen=True)
class Step:
    """One escalation step: what got worse, between whom, when, by how much, on whose word."""

    kind: Kind
    day: date
    when: str
    parties: tuple[str, ...]
    size: float
    size_unit: str
    before: str | None
    after: str
    summary: str
    evidence: Sequence[Evidence]
    conflict: str | None = None
    planned: bool = False

    @property
    def grade(self) -> Grade:
        """The best grade of the evidence (each scale separately)."""
        return Grade.best([e.grade for e in self.evidence])

    def __str__(self) -> str:
        change = f"{self.before} -> {self.after}" if self.before else self.after
        lines = [
            f"{self.day} {self.kind}: {self.summary}",
            f"    {change} (size {self.size:g} {self.size_unit}, grade {self.grade})",
        ]
        for item in self.evidence:
            lines.append(f"    {item}")
            lines.extend(f"      source: {s}" for s in item.sources)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The step as a JSON-ready mapping (the stable ``--json`` shape)."""
        return {
            "kind": self.kind,
            "day": self.day.isoformat(),
            "when": self.when,
            "parties": list(self.parties),
            "conflict": self.conflict,
            "size": self.size,
            "size_unit": self.size_unit,
            "before": self.before,
            "after": self.after,
            "planned": self.planned,
            "summary": self.summary,
            "grade": str(self.grade),
            "evidence": [e.to_dict() for e in self.evidence],
        }


class StepList(list[Step]):
    """Escalation steps in time order; converts to records and JSON."""

    def to_records(self) -> list[dict[str, Any]]:
        """One flat row per step."""
        return [
            {
                "day": s.day.isoformat(),
                "kind": s.kind,
                "parties": " / ".join(s.parties),
                "conflict": s.conflict,
                "before": s.before,
                "after": s.after,
                "size": s.size,
                "size_unit": s.size_unit,
                "planned": s.planned,
                "grade": str(s.grade),
                "evidence": "; ".join(e.id for e in s.evidence),
                "summary": s.summary,
            }
            for s in self
        ]

    def to_pandas(self) -> Any:
        """Return :meth:`to_records` as a pandas ``DataFrame`` (needs the ``pandas`` extra)."""
        import pandas as pd  # type: ignore[import-untyped, unused-ignore]

        return pd.DataFrame.from_records(self.to_records())

    def to_json(self) -> str:
        """The steps as JSON (a list of :meth:`Step.to_dict`)."""
        return json.dumps([s.to_dict() for s in self], indent=2, ensure_ascii=False)

    def __str__(self) -> str:
        return "\n".join(str(s) for s in self)

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: a table of the steps and their evidence (escaped)."""
        from graphkit.render.results import steps_html

        return steps_html(self)


@dataclass
class Conflict:
    """A conflict: its name (earliest war relation), sides of root actors, and when each joined."""

    name: str
    relations: list[Relation]
    side_of: dict[str, int]
    belligerent_since: dict[str, int]
    start: int
    _label: str | None = field(default=None, repr=False, compare=False)
    _by_entry: dict[int, list[str]] = field(default_factory=dict, repr=False, compare=False)

    def sides(self) -> tuple[list[str], list[str]]:
        """The root actors on each side, sorted."""
        return (
            sorted(a for a, s in self.side_of.items() if s == 0),
            sorted(a for a, s in self.side_of.items() if s == 1),
        )

    def label(self) -> str:
        """``A, B vs C`` (the two sides; long sides are shortened)."""
        if self._label is None:
            parts = []
            for side in self.sides():
                shown = ", ".join(side[:4])
                parts.append(shown + (f" and {len(side) - 4} more" if len(side) > 4 else ""))
            self._label = " vs ".join(parts)
        return self._label

    def by_entry(self, side: int) -> list[str]:
        """The members of a side, earliest belligerent first (cached once the conflict is built)."""
        cached = self._by_entry.get(side)
        if cached is None:
            cached = self._by_entry[side] = sorted(
                (a for a, s in self.side_of.items() if s == side),
                key=lambda a: (self.belligerent_since.get(a, DAY_MAX), a),
            )
        return cached


class _Row(NamedTuple):
    lo: int
    hi: int
    id: str
    event: Event
    kind: EventType
    actor: str
    target: str


class _Context:
    """Everything the rules look up, computed once per query."""

    def __init__(self, kb: KnowledgeBaseLike) -> None:
        self.kb = kb
        self.citations: Citations = {}
        self.types = kb.vocabulary.event_types
        self.relation_types = kb.vocabulary.relation_types
        parent = {a.id: a.part_of for a in kb.actors}
        self.root: dict[str, str] = {}
        for actor_id in parent:
            node = actor_id
            seen = {node}
            while parent.get(node) and parent[node] not in seen:
                node = parent[node]  # type: ignore[assignment]
                seen.add(node)
            self.root[actor_id] = node
        # One pass over the relations sorts out the wars and the supportive ones (file order).
        war_types = {name for name, t in self.relation_types.items() if t.war}
        supportive_types = {name for name, t in self.relation_types.items() if t.supportive}
        self.wars: list[Relation] = []
        #: Supportive relations between two different roots: (relation, root from, root to).
        self.supportive_links: list[tuple[Relation, str, str]] = []
        for relation in kb.relations:
            kind = relation.type
            if kind in war_types:
                self.wars.append(relation)
            if kind in supportive_types:
                a = self.root.get(relation.from_, relation.from_)
                b = self.root.get(relation.to, relation.to)
                if a != b:
                    self.supportive_links.append((relation, a, b))
        self.conflicts = _find_conflicts(self)
        # Conflicts that share a belligerent are merged, so each root is in at most one.
        self.conflict_of: dict[str, Conflict] = {
            root: conflict for conflict in self.conflicts for root in conflict.side_of
        }
        self.supportive: dict[frozenset[str], list[Relation]] = defaultdict(list)
        self.partners: dict[str, set[str]] = defaultdict(set)
        for relation, a, b in self.supportive_links:
            self.supportive[frozenset((a, b))].append(relation)
            self.partners[a].add(b)
            self.partners[b].add(a)

    @cached_property
    def published(self) -> dict[str, int]:
        """Source id -> the last possible day of its publication, for sources with a date."""
        return {
            source.id: source.published.hi
            for source in self.kb.sources
            if source.published is not None
        }

    @cached_property
    def rows(self) -> list[_Row]:
        """Events that can make a step, in time order.

        That is events with an actor and a target, of a conflictual (negative Goldstein) or
        material-support type; cooperative events never move a ladder or a conflict.
        """
        rows = []
        types = self.types
        # Only types that can make a step: conflictual (negative Goldstein) or material support;
        # an unknown type reads as _DEFAULT_TYPE, which is neither.
        stepping = {name for name, t in types.items() if t.goldstein < 0 or t.material_support}
        root = self.root
        for event in self.kb.events:
            actor, target = event.actor, event.target
            if target is None or actor is None or event.type not in stepping:
                continue
            when = event.date
            lo, hi = (when.lo, when.hi) if type(when) is PartialDate else when.extent[:2]
            rows.append(
                _Row(
                    lo,
                    hi,
                    event.id,
                    event,
                    types[event.type],
                    root.get(actor, actor),
                    root.get(target, target),
                )
            )
        rows.sort()
        return rows

    def evidence(self, *items: Event | Relation) -> _Evidence:
        """The evidence of a step, built on first use (citations shared across the scan)."""
        return _Evidence(self.kb, items, self.citations)

    def event_type(self, event: Event) -> EventType:
        return self.types.get(event.type, _DEFAULT_TYPE)

    def root_of(self, actor: str | None) -> str | None:
        return None if actor is None else self.root.get(actor, actor)


def _find_conflicts(ctx: _Context) -> list[Conflict]:
    """Group the wars into conflicts and two-colour their sides.

    Wars are taken in time order. A war between two roots of no conflict starts one (its ``from``
    on side 0); a war with one new root puts it opposite the other; a war joining two conflicts
    merges the later-started one into the earlier (whose name, start and sides stay), flipping the
    merged sides if need be so the two roots are opposed; a war inside one conflict changes no side
    (the first colouring stands). Roots are kept in a union-find with each root's parity to its
    parent, so a merge costs no more than a lookup, whatever the size of the conflicts.
    """
    wars = sorted(ctx.wars, key=lambda r: (r.extent.lo, r.id))
    parent: dict[str, str] = {}
    parity: dict[str, int] = {}  # 1 when a root sits on the other side from its parent
    conflict_at: dict[str, Conflict] = {}  # union-find representative -> its conflict
    orient: dict[str, int] = {}  # representative -> its own side
    created: list[Conflict] = []  # in order of creation, which is time order
    rank: dict[int, int] = {}  # id(conflict) -> its index in ``created``

    def find(node: str) -> tuple[str, int]:
        """The representative of ``node`` and ``node``'s parity to it (compressing the path)."""
        path = []
        while parent[node] != node:
            path.append(node)
            node = parent[node]
        total = 0
        for step in reversed(path):  # nearest the representative first
            total ^= parity[step]
            parent[step], parity[step] = node, total
        return node, (parity[path[0]] if path else 0)

    for relation in wars:
        a, b = ctx.root_of(relation.from_), ctx.root_of(relation.to)
        assert a is not None and b is not None
        if a == b:
            continue
        lo = relation.extent.lo
        if a not in parent and b not in parent:
            conflict = Conflict(relation.id, [], {}, {}, lo)
            rank[id(conflict)] = len(created)
            created.append(conflict)
            parent[a], parity[a], orient[a], conflict_at[a] = a, 0, 0, conflict
            parent[b], parity[b] = a, 1
        elif b not in parent:
            parent[b], parity[b] = a, 1
            conflict = conflict_at[find(a)[0]]
        elif a not in parent:
            parent[a], parity[a] = b, 1
            conflict = conflict_at[find(b)[0]]
        else:
            (ra, pa), (rb, pb) = find(a), find(b)
            if ra != rb:
                if rank[id(conflict_at[rb])] < rank[id(conflict_at[ra])]:
                    ra, pa, rb, pb = rb, pb, ra, pa  # the earlier conflict absorbs the later
                # b's side after the merge must be the opposite of a's.
                side_a, side_b = pa ^ orient[ra], pb ^ orient[rb]
                flip = int(side_a == side_b)
                parent[rb], parity[rb] = ra, orient[rb] ^ flip ^ orient[ra]
                kept, merged = conflict_at[ra], conflict_at.pop(rb)
                kept.relations.extend(merged.relations)
                kept.belligerent_since.update(merged.belligerent_since)
            conflict = conflict_at[ra]
        conflict.relations.append(relation)
        for actor in (a, b):
            since = conflict.belligerent_since.get(actor, DAY_MAX)
            conflict.belligerent_since[actor] = min(since, lo)
    for node in parent:  # in order of entry
        representative, node_parity = find(node)
        conflict_at[representative].side_of[node] = node_parity ^ orient[representative]
    alive = {id(c) for c in conflict_at.values()}
    return [conflict for conflict in created if id(conflict) in alive]


def conflicts(kb: KnowledgeBaseLike) -> list[Conflict]:
    """Return the conflicts of a knowledge base (see the module docstring).

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state},
        ...          {id: C, name: C, kind: state}]
        ... relations:
        ...   - {id: ab-war, type: at_war_with, from: A, to: B, start: 2022}
        ...   - {id: cb-war, type: at_war_with, from: C, to: B, start: 2024}
        ... ''')
        >>> [(c.name, c.label()) for c in conflicts(kb)]
        [('ab-war', 'A, C vs B')]
    """
    return _Context(kb).conflicts


def _weight(credibility: int | None) -> float:
    return CREDIBILITY_WEIGHT.get(credibility or 0, UNKNOWN_WEIGHT)


@lru_cache(maxsize=65536)
def _day(ordinal: int) -> date:
    """The date of a day ordinal, clamped (cached: a scan names the same few thousand days)."""
    return date.fromordinal(min(max(ordinal, 1), DAY_MAX - 1))


#: ``"use of force (4)"`` for each hostility level: the before/after text of a step.
_LEVEL_TEXT = {level: f"{name} ({level})" for level, name in LEVELS.items()}


def _moment(event: Event) -> int:
    """The day an event is placed on for ordering: its first possible day."""
    return event.extent.lo


def _ladder(ctx: _Context) -> Iterator[Step]:
    running: dict[tuple[str, str], int] = {}
    for day, _, _, event, kind, a, b in ctx.rows:
        if kind.goldstein >= 0 or a == b:
            continue
        pair = (a, b) if a < b else (b, a)
        previous = running.get(pair, 1)
        if kind.hostility <= previous:
            continue
        running[pair] = kind.hostility
        yield Step(
            "ladder",
            _day(day),
            str(event.date),
            pair,
            float(kind.hostility - previous),
            "levels",
            _LEVEL_TEXT[previous],
            _LEVEL_TEXT[kind.hostility],
            f"{a} -> {b}: {event.type.replace('_', ' ')} raises the dyad to "
            f"{LEVELS[kind.hostility]}",
            ctx.evidence(event),
            _conflict_of(ctx, a, b),
        )


def _conflict_of(ctx: _Context, *roots: str | None) -> str | None:
    for root in roots:
        conflict = ctx.conflict_of.get(root) if root is not None else None
        if conflict is not None:
            return conflict.name
    return None


def _report_day(ctx: _Context, quantity: Quantity, event: Event) -> int:
    if quantity.as_of is not None:
        return quantity.as_of.hi
    published = ctx.published
    days = [
        day
        for ref in quantity.sources or event.sources
        if (day := published.get(ref.source)) is not None
    ]
    if days:
        return min(days)
    extent = event.extent
    return extent.hi if extent.hi < DAY_MAX else extent.lo


@dataclass
class _Chain:
    parties: tuple[str, ...] = ()
    reported: float | None = None
    reported_step: _Draft | None = None
    planned_step_figure: float | None = None
    planned_step: _Draft | None = None
    # planned figures reported before any reported baseline: (figure, event)
    pending: list[tuple[float, Event]] = field(default_factory=list)


def _quantity_growth(ctx: _Context) -> Iterator[Step]:
    found: list[tuple[Event, Quantity, tuple[str, ...], str]] = []
    for event in ctx.kb.events:
        if not event.quantities:
            continue
        a, b = ctx.root_of(event.actor), ctx.root_of(event.target)
        parties = tuple(p for p in (a, b) if p is not None)
        for quantity in event.quantities:
            what = quantity.measure or f"{a}>{b}:{quantity.unit or ''}"
            found.append((event, quantity, parties, what))
    # A thing reported once cannot grow: only things with two reports or more are followed.
    counts = Counter(what for *_, what in found)
    reports = [
        (_report_day(ctx, quantity, event), event.id, event, quantity, parties, what)
        for event, quantity, parties, what in found
        if counts[what] > 1
    ]
    reports.sort(key=itemgetter(0, 1))
    chains: dict[str, _Chain] = defaultdict(_Chain)
    drafts: list[_Draft] = []
    for day, _, event, quantity, parties, what in reports:
        chain = chains[what]
        figure = float(quantity.central)
        label = quantity.unit or what
        if quantity.kind == "increment" and not quantity.planned:
            has_total = any(
                q.kind == "total" and not q.planned and q.what == quantity.what
                for q in event.quantities
            )
            if has_total:
                continue
            figure = (chain.reported or 0.0) + figure
        if quantity.planned:
            if chain.planned_step is not None and figure == chain.planned_step_figure:
                chain.planned_step.add(event)
                continue
            baseline = chain.reported
            if baseline is None or baseline <= 0 or not chain.parties:
                chain.pending.append((figure, event))
                continue
            if figure <= baseline or (
                chain.planned_step_figure is not None and figure <= chain.planned_step_figure
            ):
                continue
            draft = _Draft(ctx, day, event, quantity, chain.parties, baseline, figure, label)
            for earlier, earlier_event in chain.pending:
                if earlier == figure:
                    draft.add(earlier_event)
            chain.planned_step, chain.planned_step_figure = draft, figure
            drafts.append(draft)
            continue
        previous = chain.reported
        if previous is not None and figure == previous and chain.reported_step is not None:
            chain.reported_step.add(event)
            continue
        if previous is not None and figure <= previous:
            continue
        chain.reported = figure
        if previous is None or previous <= 0:
            chain.parties = parties  # the first reported figure names the subject
            continue
        draft = _Draft(ctx, day, event, quantity, chain.parties, previous, figure, label)
        chain.reported_step = draft
        drafts.append(draft)
    for draft in drafts:
        yield draft.step()


class _Draft:
    """A growth step under construction: later equal reports add corroborating events."""

    def __init__(
        self,
        ctx: _Context,
        day: int,
        event: Event,
        quantity: Quantity,
        parties: tuple[str, ...],
        previous: float,
        figure: float,
        label: str,
    ) -> None:
        self.ctx = ctx
        self.args = (day, event, quantity, parties, previous, figure, label)
        self.events: dict[str, Event] = {event.id: event}

    def add(self, event: Event) -> None:
        self.events.setdefault(event.id, event)

    def step(self) -> Step:
        day, event, quantity, parties, previous, figure, label = self.args
        evidence = self.ctx.evidence(*self.events.values())
        return _growth_step(
            self.ctx, day, event, quantity, parties, previous, figure, label, evidence
        )


def _growth_step(
    ctx: _Context,
    day: int,
    event: Event,
    quantity: Quantity,
    parties: tuple[str, ...],
    previous: float,
    figure: float,
    label: str,
    evidence: Sequence[Evidence],
) -> Step:
    bound = (
        "up to "
        if quantity.value is None and quantity.max is not None
        else ("at least " if quantity.value is None and quantity.min is not None else "")
    )
    after = f"{bound}{figure:,.0f} {label}" + (" (planned)" if quantity.planned else "")
    increment = next(
        (q for q in event.quantities if q.kind == "increment" and q.what == quantity.what), None
    )
    note = (
        ""
        if quantity.planned
        else (
            f" (+{increment.central:,.0f} {label})"
            if increment is not None and increment is not quantity
            else ""
        )
    )
    summary = (
        f"{quantity.measure or label}: {'planned ' if quantity.planned else ''}"
        f"{previous:,.0f} -> {figure:,.0f}{note}"
    )
    return Step(
        "quantity_growth",
        _day(day),
        str(event.date),
        parties,
        round(figure / previous, 3),
        "ratio",
        f"{previous:,.0f} {label}",
        after,
        summary,
        evidence,
        _conflict_of(ctx, *parties),
        quantity.planned,
    )


def _supportive_links(ctx: _Context, a: str, b: str, day: int) -> list[Relation]:
    """Supportive relations between two roots that had started by ``day``."""
    return [r for r in ctx.supportive.get(frozenset((a, b)), ()) if r.extent.lo <= day]


def _involvement(ctx: _Context) -> Iterator[Step]:
    level: dict[tuple[str, str], int] = {}
    for day, _, _, event, kind, actor, target in ctx.rows:
        conflict = ctx.conflict_of.get(target)
        if conflict is None:
            continue
        if conflict.belligerent_since.get(actor, DAY_MAX) <= day or day < conflict.start:
            continue
        if kind.material_support and kind.goldstein > 0:
            side = conflict.side_of[target]
            verb = f"commits to {target}'s side"
        elif kind.goldstein < 0:
            side = 1 - conflict.side_of[target]
            verb = f"acts against {target}"
        else:
            continue
        reached = kind.hostility
        if reached < 3:
            if kind.material_support and kind.goldstein > 0:
                yield _widening_event(ctx, conflict, event, actor, target)
            continue
        previous = level.get((conflict.name, actor), 1)
        if reached <= previous:
            continue
        level[conflict.name, actor] = reached
        yield _new_party_step(ctx, conflict, event, actor, side, previous, reached, verb, day)
    for conflict in ctx.conflicts:
        for relation in conflict.relations:
            for end in (relation.from_, relation.to):
                root = ctx.root_of(end)
                assert root is not None
                since = conflict.belligerent_since.get(root, DAY_MAX)
                if relation.extent.lo != since or since <= conflict.start:
                    continue
                previous = level.get((conflict.name, root), 1)
                level[conflict.name, root] = 5
                links = _supportive_links(ctx, root, _ally(conflict, root), since)
                yield Step(
                    "new_party",
                    _day(since),
                    str(relation.start) if relation.start else "…",
                    (root,),
                    5.0,
                    "level",
                    _LEVEL_TEXT[previous],
                    _LEVEL_TEXT[5],
                    f"{root} becomes a belligerent in {conflict.label()}",
                    ctx.evidence(relation, *links),
                    conflict.name,
                )


def _ally(conflict: Conflict, root: str) -> str:
    side = conflict.side_of.get(root)
    if side is None:
        return root
    return next((a for a in conflict.by_entry(side) if a != root), root)


def _new_party_step(
    ctx: _Context,
    conflict: Conflict,
    event: Event,
    actor: str,
    side: int,
    previous: int,
    reached: int,
    verb: str,
    day: int,
) -> Step:
    side_members = conflict.by_entry(side)
    links: list[Relation] = []
    partners_of_actor = ctx.partners.get(actor, set())
    for member in side_members:
        if member in partners_of_actor:
            links.extend(_supportive_links(ctx, actor, member, day))
    partners = {ctx.root_of(r.to) for r in links} | {ctx.root_of(r.from_) for r in links}
    named = sorted(p for p in partners if p is not None and p != actor)
    allied = f", aligned with {', '.join(named)}" if named else ""
    return Step(
        "new_party",
        _day(day),
        str(event.date),
        (actor, *side_members[:1]),
        float(reached),
        "level",
        _LEVEL_TEXT[previous],
        _LEVEL_TEXT[reached],
        f"{actor} {verb} in {conflict.label()}: {event.type.replace('_', ' ')}{allied}",
        ctx.evidence(event, *links),
        conflict.name,
    )


def _widening_event(
    ctx: _Context, conflict: Conflict, event: Event, actor: str, target: str
) -> Step:
    return Step(
        "widening",
        _day(_moment(event)),
        str(event.date),
        (actor, target),
        1.0,
        "event",
        None,
        event.type.replace("_", " "),
        f"{actor} gives {event.type.replace('_', ' ')} to belligerent {target} "
        f"in {conflict.label()}",
        ctx.evidence(event),
        conflict.name,
    )


def _widening_relations(ctx: _Context) -> Iterator[Step]:
    conflict_of = ctx.conflict_of
    for relation, a, b in ctx.supportive_links:
        start = relation.start
        if start is None:
            continue
        touched = [c for c in (conflict_of.get(a), conflict_of.get(b)) if c is not None]
        if not touched:
            continue
        day = start.lo
        if len(touched) == 2 and touched[0] is touched[1]:
            del touched[1]
        for conflict in touched:
            if day <= conflict.start:
                continue
            since = conflict.belligerent_since
            belligerent = (
                b if since.get(b, DAY_MAX) <= day else (a if since.get(a, DAY_MAX) <= day else None)
            )
            if belligerent is None:
                continue
            other = a if belligerent == b else b
            if since.get(other, DAY_MAX) <= day and (
                conflict.side_of.get(other) == conflict.side_of.get(belligerent)
            ):
                continue  # an alliance between belligerents of one side does not widen it
            kind = ctx.relation_types[relation.type]
            name = relation.type.replace("_", " ")
            yield Step(
                "widening",
                _day(day),
                str(start),
                (other, belligerent),
                1.0,
                "relation",
                None,
                (kind.label or name),
                f"new {name} relation between {other} and "
                f"belligerent {belligerent} in {conflict.label()}",
                ctx.evidence(relation),
                conflict.name,
            )


def escalations(
    kb: KnowledgeBaseLike,
    *,
    actor: str | None = None,
    dyad: tuple[str, str] | None = None,
    conflict: str | tuple[str, str] | None = None,
    since: object | None = None,
    until: object | None = None,
    known_at: object | None = None,
    kinds: Iterable[Kind] | None = None,
) -> StepList:
    """Find the escalation steps of a knowledge base (rules in the module docstring).

    Args:
        kb: A knowledge base or a view.
        actor: Only steps involving this actor (by id, name or alias; through its root).
        dyad: Only steps between these two actors.
        conflict: Only steps of this conflict (a war relation id, or two actors on opposite sides).
        since: Only steps on or after this date.
        until: Only steps on or before this date (inclusive at its precision).
        known_at: Only claims whose sources were published by this date.
        kinds: Only these kinds of step.

    Returns:
        The steps in time order.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state}]
        ... events:
        ...   - {id: e1, type: threat, date: 2024-01, actor: A, target: B}
        ...   - {id: e2, type: attack, date: 2024-03, actor: A, target: B}
        ... ''')
        >>> [(s.kind, s.after) for s in escalations(kb)]
        [('ladder', 'threat to use force (2)'), ('ladder', 'use of force (4)')]
    """
    view = scope(kb, known_at=known_at)
    # Bulk allocation, and the steps are long-lived: frozen, so no collection walks them again
    # (see graphkit._gc; the scan makes no reference cycles, so all of it is freed as usual).
    with gc_paused(keep=True):
        ctx = _Context(view)
        steps = [
            *_ladder(ctx),
            *_quantity_growth(ctx),
            *_involvement(ctx),
            *_widening_relations(ctx),
        ]
        selected = _select(ctx, view, steps, actor, dyad, conflict, since, until, kinds)
        selected.sort(key=lambda s: (s.day, _KIND_ORDER[s.kind]))  # stable: rule order in a day
        return StepList(selected)


def _select(
    ctx: _Context,
    view: KnowledgeBaseLike,
    steps: list[Step],
    actor: str | None,
    dyad: tuple[str, str] | None,
    conflict: str | tuple[str, str] | None,
    since: object | None,
    until: object | None,
    kinds: Iterable[Kind] | None,
) -> list[Step]:
    wanted_kinds = set(kinds) if kinds is not None else None
    actor_root = ctx.root_of(view.actor(actor).id) if actor is not None else None
    pair: set[str | None] | None = None
    if dyad is not None:
        pair = {ctx.root_of(view.actor(dyad[0]).id), ctx.root_of(view.actor(dyad[1]).id)}
    conflict_name = _resolve_conflict(ctx, view, conflict) if conflict is not None else None
    lo = window(since)[0] if since is not None else DAY_MIN
    hi = window(until)[1] if until is not None else DAY_MAX
    return [
        s
        for s in steps
        if (wanted_kinds is None or s.kind in wanted_kinds)
        and (actor_root is None or actor_root in s.parties)
        and (
            pair is None
            or pair <= set(s.parties)
            or (
                s.kind == "new_party"
                and pair & set(s.parties)
                and s.conflict is not None
                and _opposed(ctx, s.conflict, pair)
            )
        )
        and (conflict_name is None or s.conflict == conflict_name)
        and lo <= s.day.toordinal() <= hi
    ]


_KIND_ORDER = {"widening": 0, "new_party": 1, "ladder": 2, "quantity_growth": 3}


def _opposed(ctx: _Context, name: str, pair: set[str | None]) -> bool:
    for conflict in ctx.conflicts:
        if conflict.name == name:
            sides = {conflict.side_of.get(p) for p in pair if p is not None}
            return len(sides) == 2 or None in sides
    return False


def _resolve_conflict(ctx: _Context, kb: KnowledgeBaseLike, conflict: str | tuple[str, str]) -> str:
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


@dataclass(frozen=True)
class IndexPoint:
    """One time bin of the escalation index: its days, value and the events behind it."""

    start: date
    end: date
    value: float
    rolling: float
    events: tuple[str, ...]


@dataclass
class EscalationIndex:
    """A time series of escalation intensity for a scope (actor, dyad, conflict or all)."""

    scope: str
    freq: str
    window: int
    points: list[IndexPoint]

    def to_records(self) -> list[dict[str, Any]]:
        """One row per bin."""
        return [
            {
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "value": round(p.value, 4),
                "rolling": round(p.rolling, 4),
                "events": " ".join(p.events),
            }
            for p in self.points
        ]

    def to_json(self) -> str:
        """The index as JSON: scope, freq, window and the points."""
        return json.dumps(
            {
                "scope": self.scope,
                "freq": self.freq,
                "window": self.window,
                "points": self.to_records(),
            },
            indent=2,
        )


def _bin_start(day: date, freq: str) -> date:
    if freq == "day":
        return day
    if freq == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


@lru_cache(maxsize=65536)
def _bin_of(ordinal: int, freq: str) -> date:
    """The start of the bin of a day ordinal (cached: events share a few thousand days)."""
    return _bin_start(_day(ordinal), freq)


def _next_bin(start: date, freq: str) -> date:
    if freq == "day":
        return start + timedelta(days=1)
    if freq == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def escalation_index(
    kb: KnowledgeBaseLike,
    *,
    actor: str | None = None,
    dyad: tuple[str, str] | None = None,
    conflict: str | tuple[str, str] | None = None,
    since: object | None = None,
    until: object | None = None,
    known_at: object | None = None,
    freq: Literal["day", "week", "month"] = "week",
    window_bins: int = 4,
) -> EscalationIndex:
    """Return the credibility-weighted escalation intensity over time (rules in the module doc).

    A moment's weight is spread evenly over the days it may have happened on (a ``2024-10`` event
    over October); a duration counts at its start. ``rolling`` sums the last ``window_bins`` bins.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state}]
        ... events: [{id: e1, type: attack, date: 2024-01-03, actor: A, target: B, credibility: 1}]
        ... ''')
        >>> [(str(p.start), p.value) for p in escalation_index(kb, freq="month").points]
        [('2024-01-01', 9.0)]
    """
    if freq not in ("day", "week", "month"):
        raise ValueError(f"freq must be day, week or month, not {freq!r}")
    view = scope(kb, known_at=known_at)
    with gc_paused():  # bulk allocation: see graphkit._gc
        return _index(view, actor, dyad, conflict, since, until, freq, window_bins)


def _index(
    view: KnowledgeBaseLike,
    actor: str | None,
    dyad: tuple[str, str] | None,
    conflict: str | tuple[str, str] | None,
    since: object | None,
    until: object | None,
    freq: str,
    window_bins: int,
) -> EscalationIndex:
    label = "all"
    members: set[str] | None = None
    pair: set[str] | None = None
    chosen: Conflict | None = None
    # The whole knowledge base needs no roots or conflicts: only each type's hostility.
    ctx = _Context(view) if (actor, dyad, conflict) != (None, None, None) else None
    hostile = {name: -t.goldstein for name, t in view.vocabulary.event_types.items()}
    if ctx is not None and actor is not None:
        root = ctx.root_of(view.actor(actor).id)
        assert root is not None
        members, label = {root}, f"actor {root}"
    elif ctx is not None and dyad is not None:
        a = ctx.root_of(view.actor(dyad[0]).id)
        b = ctx.root_of(view.actor(dyad[1]).id)
        assert a is not None and b is not None
        pair, label = {a, b}, f"dyad {a} / {b}"
    elif ctx is not None and conflict is not None:
        name = _resolve_conflict(ctx, view, conflict)
        chosen = next(c for c in ctx.conflicts if c.name == name)
        label = f"conflict {name} ({chosen.label()})"
    weights: dict[date, float] = defaultdict(float)
    contributors: dict[date, list[str]] = defaultdict(list)
    for event in view.events:
        if ctx is None:
            intensity = hostile.get(event.type, 0.0)  # _intensity without a scope
        else:
            intensity = _intensity(ctx, event, members, pair, chosen)
        if intensity <= 0:
            continue
        value = intensity * _weight(event.credibility)
        when = event.date
        if type(when) is PartialDate:
            first, last = when.lo, when.hi
        elif isinstance(when, Span):
            first, last = when.start.lo, when.start.hi
        else:
            extent = when.extent
            first, last = extent.lo, extent.hi
        if first == last:  # one day: one bin
            start = _bin_of(first, freq)
            weights[start] += value
            ids = contributors[start]
            if not ids or ids[-1] != event.id:
                ids.append(event.id)
            continue
        days = last - first + 1
        per_day = value / days
        current = _day(first)
        end = _day(last)
        while current <= end:
            start = _bin_start(current, freq)
            stop = min(_next_bin(start, freq) - timedelta(days=1), end)
            share = per_day * ((stop - current).days + 1)
            weights[start] += share
            if not contributors[start] or contributors[start][-1] != event.id:
                contributors[start].append(event.id)
            current = stop + timedelta(days=1)
    lo = window(since)[0] if since is not None else DAY_MIN
    hi = window(until)[1] if until is not None else DAY_MAX
    keys = sorted(k for k in weights if lo <= k.toordinal() <= hi)
    points: list[IndexPoint] = []
    if keys:
        current = keys[0]
        recent: list[float] = []
        while current <= keys[-1]:
            value = weights.get(current, 0.0)
            recent = [*recent[-(window_bins - 1) :], value] if window_bins > 1 else [value]
            nxt = _next_bin(current, freq)
            points.append(
                IndexPoint(
                    current,
                    nxt - timedelta(days=1),
                    value,
                    sum(recent),
                    tuple(contributors.get(current, ())),
                )
            )
            current = nxt
    return EscalationIndex(label, freq, window_bins, points)


def _intensity(
    ctx: _Context,
    event: Event,
    members: set[str] | None,
    pair: set[str] | None,
    chosen: Conflict | None,
) -> float:
    kind = ctx.event_type(event)
    a, b = ctx.root_of(event.actor), ctx.root_of(event.target)
    if members is not None and not (members & {a, b}):
        return 0.0
    if pair is not None and {a, b} != pair:
        return 0.0
    if chosen is None:
        return max(-kind.goldstein, 0.0)
    sides = chosen.side_of
    if kind.goldstein < 0 and (a in sides or b in sides):
        return -kind.goldstein
    if (
        kind.material_support
        and kind.goldstein > 0
        and b in sides
        and chosen.belligerent_since.get(a or "", DAY_MAX) > _moment(event)
    ):
        return kind.goldstein
    return 0.0
