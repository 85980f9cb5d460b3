"""The figure builder: places every event and relation, then assembles traces and layout."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import plotly.graph_objects as go

from graphkit.model.dates import DAY_MAX, DAY_MIN, Extent, PartialDate, Span
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
from graphkit.render.timeline.controls import apply_layout
from graphkit.render.timeline.labels import declutter, figure_label, figure_size, quantity_size
from graphkit.render.timeline.lanes import NO_ACTOR_LANE, OTHER_LANE, first_actor
from graphkit.render.timeline.selection import Selection, data_bounds, initial_view
from graphkit.render.timeline.traces import Encoder, Points, Segments, one

if TYPE_CHECKING:
    from graphkit.kb import KnowledgeBase

__all__ = ["Builder"]

#: Relation bars sit this far below their lane's line of events (in lanes).
RELATION_OFFSET = 0.28
_START_SYMBOLS = {"open-start": "triangle-left", "end": "square"}
_START_SIZES = {"open-start": 12, "end": 7}
#: Bin widths (days) tried for grouped relation start markers, shortest first.
_BIN_DAYS = (1, 7, 14, 30, 61, 91, 182, 365, 730, 1826, 3652, 36525)
#: Relations named in the hover of a group of relation start markers.
_GROUP_LINES = 4
#: Markers of dense figures (above ``brief_hover_over`` events) are this much smaller.
_DENSE_SCALE = 0.6


class Builder:
    """Collects the points and bars of every trace, then makes the figure."""

    def __init__(
        self,
        kb: KnowledgeBase,
        chosen: Selection,
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
        self.enc = Encoder(webgl=webgl)
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
        self.lo, self.hi = data_bounds(chosen)
        self.lo_ms, self.hi_ms = ordinal_ms(self.lo), ordinal_ms(self.hi + 1)
        self.view = initial_view(chosen.event_extents, self.lo, self.hi)
        # per event type
        self.kinds: set[str] = set()
        self.markers: dict[str, Points] = defaultdict(Points)
        self.spans: dict[str, Points] = defaultdict(Points)  # the start of each duration
        self.planned: dict[str, Points] = defaultdict(Points)
        self.ongoing: dict[str, dict[tuple[float, float, str], None]] = defaultdict(dict)
        self.durations: dict[str, Segments] = defaultdict(Segments)
        self.extents: dict[str, Segments] = defaultdict(Segments)
        self.connectors: dict[str, Segments] = defaultdict(Segments)
        # per relation type
        self.sure: dict[str, Segments] = defaultdict(Segments)
        self.unsure: dict[str, Segments] = defaultdict(Segments)
        self.ends: dict[str, Points] = defaultdict(Points)
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
        """Place one event: its marker, its extent or duration bar, its plans."""
        first = first_actor(event)
        lane = self.lane_index[
            NO_ACTOR_LANE if first is None else self.lane_of.get(first, OTHER_LANE)
        ]
        hover = self.d.event_hover(event, brief=self.brief)
        url = self.d.first_url(event.sources)
        lo_ms = ordinal_ms(extent.lo)
        size = self.marker_size(quantity_size(event.quantities))
        label = figure_label(event.quantities) if self.labels else ""
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
        """Marker diameter in px, smaller in dense figures."""
        return round(size * _DENSE_SCALE, 1) if self.dense else size

    def add_planned(
        self, event: Event, quantity: Quantity, lane: int, from_ms: float, url: str | None
    ) -> None:
        """Place a planned figure at its target date, joined to its event by a dotted line."""
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
            size=self.marker_size(figure_size(abs(quantity.central))),
            text=esc(text) if self.labels else "",
        )
        if at != from_ms:
            self.connectors[event.type].add(min(at, from_ms), max(at, from_ms), lane)

    def add_relation(self, relation: Relation, extent: Extent) -> None:
        """Place one relation: its bar (certain and uncertain parts), start marker and tip."""
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
        """Place every item and return the figure."""
        chosen = self.chosen
        for event, extent in zip(chosen.events, chosen.event_extents, strict=True):
            self.add_event(event, extent)
        for relation, extent in zip(chosen.relations, chosen.relation_extents, strict=True):
            self.add_relation(relation, extent)
        if self.group_relations:
            self.grouped_ends()
        if self.labels:
            declutter(self.view, ((self.markers, self.spans), (self.planned,)))
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
        apply_layout(
            layout,
            traces,
            rows=rows,
            lanes=self.lanes,
            view=self.view,
            webgl=self.webgl,
            title=f"{len(self.events):,} events, {len(self.relations):,} relations",
            d=self.d,
            kinds=self.sorted_kinds(),
        )
        return go.Figure(data=traces, layout=layout, _validate=not self.webgl)

    def sorted_kinds(self) -> list[str]:
        """The event types drawn, by label."""
        return sorted(self.kinds, key=lambda k: self.d.type_label(k).casefold())

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

    def event_traces(self) -> list[Any]:
        """Per event type: duration, extent and plan bars, ongoing tips, markers, plans."""
        traces: list[Any] = []
        d, enc = self.d, self.enc
        for kind in self.sorted_kinds():
            colour, name = d.colour(kind), d.type_label(kind)
            meta = {"kind": "event", "type": kind}
            for bars, style in (
                (self.durations, {"width": 7, "opacity": 0.55}),
                (self.extents, {"width": 6, "opacity": 0.28}),
                (self.connectors, {"width": 1.5, "opacity": 0.9, "dash": "dot"}),
            ):
                if kind in bars:
                    traces.append(enc.bar(bars[kind], name, kind, colour, meta, **style))
            if kind in self.ongoing:
                traces.append(
                    enc.tips(
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
                    enc.markers(
                        points,
                        name=name,
                        legendgroup=kind,
                        showlegend=legend,
                        textposition="top center",
                        textfont={"size": 10, "color": colour},
                        marker={
                            "color": colour,
                            "size": enc.sizes(points.size),
                            "symbol": one(points.symbol),
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
                    enc.markers(
                        p,
                        name=f"{name} (planned)",
                        legendgroup=kind,
                        showlegend=False,
                        textposition="bottom center",
                        textfont={"size": 10, "color": colour},
                        marker={
                            "color": colour,
                            "size": enc.sizes(p.size),
                            "symbol": "circle-open",
                            "line": {"color": colour, "width": 2},
                        },
                        meta={"kind": "planned", "type": kind},
                    )
                )
        return traces

    def relation_traces(self) -> list[Any]:
        """Per relation type: uncertain and certain bars, end tips, start markers."""
        traces: list[Any] = []
        d, enc = self.d, self.enc
        for kind in sorted(self.ends, key=lambda k: d.type_label(k).casefold()):
            colour, name = d.colour(kind), "relation: " + d.type_label(kind)
            group = "rel:" + kind
            meta = {"kind": "relation", "type": kind}
            if kind in self.unsure:
                traces.append(
                    enc.bar(self.unsure[kind], name, group, colour, meta, width=5, opacity=0.25)
                )
            if kind in self.sure:
                traces.append(
                    enc.bar(
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
                    enc.tips(
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
                enc.markers(
                    self.ends[kind],
                    name=name,
                    legendgroup=group,
                    showlegend=kind not in self.sure,
                    marker={
                        "color": colour,
                        "size": enc.sizes(self.ends[kind].size),
                        "symbol": one(self.ends[kind].symbol),
                        "line": {"color": colour, "width": 2},
                    },
                    meta=meta,
                )
            )
        return traces
