"""What a reader sees on a phone (390x844) and a desktop (1400x900): nothing cut at an edge, no
name on another, every column of the escalation table in view, labels beside their bars, not
on them, and a page that says how to see the labels it leaves out."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import hover_each, overlapping

pytestmark = pytest.mark.browser

Open = Callable[..., Any]

#: Every text a figure shows (not hidden by the page script), with its box and its kind.
TEXTS_JS = """(id) => {
    const gd = document.getElementById(id);
    const frame = gd.getBoundingClientRect();
    const size = gd._fullLayout._size;
    const plot = {l: frame.left + size.l, r: frame.left + size.l + size.w,
                  t: frame.top + size.t, b: frame.top + size.t + size.h};
    const texts = [...gd.querySelectorAll('.scatterlayer .textpoint text')]
        .filter(t => t.style.display !== 'none' && t.textContent)
        .map(t => { const r = t.getBoundingClientRect();
                    const trace = t.parentNode.parentNode.parentNode.__data__[0].trace;
                    return {text: t.textContent, l: r.left, r: r.right, t: r.top, b: r.bottom,
                            kind: (trace.meta || {}).kind, bar: (trace.meta || {}).labels === true}; })
        .filter(b => b.r - b.l > 0);
    const bars = [...gd.querySelectorAll('.barlayer .trace')].flatMap(g => {
        const trace = g.__data__[0].trace;
        return [...g.querySelectorAll('.point path')].map(p => {
            const r = p.getBoundingClientRect();
            return {kind: (trace.meta || {}).kind, l: r.left, r: r.right, t: r.top, b: r.bottom};
        }).filter(b => b.r - b.l > 0);
    });
    const status = document.getElementById(id + '-status');
    return {texts, bars, plot, status: status ? status.textContent : '',
            hidden: [...gd.querySelectorAll('.scatterlayer .textpoint text')]
                .filter(t => t.style.display === 'none').length};
}"""


def test_phone_nothing_cut_at_an_edge_and_no_name_on_another(
    report_page: Path, open_page: Open
) -> None:
    """At 390 px: every text of the timeline, network and map whole inside its plot (bars'
    labels shortened to fit), no two actors' names touching, legends under their drawing."""
    page = open_page(report_page, plots=3, width=390, height=844)
    for name in ("gk-timeline", "gk-network", "gk-map"):
        drawn = page.evaluate(TEXTS_JS, name)
        plot = drawn["plot"]
        cut = [t["text"] for t in drawn["texts"] if t["r"] > min(plot["r"], 390) + 1]
        cut += [t["text"] for t in drawn["texts"] if t["l"] < plot["l"] - 1]
        assert cut == [], (name, cut)
    timeline = page.evaluate(TEXTS_JS, "gk-timeline")
    shortened = [t["text"] for t in timeline["texts"] if t["bar"] and t["text"].endswith("…")]
    assert shortened, "long relation labels are shortened, not cut"
    names = [t for t in page.evaluate(TEXTS_JS, "gk-network")["texts"] if t["kind"] == "node"]
    assert len(names) >= 5
    touching = [
        (a["text"], b["text"])
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]
    ]
    assert touching == []
    for name in ("gk-network", "gk-map"):
        legend, plot_bottom, height = page.evaluate(
            """(id) => { const gd = document.getElementById(id);
                         const legend = gd.querySelector('.legend');
                         const frame = gd.getBoundingClientRect(), s = gd._fullLayout._size;
                         return [legend ? legend.getBoundingClientRect().toJSON() : null,
                                 frame.top + s.t + s.h, frame.height]; }""",
            name,
        )
        assert legend is not None and legend["top"] >= plot_bottom - 1, name  # under, not over
        assert legend["right"] <= 390 + 1, name
        if name == "gk-map":
            assert height < 600, name  # as tall as its drawing, not the desktop's 760-800 px
        else:  # the network stands up, as tall as its drawing: nodes from its top to its bottom
            span = page.evaluate(
                """(id) => { const gd = document.getElementById(id);
                             const frame = gd.getBoundingClientRect(), s = gd._fullLayout._size;
                             const nodes = [...gd.querySelectorAll('.scatterlayer .trace')]
                                 .filter(g => (g.__data__[0].trace.meta || {}).kind === 'node')
                                 .flatMap(g => [...g.querySelectorAll('path.point')])
                                 .map(p => p.getBoundingClientRect());
                             return [frame.top + s.t, frame.top + s.t + s.h, s.w,
                                     Math.min(...nodes.map(r => r.top)),
                                     Math.max(...nodes.map(r => r.bottom))]; }""",
                name,
            )
            top, bottom, width, highest, lowest = span
            assert bottom - top > width, span  # portrait on a portrait screen
            assert highest - top < 60 and bottom - lowest < 60, span  # no blank band
        box = page.evaluate(
            "(id) => document.getElementById(id).parentNode.getBoundingClientRect().height", name
        )
        assert box <= height + 1, name  # and its box on the page too: no blank band under it
    # the map's drawing fills its plot: no blank band under a thin strip
    blank = page.evaluate(
        """() => { const gd = document.getElementById('gk-map');
                   const frame = gd.getBoundingClientRect(), s = gd._fullLayout._size;
                   const geo = gd.querySelector('.geo .bg').getBoundingClientRect();
                   return frame.top + s.t + s.h - geo.bottom; }"""
    )
    assert blank < 40
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.screenshot("layout-phone-report.png")
    assert page.errors == []


