"""The actor network at a date: who is allied with, at war with, supplying whom, on what evidence.

Nodes are actors placed by a seeded spring layout of the *whole* knowledge base, so an actor keeps
its place from one date to the next and two networks can be compared side by side. Node size grows
with degree centrality at the date; actors with no link at the date are drawn small and grey, and
still named.

Every relation is a link of its own, coloured by its type's family (see
:mod:`graphkit.render._palette`); the events from one actor to another are one grey link per
direction. Links between the same two actors are drawn apart, as curves bending to either side,
so none hides another. In the middle of each link sits its hover point: an arrowhead pointing
from the actor to its target (a diamond for symmetric relations such as ``allied with``); hover
it for the evidence (ids, types, dates, sources with their grades), click it to open the first
source. Actor names are placed where they do not overlap one another or a node (above, below,
right or left); the page script hides any that still would after a zoom.

Examples:
    >>> import graphkit as gk
    >>> kb = gk.load("data/events.yaml")
    >>> fig = network(kb, at="2024-11-01")
    >>> sorted({t.name for t in fig.data if t.showlegend})[:3]
    ['actors', 'allied with', 'at war with']
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

from graphkit._controls import neutralise
from graphkit.model.dates import Overlap, window
from graphkit.render._describe import Describer, figure_frame, message_annotation
from graphkit.render._figure import Figure, trace
from graphkit.render._html import esc, join
from graphkit.render._palette import FAMILIES, MUTED, TEXT

if TYPE_CHECKING:
    from graphkit.kb import KnowledgeBase

__all__ = ["network"]

_EVENT_COLOUR = "#6B7280"
_NODE_COLOUR = "#1F3B73"
_UNLINKED = "#B8BEC8"
#: Points per drawn curve.
_CURVE_POINTS = 17
#: How far apart parallel links bend (share of the link's length).
_BEND = 0.16
#: The nominal drawing width (px) used to place labels without overlap.
_WIDTH_PX = 900.0
_CHAR_PX = 6.2


def _layout(graph: Any, nodes: list[str], seed: int) -> dict[str, tuple[float, float]]:
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    keep = set(nodes)
    # the edges among the kept actors, in the order of graph.edges(): the adjacency of the kept
    # actors only, and one look per pair of actors, not per relation and event between them
    for u, targets in graph.adj.items():
        if u in keep:
            simple.add_edges_from((u, v) for v in targets if v in keep and u != v)
    if not nodes:
        return {}
    k = 3.0 / max(len(nodes), 1) ** 0.5
    positions = nx.spring_layout(simple, seed=seed, k=k, iterations=300)
    pos = _landscape({n: (float(x), float(y)) for n, (x, y) in positions.items()})
    return _spread(pos, min_distance=1.1 / max(len(nodes), 4) ** 0.5)


def _edges_among(graph: Any, keep: set[str]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """``graph.edges(keys=True, data=True)`` between actors of ``keep``, in that order.

    Only the kept actors' adjacency is read (not every relation and event of the graph).
    """
    for u, targets in graph.adj.items():
        if u not in keep:
            continue
        for v, edges in targets.items():
            if v in keep:
                for key, attrs in edges.items():
                    yield u, v, key, attrs


def _landscape(pos: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Turn the layout so its long axis lies across (pages are wider than tall); scale to ±1."""
    import numpy as np

    names = sorted(pos)
    if len(names) < 2:
        return pos
    xy = np.array([pos[n] for n in names], dtype=np.float64)
    xy -= xy.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov(xy.T))
    turned = xy @ vectors[:, ::-1]  # the main axis first
    turned /= max(float(np.abs(turned).max()), 1e-9)
    return {n: (float(x), float(y)) for n, (x, y) in zip(names, turned.tolist(), strict=True)}


def _spread(
    pos: dict[str, tuple[float, float]], min_distance: float, rounds: int = 60
) -> dict[str, tuple[float, float]]:
    """Push apart nodes closer than ``min_distance`` (a few rounds; deterministic)."""
    names = sorted(pos)
    xs = [pos[n][0] for n in names]
    ys = [pos[n][1] for n in names]
    count = len(names)
    for _ in range(rounds):
        moved = False
        for a in range(count):
            for b in range(a + 1, count):
                dx, dy = xs[b] - xs[a], ys[b] - ys[a]
                # far apart along one axis: at least as far apart (hypot >= |dx|, |dy|)
                if not (-min_distance < dx < min_distance and -min_distance < dy < min_distance):
                    continue
                dist = math.hypot(dx, dy)
                if dist >= min_distance:
                    continue
                if dist == 0:
                    dx, dy, dist = 1e-3, 0.0, 1e-3
                push = (min_distance - dist) / 2
                ux, uy = dx / dist * push, dy / dist * push
                xs[a] -= ux
                ys[a] -= uy
                xs[b] += ux
                ys[b] += uy
                moved = True
        if not moved:
            break
    return {n: (x, y) for n, x, y in zip(names, xs, ys, strict=True)}


