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
``nx.shortest_path``). k paths are listed by increasing length, each length in the order of the
actor ids, by a depth-first search that steps only onto actors with some walk of the remaining
length to the target; those sets are grown from the target about half the length deep (meet in
the middle), so the first hops run free and no branch goes on once it cannot reach the target in
time. Among paths of equal length the better graded come first: the first ``max(4 k, 20)`` of a
length are ranked by their weakest hop, each hop's grade read from the index built with the graph
(:func:`~graphkit.graph.hop_grades`; from the edges on a view or an edited graph). A knowledge
base's graph remembers what its searches learn (evidence, the sets towards recent targets) until
it is edited.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial
from typing import Any
from weakref import WeakKeyDictionary

from graphkit.errors import NoPathError
from graphkit.graph import UNKNOWN_RANK, HopGrades, grade_rank, hop_grades
from graphkit.kb import KnowledgeBaseLike, KnowledgeBaseView
from graphkit.model.dates import DAY_MAX, DAY_MIN
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.query._pathsearch import Adjacency, WalkSets, shortest_path, simple_paths
from graphkit.query.evidence import Citations, Evidence, Grade, evidence_for

__all__ = ["Hop", "Path", "PathList", "paths", "scope"]

_TRY_HOPS = 4
_GOALS_KEPT = 64
_MARK = "graphkit.paths"


@dataclass(frozen=True)
class Hop:
    """One step of a path: from one actor to the next, with all the evidence linking them."""

    source: str
    target: str
    evidence: tuple[Evidence, ...]
    crossing: date | None = None

    @cached_property
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


class Path:
    """A path between two actors that explains itself (``str(path)``, :meth:`to_dict`).

    ``since`` is the first day on which every hop with dated evidence had some (undated
    evidence, "since before the record", does not move it); ``None`` if nothing is dated.

    A path found by :func:`paths` knows its actors at once; its hops (the evidence records with
    their sources and grades, the crossing days) and ``since`` are read from the searched graph
    when first used, so a query that only needs the actors pays for no citations. Read them
    before editing the graph if the answer should describe the graph as searched.
    ``Path(hops, since)`` builds a path from hops directly.

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

    __slots__ = ("_explain", "_hops", "_nodes", "_since")

    def __init__(self, hops: Iterable[Hop] = (), since: date | None = None) -> None:
        self._hops: tuple[Hop, ...] | None = tuple(hops)
        self._nodes = tuple(_nodes_of(self._hops))
        self._since = since
        self._explain: Callable[[], tuple[tuple[Hop, ...], date | None]] | None = None

    @classmethod
    def _found(
        cls, nodes: list[str], explain: Callable[[], tuple[tuple[Hop, ...], date | None]]
    ) -> Path:
        """A path whose hops and ``since`` ``explain()`` gives on first use (see :func:`paths`)."""
        path = cls.__new__(cls)
        path._hops, path._since, path._nodes, path._explain = None, None, tuple(nodes), explain
        return path

    def _explained(self) -> tuple[Hop, ...]:
        if self._hops is None:
            assert self._explain is not None
            self._hops, self._since = self._explain()
            self._explain = None
        return self._hops

    @property
    def hops(self) -> tuple[Hop, ...]:
        """Each hop with its evidence."""
        return self._explained()

    @property
    def since(self) -> date | None:
        """The first day every dated hop held (see above), or ``None``."""
        self._explained()
        return self._since

    @property
    def nodes(self) -> list[str]:
        """The actor ids along the path."""
        return list(self._nodes)

    @property
    def grade(self) -> Grade:
        """The path's confidence: its weakest hop on each scale."""
        return Grade.weakest([hop.grade for hop in self.hops])

    def __len__(self) -> int:
        return max(len(self._nodes) - 1, 0)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Path):
            return NotImplemented
        return (self._nodes, self.hops, self.since) == (other._nodes, other.hops, other.since)

    def __hash__(self) -> int:
        return hash(self._nodes)

    def __repr__(self) -> str:
        return f"<Path {' -> '.join(self._nodes)}>"

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


