"""Quantities and claims: figures about the same thing, which one is accepted, and growth.

**Figures.** Every quantity of an event is a figure about a *thing*: its ``measure``, else the
actor, target and unit of its event. A figure is graded by its own ``sources`` and
``credibility`` when it has them, else by its event's (field by field), and a view's quality
filters (``known_at``, ``min_reliability``, ``min_credibility``) apply to it the same way.

**When a figure holds.** Its ``as_of`` date, else its event's date (a duration's start): the
days the figure may describe, at their precision (``2024-10`` may describe any day of October).

**Claim sets.** Figures about the same thing that may describe the same day are one *claim set*:
the members of a set all share at least one possible day. Overlap is not transitive (``2024-10``
overlaps both ``2024-10-08`` and ``2024-10-23``, which do not overlap each other), so sets are
formed from the latest figure back: a figure joins the latest set it may belong to, and a series
of dated reports is never merged through one vague figure. Planned figures form claim sets of
their own. Within a set, figures that give the same number *corroborate* it (each distinct
origin, the ``according_to`` of a source reference else the source, counts once: a source
repeating itself adds nothing); figures that give another number *compete* with it.

**The accepted figure** of a set is the number whose best figure has the best credibility, then
the best source reliability (unknown grades last on each scale); then the number with more
independent origins; then an exact ``value`` over a bound (``min``/``max`` only); then the lower
number (growth must be shown, not assumed). The order figures were written in never decides. The
others are reported beside the step as ``competing`` claims, each with its own grade and sources.

**Growth.** Claim sets are taken in time order; a reported increment (``kind: increment``, on an
event without a total of the same thing) adds to the accepted level before its set. A
``quantity_growth`` step is recorded where the accepted level rises above the previous accepted
level (successive levels: a fall and a new rise is a new step; a level falls only to a figure
that is certainly lower, not to "at least ..." or to a number within its range); size = new /
previous. A set whose
accepted number equals the level corroborates the step that reached it. A planned set is judged
against the accepted reported level on its day: its accepted number above that level, and above
every earlier planned step, is a planned step, whatever larger claims compete with the level.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from operator import itemgetter

from graphkit.graph import grade_rank
from graphkit.kb import KnowledgeBaseLike
from graphkit.model.common import SourceRef
from graphkit.model.dates import PartialDate, Span
from graphkit.model.event import Event, Quantity
from graphkit.query.escalation.context import ScanContext, day
from graphkit.query.escalation.steps import Claim, Step
from graphkit.query.evidence import Citations, Evidence, cite

__all__ = ["Figure", "accepted", "claim_sets", "quantity_growth"]


class Figure:
    """One figure of an event, with the days it may describe and its own grade."""

    __slots__ = (
        "credibility",
        "event",
        "hi",
        "key",
        "lo",
        "_kb",
        "_order",
        "_origins",
        "parties",
        "planned",
        "quantity",
        "_rank",
        "refs",
        "when",
    )

    def __init__(
        self,
        kb: KnowledgeBaseLike,
        key: str,
        event: Event,
        quantity: Quantity,
        parties: tuple[str, ...],
    ) -> None:
        self.key = key
        self.event = event
        self.quantity = quantity
        self.parties = parties
        self.refs: list[SourceRef] = quantity.sources or event.sources
        self.credibility = (
            quantity.credibility if quantity.credibility is not None else event.credibility
        )
        when = event.date
        if quantity.as_of is not None:
            moment = quantity.as_of
            self.lo, self.hi, self.when = moment.lo, moment.hi, str(moment)
        elif type(when) is PartialDate:  # the common case: its own days, no extent built
            self.lo, self.hi, self.when = when.lo, when.hi, str(when)
        elif isinstance(when, Span):
            start = when.start
            self.lo, self.hi, self.when = start.lo, start.hi, str(start)
        else:
            extent = when.extent
            self.lo, self.hi, self.when = extent.lo, extent.hi, str(when)
        self.planned = quantity.planned
        # The grade and origins are read only where figures compete or corroborate (most
        # claim sets have one figure): looked up on first use.
        self._kb = kb
        self._rank: tuple[int, int] | None = None
        self._origins: frozenset[str] | None = None
        self._order: tuple[object, ...] | None = None

    @property
    def rank(self) -> tuple[int, int]:
        """(credibility, reliability) ranks of the figure's grade: lower is better."""
        if self._rank is None:
            best: str | None = None
            sources = self._kb.sources
            for ref in self.refs:
                source = sources.get(ref.source)
                if source is not None and (best is None or source.reliability < best):
                    best = source.reliability
            reliability, credibility = grade_rank(best, self.credibility)
            self._rank = (credibility, reliability)
        return self._rank

    @property
    def origins(self) -> frozenset[str]:
        """The independent origins of the figure: each reference's ``according_to``, else source."""
        if self._origins is None:
            self._origins = frozenset([ref.according_to or ref.source for ref in self.refs])
        return self._origins

    @property
    def order(self) -> tuple[object, ...]:
        """A total order on figures that never looks at list positions (built when needed).

        Equal figures are interchangeable: they print the same.
        """
        if self._order is None:
            q = self.quantity
            self._order = (
                self.rank,
                self.event.id,
                q.central,
                q.model_dump_json(exclude={"sources"}),
                tuple(sorted((r.source, r.according_to or "", r.note or "") for r in self.refs)),
            )
        return self._order

    @property
    def head(self) -> tuple[object, ...]:
        """The first, cheap fields of :attr:`order`: they tell nearly every two figures apart."""
        return (self.rank, self.event.id, self.quantity.central)

    @property
    def id(self) -> str:
        """The id of the figure's event."""
        return self.event.id

    def bounds(self, level: float) -> tuple[float, float]:
        """What the figure certainly is at least and at most (an increment adds to ``level``)."""
        q = self.quantity
        if q.value is not None:
            low = high = float(q.value)
        else:
            low = float(q.min) if q.min is not None else 0.0
            high = float(q.max) if q.max is not None else float("inf")
        if q.kind == "increment" and not q.planned:
            return low + level, high + level
        return low, high

    @property
    def exact(self) -> bool:
        """Whether the figure gives a ``value`` (not only bounds)."""
        return self.quantity.value is not None

    def text(self, figure: float) -> str:
        """``up to 10,000 soldiers (planned)``: the figure as a level."""
        q = self.quantity
        bound = "" if q.value is not None else ("up to " if q.max is not None else "at least ")
        return f"{bound}{figure:,.0f} {q.unit or self.key}" + (" (planned)" if q.planned else "")

    def evidence(self, kb: KnowledgeBaseLike, citations: Citations) -> Evidence:
        """The figure as evidence: its event, the figure's own date, sources and credibility."""
        q, event = self.quantity, self.event
        words = f" — “{q.text}”" if q.text else ""
        return Evidence(
            "figure",
            event.id,
            event.type,
            event.actor,
            event.target,
            self.when,
            f"{q.measure or q.unit or self.key}: {self.text(float(q.central))}{words}",
            self.credibility,
            cite(kb, q if q.sources else event, citations=citations),
            kb.status(event).name.lower(),
        )


