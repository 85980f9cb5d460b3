"""The scan: run every rule over a knowledge base once, then keep the steps a query asks for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from graphkit._gc import gc_paused
from graphkit.kb import KnowledgeBaseLike
from graphkit.model.dates import DAY_MAX, DAY_MIN, window
from graphkit.query.escalation.context import ScanContext, resolve_conflict
from graphkit.query.escalation.deescalation import de_escalations
from graphkit.query.escalation.index import EscalationIndex, index_of
from graphkit.query.escalation.ladder import ladder
from graphkit.query.escalation.new_party import new_party
from graphkit.query.escalation.quantities import quantity_growth
from graphkit.query.escalation.steps import Kind, Step, StepList, sort_steps
from graphkit.query.escalation.widening import widening_events, widening_relations
from graphkit.query.paths import scope

__all__ = ["EscalationScan", "escalation_scan", "escalations", "resolve_conflict"]


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
    # Bulk allocation, and the steps are long-lived: frozen, so no collection walks them again
    # (see graphkit._gc; the scan makes no reference cycles, so all of it is freed as usual).
    with gc_paused(keep=True):
        return escalation_scan(kb, known_at=known_at).steps(
            actor=actor, dyad=dyad, conflict=conflict, since=since, until=until, kinds=kinds
        )


def escalation_scan(kb: KnowledgeBaseLike, *, known_at: object | None = None) -> EscalationScan:
    """Scan a knowledge base once, for both its escalation steps and its escalation index.

    ``escalation_scan(kb).steps(...)`` is ``escalations(kb, ...)`` and ``.index(...)`` is
    ``escalation_index(kb, ...)``; what the rules look up (roots, conflicts, the ladder walk,
    the de-escalating events, death tolls) is computed once for both, as the main job and the
    report need.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state}]
        ... events:
        ...   - {id: e1, type: threat, date: 2024-01, actor: A, target: B}
        ...   - {id: e2, type: attack, date: 2024-03-02, actor: A, target: B}
        ... ''')
        >>> scan = escalation_scan(kb)
        >>> [s.after for s in scan.steps()] == [s.after for s in escalations(kb)]
        True
        >>> [(str(p.start), p.value) for p in scan.index(freq="month").points][-1]
        ('2024-03-01', 5.0)
    """
    return EscalationScan(scope(kb, known_at=known_at))


class EscalationScan:
    """The escalation rules run once over a knowledge base or view (see :func:`escalation_scan`).

    Its steps are found on first use and kept (unfiltered, in time order); each call of
    :meth:`steps` or :meth:`index` then only selects or bins. The knowledge base must not
    change meanwhile (the scan reads it as it was).
    """

    def __init__(self, kb: KnowledgeBaseLike) -> None:
        self.kb = kb
        with gc_paused(keep=True):
            self.context = ScanContext(kb)
        self._found: list[Step] | None = None
        self._sorted = False

    def _all(self) -> list[Step]:
        """Every rule's steps (in rule order, or in time order once sorted)."""
        if self._found is None:
            ctx = self.context
            with gc_paused(keep=True):
                self._found = [
                    *ladder(ctx),
                    *quantity_growth(ctx),
                    *new_party(ctx),
                    *widening_events(ctx),
                    *widening_relations(ctx),
                    *de_escalations(ctx),
                ]
        return self._found

    def steps(
        self,
        *,
        actor: str | None = None,
        dyad: tuple[str, str] | None = None,
        conflict: str | tuple[str, str] | None = None,
        since: object | None = None,
        until: object | None = None,
        kinds: Iterable[Kind] | None = None,
    ) -> StepList:
        """The steps, as :func:`escalations` finds them with the same filters."""
        found = self._all()
        with gc_paused(keep=True):
            selected = _select(
                self.context, self.kb, found, actor, dyad, conflict, since, until, kinds
            )
            if selected is found:  # all of them: sorted once, kept sorted
                if not self._sorted:
                    sort_steps(found)
                    self._sorted = True
                return StepList(found)
            # sort_steps is a total order (ties keep rule order, which selecting keeps), so
            # sorting the selection gives the same list as selecting from the sorted steps.
            if not self._sorted:
                sort_steps(selected)
            return StepList(selected)

    def index(
        self,
        *,
        actor: str | None = None,
        dyad: tuple[str, str] | None = None,
        conflict: str | tuple[str, str] | None = None,
        since: object | None = None,
        until: object | None = None,
        freq: Literal["day", "week", "month"] = "week",
        window_bins: int = 4,
    ) -> EscalationIndex:
        """The escalation index, as :func:`escalation_index` computes it with the same scope."""
        with gc_paused():  # bulk allocation: see graphkit._gc
            return index_of(
                self.context,
                actor=actor,
                dyad=dyad,
                conflict=conflict,
                since=since,
                until=until,
                freq=freq,
                window_bins=window_bins,
            )


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