def _curve(
    p0: tuple[float, float], p1: tuple[float, float], bend: float
) -> tuple[list[float], list[float], tuple[float, float], float]:
    """A quadratic curve from ``p0`` to ``p1`` bending ``bend`` of its length to its left.

    Returns the sampled x and y, the curve's middle and the direction (degrees clockwise from
    north) of its tangent there, for an arrowhead.
    """
    (x0, y0), (x1, y1) = p0, p1
    dx, dy = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2 - dy * bend * 2, (y0 + y1) / 2 + dx * bend * 2
    xs, ys = [], []
    for i in range(_CURVE_POINTS):
        t = i / (_CURVE_POINTS - 1)
        xs.append((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x1)
        ys.append((1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y1)
    mid = (0.25 * x0 + 0.5 * cx + 0.25 * x1, 0.25 * y0 + 0.5 * cy + 0.25 * y1)
    tx, ty = x1 - x0, y1 - y0  # the tangent at t = 1/2 is parallel to the chord
    return xs, ys, mid, math.degrees(math.atan2(tx, ty))


def _bends(count: int) -> list[float]:
    """Bends of ``count`` parallel links: straight alone, else spread evenly around 0."""
    if count == 1:
        return [0.0]
    return [(i - (count - 1) / 2) * _BEND for i in range(count)]


def network(
    kb: KnowledgeBase,
    at: object | None = None,
    *,
    max_nodes: int = 150,
    include_events: bool = True,
    seed: int = 7,
    title: str | None = None,
    subtitle: str | None = None,
) -> Any:
    """Build the actor network figure (a graphkit ``Figure``: a ``go.Figure`` on demand).

    Args:
        kb: The knowledge base.
        at: Keep relations and events that possibly held or happened on this (partial) date;
            ``None`` keeps everything.
        max_nodes: Draw at most this many actors, the most connected ones.
        include_events: Also draw events with an actor and a target as links.
        seed: Seed of the spring layout (same seed, same picture).
        title: The figure's heading (escaped); by default "Actor network".
        subtitle: A line under the heading (escaped).

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
    # graph.degree() of a MultiDiGraph: relations and events out and in (a self-loop twice),
    # counted with len() per neighbour rather than networkx's generator per node
    succ, pred = graph.succ, graph.pred
    degree_all = {
        n: sum(map(len, succ[n].values())) + sum(map(len, pred[n].values())) for n in graph
    }
    nodes = sorted(
        (n for n in graph.nodes if degree_all.get(n, 0) > 0),
        key=lambda n: (-degree_all[n], n),
    )[:max_nodes]
    keep = set(nodes)
    pos = _layout(graph, sorted(nodes), seed)

    current = nx.MultiDiGraph()
    current.add_nodes_from(nodes)
    links: dict[tuple[str, str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for u, v, key, attrs in _edges_among(graph, keep):
        if attrs.get("reverse"):
            continue
        if attrs["kind"] == "event" and not include_events:
            continue
        if lo_hi is not None and attrs["extent"].overlap(*lo_hi) == Overlap.NONE:
            continue
        current.add_edge(u, v, key=key)
        # a link per relation; the events from one actor to another share one
        links[(u, v, key if attrs["kind"] == "relation" else "event")].append((key, attrs))
    centrality = nx.degree_centrality(current) if len(current) > 1 else {}
    top = max(centrality.values(), default=0.0) or 1.0

    # parallel links between two actors (either direction) bend apart
    pairs: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for u, v, group in sorted(links):
        pairs[(min(u, v), max(u, v))].append((u, v, group))
    bend_of: dict[tuple[str, str, str], float] = {}
    for (a, _), members in pairs.items():
        for (u, v, group), bend in zip(members, _bends(len(members)), strict=True):
            bend_of[(u, v, group)] = bend if u == a else -bend  # the same side seen from a

    def style_key(group: str, attrs: dict[str, Any]) -> str:
        return attrs["type"] if attrs["kind"] == "relation" else "event"

    by_type: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for (u, v, group), items in links.items():
        by_type[style_key(group, items[0][1])].append((u, v, group))
    vocab = kb.vocabulary
    traces: list[Any] = []
    drawn: list[tuple[list[float], list[float]]] = []  # every link's curve, for the names
    heads: list[tuple[float, float]] = []  # and its hover point
    titled: set[str] = set()
    order = sorted(
        by_type,
        key=lambda t: (t == "event", d.family(t).rank if t != "event" else 99, d.plain_type(t)),
    )
    for kind in order:
        is_event = kind == "event"
        colour = _EVENT_COLOUR if is_event else d.colour(kind)
        name = "events" if is_event else d.type_label(kind)
        relation_type = vocab.relation_types.get(kind)
        symmetric = not is_event and relation_type is not None and relation_type.symmetric
        xs: list[float | None] = []
        ys: list[float | None] = []
        mid_x: list[float] = []
        mid_y: list[float] = []
        angles: list[float] = []
        hover: list[str] = []
        urls: list[str | None] = []
        ids: list[str] = []
        for u, v, group in sorted(by_type[kind]):
            items = links[(u, v, group)]
            cx, cy, (mx, my), angle = _curve(pos[u], pos[v], bend_of[(u, v, group)])
            drawn.append((cx, cy))
            heads.append((mx, my))
            xs.extend([*cx, None])
            ys.extend([*cy, None])
            mid_x.append(mx)
            mid_y.append(my)
            angles.append(round(angle, 1))
            hover.append(_evidence(d, u, v, items))
            urls.append(d.first_url(items[0][1]["item"].sources))
            ids.append(group if not is_event else f"{u}->{v}")
        legend: dict[str, Any] = {"name": name, "legendgroup": kind}
        if not is_event:
            family = d.family(kind)
            legend["legendrank"] = family.rank * 100 + len(traces)
            if family.key not in titled:  # the family's heading, over its first type
                titled.add(family.key)
                legend["legendgrouptitle"] = {"text": family.label, "font": {"size": 12}}
        traces.append(
            trace(
                "scatter",
                x=xs,
                y=ys,
                mode="lines",
                showlegend=True,
                hoverinfo="skip",
                line={"color": colour, "width": 1.2 if is_event else 2.4},
                opacity=0.55 if is_event else 0.85,
                meta={"kind": "edge", "type": kind},
                **legend,
            )
        )
        traces.append(
            trace(
                "scatter",
                x=mid_x,
                y=mid_y,
                mode="markers",
                showlegend=False,
                **({} if is_event else {"legendrank": legend["legendrank"]}),
                hovertext=hover,
                hoverinfo="text",
                customdata=urls,
                ids=ids,
                legendgroup=kind,
                name=name,
                marker={
                    "color": colour,
                    "size": 9 if symmetric else 11,
                    "symbol": "diamond" if symmetric else "triangle-up",
                    "angle": 0 if symmetric else angles,
                    "line": {"color": "white", "width": 1},
                },
                meta={"kind": "evidence", "type": kind, "symmetric": symmetric},
            )
        )

    linked_nodes = [n for n in nodes if current.degree(n) > 0]
    sizes = {
        n: (12 + 26 * (centrality.get(n, 0.0) / top) if n in linked_nodes else 7) for n in nodes
    }
    places = _label_places(
        nodes, pos, sizes, {n: d.plain_name(n) for n in nodes}, linked_nodes, drawn, heads
    )
    rank_of = {n: i for i, n in enumerate(_name_order(nodes, sizes, linked_nodes))}
    node_x, node_y, colours, texts, hovers, sides, fonts = [], [], [], [], [], [], []
    for n in nodes:
        x, y = pos[n]
        c = centrality.get(n, 0.0)
        linked = n in linked_nodes
        node_x.append(x)
        node_y.append(y)
        colours.append(_NODE_COLOUR if linked else _UNLINKED)
        texts.append(d.actor_name(n) if places[n] else "")
        sides.append(places[n] or "top center")
        fonts.append(TEXT if linked else MUTED)
        actor = kb.actors.get(n)
        hovers.append(
            join(
                [
                    f"<b>{d.actor_name(n)}</b> <i>{esc(n)}</i>",
                    esc(actor.kind.replace("_", " ")) if actor is not None else "",
                    f"degree centrality {c:.2f} ({current.degree(n)} links"
                    + (f" on {esc(at)})" if at is not None else ")"),
                    "" if linked else "<i>no link at this date</i>",
                ]
            )
        )
    traces.append(
        trace(
            "scatter",
            x=node_x,
            y=node_y,
            mode="markers+text",
            text=texts,
            textposition=sides,
            textfont={"size": 12, "color": fonts},
            name="actors",
            showlegend=True,
            legendrank=10_000,
            hovertext=hovers,
            hoverinfo="text",
            ids=nodes,
            marker={
                "size": [round(sizes[n], 1) for n in nodes],
                "color": colours,
                "line": {"color": "white", "width": 1.5},
            },
            # which names win a collision after a zoom: the most central first (page script);
            # the short names a phone writes instead of long ones
            meta={
                "kind": "node",
                "rank": [rank_of[n] for n in nodes],
                "short": [_short_name(kb, n) for n in nodes],
            },
        )
    )
    n_linked = len(linked_nodes)
    counts = f"{n_linked:,} actor{'s' if n_linked != 1 else ''} linked, "
    counts += f"{current.number_of_edges():,} link{'s' if current.number_of_edges() != 1 else ''}"
    if len(nodes) > n_linked:
        counts += f"; {len(nodes) - n_linked:,} without a link at this date (grey)"
    heading = title or ("Actor network" + (f" on {at}" if at is not None else ""))
    annotations = []
    message = ""
    if not current.number_of_edges():
        message = "Nothing to show: no relation or event links two actors" + (
            f" on {at}." if at is not None else "."
        )
        annotations.append(message_annotation(message))
    layout = dict(
        **figure_frame(heading, subtitle, counts, 800 if not annotations else 360),
        hovermode="closest",
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        annotations=annotations,
        meta={
            "graphkit": "network",
            "at": str(at) if at is not None else None,
            "title": neutralise(heading),
            "subtitle": neutralise(subtitle or ""),
            "counts": counts,
            "axis_top": 12,
            "families": {key: family.label for key, family in FAMILIES.items()},
            **({"empty": message} if annotations else {}),
        },
    )
    return Figure(traces, layout)


def _label_places(
    nodes: list[str],
    pos: dict[str, tuple[float, float]],
    sizes: dict[str, float],
    names: dict[str, str],
    linked: list[str],
    lines: Sequence[tuple[Sequence[float], Sequence[float]]] = (),
    heads: Sequence[tuple[float, float]] = (),
) -> dict[str, str | None]:
    """Where each actor's name goes (``top center``, ...), or ``None`` where none fits.

    The most central actors are named first; a name goes above, below, right or left of its
    node (at a corner when none of those is free), wherever it overlaps no name placed before
    and no node (at :data:`_WIDTH_PX` across); of those sides, the one that reaches least past
    the drawing's sides, then crosses the fewest links (``lines``: each link's curve, in layout
    units) and covers the fewest of their hover points (``heads``, an arrowhead each). Names
    are drawn on a white halo (``graphkit.css``) where a link must pass under them.
    """
    if not nodes:
        return {}
    xs = [pos[n][0] for n in nodes]
    ys = [pos[n][1] for n in nodes]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    scale = _WIDTH_PX * 0.8 / span  # px per layout unit (equal on both axes)
    centre = {n: (pos[n][0] * scale, -pos[n][1] * scale) for n in nodes}  # screen: y down
    circles = [(centre[n][0], centre[n][1], sizes[n] / 2 + 1) for n in nodes]
    segments = [
        (lx[i] * scale, -ly[i] * scale, lx[i + 1] * scale, -ly[i + 1] * scale)
        for lx, ly in lines
        for i in range(len(lx) - 1)
    ]
    arrows = [(hx * scale, -hy * scale, 6.0) for hx, hy in heads]
    # the drawing's width and a little: the plot reaches about as far as the outermost nodes
    left, right = min(xs) * scale - 24, max(xs) * scale + 24
    placed: list[tuple[float, float, float, float]] = []
    places: dict[str, str | None] = {}
    for rank, n in enumerate(_name_order(nodes, sizes, linked)):
        x, y = centre[n]
        r = sizes[n] / 2
        w = len(html.unescape(names[n])) * _CHAR_PX * 12 / 11 + 4
        h = 16.0  # a line and a little air: stacked names must not read as one
        options = [
            ("top center", (x - w / 2, y - r - 2 - h, x + w / 2, y - r - 2)),
            ("bottom center", (x - w / 2, y + r + 2, x + w / 2, y + r + 2 + h)),
            ("middle right", (x + r + 3, y - h / 2, x + r + 3 + w, y + h / 2)),
            ("middle left", (x - r - 3 - w, y - h / 2, x - r - 3, y + h / 2)),
            # the corners (reaching one way from above or below) when the sides are taken
            ("top right", (x, y - r - 2 - h, x + w, y - r - 2)),
            ("top left", (x - w, y - r - 2 - h, x, y - r - 2)),
            ("bottom right", (x, y + r + 2, x + w, y + r + 2 + h)),
            ("bottom left", (x - w, y + r + 2, x, y + r + 2 + h)),
        ]
        free = [
            (side, box)
            for side, box in options
            if not any(_boxes_meet(box, other) for other in placed)
            # the most central are named even over a node (never over another name)
            and not (
                rank >= 8 and any(_box_meets_circle(box, c) for c in circles if c[:2] != (x, y))
            )
        ]
        places[n] = None
        if free:
            # the least past the drawing's sides (a name past the plot's edge is left out),
            # then the fewest links through the ink of its letters (not the air around them)
            sides = [option for option in free if option[0] in _SIDES] or free
            side, box = min(
                sides,
                key=lambda option: (
                    round(max(left - option[1][0], 0.0) + max(option[1][2] - right, 0.0)),
                    sum(_segment_meets_box(s, _inked(option[1])) for s in segments)
                    + 2 * sum(_box_meets_circle(option[1], c) for c in arrows),
                ),
            )
            places[n] = side
            placed.append(box)
    return places


def _inked(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The part of a name's box its letters cover (a line's height less the air around it)."""
    air = (box[3] - box[1]) * 0.2
    return box[0], box[1] + air, box[2], box[3] - air


def _segment_meets_box(
    segment: tuple[float, float, float, float], box: tuple[float, float, float, float]
) -> bool:
    """Whether a straight segment ``(x0, y0, x1, y1)`` passes through a box (Liang-Barsky)."""
    x0, y0, x1, y1 = segment
    dx, dy = x1 - x0, y1 - y0
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return True


#: Where a name goes first; the corners only when none of these is free.
_SIDES = ("top center", "bottom center", "middle right", "middle left")

#: Names longer than this are written as their shortest alias on a phone, if it is shorter.
_SHORT_OVER = 18


def _short_name(kb: KnowledgeBase, actor_id: str) -> str:
    """An actor's shortest alias (escaped) when its name is long, else ``""`` (keep the name).

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors:
        ...   - {id: N, name: North Atlantic Treaty Organization, kind: alliance, aliases: [NATO]}
        ... ''')
        >>> _short_name(kb, "N")
        'NATO'
    """
    actor = kb.actors.get(actor_id)
    if actor is None or len(actor.name) <= _SHORT_OVER or not actor.aliases:
        return ""
    best = min(actor.aliases, key=lambda a: (len(a), actor.aliases.index(a)))
    return esc(best) if len(best) < len(actor.name) else ""


def _name_order(nodes: list[str], sizes: dict[str, float], linked: list[str]) -> list[str]:
    """The order names are placed in: linked actors first, the most central first."""
    linked_set = set(linked)
    return sorted(nodes, key=lambda n: (n not in linked_set, -sizes[n], n))


def _boxes_meet(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _box_meets_circle(
    box: tuple[float, float, float, float], c: tuple[float, float, float]
) -> bool:
    x = min(max(c[0], box[0]), box[2])
    y = min(max(c[1], box[1]), box[3])
    return (x - c[0]) ** 2 + (y - c[1]) ** 2 < c[2] ** 2


def _evidence(d: Describer, u: str, v: str, items: list[tuple[str, dict[str, Any]]]) -> str:
    count = f" · {len(items)} events" if len(items) > 1 else ""
    lines = [f"<b>{d.actor_name(u)} → {d.actor_name(v)}</b>{count}"]
    for key, attrs in items[:6]:
        item = attrs["item"]
        if attrs["kind"] == "relation":
            start = "…" if item.start is None else str(item.start)
            end = "ongoing" if item.end is None else str(item.end)
            when = f"{start} – {end}"
        else:
            when = str(item.date)
        lines.append(f"{d.type_label(attrs['type'])} · <i>{esc(key)}</i> · {esc(when)}")
        if attrs["kind"] == "event" and item.summary:
            lines.append("  " + esc(item.summary[:90]) + ("…" if len(item.summary) > 90 else ""))
        if attrs.get("credibility") is not None:
            lines.append("  " + d.credibility(attrs["credibility"]))
        for ref in item.sources[:2]:
            lines.append("  • " + d.source_line(ref))
    if len(items) > 6:
        lines.append(f"… and {len(items) - 6} more")
    return join(lines)
