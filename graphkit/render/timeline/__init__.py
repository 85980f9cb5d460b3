"""The interactive timeline: lanes of actors, rows that hide nothing, titles at a glance.

What the figure shows (``docs/timelines.md`` has pictures):

* **lanes**, one per actor, or per actor group (``part_of`` chains) when there would be more than
  ``group_over``; each lane is a band of *rows*: event rows, then relation rows
  (:mod:`.packing`), as many as needed for every item to have a place of its own;
* **events** as markers coloured by type family (:mod:`graphkit.render._palette`), with a short
  title written beside them (the event's ``title``, else a label derived from its summary, then
  its figures as reported: ``48–100 killed``, ``up to 10k``; see :mod:`.labels`). A date known
  only to the month, the year or between bounds is drawn as its extent: the marker in the middle
  of a hatched bar. A duration is a bar with a diamond at its start; an ongoing one ends in ▶.
  Planned figures are open circles at their target date, joined by a dotted line;
* **relations** as bars over their validity interval, each in its own row, labelled ("member of
  NATO"): solid where the relation certainly held, hatched where a partial start or end leaves
  it uncertain; cut at the edge of the drawn window with "◀ since 1949" when they began long
  before the story, ending in ▶ when they go on;
* the **escalation index**, when given, as a panel under the timeline on the same time axis;
* above ``overview_over`` events, an **overview** (events per lane, family and time bin,
  :mod:`.overview`) that turns into the events when one zooms in.

The first view covers the events (or ``since``/``until``); the range slider shows how many
events fall in each time bin. In a page (:mod:`graphkit.render.html`) the script adds range
buttons, lane and type menus, a legend panel on phones, messages for empty views, and keeps
labels from overlapping at every zoom (:mod:`.controls` describes the figure to it).

Examples:
    >>> import graphkit as gk
    >>> kb = gk.loads('''
    ... format_version: 1
    ... actors: [{id: A, name: Alpha, kind: state}, {id: B, name: Beta, kind: state}]
    ... relations: [{id: r, type: allied_with, from: A, to: B, start: 2024-06}]
    ... events:
    ...   - {id: e1, type: statement, date: 2024-10, actor: A, summary: "Alpha speaks"}
    ...   - {id: e2, type: threat, date: 2024-11-02, actor: B}
    ... ''')
    >>> fig = timeline(kb)
    >>> sorted(t.name for t in fig.data if t.showlegend)
    ['Statement', 'Threat', 'allied with']
    >>> [t.text for t in fig.data if t.name == "Statement" and t.type == "scatter"]
    [('Alpha speaks',)]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from graphkit._gc import gc_paused
from graphkit.render.escalation import EscalationIndexLike
from graphkit.render.timeline.builder import Builder, Options
from graphkit.render.timeline.lanes import LaneMode, assign_lanes
from graphkit.render.timeline.selection import select, select_items

if TYPE_CHECKING:
    from graphkit.kb import KnowledgeBase

__all__ = ["LaneMode", "select", "timeline"]


def timeline(
    kb: KnowledgeBase,
    actors: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    since: object | None = None,
    until: object | None = None,
    *,
    escalation: EscalationIndexLike | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    lanes: LaneMode = "auto",
    group_over: int = 12,
    max_lanes: int = 30,
    webgl: bool | None = None,
    webgl_threshold: int = 2000,
    label_limit: int = 400,
    brief_hover_over: int = 20_000,
    overview_over: int = 20_000,
    relation_marker_limit: int = 5_000,
) -> Any:
    """Build the timeline figure of a knowledge base.

    The figure is a :class:`graphkit.render._figure.Figure`: plain plotly data that pages write
    as it is, and a ``plotly.graph_objects.Figure`` (every attribute and method of one: ``data``,
    ``layout``, ``update_layout``, ``show``...) as soon as Python code uses it as one.

    Args:
        kb: The knowledge base.
        actors: Keep items involving any of these actors (ids, names or aliases).
        types: Keep events and relations of these types.
        since: Keep items that possibly fall on or after this partial date; relations that
            started earlier are cut here (labelled with their real start).
        until: Keep items that possibly fall on or before this partial date (relations that end
            later are cut here).
        escalation: An escalation index (see :mod:`graphkit.render.escalation`), drawn as a
            panel under the timeline on the same time axis.
        title: The figure's heading (escaped); by default "Timeline".
        subtitle: A line under the heading (escaped), above the counts and dates.
        lanes: One lane per actor, per actor group (top ``part_of`` ancestor), or ``auto``.
        group_over: In ``auto`` mode, lanes per group when there would be more actor lanes.
        max_lanes: At most this many lanes; the least busy actors share an "other actors" lane.
        webgl: Use WebGL traces; by default when there are more than ``webgl_threshold`` events.
        webgl_threshold: See ``webgl``.
        label_limit: Write titles beside markers when there are at most this many events.
        brief_hover_over: Shorten hover labels (summary, type, id, date, first source) above
            this many events (relations: above a quarter of it), to keep large files small; above
            it markers are also smaller and drawn without their outline.
        overview_over: Above this many events (in a WebGL figure) the first screen is an
            overview (events per lane, type family and time bin) that turns into the events when
            one zooms in to at most this many.
        relation_marker_limit: WebGL figures with more relations group their start markers per
            type, lane and time bin (at most this many markers; the bars stay, and only ongoing
            ends keep their ``▶``).

    Examples:
        >>> import graphkit as gk
        >>> kb = gk.load("data/events.yaml")
        >>> fig = timeline(kb, actors=["PRK"], since="2024-10", until="2024-12")
        >>> "North Korea" in fig.layout.yaxis.ticktext
        True

    Raises:
        UnknownActorError: For an unknown actor.
        UnknownIdError: For an unknown type.
    """
    if max_lanes < 2:
        raise ValueError("max_lanes must be at least 2")
    with gc_paused():  # bulk allocation of short-lived text and lists: see graphkit._gc
        chosen = select_items(kb, actors, types, since, until)
        n_events, n_relations = len(chosen.events), len(chosen.relations)
        lane_of, lane_order = assign_lanes(
            kb,
            chosen.events,
            chosen.relations,
            lanes,
            max_lanes,
            group_over,
            first_actors=chosen.first_actors,
        )
        drawn_webgl = n_events > webgl_threshold if webgl is None else webgl
        options = Options(
            webgl=drawn_webgl,
            labels=n_events <= label_limit and not drawn_webgl,
            brief=n_events > brief_hover_over,
            brief_relations=n_relations > brief_hover_over // 4,
            dense=n_events > brief_hover_over,
            relation_marker_limit=relation_marker_limit,
            overview=drawn_webgl and n_events > overview_over,
            detail_max=overview_over,
            ids=not drawn_webgl,  # ids for the page's filters: SVG figures (small) only
            title=title,
            subtitle=subtitle,
        )
        builder = Builder(kb, chosen, lane_of, lane_order, options, since=since, until=until)
        return builder.figure(escalation)
