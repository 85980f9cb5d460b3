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
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        return result

    yield open_
    for page in pages:
        page.close()
