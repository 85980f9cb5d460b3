"""HTML timelines and linked views (the only package that imports plotly).

* :func:`timeline` — lanes per actor, events, relations, figures, escalation panel;
* :func:`network` — the actor network at a date;
* :func:`event_map` — events with coordinates on a world map (offline topojson);
* :func:`report` — one self-contained page with all of them;
* :func:`to_html` / :func:`write_html` — self-contained pages (plotly.js inline, or ``cdn=True``);
* :func:`write_image` — static PNG/SVG through kaleido and the system's Chromium;
* :func:`kb_html` — the rich HTML summary Jupyter shows for a knowledge base.

Every string from the data reaches HTML through :mod:`graphkit.render._html`.

>>> import graphkit as gk
>>> from graphkit.render import timeline, write_html
>>> kb = gk.load("data/events.yaml")
>>> fig = timeline(kb, actors=["North Korea"], since="2024-10")
>>> fig.layout.meta["graphkit"]
'timeline'
"""

from __future__ import annotations

from graphkit.render.export import write_image
from graphkit.render.geo import event_map
from graphkit.render.html import kb_html, to_html, write_html
from graphkit.render.network import network
from graphkit.render.report import report
from graphkit.render.timeline import timeline

__all__ = [
    "event_map",
    "kb_html",
    "network",
    "report",
    "timeline",
    "to_html",
    "write_html",
    "write_image",
]
