"""Trace columns and the plotly trace dicts built from them (SVG or WebGL).

:class:`Points` are the columns of one marker trace, :class:`Boxes` the bars of one bar trace;
:class:`Encoder` turns them into plotly trace dicts. SVG figures draw bars as plotly ``bar``
traces (each bar answers its own hover, a relation's label is written on it, an uncertain part is
hatched); WebGL figures draw them as WebGL lines, merged per row (thousands of bars cost a few
segments), with dates as epoch milliseconds in typed arrays.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphkit.render._describe import ms_text
from graphkit.render._palette import TEXT

if TYPE_CHECKING:
    from graphkit.render.timeline.builder import Builder

__all__ = [
    "TIP_SIZES",
    "TIP_SYMBOLS",
    "Boxes",
    "Encoder",
    "Points",
    "Segments",
    "TypeStyle",
    "one",
    "tint",
    "typed",
]

TIP_SYMBOLS = {"ongoing": "triangle-right", "open-start": "triangle-left", "end": "line-ns-open"}
TIP_SIZES = {"ongoing": 11, "open-start": 11, "end": 10}
#: Bar thickness in y units: relation bars (in rows of 0.78), event durations and extents.
RELATION_BAR, EVENT_BAR = 0.6, 0.3
#: Relation bars are this much of their colour on white (the type colour is their outline).
RELATION_TINT = 0.2
LABEL_FONT = {"size": 11, "color": TEXT}
#: Bar labels are written with a white halo (they may cross a bar's outline).
HALO_FONT = {**LABEL_FONT, "shadow": "0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff"}


@dataclass(frozen=True)
class TypeStyle:
    """How one type is drawn and listed in the legend."""

    kind: str
    name: str
    colour: str
    symbol: str
    family: str
    family_label: str | None  # the family's heading, on the family's first type only
    rank: int
    relation: bool


@dataclass
class Points:
    """Columns of one marker trace, filled point by point.

    ``hover`` and ``url`` are lists of markup and URLs, or, for brief event hovers, compact
    columns (:class:`graphkit.render._hovers.BriefHovers` and ``Urls``, given an event and its
    sources instead).
    """

    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    hover: Any = field(default_factory=list)
    url: Any = field(default_factory=list)
    size: list[float] = field(default_factory=list)
    symbol: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    rank: list[int] = field(default_factory=list)
    side: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    def add(
        self,
        x_ms: float,
        y: float,
        hover: Any = "",
        url: Any = None,
        *,
        size: float = 9.0,
        symbol: str = "circle",
        text: str = "",
        rank: int = 0,
        side: str = "middle right",
        ident: str | None = None,
    ) -> None:
        """Append one point (``side``: where its text goes; ``ident``: the item's id)."""
        self.x.append(x_ms)
        self.y.append(y)
        self.hover.append(hover)
        self.url.append(url)
        self.size.append(size)
        self.symbol.append(symbol)
        self.text.append(text)
        self.rank.append(rank)
        self.side.append(side)
        if ident is not None:
            self.ids.append(ident)


@dataclass
class Boxes:
    """Bars of one trace: from ``lo`` to ``hi`` (ms) at ``y``, each with its hover and label."""

    lo: list[float] = field(default_factory=list)
    hi: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    hover: list[str] = field(default_factory=list)
    url: list[str | None] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    def add(
        self,
        lo_ms: float,
        hi_ms: float,
        y: float,
        hover: str = "",
        url: str | None = None,
        text: str = "",
        ident: str | None = None,
    ) -> None:
        """Append one bar."""
        self.lo.append(lo_ms)
        self.hi.append(hi_ms)
        self.y.append(y)
        self.hover.append(hover)
        self.url.append(url)
        self.text.append(text)
        if ident is not None:
            self.ids.append(ident)

    def span(self, lo_ms: float, hi_ms: float, y: float) -> None:
        """Append a bar with no hover or label of its own (drawn, not hovered)."""
        self.lo.append(lo_ms)
        self.hi.append(hi_ms)
        self.y.append(y)

    def segments(self) -> Segments:
        """The bars as line segments (merged where they overlap in a row)."""
        segments = Segments()
        for lo, hi, y in zip(self.lo, self.hi, self.y, strict=True):
            segments.add(lo, hi, y)
        return segments


class Segments:
    """Horizontal lines of one trace, merged per row when drawn.

    Overlapping bars of one colour in one row look the same merged, and ten thousand relations in
    a row become a handful of segments.
    """

    def __init__(self) -> None:
        self.by_lane: dict[float, list[tuple[float, float]]] = defaultdict(list)

    def add(self, lo_ms: float, hi_ms: float, y: float) -> None:
        """Add a line from ``lo_ms`` to ``hi_ms`` at height ``y``."""
        self.by_lane[y].append((lo_ms, hi_ms))

    def columns(self, fmt: Callable[[float], Any]) -> tuple[list[Any], list[float | None]]:
        """The x and y columns of the merged lines, ``None`` between lines."""
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


def typed(values: list[float], dtype: str) -> Any:
    """A numpy array when numpy is installed (plotly's optional dependency), else the list."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy comes with the dev and export extras
        return values
    return np.asarray(values, dtype=dtype)


def one(values: list[Any]) -> Any:
    """A single value when all are equal (a scalar is much cheaper to draw than an array)."""
    return values[0] if values and all(v == values[0] for v in values) else values


def tint(colour: str, share: float) -> str:
    """``colour`` mixed with white (``share`` of the colour), as ``#RRGGBB``.

    Examples:
        >>> tint("#B91C1C", 0.2)
        '#F1D2D2'
    """
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(255 - (255 - c) * share) for c in channels]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def _ms_int(ms: float) -> int:
    return round(ms)


def _legend(style: TypeStyle, showlegend: bool) -> dict[str, Any]:
    """Legend keys: one entry per type, grouped under its family's heading, in family order."""
    entry: dict[str, Any] = {
        "name": style.name,
        "legendgroup": style.kind,
        "showlegend": showlegend,
        "legendrank": 1000 + style.rank,
    }
    if showlegend and style.family_label:
        entry["legendgrouptitle"] = {"text": style.family_label, "font": {"size": 12}}
    return entry


class Encoder:
    """Builds trace dicts: SVG ``scatter``/``bar`` with date text, or WebGL ``scattergl``."""

    def __init__(self, *, webgl: bool) -> None:
        self.webgl = webgl
        # big figures: epoch milliseconds (smaller, no date parsing in the browser)
        self.fmt: Callable[[float], Any] = _ms_int if webgl else ms_text

    # ---- primitives ---------------------------------------------------------------------------

    def lines(
        self,
        segments: Segments,
        style: TypeStyle,
        meta: dict[str, str],
        *,
        width: float,
        opacity: float,
        dash: str = "solid",
        showlegend: bool = False,
    ) -> dict[str, Any]:
        """Bars as lines, broken between segments (merged per row, see :class:`Segments`).

        In WebGL figures they are WebGL lines, one draw per trace whatever the gaps (SVG draws
        one path element per segment, and draws them all again in the range slider), with
        dates and rows as typed arrays, NaN between segments.
        """
        xs, ys = segments.columns(self.fmt)
        line: dict[str, Any] = {"color": style.colour, "width": width, "dash": dash}
        trace: dict[str, Any] = {"type": "scatter", "x": xs, "y": ys, "line": line}
        if self.webgl:
            nan = math.nan
            trace.update(
                type="scattergl",
                x=typed([nan if x is None else x for x in xs], "f8"),
                y=typed([nan if y is None else y for y in ys], "f4"),
            )
        else:
            line["simplify"] = False
        return {
            **trace,
            "mode": "lines",
            **_legend(style, showlegend),
            "hoverinfo": "skip",
            "opacity": opacity,
            "meta": meta,
        }

    def bars(
        self,
        boxes: Boxes,
        style: TypeStyle,
        meta: dict[str, str],
        *,
        width: float,
        fill: str,
        hatched: bool = False,
        hover: bool = True,
        showlegend: bool = False,
    ) -> dict[str, Any]:
        """SVG bars (plotly ``bar``, horizontal): one per box, hoverable, labelled when given."""
        marker: dict[str, Any] = {"color": fill, "line": {"color": style.colour, "width": 1}}
        if hatched:
            marker["pattern"] = {
                "shape": "/",
                "fgcolor": style.colour,
                "bgcolor": "#FFFFFF",
                "size": 6,
                "solidity": 0.25,
            }
        trace: dict[str, Any] = {
            "type": "bar",
            "orientation": "h",
            "base": [ms_text(v) for v in boxes.lo],
            "x": [round(hi - lo) for lo, hi in zip(boxes.lo, boxes.hi, strict=True)],
            "y": boxes.y,
            "width": width,
            "marker": marker,
            **_legend(style, showlegend),
            "meta": meta,
        }
        if hover:
            trace.update(hovertext=boxes.hover, hoverinfo="text", customdata=boxes.url)
        else:
            trace["hoverinfo"] = "skip"
        if any(boxes.text):
            trace.update(
                text=boxes.text,
                textposition="auto",
                insidetextanchor="start",
                textangle=0,
                constraintext="none",
                insidetextfont=LABEL_FONT,
                outsidetextfont=LABEL_FONT,
            )
        if boxes.ids:
            trace["ids"] = boxes.ids
        return trace

    def columns(self, xs: list[float], ys: list[float]) -> tuple[Any, Any]:
        """The x (dates) and y (rows) of markers: typed arrays in WebGL figures, else text."""
        if self.webgl:  # plotly writes numpy arrays as base64 typed arrays: small, fast to read
            return typed(xs, "f8"), typed(ys, "f4")
        return [self.fmt(v) for v in xs], ys

    def sizes(self, values: list[float]) -> Any:
        """Marker sizes: one number when all are equal, else a list (typed in WebGL)."""
        single = one(values)
        if isinstance(single, list) and self.webgl:
            return typed(single, "f4")
        return single

    def markers(self, p: Points, **kwargs: Any) -> dict[str, Any]:
        """A marker trace of ``p`` (with its labels as text when any, SVG only)."""
        labelled = any(p.text) and not self.webgl
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
            trace["textposition"] = one(p.side)
            trace["textfont"] = LABEL_FONT
            trace["meta"] = {**trace.get("meta", {}), "rank": p.rank}
        if p.ids:
            trace["ids"] = p.ids
        return trace

    def words(self, p: Points, style: TypeStyle, meta: dict[str, str]) -> dict[str, Any]:
        """Text only, at each point, written rightwards or leftwards (``p.symbol``); no hover."""
        x, y = self.columns(p.x, p.y)
        return {
            "type": "scatter",
            "x": x,
            "y": y,
            "mode": "text",
            "text": p.text,
            "textposition": one(p.symbol),
            "textfont": HALO_FONT,
            "hoverinfo": "skip",
            **_legend(style, False),
            "meta": {**meta, "labels": True},
        }

    def tips(
        self, tips: Iterable[tuple[float, float, str]], style: TypeStyle, meta: dict[str, str]
    ) -> dict[str, Any]:
        """End markers of bars (``▶`` ongoing or cut at the window, ``|`` end), no hover."""
        tips = list(tips)
        x, y = self.columns([x for x, _, _ in tips], [y for _, y, _ in tips])
        return {
            "type": "scattergl" if self.webgl else "scatter",
            "x": x,
            "y": y,
            "mode": "markers",
            "hoverinfo": "skip",
            "marker": {
                "symbol": [TIP_SYMBOLS[s] for _, _, s in tips],
                "size": self.sizes([TIP_SIZES[s] for _, _, s in tips]),
                "color": style.colour,
                "line": {"width": 1.5, "color": style.colour},
            },
            **_legend(style, False),
            "meta": meta,
        }

    def boxes(
        self,
        boxes: Boxes,
        style: TypeStyle,
        meta: dict[str, str],
        *,
        bar: float,
        fill: str,
        line_width: float,
        opacity: float,
        hatched: bool = False,
        hover: bool = True,
        showlegend: bool = False,
    ) -> dict[str, Any]:
        """Bars as SVG ``bar`` traces, or as merged WebGL lines in WebGL figures."""
        if self.webgl:
            return self.lines(
                boxes.segments(),
                style,
                meta,
                width=line_width,
                opacity=opacity,
                showlegend=showlegend,
            )
        return self.bars(
            boxes, style, meta, width=bar, fill=fill, hatched=hatched, hover=hover,
            showlegend=showlegend,
        )  # fmt: skip

    # ---- per type -----------------------------------------------------------------------------

    def event_traces(self, b: Builder, styles: dict[str, TypeStyle]) -> list[dict[str, Any]]:
        """Per event type: extent and duration bars, plan lines, tips, markers, plans."""
        traces: list[dict[str, Any]] = []
        for kind in sorted(b.kinds, key=lambda k: styles[k].rank):
            style = styles[kind]
            meta = {"kind": "event", "type": kind}
            if kind in b.extents:
                traces.append(
                    self.boxes(
                        b.extents[kind],
                        style,
                        meta,
                        bar=EVENT_BAR,
                        fill="#FFFFFF",
                        line_width=6,
                        opacity=0.3,
                        hatched=True,
                        hover=False,
                    )  # fmt: skip
                )
            if kind in b.durations:
                traces.append(
                    self.boxes(
                        b.durations[kind],
                        style,
                        meta,
                        bar=EVENT_BAR,
                        fill=tint(style.colour, 0.45),
                        line_width=7,
                        opacity=0.55,
                        hover=False,
                    )  # fmt: skip
                )
            if kind in b.connectors:
                traces.append(
                    self.lines(b.connectors[kind], style, meta, width=1.5, opacity=0.9, dash="dot")
                )
            if kind in b.ongoing:
                traces.append(self.tips(b.ongoing[kind], style, meta))
            legend = True
            for points in (b.markers.get(kind), b.spans.get(kind)):
                if points is None:
                    continue
                traces.append(
                    self.markers(
                        points,
                        **_legend(style, legend),
                        marker={
                            "color": style.colour,
                            "size": self.sizes(points.size),
                            "symbol": one(points.symbol),
                            # dense: no outline (software WebGL pays for every pixel drawn)
                            **({} if b.o.dense else {"line": {"color": "white", "width": 1}}),
                        },
                        meta=meta,
                    )
                )
                legend = False
            if kind in b.planned:
                p = b.planned[kind]
                traces.append(
                    self.markers(
                        p,
                        **_legend(style, False),
                        marker={
                            "color": style.colour,
                            "size": self.sizes(p.size),
                            "symbol": "circle-open",
                            "line": {"color": style.colour, "width": 2},
                        },
                        meta={"kind": "planned", "type": kind},
                    )
                )
        return traces

    def relation_traces(self, b: Builder, styles: dict[str, TypeStyle]) -> list[dict[str, Any]]:
        """Per relation type: uncertain (hatched) and certain bars, tips, start markers."""
        traces: list[dict[str, Any]] = []
        for kind in sorted(b.relation_kinds(), key=lambda k: styles[k].rank):
            style = styles[kind]
            meta = {"kind": "relation", "type": kind}
            legend = True
            for table, hatched in ((b.sure, False), (b.unsure, True)):
                if kind not in table:
                    continue
                traces.append(
                    self.boxes(
                        table[kind],
                        style,
                        meta,
                        bar=RELATION_BAR,
                        fill=tint(style.colour, RELATION_TINT),
                        line_width=5,
                        opacity=0.25 if hatched else 0.75,
                        hatched=hatched,
                        hover=not self.webgl,
                        showlegend=legend,
                    )  # fmt: skip
                )
                legend = False
            if b.tips.get(kind):
                traces.append(self.tips(b.tips[kind], style, meta))
            if kind in b.relation_labels:
                traces.append(self.words(b.relation_labels[kind], style, meta))
            ends = b.ends.get(kind)
            if ends is not None and ends.x:
                traces.append(
                    self.markers(
                        ends,
                        **_legend(style, legend),
                        marker={
                            "color": style.colour,
                            "size": self.sizes(ends.size),
                            "symbol": one(ends.symbol),
                            "line": {"color": style.colour, "width": 2},
                        },
                        meta={**meta, "starts": True},
                    )
                )
        return traces
