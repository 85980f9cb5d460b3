"""The new-party rule: a third party commits to a conflict, one level of involvement at a time.

A root that is not yet a belligerent commits to a conflict on one side by material support at
hostility 3 or more (deploying forces), by hostile acts of level 3 or more against one side, and
finally by becoming a belligerent (a war relation naming it starts after the conflict began).
Each higher level of involvement is a ``new_party`` step; size = the level reached. Supportive
relations (alliances) with the side it joins are cited.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphkit.model.dates import DAY_MAX, DAY_MIN
from graphkit.model.relation import Relation
from graphkit.query.escalation.conflicts import Conflict
from graphkit.query.escalation.context import Row, ScanContext, day, third_party_rows
from graphkit.query.escalation.steps import LEVEL_TEXT, Step
from graphkit.query.escalation.widening import MAY_PRECEDE

__all__ = ["new_party"]


def new_party(ctx: ScanContext) -> Iterator[Step]:
    """The new-party steps of a scan: committing acts in time order, then joining wars."""
    level: dict[tuple[str, str], int] = {}
    for row, conflict, first in third_party_rows(ctx):
        kind, actor, target = row.kind, row.actor, row.target
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
            continue
        previous = level.get((conflict.name, actor), 1)
        if reached <= previous:
            continue
        level[conflict.name, actor] = reached
        note = MAY_PRECEDE if first > row.lo else ""
        yield _new_party_step(ctx, conflict, row, actor, side, previous, reached, verb, first, note)
    roots = ctx.root
    for conflict in ctx.conflicts:
        belligerent_since, conflict_start = conflict.belligerent_since, conflict.start
        for relation in conflict.relations:
            start = relation.start
            lo = DAY_MIN if start is None else start.lo  # relation.extent.lo
            if lo <= conflict_start:
                continue  # since <= lo: nobody joins by this relation after the war began
            for end in (relation.from_, relation.to):
                root = roots.get(end, end)
                since = belligerent_since.get(root, DAY_MAX)
                if lo != since or since <= conflict_start:
                    continue
                previous = level.get((conflict.name, root), 1)
                level[conflict.name, root] = 5
                links = ctx.supportive_between(root, _ally(conflict, root), since)
                yield Step(
                    "new_party",
                    day(since),
                    str(relation.start) if relation.start else "…",
                    (root,),
                    5.0,
                    "level",
                    LEVEL_TEXT[previous],
                    LEVEL_TEXT[5],
                    f"{root} becomes a belligerent in {conflict.label()}",
                    ctx.evidence(relation, *links),
                    conflict.name,
                    extent=None if relation.start is None else (since, relation.start.hi),
                )


def _ally(conflict: Conflict, root: str) -> str:
    side = conflict.side_of.get(root)
    if side is None:
        return root
    return next((a for a in conflict.by_entry(side) if a != root), root)


def _new_party_step(
    ctx: ScanContext,
    conflict: Conflict,
    row: Row,
    actor: str,
    side: int,
    previous: int,
    reached: int,
    verb: str,
    first: int,
    note: str,
) -> Step:
    side_members = conflict.by_entry(side)
    links: list[Relation] = []
    # The actor's partners on that side, earliest belligerent first (a side can be thousands
    # of roots long, an actor's partners are few).
    since, side_of = conflict.belligerent_since, conflict.side_of
    allies = [p for p in ctx.partners.get(actor, ()) if side_of.get(p) == side]
    for member in sorted(allies, key=lambda p: (since.get(p, DAY_MAX), p)):
        links.extend(ctx.supportive_between(actor, member, first))
    partners = {ctx.root_of(r.to) for r in links} | {ctx.root_of(r.from_) for r in links}
    named = sorted(p for p in partners if p is not None and p != actor)
    allied = f", aligned with {', '.join(named)}" if named else ""
    return Step(
        "new_party",
        day(first),
        str(row.when),
        (actor, *side_members[:1]),
        float(reached),
        "level",
        LEVEL_TEXT[previous],
        LEVEL_TEXT[reached],
        f"{actor} {verb} in {conflict.label()}: {row.name}{allied}{note}",
        ctx.evidence(row.event, *links),
        conflict.name,
        extent=(row.lo, row.hi),
    )
