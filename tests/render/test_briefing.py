"""Issue 15 in the browser: nothing hidden, labels that never overlap, phone, print, messages,
range buttons, linked views, page state and the overview of large figures."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import graphkit as gk
from benchmarks.generate import generate
from graphkit.model import Document
from graphkit.render import event_map, network, report, timeline, write_html

from .conftest import LABEL_BOXES_JS, POINTS_JS, hover_each, overlapping

pytestmark = pytest.mark.browser

Open = Callable[..., Any]
CROWDED_IDS = [f"r{i}" for i in range(10)] + [f"e{i}" for i in range(5)]


def _names(label: str, ident: str, others: list[str]) -> bool:
    """Whether a hover label is the label of ``ident`` (and of no other crowded item)."""
    ids = set(re.findall(r"· ([a-z][0-9]+)\b", label))
    return ident in ids and not (ids & (set(others) - {ident}))


def _views_page(path: Path, figures: dict[str, Any]) -> Path:
    """One page holding several figures (one plotly.js, one page script): fewer page loads."""
    from graphkit.render.html import figure_div, page

    body = "".join(figure_div(fig, name, heading=2) for name, fig in figures.items())
    geo = any(getattr(t, "type", "") == "scattergeo" for f in figures.values() for t in f.data)
    path.write_text(page(body, title="views", geo=geo), encoding="utf-8")
    return path


def test_every_crowded_item_answers_its_own_hover(
    crowded_kb: gk.KnowledgeBase, tmp_path: Path, open_page: Open
) -> None:
    """Ten relations of one lane over the same dates, five events on one day at one place,
    links between the same actors: the mouse on each item's drawn position brings up that
    item's label, on the timeline, the map and the network."""
    figures = {
        "crowded-timeline": timeline(crowded_kb),
        "crowded-map": event_map(crowded_kb),
        "crowded-network": network(crowded_kb),
    }
    page = open_page(_views_page(tmp_path / "views.html", figures), plots=3, height=900)
    for name in figures:
        page.evaluate(f"() => document.getElementById('{name}').scrollIntoView()")
        labels = hover_each(page, f"#{name}")
        if name == "crowded-timeline":
            assert sorted(i for i in labels if i in CROWDED_IDS) == sorted(CROWDED_IDS)
            for ident in CROWDED_IDS:
                assert _names(labels[ident], ident, CROWDED_IDS), (ident, labels[ident])
            page.screenshot("crowded-views.png")
        elif name == "crowded-map":
            events = [f"e{i}" for i in range(5)]
            assert sorted(labels) == events
            for ident in events:
                assert f"Event {ident[1]} at the port" in labels[ident], labels[ident]
        else:
            relations = [f"r{i}" for i in range(10)]
            assert set(relations) <= set(labels)
            for ident in relations:
                assert re.search(rf"· {ident} ·", labels[ident]), (ident, labels[ident])
            assert "5 events" in labels["A->B"]
    assert page.errors == [] and page.blocked == []


def test_labels_never_overlap_and_range_buttons_work_in_any_order(
    flagship: gk.KnowledgeBase, tmp_path: Path, open_page: Open
) -> None:
    page = open_page(write_html(timeline(flagship), tmp_path / "t.html"), height=900)
    meta = page.evaluate("() => document.querySelector('.js-plotly-plot').layout.meta")
    lo, hi = meta["bounds"]
    day = 86_400_000
    spans = {"1m": 30.44 * day, "6m": 182.6 * day, "1y": 365.25 * day}
    shown = []
    for button in (None, "all", "1m", "5y", "6m", "all"):
        if button:
            page.page.click(f"button[data-range='{button}']")
            page.page.wait_for_timeout(400)
            x0, x1 = page.evaluate("() => window.graphkit.views['graphkit-figure'].xrange()")
            assert lo - day <= x0 < x1 <= hi + day, button  # never an empty past or future
            if button in spans:
                assert abs((x1 - x0) - spans[button]) < 2 * day, button
            else:  # all, and 5y of a story shorter than five years: everything drawn
                assert abs(x0 - lo) < 2 * day and abs(x1 - hi) < 2 * day, button
        boxes = page.evaluate(LABEL_BOXES_JS, ".js-plotly-plot")
        assert overlapping(boxes) == [], button  # titles never overlap, at any zoom
        shown.append(len(boxes))
    assert shown[0] >= 20  # the first view is read, not only hovered
    page.screenshot("timeline-labels-flagship.png")


