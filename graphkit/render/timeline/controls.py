"""The figure's layout: lane axis, time axis, range slider and buttons, menus, margins."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

from graphkit.render._describe import Describer, ms_text

__all__ = ["apply_layout", "fixed_margins", "merge", "short"]

#: Lane labels are cut to this many characters in figures with fixed margins (WebGL).
LANE_LABEL_WIDTH = 44
#: About the width of one character of 12 px text, for fixed margins.
CHAR_PX = 7


def apply_layout(
    layout: dict[str, Any],
    traces: list[dict[str, Any]],
    *,
    rows: int,
    lanes: list[str],
    view: tuple[float, float],
    webgl: bool,
    title: str,
    d: Describer,
    kinds: Sequence[str],
) -> None:
    """Fill ``layout`` (a dict, with the subplot axes when ``rows == 2``) in place.

    ``kinds`` are the event types drawn, in legend order (for the type menu).
    """
    n = len(lanes)
    lane_height = 34 if n <= 40 else 22
    height = max(420, lane_height * n + 230) + (170 if rows == 2 else 0)
    ticktext = lanes
    margin: dict[str, Any] = {"l": 10, "r": 10, "t": 90, "b": 40}
    if webgl:
        ticktext = [short(lane, LANE_LABEL_WIDTH) for lane in lanes]
        margin = fixed_margins(ticktext, traces, height, top=90, panel=rows == 2)
    merge(
        layout,
        template=_template(),
        height=height,
        margin=margin,
        title={"text": title, "x": 0.01, "font": {"size": 15}},
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
            "automargin": not webgl,  # fixed margins: see fixed_margins
        },
        updatemenus=_menus(lanes, traces, d, kinds),
        meta={"graphkit": "timeline", "lanes": lanes},
    )
    for axis in ("xaxis", "xaxis2") if rows == 2 else ("xaxis",):
        merge(
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
    merge(layout, {bottom: {"rangeslider": {"visible": True, "thickness": 0.06}}})
    merge(
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


def _menus(
    lanes: list[str], traces: list[dict[str, Any]], d: Describer, kinds: Sequence[str]
) -> list[dict[str, Any]]:
    n = len(lanes)
    lane_buttons = [
        {"label": "lane: all", "method": "relayout", "args": [{"yaxis.range": [n - 0.5, -0.5]}]}
    ]
    for i, lane in enumerate(lanes):
        lane_buttons.append(
            {
                "label": "lane: " + short(lane),
                "method": "relayout",
                "args": [{"yaxis.range": [i + 0.5, i - 0.5]}],
            }
        )
    metas = [t.get("meta") or {} for t in traces]
    type_buttons = [
        {"label": "type: all", "method": "restyle", "args": [{"visible": [True] * len(metas)}]}
    ]
    for kind in kinds:
        visible = [
            m.get("kind") == "escalation" or (m.get("type") == kind and m.get("kind") != "relation")
            for m in metas
        ]
        type_buttons.append(
            {
                "label": "type: " + short(d.type_label(kind)),
                "method": "restyle",
                "args": [{"visible": visible}],
            }
        )
    if any(m.get("kind") == "relation" for m in metas):
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
        "l": max(min(CHAR_PX * longest_lane + 24, 340), 80 if panel else 40),
        "r": CHAR_PX * longest_name + 90,
        "t": top,
        "b": bottom,
        "autoexpand": False,
    }


def _template() -> dict[str, Any]:
    """The ``plotly_white`` template as a dict (unvalidated figures take no template names)."""
    import plotly.io as pio

    return pio.templates["plotly_white"].to_plotly_json()  # type: ignore[no-any-return]


def short(markup: str, width: int = 32) -> str:
    """Shorten escaped text for a button label without cutting an entity."""
    if len(markup) <= width:
        return markup
    cut = markup[: width - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"
