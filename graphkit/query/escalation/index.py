"""The escalation index: credibility-weighted escalation intensity per time bin.

Per bin, the intensity of the events in scope, each weighted by its credibility: hostile events
count ``-goldstein``; in a conflict scope, material support by a third party to a belligerent
counts ``+goldstein``, because support to a belligerent escalates its war even when the two
supporters cooperate. Cooperative events between parties in conflict (the de-escalations of
:mod:`.deescalation`: a ceasefire, a withdrawal, lifted sanctions...) count ``-goldstein``, a
negative intensity: the index falls after a peak, and a bin can be below zero when easing
outweighs hostility. A hostile event's deaths add one point per MID fatality level
(:mod:`.severity`: 1 for 1–25 deaths up to 6 for more than 999), so a lethal act counts above a
bloodless one of the same level. Credibility weights are the published Admiralty-to-confidence
mapping of the STIX 2.1 confidence scales (1: 0.9, 2: 0.7, 3: 0.5, 4: 0.3, 5: 0.1), with 0.5 for
6 or no grade. A moment's weight is spread evenly over the days it may have happened on; a
duration counts at its start (docs/queries.md says why).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

from graphkit._gc import gc_paused
from graphkit.kb import KnowledgeBaseLike
from graphkit.model.dates import DAY_MAX, DAY_MIN, PartialDate, Span, window
from graphkit.model.event import Event
from graphkit.query.escalation.conflicts import Conflict
from graphkit.query.escalation.context import ScanContext, day, moment, resolve_conflict
from graphkit.query.escalation.deescalation import easing_events
from graphkit.query.escalation.severity import fatalities
from graphkit.query.paths import scope

__all__ = [
    "CREDIBILITY_WEIGHT",
    "UNKNOWN_WEIGHT",
    "EscalationIndex",
    "IndexPoint",
    "escalation_index",
    "index_of",
    "weight",
]

#: Admiralty credibility -> weight (STIX 2.1 confidence scale, divided by 100).
CREDIBILITY_WEIGHT = {1: 0.9, 2: 0.7, 3: 0.5, 4: 0.3, 5: 0.1}
UNKNOWN_WEIGHT = 0.5


def weight(credibility: int | None) -> float:
    """The weight of an Admiralty credibility grade (0.5 for 6 or none)."""
    return CREDIBILITY_WEIGHT.get(credibility or 0, UNKNOWN_WEIGHT)


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

    def label(self, point: IndexPoint) -> str:
        """A bin as a reader names it: ``2024-10`` for a month, ``2024-10-07..13`` for a week.

        Examples:
            >>> month = IndexPoint(date(2024, 10, 1), date(2024, 10, 31), 0.0, 0.0, ())
            >>> EscalationIndex("all", "month", 4, [month]).label(month)
            '2024-10'
            >>> week = IndexPoint(date(2024, 9, 30), date(2024, 10, 6), 0.0, 0.0, ())
            >>> EscalationIndex("all", "week", 4, [week]).label(week)
            'week of 2024-09-30 to 2024-10-06'
        """
        if self.freq == "month":
            return point.start.strftime("%Y-%m")
        if self.freq == "week":
            return f"week of {point.start.isoformat()} to {point.end.isoformat()}"
        return point.start.isoformat()

    def to_records(self) -> list[dict[str, Any]]:
        """One row per bin."""
        return [
            {
                "label": self.label(p),
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


def _clamp(ordinal: int) -> int:
    """A day ordinal clamped to the calendar (as :func:`.context.day` clamps it)."""
    return min(max(ordinal, 1), DAY_MAX - 1)


def _day_bin(ordinal: int) -> int:
    return _clamp(ordinal)


def _next_day(start: int) -> int:
    return start + 1


def _week_bin(ordinal: int) -> int:
    """The Monday of a day's week (ordinal 1, 0001-01-01, is a Monday)."""
    ordinal = _clamp(ordinal)
    return ordinal - (ordinal - 1) % 7


def _next_week(start: int) -> int:
    return start + 7


@lru_cache(maxsize=65536)
def _month_bin(ordinal: int) -> int:
    """The first day of a day's month (cached: events share a few thousand days)."""
    return day(ordinal).replace(day=1).toordinal()


@lru_cache(maxsize=4096)
def _next_month(start: int) -> int:
    """The first day of the month after the month starting on ``start``."""
    first = date.fromordinal(start)
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1).toordinal()


#: Per bin size: the first day of a day's bin, and the first day of the next bin (ordinals).
_BINNING: dict[str, tuple[Callable[[int], int], Callable[[int], int]]] = {
    "day": (_day_bin, _next_day),
    "week": (_week_bin, _next_week),
    "month": (_month_bin, _next_month),
}


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
        return index_of(
            ScanContext(view),
            actor=actor,
            dyad=dyad,
            conflict=conflict,
            since=since,
            until=until,
            freq=freq,
            window_bins=window_bins,
        )


