"""De-escalation: where a situation got better, on the same published scales as escalation.

Three rules make ``de_escalation`` steps:

1. **Down the MID ladder** (walked in :mod:`.ladder`, with the steps up): a de-escalating act
   between two parties, an event type with ``lowers_to`` (CAMEO 087x "de-escalate military
   engagement": ceasefire 0871, lifted blockade 0872, demobilization 0873, withdrawal 087),
   lowers the dyad's current hostility level to ``lowers_to`` when it was above it; size = levels
   lost.
2. **Cooperation between parties in conflict**: any other cooperative event (positive Goldstein,
   QuadClass cooperation; material support excepted) between two parties that are in conflict
   on its day: their dyad's current MID level is 2 or more, a hostile relation (war, hostility,
   attacks, sanctions) links them, or they are on opposite sides of a war; size = its Goldstein
   score. An announced withdrawal (CAMEO 0356), lifted sanctions (085), a prisoner release
   (0841), a negotiation (046) between enemies are such steps.
3. **Ended relations**: a hostile relation that ends (``end``, with its ``ended_by`` event cited
   when there is one), and a supportive relation (alliance, support, arms supply, forces
   deployed) between a belligerent and a third party that ends while that war goes on (the war
   narrows: the reverse of ``widening``); size = 1 relation.

A war whose war relations have all ended has no belligerents after its end (see
:mod:`.conflicts`): support declared after a ceasefire does not widen it.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphkit.model.dates import DAY_MAX, DAY_MIN, PartialDate
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.query.escalation.context import Row, ScanContext, day
from graphkit.query.escalation.ladder import LadderWalk, walk
from graphkit.query.escalation.steps import LEVEL_TEXT, Step, StepEvidence

__all__ = ["cooperation", "de_escalations", "easing_events", "ended_relations"]


def de_escalations(ctx: ScanContext) -> Iterator[Step]:
    """The de-escalation steps of a scan (the three rules of the module docstring)."""
    yield from walk(ctx).down
    yield from cooperation(ctx)
    yield from ended_relations(ctx)


def _in_conflict(
    ctx: ScanContext, ladder: LadderWalk, first: int, event_id: str, a: str, b: str
) -> str | None:
    """Why the two parties of a cooperative event are in conflict on its day, or None."""
    pair = (a, b) if a < b else (b, a)
    level = ladder.level_before.get(event_id)
    if level is None:  # not walked (no lowers_to): the dyad's level at the end of its day
        level = ladder.level_on(pair, first)
    if level >= 2:
        return LEVEL_TEXT[level]
    hostile = ctx.hostile.get(pair)
    if hostile:
        for relation in hostile:
            # relation.extent's first and last possible days, without building the extent.
            start, end = relation.start, relation.end
            if (
                (DAY_MIN if start is None else start.lo)
                <= first
                <= (DAY_MAX if end is None else end.hi)
            ):
                return relation.type.replace("_", " ")
    conflict = ctx.conflict_of.get(a)
    if (
        conflict is not None
        and conflict is ctx.conflict_of.get(b)
        and conflict.side_of[a] != conflict.side_of[b]
        and conflict.belligerent_on(a, first)
        and conflict.belligerent_on(b, first)
    ):
        return f"opposite sides in {conflict.label()}"
    return None


def easing_events(ctx: ScanContext) -> dict[str, Row]:
    """The cooperative events between parties in conflict (rules 1 and 2), by event id."""
    return _easing(ctx)[0]


def _easing(ctx: ScanContext) -> tuple[dict[str, Row], dict[str, str]]:
    """The easing rows by event id, and why each one's parties are in conflict (once per scan).

    :func:`cooperation` and the index (:func:`easing_events`) both read it.
    """
    found = ctx.cache.get("easing")
    if isinstance(found, tuple):
        return found
    ladder = walk(ctx)
    easing: dict[str, Row] = {}
    why: dict[str, str] = {}
    for row in ctx.easing_rows:
        first, _, event_id, _, _, a, b, _, _, _ = row
        reason = _in_conflict(ctx, ladder, first, event_id, a, b)
        if reason:
            easing[event_id] = row
            why[event_id] = reason
    ctx.cache["easing"] = found = (easing, why)
    return found


def cooperation(ctx: ScanContext) -> Iterator[Step]:
    """Cooperative events between parties in conflict that did not move the ladder down."""
    ladder = walk(ctx)
    lowered = {row.id for row, *_ in ladder.moves_down}
    easing, whys = _easing(ctx)
    kb, citations, conflict_of = ctx.kb, ctx.citations, ctx.conflict_of
    for row in easing.values():  # ctx.easing_rows whose parties are in conflict, in order
        lo, hi, event_id, event, kind, a, b, when, name, _ = row
        if event_id in lowered:
            continue
        why = whys[event_id]
        # ctx.conflict_name(a, b), inlined.
        conflict = conflict_of.get(a)
        if conflict is None:
            conflict = conflict_of.get(b)
        yield Step(
            "de_escalation",
            day(lo),
            str(when),
            (a, b) if a < b else (b, a),
            kind.goldstein,
            "goldstein",
            None,
            f"{kind.label or name} (Goldstein {kind.goldstein:+g})",
            f"{a} -> {b}: {name} between parties in conflict ({why})",
            StepEvidence(kb, (event,), citations),
            None if conflict is None else conflict.name,
            False,
            (),
            (lo, hi),
        )


def ended_relations(ctx: ScanContext) -> Iterator[Step]:
    """Hostile relations that end, and support for a belligerent that ends during its war."""
    events = ctx.kb.events
    names = _TypeNames(ctx)
    for relation, a, b, end in ctx.ended_hostile:
        name, label = names[relation.type]
        ended_by = relation.ended_by
        yield _ended(
            ctx,
            relation,
            end,
            label,
            (a, b),
            f"{name} relation between {a} and {b} ends",
            events.get(ended_by) if ended_by else None,
        )
    conflict_of = ctx.conflict_of
    for relation, a, b, end in ctx.ended_supportive:
        conflict_a, conflict_b = conflict_of.get(a), conflict_of.get(b)
        if conflict_a is None and conflict_b is None:
            continue  # neither end was ever a belligerent
        for belligerent, other, conflict in ((b, a, conflict_b), (a, b, conflict_a)):
            if conflict is None or not conflict.belligerent_on(belligerent, end.lo):
                continue
            if conflict.belligerent_on(other, end.lo):
                continue  # between belligerents: the war itself says more
            name, label = names[relation.type]
            ended_by = relation.ended_by
            yield _ended(
                ctx,
                relation,
                end,
                label,
                (other, belligerent),
                f"{name} relation between {other} and belligerent {belligerent} ends "
                f"in {conflict.label()}",
                events.get(ended_by) if ended_by else None,
            )
            break


class _TypeNames(dict[str, tuple[str, str]]):
    """Relation type -> its name in words and its label (else that name), found once per type."""

    def __init__(self, ctx: ScanContext) -> None:
        super().__init__()
        self._types = ctx.relation_types

    def __missing__(self, type_name: str) -> tuple[str, str]:
        name = type_name.replace("_", " ")
        kind = self._types.get(type_name)
        self[type_name] = found = (name, (kind.label if kind is not None else None) or name)
        return found


def _ended(
    ctx: ScanContext,
    relation: Relation,
    end: PartialDate,
    label: str,
    parties: tuple[str, str],
    summary: str,
    ended_by: Event | None,
) -> Step:
    items: tuple[Relation | Event, ...] = (relation,) if ended_by is None else (relation, ended_by)
    # ctx.conflict_name(*parties), inlined.
    conflict = ctx.conflict_of.get(parties[0])
    if conflict is None:
        conflict = ctx.conflict_of.get(parties[1])
    lo, hi = end.lo, end.hi
    return Step(
        "de_escalation",
        day(lo),
        str(end),
        parties,
        1.0,
        "relation",
        label,
        "ended",
        summary,
        StepEvidence(ctx.kb, items, ctx.citations),
        None if conflict is None else conflict.name,
        False,
        (),
        (lo, hi),
    )
