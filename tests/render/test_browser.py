"""The generated files in headless Chromium, opened from disk with the network blocked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import graphkit as gk
from benchmarks.generate import generate
from graphkit.model import Document
from graphkit.render import event_map, network, report, timeline, write_html

from .conftest import HOVER_LABEL_JS, POINTS_JS

pytestmark = pytest.mark.browser

Open = Callable[..., Any]

HOVER_TEXT = """([curve, point], ) => {
    const gd = document.querySelector('.js-plotly-plot');
    Plotly.Fx.hover(gd, [{curveNumber: curve, pointNumber: point}]);
    const label = document.querySelector('.hovertext');
    return label ? label.textContent : null;
}"""


def _locate(fig: Any, predicate: Callable[[Any, int], bool]) -> tuple[int, int]:
    for curve, trace in enumerate(fig.data):
        for point in range(len(trace.x if trace.x is not None else trace.lat)):
            if predicate(trace, point):
                return curve, point
    raise AssertionError("no such point")


def test_timeline_draws_hovers_filters(
    flagship: gk.KnowledgeBase, tmp_path: Path, open_page: Open
) -> None:
    fig = timeline(flagship)
    path = write_html(fig, tmp_path / "timeline.html")
    page = open_page(path, height=900)
    assert page.errors == [] and page.blocked == []
    shape = page.evaluate(
        """() => {
        const gd = document.querySelector('.js-plotly-plot');
        return gd._fullData.map(t => [t.type, t.name, t.x.length]);
    }"""
    )
    assert shape == [[t.type, t.name, len(t.x)] for t in fig.data]
    page.screenshot("timeline-flagship.png")

    # hover an event where it is drawn, with the mouse: its own label, with its evidence
    event = flagship.events["nis-3000-total-2024-10-23"]
    point = next(p for p in page.evaluate(POINTS_JS, ".js-plotly-plot") if p["id"] == event.id)
    page.page.mouse.move(point["x"], point["y"])
    page.page.wait_for_timeout(150)
    text = page.evaluate(HOVER_LABEL_JS)
    assert event.summary is not None and event.summary[:60] in text
    source = flagship.sources[event.sources[0].source]
    assert source.title[:40] in text and "grade" in text
    assert "pas moins de 1500 soldats" in text  # the article's words behind the claim
    assert page.evaluate(
        "() => [...document.querySelectorAll('.hovertext a')].map(a => a.getAttribute('href')"
        " || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'))"
    ) == [flagship.sources[r.source].url for r in event.sources[:6] if flagship.sources[r.source].url]  # fmt: skip
    page.page.mouse.move(1, 1)

    # lane menu: one lane fills the plot
    page.page.select_option("select.gk-lane", label="North Korea")
    page.page.wait_for_timeout(300)
    ticks = page.evaluate(
        "() => [...document.querySelectorAll('.yaxislayer-above .ytick text')].map(t => t.textContent)"
    )
    assert ticks == ["North Korea"]
    page.screenshot("timeline-lane-filter.png")

    # type menu: only statements (and nothing of another type) stay visible
    page.page.select_option("select.gk-type", "statement")
    page.page.wait_for_timeout(300)
    visible = page.evaluate(
        """() => document.querySelector('.js-plotly-plot')._fullData
            .filter(t => t.visible === true && t.meta.type).map(t => t.meta.type)"""
    )
    assert set(visible) == {"statement"}
    assert page.errors == []


def test_click_opens_only_http_sources(
    small_kb: gk.KnowledgeBase, tmp_path: Path, open_page: Open
) -> None:
    page = open_page(write_html(timeline(small_kb), tmp_path / "t.html"))
    opened = page.evaluate(
        """() => {
        const opened = [];
        window.open = (url, target, features) => { opened.push([url, target, features]); };
        const gd = document.querySelector('.js-plotly-plot');
        for (const value of ['https://example.org/nis', 'javascript:alert(1)', 'data:text/html,x',
                             ' JAVASCRIPT:alert(1)', null, ['http://example.org/a']]) {
            gd.emit('plotly_click', {points: [{customdata: value}]});
        }
        return opened;
    }"""
    )
    assert opened == [
        ["https://example.org/nis", "_blank", "noopener,noreferrer"],
        ["http://example.org/a", "_blank", "noopener,noreferrer"],
    ]


def test_map_draws_coastlines_offline(
    small_kb: gk.KnowledgeBase, tmp_path: Path, open_page: Open
) -> None:
    page = open_page(write_html(event_map(small_kb), tmp_path / "map.html"))
    assert page.errors == [] and page.blocked == []
    drawn = page.evaluate(
        """() => Object.fromEntries(['coastlines', 'land', 'countries'].map(layer => {
            const paths = [...document.querySelectorAll(`.geo .layer.${layer} path`)];
            return [layer, paths.filter(p => (p.getAttribute('d') || '').length > 100).length];
        }))"""
    )
    assert drawn["coastlines"] > 0 and drawn["land"] > 0 and drawn["countries"] > 0
    assert page.evaluate("() => document.querySelectorAll('.scattergeo .point').length") == 2
    page.screenshot("map-small.png")


EVIL_TITLE = "<img src=x onerror=\"window.__pwned='title'\">Title"


def test_hostile_data_never_executes(
    hostile_kb: gk.KnowledgeBase, tmp_path: Path, open_page: Open
) -> None:
    from types import SimpleNamespace as S

    figures = {
        "timeline": timeline(hostile_kb, title=EVIL_TITLE, subtitle=EVIL_TITLE),
        "network": network(hostile_kb, title=EVIL_TITLE),
        "map": event_map(hostile_kb, subtitle=EVIL_TITLE),
        "empty": event_map(hostile_kb, types=["evil_type"], until="2000"),
    }
    paths = [write_html(fig, tmp_path / f"{name}.html") for name, fig in figures.items()]
    report_path = tmp_path / "report.html"
    steps = [S(kind="ladder", when="2024-10", summary="<b>x</b>", evidence=["e1", "</script>"])]
    page_text = report(hostile_kb, title=EVIL_TITLE, subtitle=EVIL_TITLE, steps=steps)
    report_path.write_text(page_text, encoding="utf-8")
    for path, plots in [*((p, 1) for p in paths), (report_path, 3)]:
        page = open_page(path, plots=plots)
        # hover every point of every figure, open every menu, show the legend panel
        page.evaluate(
            """() => {
            for (const gd of document.querySelectorAll('.js-plotly-plot')) {
                gd._fullData.forEach((t, c) => {
                    const n = (t.x || t.lat || []).length;
                    for (let i = 0; i < n; i++) { Plotly.Fx.hover(gd, [{curveNumber: c, pointNumber: i}]); }
                });
            }
        }"""
        )
        page.evaluate(
            "() => document.querySelectorAll('.js-plotly-plot').forEach(g => Plotly.Fx.unhover(g))"
        )
        for button in page.page.query_selector_all(".gk-legend-toggle, .gk-step"):
            button.click(timeout=5000)
        # the actor filter's message names the actor (a hostile name) as text
        page.evaluate(
            "() => window.graphkit.views['graphkit-figure'] && "
            "window.graphkit.filterActor('graphkit-figure', 'A')"
        )
        page.page.wait_for_timeout(300)
        assert page.evaluate("() => window.__pwned") is None, path.name
        assert page.dialogs == [] and page.errors == [], path.name
        assert (
            page.evaluate("() => document.querySelectorAll('img, iframe, svg script').length") == 0
        )
        hrefs = page.evaluate(
            "() => [...document.querySelectorAll('a')].map(a => a.getAttribute('href')"
            " || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'))"
        )
        assert all(h is None or h.startswith("https://") for h in hrefs), hrefs
        text = page.evaluate("() => document.body.innerText")
        if path.name in ("timeline.html", "report.html", "network.html"):
            assert "<img src=x" in text  # the title, written literally
        if path.name == "timeline.html":
            assert "<img src=x onerror" in page.evaluate(
                "() => document.querySelector('.gk-message').textContent"
            )  # the actor's name, literally
            page.screenshot("timeline-hostile.png")


def test_large_timeline_renders_with_webgl(tmp_path: Path, open_page: Open) -> None:
    kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(3000, 2)))
    fig = timeline(kb, overview_over=10_000)
    page = open_page(write_html(fig, tmp_path / "large.html"))
    assert page.errors == []
    info = page.evaluate(
        """() => {
        const gd = document.querySelector('.js-plotly-plot');
        const gl = gd._fullData.filter(t => t.type === 'scattergl');
        return {gl: gl.length, points: gl.filter(t => t.meta.kind === 'event' && t.hoverinfo !== 'skip')
                   .reduce((n, t) => n + t.x.length, 0),
                bars: gl.filter(t => t.mode === 'lines').length,
                canvas: document.querySelectorAll('canvas.gl-canvas').length};
    }"""
    )
    assert info["gl"] >= 17 and info["points"] == 3000 and info["canvas"] > 0
    assert info["bars"] > 0  # bars are WebGL lines in WebGL figures
    curve, point = _locate(fig, lambda t, i: t.type == "scattergl" and t.hovertext is not None)
    text = page.evaluate(
        """([curve, point]) => {
        const gd = document.querySelector('.js-plotly-plot');
        const trace = gd._fullData[curve];
        const xval = gd._fullLayout.xaxis.d2c(trace.x[point]);
        Plotly.Fx.hover(gd, {xval: xval, yval: trace.y[point]});  // WebGL: hover by position
        const label = document.querySelector('.hovertext');
        return label ? label.textContent : null;
    }""",
        [curve, point],
    )
    assert text and "date:" in text
    page.screenshot("timeline-3000.png")


def test_report_in_the_browser(flagship: gk.KnowledgeBase, tmp_path: Path, open_page: Open) -> None:
    path = tmp_path / "report.html"
    path.write_text(report(flagship), encoding="utf-8")
    page = open_page(path, plots=3)
    assert page.errors == [] and page.blocked == []
    assert page.evaluate("() => typeof Plotly") == "object"
    page.screenshot("report-flagship.png")


def test_static_png_export_uses_system_chromium(small_kb: gk.KnowledgeBase, tmp_path: Path) -> None:
    pytest.importorskip("kaleido", reason="kaleido is not installed")
    from graphkit.render.export import write_image

    target = write_image(event_map(small_kb), tmp_path / "map.png")
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


HOVER_AT = """([curve, point]) => {
    const gd = document.querySelector('.js-plotly-plot');
    const trace = gd._fullData[curve];
    const xval = gd._fullLayout.xaxis.d2c(trace.x[point]);
    Plotly.Fx.hover(gd, {xval: xval, yval: trace.y[point]});  // WebGL: hover by position
    const label = document.querySelector('.hovertext');
    return {text: label ? label.textContent : null,
            points: (gd._hoverdata || []).map(p => [p.curveNumber, p.pointNumber, p.customdata])};
}"""


def test_large_timeline_loads_hover_lazily_with_fixed_margins(
    tmp_path: Path, open_page: Open, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    from graphkit.render import html as render_html

    monkeypatch.setattr(render_html, "LAZY_COLUMN_POINTS", 1000)
    kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(3000, 2)))
    fig = timeline(kb, overview_over=10_000)
    path = write_html(fig, tmp_path / "lazy.html")
    assert "graphkitLazyColumns(" in path.read_text(encoding="utf-8")
    page = open_page(path)
    assert page.errors == [] and page.blocked == []
    assert page.evaluate(
        "() => document.querySelector('.js-plotly-plot')._context.plotGlPixelRatio"
    ) == page.evaluate("() => window.devicePixelRatio")

    def hover(curve: int, point: int) -> dict[str, Any]:
        shown: dict[str, Any] = page.evaluate(HOVER_AT, [curve, point])
        assert shown["text"] and shown["points"]
        c, p, url = shown["points"][0]
        assert url == fig.data[c].customdata[p]  # click data from the lazy table
        found = re.search(r"<i>([^<]+)</i>", fig.data[c].hovertext[p])
        assert found is not None and found.group(1) in shown["text"]  # its label
        return shown

    curve, point = _locate(
        fig,
        lambda t, i: t.type == "scattergl" and t.hovertext is not None and bool(t.customdata[i]),
    )
    hover(curve, point)
    opened = page.evaluate(
        """() => {
        const opened = [];
        window.open = (url) => { opened.push(url); };
        const gd = document.querySelector('.js-plotly-plot');
        gd.emit('plotly_click', {points: gd._hoverdata});
        return opened;
    }"""
    )
    assert len(opened) == 1 and opened[0].startswith("http")

    # after the type filter (a restyle), labels still load
    page.evaluate("() => Plotly.Fx.unhover(document.querySelector('.js-plotly-plot'))")
    page.page.select_option("select.gk-type", "statement")
    page.page.wait_for_timeout(300)
    curve, point = _locate(
        fig,
        lambda t, i: (
            t.type == "scattergl"
            and (t.meta or {}).get("type") == "statement"
            and t.hovertext is not None
        ),  # fmt: skip
    )
    hover(curve, point)

    # computed margins: lane labels, legend and range slider all fit, beside the plot
    box = page.evaluate(
        """() => {
        const gd = document.querySelector('.js-plotly-plot');
        const size = gd._fullLayout._size;
        const frame = gd.getBoundingClientRect();
        const ticks = [...gd.querySelectorAll('.yaxislayer-above .ytick text')]
            .map(t => t.getBoundingClientRect().left - frame.left);
        const legend = gd.querySelector('.legend').getBoundingClientRect();
        const slider = gd.querySelector('.rangeslider-container').getBoundingClientRect();
        return {ticks: Math.min(...ticks), legend: legend.left - frame.left,
                plotRight: size.l + size.w, slider: slider.bottom - frame.top,
                height: frame.height};
    }"""
    )
    assert box["ticks"] >= 0 and box["legend"] >= box["plotRight"] - 1
    assert box["slider"] <= box["height"]
    page.screenshot("timeline-3000-lazy.png")


def test_hostile_data_in_lazy_webgl_columns_never_executes(
    hostile_kb: gk.KnowledgeBase, tmp_path: Path, open_page: Open, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphkit.render import html as render_html

    monkeypatch.setattr(render_html, "LAZY_COLUMN_POINTS", 1)
    path = write_html(timeline(hostile_kb, webgl=True), tmp_path / "hostile-gl.html")
    assert "graphkitLazyColumns(" in path.read_text(encoding="utf-8")
    page = open_page(path)
    labels = page.evaluate(
        """() => {
        const gd = document.querySelector('.js-plotly-plot');
        const labels = [];
        gd._fullData.forEach((t, c) => {
            if (t.type !== 'scattergl' || t.hoverinfo === 'skip') { return; }
            for (let i = 0; i < t.x.length; i++) {
                Plotly.Fx.hover(gd, {xval: gd._fullLayout.xaxis.d2c(t.x[i]), yval: t.y[i]});
                const label = document.querySelector('.hovertext');
                labels.push(label && {
                    text: label.textContent,
                    bad: label.querySelectorAll('img, iframe, script, foreignObject').length,
                    hrefs: [...label.querySelectorAll('a')].map(a => a.getAttribute('href')
                        || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href')),
                });
                window.open = () => {};
                gd.emit('plotly_click', {points: gd._hoverdata || []});
            }
        });
        return labels;
    }"""
    )
    assert labels and all(labels)  # every point's label loaded from the lazy table
    for label in labels:  # the hostile markup shows as text, links only as https
        assert label["bad"] == 0 and all(h.startswith("https://") for h in label["hrefs"])
    assert any("<script>" in label["text"] for label in labels)
    assert page.evaluate("() => window.__pwned") is None
    assert page.dialogs == [] and page.errors == []
    assert page.evaluate("() => document.querySelectorAll('img, iframe, svg script').length") == 0
    hrefs = page.evaluate(
        "() => [...document.querySelectorAll('a')].map(a => a.getAttribute('href')"
        " || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'))"
    )
    assert all(h is None or h.startswith("https://") for h in hrefs), hrefs


@pytest.mark.parametrize("deflate", [False, True])
def test_in_page_brief_hovers_match_python_for_hostile_data(
    hostile_kb: gk.KnowledgeBase,
    tmp_path: Path,
    open_page: Open,
    monkeypatch: pytest.MonkeyPatch,
    deflate: bool,
) -> None:
    """The page joins compact brief hovers (graphkit/render/_hovers.py) into Python's strings.

    With ``deflate``, the tables are deflated in the file and inflated by the page.
    """
    from graphkit.render import html as render_html

    monkeypatch.setattr(render_html, "LAZY_COLUMN_POINTS", 1)
    monkeypatch.setattr(render_html, "DEFLATE_COLUMNS_OVER", 0 if deflate else 10**9)
    fig = timeline(hostile_kb, webgl=True, brief_hover_over=0)
    path = write_html(fig, tmp_path / "hostile-brief.html")
    written = path.read_text(encoding="utf-8")
    assert 'id="graphkit-figure-hovers"' in written and ("data-deflate>" in written) == deflate
    page = open_page(path)
    columns = page.evaluate(
        """async () => {
        await window.graphkitColumns['graphkit-figure'].ready();
        return document.querySelector('.js-plotly-plot').data.map(t =>
            t.type === 'scattergl' && t.hovertext
                ? [Array.from({length: t.hovertext.length}, (_, i) => t.hovertext[i]),
                   Array.from({length: t.hovertext.length}, (_, i) => t.customdata[i])]
                : null);
    }"""
    )
    expected = [
        [list(t.hovertext), list(t.customdata)]
        if t.type == "scattergl" and t.hovertext is not None
        else None
        for t in fig.data
    ]
    assert columns == expected
    briefs = [h for c in columns if c for h in c[0] if "&lt;" in h]
    assert briefs  # the hostile summaries, escaped, in the labels the page built
    assert page.evaluate("() => window.__pwned") is None
    assert page.dialogs == [] and page.errors == []
