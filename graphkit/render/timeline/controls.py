"""The figure's layout: lane bands, the time axis on top, the range slider, legend and margins.

The page's controls (range buttons, lane and type menus, the legend toggle on phones) are drawn
by the page script from ``layout.meta`` (see :mod:`graphkit.render.html`): ``meta`` says what the
figure holds (lanes with their y extent, types with their family and colour, the first view and
the full extent, the overview bins of large figures, and which actors each item involves), in
plain text the script writes with ``textContent`` only.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphkit._controls import neutralise
from graphkit.render._describe import message_annotation, ms_text
from graphkit.render._figure import Figure, template
from graphkit.render._html import esc
from graphkit.render._palette import FAMILIES, MUTED, TEXT
from graphkit.render.timeline.packing import Band

if TYPE_CHECKING:
    from graphkit.render.timeline.traces import TypeStyle

__all__ = ["Frame", "apply_layout", "empty_figure", "fixed_margins", "merge", "short"]

#: Pixels per y unit (an event row).
UNIT_PX = 21
#: Lane names are cut to this many characters on the axis (whole in the lane menu and hover).
LANE_LABEL_WIDTH = 30
#: About the width of one character of 12 px text, for fixed margins.
CHAR_PX = 7
#: Height of the range slider (px) and what the top margin holds (title, subtitle, dates).
SLIDER_PX, TOP_PX, AXIS_PX = 46, 96, 34
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@dataclass(frozen=True)
class Frame:
    """What the layout needs to know about the drawing (see ``Builder.frame``)."""

    bands: list[Band]
    lanes: list[str]
    total: float
    view: tuple[float, float]
    bounds: tuple[float, float]
    webgl: bool
    title: str | None
    subtitle: str | None
    counts: str
    overview: dict[str, Any] | None
    involves: dict[str, list[str]] | None
    actor_names: dict[str, str]


def _title(frame: Frame) -> dict[str, Any]:
    heading = esc(frame.title) if frame.title else "Timeline"
    lines = [esc(frame.subtitle)] if frame.subtitle else []
    lines.append(esc(frame.counts))
    return {
        "text": f"<b>{heading}</b>",
        "x": 0.01,
        "xanchor": "left",
        "y": 0.995,
        "yanchor": "top",
        "yref": "container",
        "font": {"size": 17, "color": TEXT},
        "subtitle": {"text": "<br>".join(lines), "font": {"size": 12, "color": MUTED}},
    }


def _meta(frame: Frame, styles: dict[str, TypeStyle]) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "graphkit": "timeline",
        "title": neutralise(frame.title or "Timeline"),  # text for the page script: hidden
        "subtitle": neutralise(frame.subtitle or ""),  # characters shown as visible codes
        "counts": frame.counts,
        "axis_top": AXIS_PX,
        "lanes": [
            {"label": html.unescape(b.label), "y": [round(b.top, 3), round(b.bottom, 3)]}
            for b in frame.bands
        ],
        "types": [
            {
                "id": s.kind,
                "name": html.unescape(s.name),
                "colour": s.colour,
                "family": s.family,
                "relation": s.relation,
            }
            for s in sorted(styles.values(), key=lambda s: s.rank)
        ],
        "families": {key: family.label for key, family in FAMILIES.items()},
        "short_ticks": [short(b.label, 14) for b in frame.bands],
        "view": [round(frame.view[0]), round(frame.view[1])],
        "bounds": [round(frame.bounds[0]), round(frame.bounds[1])],
        "total": round(frame.total, 3),
    }
    if frame.overview is not None:
        meta["overview"] = frame.overview
    if frame.involves is not None:
        meta["involves"] = frame.involves
        meta["actors"] = {k: neutralise(v) for k, v in frame.actor_names.items()}
    return meta


def apply_layout(
    layout: dict[str, Any],
    traces: list[dict[str, Any]],
    frame: Frame,
    *,
    rows: int,
    styles: dict[str, TypeStyle],
) -> None:
    """Fill ``layout`` (a dict, with the subplot axes when ``rows == 2``) in place."""
    total = frame.total
    plot_px = max(round(total * UNIT_PX), 150)
    panel_px = 150 if rows == 2 else 0
    bottom = SLIDER_PX + 40
    height = TOP_PX + plot_px + panel_px + bottom
    ticktext = [short(b.label, LANE_LABEL_WIDTH) for b in frame.bands]
    margin: dict[str, Any] = {"l": 10, "r": 10, "t": TOP_PX, "b": bottom}
    if frame.webgl:
        margin = fixed_margins(ticktext, traces, top=TOP_PX, bottom=bottom, panel=rows == 2)
    shapes = []
    for i, band in enumerate(frame.bands):
        if i % 2:
            shapes.append(
                {
                    "type": "rect",
                    "xref": "paper",
                    "yref": "y",
                    "x0": 0,
                    "x1": 1,
                    "y0": band.top,
                    "y1": band.bottom,
                    "fillcolor": "#F4F5F7",
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
    merge(
        layout,
        template=template(),
        height=height,
        margin=margin,
        title=_title(frame),
        hovermode="closest",
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"size": 12, "color": TEXT}},
        legend={
            "groupclick": "togglegroup",
            "itemsizing": "constant",
            "tracegroupgap": 2,
            "font": {"size": 11, "color": TEXT},
            "yanchor": "top",
            "y": 1.0,
        },
        font={"family": FONT, "color": TEXT},
        barmode="overlay",
        shapes=shapes,
        yaxis={
            "type": "linear",
            "tickmode": "array",
            "tickvals": [round(b.label_y, 3) for b in frame.bands],
            "ticktext": ticktext,
            "range": [total, 0],
            "autorange": False,
            "fixedrange": True,
            "zeroline": False,
            "showgrid": False,
            "ticks": "",
            "tickfont": {"size": 12, "color": TEXT},
            "automargin": not frame.webgl,  # fixed margins: see fixed_margins
        },
        meta=_meta(frame, styles),
    )
    view = [ms_text(frame.view[0]), ms_text(frame.view[1])]
    axis = {
        "type": "date",
        "range": view,
        "showgrid": True,
        "gridcolor": "#E5E7EB",
        "linecolor": "#9CA3AF",
        "ticks": "outside",
        "tickcolor": "#9CA3AF",
        "tickfont": {"size": 11, "color": TEXT},
    }
    merge(layout, xaxis={**axis, "side": "top", "showticklabels": True})
    slider: dict[str, Any] = {
        "visible": True,
        "thickness": round(SLIDER_PX / (plot_px + panel_px), 4),
        "bgcolor": "#F9FAFB",
        "bordercolor": "#D1D5DB",
        "borderwidth": 1,
    }
    if rows == 2:
        merge(layout, xaxis2={**axis, "rangeslider": slider})
    else:
        # the slider shows only the miniature (a band under the lanes, out of the plot's range)
        slider["yaxis"] = {"rangemode": "fixed", "range": [total + 1.75, total + 0.25]}
        merge(layout, xaxis={"rangeslider": slider})


def empty_figure(frame: Frame, message: str) -> Figure:
    """A figure that says there is nothing to draw (instead of an empty grid)."""
    layout = {
        "annotations": [message_annotation(message)],
        "font": {"family": FONT, "color": TEXT},
        "height": 320,
        "margin": {"l": 20, "r": 20, "t": TOP_PX, "b": 20},
        "meta": {**_meta(frame, {}), "empty": message},
        "template": template(),
        "title": _title(frame),
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
    }
    return Figure([], layout)


def merge(target: dict[str, Any], update: dict[str, Any] | None = None, **more: Any) -> None:
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
            merge(current, value)
        else:
            target[key] = value


def fixed_margins(
    lanes: Sequence[str], traces: list[dict[str, Any]], *, top: int, bottom: int, panel: bool
) -> dict[str, Any]:
    """Margins computed here instead of by plotly's automargin, which redraws the whole figure.

    plotly measures tick labels only after the data is drawn, and when they push the margins it
    draws everything again: for 100,000 WebGL points in a software-rendered browser that is
    seconds. The margins fit the longest lane label (left) and the legend (right), at about 7 px
    per character of 12 px text; the escalation ``panel`` needs room on the left for its axis
    title and numbers.
    """
    longest_lane = max((len(html.unescape(lane)) for lane in lanes), default=0)
    names = [html.unescape(str(t.get("name", ""))) for t in traces if t.get("showlegend")]
    names += [
        html.unescape(str(t["legendgrouptitle"]["text"])) for t in traces if "legendgrouptitle" in t
    ]
    longest_name = max((len(name) for name in names), default=8)
    return {
        "l": max(min(CHAR_PX * longest_lane + 24, 260), 80 if panel else 40),
        "r": CHAR_PX * longest_name + 60,
        "t": top,
        "b": bottom,
        "autoexpand": False,
    }


def short(markup: str, width: int = 32) -> str:
    """Shorten escaped text for a label without cutting an entity.

    Examples:
        >>> short("Central Military Commission of the Workers&#39; Party", 30)
        'Central Military Commission o…'
    """
    if len(html.unescape(markup)) <= width:
        return markup
    plain = html.unescape(markup)
    cut = plain[: width - 1].rstrip()
    return esc(cut) + "…"