def _nodes_of(hops: tuple[Hop, ...]) -> list[str]:
    return [hops[0].source, *(hop.target for hop in hops)] if hops else []


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

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: a table of the paths and their evidence (escaped)."""
        from graphkit.render.results import paths_html

        return paths_html(self)


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
    if start == goal:
        raise ValueError("source and target are the same actor")
    found = _find(_Search(view, undirected), start, goal, max_hops, k, temporal)
    if not found:
        other = (
            None if undirected else _find(_Search(view, True), start, goal, max_hops, 1, temporal)
        )
        raise NoPathError(
            start,
            goal,
            _constraints(at, between, via, max_hops, temporal, known_at, kb),
            other[0].nodes if other else None,
        )
    return PathList(found)


def _find(
    search: _Search, start: str, goal: str, max_hops: int, k: int | None, temporal: bool
) -> list[Path]:
    if k is None and not temporal:
        nodes = search.shortest(start, goal, max_hops)
        return [] if nodes is None else [search.explain(nodes, temporal=False)]
    return search.k_paths(start, goal, max_hops, k or 1, temporal)


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


@dataclass
class _Memo:
    """What searches learn about a graph, kept for the next search on the same graph.

    Only a knowledge base's own graph keeps one (in :data:`_MEMOS`), and only while the graph
    is unchanged: the memo marks the graph's ``__networkx_cache__``, which networkx empties
    whenever the graph is edited through its API. A view's graph is filtered afresh for each
    view, so its searches start from an empty memo.
    """

    items: dict[str, Event | Relation] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    citations: Citations = field(default_factory=dict)
    ranks: dict[str, tuple[int, int]] = field(default_factory=dict)
    hops: dict[tuple[str, str], list[tuple[str, Any]]] = field(default_factory=dict)
    hop_ranks: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    #: Per goal, the walk sets towards it and its last hops (see ``WalkSets``); the last few
    #: goals only.
    behind: dict[str, tuple[list[set[str]], dict[str, list[str]] | None]] = field(
        default_factory=dict
    )

    @staticmethod
    def of(view: KnowledgeBaseLike, undirected: bool) -> _Memo:
        """The memo of ``view``'s graph for this direction mode (a fresh one for a view)."""
        graph = None if isinstance(view, KnowledgeBaseView) else view.graph
        marks = getattr(graph, "__networkx_cache__", None)  # None before networkx 3.3
        if marks is None:
            return _Memo()
        memos = _MEMOS.get(graph) if marks.get(_MARK) else None
        if memos is None:  # first search, or the graph was edited since
            marks[_MARK] = True
            memos = _MEMOS[graph] = {}
        memo = memos.get(undirected)
        if memo is None:
            memo = memos[undirected] = _Memo()
        return memo

    def walk_sets(self, adjacency: Adjacency, start: str, goal: str) -> WalkSets:
        """Walk sets for a search, starting from what is known about ``goal``."""
        behind, last = self.behind.get(goal, ([{goal}], None))
        return WalkSets(adjacency, start, goal, list(behind), last)

    def keep(self, goal: str, sets: WalkSets) -> None:
        """Remember the walk sets towards ``goal`` (a new list: concurrent searches only read)."""
        behind = self.behind
        known, last = behind.get(goal, ([], None))
        if len(known) < len(sets.behind) or last is None:
            if goal not in behind and len(behind) >= _GOALS_KEPT:
                del behind[next(iter(behind))]
            behind[goal] = sets.behind, sets.last


#: The memos of knowledge base graphs, per direction mode (see :class:`_Memo`).
_MEMOS: WeakKeyDictionary[Any, dict[bool, _Memo]] = WeakKeyDictionary()


