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
grades on the edge, an analyst's filter (``attrs["reliability"] <= "B"``) and the path search
read them without opening the item.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from graphkit._gc import gc_paused
from graphkit.model.common import SourceRef
from graphkit.model.document import Document
from graphkit.model.vocab import Vocabulary

__all__ = ["build_graph"]


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
        if vocabulary.is_symmetric(relation.type):
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
                    "extent": event.extent,
                    "credibility": event.credibility,
                    "reliability": _best(event.sources, reliabilities),
                    "reverse": False,
                },
            )
        )
    graph.add_edges_from(edges)
    return graph


def _best(refs: list[SourceRef], reliabilities: Mapping[str, str]) -> str | None:
    """The best (lowest) reliability letter among the cited sources, or ``None``."""
    if len(refs) == 1:  # the common case, without building a list
        return reliabilities.get(refs[0].source)
    found = [reliabilities[ref.source] for ref in refs if ref.source in reliabilities]
    return min(found) if found else None
