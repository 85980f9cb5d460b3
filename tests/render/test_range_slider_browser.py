"""graphkit.js's range slider: it styles only its own miniature, and draws what plotly.js draws."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import graphkit as gk
from graphkit.query.escalation import escalation_index
from graphkit.render import timeline, write_html

Open = Callable[..., Any]

#: The random ids plotly.js gives a figure's traces and fill patterns (``trace3f2d39``,
#: ``pUID-legend-58dda1``): they differ between two pages of the same figure.
RANDOM_ID = re.compile(
    r"(?<=trace)[0-9a-f]{6}\b|(?<=pUID-)[0-9a-f]{6}\b|(?<=pUID-legend-)[0-9a-f]{6}\b"
)


def _canonical(svg: str) -> str:
    """``svg`` with plotly.js's random ids numbered in order of appearance."""
    seen: dict[str, str] = {}
    return RANDOM_ID.sub(lambda m: seen.setdefault(m.group(0), f"id{len(seen)}"), svg)


#: Redraw the figure from fresh copies of its data (as a live update does), counting the
#: markers and labels the trace modules' ``style`` were handed, and return the figure's SVG.
REDRAW_JS = """async (all) => {
    graphkit.sliderStylesAll(all);
    const gd = document.querySelector('.js-plotly-plot');
    const styled = {main: 0, slider: 0};
    const full = gd._fullLayout;
    const modules = full._modules.filter(m => m.name === 'scatter');
    const style = modules[0].style;
    modules[0].style = function (figure) {
        styled[figure.querySelectorAll('.rangeslider-rangeplot').length ? 'main' : 'slider'] +=
            figure.querySelectorAll('g.trace.scatter').length;
        return style.apply(this, arguments);
    };
    try {
        await Plotly.react(gd, JSON.parse(JSON.stringify(gd.data)),
                           JSON.parse(JSON.stringify(gd.layout)));
        await Plotly.relayout(gd, {'xaxis.range': ['2024-09-01', '2024-12-31']});
    } finally { modules[0].style = style; graphkit.sliderStylesAll(false); }
    const svg = [...gd.querySelectorAll('svg')].map(s => s.outerHTML).join('\\n')
        .split(full._uid).join('UID');  /* a figure's random id, in its clip paths' ids */
    return {styled, svg, slider: gd.querySelectorAll('.rangeslider-rangeplot .trace').length};
}"""


@pytest.mark.browser
def test_the_slider_restyles_only_itself_and_draws_the_same(
    flagship: gk.KnowledgeBase, tmp_path: Path, open_page: Open
) -> None:
    fig = timeline(flagship, escalation=escalation_index(flagship, freq="week"))
    path = write_html(fig, tmp_path / "timeline.html")
    drawn = {}
    for plotlys_way in (True, False):  # each in a fresh page: the same steps from the same start
        page = open_page(path, width=1400, height=900)
        drawn[plotlys_way] = page.evaluate(REDRAW_JS, plotlys_way)
        assert page.errors == []
    plotly, ours = drawn[True], drawn[False]
    assert ours["slider"] >= 1  # the slider drew its miniature
    # plotly.js's way: the slider's styling pass goes over every trace of the figure again
    assert plotly["styled"]["main"] > plotly["styled"]["slider"] == 0
    # graphkit's: while the slider draws, the modules see only the slider's own traces
    assert ours["styled"]["slider"] >= 1
    assert ours["styled"]["main"] < plotly["styled"]["main"]
    # and the figure drawn is the same, node for node
    assert _canonical(ours["svg"]) == _canonical(plotly["svg"])
