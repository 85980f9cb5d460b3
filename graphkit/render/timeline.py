"""The interactive timeline: one lane per actor (or actor group), events, relations, figures.

What the figure shows:

* **events** as markers coloured by type (one legend entry per type). A date known only to the
  month, the year or between bounds is drawn as its true extent: the marker sits at the middle
  and a translucent bar runs from the first to the last possible day. A duration
  (``{start, end}``) is a solid bar with a diamond at its start; an ongoing one runs to the end of
  the data and ends in a triangle ``▶``;
* **figures** (quantities): the marker grows with the largest reported figure and, on small
  figures, is labelled (``+1,500 · 3,000 soldiers``). Planned figures are drawn apart as open
  circles at their target date (``by``), joined to the event by a dotted line;
* **relations** as bars over their validity interval: solid where the relation certainly held,
  translucent where a partial start or end leaves it uncertain; an open end runs to the end of the
  data with ``▶`` (an unknown start with ``◀``);
* the **escalation index**, when given, as a panel under the timeline on the same time axis.

Controls: range slider, range buttons and zoom on the time axis; a *lane* dropdown that shows one
lane; a *type* dropdown that shows one event type (or the relations); legend clicks toggle a type.
With more than ``webgl_threshold`` events the markers and bars are WebGL (``Scattergl``) traces
and the margins are computed here (see ``docs/timelines.md``, "Large knowledge bases").

Examples:
    >>> import graphkit as gk
    >>> kb = gk.loads('''
    ... format_version: 1
    ... actors: [{id: A, name: Alpha, kind: state}, {id: B, name: Beta, kind: state}]
    ... relations: [{id: r, type: allied_with, from: A, to: B, start: 2024-06}]
    ... events:
    ...   - {id: e1, type: statement, date: 2024-10, actor: A, summary: "Alpha speaks"}
    ...   - {id: e2, type: threat, date: 2024-11-02, actor: B}
    ... ''')
    >>> fig = timeline(kb)
    >>> sorted(t.name for t in fig.data if t.showlegend)
    ['Statement', 'Threat', 'relation: allied with']
"""

from __future__ import annotations

import html
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import plotly.graph_objects as go

from graphkit._gc import gc_paused
from graphkit.errors import InvalidDateError, UnknownIdError, did_you_mean
from graphkit.model.dates import DAY_MAX, DAY_MIN, Extent, PartialDate, Span, window
from graphkit.model.event import Event, Quantity
from graphkit.model.relation import Relation
from graphkit.render._describe import (
    DAY_MS,
    Describer,
    compact_number,
    ms_text,
    ordinal_ms,
    quantity_text,
)
from graphkit.render._html import esc, join, wrap
from graphkit.render.escalation import EscalationIndexLike, escalation_trace

if TYPE_CHECKING:
    from graphkit.kb import KnowledgeBase

__all__ = ["LaneMode", "select", "timeline"]

#: ``actor``: a lane per actor; ``group``: a lane per top-level actor (``part_of`` chains);
#: ``auto``: per actor unless that gives more than ``max_lanes`` lanes.
LaneMode = Literal["auto", "actor", "group"]

OTHER_LANE = "other actors"
#: Relation bars sit this far below their lane's line of events (in lanes).
RELATION_OFFSET = 0.28
NO_ACTOR_LANE = "no actor"


def _size(quantities: Sequence[Quantity]) -> float:
    """Marker diameter (px) for the largest reported figure: 9 without one, at most 28."""
    return _figure_size(max((abs(q.central) for q in quantities if not q.planned), default=None))


def _figure_size(largest: float | None) -> float:
    return 9.0 if largest is None else min(28.0, 9.0 + 2.2 * math.log10(largest + 1))


def _label(quantities: Sequence[Quantity]) -> str:
    reported = [q for q in quantities if not q.planned]
    if not reported:
        return ""
    unit = reported[0].unit
    same = [q for q in reported if q.unit == unit][:3]
    text = " · ".join(
        ("+" if q.kind == "increment" else "") + compact_number(q.central) for q in same
    )
    return esc(f"{text} {unit}" if unit else text)


@dataclass
class _Points:
    """Columns of one marker trace, filled point by point."""

    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    hover: list[str] = field(default_factory=list)
    url: list[str | None] = field(default_factory=list)
    size: list[float] = field(default_factory=list)
    symbol: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def add(
        self,
        x_ms: float,
        y: float,
        hover: str = "",
        url: str | None = None,
        *,
        size: float = 9.0,
        symbol: str = "circle",
        text: str = "",
    ) -> None:
        self.x.append(x_ms)
        self.y.append(y)
        self.hover.append(hover)
        self.url.append(url)
        self.size.append(size)
        self.symbol.append(symbol)
        self.text.append(text)


class _Segments:
    """Horizontal bars of one trace, merged per lane when drawn.

    Overlapping bars of one colour in one lane look the same merged, and ten thousand relations in
    a lane become a handful of segments.
    """

    def __init__(self) -> None:
        self.by_lane: dict[float, list[tuple[float, float]]] = defaultdict(list)

    def add(self, lo_ms: float, hi_ms: float, y: float) -> None:
        self.by_lane[y].append((lo_ms, hi_ms))

    def columns(self, fmt: Callable[[float], Any]) -> tuple[list[Any], list[float | None]]:
        xs: list[Any] = []
        ys: list[float | None] = []
        for y, spans in self.by_lane.items():
            spans.sort()
            start, end = spans[0]
            for lo, hi in spans[1:]:
                if lo <= end:
                    end = max(end, hi)
                    continue
                xs.extend((fmt(start), fmt(end), None))
                ys.extend((y, y, None))
                start, end = lo, hi
            xs.extend((fmt(start), fmt(end), None))
            ys.extend((y, y, None))
        return xs, ys