def test_phone_escalation_steps_are_cards_with_every_column_in_view(
    report_page: Path, open_page: Open
) -> None:
    page = open_page(report_page, plots=3, width=390, height=844)
    table = page.evaluate(
        """() => { const t = document.querySelector('table.gk-steps');
                   const box = t.parentNode;
                   const cells = [...t.querySelectorAll('tbody td')].filter(c => c.textContent);
                   return {overflow: box.scrollWidth - box.clientWidth,
                           tableWidth: t.getBoundingClientRect().width,
                           out: cells.filter(c => { const r = c.getBoundingClientRect();
                                                    return r.left < 0 || r.right > 390; }).length,
                           cells: cells.length,
                           labels: [...new Set(cells.map(c => getComputedStyle(c, '::before')
                                                            .content))]}; }"""
    )
    assert table["overflow"] <= 0 and table["tableWidth"] <= 390
    assert table["cells"] > 50 and table["out"] == 0
    # each value is shown under its column's name
    assert {'"summary"', '"grade"', '"evidence"'} <= set(table["labels"])
    # a desktop keeps the table
    wide = open_page(report_page, plots=3, width=1400, height=900)
    assert (
        wide.evaluate(
            "() => getComputedStyle(document.querySelector('table.gk-steps thead')).display"
        )
        == "table-header-group"
    )
    assert page.errors == [] and wide.errors == []


def test_desktop_labels_beside_their_bars_and_left_out_labels_explained(
    report_page: Path, open_page: Open
) -> None:
    """At 1400 px: no bar's label runs over the start of a bar, no event's label lies on an
    event's hatch or duration bar, and the status line says how many labels are left out and
    how to see them (hover, zoom)."""
    # 1400 px wide; tall enough that the whole timeline is in view for the mouse
    page = open_page(report_page, plots=3, width=1400, height=1800)
    drawn = page.evaluate(TEXTS_JS, "gk-timeline")
    texts, bars = drawn["texts"], drawn["bars"]
    inked = [{**t, "t": t["t"] + 0.18 * (t["b"] - t["t"]), "b": t["b"] - 0.18 * (t["b"] - t["t"])}
             for t in texts]  # fmt: skip
    relation_bars = [b for b in bars if b["kind"] == "relation"]
    starts = [  # where a bar starts (not where its uncertain part gives way to its certain part)
        b
        for b in relation_bars
        if not any(abs(o["r"] - b["l"]) < 1.5 and abs(o["t"] - b["t"]) < 1.5 for o in relation_bars)
    ]
    across = [
        t["text"]
        for t in inked
        if t["bar"]
        for b in starts
        if t["l"] + 2 < b["l"] < t["r"] - 2
        and t["t"] < b["b"] and b["t"] < t["b"]
    ]  # fmt: skip
    assert across == []
    on_bar = [
        t["text"]
        for t in inked
        if t["kind"] == "event"
        for b in bars
        if b["kind"] == "event" and t["l"] + 1 < b["r"] and b["l"] < t["r"] - 1
        and t["t"] + 1 < b["b"] and b["t"] < t["b"] - 1
    ]  # fmt: skip
    assert on_bar == []
    assert overlapping(texts) == []
    assert drawn["hidden"] > 0
    said = re.search(r"(\d+) labels? left out .* hover a marker .* zoom in", drawn["status"])
    assert said is not None, drawn["status"]
    events_hidden = page.evaluate(
        """() => document.getElementById('gk-timeline').__gkHiddenLabels"""
    )
    assert int(said.group(1)) == events_hidden > 0
    # and what it says holds: every marker whose label is left out answers the mouse
    unlabeled = page.evaluate(
        """() => [...document.querySelectorAll('#gk-timeline .scatterlayer .trace')].flatMap(g => {
               const trace = g.__data__[0].trace;
               const kind = (trace.meta || {}).kind;
               if ((kind !== 'event' && kind !== 'planned') || !trace.ids) { return []; }
               return [...g.querySelectorAll('.textpoint')]
                   .filter(tp => tp.querySelector('text').style.display === 'none')
                   .map(tp => String(trace.ids[tp.__data__.i])); })"""
    )
    assert len(unlabeled) == events_hidden
    page.evaluate("() => document.getElementById('gk-timeline').scrollIntoView()")
    said_by = hover_each(page, "#gk-timeline", only=set(unlabeled))
    silent = [i for i in unlabeled if i.removesuffix("/planned") not in said_by.get(i, "")]
    assert silent == []
    assert page.errors == []
