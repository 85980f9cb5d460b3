"""Fixtures for the render tests: small datasets and a headless Chromium with the network off."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import graphkit as gk

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

SMALL = """
format_version: 1
sources:
  - {id: s1, title: "NIS briefing", publisher: Yonhap, url: "https://example.org/nis", reliability: B}
  - {id: s2, title: "Untitled note", reliability: F}
actors:
  - {id: PRK, name: North Korea, kind: state}
  - {id: KPA, name: Korean People's Army, kind: armed_force, part_of: PRK}
  - {id: RUS, name: Russia, kind: state}
  - {id: UKR, name: Ukraine, kind: state}
relations:
  - {id: war, type: at_war_with, from: RUS, to: UKR, start: 2022-02-24, sources: [s1]}
  - {id: treaty, type: allied_with, from: PRK, to: RUS, start: 2024-06, end: 2025, sources: [s1]}
events:
  - id: deploy
    type: troop_deployment
    date: 2024-10
    actor: KPA
    target: RUS
    location: {name: Vladivostok, lat: 43.1, lon: 131.9}
    quantities:
      - {value: 1500, unit: soldiers, kind: increment}
      - {value: 3000, unit: soldiers}
      - {max: 10000, unit: soldiers, planned: true, by: 2024-12}
    summary: "North Korea sends 1,500 more soldiers, 3,000 in all."
    sources: [{source: s1, according_to: PRK}]
    credibility: 2
  - id: talk
    type: statement
    date: 2024-10-23
    actor: RUS
    summary: "Russia neither confirms nor denies."
    sources: [s2]
  - id: shipments
    type: arms_transfer
    date: {start: 2023-09-07}
    actor: PRK
    target: RUS
    location: {name: Najin, lat: 42.2, lon: 130.3}
    summary: "Munitions shipments begin."
    sources: [s1]
  - id: strike
    type: attack
    date: {earliest: 2024-11-01, latest: 2024-11-10}
    actor: UKR
    target: KPA
    summary: "Ukraine strikes North Korean troops."
    sources: [s1]
"""

#: Every data field a browser could run, in the places the figures show.
HOSTILE = """
format_version: 1
event_types:
  - {id: evil_type, label: "<img src=x onerror=\\"window.__pwned='type'\\">Evil"}
sources:
  - id: s1
    title: "<script>window.__pwned='title'</script>Title"
    publisher: "<img src=x onerror=\\"window.__pwned='publisher'\\">"
    url: "https://example.org/\\"><img/src=x/onerror=window.__pwned='url'>"
    reliability: C
actors:
  - {id: A, name: "<img src=x onerror=\\"window.__pwned='actor'\\">Alpha", kind: state}
  - {id: B, name: "<a href=\\"javascript:window.__pwned='link'\\">Beta</a>", kind: state}
relations:
  - {id: r1, type: allied_with, from: A, to: B, start: 2024-01, sources: [s1],
     summary: "<svg onload=\\"window.__pwned='relation'\\"></svg>"}
events:
  - id: e1
    type: evil_type
    date: 2024-10-02
    actor: A
    target: B
    location: {name: "<iframe src=\\"javascript:window.__pwned='place'\\">", lat: 10, lon: 20}
    quantities: [{value: 5, unit: "<b onmouseover=\\"window.__pwned='unit'\\">x</b>"}]
    summary: "<script>window.__pwned='summary'</script><img src=x onerror=\\"window.__pwned='img'\\">"
    quote: {text: "<a href=\\"javascript:window.__pwned='quote'\\">click</a>"}
    sources: [s1]
  - id: e2
    type: statement
    date: 2024-10
    actor: B
    summary: "javascript:window.__pwned='plain'"
    sources: [s1]
"""


#: The worst cases of issue 15: ten relations of one lane over the same dates, five events on one
#: day at one place, and several links between the same two actors.
CROWDED = (
    """
format_version: 1
sources:
  - {id: s, title: "Report", url: "https://example.org/report", reliability: B}
actors:
  - {id: A, name: Alpha, kind: state}
  - {id: B, name: Beta, kind: state}
  - {id: C, name: Gamma, kind: state}
relations:
"""
    + "".join(
        f"  - {{id: r{i}, type: {t}, from: A, to: {'B' if i % 2 else 'C'}, start: 2024-01-01, "
        f"end: 2024-12-31, sources: [s]}}\n"
        for i, t in enumerate(
            [
                "allied_with",
                "supports",
                "sanctions",
                "hostile_to",
                "cooperates_with",
                "supplies_arms_to",
                "member_of",
                "attacks",
                "deploys_forces_in",
                "leads",
            ]
        )
    )
    + """events:
"""
    + "".join(
        f"  - {{id: e{i}, type: {t}, date: 2024-06-15, actor: A, target: B, "
        f'location: {{name: Port, lat: 12.8, lon: 43.3}}, summary: "Event {i} at the port", '
        f"sources: [s]}}\n"
        for i, t in enumerate(["attack", "statement", "attack", "sanction", "threat"])
    )
    + """  - {id: far, type: statement, date: 2024-11-02, actor: B, summary: "A later statement"}
"""
)


@pytest.fixture(scope="session")
def report_page(flagship: gk.KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The flagship's report (timeline, network, map, escalation steps), written once."""
    from graphkit.query.escalation import escalation_index, escalations
    from graphkit.render import report

    index = escalation_index(flagship, freq="week")
    path = tmp_path_factory.mktemp("report") / "report.html"
    page = report(flagship, escalation=index, steps=escalations(flagship), title="flagship")
    path.write_text(page, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def crowded_kb() -> gk.KnowledgeBase:
    return gk.loads(CROWDED, name="crowded.yaml")


@pytest.fixture(scope="session")
def small_kb() -> gk.KnowledgeBase:
    return gk.loads(SMALL, name="small.yaml")


@pytest.fixture(scope="session")
def hostile_kb() -> gk.KnowledgeBase:
    return gk.loads(HOSTILE, name="hostile.yaml")


@dataclass
class Page:
    """A Playwright page plus what it logged."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / name
        self.page.screenshot(path=str(target), full_page=True)
        return target


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Page]]:
    """Open a file from disk with every non-file request aborted; wait for plotly to draw."""
    pages: list[Any] = []

    def open_(path: Path, *, plots: int = 1, width: int = 1400, height: int = 1000) -> Page:
        page = browser.new_page(viewport={"width": width, "height": height})
        pages.append(page)
        result = Page(page)
        page.on(
            "console",
            lambda m: result.errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: result.errors.append(f"pageerror: {e}"))

        def on_dialog(dialog: Any) -> None:
            result.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

        def route(r: Any) -> None:
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                result.blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(path.resolve().as_uri(), wait_until="commit", timeout=0)
        page.wait_for_function(
            """n => {
                const gds = document.querySelectorAll('.js-plotly-plot');
                return gds.length >= n && [...gds].every(g => g._fullLayout && g._fullData);
            }""",
            arg=plots,
            timeout=120_000,
        )
        page.wait_for_function(  # graphkit's page script has set each figure up
            """() => !window.graphkit || [...document.querySelectorAll('.js-plotly-plot')]
                .every(g => window.graphkit.views[g.id] && window.graphkit.views[g.id].mounted)""",
            timeout=120_000,
        )
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        return result

    yield open_
    for page in pages:
        page.close()


#: Every hoverable point of a figure with its id and screen position (the middle of its visible
#: part): markers, bars and map points, read from the drawn SVG elements.
POINTS_JS = """(selector) => {
    const gd = document.querySelector(selector);
    const frame = gd.getBoundingClientRect();
    const size = gd._fullLayout._size;
    const plot = {l: frame.left + size.l, r: frame.left + size.l + size.w,
                  t: frame.top + size.t, b: frame.top + size.t + size.h};
    const out = [];
    const groups = gd.querySelectorAll(
        '.cartesianlayer .scatterlayer .trace, .cartesianlayer .barlayer .trace, .geo .trace');
    groups.forEach(group => {
        const trace = group.__data__ && group.__data__[0] && group.__data__[0].trace;
        if (!trace || trace.visible !== true || trace.hoverinfo === 'skip') { return; }
        group.querySelectorAll('.point').forEach(p => {
            const d = p.__data__;
            const r = p.getBoundingClientRect();
            const geo = trace.type === 'scattergeo';
            const l = geo ? r.left : Math.max(r.left, plot.l), rr = geo ? r.right : Math.min(r.right, plot.r);
            if (!d || rr <= l) { return; }
            out.push({curve: trace.index, i: d.i, id: trace.ids ? String(trace.ids[d.i]) : null,
                      x: (l + rr) / 2, y: (r.top + r.bottom) / 2, kind: (trace.meta || {}).kind});
        });
    });
    return out;
}"""

#: The text of the hover label shown now (null when none).
HOVER_LABEL_JS = """() => {
    const labels = [...document.querySelectorAll('.hoverlayer .hovertext')];
    const text = l => {
        const lines = [...l.querySelectorAll('tspan.line')].map(t => t.textContent);
        return lines.length ? lines.join(' / ') : l.textContent;
    };
    return labels.length ? labels.map(text).join(' | ') : null;
}"""

#: Bounding boxes of the labels the page shows (not hidden by the page script) in a figure.
LABEL_BOXES_JS = """(selector) => {
    const gd = document.querySelector(selector);
    return [...gd.querySelectorAll('.cartesianlayer .scatterlayer .textpoint text')]
        .filter(t => t.style.display !== 'none' && t.textContent)
        .map(t => { const r = t.getBoundingClientRect();
                    return {text: t.textContent, l: r.left, r: r.right, t: r.top, b: r.bottom}; })
        .filter(b => b.r - b.l > 0);
}"""


def hover_each(
    page: Page, selector: str = ".js-plotly-plot", only: set[str] | None = None
) -> dict[str, str]:
    """Move the mouse to every hoverable point with an id (those in ``only``, if given);
    return what its label says."""
    seen: dict[str, str] = {}
    for point in page.evaluate(POINTS_JS, selector):
        if point["id"] is None or (only is not None and point["id"] not in only):
            continue
        page.page.mouse.move(1, 1)
        page.page.wait_for_timeout(30)
        page.page.mouse.move(point["x"], point["y"])
        page.page.wait_for_timeout(80)
        seen[point["id"]] = page.evaluate(HOVER_LABEL_JS) or ""
    return seen


def overlapping(boxes: list[dict[str, Any]], slack: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of label boxes that overlap by more than ``slack`` pixels each way.

    A text box holds line spacing above and below the letters (about a fifth of its height
    each side); only the letters' part counts.
    """
    boxes = [
        {**b, "t": b["t"] + 0.18 * (b["b"] - b["t"]), "b": b["b"] - 0.18 * (b["b"] - b["t"])}
        for b in boxes
    ]
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if (
                a["l"] + slack < b["r"]
                and b["l"] + slack < a["r"]
                and a["t"] + slack < b["b"]
                and b["t"] + slack < a["b"]
            ):
                pairs.append((a["text"], b["text"]))
    return pairs