class _Search:
    """Graph searches over a (possibly filtered) knowledge base graph."""

    def __init__(self, view: KnowledgeBaseLike, undirected: bool) -> None:
        self.view = view
        self.graph = view.graph
        self.undirected = undirected
        self.adjacency = Adjacency(self.graph, undirected)
        #: The graph's hop grade index, if it has one and hops go along edges.
        self.grades: HopGrades | None = None if undirected else hop_grades(self.graph)

    @cached_property
    def memo(self) -> _Memo:
        """What earlier searches on this graph learned (a single shortest path needs none)."""
        return _Memo.of(self.view, self.undirected)

    @cached_property
    def items(self) -> dict[str, Event | Relation]:
        """The model object of each edge met (see :meth:`edges`), by key."""
        return self.memo.items

    @cached_property
    def ranks(self) -> dict[str, tuple[int, int]]:
        """The rank of each edge met (see :func:`_rank`), by key."""
        return self.memo.ranks

    @cached_property
    def hop_ranks(self) -> dict[tuple[str, str], tuple[int, int]]:
        """The rank of each hop ranked (see :meth:`_hop_rank`)."""
        return self.memo.hop_ranks

    def edges(self, u: str, v: str) -> list[tuple[str, Any]]:
        """The (key, extent) of every usable edge for the hop u -> v, in key order."""
        hop = self.memo.hops.get((u, v))
        if hop is None:
            found: dict[str, Any] = {}
            for a, b in ((u, v), (v, u)) if self.undirected else ((u, v),):
                for key, attrs in self.graph._succ[a].get(b, {}).items():
                    if key not in found:
                        found[key] = attrs["extent"]
                        self.items.setdefault(key, attrs["item"])
                        self.ranks.setdefault(key, _rank(attrs))
            hop = self.memo.hops[(u, v)] = sorted(found.items())
        return hop

    def evidence(self, key: str) -> Evidence:
        """The evidence of an edge, memoized."""
        found = self.memo.evidence.get(key)
        if found is None:
            item = self.items[key]
            found = evidence_for(self.view, item, citations=self.memo.citations)
            self.memo.evidence[key] = found
        return found

    def shortest(self, start: str, goal: str, max_hops: int) -> list[str] | None:
        """The node list of one shortest path (see ``shortest_path``), or None."""
        if start not in self.graph or goal not in self.graph:
            return None
        return shortest_path(self.adjacency, start, goal, max_hops)

    def k_paths(self, start: str, goal: str, max_hops: int, k: int, temporal: bool) -> list[Path]:
        """Up to ``k`` simple paths by increasing length; the better graded first in a length.

        Of each length, the first ``max(4 k, 20)`` paths in lexicographic order are ranked.
        """
        if start not in self.graph or goal not in self.graph:
            return []
        sets = self.memo.walk_sets(self.adjacency, start, goal)
        # Up to _TRY_HOPS, trying every length costs no more than finding the shortest first.
        shortest = 1 if max_hops <= _TRY_HOPS else sets.shortest(max_hops)
        cross = self._cross if temporal else None
        results: list[Path] = []
        for length in range(shortest or max_hops + 1, max_hops + 1):
            batch = simple_paths(
                self.adjacency,
                start,
                goal,
                sets.layers(length),
                sets.last_hops() if length > 1 else {},
                limit=max(4 * k, 20),
                cross=cross,
                day=DAY_MIN,
            )
            chosen = self.select(batch, k - len(results), temporal)
            results.extend(self.explain(nodes, temporal) for nodes in chosen)
            if len(results) >= k:
                break
        self.memo.keep(goal, sets)
        return results

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

    def select(self, batch: list[list[str]], count: int, temporal: bool) -> list[list[str]]:
        """The ``count`` best graded of ``batch`` (paths in lexicographic order), ties in order.

        A path's rank is the maximum of its hops' on each scale (:meth:`_path_rank`); a
        time-respecting path's, of its hops crossed as early as they can be.
        """
        if len(batch) <= count:
            return batch
        rank = self._crossing_path_rank if temporal else self._path_rank
        ranks = [rank(nodes) for nodes in batch]
        order = sorted(range(len(batch)), key=ranks.__getitem__)  # stable: ties in order
        return [batch[i] for i in order[:count]]

    def _path_rank(self, nodes: list[str]) -> tuple[int, int]:
        """The rank of a path: the weakest of its hops' ranks (:meth:`_hop_rank`) on each scale.

        A graph fresh from ``build_graph`` has them indexed (:func:`hop_grades`).
        """
        reliability = credibility = 0
        grades, u = self.grades, nodes[0]
        for v in nodes[1:]:
            r, c = grades[u][v] if grades is not None else self._hop_rank(u, v)
            if r > reliability:
                reliability = r
            if c > credibility:
                credibility = c
            u = v
        return reliability, credibility

    def _crossing_path_rank(self, nodes: list[str]) -> tuple[int, int]:
        """The rank of a time-respecting path, each hop crossed as early as it can be."""
        reliability = credibility = 0
        time = DAY_MIN
        for step in range(len(nodes) - 1):
            (r, c), time = self._crossing_rank(nodes[step], nodes[step + 1], time)
            reliability, credibility = max(reliability, r), max(credibility, c)
        return reliability, credibility

    def _hop_rank(self, u: str, v: str) -> tuple[int, int]:
        """The rank of the hop u -> v: the best of its edges' ranks, on each scale.

        With unknown grades ranked last (:func:`~graphkit.graph.grade_rank`), the minimum on
        each scale is ``Grade.best`` and a path's maximum is ``Grade.weakest`` (unknown wins).
        """
        found = self.hop_ranks.get((u, v))
        if found is None:
            reliability = credibility = UNKNOWN_RANK
            for a, b in ((u, v), (v, u)) if self.undirected else ((u, v),):
                for attrs in self.graph._succ[a].get(b, {}).values():
                    r, c = _rank(attrs)
                    if r < reliability:
                        reliability = r
                    if c < credibility:
                        credibility = c
            found = self.hop_ranks[(u, v)] = (reliability, credibility)
        return found

    def _crossing_rank(self, u: str, v: str, time: int) -> tuple[tuple[int, int], int]:
        """The rank of the hop u -> v crossed no earlier than ``time``, and its crossing day."""
        edges = [(key, ext) for key, ext in self.edges(u, v) if ext.hi >= time]
        ranks = [self.ranks[key] for key, _ in edges]
        crossing = min(max(time, ext.lo) for _, ext in edges)
        return (min(r for r, _ in ranks), min(c for _, c in ranks)), crossing

    def explain(self, nodes: list[str], temporal: bool) -> Path:
        """The path through ``nodes``, explained on first use (:meth:`hops`)."""
        return Path._found(nodes, partial(self.hops, nodes, temporal))

    def hops(self, nodes: list[str], temporal: bool) -> tuple[tuple[Hop, ...], date | None]:
        """The hops of the path through ``nodes`` with their evidence, and its ``since``."""
        hops: list[Hop] = []
        time = DAY_MIN
        since = DAY_MIN
        for u, v in zip(nodes, nodes[1:], strict=False):
            edges = self.edges(u, v)
            crossing = None
            if temporal:
                edges = [(key, ext) for key, ext in edges if ext.hi >= time]
                time = min(max(time, ext.lo) for _, ext in edges)
                crossing = _day(time)
            dated = [ext.lo for _, ext in edges if ext.lo > DAY_MIN]
            if dated:
                since = max(since, min(dated))
            hops.append(Hop(u, v, tuple([self.evidence(key) for key, _ in edges]), crossing))
        return tuple(hops), _day(since)


def _day(ordinal: int) -> date | None:
    if ordinal <= DAY_MIN or ordinal >= DAY_MAX:
        return None
    return date.fromordinal(ordinal)


def _rank(attrs: dict[str, Any]) -> tuple[int, int]:
    """The sort key of an edge's grade (as :func:`~graphkit.query.evidence.item_grade`).

    The graph keeps both grades on the edge (see :mod:`graphkit.graph`), so the item stays closed.
    """
    return grade_rank(attrs.get("reliability"), attrs["credibility"])