_TIP_SYMBOLS = {"ongoing": "triangle-right", "open-start": "triangle-left", "end": "line-ns-open"}
_TIP_SIZES = {"ongoing": 12, "open-start": 12, "end": 10}
_START_SYMBOLS = {"open-start": "triangle-left", "end": "square"}
_START_SIZES = {"open-start": 12, "end": 7}
#: Bin widths (days) tried for grouped relation start markers, shortest first.
_BIN_DAYS = (1, 7, 14, 30, 61, 91, 182, 365, 730, 1826, 3652, 36525)
#: Relations named in the hover of a group of relation start markers.
_GROUP_LINES = 4
#: Lane labels are cut to this many characters in figures with fixed margins (WebGL).
_LANE_LABEL_WIDTH = 44
#: About the width of one character of 12 px text, for fixed margins.
_CHAR_PX = 7
#: Markers of dense figures (above ``brief_hover_over`` events) are this much smaller.
_DENSE_SCALE = 0.6
#: The share of the first view's width one label character takes (10 px text, ~800 px plot).
_LABEL_CHAR_SHARE = 6 / 800


class _Builder:
    """Collects the points and bars of every trace, then makes the figure."""

    def __init__(
        self,
        kb: KnowledgeBase,
        chosen: _Selection,
        lane_of: dict[str, str],
        lanes: list[str],
        *,
        webgl: bool,
        labels: bool,
        brief: bool,
        brief_relations: bool = False,
        dense: bool = False,
        relation_marker_limit: int | None = None,
    ) -> None:
        self.kb = kb
        self.d = Describer(kb)
        self.chosen = chosen
        self.events = chosen.events
        self.relations = relations = chosen.relations
        self.lane_of = lane_of
        self.lanes = lanes
        self.lane_index = {label: i for i, label in enumerate(lanes)}
        self.webgl = webgl
        self.labels = labels
        self.brief = brief
        self.brief_relations = brief_relations
        self.dense = dense
        # Above the limit, relation start markers are grouped (see ``grouped_ends``).
        self.group_relations = (
            relation_marker_limit is not None and len(relations) > relation_marker_limit
        )
        self.relation_marker_limit = relation_marker_limit or 0
        self.starts: dict[str, list[tuple[float, float, str, Relation]]] = defaultdict(list)
        # big figures: epoch milliseconds (smaller, no date parsing in the browser)
        self.fmt: Callable[[float], Any] = _ms_int if webgl else ms_text
        self.lo, self.hi = _data_bounds(chosen)
        self.lo_ms, self.hi_ms = ordinal_ms(self.lo), ordinal_ms(self.hi + 1)
        self.view = _initial_view(chosen.event_extents, self.lo, self.hi)
        # per event type
        self.kinds: set[str] = set()
        self.markers: dict[str, _Points] = defaultdict(_Points)
        self.spans: dict[str, _Points] = defaultdict(_Points)  # the start of each duration
        self.planned: dict[str, _Points] = defaultdict(_Points)
        self.ongoing: dict[str, dict[tuple[float, float, str], None]] = defaultdict(dict)
        self.durations: dict[str, _Segments] = defaultdict(_Segments)
        self.extents: dict[str, _Segments] = defaultdict(_Segments)
        self.connectors: dict[str, _Segments] = defaultdict(_Segments)
        # per relation type
        self.sure: dict[str, _Segments] = defaultdict(_Segments)
        self.unsure: dict[str, _Segments] = defaultdict(_Segments)
        self.ends: dict[str, _Points] = defaultdict(_Points)
        self.tips: dict[str, dict[tuple[float, float, str], None]] = defaultdict(dict)
        relation_types = sorted({r.type for r in relations})
        self.offset = {t: RELATION_OFFSET + 0.07 * (i % 3) for i, t in enumerate(relation_types)}

    def lane(self, actor_ids: Iterable[str | None]) -> int:
        """The y position (lane index) of an item, from its first actor."""
        for actor_id in actor_ids:
            if actor_id is not None:
                return self.lane_index[self.lane_of.get(actor_id, OTHER_LANE)]
        return self.lane_index[NO_ACTOR_LANE]

    def add_event(self, event: Event, extent: Extent) -> None:
        first = _first_actor(event)
        lane = self.lane_index[
            NO_ACTOR_LANE if first is None else self.lane_of.get(first, OTHER_LANE)
        ]
        hover = self.d.event_hover(event, brief=self.brief)
        url = self.d.first_url(event.sources)
        lo_ms = ordinal_ms(extent.lo)
        size = self.marker_size(_size(event.quantities))
        label = _label(event.quantities) if self.labels else ""
        when = event.date
        kind = event.type
        self.kinds.add(kind)
        if isinstance(when, Span):
            start = when.start
            if start.timestamp is not None:
                mid = start.timestamp.timestamp() * 1000
            else:
                mid = (ordinal_ms(start.lo) + ordinal_ms(start.hi + 1)) / 2
            end_ms = self.hi_ms if when.end is None else ordinal_ms(extent.hi + 1)
            self.durations[kind].add(lo_ms, end_ms, lane)
            if when.end is None:
                self.ongoing[kind][(end_ms, lane, "ongoing")] = None
            # a trace of their own: one marker symbol per WebGL trace draws in one pass
            self.spans[kind].add(mid, lane, hover, url, size=size, symbol="diamond", text=label)
        else:
            if isinstance(when, PartialDate) and when.timestamp is not None:
                mid = when.timestamp.timestamp() * 1000
            else:
                hi_ms = ordinal_ms(extent.hi + 1)
                mid = (lo_ms + hi_ms) / 2
                if extent.hi > extent.lo:  # an uncertain moment: its whole extent, translucent
                    self.extents[kind].add(lo_ms, hi_ms, lane)
            self.markers[kind].add(mid, lane, hover, url, size=size, text=label)
        for quantity in event.quantities:
            if quantity.planned:
                self.add_planned(event, quantity, lane, mid, url)

    def marker_size(self, size: float) -> float:
        """Marker diameter in px (see ``_size``), smaller in dense figures."""
        return round(size * _DENSE_SCALE, 1) if self.dense else size

    def add_planned(
        self, event: Event, quantity: Quantity, lane: int, from_ms: float, url: str | None
    ) -> None:
        target = quantity.by or quantity.as_of
        at = from_ms
        if target is not None:
            first, last = ordinal_ms(target.lo), ordinal_ms(target.hi + 1)
            at = (first + last) / 2
            if target.hi > target.lo:
                self.extents[event.type].add(first, last, lane)
        hover = join(
            [
                "<b>planned: " + esc(quantity_text(quantity)) + "</b>",
                wrap(event.summary or event.id, 80, max_lines=3),
                f"<i>{esc(event.id)}</i>",
            ]
        )
        text = "≤" if quantity.value is None and quantity.max is not None else ""
        text += compact_number(quantity.central) + " planned"
        self.planned[event.type].add(
            at,
            lane,
            hover,
            url,
            size=self.marker_size(_figure_size(abs(quantity.central))),
            text=esc(text) if self.labels else "",
        )
        if at != from_ms:
            self.connectors[event.type].add(min(at, from_ms), max(at, from_ms), lane)

    def add_relation(self, relation: Relation, extent: Extent) -> None:
        kind = relation.type
        lane = self.lane((relation.from_, relation.to)) + self.offset[kind]
        lo = self.lo_ms if extent.lo <= DAY_MIN else ordinal_ms(extent.lo)
        hi = self.hi_ms if extent.hi >= DAY_MAX else ordinal_ms(extent.hi + 1)
        sure_lo = lo if extent.sure_lo <= DAY_MIN else ordinal_ms(extent.sure_lo)
        sure_hi = hi if extent.sure_hi >= DAY_MAX else ordinal_ms(extent.sure_hi + 1)
        if sure_lo < sure_hi:
            self.sure[kind].add(sure_lo, sure_hi, lane)
            if lo < sure_lo:
                self.unsure[kind].add(lo, sure_lo, lane)
            if sure_hi < hi:
                self.unsure[kind].add(sure_hi, hi, lane)
        else:
            self.unsure[kind].add(lo, hi, lane)
        start_symbol = "open-start" if relation.start is None else "end"
        if self.group_relations:  # hover text only for the few shown per group, later
            self.starts[kind].append((lo, lane, start_symbol, relation))
            if relation.end is None:
                self.tips[kind][(hi, lane, "ongoing")] = None
            return
        hover = self.d.relation_hover(relation, brief=self.brief_relations)
        url = None if self.brief_relations else self.d.first_url(relation.sources)
        self.ends[kind].add(
            lo,
            lane,
            hover,
            url,
            size=_START_SIZES[start_symbol],
            symbol=_START_SYMBOLS[start_symbol],
        )
        self.tips[kind][(hi, lane, "ongoing" if relation.end is None else "end")] = None

    def figure(self, escalation: EscalationIndexLike | None) -> Any:
        chosen = self.chosen
        for event, extent in zip(chosen.events, chosen.event_extents, strict=True):
            self.add_event(event, extent)
        for relation, extent in zip(chosen.relations, chosen.relation_extents, strict=True):
            self.add_relation(relation, extent)
        if self.group_relations:
            self.grouped_ends()
        if self.labels:
            self.declutter()
        traces = self.event_traces() + self.relation_traces()
        rows = 2 if escalation is not None else 1
        layout: dict[str, Any] = {}
        if escalation is not None:
            from plotly.subplots import make_subplots

            layout = make_subplots(
                rows=2, cols=1, shared_xaxes=True, row_heights=[0.82, 0.18], vertical_spacing=0.03
            ).layout.to_plotly_json()
            for trace in traces:
                trace.update(xaxis="x", yaxis="y")
            events = self.kb.events
            panel = escalation_trace(
                escalation,
                summary=lambda i: e.summary if (e := events.get(i)) is not None else None,
            ).to_plotly_json()
            traces.append({**panel, "xaxis": "x2", "yaxis": "y2"})
            layout["yaxis2"].update(title={"text": "escalation"}, rangemode="tozero")
        # Traces are plain dicts. Large figures skip plotly.py's validation, which costs more
        # than building them; small ones (the same code, the same keys) are validated.
        self.layout(layout, traces, rows)
        return go.Figure(data=traces, layout=layout, _validate=not self.webgl)

    def declutter(self) -> None:
        """Drop figure labels that would overlap in the first view; hover still shows them.

        Per row of text (event labels sit above their marker, plan labels below), the labels of
        the largest figures are placed first; a label that would overlap an already placed one (at
        about ``_LABEL_CHAR_SHARE`` of the view per character) is left out.
        """
        view = self.view
        per_char = (view[1] - view[0]) * _LABEL_CHAR_SHARE
        candidates: list[tuple[float, float, int, float, _Points, int]] = []
        for side, tables in enumerate(((self.markers, self.spans), (self.planned,))):
            for points in (p for table in tables for p in table.values()):
                for i, text in enumerate(points.text):
                    if text:
                        candidates.append((-points.size[i], points.y[i], side, points.x[i],
                                           points, i))  # fmt: skip
        # a plan's label (below lane y) and an event's label of lane y + 1 (above it) share a row
        placed: dict[float, list[tuple[float, float]]] = defaultdict(list)
        for _, lane, side, x, points, i in sorted(candidates, key=lambda c: c[:4]):
            half = len(html.unescape(points.text[i])) * per_char / 2 + per_char
            spans = placed[lane + side]
            if any(lo < x + half and x - half < hi for lo, hi in spans):
                points.text[i] = ""
            else:
                spans.append((x - half, x + half))

    def grouped_ends(self) -> None:
        """Group the relation start markers: one per type, lane, start symbol and time bin.

        The bin is the shortest of a day, a week, a month, ... that keeps the markers within
        ``relation_marker_limit`` (else a century); a group's marker sits at its earliest start,
        grows with its size, and its hover counts the relations and names the first few.
        """
        d = self.d
        # one integer per (type, lane, symbol), then count the distinct bins of each width
        codes: dict[tuple[str, float, str], int] = {}
        group_codes: list[int] = []
        starts_ms: list[float] = []
        for kind, starts in self.starts.items():
            for lo, lane, symbol, _ in starts:
                group_codes.append(codes.setdefault((kind, lane, symbol), len(codes)))
                starts_ms.append(lo)
        groups_of = np.asarray(group_codes, dtype=np.int64) << 32
        ms = np.asarray(starts_ms, dtype=np.float64)
        width = _BIN_DAYS[-1]
        for days in _BIN_DAYS:
            bins = np.floor_divide(ms, days * DAY_MS).astype(np.int64) + (1 << 31)
            if len(np.unique(groups_of + bins)) <= self.relation_marker_limit:
                width = days
                break
        bin_ms = width * DAY_MS
        for kind, starts in self.starts.items():
            groups: dict[tuple[float, str, float], list[tuple[float, Relation]]] = {}
            for lo, lane, symbol, relation in starts:
                groups.setdefault((lane, symbol, lo // bin_ms), []).append((lo, relation))
            points = self.ends[kind]
            label = d.type_label(kind)
            for (lane, symbol, _), members in groups.items():
                members.sort(key=lambda m: (m[0], m[1].id))
                first_ms, first = members[0]
                if len(members) == 1:
                    hover = d.relation_hover(first, brief=self.brief_relations)
                    url = None if self.brief_relations else d.first_url(first.sources)
                    size: float = _START_SIZES[symbol]
                else:
                    last_ms = members[-1][0]
                    lines = [
                        f"• {d.actor_name(r.from_)} → {d.actor_name(r.to)} · <i>{esc(r.id)}</i>"
                        for _, r in members[:_GROUP_LINES]
                    ]
                    if len(members) > _GROUP_LINES:
                        lines.append(f"… and {len(members) - _GROUP_LINES:,} more")
                    hover = join(
                        [
                            f"<b>{len(members):,} relations: {label}</b>",
                            "starting "
                            + (
                                "before the record"
                                if symbol == "open-start"
                                else f"{ms_text(first_ms)[:10]} … {ms_text(last_ms)[:10]}"
                            ),
                            *lines,
                        ]
                    )
                    url = None
                    size = _START_SIZES[symbol] + 2.5 * math.log10(len(members))
                points.add(
                    first_ms, lane, hover, url, size=round(size, 1), symbol=_START_SYMBOLS[symbol]
                )

    def bar(
        self,
        segments: _Segments,
        name: str,
        group: str,
        colour: str,
        meta: dict[str, str],
        *,
        width: float,
        opacity: float,
        dash: str = "solid",
        showlegend: bool = False,
    ) -> dict[str, Any]:
        """Bars are lines, broken between segments (merged per lane, see ``_Segments``).

        In WebGL figures they are WebGL lines, one draw per trace whatever the gaps (SVG draws
        one path element per segment, and draws them all again in the range slider), with
        dates and lanes as typed arrays, NaN between segments.
        """
        xs, ys = segments.columns(self.fmt)
        line: dict[str, Any] = {"color": colour, "width": width, "dash": dash}
        trace: dict[str, Any] = {"type": "scatter", "x": xs, "y": ys, "line": line}
        if self.webgl:
            nan = math.nan
            trace.update(
                type="scattergl",
                x=_typed([nan if x is None else x for x in xs], "f8"),
                y=_typed([nan if y is None else y for y in ys], "f4"),
            )
        else:
            line["simplify"] = False
        return {
            **trace,
            "mode": "lines",
            "name": name,
            "legendgroup": group,
            "showlegend": showlegend,
            "hoverinfo": "skip",
            "opacity": opacity,
            "meta": meta,
        }

    def columns(self, xs: list[float], ys: list[float]) -> tuple[Any, Any]:
        """The x (dates) and y (lanes) of markers: typed arrays in WebGL figures, else text."""
        if self.webgl:  # plotly writes numpy arrays as base64 typed arrays: small, fast to read
            return _typed(xs, "f8"), _typed(ys, "f4")
        return [self.fmt(v) for v in xs], ys

    def sizes(self, values: list[float]) -> Any:
        one = _one(values)
        if isinstance(one, list) and self.webgl:
            return _typed(one, "f4")
        return one

    def markers_trace(self, p: _Points, **kwargs: Any) -> dict[str, Any]:
        labelled = any(p.text)
        x, y = self.columns(p.x, p.y)
        trace = {
            "type": "scattergl" if self.webgl else "scatter",
            "x": x,
            "y": y,
            "mode": "markers+text" if labelled else "markers",
            "hovertext": p.hover,
            "hoverinfo": "text",
            "customdata": p.url,
            **kwargs,
        }
        if labelled:
            trace["text"] = p.text
        return trace

    def tip_trace(self, tips: Iterable[tuple[float, float, str]], **kwargs: Any) -> dict[str, Any]:
        tips = list(tips)
        x, y = self.columns([x for x, _, _ in tips], [y for _, y, _ in tips])
        return {
            "type": "scattergl" if self.webgl else "scatter",
            "x": x,
            "y": y,
            "mode": "markers",
            "hoverinfo": "skip",
            "marker": {
                "symbol": [_TIP_SYMBOLS[s] for _, _, s in tips],
                "size": self.sizes([_TIP_SIZES[s] for _, _, s in tips]),
                "color": kwargs.pop("colour"),
                "line": {"width": 2, "color": kwargs.pop("line")},
            },
            **kwargs,
        }

    def event_traces(self) -> list[Any]:
        traces: list[Any] = []
        d = self.d
        for kind in sorted(self.kinds, key=lambda k: d.type_label(k).casefold()):
            colour, name = d.colour(kind), d.type_label(kind)
            meta = {"kind": "event", "type": kind}
            for bars, style in (
                (self.durations, {"width": 7, "opacity": 0.55}),
                (self.extents, {"width": 6, "opacity": 0.28}),
                (self.connectors, {"width": 1.5, "opacity": 0.9, "dash": "dot"}),
            ):
                if kind in bars:
                    traces.append(self.bar(bars[kind], name, kind, colour, meta, **style))
            if kind in self.ongoing:
                traces.append(
                    self.tip_trace(
                        self.ongoing[kind],
                        colour=colour,
                        line=colour,
                        name=name,
                        legendgroup=kind,
                        showlegend=False,
                        meta=meta,
                    )
                )
            legend = True
            for points in (self.markers.get(kind), self.spans.get(kind)):
                if points is None:
                    continue
                traces.append(
                    self.markers_trace(
                        points,
                        name=name,
                        legendgroup=kind,
                        showlegend=legend,
                        textposition="top center",
                        textfont={"size": 10, "color": colour},
                        marker={
                            "color": colour,
                            "size": self.sizes(points.size),
                            "symbol": _one(points.symbol),
                            # dense: no outline (software WebGL pays for every pixel drawn)
                            **({} if self.dense else {"line": {"color": "white", "width": 0.8}}),
                        },
                        meta=meta,
                    )
                )
                legend = False
            if kind in self.planned:
                p = self.planned[kind]
                traces.append(
                    self.markers_trace(
                        p,
                        name=f"{name} (planned)",
                        legendgroup=kind,
                        showlegend=False,
                        textposition="bottom center",
                        textfont={"size": 10, "color": colour},
                        marker={
                            "color": colour,
                            "size": self.sizes(p.size),
                            "symbol": "circle-open",
                            "line": {"color": colour, "width": 2},
                        },
                        meta={"kind": "planned", "type": kind},
                    )
                )
        return traces

    def relation_traces(self) -> list[Any]:
        traces: list[Any] = []
        d = self.d
        for kind in sorted(self.ends, key=lambda k: d.type_label(k).casefold()):
            colour, name = d.colour(kind), "relation: " + d.type_label(kind)
            group = "rel:" + kind
            meta = {"kind": "relation", "type": kind}
            if kind in self.unsure:
                traces.append(
                    self.bar(
                        self.unsure[kind],
                        name,
                        group,
                        colour,
                        meta,
                        width=5,
                        opacity=0.25,
                    )
                )
            if kind in self.sure:
                traces.append(
                    self.bar(
                        self.sure[kind],
                        name,
                        group,
                        colour,
                        meta,
                        width=5,
                        opacity=0.75,
                        showlegend=True,
                    )
                )
            if self.tips[kind]:
                traces.append(
                    self.tip_trace(
                        self.tips[kind],
                        colour=colour,
                        line=colour,
                        name=name,
                        legendgroup=group,
                        showlegend=False,
                        meta=meta,
                    )
                )
            traces.append(
                self.markers_trace(
                    self.ends[kind],
                    name=name,
                    legendgroup=group,
                    showlegend=kind not in self.sure,
                    marker={
                        "color": colour,
                        "size": self.sizes(self.ends[kind].size),
                        "symbol": _one(self.ends[kind].symbol),
                        "line": {"color": colour, "width": 2},
                    },
                    meta=meta,
                )
            )
        return traces

    def layout(self, layout: dict[str, Any], traces: list[dict[str, Any]], rows: int) -> None:
        """Fill ``layout`` (a dict, with the subplot axes when ``rows == 2``) in place."""
        n = len(self.lanes)
        lane_height = 34 if n <= 40 else 22
        height = max(420, lane_height * n + 230) + (170 if rows == 2 else 0)
        view = self.view
        ticktext = self.lanes
        margin: dict[str, Any] = {"l": 10, "r": 10, "t": 90, "b": 40}
        if self.webgl:
            ticktext = [_short(lane, _LANE_LABEL_WIDTH) for lane in self.lanes]
            margin = _fixed_margins(ticktext, traces, height, top=90, panel=rows == 2)
        _merge(
            layout,
            template=_template(),
            height=height,
            margin=margin,
            title={
                "text": f"{len(self.events):,} events, {len(self.relations):,} relations",
                "x": 0.01,
                "font": {"size": 15},
            },
            hovermode="closest",
            hoverlabel={"align": "left", "bgcolor": "white", "font": {"size": 12}},
            legend={
                "title": {"text": "types"},
                "groupclick": "togglegroup",
                "itemsizing": "constant",
            },
            font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
            yaxis={
                "type": "linear",
                "tickmode": "array",
                "tickvals": list(range(n)),
                "ticktext": ticktext,
                "range": [n - 0.5, -0.5],
                "autorange": False,
                "fixedrange": True,
                "zeroline": False,
                "showgrid": False,
                "minor": {
                    "tickmode": "array",
                    "tickvals": [i + 0.5 for i in range(n - 1)],
                    "showgrid": True,
                    "gridcolor": "#e4e4e4",
                    "ticklen": 0,
                },
                "automargin": not self.webgl,  # fixed margins: see _fixed_margins
            },
            updatemenus=self.menus(traces),
            meta={"graphkit": "timeline", "lanes": self.lanes},
        )
        for axis in ("xaxis", "xaxis2") if rows == 2 else ("xaxis",):
            _merge(
                layout,
                {
                    axis: {
                        "type": "date",
                        "range": [ms_text(view[0]), ms_text(view[1])],
                        "showgrid": True,
                    }
                },
            )
        bottom = "xaxis2" if rows == 2 else "xaxis"
        _merge(layout, {bottom: {"rangeslider": {"visible": True, "thickness": 0.06}}})
        _merge(
            layout,
            xaxis_rangeselector={
                "buttons": [
                    {"count": 1, "label": "1m", "step": "month", "stepmode": "backward"},
                    {"count": 6, "label": "6m", "step": "month", "stepmode": "backward"},
                    {"count": 1, "label": "1y", "step": "year", "stepmode": "backward"},
                    {"count": 5, "label": "5y", "step": "year", "stepmode": "backward"},
                    {"step": "all", "label": "all"},
                ],
                "y": 1.0,
                "yanchor": "bottom",
                "x": 1.0,
                "xanchor": "right",
            },
        )

    def menus(self, traces: list[dict[str, Any]]) -> list[dict[str, Any]]:
        n = len(self.lanes)
        lane_buttons = [
            {"label": "lane: all", "method": "relayout", "args": [{"yaxis.range": [n - 0.5, -0.5]}]}
        ]
        for i, lane in enumerate(self.lanes):
            lane_buttons.append(
                {
                    "label": "lane: " + _short(lane),
                    "method": "relayout",
                    "args": [{"yaxis.range": [i + 0.5, i - 0.5]}],
                }
            )
        metas = [t.get("meta") or {} for t in traces]
        type_buttons = [
            {"label": "type: all", "method": "restyle", "args": [{"visible": [True] * len(metas)}]}
        ]
        for kind in sorted(self.kinds, key=lambda k: self.d.type_label(k).casefold()):
            visible = [
                m.get("kind") == "escalation"
                or (m.get("type") == kind and m.get("kind") != "relation")
                for m in metas
            ]
            type_buttons.append(
                {
                    "label": "type: " + _short(self.d.type_label(kind)),
                    "method": "restyle",
                    "args": [{"visible": visible}],
                }
            )
        if self.ends:
            visible = [m.get("kind") in ("relation", "escalation") for m in metas]
            type_buttons.append(
                {"label": "type: relations", "method": "restyle", "args": [{"visible": visible}]}
            )
        common = {
            "type": "dropdown",
            "direction": "down",
            "yanchor": "bottom",
            "y": 1.0,
            "showactive": True,
            "bgcolor": "white",
            "font": {"size": 11},
        }
        return [
            {**common, "buttons": lane_buttons, "x": 0.0, "xanchor": "left", "name": "lane"},
            {**common, "buttons": type_buttons, "x": 0.36, "xanchor": "left", "name": "type"},
        ]


def _merge(target: dict[str, Any], update: dict[str, Any] | None = None, **more: Any) -> None:
    """Deep-merge ``update`` and ``more`` into ``target`` (``a_b=`` keys as ``{a: {b: ...}}``)."""
    items = {**(update or {})}
    for key, value in more.items():
        head, _, rest = key.partition("_")
        if rest and head in ("xaxis", "yaxis"):
            value = {rest: value}
            key = head
        items[key] = value
    for key, value in items.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            _merge(current, value)
        else:
            target[key] = value


def _fixed_margins(
    lanes: list[str], traces: list[dict[str, Any]], height: int, *, top: int, panel: bool
) -> dict[str, Any]:
    """Margins computed here instead of by plotly's automargin, which redraws the whole figure.

    plotly measures tick labels and the range slider only after the data is drawn, and when they
    push the margins it draws everything again: for 100,000 WebGL points in a software-rendered
    browser that is seconds. The margins fit the longest lane label (left), the legend (right) and
    the tick labels plus the range slider (bottom), at about 7 px per character of 12 px text;
    the escalation ``panel`` needs room on the left for its axis title and numbers.
    """
    longest_lane = max((len(html.unescape(lane)) for lane in lanes), default=0)
    names = [html.unescape(str(t.get("name", ""))) for t in traces if t.get("showlegend")]
    longest_name = max((len(name) for name in [*names, "types"]), default=0)
    # the slider is `thickness` of the plot height, under the tick labels (two lines when
    # zoomed to days) and plotly's 15 px pad: b = ticks + pad + 0.06 * (height - top - b) + gap
    ticks, pad, gap, thickness = 40, 15, 12, 0.06
    bottom = math.ceil((ticks + pad + gap + thickness * (height - top)) / (1 + thickness))
    return {
        "l": max(min(_CHAR_PX * longest_lane + 24, 340), 80 if panel else 40),
        "r": _CHAR_PX * longest_name + 90,
        "t": top,
        "b": bottom,
        "autoexpand": False,
    }


def _typed(values: list[float], dtype: str) -> Any:
    """A numpy array when numpy is installed (plotly's optional dependency), else the list."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy comes with the dev and export extras
        return values
    return np.asarray(values, dtype=dtype)


def _template() -> dict[str, Any]:
    """The ``plotly_white`` template as a dict (unvalidated figures take no template names)."""
    import plotly.io as pio

    return pio.templates["plotly_white"].to_plotly_json()  # type: ignore[no-any-return]


def _one(values: list[Any]) -> Any:
    """A single value when all are equal (a scalar is much cheaper to draw than an array)."""
    return values[0] if values and all(v == values[0] for v in values) else values


def _ms_int(ms: float) -> int:
    return round(ms)


def _short(markup: str, width: int = 32) -> str:
    """Shorten escaped text for a button label without cutting an entity."""
    if len(markup) <= width:
        return markup
    cut = markup[: width - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def _data_bounds(chosen: _Selection) -> tuple[int, int]:
    """The first and last day of the data (relations' partial ends count by their extent)."""
    los = [x.lo for x in chosen.event_extents]
    his = [x.hi for x in chosen.event_extents if x.hi < DAY_MAX]
    for relation in chosen.relations:
        for point in (relation.start, relation.end):
            if point is not None:
                los.append(point.lo)
                his.append(point.hi)
    days = los + his
    if not days:
        today = date.today().toordinal()
        return today - 365, today
    return min(days), max(days)


def _initial_view(extents: Sequence[Extent], lo: int, hi: int) -> tuple[float, float]:
    """The first view: the events' span (relations may reach decades back), padded by 3%."""
    if extents:
        lo = min(x.lo for x in extents)
        hi = min(max(x.hi for x in extents), hi)
    start, end = ordinal_ms(lo), ordinal_ms(hi + 1)
    pad = max((end - start) * 0.03, 2 * DAY_MS)
    return start - pad, end + pad


def _first_actor(event: Event) -> str | None:
    """The actor whose lane an event sits in: main actor, else target, else first participant."""
    if event.actor is not None:
        return event.actor
    if event.target is not None:
        return event.target
    return next((p.actor for p in event.participants), None)


def _root(kb: KnowledgeBase, actor_id: str) -> str:
    seen = {actor_id}
    current = actor_id
    while True:
        actor = kb.actors.get(current)
        parent = actor.part_of if actor is not None else None
        if parent is None or parent in seen or parent not in kb.actors:
            return current
        seen.add(parent)
        current = parent


def _lanes(
    kb: KnowledgeBase,
    events: Sequence[Event],
    relations: Sequence[Relation],
    mode: LaneMode,
    max_lanes: int,
) -> tuple[dict[str, str], list[str]]:
    """Map actor ids to lane labels and order the lanes (busiest first)."""
    main: list[str] = []
    unplaced = False  # an event without any actor
    for event in events:
        first = _first_actor(event)
        if first is None:
            unplaced = True
        else:
            main.append(first)
    main.extend(r.from_ for r in relations)
    counts = Counter(main)
    if mode == "auto":
        mode = "actor" if len(counts) <= max_lanes else "group"
    key = {a: (a if mode == "actor" else _root(kb, a)) for a in counts}
    lane_counts: Counter[str] = Counter()
    for actor_id, count in counts.items():
        lane_counts[key[actor_id]] += count
    busiest = sorted(lane_counts, key=lambda k: (-lane_counts[k], k))
    kept = busiest if len(busiest) <= max_lanes else busiest[: max_lanes - 1]
    # Neighbours in the hierarchy sit together: groups by activity, the group's root first.
    roots = {k: _root(kb, k) for k in kept}
    group_counts: Counter[str] = Counter()
    for k in kept:
        group_counts[roots[k]] += lane_counts[k]
    kept.sort(key=lambda k: (-group_counts[roots[k]], roots[k], k != roots[k], -lane_counts[k], k))
    kept_set = set(kept)
    d = Describer(kb)
    names = {k: d.actor_name(k) for k in kept}
    duplicated = {n for n, c in Counter(names.values()).items() if c > 1}
    labels = {k: (f"{names[k]} ({esc(k)})" if names[k] in duplicated else names[k]) for k in kept}
    lane_of = {
        actor_id: labels[lane] if lane in kept_set else OTHER_LANE for actor_id, lane in key.items()
    }
    for actor in kb.actors:  # actors only involved as targets or participants
        lane = key.get(actor.id) or (actor.id if mode == "actor" else _root(kb, actor.id))
        lane_of.setdefault(actor.id, labels.get(lane, OTHER_LANE))
    order = [labels[k] for k in kept]
    used = {lane_of[a] for a in main}
    if OTHER_LANE in used:
        order.append(OTHER_LANE)
    if unplaced:
        order.append(NO_ACTOR_LANE)
    return lane_of, order


def select(
    kb: KnowledgeBase,
    actors: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    since: object | None = None,
    until: object | None = None,
) -> tuple[list[Event], list[Relation]]:
    """The events and relations a timeline shows, after the actor, type and date filters.

    ``actors`` are ids, names or aliases (an item qualifies if any of them takes part in it);
    ``types`` event or relation type ids; ``since``/``until`` partial dates (items that possibly
    fall in the window are kept). Events come in time order (first day, last day, id).

    Raises:
        UnknownActorError: For an actor that is not in the knowledge base.
        UnknownIdError: For a type that is not in the vocabulary.
    """
    chosen = _select(kb, actors, types, since, until)
    return chosen.events, chosen.relations


@dataclass
class _Selection:
    """The selected items with their extents, computed once (the builder reads them often)."""

    events: list[Event]
    event_extents: list[Extent]
    relations: list[Relation]
    relation_extents: list[Extent]


def _select(
    kb: KnowledgeBase,
    actors: Iterable[str] | None,
    types: Iterable[str] | None,
    since: object | None,
    until: object | None,
) -> _Selection:
    wanted = {kb.actor(a).id for a in actors} if actors else None
    wanted_types: set[str] | None = None
    if types:
        known = [*kb.vocabulary.event_types, *kb.vocabulary.relation_types]
        wanted_types = set()
        for t in types:
            if t not in known:
                raise UnknownIdError("type", t, did_you_mean(t, known))
            wanted_types.add(t)
    lo = DAY_MIN if since is None else window(since)[0]
    hi = DAY_MAX if until is None else window(until)[1]
    if lo > hi:
        raise InvalidDateError(f"--until {until} is before --since {since}")

    events: list[tuple[int, int, str, Extent, Event]] = []
    for e in kb.events:
        if wanted_types is not None and e.type not in wanted_types:
            continue
        if wanted is not None and not wanted.intersection(e.actor_ids):
            continue
        extent = e.date.extent
        if extent.lo > hi or extent.hi < lo:
            continue
        events.append((extent.lo, extent.hi, e.id, extent, e))
    events.sort(key=lambda row: row[:3])  # ids are unique: the sort never compares events
    relations: list[Relation] = []
    relation_extents: list[Extent] = []
    for r in kb.relations:
        if wanted_types is not None and r.type not in wanted_types:
            continue
        if wanted is not None and r.from_ not in wanted and r.to not in wanted:
            continue
        extent = r.extent
        if extent.lo > hi or extent.hi < lo:
            continue
        relations.append(r)
        relation_extents.append(extent)
    return _Selection(
        [row[4] for row in events], [row[3] for row in events], relations, relation_extents
    )


def timeline(
    kb: KnowledgeBase,
    actors: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    since: object | None = None,
    until: object | None = None,
    *,
    escalation: EscalationIndexLike | None = None,
    lanes: LaneMode = "auto",
    max_lanes: int = 30,
    webgl: bool | None = None,
    webgl_threshold: int = 2000,
    label_limit: int = 400,
    brief_hover_over: int = 20_000,
    relation_marker_limit: int = 5_000,
) -> Any:
    """Build the timeline figure of a knowledge base (a ``plotly.graph_objects.Figure``).

    Args:
        kb: The knowledge base.
        actors: Keep items involving any of these actors (ids, names or aliases).
        types: Keep events and relations of these types.
        since: Keep items that possibly fall on or after this partial date.
        until: Keep items that possibly fall on or before this partial date.
        escalation: An escalation index (see :mod:`graphkit.render.escalation`), drawn as a
            panel under the timeline on the same time axis.
        lanes: One lane per actor, per actor group (top ``part_of`` ancestor), or ``auto``.
        max_lanes: At most this many lanes; the least busy actors share an "other actors" lane.
        webgl: Use WebGL traces; by default when there are more than ``webgl_threshold`` events.
        webgl_threshold: See ``webgl``.
        label_limit: Label markers with their figures when there are at most this many events.
        brief_hover_over: Shorten hover labels (summary, type, id, date, first source) above
            this many events (relations: above a quarter of it), to keep large files small; above
            it markers are also smaller and drawn without their outline.
        relation_marker_limit: Above this many relations, their start markers are grouped per
            type, lane and time bin (at most this many markers; the bars stay one per relation,
            and only ongoing ends keep their ``▶``).

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.load("data/events.yaml")
        >>> fig = timeline(kb, actors=["PRK"], since="2024-10", until="2024-12")
        >>> "North Korea" in fig.layout.yaxis.ticktext
        True

    Raises:
        UnknownActorError: For an unknown actor.
        UnknownIdError: For an unknown type.
    """
    if max_lanes < 2:
        raise ValueError("max_lanes must be at least 2")
    with gc_paused():  # bulk allocation of short-lived text and lists: see graphkit._gc
        return _timeline(
            kb,
            _select(kb, actors, types, since, until),
            escalation,
            lanes=lanes,
            max_lanes=max_lanes,
            webgl=webgl,
            webgl_threshold=webgl_threshold,
            label_limit=label_limit,
            brief_hover_over=brief_hover_over,
            relation_marker_limit=relation_marker_limit,
        )


def _timeline(
    kb: KnowledgeBase,
    chosen: _Selection,
    escalation: EscalationIndexLike | None,
    *,
    lanes: LaneMode,
    max_lanes: int,
    webgl: bool | None,
    webgl_threshold: int,
    label_limit: int,
    brief_hover_over: int,
    relation_marker_limit: int,
) -> Any:
    n_events, n_relations = len(chosen.events), len(chosen.relations)
    lane_of, lane_order = _lanes(kb, chosen.events, chosen.relations, lanes, max_lanes)
    builder = _Builder(
        kb,
        chosen,
        lane_of,
        lane_order,
        webgl=n_events > webgl_threshold if webgl is None else webgl,
        labels=n_events <= label_limit,
        brief=n_events > brief_hover_over,
        brief_relations=n_relations > brief_hover_over // 4,
        dense=n_events > brief_hover_over,
        relation_marker_limit=relation_marker_limit,
    )
    return builder.figure(escalation)
