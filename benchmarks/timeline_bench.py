"""Timeline benchmark: build time, HTML size and first render in headless Chromium.

Usage (from the repository root)::

    python -m benchmarks.timeline_bench                        # 10,000 and 100,000 events
    python -m benchmarks.timeline_bench --sizes 10000 --keep /tmp/tl   # keep the HTML files
    python -m benchmarks.timeline_bench --yaml /tmp/kb100k.yaml        # a file instead

Knowledge bases come from ``benchmarks.generate.generate(n, seed)`` validated in memory
(``Document.model_validate``) with the garbage collector paused and the result frozen, as the
loader does (``graphkit._gc``); loading YAML is not what this measures (``--yaml`` loads a file
anyway). For each size it reports the seconds to build the figure and write the HTML, the file
size, and the browser's first render: from navigation start until plotly has drawn the figure
(``_fullLayout`` set) and two animation frames have passed, with the network blocked, as the
median of ``--repeat`` fresh pages. Chromium is Debian's ``/usr/bin/chromium``
(``scripts/install-browser``); the machine's load average is printed with the results because a
busy machine slows rendering.

Figures and how they were measured: ``docs/performance.md`` ("Timeline pages"). Above 20,000
events the page opens on an overview (``graphkit/render/timeline/overview.py``), so the first
paint at 100,000 events draws heatmaps, not 100,000 WebGL markers; the JSON line says
``"overview": true`` then, and ``ready_s`` is when graphkit's page script has set the page up.

``bench(kb)`` is the stage ``benchmarks.run`` times: figure plus HTML text, no browser.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import graphkit as gk
from benchmarks.generate import generate
from graphkit._gc import gc_paused
from graphkit.model import Document

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
]


def bench(kb: gk.KnowledgeBase) -> object:
    """Build the timeline of ``kb`` and its self-contained HTML (what ``benchmarks.run`` times)."""
    from graphkit.render.html import to_html
    from graphkit.render.timeline import timeline

    return len(to_html(timeline(kb)))


def first_render_seconds(path: Path, repeat: int = 3) -> list[float]:
    """Seconds from navigation start to the drawn figure, once per fresh page."""
    return [paint for paint, _ in render_seconds(path, repeat)]


def render_seconds(path: Path, repeat: int = 3) -> list[tuple[float, float]]:
    """Per fresh page: seconds to the drawn figure, and to the page script's set-up (``ready``).

    The first paint is when plotly has drawn the figure (``_fullLayout`` set) and two animation
    frames have passed; *ready* when graphkit's page script has also added the controls and
    checked the labels (``graphkit.views[id].mounted``), so the page answers clicks.
    """
    from playwright.sync_api import sync_playwright

    times: list[tuple[float, float]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            for _ in range(repeat):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                errors: list[str] = []
                page.on("pageerror", lambda e, sink=errors: sink.append(str(e)))
                page.route(
                    "**/*",
                    lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
                )
                page.goto(path.resolve().as_uri(), wait_until="commit", timeout=0)
                page.wait_for_function(
                    "() => { const g = document.querySelector('.js-plotly-plot');"
                    " return g && g._fullLayout && g._fullData; }",
                    timeout=600_000,
                    polling=50,
                )
                seconds = page.evaluate(
                    "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame("
                    "() => r(performance.now() / 1000))))"
                )
                page.wait_for_function(
                    "() => { const g = document.querySelector('.js-plotly-plot');"
                    " const v = window.graphkit && window.graphkit.views[g.id];"
                    " return !window.graphkit || (v && v.mounted); }",
                    timeout=600_000,
                    polling=50,
                )
                ready = page.evaluate("() => performance.now() / 1000")
                if errors:
                    raise RuntimeError(f"{path}: page errors: {errors[:3]}")
                times.append((float(seconds), float(ready)))
                page.close()
        finally:
            browser.close()
    return times


def measure(kb: gk.KnowledgeBase, folder: Path, repeat: int) -> dict[str, Any]:
    """Build, write and render the timeline of ``kb``; return the numbers."""
    from graphkit.render.html import write_html
    from graphkit.render.timeline import timeline

    start = time.perf_counter()
    fig = timeline(kb)
    built = time.perf_counter() - start
    path = folder / f"timeline-{len(kb.events)}.html"
    start = time.perf_counter()
    write_html(fig, path)
    written = time.perf_counter() - start
    timed = render_seconds(path, repeat) if os.access(CHROMIUM, os.X_OK) else []
    renders = [paint for paint, _ in timed]
    readies = [ready for _, ready in timed]
    return {
        "events": len(kb.events),
        "relations": len(kb.relations),
        "traces": len(fig.data),
        "webgl": any(t.type == "scattergl" for t in fig.data),
        "figure_s": round(built, 2),
        "html_s": round(written, 2),
        "html_mb": round(path.stat().st_size / 1e6, 1),
        "first_render_s": round(statistics.median(renders), 2) if renders else None,
        "first_render_all_s": [round(t, 2) for t in renders],
        "ready_s": round(statistics.median(readies), 2) if readies else None,
        "overview": bool((fig.layout.meta or {}).get("overview")),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "file": str(path),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one JSON line per size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated event counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="browser renders per size")
    parser.add_argument("--yaml", type=Path, help="load this file instead of generating")
    parser.add_argument("--keep", type=Path, help="write the HTML files here (default: temp)")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="graphkit-timeline-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.yaml is not None:
        print(json.dumps(measure(gk.load(args.yaml), folder, args.repeat)), flush=True)
        return 0
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        with gc_paused(keep=True):  # as graphkit's loader does (see graphkit._gc)
            kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(size, args.seed)))
        print(json.dumps(measure(kb, folder, args.repeat)), flush=True)
        del kb
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
