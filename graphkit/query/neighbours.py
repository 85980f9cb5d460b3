"""Neighbours, ego networks and central actors: plain functions over a knowledge base or view.

They work on ``kb.graph`` (a networkx ``MultiDiGraph``) or on a view's graph, so a time slice
(``kb.at("2024-10-20")``) answers "who was linked to whom then".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from graphkit.kb import KnowledgeBaseLike
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.query.evidence import Evidence, evidence_for
from graphkit.query.paths import scope

__all__ = ["Neighbour", "ego_network", "most_central", "neighbours"]


@dataclass(frozen=True)
class Neighbour:
    """An actor linked to another, with the direction and the evidence of each link."""

    actor: str
    name: str
    direction: Literal["out", "in", "both"]
    evidence: tuple[Evidence, ...]

    def __str__(self) -> str:
        arrow = {"out": "->", "in": "<-", "both": "<->"}[self.direction]
        lines = [f"{arrow} {self.actor} ({self.name})"]
        lines.extend(f"    {item}" for item in self.evidence)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The neighbour as a JSON-ready mapping."""
        return {
            "actor": self.actor,
            "name": self.name,
            "direction": self.direction,
            "evidence": [e.to_dict() for e in self.evidence],
        }


def neighbours(
    kb: KnowledgeBaseLike,
    actor: str,
    *,
    at: object | None = None,
    via: str | list[str] | None = None,
) -> list[Neighbour]:
    """Return the actors linked to ``actor`` by a relation or event, each with its evidence.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state}]
        ... relations: [{id: r, type: supports, from: A, to: B, start: 2024}]
        ... ''')
        >>> [(n.actor, n.direction) for n in neighbours(kb, "B")]
        [('A', 'in')]
    """
    view = scope(kb, at=at, via=via)
    node = view.actor(actor).id
    graph = view.graph
    items: dict[str, Event | Relation] = {r.id: r for r in view.relations}
    items.update({e.id: e for e in view.events})
    keys: dict[str, dict[str, set[str]]] = {}
    for other, keydict in graph.succ[node].items():
        keys.setdefault(other, {"out": set(), "in": set()})["out"].update(keydict)
    for other, keydict in graph.pred[node].items():
        keys.setdefault(other, {"out": set(), "in": set()})["in"].update(keydict)
    result: list[Neighbour] = []
    for other in sorted(keys):
        out, inc = keys[other]["out"], keys[other]["in"]
        direction: Literal["out", "in", "both"] = (
            "both" if out and inc else ("out" if out else "in")
        )
        evidence = tuple(evidence_for(view, items[key]) for key in sorted(out | inc))
        result.append(Neighbour(other, view.actors[other].name, direction, evidence))
    return result


def ego_network(
    kb: KnowledgeBaseLike, actor: str, *, radius: int = 1, at: object | None = None
) -> Any:
    """Return the subgraph of actors within ``radius`` links of ``actor`` (either direction).

    The result is a networkx graph view of ``kb.graph`` (``nx.ego_graph`` semantics,
    ``undirected=True``).

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors:
        ...   - {id: PRK, name: North Korea, kind: state}
        ...   - {id: RUS, name: Russia, kind: state}
        ...   - {id: UKR, name: Ukraine, kind: state}
        ... relations:
        ...   - {id: pact, type: allied_with, from: PRK, to: RUS, start: 2024-06-19}
        ...   - {id: war, type: at_war_with, from: RUS, to: UKR, start: 2022-02-24}
        ... ''')
        >>> sorted(ego_network(kb, "North Korea"))
        ['PRK', 'RUS']
        >>> sorted(ego_network(kb, "PRK", radius=2))
        ['PRK', 'RUS', 'UKR']
        >>> sorted(ego_network(kb, "PRK", radius=2, at="2023-01-01"))
        ['PRK']
    """
    view = scope(kb, at=at)
    return nx.ego_graph(view.graph, view.actor(actor).id, radius=radius, undirected=True)


def most_central(
    kb: KnowledgeBaseLike,
    *,
    n: int = 10,
    at: object | None = None,
    measure: Literal["degree", "betweenness", "closeness"] = "degree",
) -> list[tuple[str, float]]:
    """Return the ``n`` most central actors as ``(id, score)``, highest first.

    ``degree`` is ``nx.degree_centrality`` on the multigraph; ``betweenness`` and ``closeness``
    run on its simple undirected projection.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors:
        ...   - {id: PRK, name: North Korea, kind: state}
        ...   - {id: RUS, name: Russia, kind: state}
        ...   - {id: UKR, name: Ukraine, kind: state}
        ... relations:
        ...   - {id: pact, type: allied_with, from: PRK, to: RUS, start: 2024-06-19}
        ...   - {id: war, type: at_war_with, from: RUS, to: UKR, start: 2022-02-24}
        ... ''')
        >>> most_central(kb, n=1)
        [('RUS', 2.0)]
        >>> most_central(kb, measure="betweenness")
        [('RUS', 1.0), ('PRK', 0.0), ('UKR', 0.0)]
    """
    view = scope(kb, at=at)
    graph = view.graph
    if measure == "degree":
        scores = nx.degree_centrality(graph)
    elif measure == "betweenness":
        scores = nx.betweenness_centrality(nx.Graph(graph))
    elif measure == "closeness":
        scores = nx.closeness_centrality(nx.Graph(graph))
    else:
        raise ValueError(f"measure must be degree, betweenness or closeness, not {measure!r}")
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(actor, float(score)) for actor, score in ranked[:n]]


def to_json(items: list[Neighbour]) -> str:
    """Neighbours as JSON (the ``--json`` shape)."""
    return json.dumps([n.to_dict() for n in items], indent=2, ensure_ascii=False)
