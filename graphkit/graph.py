"""The knowledge base as a networkx ``MultiDiGraph``.

Nodes are actor ids, with the :class:`~graphkit.model.Actor` under ``actor`` and its ``name`` and
``kind``. Edges are keyed by the id of the relation or event they come from:

* every relation is an edge ``from -> to`` with ``kind="relation"``; a relation of a symmetric
  type (``allied_with``, ``at_war_with``) is also an edge ``to -> from`` under the same key with
  ``reverse=True``, so plain networkx traversals walk it both ways;
* every event with both an ``actor`` and a ``target`` is an edge ``actor -> target`` with
  ``kind="event"``. Events without a target stay reachable through ``kb.events``.

Edge attributes: ``kind``, ``type``, ``item`` (the model object), ``extent`` (day ordinals, see
:mod:`graphkit.model.dates`), ``credibility``, ``reliability`` (the best reliability among the
item's sources, ``A`` to ``F``; ``None`` when it cites none) and ``reverse``. With the two
grades on the edge, an analyst's filter (``attrs["reliability"] <= "B"``) reads them without
opening the item.

:func:`hop_grades` is an index built with the graph: for each pair of actors linked by an edge,
the best grades among the edges from one to the other (as :func:`grade_rank`). The path search
ranks with it; it lives in the graph's ``__networkx_cache__``, which networkx empties whenever
the graph is edited through its API, so an edited graph, a view or a copy has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from graphkit._gc import gc_paused
from graphkit.model.common import SourceRef
from graphkit.model.document import Document
from graphkit.model.vocab import Vocabulary

__all__ = ["build_graph", "grade_rank", "hop_grades"]

#: The rank of an unknown grade on either scale (F, 6 or none): after every known one.
UNKNOWN_RANK = 9
_RELIABILITY_RANKS: dict[str | None, int] = {letter: rank for rank, letter in enumerate("ABCDE")}
_CREDIBILITY_RANKS: dict[int | None, int] = {grade: grade for grade in (1, 2, 3, 4, 5)}
#: The key of the hop grade index in a graph's ``__networkx_cache__`` (see :func:`hop_grades`).
_HOP_GRADES = "graphkit.hop_grades"

#: Per actor, per actor one hop after it, the best ranks of the edges between them.
HopGrades = dict[str, dict[str, tuple[int, int]]]


def grade_rank(reliability: str | None, credibility: int | None) -> tuple[int, int]:
    """The sort key of a grade on each scale, better first.

    Reliability A to E ranks 0 to 4, credibility 1 to 5 ranks 1 to 5; unknown (F, 6 or none)
    ranks :data:`UNKNOWN_RANK` on its scale. The best of several grades is then the minimum on
    each scale, and the weakest the maximum (unknown wins).

    Examples:
        >>> grade_rank("B", 2), grade_rank("F", 6), grade_rank(None, 3)
        ((1, 2), (9, 9), (9, 3))
    """
    return (
        _RELIABILITY_RANKS.get(reliability, UNKNOWN_RANK),
        _CREDIBILITY_RANKS.get(credibility, UNKNOWN_RANK),
    )


def hop_grades(graph: Any) -> HopGrades | None:
    """The hop grade index of a graph made by :func:`build_graph`, or None.

    ``hop_grades(g)[u][v]`` is the best :func:`grade_rank` on each scale among the edges
    ``u -> v`` (the reverse edges of symmetric relations included). None for a graph edited
    through the networkx API since it was built, a view or a copy: work from the edges then.
    In-place edits of an edge's attribute dict are not seen.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads(
        ...     "{format_version: 1, sources: [{id: s, title: S, reliability: B}],"
        ...     " actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state}],"
        ...     " relations: [{id: r, type: supports, from: A, to: B, sources: [s],"
        ...     " credibility: 2}]}"
        ... )
        >>> hop_grades(kb.graph)
        {'A': {'B': (1, 2)}}
        >>> kb.graph.add_edge("B", "A", key="x", **kb.graph.edges["A", "B", "r"])
        'x'
        >>> hop_grades(kb.graph) is None
        True
    """
    cache = getattr(graph, "__networkx_cache__", None)  # None before networkx 3.3
    return None if cache is None else cache.get(_HOP_GRADES)


def build_graph(document: Document, vocabulary: Vocabulary) -> Any:
    """Build the actor graph of a document.

    Examples:
        >>> from graphkit.model import Document, Vocabulary, RelationType
        >>> doc = Document.model_validate({"format_version": 1,
        ...     "actors": [{"id": "A", "name": "A", "kind": "state"},
        ...                {"id": "B", "name": "B", "kind": "state"}],
        ...     "relations": [{"id": "r", "type": "allied_with", "from": "A", "to": "B"}]})
        >>> g = build_graph(doc, Vocabulary([], [RelationType(id="allied_with", symmetric=True)]))
        >>> sorted(g.edges(keys=True))
        [('A', 'B', 'r'), ('B', 'A', 'r')]
    """
    with gc_paused(keep=True):
        return _build(document, vocabulary)


def _build(document: Document, vocabulary: Vocabulary) -> Any:
    reliabilities = {source.id: source.reliability for source in document.sources}
    # Every reference to an actor becomes the actor's own id object: the adjacency then holds
    # one string per actor instead of one per edge end, which keeps searches in cache and lets
    # dict lookups match by identity.
    actor_ids = {actor.id: actor.id for actor in document.actors}
    symmetric = {name for name, kind in vocabulary.relation_types.items() if kind.symmetric}
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(
        (actor.id, {"actor": actor, "name": actor.name, "kind": actor.kind})
        for actor in document.actors
    )
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    for relation in document.relations:
        attrs = {
            "kind": "relation",
            "type": relation.type,
            "item": relation,
            "extent": relation.extent,
            "credibility": relation.credibility,
            "reliability": _best(relation.sources, reliabilities),
            "reverse": False,
        }
        source, target = (
            actor_ids.get(relation.from_, relation.from_),
            actor_ids.get(relation.to, relation.to),
        )
        edges.append((source, target, relation.id, attrs))
        if relation.type in symmetric:  # vocabulary.is_symmetric, one set lookup
            edges.append((target, source, relation.id, {**attrs, "reverse": True}))
    for event in document.events:
        if event.actor is None or event.target is None or event.actor == event.target:
            continue
        edges.append(
            (
                actor_ids.get(event.actor, event.actor),
                actor_ids.get(event.target, event.target),
                event.id,
                {
                    "kind": "event",
                    "type": event.type,
                    "item": event,
                    "extent": event.date.extent,
                    "credibility": event.credibility,
                    "reliability": _best(event.sources, reliabilities),
                    "reverse": False,
                },
            )
        )
    _add_edges(graph, edges)
    cache = getattr(graph, "__networkx_cache__", None)
    if cache is not None:
        cache[_HOP_GRADES] = _index_grades(edges)
    return graph


def _add_edges(graph: Any, edges: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    """``graph.add_edges_from(edges)`` into a new graph, filling its adjacency dicts directly.

    The graph is the one ``add_edges_from`` makes (a test compares them), in about half the time:
    networkx looks every edge up again through its views after adding it, and copies its
    attributes into a new dict, where each edge here has its own fresh dict already.
    """
    succ, pred = graph._succ, graph._pred
    new_keys = graph.edge_key_dict_factory
    for source, target, key, attrs in edges:
        if source not in succ:
            graph.add_node(source)
        if target not in succ:
            graph.add_node(target)
        keys = succ[source].get(target)
        if keys is None:
            keys = succ[source][target] = pred[target][source] = new_keys()
        known = keys.get(key)
        if known is None:
            keys[key] = attrs
        else:
            known.update(attrs)


def _index_grades(edges: list[tuple[str, str, str, dict[str, Any]]]) -> HopGrades:
    """The hop grade index of the edges just added (see :func:`hop_grades`).

    Built while the edges are still in cache: the path search then ranks a hop with two dict
    lookups instead of reading every edge's attributes.
    """
    index: HopGrades = {}
    ranks: dict[tuple[str | None, int | None], tuple[int, int]] = {}
    for source, target, _, attrs in edges:
        grade = (attrs["reliability"], attrs["credibility"])
        rank = ranks.get(grade)
        if rank is None:
            rank = ranks[grade] = grade_rank(*grade)
        after = index.get(source)
        if after is None:
            index[source] = {target: rank}
            continue
        known = after.get(target)
        if known is None:
            after[target] = rank
        elif known != rank:
            after[target] = (min(known[0], rank[0]), min(known[1], rank[1]))
    return index


def _best(refs: list[SourceRef], reliabilities: Mapping[str, str]) -> str | None:
    """The best (lowest) reliability letter among the cited sources, or ``None``."""
    if len(refs) == 1:  # the common case, without building a list
        return reliabilities.get(refs[0].source)
    found = [reliabilities[ref.source] for ref in refs if ref.source in reliabilities]
    return min(found) if found else None