def test_empty_views_say_so(small_kb: gk.KnowledgeBase, tmp_path: Path, open_page: Open) -> None:
    figures = {
        "graphkit-figure": timeline(small_kb),
        "no-match": timeline(small_kb, types=["sanction"]),
        "no-link": network(small_kb, at="1900-01-01"),
        "no-place": event_map(small_kb, types=["statement"]),
    }
    page = open_page(_views_page(tmp_path / "e.html", figures), plots=4)
    # a figure with nothing to draw says so
    texts = page.evaluate(  # (the messages are wrapped: compare without spaces)
        "() => [...document.querySelectorAll('.annotation-text')]"
        ".map(t => t.textContent.replace(/\\s/g, ''))"
    )
    for words in (
        "Nothing to show: no event or relation matches",
        "no relation or event links two actors on 1900-01-01",
        "No event has coordinates",
    ):
        assert any(words.replace(" ", "") in t for t in texts), (words, texts)
    # ... once: no second message, and no counts over the empty axis's made-up dates (1970)
    empty = page.evaluate(
        """() => [document.getElementById('no-match-message').hidden,
                  document.getElementById('no-match-status').textContent]"""
    )
    assert empty == [True, ""], empty
    # a view zoomed to where nothing is says so, and offers the way back
    message = "() => document.getElementById('graphkit-figure-message')"
    assert page.evaluate(f"{message}.hidden")
    page.evaluate(
        "() => window.graphkit.views['graphkit-figure'].setX(Date.UTC(2023, 0, 1),"
        " Date.UTC(2023, 2, 1))"
    )
    page.page.wait_for_timeout(400)
    text = page.evaluate(f"() => ({message[6:]}).textContent")
    assert "Nothing to show here" in text and "2023-01-01" in text
    page.page.click("#graphkit-figure-message button")  # "Show all" brings the events back
    page.page.wait_for_timeout(400)
    assert page.evaluate(f"{message}.hidden")
    assert page.errors == []


def test_phone_has_no_sideways_scroll_and_the_legend_does_not_cover(
    flagship: gk.KnowledgeBase, tmp_path: Path, open_page: Open
) -> None:
    path = tmp_path / "report.html"
    path.write_text(report(flagship), encoding="utf-8")  # timeline, network and map
    page = open_page(path, plots=3, width=390, height=844)
    page.page.wait_for_timeout(300)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    # no plotly legend over the timeline (a panel opens above it); the network's and the map's
    # legends lie under their drawing (tests/render/test_layout.py)
    assert page.evaluate("() => document.querySelectorAll('#gk-timeline .legend').length") == 0
    # actors' names are whole or hidden (on hover), never cut at the screen's edge
    names = page.evaluate(
        """() => { const gd = document.getElementById('gk-network');
                   const frame = gd.getBoundingClientRect();
                   return [...gd.querySelectorAll('.textpoint text')]
                     .filter(t => t.style.display !== 'none' && t.textContent)
                     .map(t => { const r = t.getBoundingClientRect();
                                 return [t.textContent, r.left >= frame.left - 1
                                         && r.right <= frame.right + 1]; }); }"""
    )
    assert len(names) >= 5 and all(inside for _, inside in names), names
    page.page.click("#gk-timeline-view .gk-legend-toggle")
    page.page.wait_for_timeout(300)
    boxes = page.evaluate(
        """() => { const panel = document.querySelector('.gk-legend:not([hidden])');
                   const plot = panel.parentNode.querySelector('.gk-plot');
                   const a = panel.getBoundingClientRect(), b = plot.getBoundingClientRect();
                   return [a.bottom, b.top, panel.textContent]; }"""
    )
    assert boxes[0] <= boxes[1] and "Use of force" in boxes[2]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.screenshot("phone-report.png")
    assert page.errors == []


def test_report_views_are_linked_and_it_prints_to_pdf(
    flagship: gk.KnowledgeBase, tmp_path: Path, open_page: Open
) -> None:
    from graphkit.query.escalation import escalations

    steps = escalations(flagship)
    path = tmp_path / "report.html"
    path.write_text(report(flagship, steps=steps), encoding="utf-8")
    page = open_page(path, plots=3)
    page.evaluate("() => document.getElementById('gk-network').scrollIntoView({block: 'center'})")
    node = next(
        p
        for p in page.evaluate(POINTS_JS, "#gk-network")
        if p["kind"] == "node" and p["id"] == "KPA"
    )
    page.page.mouse.click(node["x"], node["y"])
    page.page.wait_for_timeout(500)
    state = page.evaluate("() => window.graphkit.state('gk-timeline')")
    assert state["actor"] == "KPA"
    faded = page.evaluate(
        """() => { const gd = document.getElementById('gk-timeline');
                   return gd._fullData.filter(t => Array.isArray(t.selectedpoints))
                       .map(t => [t.ids.length, t.selectedpoints.length]); }"""
    )
    kept = sum(k for _, k in faded)
    assert 0 < kept < sum(n for n, _ in faded)  # what involves the KPA stays, the rest fades
    assert "Korean People" in page.evaluate(
        "() => document.getElementById('gk-timeline-message').textContent"
    )
    # a step of the escalation table highlights its events and brings them into view
    row = page.page.query_selector(".gk-step")
    ids = __import__("json").loads(row.get_attribute("data-events"))
    row.click()
    page.page.wait_for_timeout(500)
    state = page.evaluate("() => window.graphkit.state('gk-timeline')")
    assert state["highlight"] == ids and state["actor"] is None
    page.screenshot("report-linked.png")
    # printed: controls hidden, figures at the paper's width, a PDF of several pages
    page.page.emulate_media(media="print")
    page.page.wait_for_timeout(1500)
    widths = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].map(g => g._fullLayout.width)"
    )
    assert len(widths) == 3 and all(w <= 700 for w in widths)
    assert page.evaluate(
        "() => getComputedStyle(document.querySelector('.gk-controls')).display"
    ) == "none"
    pdf = page.page.pdf(format="A4", print_background=True)
    assert pdf[:5] == b"%PDF-" and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 3
    (tmp_path / "report.pdf").write_bytes(pdf)
    assert page.errors == []