def claim_sets(figures: list[Figure]) -> list[tuple[int, list[Figure]]]:
    """Group figures about one thing into claim sets, each with its day, in time order.

    A set's figures all may describe its day (the latest first day among them); a figure joins
    the latest set it may belong to (see the module docstring).
    """
    # Membership depends on the days alone; the order within a set is settled by _Choice.
    ordered = sorted(figures, key=lambda f: (-f.lo, -f.hi))
    sets: list[tuple[int, list[Figure]]] = []
    points: list[int] = []  # each set's day, negated: ascending, the latest set first
    for figure in ordered:
        # Every set so far has its day at or after this figure's first day (figures come latest
        # first): the figure may belong to those whose day is not after its last day, and joins
        # the latest of them.
        index = bisect_left(points, -figure.hi)
        if index == len(points):
            points.append(-figure.lo)
            sets.append((figure.lo, []))
        sets[index][1].append(figure)
    sets.reverse()
    return sets


class _Choice:
    """The accepted number of a claim set, the figures that give it, and the competing ones."""

    __slots__ = ("accepted", "competing", "figure", "high", "low")

    def __init__(self, members: list[Figure], level: float) -> None:
        if len(members) == 1:  # the common case: one figure, nothing competes
            member = members[0]
            self.figure = _number(member, level)
            self.accepted = [member]
            self.competing: list[tuple[float, Figure]] = []
            self.low, self.high = member.bounds(level)
            return
        by_number: dict[float, list[Figure]] = defaultdict(list)
        for member in members:
            by_number[_number(member, level)].append(member)

        def rank(number: float) -> tuple[object, ...]:
            figures = by_number[number]
            origins = frozenset().union(*(f.origins for f in figures))
            exact = any(f.exact for f in figures)
            return (min(f.rank for f in figures), -len(origins), not exact, number)

        self.figure = min(by_number, key=rank) if len(by_number) > 1 else next(iter(by_number))
        accepted = by_number.pop(self.figure)
        self.accepted = _in_order(accepted) if len(accepted) > 1 else accepted
        competing = [(number, f) for number, group in by_number.items() for f in group]
        if len(competing) > 1:
            # By (figure order, number); the order's head decides unless two heads tie.
            heads = [f.head for _, f in competing]
            if len(set(heads)) == len(heads):
                ranked = sorted(zip(heads, competing, strict=True), key=itemgetter(0))
                competing = [pair for _, pair in ranked]
            else:
                competing.sort(key=lambda pair: (pair[1].order, pair[0]))
        self.competing = competing
        self.low, self.high = self.accepted[0].bounds(level)


