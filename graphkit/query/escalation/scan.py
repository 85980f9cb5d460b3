"""The scan: run every rule over a knowledge base, then keep the steps a query asks for."""

from __future__ import annotations

from collections.abc import Iterable

from graphkit._gc import gc_paused
from graphkit.kb import KnowledgeBaseLike
from graphkit.model.dates import DAY_MAX, DAY_MIN, window
from graphkit.query.escalation.context import ScanContext
from graphkit.query.escalation.deescalation import de_escalations
from graphkit.query.escalation.ladder import ladder
from graphkit.query.escalation.new_party import new_party
from graphkit.query.escalation.quantities import quantity_growth
from graphkit.query.escalation.steps import Kind, Step, StepList, sort_steps
from graphkit.query.escalation.widening import widening_events, widening_relations
from graphkit.query.paths import scope

__all__ = ["escalations", "resolve_conflict"]


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
    """Find the escalation steps of a knowledge base (rules in :mod:`graphkit.query.escalation`).

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
        ctx = ScanContext(view)
        steps = [
            *ladder(ctx),
            *quantity_growth(ctx),
            *new_party(ctx),
            *widening_events(ctx),
            *widening_relations(ctx),
            *de_escalations(ctx),
        ]
        selected = _select(ctx, view, steps, actor, dyad, conflict, since, until, kinds)
        sort_steps(selected)
        return StepList(selected)


def _select(
    ctx: ScanContext,
    view: KnowledgeBaseLike,
    steps: list[Step],
    actor: str | None,
    dyad: tuple[str, str] | None,
    conflict: str | tuple[str, str] | None,
    since: object | None,
    until: object | None,
    kinds: Iterable[Kind] | None,
) -> list[Step]:
    if (actor, dyad, conflict, since, until, kinds) == (None,) * 6:
        return steps
    wanted_kinds = set(kinds) if kinds is not None else None
    actor_root = ctx.root_of(view.actor(actor).id) if actor is not None else None
    pair: set[str | None] | None = None
    if dyad is not None:
        pair = {ctx.root_of(view.actor(dyad[0]).id), ctx.root_of(view.actor(dyad[1]).id)}
    conflict_name = resolve_conflict(ctx, view, conflict) if conflict is not None else None
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


def _opposed(ctx: ScanContext, name: str, pair: set[str | None]) -> bool:
    for conflict in ctx.conflicts:
        if conflict.name == name:
            sides = {conflict.side_of.get(p) for p in pair if p is not None}
            return len(sides) == 2 or None in sides
    return False


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
