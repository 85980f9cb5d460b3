"""The widening rule: new support for a belligerent once its conflict has begun.

A new supportive relation (alliance, support, arms supply, forces deployed) with a belligerent
that starts after its conflict began, and a material-support event below hostility 3 (arms
transfers, military aid, training) by a third party to a belligerent, are ``widening`` steps of
size 1. An alliance between belligerents of one side does not widen their war.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphkit.query.escalation.conflicts import Conflict
from graphkit.query.escalation.context import ScanContext, day, third_party_rows
from graphkit.query.escalation.steps import Step, StepEvidence

__all__ = ["MAY_PRECEDE", "widening_events", "widening_relations"]

#: Said of an act or relation whose date, at its precision, may fall before the war it widens.
MAY_PRECEDE = " (its date may fall before the war's start)"


def widening_events(ctx: ScanContext) -> Iterator[Step]:
    """Material support below hostility 3 by a third party to a belligerent."""
    for row, conflict, first in third_party_rows(ctx):
        lo, hi, _, event, kind, actor, target, when, name, _ = row
        if not (kind.material_support and kind.goldstein > 0) or kind.hostility >= 3:
            continue
        yield Step(
            "widening",
            day(first),
            str(when),
            (actor, target),
            1.0,
            "event",
            None,
            name,
            f"{actor} gives {name} to belligerent {target} in {conflict.label()}"
            + (MAY_PRECEDE if first > lo else ""),
            ctx.evidence(event),
            conflict.name,
            extent=(lo, hi),
        )


def widening_relations(ctx: ScanContext) -> Iterator[Step]:
    """New supportive relations with a belligerent after its conflict began."""
    conflict_of = ctx.conflict_of
    kb, citations, relation_types = ctx.kb, ctx.citations, ctx.relation_types
    names: dict[str, tuple[str, str]] = {}  # relation type -> its name and label
    for relation, a, b, start in ctx.started_supportive:
        conflict_a = conflict_of.get(a)
        conflict_b = conflict_of.get(b)
        if conflict_a is None:
            if conflict_b is None:
                continue
            touched: tuple[Conflict, ...] = (conflict_b,)
        elif conflict_b is None or conflict_b is conflict_a:
            touched = (conflict_a,)
        else:
            touched = (conflict_a, conflict_b)
        lo, hi = start.lo, start.hi
        for conflict in touched:
            began = conflict.start
            if hi <= began:
                continue  # it certainly began before the war
            # The first day it may have begun after the war began (a month-dated relation of
            # the war's month is weighed from the day after the war's first day).
            first = lo if lo > began else began + 1
            span, gaps = conflict.span, conflict.gaps
            # Inlined conflict.belligerent_on (a scan asks it a hundred thousand times).
            war_b = span.get(b)
            b_at_war = war_b is not None and war_b[0] <= first <= war_b[1]
            b_at_war = b_at_war and (b not in gaps or conflict.belligerent_on(b, first))
            war_a = span.get(a)
            a_at_war = war_a is not None and war_a[0] <= first <= war_a[1]
            a_at_war = a_at_war and (a not in gaps or conflict.belligerent_on(a, first))
            if b_at_war:
                belligerent, other, other_at_war = b, a, a_at_war
            elif a_at_war:
                belligerent, other, other_at_war = a, b, False
            else:
                continue  # neither end is at war that day: before it, or after it ended
            if other_at_war and conflict.side_of.get(other) == conflict.side_of.get(belligerent):
                continue  # an alliance between belligerents of one side does not widen it
            type_name = relation.type
            named = names.get(type_name)
            if named is None:
                name = type_name.replace("_", " ")
                named = names[type_name] = (name, relation_types[type_name].label or name)
            name, label = named
            yield Step(
                "widening",
                day(first),
                str(start),
                (other, belligerent),
                1.0,
                "relation",
                None,
                label,
                f"new {name} relation between {other} and belligerent {belligerent} in "
                f"{conflict.label()}{MAY_PRECEDE if lo <= began else ''}",
                StepEvidence(kb, (relation,), citations),
                conflict.name,
                False,
                (),
                (lo, hi),
            )