def _in_order(figures: list[Figure]) -> list[Figure]:
    """``sorted(figures, key=order)``, building the costly rest of an order only on a tie."""
    heads = [f.head for f in figures]
    if len(set(heads)) == len(heads):  # the heads decide
        return [f for _, f in sorted(zip(heads, figures, strict=True), key=itemgetter(0))]
    return sorted(figures, key=lambda f: f.order)


def accepted(figures: list[Figure]) -> tuple[float, Figure]:
    """The accepted number among competing figures of one claim set, and its best figure."""
    choice = _Choice(figures, 0.0)
    return choice.figure, choice.accepted[0]


def _number(figure: Figure, level: float) -> float:
    """The total a figure gives: an increment adds to the level before its set."""
    q = figure.quantity
    if q.kind == "increment" and not q.planned:
        return level + float(q.central)
    return float(q.central)


def _figures(ctx: ScanContext) -> dict[str, list[Figure]]:
    """The figures of things reported at least twice, by thing (a thing seen once cannot grow)."""
    # The quantities by thing, each with its position in file order (events, then quantities).
    groups: dict[str, list[tuple[int, Event, Quantity, str | None, str | None]]] = {}
    root = ctx.root
    position = 0
    for event in ctx.quantified:
        quantities = event.quantities
        a, b = event.actor, event.target
        a = None if a is None else root.get(a, a)
        b = None if b is None else root.get(b, b)
        for quantity in quantities:
            key = quantity.measure or f"{a}>{b}:{quantity.unit or ''}"
            entry = (position, event, quantity, a, b)
            position += 1
            group = groups.get(key)
            if group is None:
                groups[key] = [entry]
            else:
                group.append(entry)
    kb = ctx.kb
    # Things in the order of their first figure kept, as one pass over all quantities would.
    kept: list[tuple[int, str, list[Figure]]] = []
    for key, group in groups.items():
        if len(group) < 2:
            continue
        figures: list[Figure] = []
        first = 0
        for index, event, quantity, a, b in group:
            if (
                quantity.kind == "increment"
                and not quantity.planned
                and any(  # an event that gives the total does not need its increment
                    q.kind == "total" and not q.planned and q.what == quantity.what
                    for q in event.quantities
                )
            ):
                continue
            if (quantity.sources or quantity.credibility is not None) and not kb.trusts(
                quantity.sources or event.sources,
                quantity.credibility if quantity.credibility is not None else event.credibility,
            ):
                continue
            parties = (a, b) if a is not None and b is not None else tuple(p for p in (a, b) if p)
            if not figures:
                first = index
            figures.append(Figure(kb, key, event, quantity, parties))
        if figures:
            kept.append((first, key, figures))
    kept.sort(key=lambda item: item[0])
    return {key: figures for _, key, figures in kept}


