"""Neighbours, ego networks and central actors: plain functions over a knowledge base or view.

They work on ``kb.graph`` (a networkx ``MultiDiGraph``) or on a view's graph, so a time slice
(``kb.at("2024-10-20")``) answers "who was linked to whom then".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from graphkit.kb import KnowledgeBaseLike
from graphkit.model.event import Event
from graphkit.model.relation import Relation
from graphkit.query.evidence import Evidence, evidence_for
from graphkit.query.paths import scope

__all__ = ["Neighbour", "NeighbourList", "ego_network", "most_central", "neighbours"]


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

    def __repr__(self) -> str:
        arrow = {"out": "->", "in": "<-", "both": "<->"}[self.direction]
        links = len(self.evidence)
        return f"<Neighbour {arrow} {self.actor} ({links} link{'s' if links != 1 else ''})>"

    def to_dict(self) -> dict[str, Any]:
        """The neighbour as a JSON-ready mapping."""
        return {
            "actor": self.actor,
            "name": self.name,
            "direction": self.direction,
            "evidence": [e.to_dict() for e in self.evidence],
        }


class NeighbourList(list[Neighbour]):
    """Neighbours in actor order; ``print()`` lists them with their evidence."""

    def to_json(self) -> str:
        """The neighbours as JSON (the ``--json`` shape)."""
        return to_json(self)

    def __str__(self) -> str:
        return "\n".join(str(n) for n in self)

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: a table of the neighbours and their evidence (escaped)."""
        from graphkit.render.results import neighbours_html

        return neighbours_html(self)


def neighbours(
    kb: KnowledgeBaseLike,
    actor: str,
    *,
    at: object | None = None,
    via: str | list[str] | None = None,
) -> NeighbourList:
    """Return the actors linked to ``actor`` by a relation or event, each with its evidence.

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: B, kind: state}]
        ... relations: [{id: r, type: supports, from: A, to: B, start: 2024}]
        ... ''')
        >>> [(n.actor, n.direction) for n in neighbours(kb, "B")]
        [('A', 'in')]
        >>> print(neighbours(kb, "B"))
        <- A (Arcadia)
            relation 'r': A supports B, 2024 to ongoing [??]
        >>> neighbours(kb, "B")
        [<Neighbour <- A (1 link)>]
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
    result = NeighbourList()
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

    Every measure runs on the simple undirected projection of the actor graph: two actors are
    linked once, whatever the number and direction of the relations and events between them, so
    every score lies between 0 and 1. ``degree`` is ``nx.degree_centrality``, the share of the
    other actors an actor is linked to; ``betweenness`` and ``closeness`` are networkx's. Ties
    are broken by the number of links (relations and events, parallel ones counted), then by id.
    (``nx.degree_centrality(kb.graph)`` on the multigraph itself counts parallel links, so it
    exceeds 1 for an actor with more links than there are other actors.)

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
        [('RUS', 1.0)]
        >>> most_central(kb, measure="betweenness")
        [('RUS', 1.0), ('PRK', 0.0), ('UKR', 0.0)]
    """
    view = scope(kb, at=at)
    graph = view.graph
    simple = nx.Graph(graph)  # undirected, parallel links merged
    if measure == "degree":
        scores = nx.degree_centrality(simple)
    elif measure == "betweenness":
        scores = nx.betweenness_centrality(simple)
    elif measure == "closeness":
        scores = nx.closeness_centrality(simple)
    else:
        raise ValueError(f"measure must be degree, betweenness or closeness, not {measure!r}")
    links = dict(graph.degree())
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], -links.get(kv[0], 0), kv[0]))
    return [(actor, float(score)) for actor, score in ranked[:n]]


def to_json(items: Sequence[Neighbour]) -> str:
    """Neighbours as JSON (the ``--json`` shape)."""
    return json.dumps([n.to_dict() for n in items], indent=2, ensure_ascii=False)
