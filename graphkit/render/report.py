"""One self-contained HTML report: counts, the timeline, the network, the map, escalations.

plotly.js is included once for all figures (inline by default, or from the CDN); the world
topojson is inlined when the map has points. Every data string is escaped (see ``_html``).

Examples:
    >>> import graphkit as gk
    >>> kb = gk.load("data/events.yaml")
    >>> page = report(kb)
    >>> page.count("plotly.js v"), page.count('class="plotly-graph-div"')  # timeline, network, map
    (1, 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphkit.render._html import esc
from graphkit.render.escalation import EscalationIndexLike, escalation_table_html
from graphkit.render.geo import event_map
from graphkit.render.html import figure_div, kb_html, page
from graphkit.render.network import network
from graphkit.render.timeline import timeline

if TYPE_CHECKING:
    from graphkit.kb import KnowledgeBase

__all__ = ["report"]


def report(
    kb: KnowledgeBase,
    *,
    escalation: EscalationIndexLike | None = None,
    steps: Sequence[Any] | None = None,
    at: object | None = None,
    cdn: bool = False,
    title: str | None = None,
    timeline_figure: Any | None = None,
    notes: Sequence[str] = (),
) -> str:
    """Return the report page of a knowledge base as HTML text.

    Args:
        kb: The knowledge base.
        escalation: An escalation index for the panel under the timeline.
        steps: Escalation steps for the table (see :mod:`graphkit.render.escalation`).
        at: Date of the network (default: the last day of the data).
        cdn: Load plotly.js from its CDN instead of embedding it.
        title: Page title (default: the knowledge base's file names).
        timeline_figure: The timeline of ``kb`` if already built (``graphkit build`` writes it
            to its own file too); by default :func:`~graphkit.render.timeline.timeline` of ``kb``
            with ``escalation``.
        notes: Lines shown under the heading (``graphkit build`` says where its RDF is and
            under which base IRI).

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.loads('''
        ... format_version: 1
        ... actors: [{id: A, name: Arcadia, kind: state}, {id: B, name: Borduria, kind: state}]
        ... relations: [{id: r, type: supports, from: A, to: B, start: 2024}]
        ... events:
        ...   - {id: e, type: attack, date: 2024-10-02, actor: A, target: B,
        ...      location: {name: Here, lat: 50.1, lon: 36.2}}
        ... ''')
        >>> page = gk.report(kb, title="Arcadia & Borduria")
        >>> page.startswith("<!DOCTYPE html>"), "<title>Arcadia &amp; Borduria</title>" in page
        (True, True)
    """
    names = ", ".join(Path(f).name for f in kb.files) or "knowledge base"
    heading = title or f"graphkit report: {names}"
    when = at
    if when is None:
        span = kb.date_range()
        when = span[1].isoformat() if span else None
    timeline_fig = (
        timeline_figure if timeline_figure is not None else timeline(kb, escalation=escalation)
    )
    network_fig = network(kb, at=when)
    map_fig = event_map(kb)
    has_map = any(len(t.lat or ()) for t in map_fig.data)
    sections = [
        f"<h1>{esc(heading)}</h1>",
        '<p class="gk-note">generated '
        f"{esc(datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC'))} by graphkit; "
        "hover a marker for its evidence, click it to open its first source.</p>",
        *(f'<p class="gk-note">{esc(note)}</p>' for note in notes),
        "<h2>Summary</h2>",
        kb_html(kb),
        "<h2>Timeline</h2>",
        figure_div(timeline_fig, "gk-timeline"),
        f"<h2>Actor network{f' on {esc(when)}' if when is not None else ''}</h2>",
        figure_div(network_fig, "gk-network"),
        "<h2>Map</h2>",
        figure_div(map_fig, "gk-map")
        if has_map
        else '<p class="gk-note">No event has coordinates (location.lat/lon).</p>',
        "<h2>Escalation</h2>",
        escalation_table_html(steps)
        if steps
        else '<p class="gk-note">No escalation steps were given.</p>',
    ]
    return page("\n".join(sections), title=heading, cdn=cdn, geo=has_map)
