"""The actor network at a date: who is allied with, at war with, supplying whom, on what evidence.

Nodes are actors placed by a seeded spring layout of the *whole* knowledge base, so an actor keeps
its place from one date to the next and two networks can be compared side by side. Node size grows
with degree centrality at the date; actors with no link at the date are drawn small and grey.
Relation edges are coloured by relation type; event edges (an actor acting on a target) are thin
and grey. Hovering the middle of an edge lists its evidence: relation or event id, type, dates,
sources with their grades. Symmetric relations are drawn once.

Examples:
    >>> import graphkit as gk
    >>> kb = gk.load("data/events.yaml")
    >>> fig = network(kb, at="2024-11-01")
    >>> sorted({t.name for t in fig.data if t.showlegend})[:3]
    ['actors', 'allied with', 'at war with']
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import networkx as nx
import plotly.graph_objects as go

from graphkit.model.dates import Overlap, window
from graphkit.render._describe import Describer
from graphkit.render._html import esc, join

if TYPE_CHECKING:
    from graphkit.kb import KnowledgeBase

__all__ = ["network"]

_EVENT_COLOUR = "#9a9a9a"


def _layout(graph: Any, nodes: list[str], seed: int) -> dict[str, tuple[float, float]]:
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    keep = set(nodes)
    for u, v in graph.edges():
        if u in keep and v in keep and u != v:
            weight = simple.get_edge_data(u, v, {"weight": 0})["weight"]
            simple.add_edge(u, v, weight=weight + 1)
    if not nodes:
        return {}
    k = 1.6 / max(len(nodes), 1) ** 0.5
    positions = nx.spring_layout(simple, seed=seed, k=k, iterations=80, weight=None)
    return {n: (float(x), float(y)) for n, (x, y) in positions.items()}


def network(
    kb: KnowledgeBase,
    at: object | None = None,
    *,
    max_nodes: int = 150,
    include_events: bool = True,
    seed: int = 7,
) -> Any:
    """Build the actor network figure (a ``plotly.graph_objects.Figure``).

    Args:
        kb: The knowledge base.
        at: Keep relations and events that possibly held or happened on this (partial) date;
            ``None`` keeps everything.
        max_nodes: Draw at most this many actors, the most connected ones.
        include_events: Also draw events with an actor and a target as edges.
        seed: Seed of the spring layout (same seed, same picture).

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
        ... relations: [{id: r, type: supports, from: A, to: B, start: 2024}]
        ... events:
        ...   - {id: e, type: attack, date: 2024-10-02, actor: A, target: B,
        ...      location: {name: Here, lat: 50.1, lon: 36.2}}
        ... ''')
        >>> fig = gk.network(kb, at="2024-10-02")
        >>> len(fig.data) > 0, sorted({t.name for t in fig.data if t.showlegend})
        (True, ['actors', 'events', 'supports'])
    """
    graph = kb.graph
    lo_hi = window(at) if at is not None else None
    d = Describer(kb)
    degree_all = dict(graph.degree())
    nodes = sorted(
        (n for n in graph.nodes if degree_all.get(n, 0) > 0),
        key=lambda n: (-degree_all[n], n),
    )[:max_nodes]
    keep = set(nodes)
    pos = _layout(graph, sorted(nodes), seed)

    current = nx.MultiDiGraph()
    current.add_nodes_from(nodes)
    by_pair: dict[tuple[str, str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        if u not in keep or v not in keep or attrs.get("reverse"):
            continue
        if attrs["kind"] == "event" and not include_events:
            continue
        if lo_hi is not None and attrs["extent"].overlap(*lo_hi) == Overlap.NONE:
            continue
        current.add_edge(u, v, key=key)
        group = attrs["type"] if attrs["kind"] == "relation" else "event"
        by_pair[(u, v, group)].append((key, attrs))
    centrality = nx.degree_centrality(current) if len(current) > 1 else {}
    top = max(centrality.values(), default=0.0) or 1.0

    traces: list[Any] = []
    groups: dict[str, list[tuple[str, str, list[tuple[str, dict[str, Any]]]]]] = defaultdict(list)
    for (u, v, group), items in by_pair.items():
        groups[group].append((u, v, items))
    for group in sorted(groups, key=lambda g: (g == "event", d.type_label(g).casefold())):
        is_event = group == "event"
        colour = _EVENT_COLOUR if is_event else d.colour(group)
        name = "events" if is_event else d.type_label(group)
        xs: list[float | None] = []
        ys: list[float | None] = []
        mid_x: list[float] = []
        mid_y: list[float] = []
        hover: list[str] = []
        urls: list[str | None] = []
        for u, v, items in groups[group]:
            (x0, y0), (x1, y1) = pos[u], pos[v]
            xs.extend((x0, x1, None))
            ys.extend((y0, y1, None))
            mid_x.append(x0 + (x1 - x0) * 0.45)
            mid_y.append(y0 + (y1 - y0) * 0.45)
            hover.append(_evidence(d, u, v, items))
            urls.append(d.first_url(items[0][1]["item"].sources))
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=name,
                legendgroup=group,
                showlegend=True,
                hoverinfo="skip",
                line={"color": colour, "width": 1 if is_event else 2.5},
                opacity=0.6 if is_event else 0.85,
                meta={"kind": "edge", "type": group},
            )
        )
        traces.append(
            go.Scatter(
                x=mid_x,
                y=mid_y,
                mode="markers",
                name=name,
                legendgroup=group,
                showlegend=False,
                hovertext=hover,
                hoverinfo="text",
                customdata=urls,
                marker={"color": colour, "size": 7, "symbol": "diamond", "opacity": 0.9},
                meta={"kind": "evidence", "type": group},
            )
        )

    node_x, node_y, sizes, colours, texts, hovers = [], [], [], [], [], []
    for n in nodes:
        x, y = pos[n]
        c = centrality.get(n, 0.0)
        linked = current.degree(n) > 0
        node_x.append(x)
        node_y.append(y)
        sizes.append(10 + 30 * (c / top) if linked else 6)
        colours.append("#1f3b73" if linked else "#c8c8c8")
        texts.append(d.actor_name(n) if linked else "")
        actor = kb.actors.get(n)
        hovers.append(
            join(
                [
                    f"<b>{d.actor_name(n)}</b> <i>{esc(n)}</i>",
                    esc(actor.kind.replace("_", " ")) if actor is not None else "",
                    f"degree centrality {c:.2f} ({current.degree(n)} links"
                    + (f" on {esc(at)})" if at is not None else ")"),
                ]
            )
        )
    traces.append(
        go.Scatter(
            x=node_x,
            y=node_y,
            mode="markers+text",
            text=texts,
            textposition="top center",
            textfont={"size": 10},
            name="actors",
            showlegend=True,
            hovertext=hovers,
            hoverinfo="text",
            marker={"size": sizes, "color": colours, "line": {"color": "white", "width": 1}},
            meta={"kind": "node"},
        )
    )
    fig = go.Figure(data=traces)
    title = f"actor network{f' on {esc(at)}' if at is not None else ''}: "
    title += f"{sum(1 for n in nodes if current.degree(n) > 0):,} actors, "
    title += f"{current.number_of_edges():,} links"
    fig.update_layout(
        template="plotly_white",
        height=680,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        title={"text": title, "x": 0.01, "font": {"size": 15}},
        hovermode="closest",
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"size": 12}},
        legend={"title": {"text": "links"}, "itemsizing": "constant"},
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        meta={"graphkit": "network", "at": str(at) if at is not None else None},
    )
    return fig


def _evidence(d: Describer, u: str, v: str, items: list[tuple[str, dict[str, Any]]]) -> str:
    lines = [f"<b>{d.actor_name(u)} → {d.actor_name(v)}</b>"]
    for key, attrs in items[:6]:
        item = attrs["item"]
        if attrs["kind"] == "relation":
            start = "…" if item.start is None else str(item.start)
            end = "ongoing" if item.end is None else str(item.end)
            when = f"{start} – {end}"
        else:
            when = str(item.date)
        lines.append(f"{d.type_label(attrs['type'])} · <i>{esc(key)}</i> · {esc(when)}")
        if attrs.get("credibility") is not None:
            lines.append("  " + d.credibility(attrs["credibility"]))
        for ref in item.sources[:2]:
            lines.append("  • " + d.source_line(ref))
    if len(items) > 6:
        lines.append(f"… and {len(items) - 6} more")
    return join(lines)
