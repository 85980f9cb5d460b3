"""Lanes: which actor's row each item sits in, and in what order the lanes come.

One lane per actor; with more lanes than ``max_lanes``, one per actor *group* (the top of each
``part_of`` chain), and the least busy groups share an ``other actors`` lane. An event sits in
the lane of its main actor (else its target, else its first participant); a relation in the lane
of its ``from`` actor.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.render._describe import Describer
from graphkit.render._html import esc

if TYPE_CHECKING:
    from graphkit.kb import KnowledgeBase

__all__ = ["NO_ACTOR_LANE", "OTHER_LANE", "LaneMode", "assign_lanes", "first_actor"]

#: ``actor``: a lane per actor; ``group``: a lane per top-level actor (``part_of`` chains);
#: ``auto``: per actor unless that gives more than ``group_over`` lanes.
LaneMode = Literal["auto", "actor", "group"]

OTHER_LANE = "other actors"
NO_ACTOR_LANE = "no actor"


def first_actor(event: Event) -> str | None:
    """The actor whose lane an event sits in: main actor, else target, else first participant."""
    if event.actor is not None:
        return event.actor
    if event.target is not None:
        return event.target
    return next((p.actor for p in event.participants), None)


def root(kb: KnowledgeBase, actor_id: str) -> str:
    """The top of an actor's ``part_of`` chain (the actor itself without a known parent)."""
    seen = {actor_id}
    current = actor_id
    while True:
        actor = kb.actors.get(current)
        parent = actor.part_of if actor is not None else None
        if parent is None or parent in seen or parent not in kb.actors:
            return current
        seen.add(parent)
        current = parent


def assign_lanes(
    kb: KnowledgeBase,
    events: Sequence[Event],
    relations: Sequence[Relation],
    mode: LaneMode,
    max_lanes: int,
    group_over: int | None = None,
    first_actors: Sequence[str | None] | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Map actor ids to lane labels and order the lanes (busiest first).

    ``auto`` mode draws a lane per actor unless there would be more than ``group_over`` of them
    (default ``max_lanes``); then a lane per group. ``first_actors``: each event's
    :func:`first_actor`, when already known.
    """
    main: list[str] = []
    unplaced = False  # an event without any actor
    for first in map(first_actor, events) if first_actors is None else first_actors:
        if first is None:
            unplaced = True
        else:
            main.append(first)
    main.extend(r.from_ for r in relations)
    counts = Counter(main)
    if mode == "auto":
        limit = max_lanes if group_over is None else min(group_over, max_lanes)
        mode = "actor" if len(counts) <= limit else "group"
    key = {a: (a if mode == "actor" else root(kb, a)) for a in counts}
    lane_counts: Counter[str] = Counter()
    for actor_id, count in counts.items():
        lane_counts[key[actor_id]] += count
    busiest = sorted(lane_counts, key=lambda k: (-lane_counts[k], k))
    kept = busiest if len(busiest) <= max_lanes else busiest[: max_lanes - 1]
    # Neighbours in the hierarchy sit together: groups by activity, the group's root first.
    roots = {k: root(kb, k) for k in kept}
    group_counts: Counter[str] = Counter()
    for k in kept:
        group_counts[roots[k]] += lane_counts[k]
    kept.sort(key=lambda k: (-group_counts[roots[k]], roots[k], k != roots[k], -lane_counts[k], k))
    kept_set = set(kept)
    d = Describer(kb)
    names = {k: d.actor_name(k) for k in kept}
    duplicated = {n for n, c in Counter(names.values()).items() if c > 1}
    labels = {k: (f"{names[k]} ({esc(k)})" if names[k] in duplicated else names[k]) for k in kept}
    lane_of = {
        actor_id: labels[lane] if lane in kept_set else OTHER_LANE for actor_id, lane in key.items()
    }
    for actor in kb.actors:  # actors only involved as targets or participants
        lane = key.get(actor.id) or (actor.id if mode == "actor" else root(kb, actor.id))
        lane_of.setdefault(actor.id, labels.get(lane, OTHER_LANE))
    order = [labels[k] for k in kept]
    used = {lane_of[a] for a in counts}
    if OTHER_LANE in used:
        order.append(OTHER_LANE)
    if unplaced:
        order.append(NO_ACTOR_LANE)
    return lane_of, order