class _Draft:
    """A growth step under construction: later sets at the same level corroborate it."""

    def __init__(
        self,
        ctx: ScanContext,
        first: int,
        choice: _Choice,
        previous: float,
        parties: tuple[str, ...],
    ) -> None:
        self.ctx = ctx
        self.first = first
        self.choice = choice
        self.previous = previous
        self.parties = parties
        self.accepted: list[Figure] = list(choice.accepted)
        self.competing: list[tuple[float, Figure]] = list(choice.competing)

    def corroborate(self, choice: _Choice) -> None:
        self.accepted.extend(choice.accepted)
        self.competing.extend(choice.competing)

    def step(self) -> Step:
        ctx, choice, previous = self.ctx, self.choice, self.previous
        lead = choice.accepted[0]
        q = lead.quantity
        figure = choice.figure
        label = q.unit or lead.key
        increments = {
            float(other.central)
            for other in lead.event.quantities
            if other.kind == "increment" and other.what == q.what and other is not q
        }
        note = (
            f" (+{next(iter(increments)):,.0f} {label})"
            if not q.planned and len(increments) == 1
            else ""
        )
        competing = tuple(
            Claim(number, f.text(number), f.when, ctx.evidence(f)) for number, f in self.competing
        )
        rivals = (
            "; competing: " + ", ".join(f"{c.text} ({c.when})" for c in competing)
            if competing
            else ""
        )
        summary = (
            f"{q.measure or label}: {'planned ' if q.planned else ''}"
            f"{previous:,.0f} -> {figure:,.0f}{note}{rivals}"
        )
        return Step(
            "quantity_growth",
            day(self.first),
            lead.when,
            self.parties,
            round(figure / previous, 3),
            "ratio",
            f"{previous:,.0f} {label}",
            lead.text(figure),
            summary,
            ctx.evidence(*self.accepted),
            ctx.conflict_name(*self.parties),
            q.planned,
            competing,
            (lead.lo, lead.hi),
        )


def quantity_growth(ctx: ScanContext) -> Iterator[Step]:
    """The growth steps of a scan (rules in the module docstring)."""
    drafts: list[_Draft] = []
    for figures in _figures(ctx).values():
        drafts.extend(_grow(ctx, figures))
    for draft in drafts:
        yield draft.step()


def _grow(ctx: ScanContext, figures: list[Figure]) -> list[_Draft]:
    reports: list[Figure] = []
    plans: list[Figure] = []
    for each in figures:
        (plans if each.planned else reports).append(each)
    reported = claim_sets(reports)
    planned = claim_sets(plans) if plans else []
    if not reported or (len(reported) == 1 and not planned):
        # No step: growth needs two reported levels, a plan needs a reported level before it.
        return []
    # Reports before plans on the same day: a plan is judged against that day's level.
    timeline = sorted(
        [(first, 0, i, members) for i, (first, members) in enumerate(reported)]
        + [(first, 1, i, members) for i, (first, members) in enumerate(planned)],
        key=lambda entry: entry[:3],
    )
    drafts: list[_Draft] = []
    level: float | None = None
    level_low = 0.0  # what the level certainly was at least (its figure's lower bound)
    level_step: _Draft | None = None
    parties: tuple[str, ...] = ()
    plan: _Draft | None = None
    pending: list[_Choice] = []  # plans made before any reported level
    for first, is_plan, _, members in timeline:
        choice = _Choice(members, level or 0.0)
        figure = choice.figure
        if is_plan:
            if plan is not None and figure == plan.choice.figure:
                plan.corroborate(choice)
            elif level is None or level <= 0 or not parties:
                pending.append(choice)
            elif figure > level and (plan is None or figure > plan.choice.figure):
                plan = _Draft(ctx, first, choice, level, parties)
                for earlier in pending:
                    if earlier.figure == figure:
                        plan.corroborate(earlier)
                drafts.append(plan)
            continue
        if level is not None and figure == level:
            if level_step is not None:
                level_step.corroborate(choice)
            continue
        if level is not None and figure < level and choice.high >= level_low:
            # Not certainly lower: "at least 10,000", or 11,000 after "11,000 to 12,000".
            continue
        previous, level, level_low = level, figure, choice.low
        if previous is None or previous <= 0:
            parties = choice.accepted[0].parties  # the first reported figure names the subject
            level_step = None
        elif figure > previous:
            level_step = _Draft(ctx, first, choice, previous, parties)
            drafts.append(level_step)
        else:
            level_step = None
    return drafts
