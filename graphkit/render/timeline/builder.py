"""The figure builder: places every event and relation in its lane and row, then draws them.

The order of work: the drawn *window* (:func:`window_of`: where the events are, or the
``since``/``until`` window), lanes packed into rows (:mod:`.packing`), items collected per type
with their row's y, then traces (:mod:`.traces`), the overview of large figures
(:mod:`.overview`) and the layout (:mod:`.controls`).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from graphkit.model.dates import DAY_MAX, DAY_MIN, Extent, PartialDate, Span, window
from graphkit.model.event import Event, Quantity
from graphkit.model.relation import Relation
from graphkit.render._describe import (
    DAY_MS,
    EPOCH_ORDINAL,
    Describer,
    ms_text,
    ordinal_ms,
    quantity_text,
)
from graphkit.render._figure import Figure
from graphkit.render._hovers import BriefHovers, HoverTables, Urls
from graphkit.render._html import esc, join, wrap
from graphkit.render.escalation import EscalationIndexLike, escalation_series
from graphkit.render.timeline.controls import Frame, apply_layout, empty_figure
from graphkit.render.timeline.labels import event_label, figure_text, label_px, label_rank
from graphkit.render.timeline.lanes import NO_ACTOR_LANE, OTHER_LANE
from graphkit.render.timeline.overview import density_traces, miniature_trace, overview_meta
from graphkit.render.timeline.packing import (
    NOMINAL_WIDTH_PX,
    Band,
    bands,
    label_side,
    pack_intervals,
    pack_points,
    relation_label_place,
)
from graphkit.render.timeline.selection import Selection, data_bounds
from graphkit.render.timeline.traces import Boxes, Encoder, Points, Segments, TypeStyle

if TYPE_CHECKING:
    from graphkit.kb import KnowledgeBase

__all__ = ["Builder", "Options", "window_of"]

_START_SYMBOLS = {"open-start": "triangle-left", "end": "square"}
_START_SIZES = {"open-start": 12, "end": 7}
#: Bin widths (days) tried for grouped relation start markers, shortest first.
_BIN_DAYS = (1, 7, 14, 30, 61, 91, 182, 365, 730, 1826, 3652, 36525)
#: Relations named in the hover of a group of relation start markers.
_GROUP_LINES = 4
#: Marker diameter (px); dense figures (above ``brief_hover_over`` events) draw 0.6 of it.
MARKER_SIZE = 10.0
_DENSE_SCALE = 0.6
#: Event rows: with labels, a lane grows to this many rows for labels, this many for markers.
_LABEL_ROWS, _MARKER_ROWS = 3, 8
#: WebGL figures: rows per lane for markers (no labels) and for relation types.
_GL_MARKER_ROWS, _GL_RELATION_ROWS = 3, 4
#: WebGL figures are packed as if 60 days filled the plot (events show when zoomed in).
_GL_PACK_DAYS = 60


@dataclass(frozen=True)
class Options:
    """How a figure is drawn (chosen by :func:`graphkit.render.timeline.timeline`)."""

    webgl: bool
    labels: bool
    brief: bool
    brief_relations: bool
    dense: bool
    relation_marker_limit: int
    overview: bool
    ids: bool
    detail_max: int = 20_000
    title: str | None = None
    subtitle: str | None = None


def window_of(chosen: Selection, since: object | None, until: object | None) -> tuple[int, int]:
    """The days the figure is about: ``since``/``until`` when given, else the events' extent.

    Without events, the relations' known dates. Relations reaching beyond the window are cut at
    its edges (with a "since 1949" label), so the first view shows the story, not the background.
    """
    los = [x.lo for x in chosen.event_extents]
    his = [x.hi if x.hi < DAY_MAX else x.lo for x in chosen.event_extents]
    if los:
        lo, hi = min(los), max(his)
    else:
        lo, hi = data_bounds(chosen)
    if since is not None:
        lo = window(since)[0]
    if until is not None:
        hi = window(until)[1]
    return lo, max(lo, hi)


@dataclass
class _Placed:
    """An event on its way to a trace: its lane, x and label, then its row."""

    event: Event
    extent: Extent
    lane: int
    x: float
    label: str
    left: float
    right: float
    plan_right: float
    side: str = "middle right"


class Builder:
    """Collects the points and bars of every trace, then makes the figure."""

    def __init__(
        self,
        kb: KnowledgeBase,
        chosen: Selection,
        lane_of: dict[str, str],
        lanes: list[str],
        options: Options,
        *,
        since: object | None = None,
        until: object | None = None,
    ) -> None:
        self.kb = kb
        self.d = Describer(kb)
        self.chosen = chosen
        self.events = chosen.events
        self.relations = relations = chosen.relations
        self.lane_of = lane_of
        self.lanes = lanes
        self.lane_index = {label: i for i, label in enumerate(lanes)}
        self.o = options
        self.webgl = options.webgl
        self.enc = Encoder(webgl=options.webgl)
        # Above the limit, relation start markers are grouped (see ``grouped_ends``).
        self.group_relations = len(relations) > options.relation_marker_limit
        self.starts: dict[str, list[tuple[float, float, str, Relation]]] = defaultdict(list)
        self.lo, self.hi = window_of(chosen, since, until)
        self.lo_ms, self.hi_ms = ordinal_ms(self.lo), ordinal_ms(self.hi + 1)
        pad = max((self.hi_ms - self.lo_ms) * 0.03, 2 * DAY_MS)
        self.view = (self.lo_ms - pad, self.hi_ms + pad)
        # bars reaching beyond the window are cut here, inside the first view
        self.clip = (self.lo_ms - pad / 2, self.hi_ms + pad / 2)
        self.bounds = list(self.view)
        # the first view drawn NOMINAL_WIDTH_PX wide: the scale rows are packed at
        self.px_per_ms = NOMINAL_WIDTH_PX / (self.view[1] - self.view[0])
        # per type: what each trace draws
        self.kinds: set[str] = set()
        # brief event hovers: compact columns indexing tables the figure shares (_hovers.py)
        self.tables = HoverTables(self.d) if options.brief else None
        self.markers: dict[str, Points] = defaultdict(self.event_points)
        self.spans: dict[str, Points] = defaultdict(self.event_points)  # durations' starts
        self.planned: dict[str, Points] = defaultdict(Points)
        self.ongoing: dict[str, dict[tuple[float, float, str], None]] = defaultdict(dict)
        self.durations: dict[str, Boxes] = defaultdict(Boxes)
        self.extents: dict[str, Boxes] = defaultdict(Boxes)
        self.connectors: dict[str, Segments] = defaultdict(Segments)
        self.sure: dict[str, Boxes] = defaultdict(Boxes)
        self.unsure: dict[str, Boxes] = defaultdict(Boxes)
        self.ends: dict[str, Points] = defaultdict(Points)
        self.tips: dict[str, dict[tuple[float, float, str], None]] = defaultdict(dict)
        # relation labels (SVG): text at a bar's start, or at its end near the right edge
        self.relation_labels: dict[str, Points] = defaultdict(Points)
        self.involves: dict[str, list[str]] = {}
        self.bands: list[Band] = []

    def event_points(self) -> Points:
        """The columns of an event trace (compact hover columns for brief hovers)."""
        if self.tables is None:
            return Points()
        return Points(hover=BriefHovers(self.tables), url=Urls(self.tables))

    # ---- placing ------------------------------------------------------------------------------

    def lane(self, actor_ids: Iterable[str | None]) -> int:
        """The lane index of an item, from its first actor."""
        for actor_id in actor_ids:
            if actor_id is not None:
                return self.lane_index[self.lane_of.get(actor_id, OTHER_LANE)]
        return self.lane_index[NO_ACTOR_LANE]

    def px(self, ms: float) -> float:
        """Pixels from the view's left edge at the nominal packing scale."""
        return (ms - self.view[0]) * self.px_per_ms

    def place_events_by_day(self) -> list[tuple[int, float, int]]:
        """WebGL figures: each event's lane, x and row (no labels, so no packing by width).

        Events of one lane on one day take the rows in turn (at most ``_GL_MARKER_ROWS``), so
        the events of a day sit apart when one zooms in; computed in bulk with numpy.
        """
        events, extents = self.chosen.events, self.chosen.event_extents
        lanes = self.event_lane
        xs = _middles(events, extents)
        if not xs:
            return []
        lane_of = np.asarray(lanes, dtype=np.int64)
        day = np.floor_divide(np.asarray(xs, dtype=np.float64), DAY_MS).astype(np.int64)
        order = np.lexsort((np.arange(len(xs)), day, lane_of))
        key = lane_of[order] * (1 << 40) + (day[order] - day.min())
        starts = np.r_[0, np.flatnonzero(np.diff(key)) + 1]
        first = np.repeat(starts, np.diff(np.r_[starts, len(key)]))
        rows = np.empty(len(xs), dtype=np.int64)
        rows[order] = (np.arange(len(xs)) - first) % _GL_MARKER_ROWS
        used = np.zeros(len(self.lanes), dtype=np.int64)
        np.maximum.at(used, lane_of, rows + 1)
        self.event_rows = used.tolist()
        return list(zip(lanes, xs, rows.tolist(), strict=True))

    def place_events(self) -> list[tuple[_Placed, int, bool]]:
        """Every event with its row in its lane and whether its label fits the first view."""
        o, r = self.o, MARKER_SIZE / 2
        per_lane: dict[int, list[_Placed]] = defaultdict(list)
        for event, extent, lane in zip(
            self.chosen.events, self.chosen.event_extents, self.event_lane, strict=True
        ):
            x = _middle_ms(event, extent)
            label = event_label(event, self.d.type_label(event.type)) if o.labels else ""
            left = min(self.px(ordinal_ms(extent.lo)), self.px(x) - r)
            hi_ms = self.clip[1] if extent.hi >= DAY_MAX else ordinal_ms(extent.hi + 1)
            right = max(self.px(min(hi_ms, self.clip[1])), self.px(x) + r)
            plan_right = right
            for q in event.quantities:
                target = q.by or q.as_of
                if q.planned and target is not None:
                    at = self.px((ordinal_ms(target.lo) + ordinal_ms(target.hi + 1)) / 2)
                    words = label_px(figure_text(q)) if o.labels else 0
                    plan_right = max(plan_right, at + r + words)
            per_lane[lane].append(_Placed(event, extent, lane, x, label, left, right, plan_right))
        out: list[tuple[_Placed, int, bool]] = []
        self.event_rows = [0] * len(self.lanes)
        for lane, items in per_lane.items():
            boxes = []
            for p in items:
                label_right, marker_left = p.plan_right, p.left
                if p.label:
                    words = label_px(p.label) + 4
                    p.side = label_side(self.px(p.x), r, words, p.left, p.right)
                    if p.side == "middle left":  # written leftwards
                        p.left = min(p.left, self.px(p.x) - r - words)
                    else:
                        label_right = max(label_right, self.px(p.x) + r + words)
                boxes.append((p.left, p.plan_right, label_right, marker_left))
            order = sorted(
                range(len(items)), key=lambda i: (boxes[i][0], items[i].x, items[i].event.id)
            )
            items = [items[i] for i in order]
            boxes = [boxes[i] for i in order]
            rows = pack_points(boxes, label_rows=_LABEL_ROWS, max_rows=_MARKER_ROWS)
            self.event_rows[lane] = max(row for row, _ in rows) + 1
            out.extend((p, row, fits) for p, (row, fits) in zip(items, rows, strict=True))
        return out

    def relation_rows(self) -> list[int]:
        """Each relation's row in its lane: packed by interval, or one row per type (WebGL)."""
        lane_of: dict[str | None, int] = {}
        lanes: list[int] = []
        self.relation_lanes = lanes
        for relation in self.relations:  # the lane of its first actor: from, else to
            actor = relation.from_ if relation.from_ is not None else relation.to
            lane = lane_of.get(actor)
            if lane is None:
                lane = lane_of[actor] = self.lane((actor,))
            lanes.append(lane)
        self.relation_row_count = [0] * len(self.lanes)
        if self.webgl:
            return self._rows_by_type()
        rows = [0] * len(self.relations)
        per_lane: dict[int, list[int]] = defaultdict(list)
        for i, lane in enumerate(lanes):
            per_lane[lane].append(i)
        for lane, members in per_lane.items():
            spans = []
            for i in members:
                lo, hi, *_ = self.relation_span(i)
                words = label_px(self.relation_label(self.relations[i], lo)) + 8
                spans.append(relation_label_place(self.px(lo), self.px(hi), words)[2:])
            packed = pack_intervals(spans)
            for i, row in zip(members, packed, strict=True):
                rows[i] = row
            self.relation_row_count[lane] = max(packed) + 1
        return rows

    def _rows_by_type(self) -> list[int]:
        """WebGL figures: a lane's relation types take its rows in name order, in turn."""
        if not self.relations:
            return []
        kinds = [relation.type for relation in self.relations]
        types = sorted(set(kinds))
        code = {t: j for j, t in enumerate(types)}
        pair = np.asarray(self.relation_lanes, dtype=np.int64) * len(types) + np.asarray(
            [code[t] for t in kinds], dtype=np.int64
        )
        # the distinct (lane, type) pairs in lane order, types by name within a lane
        pairs, inverse = np.unique(pair, return_inverse=True)
        pair_lanes = pairs // len(types)
        first_of_lane = np.searchsorted(pair_lanes, pair_lanes, side="left")
        rank = np.arange(len(pairs)) - first_of_lane
        lanes_used, per_lane = np.unique(pair_lanes, return_counts=True)
        for lane, count in zip(lanes_used.tolist(), per_lane.tolist(), strict=True):
            self.relation_row_count[lane] = min(count, _GL_RELATION_ROWS)
        rows: list[int] = (rank % _GL_RELATION_ROWS)[inverse.reshape(-1)].tolist()
        return rows

    def relation_span(self, i: int) -> tuple[float, float, float, float]:
        """A relation's drawn interval and its certain part (ms), cut at the window's edges."""
        return self.relation_spans[i]

    @cached_property
    def relation_spans(self) -> list[tuple[float, float, float, float]]:
        """Every relation's drawn interval and certain part (see :meth:`relation_span`)."""
        columns = self.relation_span_array.T.tolist()
        return list(zip(*columns, strict=True)) if columns else []

    @cached_property
    def relation_span_array(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """:attr:`relation_spans` as an array (a row per relation), computed column-wise.

        A relation reaching into the window is cut at its edges (``clip``); one wholly outside
        it (only without since/until) keeps its own dates, an open end drawn to the window's
        first or last day. The certain part lies within the drawn interval. Epoch milliseconds
        are whole numbers far below 2**53: exact as floats.
        """
        n = len(self.chosen.relation_extents)
        if not n:
            return np.zeros((0, 4), dtype=np.float64)
        days = np.array([x[:4] for x in self.chosen.relation_extents], dtype=np.int64)
        ms = ((days - EPOCH_ORDINAL) * DAY_MS).astype(np.float64)
        day_ms = float(DAY_MS)
        lo = np.where(days[:, 0] <= DAY_MIN, -np.inf, ms[:, 0])
        hi = np.where(days[:, 1] >= DAY_MAX, np.inf, ms[:, 1] + day_ms)
        sure_lo = np.where(days[:, 2] <= DAY_MIN, lo, ms[:, 2])
        sure_hi = np.where(days[:, 3] >= DAY_MAX, hi, ms[:, 3] + day_ms)
        inside = (hi > self.clip[0]) & (lo < self.clip[1])  # cut at the window's edges
        lo_cut = np.where(
            inside, np.maximum(lo, self.clip[0]), np.where(lo == -np.inf, self.lo_ms, lo)
        )
        hi_cut = np.where(
            inside, np.minimum(hi, self.clip[1]), np.where(hi == np.inf, self.hi_ms, hi)
        )
        return np.stack(
            [
                lo_cut,
                hi_cut,
                np.minimum(np.maximum(sure_lo, lo_cut), hi_cut),
                np.maximum(np.minimum(sure_hi, hi_cut), lo_cut),
            ],
            axis=1,
        )

    @cached_property
    def event_lo_ms(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Every event's first possible moment (epoch ms), as a numpy array (for the bins)."""
        return np.array([ordinal_ms(x.lo) for x in self.chosen.event_extents], dtype=np.float64)

    def relation_label(self, relation: Relation, lo: float) -> str:
        """``member of NATO`` (the lane's actor is the subject), with ``◀ since …`` when cut."""
        d = self.d
        subject = ""
        if self.lane_of.get(relation.from_) != d.actor_name(relation.from_):
            subject = d.plain_name(relation.from_) + " "
        text = f"{subject}{d.plain_type(relation.type)} {d.plain_name(relation.to)}"
        if lo <= self.clip[0] and (relation.start is None or ordinal_ms(relation.start.lo) < lo):
            since = "start not recorded" if relation.start is None else f"since {relation.start}"
            text = f"◀ {since} · {text}"
        return text

    # ---- collecting ---------------------------------------------------------------------------

    def add_events(
        self,
        events: Sequence[Event],
        extents: Sequence[Extent],
        xs: Sequence[float],
        ys: Sequence[float],
        labels: Sequence[tuple[str, bool, str]] | None = None,
    ) -> None:
        """The events, in this order: markers (and labels), extent or duration bars, plans.

        ``labels`` gives each event's label, whether it fits the first view and its side (SVG
        figures). Built column by column: one pass sorts the events into their traces (per
        type, markers or duration starts) and draws their bars; each trace's columns are then
        taken from per-event columns computed once (hover markup, or brief hover codes).
        """
        o, d = self.o, self.d
        clip_hi = self.clip[1]
        extent_boxes, duration_boxes, ongoing = self.extents, self.durations, self.ongoing
        groups: dict[tuple[str, bool], list[int]] = {}
        for i, (event, extent, y) in enumerate(zip(events, extents, ys, strict=True)):
            kind = event.type
            lo_ms = (extent.lo - EPOCH_ORDINAL) * DAY_MS
            when = event.date
            if isinstance(when, Span):
                end_ms = clip_hi if when.end is None else (extent.hi + 1 - EPOCH_ORDINAL) * DAY_MS
                duration_boxes[kind].span(lo_ms, min(end_ms, clip_hi), y)
                if when.end is None or end_ms > clip_hi:
                    ongoing[kind][(min(end_ms, clip_hi), y, "ongoing")] = None
                key = (kind, True)
            else:
                if extent.hi > extent.lo:  # an uncertain moment: its whole extent, hatched
                    extent_boxes[kind].span(lo_ms, (extent.hi + 1 - EPOCH_ORDINAL) * DAY_MS, y)
                key = (kind, False)
            members = groups.get(key)
            if members is None:
                members = groups[key] = []
            members.append(i)
            if event.quantities:
                for quantity in event.quantities:
                    if quantity.planned:
                        self.add_planned(event, quantity, y, xs[i], d.first_url(event.sources))
        brief = self.tables.columns(events) if self.tables is not None else None
        hovers = urls = None
        if brief is None:
            hovers = [d.event_hover(event) for event in events]
            urls = [d.first_url(event.sources) for event in events]
        size = MARKER_SIZE * _DENSE_SCALE if o.dense else MARKER_SIZE
        for (kind, is_span), members in groups.items():
            self.kinds.add(kind)
            # a trace of their own: one marker symbol per WebGL trace draws in one pass
            points = (self.spans if is_span else self.markers)[kind]
            n = len(members)
            points.x += [xs[i] for i in members]
            points.y += [ys[i] for i in members]
            if brief is not None:
                points.hover.take(brief, members)
                points.url.take(brief, members)
            else:
                assert hovers is not None and urls is not None
                points.hover += [hovers[i] for i in members]
                points.url += [urls[i] for i in members]
            points.size += [size] * n
            points.symbol += ["diamond" if is_span else d.symbol(kind)] * n
            if labels is None:
                points.text += [""] * n
                points.rank += [0] * n
                points.side += ["middle right"] * n
            else:
                for i in members:
                    text, shown, side = labels[i]
                    points.text.append(esc(text) if text else "")
                    points.rank.append(label_rank(events[i]) + (0 if shown else 3) if text else 0)
                    points.side.append(side)
            if o.ids:
                points.ids += [events[i].id for i in members]

    def add_planned(
        self, event: Event, quantity: Quantity, y: float, from_ms: float, url: str | None
    ) -> None:
        """A planned figure at its target date, joined to its event by a dotted line."""
        target = quantity.by or quantity.as_of
        at = from_ms
        if target is not None:
            first, last = ordinal_ms(target.lo), ordinal_ms(target.hi + 1)
            at = (first + last) / 2
            if target.hi > target.lo:
                self.extents[event.type].span(first, last, y)
        hover = join(
            [
                "<b>planned: " + esc(quantity_text(quantity)) + "</b>",
                wrap(event.summary or event.id, 80, max_lines=3),
                f"<i>{esc(event.id)}</i>",
            ]
        )
        self.planned[event.type].add(
            at,
            y,
            hover,
            url,
            size=(MARKER_SIZE * _DENSE_SCALE if self.o.dense else MARKER_SIZE),
            symbol="circle-open",
            # a plan without a date of its own sits on its event: the event's title speaks
            text=esc(figure_text(quantity)) if self.o.labels and at != from_ms else "",
            rank=4,
            ident=(f"{event.id}/planned" if self.o.ids else None),
        )
        if at != from_ms:
            self.connectors[event.type].add(min(at, from_ms), max(at, from_ms), y)

    def add_relation(self, i: int, y: float) -> None:
        """One relation of an SVG figure: its bar (certain and uncertain parts), tip, hover."""
        relation = self.relations[i]
        kind = relation.type
        lo, hi, sure_lo, sure_hi = self.relation_span(i)
        d = self.d
        hover = d.relation_hover(relation, brief=self.o.brief_relations)
        url = None if self.o.brief_relations else d.first_url(relation.sources)
        text = esc(self.relation_label(relation, lo))
        ident = relation.id if self.o.ids else None
        if sure_lo < sure_hi:
            self.sure[kind].add(sure_lo, sure_hi, y, hover, url, "", ident)
            for a, b in ((lo, sure_lo), (sure_hi, hi)):
                if a < b:
                    self.unsure[kind].add(a, b, y, hover, url, "", ident)
        else:
            self.unsure[kind].add(lo, hi, y, hover, url, "", ident)
        words = label_px(self.relation_label(relation, lo)) + 8
        side, at_start, _, _ = relation_label_place(self.px(lo), self.px(hi), words)
        self.relation_labels[kind].add(lo if at_start else hi, y, symbol=side, text=text)
        if relation.end is None or hi >= self.clip[1]:
            self.tips[kind][(hi, y, "ongoing")] = None

    def add_relations_lines(self, ys: Sequence[float]) -> None:
        """The relations of a WebGL figure (at ``ys``): merged line segments, start markers."""
        sure_lines, unsure_lines, tips, starts = self.sure, self.unsure, self.tips, self.starts
        grouped = self.group_relations
        d, brief, ids = self.d, self.o.brief_relations, self.o.ids
        for relation, (lo, hi, sure_lo, sure_hi), y in zip(
            self.relations, self.relation_spans, ys, strict=True
        ):
            kind = relation.type
            if sure_lo < sure_hi:
                sure_lines[kind].span(sure_lo, sure_hi, y)
                if lo < sure_lo:
                    unsure_lines[kind].span(lo, sure_lo, y)
                if sure_hi < hi:
                    unsure_lines[kind].span(sure_hi, hi, y)
            else:
                unsure_lines[kind].span(lo, hi, y)
            start_symbol = "open-start" if relation.start is None else "end"
            if grouped:  # hover text only for the few shown per group, later
                starts[kind].append((lo, y, start_symbol, relation))
                if relation.end is None:
                    tips[kind][(hi, y, "ongoing")] = None
                continue
            self.ends[kind].add(
                lo,
                y,
                d.relation_hover(relation, brief=brief),
                None if brief else d.first_url(relation.sources),
                size=_START_SIZES[start_symbol],
                symbol=_START_SYMBOLS[start_symbol],
                ident=relation.id if ids else None,
            )
            tips[kind][(hi, y, "ongoing" if relation.end is None else "end")] = None

    # ---- the figure ---------------------------------------------------------------------------

    def figure(self, escalation: EscalationIndexLike | None) -> Any:
        """Place every item and return the figure."""
        if not self.events and not self.relations:
            return empty_figure(self.frame(0.0), "Nothing to show: no event or relation matches.")
        index, lane_of = self.lane_index, self.lane_of
        self.event_lane = [
            index[lane_of.get(a, OTHER_LANE)] if a is not None else index[NO_ACTOR_LANE]
            for a in self.chosen.first_actors
        ]
        if self.webgl:
            by_day = self.place_events_by_day()
        else:
            placed = self.place_events()
        relation_rows = self.relation_rows()
        self.bands = bands(self.lanes, self.event_rows, self.relation_row_count)
        event_y = _Rows(self.bands, relation=False)
        if self.webgl:
            self.add_events(
                self.events,
                self.chosen.event_extents,
                [x for _, x, _ in by_day],
                [event_y(lane, row) for lane, _, row in by_day],
            )
        else:
            self.add_events(
                [p.event for p, _, _ in placed],
                [p.extent for p, _, _ in placed],
                [p.x for p, _, _ in placed],
                [event_y(p.lane, row) for p, row, _ in placed],
                [(p.label, fits, p.side) for p, _, fits in placed],
            )
        relation_y = _Rows(self.bands, relation=True)
        ys = [
            relation_y(lane, row)
            for lane, row in zip(self.relation_lanes, relation_rows, strict=True)
        ]
        if self.webgl:
            self.add_relations_lines(ys)
        else:
            for i, y in enumerate(ys):
                self.add_relation(i, y)
        if self.o.ids:
            for relation in self.relations:
                self.involves[relation.id] = [relation.from_, relation.to]
        if self.o.ids:
            for event in self.events:
                self.involves[event.id] = event.actor_ids
        if self.group_relations:
            self.grouped_ends()
        styles = self.styles()
        traces = self.enc.event_traces(self, styles) + self.enc.relation_traces(self, styles)
        total = self.bands[-1].bottom if self.bands else 1.0
        if self.o.overview:
            for trace in traces:  # drawn when zoomed in (see overview.py)
                if trace["meta"].get("kind") in ("event", "planned", "relation"):
                    trace["visible"] = False
            traces.extend(density_traces(self, styles))
        if escalation is not None and not list(escalation.points):
            escalation = None  # an empty index: no panel (an empty step line draws NaN paths)
        rows = 2 if escalation is not None else 1
        layout: dict[str, Any] = {}
        if escalation is not None:
            layout = _panel_layout()
            for trace in traces:
                trace.update(xaxis="x", yaxis="y")
            events = self.kb.events
            panel = escalation_series(
                escalation,
                summary=lambda i: e.summary if (e := events.get(i)) is not None else None,
            )
            traces.append({**panel, "xaxis": "x2", "yaxis": "y2"})
            layout["yaxis2"].update(title={"text": "escalation"}, rangemode="tozero")
        elif self.events:
            traces.append(miniature_trace(self, total))
        # Traces are plain dicts, drawn as they are: plotly.py's graph objects are built (and
        # validated) only if Python code asks for them (see graphkit.render._figure).
        apply_layout(layout, traces, self.frame(total), rows=rows, styles=styles)
        return Figure(traces, layout)

    def frame(self, total: float) -> Frame:
        """What the layout needs to know about the drawing."""
        d = self.d
        n_events, n_relations = len(self.events), len(self.relations)
        counts = f"{n_events:,} event{'s' if n_events != 1 else ''}, "
        counts += f"{n_relations:,} relation{'s' if n_relations != 1 else ''}"
        if n_events or n_relations:
            counts += f" · {ms_text(self.lo_ms)[:10]} – {ms_text(self.hi_ms - DAY_MS)[:10]}"
        return Frame(
            bands=self.bands,
            lanes=self.lanes,
            total=total,
            view=self.view,
            bounds=(self.view[0], self.view[1]),
            webgl=self.webgl,
            title=self.o.title,
            subtitle=self.o.subtitle,
            counts=counts,
            overview=overview_meta(self) if self.o.overview and self.events else None,
            involves=self.involves if self.o.ids else None,
            actor_names={a: d.plain_name(a) for a in _actors(self.involves)},
        )

    def styles(self) -> dict[str, TypeStyle]:
        """Name, colour, family and legend place of every type drawn."""
        d = self.d
        styles: dict[str, TypeStyle] = {}
        types = [(t, False) for t in self.kinds] + [(t, True) for t in self.relation_kinds()]
        types.sort(key=lambda tr: (d.family(tr[0]).rank, d.type_label(tr[0]).casefold()))
        seen: set[str] = set()
        for rank, (kind, is_relation) in enumerate(types):
            family = d.family(kind)
            styles[kind] = TypeStyle(
                kind=kind,
                name=d.type_label(kind),
                colour=d.colour(kind),
                symbol=d.symbol(kind),
                family=family.key,
                family_label=family.label if family.key not in seen else None,
                rank=rank,
                relation=is_relation,
            )
            seen.add(family.key)
        return styles

    def relation_kinds(self) -> set[str]:
        """The relation types drawn."""
        return {*self.sure, *self.unsure, *self.ends}

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
            los, lanes, symbols, _ = zip(*starts, strict=True)
            group_codes += [
                codes.setdefault((kind, lane, symbol), len(codes))
                for lane, symbol in zip(lanes, symbols, strict=True)
            ]
            starts_ms += los
        groups_of = np.asarray(group_codes, dtype=np.int64) << 32
        ms = np.asarray(starts_ms, dtype=np.float64)
        width = _BIN_DAYS[-1]
        for days in _BIN_DAYS:
            bins = np.floor_divide(ms, days * DAY_MS).astype(np.int64) + (1 << 31)
            if len(np.unique(groups_of + bins)) <= self.o.relation_marker_limit:
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
                    hover = d.relation_hover(first, brief=self.o.brief_relations)
                    url = None if self.o.brief_relations else d.first_url(first.sources)
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


class _Rows:
    """The y of a lane's event (or relation) row, computed once per lane and row."""

    def __init__(self, lanes: list[Band], *, relation: bool) -> None:
        self.lanes = lanes
        self.relation = relation
        self.known: dict[tuple[int, int], float] = {}

    def __call__(self, lane: int, row: int) -> float:
        y = self.known.get((lane, row))
        if y is None:
            band = self.lanes[lane]
            y = band.relation_y(row) if self.relation else band.event_y(row)
            self.known[(lane, row)] = y
        return y


def _middles(events: Sequence[Event], extents: Sequence[Extent]) -> list[float]:
    """:func:`_middle_ms` of every event, once per date object (the loader shares them)."""
    known: dict[int, float] = {}
    xs: list[float] = []
    for event, extent in zip(events, extents, strict=True):
        x = known.get(id(event.date))
        if x is None:
            x = known[id(event.date)] = _middle_ms(event, extent)
        xs.append(x)
    return xs


def _middle_ms(event: Event, extent: Extent) -> float:
    """Where an event's marker sits: its time, else the middle of its (start's) extent."""
    when = event.date
    point = when.start if isinstance(when, Span) else when
    if isinstance(point, PartialDate):
        if point.timestamp is not None:
            return point.timestamp.timestamp() * 1000
        return (ordinal_ms(point.lo) + ordinal_ms(point.hi + 1)) / 2
    return (ordinal_ms(extent.lo) + ordinal_ms(extent.hi + 1)) / 2


@cache
def _panel_layout_json() -> str:
    from plotly.subplots import make_subplots

    layout = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.84, 0.16], vertical_spacing=0.02
    ).layout.to_plotly_json()
    return json.dumps(layout)


def _panel_layout() -> dict[str, Any]:
    """The axes of the timeline over the escalation panel (as plotly's ``make_subplots``)."""
    layout: dict[str, Any] = json.loads(_panel_layout_json())
    return layout


def _actors(involves: dict[str, list[str]]) -> list[str]:
    return sorted({a for actors in involves.values() for a in actors})
