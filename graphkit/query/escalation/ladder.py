"""The ladder rule: a dyad climbing the Correlates of War MID hostility levels.

Between the same two parties (a dyad of roots, in either direction), a conflictual event (negative
Goldstein score) whose hostility level is above every earlier one is a ``ladder`` step; its size
is the number of levels gained.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphkit.query.escalation.context import ScanContext, day
from graphkit.query.escalation.steps import LEVEL_TEXT, LEVELS, Step

__all__ = ["ladder"]


def ladder(ctx: ScanContext) -> Iterator[Step]:
    """The ladder steps of a scan, in time order."""
    running: dict[tuple[str, str], int] = {}
    for first, _, _, event, kind, a, b in ctx.rows:
        if kind.goldstein >= 0 or a == b:
            continue
        pair = (a, b) if a < b else (b, a)
        previous = running.get(pair, 1)
        if kind.hostility <= previous:
            continue
        running[pair] = kind.hostility
        yield Step(
            "ladder",
            day(first),
            str(event.date),
            pair,
            float(kind.hostility - previous),
            "levels",
            LEVEL_TEXT[previous],
            LEVEL_TEXT[kind.hostility],
            f"{a} -> {b}: {event.type.replace('_', ' ')} raises the dyad to "
            f"{LEVELS[kind.hostility]}",
            ctx.evidence(event),
            ctx.conflict_name(a, b),
        )
