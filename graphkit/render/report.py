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

from graphkit._gc import gc_paused
from graphkit.render._figure import plain
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
    subtitle: str | None = None,
    timeline_figure: Any | None = None,
    notes: Sequence[str] = (),
) -> str:
    """Return the report page of a knowledge base as HTML text.

    The views are linked: clicking an actor in the network shows, on the timeline, what
    involves that actor (the rest fades; click it again, or "Show all", to clear); clicking a
    row of the escalation table highlights its events on the timeline and zooms to them.

    Args:
        kb: The knowledge base.
        escalation: An escalation index for the panel under the timeline.
        steps: Escalation steps for the table (see :mod:`graphkit.render.escalation`).
        at: Date of the network (default: the last day of the data).
        cdn: Load plotly.js from its CDN instead of embedding it.
        title: Page title (default: the knowledge base's file names).
        subtitle: A line under the title (escaped).
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
    with gc_paused():  # bulk allocation: see graphkit._gc
        return _report(kb, escalation, steps, at, cdn, title, subtitle, timeline_figure, notes)


def _report(
    kb: KnowledgeBase,
    escalation: EscalationIndexLike | None,
    steps: Sequence[Any] | None,
    at: object | None,
    cdn: bool,
    title: str | None,
    subtitle: str | None,
    timeline_figure: Any | None,
    notes: Sequence[str],
) -> str:
    names = ", ".join(Path(f).name for f in kb.files) or "knowledge base"
    heading = title or f"graphkit report: {names}"
    summary = kb.summary()
    when = at
    if when is None:  # the last date of the data, as written (2024-09: the network of that month)
        when = summary["last_date"]
    timeline_fig = (
        timeline_figure if timeline_figure is not None else timeline(kb, escalation=escalation)
    )
    network_fig = network(kb, at=when)
    map_fig = event_map(kb)
    has_map = "empty" not in (plain(map_fig)["layout"].get("meta") or {})
    head = [f"<h1>{esc(heading)}</h1>"]
    if subtitle:
        head.append(f'<p class="gk-sub">{esc(subtitle)}</p>')
    head.append(
        '<p class="gk-note">generated '
        f"{esc(datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC'))} by graphkit. Hover a marker "
        "for its evidence, click it to open its first source; click an actor in the network to "
        "see what involves it on the timeline, and a step of the escalation table to see its "
        "events.</p>"
    )
    head.extend(f'<p class="gk-note">{esc(note)}</p>' for note in notes)
    sections = [
        '<header class="gk-head">' + "".join(head) + "</header>",
        "<h2>Summary</h2>",
        f'<div class="gk-scroll">{kb_html(kb, summary=summary)}</div>',
        figure_div(timeline_fig, "gk-timeline", heading=2),
        figure_div(network_fig, "gk-network", heading=2),
        figure_div(map_fig, "gk-map", heading=2)
        if has_map
        else '<h2>Map</h2><p class="gk-note">No event has coordinates (location.lat/lon).</p>',
        "<h2>Escalation</h2>",
        '<div class="gk-scroll">' + escalation_table_html(steps) + "</div>"
        if steps
        else '<p class="gk-note">No escalation steps were given.</p>',
        f"<script>{LINK_JS}</script>",
    ]
    return page("\n".join(sections), title=heading, cdn=cdn, geo=has_map)


#: Links the report's views (see :func:`report`): network clicks filter the timeline, table
#: rows highlight their events. Ids come from the figures' own data and the rows' JSON.
LINK_JS = """
(function () {
  var gk = window.graphkit;
  if (!gk) { return; }
  gk.ready('gk-network').then(function (net) {
    if (!net) { return; }
    net.gd.on('plotly_click', function (ev) {
      var point = ev && ev.points && ev.points[0];
      if (!point || !point.data || (point.data.meta || {}).kind !== 'node') { return; }
      var actor = point.id;
      var view = gk.views['gk-timeline'];
      if (!view) { return; }
      gk.filterActor('gk-timeline', view.actor === actor ? null : actor);
      document.getElementById('gk-timeline-view').scrollIntoView({block: 'start'});
    });
  });
  document.querySelectorAll('.gk-step').forEach(function (row) {
    function pick() {
      var ids;
      try { ids = JSON.parse(row.getAttribute('data-events') || '[]'); } catch (e) { return; }
      if (!Array.isArray(ids)) { return; }
      var active = row.classList.contains('gk-active');
      document.querySelectorAll('.gk-step.gk-active').forEach(function (r) {
        r.classList.remove('gk-active');
      });
      if (!active) { row.classList.add('gk-active'); }
      gk.highlight('gk-timeline', active ? null : ids.map(String));
      document.getElementById('gk-timeline-view').scrollIntoView({block: 'start'});
    }
    row.addEventListener('click', pick);
    row.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); pick(); }
    });
  });
})();
"""
