"""Bounded simple-path enumeration over adjacency sets (the engine of :mod:`graphkit.query.paths`).

The search works on node ids only. :class:`Adjacency` gives, for each node, the nodes one hop
away in the allowed direction: on a plain networkx graph walked along its edges these are the
graph's own adjacency ``dict`` objects (set operations on them run in C, nothing is copied),
otherwise (a filtered view, or ``undirected``) sets read once per node per search.

:class:`WalkSets` holds, for j = 0, 1, 2, ..., the nodes from which *some* walk of exactly j hops
ends at the goal. A node can only start a simple path of j hops to the goal if it is in the j-th
set, so :func:`simple_paths` intersects each node's successors with the set of the remaining
length. The sets are grown only half the path length deep (meet in the middle): the first hops
run unpruned. Paths come out in lexicographic order of their node ids, so a ``limit`` keeps the
same first paths whatever the graph's insertion order.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from itertools import chain
from typing import Any

#: The day on which the next hop is crossed: ``cross(u, v, day)``, or None if it cannot be.
Crossing = Callable[[str, str, int], "int | None"]


class Adjacency:
    """The nodes one hop away from each node, in the allowed direction.

    ``out(node)`` and ``into(node)`` give the nodes one hop after and before ``node`` as a set
    or a ``dict`` keyed by them (on a plain graph walked along its edges, its own adjacency
    dicts); ``successors(node)`` and ``predecessors(node)`` iterate over them in the graph's
    order, repeats possible.

    Args:
        graph: A networkx (multi)digraph or a view of one.
        undirected: Whether an edge may be walked against its direction too.
    """

    def __init__(self, graph: Any, undirected: bool) -> None:
        self._succ: Mapping[str, Mapping[str, Any]] = graph._succ
        self._pred: Mapping[str, Mapping[str, Any]] = graph._pred
        self.undirected = undirected
        self._sets: dict[tuple[str, bool], frozenset[str]] = {}
        self.out: Callable[[str], Collection[str]]
        self.into: Callable[[str], Collection[str]]
        self.successors: Callable[[str], Iterable[str]]
        self.predecessors: Callable[[str], Iterable[str]]
        if undirected:
            self.successors = lambda node: chain(self._succ[node], self._pred[node])
            self.predecessors = lambda node: chain(self._pred[node], self._succ[node])
        else:
            self.successors, self.predecessors = self._succ.__getitem__, self._pred.__getitem__
        if not undirected and type(self._succ) is dict and type(self._pred) is dict:
            self.out, self.into = self._succ.__getitem__, self._pred.__getitem__
        else:  # a filtered view, or both directions: read once per node
            self.out = lambda node: self._read(node, forwards=True)
            self.into = lambda node: self._read(node, forwards=False)

    def _read(self, node: str, *, forwards: bool) -> frozenset[str]:
        found = self._sets.get((node, forwards))
        if found is None:
            ahead, behind = (self._succ, self._pred) if forwards else (self._pred, self._succ)
            found = frozenset(ahead[node])
            if self.undirected:
                found = found.union(behind[node])
            self._sets[(node, forwards)] = found
        return found

    def step_back(self, nodes: Iterable[str]) -> set[str]:
        """The nodes one hop before any of ``nodes``."""
        return set().union(*map(self.into, nodes))

    def step_ahead(self, nodes: Iterable[str]) -> set[str]:
        """The nodes one hop after any of ``nodes``."""
        return set().union(*map(self.out, nodes))


def shortest_path(adjacency: Adjacency, start: str, goal: str, max_hops: int) -> list[str] | None:
    """One shortest path of at most ``max_hops`` hops, or None (a bidirectional BFS).

    As ``nx.shortest_path``: the side with the smaller frontier grows (on a tie, the start's),
    and the search stops at the first node found that the other side has seen.
    """
    pred: dict[str, str | None] = {start: None}
    succ: dict[str, str | None] = {goal: None}
    forward, backward = [start], [goal]
    hops = 0
    while forward and backward and hops < max_hops:
        hops += 1
        if len(forward) <= len(backward):
            forward, meet = _level(forward, pred, succ, adjacency.successors)
        else:
            backward, meet = _level(backward, succ, pred, adjacency.predecessors)
        if meet is not None:
            return _join(pred, succ, meet)
    return None


def _level(
    frontier: list[str],
    seen: dict[str, str | None],
    other: dict[str, str | None],
    step: Callable[[str], Iterable[str]],
) -> tuple[list[str], str | None]:
    """One level of a breadth-first search: the new frontier, and where it met ``other``."""
    level: list[str] = []
    for node in frontier:
        for nxt in step(node):
            if nxt not in seen:
                seen[nxt] = node
                level.append(nxt)
                if nxt in other:
                    return level, nxt
    return level, None


def _join(pred: dict[str, str | None], succ: dict[str, str | None], meet: str) -> list[str]:
    """The path through ``meet``, from the two searches' parent links."""
    path: list[str] = []
    node: str | None = meet
    while node is not None:
        path.append(node)
        node = pred[node]
    path.reverse()
    node = succ[meet]
    while node is not None:
        path.append(node)
        node = succ[node]
    return path


class WalkSets:
    """Walk sets grown from both ends of a search, on demand.

    ``ahead[i]`` holds the ends of the walks of exactly i hops from the start, ``behind[j]`` the
    starts of the walks of exactly j hops to the goal; a walk of ``i + j`` hops exists if and only
    if they meet, and a shortest walk is a shortest path. ``behind`` may start with the levels an
    earlier search towards the same goal grew (the sets are never changed, only added).
    """

    def __init__(
        self,
        adjacency: Adjacency,
        start: str,
        goal: str,
        behind: list[set[str]] | None = None,
        last: dict[str, list[str]] | None = None,
    ) -> None:
        self.adjacency = adjacency
        self.ahead: list[set[str]] = [{start}]
        self.behind: list[set[str]] = [{goal}] if behind is None else behind
        self.last = last

    def last_hops(self) -> dict[str, list[str]]:
        """For each node two hops from the goal, its successors one hop from it, sorted.

        The keys are ``behind[2]``, so a node that is not one has no such successor. Built from
        ``behind[1]`` once per goal (an earlier search's may be passed in), it spares the last
        step of every path a set intersection and a sort.
        """
        if self.last is None:
            self.layers(2)
            found: dict[str, list[str]] = {}
            for node in sorted(self.behind[1]):
                for before in self.adjacency.into(node):
                    known = found.get(before)
                    if known is None:
                        found[before] = [node]
                    else:
                        known.append(node)
            self.last = found
        return self.last

    def shortest(self, max_hops: int) -> int | None:
        """The number of hops of a shortest path, if at most ``max_hops`` (None otherwise).

        A bidirectional search: when no two known levels add up to the next length, the side
        whose last level is smaller grows (on a tie the goal side, which the enumeration prunes
        with).
        """
        ahead, behind = self.ahead, self.behind
        for hops in range(1, max_hops + 1):
            if len(ahead) + len(behind) - 2 < hops:
                if len(ahead[-1]) < len(behind[-1]):
                    ahead.append(self.adjacency.step_ahead(ahead[-1]))
                else:
                    behind.append(self.adjacency.step_back(behind[-1]))
            back = min(len(behind) - 1, hops)
            front, rear = ahead[hops - back], behind[back]
            if not front or not rear:  # no walk this long, nor any longer one
                return None
            if not front.isdisjoint(rear):
                return hops
        return None

    def layers(self, length: int) -> list[set[str] | None]:
        """For each position of a path of ``length`` hops, a set the node there must be in.

        Position i must be in ``behind[length - i]``. The goal side is grown half the length
        (rounded up) deep; the positions nearer the start get ``None``: not pruned.
        """
        behind = self.behind
        while len(behind) <= (length + 1) // 2 and behind[-1]:
            behind.append(self.adjacency.step_back(behind[-1]))
        known = len(behind)
        return [behind[length - i] if length - i < known else None for i in range(length + 1)]


class _Walk:
    """One enumeration of the simple paths through given layers (see :func:`simple_paths`)."""

    def __init__(
        self,
        adjacency: Adjacency,
        goal: str,
        layers: list[set[str] | None],
        last: dict[str, list[str]],
        limit: int,
        cross: Crossing | None,
    ) -> None:
        self.out = adjacency.out
        self.goal = goal
        self.layers = layers
        self.last = last
        self.limit = limit
        self.cross = cross
        self.path: list[str] = []
        self.found: list[list[str]] = []

    def extend(self, node: str, day: int) -> bool:
        """Walk on from ``node`` (the path's end); True once ``limit`` paths are found."""
        path = self.path
        position = len(path)
        if position == len(self.layers) - 2:
            return self._finish(node, day)
        goal, cross = self.goal, self.cross
        allowed = self.layers[position]
        ahead = self.out(node)
        for child in sorted(ahead if allowed is None else allowed.intersection(ahead)):
            if child in path or child == goal:
                continue
            after = day
            if cross is not None:
                crossed = cross(node, child, day)
                if crossed is None:
                    continue
                after = crossed
            path.append(child)
            full = self.extend(child, after)
            path.pop()
            if full:
                return True
        return False

    def _finish(self, node: str, day: int) -> bool:
        """The last two hops: every child here is one hop from the goal (``last`` lists them)."""
        path, goal, cross, found = self.path, self.goal, self.cross, self.found
        for child in self.last.get(node, ()):
            if child in path or child == goal:
                continue
            if cross is not None:
                crossed = cross(node, child, day)
                if crossed is None or cross(child, goal, crossed) is None:
                    continue
            found.append([*path, child, goal])
            if len(found) >= self.limit:
                return True
        return False


def simple_paths(
    adjacency: Adjacency,
    start: str,
    goal: str,
    layers: list[set[str] | None],
    last: dict[str, list[str]],
    *,
    limit: int,
    cross: Crossing | None = None,
    day: int = 0,
) -> list[list[str]]:
    """The first ``limit`` simple paths through ``layers``, in lexicographic order.

    Args:
        adjacency: The graph's adjacency.
        start: The first node.
        goal: The last node (it appears nowhere else on a path).
        layers: A set the node at each position must be in, or None (:meth:`WalkSets.layers`);
            the last is ``{goal}``.
        last: The successors one hop from the goal of each node two hops from it
            (:meth:`WalkSets.last_hops`).
        limit: Stop after this many paths.
        cross: For time-respecting paths: the day on which the next hop is crossed, given the
            day the previous one was, or None if it cannot be; ``None`` for any path.
        day: The day before the first hop (for ``cross``).
    """
    if any(layer is not None and not layer for layer in layers):
        return []
    if len(layers) == 2:  # one hop
        if goal not in adjacency.out(start):
            return []
        return [[start, goal]] if cross is None or cross(start, goal, day) is not None else []
    walk = _Walk(adjacency, goal, layers, last, limit, cross)
    walk.path.append(start)
    walk.extend(start, day)
    return walk.found