def test_timeline_state_lives_in_the_url(
    flagship: gk.KnowledgeBase, tmp_path: Path, browser: Any
) -> None:
    path = write_html(timeline(flagship), tmp_path / "t.html")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(path.resolve().as_uri() + "#x=2024-10-01,2024-12-31&type=statement&lane=0")
        page.wait_for_function("() => window.graphkit && window.graphkit.views['graphkit-figure']"
                               " && window.graphkit.views['graphkit-figure'].mounted")  # fmt: skip
        state = page.evaluate("() => window.graphkit.state('graphkit-figure')")
        assert state["x"][0] == "2024-10-01" and state["type"] == "statement" and state["lane"] == 0
        assert page.evaluate("() => document.querySelector('select.gk-type').value") == "statement"
        page.select_option("select.gk-lane", "")
        page.wait_for_timeout(300)
        assert "lane=" not in page.evaluate("() => window.location.hash")
        assert "type=statement" in page.evaluate("() => window.location.hash")
    finally:
        page.close()


def test_large_timeline_opens_on_an_overview(tmp_path: Path, open_page: Open) -> None:
    kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(1200, 2)))
    fig = timeline(kb, webgl=True, overview_over=400)
    page = open_page(write_html(fig, tmp_path / "big.html"))

    def drawn() -> dict[str, int]:
        result: dict[str, int] = page.evaluate(
            """() => { const gd = document.querySelector('.js-plotly-plot');
                       const on = gd._fullData.filter(t => t.visible === true);
                       return {heat: on.filter(t => t.type === 'heatmap').length,
                               events: on.filter(t => t.meta.kind === 'event' && t.hoverinfo !== 'skip')
                                   .reduce((n, t) => n + t.x.length, 0)}; }"""
        )
        return result

    assert drawn() == {"heat": drawn()["heat"], "events": 0} and drawn()["heat"] >= 3
    assert "Overview" in page.evaluate("() => document.querySelector('.gk-status').textContent")
    page.screenshot("overview-3000.png")
    mode = "() => window.graphkit.views['graphkit-figure'].mode"
    page.page.click("button[data-range='1m']")  # few events in a month: the events themselves
    page.page.wait_for_function(f"() => ({mode[6:]}) === 'detail'")
    page.page.wait_for_timeout(300)
    now = drawn()
    assert now["heat"] == 0 and now["events"] > 0
    page.page.click("button[data-range='all']")
    page.page.wait_for_function(f"() => ({mode[6:]}) === 'overview'")
    page.page.wait_for_timeout(300)
    assert drawn()["events"] == 0
    assert page.errors == []


def test_a_crowded_place_is_a_count_that_expands(tmp_path: Path, open_page: Open) -> None:
    events = "".join(
        f"  - {{id: x{i}, type: attack, date: 2024-06-{i + 1:02d}, actor: A, "
        f"location: {{name: Port, lat: 12.8, lon: 43.3}}, summary: \"Strike {i}\"}}\n"
        for i in range(12)
    )
    kb = gk.loads(
        "format_version: 1\nactors: [{id: A, name: Alpha, kind: state}]\nevents:\n" + events
    )
    page = open_page(write_html(event_map(kb), tmp_path / "m.html"), height=900)
    cluster = next(p for p in page.evaluate(POINTS_JS, ".js-plotly-plot") if p["kind"] == "cluster")
    assert "12" in page.evaluate(
        "() => [...document.querySelectorAll('.geo text')].map(t => t.textContent)"
    )
    page.page.mouse.click(cluster["x"], cluster["y"])
    page.page.wait_for_timeout(800)
    labels = hover_each(page)
    spread = {i: t for i, t in labels.items() if i.startswith("x")}
    assert sorted(spread) == sorted(f"x{i}" for i in range(12))  # each one reachable
    for ident, text in spread.items():
        assert f"Strike {ident[1:]}" in text and "one of 12 events here" in text
    assert "Spread: 12 events" in page.evaluate(
        "() => document.querySelector('.gk-message').textContent"
    )
    page.screenshot("map-cluster-spread.png")
    page.page.click(".gk-message button")  # back to the count
    page.page.wait_for_timeout(500)
    assert not [p for p in page.evaluate(POINTS_JS, ".js-plotly-plot") if p["kind"] == "ring"]
    assert page.errors == []
