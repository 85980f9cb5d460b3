"""Quantities: reported and planned figures about the same thing, and when they grew.

Successive reports about the same thing (a quantity's ``measure``, else the actor, target and
unit) make a ``quantity_growth`` step where the reported figure, or a planned one, exceeds every
earlier one; size = the ratio new / previous. Reports are ordered by the day the figure was known:
its ``as_of``, else the first publication of its sources, else the event's last possible day. An
equal later figure corroborates the step (its evidence is added) instead of making a new one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from graphkit.model.dates import DAY_MAX
from graphkit.model.event import Event, Quantity
from graphkit.query.escalation.context import ScanContext, day
from graphkit.query.escalation.steps import Step
from graphkit.query.evidence import Evidence

__all__ = ["quantity_growth"]


def _report_day(ctx: ScanContext, quantity: Quantity, event: Event) -> int:
    if quantity.as_of is not None:
        return quantity.as_of.hi
    published = ctx.published
    days = [
        found
        for ref in quantity.sources or event.sources
        if (found := published.get(ref.source)) is not None
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


def quantity_growth(ctx: ScanContext) -> Iterator[Step]:
    """The growth steps of a scan."""
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
    for known, _, event, quantity, parties, what in reports:
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
            draft = _Draft(ctx, known, event, quantity, chain.parties, baseline, figure, label)
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
        draft = _Draft(ctx, known, event, quantity, chain.parties, previous, figure, label)
        chain.reported_step = draft
        drafts.append(draft)
    for draft in drafts:
        yield draft.step()


class _Draft:
    """A growth step under construction: later equal reports add corroborating events."""

    def __init__(
        self,
        ctx: ScanContext,
        known: int,
        event: Event,
        quantity: Quantity,
        parties: tuple[str, ...],
        previous: float,
        figure: float,
        label: str,
    ) -> None:
        self.ctx = ctx
        self.args = (known, event, quantity, parties, previous, figure, label)
        self.events: dict[str, Event] = {event.id: event}

    def add(self, event: Event) -> None:
        self.events.setdefault(event.id, event)

    def step(self) -> Step:
        known, event, quantity, parties, previous, figure, label = self.args
        evidence = self.ctx.evidence(*self.events.values())
        return _growth_step(
            self.ctx, known, event, quantity, parties, previous, figure, label, evidence
        )


def _growth_step(
    ctx: ScanContext,
    known: int,
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
        day(known),
        str(event.date),
        parties,
        round(figure / previous, 3),
        "ratio",
        f"{previous:,.0f} {label}",
        after,
        summary,
        evidence,
        ctx.conflict_name(*parties),
        quantity.planned,
    )
