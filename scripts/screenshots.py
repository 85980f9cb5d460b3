"""Make the pictures of docs/timelines.md from the current code, and say when they are stale.

Usage (from the repository root)::

    python scripts/screenshots.py            # write docs/images/*.png and screenshots.json
    python scripts/screenshots.py --check    # exit 1 if a picture is stale (no browser needed)

Each picture is a page graphkit writes (the flagship's timeline, network, map and report, the
timeline, network and map on a phone, and a synthetic knowledge base's map) opened from disk in
Debian's headless Chromium (``/usr/bin/chromium``) with the network blocked, and captured at a
fixed viewport.

Chromium's PNG bytes are not stable from one run to the next, so staleness is judged on the
*inputs*: ``docs/images/screenshots.json`` records, beside each PNG, the SHA-256 of the HTML it
was made from (the report's generation time left out). ``tests/test_screenshots.py`` rebuilds the
HTML in-process and fails when a hash differs, naming this script: a change to the drawing code,
the page script or the flagship data that changes a page asks for new pictures, and a reviewer
looks at them before they land. (Running the script in CI instead would publish pictures nobody
looked at; comparing PNG bytes would fail on every run.)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graphkit.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
MANIFEST = IMAGES / "screenshots.json"
_GENERATED = re.compile(r"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC")


@dataclass(frozen=True)
class Shot:
    """One picture: the page it shows, the viewport, and what to do before the capture."""

    name: str
    page: Callable[[], str]
    width: int = 1400
    height: int = 900
    plots: int = 1
    full_page: bool = False
    caption: str = ""


TITLE = "North Korean troops in Russia"


def _flagship() -> KnowledgeBase:
    import graphkit as gk

    return gk.load(ROOT / "data" / "events.yaml")


def _timeline() -> str:
    from graphkit.query.escalation import escalation_index
    from graphkit.render import timeline, to_html

    kb = _flagship()
    return to_html(timeline(kb, escalation=escalation_index(kb, freq="week"), title=TITLE))


def _network() -> str:
    from graphkit.render import network, to_html

    return to_html(network(_flagship()))


def _map() -> str:
    from graphkit.render import event_map, to_html

    return to_html(event_map(_flagship()))


def _synthetic_map() -> str:
    sys.path.insert(0, str(ROOT))
    import graphkit as gk
    from benchmarks.generate import generate
    from graphkit.model import Document
    from graphkit.render import event_map, to_html

    kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(2000, 1)))
    return to_html(event_map(kb, title="Synthetic knowledge base (2,000 events)"))


def _report() -> str:
    from graphkit.query.escalation import escalation_index, escalations
    from graphkit.render import report

    kb = _flagship()
    index = escalation_index(kb, freq="week")
    return report(kb, escalation=index, steps=escalations(kb), title=TITLE)


SHOTS = (
    Shot("timeline", _timeline, caption="the flagship's timeline at 1400x900"),
    Shot("timeline-phone", _timeline, 390, 844, caption="the same on a 390x844 phone"),
    Shot("network", _network, caption="the actor network on the last day of the data"),
    Shot("network-phone", _network, 390, 844, caption="the same on a 390x844 phone"),
    Shot("map", _map, caption="the flagship's map"),
    Shot("map-phone", _map, 390, 844, caption="the same on a 390x844 phone"),
    Shot("map-synthetic", _synthetic_map, caption="a map with coordinates (synthetic data)"),
    Shot("report", _report, 1400, 2000, plots=3, caption="the top of the report"),
)


def stable(html: str) -> str:
    """The page without what changes from run to run (the report's generation time)."""
    return _GENERATED.sub("generated (time)", html)


def digest(html: str) -> str:
    """The SHA-256 of a page, as recorded in the manifest."""
    return hashlib.sha256(stable(html).encode("utf-8")).hexdigest()


def pages() -> dict[str, str]:
    """Every picture's page, built from the current code and data."""
    built: dict[Callable[[], str], str] = {}
    out = {}
    for shot in SHOTS:
        if shot.page not in built:
            built[shot.page] = shot.page()
        out[shot.name] = built[shot.page]
    return out


def stale(manifest: dict[str, dict[str, object]] | None = None) -> list[str]:
    """The pictures whose page differs from the one they were made from."""
    if manifest is None:
        manifest = json.loads(MANIFEST.read_text("utf-8")) if MANIFEST.exists() else {}
    current = pages()
    return [
        name
        for name, html in current.items()
        if (manifest.get(name) or {}).get("sha256") != digest(html)
        or not (IMAGES / f"{name}.png").exists()
    ]


def capture(folder: Path = IMAGES) -> dict[str, dict[str, object]]:
    """Write every picture to ``folder`` and return the manifest."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from benchmarks.timeline_bench import CHROMIUM, LAUNCH_ARGS

    folder.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict[str, object]] = {}
    html = pages()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            for shot in SHOTS:
                path = Path(tmp) / f"{shot.name}.html"
                path.write_text(html[shot.name], encoding="utf-8")
                page = browser.new_page(viewport={"width": shot.width, "height": shot.height})
                page.route(
                    "**/*",
                    lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
                )
                page.goto(path.as_uri())
                page.wait_for_function(
                    """n => { const gds = [...document.querySelectorAll('.js-plotly-plot')];
                       const gk = window.graphkit;
                       return gds.length >= n
                           && gds.every(g => gk && gk.views[g.id] && gk.views[g.id].mounted); }""",
                    arg=shot.plots,
                    timeout=300_000,
                )
                page.wait_for_timeout(500)
                target = folder / f"{shot.name}.png"
                page.screenshot(path=str(target), full_page=shot.full_page)
                page.close()
                manifest[shot.name] = {
                    "sha256": digest(html[shot.name]),
                    "viewport": [shot.width, shot.height],
                    "caption": shot.caption,
                }
                sys.stderr.write(f"wrote {target.relative_to(ROOT)}\n")
        finally:
            browser.close()
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (folder / MANIFEST.name).write_text(text, encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Write the pictures, or with ``--check`` say which are stale."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a picture is stale")
    args = parser.parse_args(argv)
    if args.check:
        old = stale()
        for name in old:
            sys.stderr.write(
                f"docs/images/{name}.png is stale: run python scripts/screenshots.py\n"
            )
        return 1 if old else 0
    capture()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
