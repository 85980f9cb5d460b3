"""Paths between actors: shortest, k-shortest and time-respecting, explained with evidence.

A path is a sequence of actors; each hop between two consecutive actors carries *every* relation
and event that links them in the allowed direction (its evidence), so one path reads "North Korea
-> Russia (alliance since 2024-06-19, troops deployed since 2024-10) -> Ukraine (at war since
2022-02-24)". Relations are followed in their direction; symmetric types both ways;
``undirected=True`` walks any edge against its direction too.

**Time-respecting paths** (``temporal=True``): there are crossing days t1 <= t2 <= ... with each
t_i inside hop i's validity (a relation's interval, an event's date, ends inclusive at their
precision). graphkit keeps, for each hop, the evidence usable after the previous crossing and
crosses as early as possible, which finds a time-respecting path whenever one exists.

Confidence follows the weakest-hop rule of :mod:`graphkit.query.evidence`.

Search: a single shortest path is a bidirectional breadth-first search (as
``nx.shortest_path``); k paths are enumerated by increasing length with a depth-first search. For
a length L, a backward breadth-first search from the target runs L // 2 levels deep; the walk's
first half runs free and its second half is pruned by exact remaining distances (meet in the
middle), so no branch is followed once it cannot reach the target in time. Among paths of equal
length, the better graded come first (up to ``max(4 k, 20)`` candidates per length are ranked).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from graphkit.errors import NoPathError
from graphkit.kb import KnowledgeBaseLike, KnowledgeBaseView
from graphkit.model.dates import DAY_MAX, DAY_MIN
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.query.evidence import Evidence, Grade, evidence_for, item_grade

__all__ = ["Hop", "Path", "PathList", "paths", "scope"]

_UNKNOWN_RANK = 9


@dataclass(frozen=True)
class Hop:
    """One step of a path: from one actor to the next, with all the evidence linking them."""

    source: str
    target: str
    evidence: tuple[Evidence, ...]
    crossing: date | None = None

    @property
    def grade(self) -> Grade:
        """The best grade among this hop's evidence (each scale separately)."""
        return Grade.best([e.grade for e in self.evidence])

    def __str__(self) -> str:
        crossing = f" (crossed {self.crossing})" if self.crossing else ""
        lines = [f"  {self.source} -> {self.target} [{self.grade}]{crossing}"]
        for item in self.evidence:
            lines.append(f"    {item}")
            if item.summary:
                lines.append(f"      {item.summary}")
            lines.extend(f"      source: {source}" for source in item.sources)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The hop as a JSON-ready mapping."""
        return {
            "from": self.source,
            "to": self.target,
            "grade": str(self.grade),
            "crossing": None if self.crossing is None else self.crossing.isoformat(),
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class Path:
    """A path between two actors that explains itself (``str(path)``, :meth:`to_dict`).

    ``since`` is the first day on which every hop with dated evidence had some (undated
    evidence, "since before the record", does not move it); ``None`` if nothing is dated.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors:
        ...   - {id: PRK, name: North Korea, kind: state}
        ...   - {id: RUS, name: Russia, kind: state}
        ...   - {id: UKR, name: Ukraine, kind: state}
        ... relations:
        ...   - {id: pact, type: allied_with, from: PRK, to: RUS, start: 2024-06-19, credibility: 2}
        ...   - {id: war, type: at_war_with, from: RUS, to: UKR, start: 2022-02-24}
        ... ''')
        >>> path = gk.paths(kb, "North Korea", "Ukraine")[0]
        >>> path.nodes, len(path), path.since
        (['PRK', 'RUS', 'UKR'], 2, datetime.date(2024, 6, 19))
        >>> print(path)
        PRK -> RUS -> UKR (2 hops, confidence ??, since 2024-06-19)
          PRK -> RUS [?2]
            relation 'pact': PRK allied_with RUS, 2024-06-19 to ongoing [?2]
          RUS -> UKR [??]
            relation 'war': RUS at_war_with UKR, 2022-02-24 to ongoing [??]
        >>> path.to_dict()["hops"][0]["evidence"][0]["id"]
        'pact'
    """

    hops: tuple[Hop, ...]
    since: date | None = None

    @property
    def nodes(self) -> list[str]:
        """The actor ids along the path."""
        return [self.hops[0].source, *(hop.target for hop in self.hops)] if self.hops else []

    @property
    def grade(self) -> Grade:
        """The path's confidence: its weakest hop on each scale."""
        return Grade.weakest([hop.grade for hop in self.hops])

    def __len__(self) -> int:
        return len(self.hops)

    def __str__(self) -> str:
        since = f", since {self.since}" if self.since else ""
        head = (
            f"{' -> '.join(self.nodes)} ({len(self)} hop{'s' if len(self) != 1 else ''}, "
            f"confidence {self.grade}{since})"
        )
        return "\n".join([head, *(str(hop) for hop in self.hops)])

    def to_dict(self) -> dict[str, Any]:
        """The path as a JSON-ready mapping (the stable ``--json`` shape)."""
        return {
            "nodes": self.nodes,
            "hops": [hop.to_dict() for hop in self.hops],
            "grade": str(self.grade),
            "since": None if self.since is None else self.since.isoformat(),
        }


class PathList(list[Path]):
    """The paths found, best first; converts to records and JSON without extra dependencies."""

    def to_records(self) -> list[dict[str, Any]]:
        """One flat row per piece of evidence: path number, hop, evidence fields."""
        rows: list[dict[str, Any]] = []
        for number, path in enumerate(self, start=1):
            for hop_number, hop in enumerate(path.hops, start=1):
                for item in hop.evidence:
                    rows.append(
                        {
                            "path": number,
                            "hop": hop_number,
                            "from": hop.source,
                            "to": hop.target,
                            "kind": item.kind,
                            "id": item.id,
                            "type": item.type,
                            "when": item.when,
                            "status": item.status,
                            "grade": str(item.grade),
                            "sources": "; ".join(s.id for s in item.sources),
                            "path_grade": str(path.grade),
                        }
                    )
        return rows

    def to_pandas(self) -> Any:
        """Return :meth:`to_records` as a pandas ``DataFrame`` (needs the ``pandas`` extra)."""
        import pandas as pd  # type: ignore[import-untyped, unused-ignore]

        return pd.DataFrame.from_records(self.to_records())

    def to_json(self) -> str:
        """The paths as JSON (a list of :meth:`Path.to_dict`)."""
        return json.dumps([p.to_dict() for p in self], indent=2, ensure_ascii=False)

    def __str__(self) -> str:
        return "\n\n".join(str(p) for p in self)


def scope(
    kb: KnowledgeBaseLike,
    *,
    at: object | None = None,
    between: tuple[object, object] | None = None,
    via: str | Iterable[str] | None = None,
    min_reliability: str | None = None,
    min_credibility: int | None = None,
    known_at: object | None = None,
) -> KnowledgeBaseLike:
    """Apply the common query filters to a knowledge base or view (no copying)."""
    if at is not None and between is not None:
        raise ValueError("give at= or between=, not both")
    result: KnowledgeBaseLike = kb
    if via is not None or min_reliability or min_credibility or known_at is not None:
        base = kb.kb
        old = kb if isinstance(kb, KnowledgeBaseView) else None
        types = {via} if isinstance(via, str) else (set(via) if via is not None else None)
        if old is not None and old.types is not None:
            types = old.types if types is None else types & old.types
        result = KnowledgeBaseView(
            base,
            None if old is None else old.window,
            certain=False if old is None else old.certain,
            types=types,
            min_reliability=min_reliability or (old.min_reliability if old else None),
            min_credibility=min_credibility or (old.min_credibility if old else None),
            known_at=known_at
            if known_at is not None
            else (date.fromordinal(old.known_at) if old and old.known_at else None),
        )
    if at is not None:
        result = result.at(at)
    elif between is not None:
        result = result.between(*between)
    return result


def paths(
    kb: KnowledgeBaseLike,
    source: str,
    target: str,
    *,
    at: object | None = None,
    between: tuple[object, object] | None = None,
    via: str | Iterable[str] | None = None,
    max_hops: int = 4,
    k: int | None = None,
    temporal: bool = False,
    min_reliability: str | None = None,
    min_credibility: int | None = None,
    known_at: object | None = None,
    undirected: bool = False,
) -> PathList:
    """Find the shortest path (or the ``k`` shortest simple paths) from ``source`` to ``target``.

    Args:
        kb: A knowledge base or a view of one (``kb.at(...)``).
        source: The first actor, by id, name or alias (case-insensitive).
        target: The last actor, likewise.
        at: Only what possibly held on this date.
        between: Only what possibly held in this ``(start, end)`` window.
        via: Only these relation/event types.
        max_hops: The longest path considered.
        k: How many paths; ``None`` for the single shortest one.
        temporal: Only time-respecting paths (see the module docstring).
        min_reliability: Only evidence with a source at least this reliable (A–E).
        min_credibility: Only evidence at least this credible (1–5).
        known_at: Only claims whose sources were published by this date.
        undirected: Walk edges against their direction too.

    Returns:
        The paths, shortest first; among equal lengths, the better graded first.

    Raises:
        UnknownActorError: If ``source`` or ``target`` names no actor (with suggestions).
        NoPathError: If no path satisfies the constraints.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... sources: [{id: s, title: S, reliability: B}]
        ... actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state},
        ...          {id: C, name: C, kind: state}]
        ... relations:
        ...   - {id: ab, type: allied_with, from: A, to: B, start: 2024-06, sources: [s]}
        ...   - {id: bc, type: at_war_with, from: B, to: C, start: 2022, sources: [s]}
        ... ''')
        >>> print(paths(kb, "a", "C", temporal=True)[0].nodes)
        ['A', 'B', 'C']
    """
    if max_hops < 1:
        raise ValueError(f"max_hops must be at least 1, not {max_hops}")
    if k is not None and k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    start = kb.actor(source).id
    goal = kb.actor(target).id
    view = scope(
        kb,
        at=at,
        between=between,
        via=via,
        min_reliability=min_reliability,
        min_credibility=min_credibility,
        known_at=known_at,
    )
    search = _Search(view, undirected)
    if start == goal:
        raise ValueError("source and target are the same actor")
    if k is None and not temporal:
        nodes = search.shortest(start, goal, max_hops)
        found = [] if nodes is None else [search.explain(nodes, temporal=False)]
    else:
        found = search.k_paths(start, goal, max_hops, k or 1, temporal)
    if not found:
        raise NoPathError(
            start, goal, _constraints(at, between, via, max_hops, temporal, known_at, kb)
        )
    return PathList(found)


def _constraints(
    at: object | None,
    between: tuple[object, object] | None,
    via: str | Iterable[str] | None,
    max_hops: int,
    temporal: bool,
    known_at: object | None,
    kb: KnowledgeBaseLike,
) -> str:
    parts = [f"within {max_hops} hops"]
    if at is not None:
        parts.append(f"at {at}")
    if between is not None:
        parts.append(f"between {between[0]} and {between[1]}")
    if via is not None:
        parts.append("via " + (via if isinstance(via, str) else ", ".join(sorted(via))))
    if temporal:
        parts.append("respecting time")
    if known_at is not None:
        parts.append(f"known at {known_at}")
    if isinstance(kb, KnowledgeBaseView) and kb.window is not None:
        parts.append(f"in {kb!r}")
    return " ".join(parts)


class _Search:
    """Graph searches over a (possibly filtered) knowledge base graph."""

    def __init__(self, view: KnowledgeBaseLike, undirected: bool) -> None:
        self.view = view
        self.graph = view.graph
        self.undirected = undirected
        self.items: dict[str, Event | Relation] = {}
        self._evidence: dict[str, Evidence] = {}
        self._grades: dict[str, Grade] = {}

    def successors(self, node: str) -> Iterator[str]:
        # ``_succ``/``_pred`` are the raw (or, for views, filtered) adjacency mappings; going
        # through them skips a layer of read-only wrappers on the hot path.
        yield from self.graph._succ[node]
        if self.undirected:
            yield from self.graph._pred[node]

    def predecessors(self, node: str) -> Iterator[str]:
        yield from self.graph._pred[node]
        if self.undirected:
            yield from self.graph._succ[node]

    def edges(self, u: str, v: str) -> list[tuple[str, Any]]:
        """The (key, extent) of every usable edge for the hop u -> v, in key order."""
        found: dict[str, Any] = {}
        pairs = ((u, v), (v, u)) if self.undirected else ((u, v),)
        for a, b in pairs:
            keydict = self.graph.succ[a].get(b)
            if keydict is not None:
                for key, attrs in keydict.items():
                    if key not in found:
                        found[key] = attrs["extent"]
                        self.items.setdefault(key, attrs["item"])
        return sorted(found.items())

    def grade(self, key: str) -> Grade:
        """The grade of an edge's evidence, computed once per search."""
        found = self._grades.get(key)
        if found is None:
            found = self._grades[key] = item_grade(self.view, self.items[key])
        return found

    def evidence(self, key: str) -> Evidence:
        """The evidence of an edge, built once per search."""
        found = self._evidence.get(key)
        if found is None:
            found = self._evidence[key] = evidence_for(self.view, self.items[key])
        return found

    def shortest(self, start: str, goal: str, max_hops: int) -> list[str] | None:
        """Bidirectional BFS; returns the node list of one shortest path, or None."""
        if start not in self.graph or goal not in self.graph:
            return None
        pred: dict[str, str | None] = {start: None}
        succ: dict[str, str | None] = {goal: None}
        forward, backward = [start], [goal]
        hops = 0
        while forward and backward and hops < max_hops:
            hops += 1
            if len(forward) <= len(backward):
                level: list[str] = []
                for node in forward:
                    for nxt in self.successors(node):
                        if nxt not in pred:
                            pred[nxt] = node
                            level.append(nxt)
                            if nxt in succ:
                                return self._join(pred, succ, nxt)
                forward = level
            else:
                level = []
                for node in backward:
                    for prev in self.predecessors(node):
                        if prev not in succ:
                            succ[prev] = node
                            level.append(prev)
                            if prev in pred:
                                return self._join(pred, succ, prev)
                backward = level
        return None

    @staticmethod
    def _join(pred: dict[str, str | None], succ: dict[str, str | None], meet: str) -> list[str]:
        left: list[str] = []
        node: str | None = meet
        while node is not None:
            left.append(node)
            node = pred[node]
        left.reverse()
        node = succ[meet]
        while node is not None:
            left.append(node)
            node = succ[node]
        return left

    def distances_to(self, goal: str) -> _Distances:
        """Hop distances to ``goal``, computed level by level only as deep as asked."""
        return _Distances(self, goal)

    def k_paths(self, start: str, goal: str, max_hops: int, k: int, temporal: bool) -> list[Path]:
        if start not in self.graph or goal not in self.graph:
            return []
        first = self.shortest(start, goal, max_hops)
        if first is None:
            return []
        dist = self.distances_to(goal)
        cap = max(4 * k, 20)
        results: list[Path] = []
        for length in range(len(first) - 1, max_hops + 1):
            # Meet in the middle: the goal side is known to half the length; the first half of
            # each walk runs unpruned, the second half is pruned by exact remaining distances.
            dist.expand(length // 2)
            batch = list(self._walk(start, goal, length, dist, temporal, cap))
            if len(batch) > k - len(results):  # rank only when there is a choice to make
                batch.sort(key=lambda nodes: (self._rank(nodes, temporal), nodes))
            results.extend(self.explain(n, temporal) for n in batch[: k - len(results)])
            if len(results) >= k:
                break
        return results

    def _walk(
        self,
        start: str,
        goal: str,
        length: int,
        distances: _Distances,
        temporal: bool,
        cap: int,
    ) -> Iterator[list[str]]:
        """Simple paths of exactly ``length`` hops, pruned by the distance to the goal.

        Distances are known up to ``distances.depth``; an unknown node is farther than that.
        """
        dist = distances.known
        horizon = distances.depth if distances.frontier else length
        found = 0
        stack: list[tuple[str, int, Iterator[str]]] = [
            (start, DAY_MIN, iter(sorted(set(self.successors(start)))))
        ]
        on_path = [start]
        visited = {start}
        while stack:
            node, time, children = stack[-1]
            depth = len(on_path) - 1
            advanced = False
            for child in children:
                remaining = length - depth - 1
                if child in visited:
                    continue
                known = dist.get(child)
                if (known is None and remaining <= horizon) or (
                    known is not None and known > remaining
                ):
                    continue
                if child == goal and remaining != 0:
                    continue
                crossing: int | None = time
                if temporal:
                    crossing = self._cross(node, child, time)
                    if crossing is None:
                        continue
                assert crossing is not None
                if child == goal:
                    yield [*on_path, child]
                    found += 1
                    if found >= cap:
                        return
                    continue
                on_path.append(child)
                visited.add(child)
                stack.append((child, crossing, iter(sorted(set(self.successors(child))))))
                advanced = True
                break
            if not advanced:
                stack.pop()
                visited.discard(on_path.pop())

    def _cross(self, u: str, v: str, time: int) -> int | None:
        """The earliest day >= ``time`` at which some edge u -> v holds, or None."""
        best: int | None = None
        for _, extent in self.edges(u, v):
            if extent.hi < time:
                continue
            day = max(time, extent.lo)
            if best is None or day < best:
                best = day
        return best

    def _rank(self, nodes: list[str], temporal: bool) -> tuple[int, int]:
        """Sort key of a path's confidence (weakest hop), without building the path."""
        hops: list[Grade] = []
        time = DAY_MIN
        for u, v in zip(nodes, nodes[1:], strict=False):
            edges = self.edges(u, v)
            if temporal:
                edges = [(key, ext) for key, ext in edges if ext.hi >= time]
                time = min(max(time, ext.lo) for _, ext in edges)
            hops.append(Grade.best([self.grade(key) for key, _ in edges]))
        return _grade_rank(Grade.weakest(hops))

    def explain(self, nodes: list[str], temporal: bool) -> Path:
        hops: list[Hop] = []
        time = DAY_MIN
        since: int | None = None
        for u, v in zip(nodes, nodes[1:], strict=False):
            edges = self.edges(u, v)
            crossing: date | None = None
            if temporal:
                edges = [(key, ext) for key, ext in edges if ext.hi >= time]
                time = min(max(time, ext.lo) for _, ext in edges)
                crossing = _day(time)
            dated = [ext.lo for _, ext in edges if ext.lo > DAY_MIN]
            if dated:
                since = min(dated) if since is None else max(since, min(dated))
            evidence = tuple(self.evidence(key) for key, _ in edges)
            hops.append(Hop(u, v, evidence, crossing))
        return Path(tuple(hops), None if since is None else _day(since))


class _Distances:
    """A backward breadth-first search from a goal, expanded one level at a time."""

    def __init__(self, search: _Search, goal: str) -> None:
        self.search = search
        self.known: dict[str, int] = {goal: 0}
        self.frontier = [goal]
        self.depth = 0

    def expand(self, depth: int) -> None:
        """Know every node within ``depth`` hops of the goal."""
        while self.depth < depth and self.frontier:
            self.depth += 1
            level: list[str] = []
            for node in self.frontier:
                for prev in self.search.predecessors(node):
                    if prev not in self.known:
                        self.known[prev] = self.depth
                        level.append(prev)
            self.frontier = level


def _day(ordinal: int) -> date | None:
    if ordinal <= DAY_MIN or ordinal >= DAY_MAX:
        return None
    return date.fromordinal(ordinal)


def _grade_rank(grade: Grade) -> tuple[int, int]:
    reliability = "ABCDE".index(grade.reliability) if grade.reliability else _UNKNOWN_RANK
    return (reliability, grade.credibility or _UNKNOWN_RANK)
