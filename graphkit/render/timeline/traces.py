"""Trace columns and the plotly trace dicts built from them (SVG or WebGL).

:class:`Points` are the columns of one marker trace, :class:`Segments` the bars of one line
trace; :class:`Encoder` turns them into plotly trace dicts, with dates as text in SVG figures and
as epoch milliseconds in typed arrays in WebGL ones.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from graphkit.render._describe import ms_text

__all__ = ["Encoder", "Points", "Segments", "TIP_SIZES", "TIP_SYMBOLS", "one", "typed"]

TIP_SYMBOLS = {"ongoing": "triangle-right", "open-start": "triangle-left", "end": "line-ns-open"}
TIP_SIZES = {"ongoing": 12, "open-start": 12, "end": 10}


@dataclass
class Points:
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
        """Append one point."""
        self.x.append(x_ms)
        self.y.append(y)
        self.hover.append(hover)
        self.url.append(url)
        self.size.append(size)
        self.symbol.append(symbol)
        self.text.append(text)


class Segments:
    """Horizontal bars of one trace, merged per lane when drawn.

    Overlapping bars of one colour in one lane look the same merged, and ten thousand relations in
    a lane become a handful of segments.
    """

    def __init__(self) -> None:
        self.by_lane: dict[float, list[tuple[float, float]]] = defaultdict(list)

    def add(self, lo_ms: float, hi_ms: float, y: float) -> None:
        """Add a bar from ``lo_ms`` to ``hi_ms`` at height ``y``."""
        self.by_lane[y].append((lo_ms, hi_ms))

    def columns(self, fmt: Callable[[float], Any]) -> tuple[list[Any], list[float | None]]:
        """The x and y columns of the merged bars, ``None`` between bars."""
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


def _ms_int(ms: float) -> int:
    return round(ms)


class Encoder:
    """Builds trace dicts: SVG ``scatter`` with date text, or WebGL ``scattergl`` with numbers."""

    def __init__(self, *, webgl: bool) -> None:
        self.webgl = webgl
        # big figures: epoch milliseconds (smaller, no date parsing in the browser)
        self.fmt: Callable[[float], Any] = _ms_int if webgl else ms_text

    def bar(
        self,
        segments: Segments,
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
        """Bars are lines, broken between segments (merged per lane, see :class:`Segments`).

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
                x=typed([nan if x is None else x for x in xs], "f8"),
                y=typed([nan if y is None else y for y in ys], "f4"),
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
            return typed(xs, "f8"), typed(ys, "f4")
        return [self.fmt(v) for v in xs], ys

    def sizes(self, values: list[float]) -> Any:
        """Marker sizes: one number when all are equal, else a list (typed in WebGL)."""
        single = one(values)
        if isinstance(single, list) and self.webgl:
            return typed(single, "f4")
        return single

    def markers(self, p: Points, **kwargs: Any) -> dict[str, Any]:
        """A marker trace of ``p`` (with its labels as text when any)."""
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

    def tips(self, tips: Iterable[tuple[float, float, str]], **kwargs: Any) -> dict[str, Any]:
        """End markers of bars (``▶`` ongoing, ``◀`` open start, ``|`` end), no hover."""
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
                "color": kwargs.pop("colour"),
                "line": {"width": 2, "color": kwargs.pop("line")},
            },
            **kwargs,
        }
