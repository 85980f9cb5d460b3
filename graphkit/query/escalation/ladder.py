"""The ladder rule: a dyad moving along the Correlates of War MID hostility levels.

Between the same two parties (a dyad of roots, in either direction) the dyad has a *current*
level, 1 (no militarized action) at first. A conflictual event (negative Goldstein score) whose
hostility level is above the current level is a ``ladder`` step; its size is the number of levels
gained. A de-escalating act (an event type with ``lowers_to``: a ceasefire, a lifted blockade, a
withdrawal, a demobilization) between the two lowers the current level to ``lowers_to`` when it
was above it: a ``de_escalation`` step down the same ladder (see :mod:`.deescalation` for the
other de-escalation rules), and a later hostile act above the lowered level is a ladder step
again. The walk is done once per scan and shared: :func:`walk`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from functools import cached_property

from graphkit.query.escalation.context import Row, ScanContext, day
from graphkit.query.escalation.severity import FATALITY_BANDS, Fatalities, fatalities
from graphkit.query.escalation.steps import LEVEL_TEXT, LEVELS, Kind, Step, StepEvidence

__all__ = ["LadderWalk", "ladder", "walk"]

_Move = tuple[Row, tuple[str, str], tuple[int, int], tuple[int, int], "Fatalities | None"]


class LadderWalk:
    """The ladder of every dyad walked in time order: steps up and down, and each dyad's levels."""

    def __init__(self, ctx: ScanContext) -> None:
        # What the steps are built from, not the context itself: the context caches this walk,
        # and a reference back would make a cycle that only a collection frees (and none does
        # once the scan is frozen, see graphkit._gc).
        self._kb, self._citations, self._conflict_of = ctx.kb, ctx.citations, ctx.conflict_of
        #: The moves: (row, dyad, (level, fatality level) before, after, the act's deaths);
        #: their steps are built on first use.
        self.moves_up: list[_Move] = []
        self.moves_down: list[_Move] = []
        #: Per dyad, the (day, level) of every change, in time order.
        self.history: dict[tuple[str, str], list[tuple[int, int]]] = {}
        #: The dyad's level just before each act of a type with ``lowers_to`` (by event id).
        self.level_before: dict[str, int] = {}
        current: dict[tuple[str, str], tuple[int, int]] = {}
        no_militarized_action = (1, 0)
        # Held locally: the loop runs once per hostile or lowering act.
        level_before, history = self.level_before, self.history
        up, down = self.moves_up.append, self.moves_down.append
        # Both lists are in time order already: the sort only merges two runs (timsort, in C).
        lowering = ctx.lowering_rows
        for row in sorted(ctx.rows + lowering) if lowering else ctx.rows:
            first, _, event_id, event, kind, a, b, _, _, quantified = row
            if a == b:
                continue
            pair = (a, b) if a < b else (b, a)
            previous = current.get(pair, no_militarized_action)
            level = previous[0]
            goldstein = kind.goldstein
            if goldstein > 0:
                level_before[event_id] = level
                lowers_to = kind.lowers_to
                if lowers_to is None or level <= lowers_to or kind.material_support:
                    continue
                reached = (lowers_to, 0)
                down((row, pair, previous, reached, None))
            elif goldstein < 0 and kind.hostility >= level:
                # Severity within the level: the act's deaths, if it counts them.
                deaths = fatalities(ctx, event) if quantified else None
                reached = (kind.hostility, deaths.level if deaths is not None else 0)
                if reached <= previous:
                    continue
                up((row, pair, previous, reached, deaths))
            else:
                continue
            current[pair] = reached
            if reached[0] != level:
                changes = history.get(pair)
                if changes is None:
                    history[pair] = [(first, reached[0])]
                else:
                    changes.append((first, reached[0]))

    @cached_property
    def up(self) -> list[Step]:
        """The ``ladder`` steps, in time order."""
        return self._steps(self.moves_up, "ladder")

    @cached_property
    def down(self) -> list[Step]:
        """The ``de_escalation`` steps down the ladder, in time order."""
        return self._steps(self.moves_down, "de_escalation")

    def _steps(self, moves: list[_Move], kind: Kind) -> list[Step]:
        """The steps of ``moves``, one loop with what every step looks up held locally."""
        kb, citations, conflict_of = self._kb, self._citations, self._conflict_of
        verb = "raises" if kind == "ladder" else "lowers"
        steps: list[Step] = []
        append = steps.append
        for row, pair, previous, reached, deaths in moves:
            lo, hi, _, event, _, a, b, when, name, _ = row
            before, after = LEVEL_TEXT[previous[0]], LEVEL_TEXT[reached[0]]
            if previous[1]:
                before += f", {FATALITY_BANDS[previous[1]][3]}"
            to = LEVELS[reached[0]]
            if deaths is not None and deaths.level:
                after += f", {deaths.label}"
                to += f", {FATALITY_BANDS[deaths.level][3]}"
            within = reached[0] == previous[0]  # a deadlier act at the same hostility level
            # ctx.conflict_name(a, b), inlined.
            conflict = conflict_of.get(a)
            if conflict is None:
                conflict = conflict_of.get(b)
            append(
                Step(
                    kind,
                    day(lo),
                    str(when),
                    pair,
                    float(
                        abs(reached[1] - previous[1]) if within else abs(reached[0] - previous[0])
                    ),
                    "fatality levels" if within else "levels",
                    before,
                    after,
                    f"{a} -> {b}: {name} {verb} the dyad to {to}",
                    StepEvidence(kb, (event,), citations),
                    None if conflict is None else conflict.name,
                    False,
                    (),
                    (lo, hi),
                )
            )
        return steps

    def level_on(self, pair: tuple[str, str], first: int) -> int:
        """The dyad's level at the end of day ``first`` (1 before any change)."""
        changes = self.history.get(pair)
        if not changes:
            return 1
        index = bisect_right(changes, (first, 6)) - 1
        return changes[index][1] if index >= 0 else 1


def walk(ctx: ScanContext) -> LadderWalk:
    """The ladder walk of a scan, computed once and shared by the rules that read it."""
    found = ctx.cache.get("ladder")
    if not isinstance(found, LadderWalk):
        found = ctx.cache["ladder"] = LadderWalk(ctx)
    return found


def ladder(ctx: ScanContext) -> Iterator[Step]:
    """The ladder steps (up) of a scan, in time order."""
    yield from walk(ctx).up