def index_of(
    ctx: ScanContext,
    *,
    actor: str | None = None,
    dyad: tuple[str, str] | None = None,
    conflict: str | tuple[str, str] | None = None,
    since: object | None = None,
    until: object | None = None,
    freq: str = "week",
    window_bins: int = 4,
) -> EscalationIndex:
    """The escalation index of the knowledge base of a scan context (what it computed is reused).

    :func:`escalation_index` builds a context of its own; :class:`.scan.EscalationScan` passes
    the one its steps were found with, so the index does not walk the facts a second time.
    """
    if freq not in ("day", "week", "month"):
        raise ValueError(f"freq must be day, week or month, not {freq!r}")
    view = ctx.kb
    label = "all"
    members: set[str] | None = None
    pair: set[str] | None = None
    chosen: Conflict | None = None
    # Cooperative events between parties in conflict count against the escalation.
    easing = easing_events(ctx)
    scoped = (actor, dyad, conflict) != (None, None, None)
    hostile = {name: -t.goldstein for name, t in view.vocabulary.event_types.items()}
    if actor is not None:
        root = ctx.root_of(view.actor(actor).id)
        assert root is not None
        members, label = {root}, f"actor {root}"
    elif dyad is not None:
        a = ctx.root_of(view.actor(dyad[0]).id)
        b = ctx.root_of(view.actor(dyad[1]).id)
        assert a is not None and b is not None
        pair, label = {a, b}, f"dyad {a} / {b}"
    elif conflict is not None:
        name = resolve_conflict(ctx, view, conflict)
        chosen = next(c for c in ctx.conflicts if c.name == name)
        label = f"conflict {name} ({chosen.label()})"
    # Bins are keyed by the day ordinal of their first day (ints, not dates: a scan of a hundred
    # thousand events bins each one, and a month-dated event falls into five weekly bins).
    bin_of, next_bin = _BINNING[freq]
    weights: dict[int, float] = defaultdict(float)
    contributors: dict[int, list[str]] = defaultdict(list)
    for event in view.events:
        if not scoped:  # _intensity without a scope
            intensity = hostile.get(event.type, 0.0)
            if intensity <= 0 and event.id not in easing:
                continue
        else:
            intensity = _intensity(ctx, event, members, pair, chosen, event.id in easing)
            if intensity == 0:
                continue
        if intensity > 0 and event.quantities and hostile.get(event.type, 0.0) > 0:
            # Severity within a level: one point per MID fatality level of its deaths.
            deaths = fatalities(ctx, event)
            if deaths is not None:
                intensity += deaths.level
        value = intensity * weight(event.credibility)
        when = event.date
        if type(when) is PartialDate:
            first, last = when.lo, when.hi
        elif isinstance(when, Span):
            first, last = when.start.lo, when.start.hi
        else:
            extent = when.extent
            first, last = extent.lo, extent.hi
        event_id = event.id
        if first == last:  # one day: one bin
            start = bin_of(first)
            weights[start] += value
            ids = contributors[start]
            if not ids or ids[-1] != event_id:
                ids.append(event_id)
            continue
        per_day = value / (last - first + 1)
        # The days the event may have happened on, clamped to the calendar (as day() does).
        current, end = _clamp(first), _clamp(last)
        while current <= end:
            start = bin_of(current)
            stop = min(next_bin(start) - 1, end)
            weights[start] += per_day * (stop - current + 1)
            ids = contributors[start]
            if not ids or ids[-1] != event_id:
                ids.append(event_id)
            current = stop + 1
    lo = window(since)[0] if since is not None else DAY_MIN
    hi = window(until)[1] if until is not None else DAY_MAX
    keys = sorted(k for k in weights if lo <= k <= hi)
    points: list[IndexPoint] = []
    if keys:
        current = keys[0]
        recent: list[float] = []
        while current <= keys[-1]:
            value = weights.get(current, 0.0)
            recent = [*recent[-(window_bins - 1) :], value] if window_bins > 1 else [value]
            nxt = next_bin(current)
            points.append(
                IndexPoint(
                    day(current),
                    day(nxt - 1),
                    value,
                    sum(recent),
                    tuple(sorted(contributors.get(current, ()))),
                )
            )
            current = nxt
    return EscalationIndex(label, freq, window_bins, points)


def _intensity(
    ctx: ScanContext,
    event: Event,
    members: set[str] | None,
    pair: set[str] | None,
    chosen: Conflict | None,
    easing: bool,
) -> float:
    kind = ctx.event_type(event)
    a, b = ctx.root_of(event.actor), ctx.root_of(event.target)
    if members is not None and not (members & {a, b}):
        return 0.0
    if pair is not None and {a, b} != pair:
        return 0.0
    if chosen is None:
        return -kind.goldstein if easing else max(-kind.goldstein, 0.0)
    sides = chosen.side_of
    if easing:
        return -kind.goldstein if (a in sides or b in sides) else 0.0
    if kind.goldstein < 0 and (a in sides or b in sides):
        return -kind.goldstein
    if (
        kind.material_support
        and kind.goldstein > 0
        and b in sides
        and chosen.belligerent_since.get(a or "", DAY_MAX) > moment(event)
    ):
        return kind.goldstein
    return 0.0
