"""The column-wise paths of the page builders give what the item-by-item ones gave.

Timeline events, brief hovers, the time order of a selection, the report's summary dates and
the network's edges are built in bulk for speed (docs/performance.md, "Page building"); each is
checked here against the plain per-item definition it replaced, on the flagship and on
generated knowledge bases.
"""

from __future__ import annotations

import math
import random
from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import documents

import graphkit as gk
from graphkit.model.dates import DAY_MAX, DAY_MIN, Bounds, Extent, PartialDate
from graphkit.render._describe import Describer, ordinal_ms
from graphkit.render._hovers import BriefHovers, HoverTables, Urls
from graphkit.render.network import _edges_among, _spread
from graphkit.render.timeline.builder import Builder, Options
from graphkit.render.timeline.selection import Selection, _time_order, select, select_items

days = st.integers(min_value=DAY_MIN, max_value=DAY_MAX)
_OPTIONS = Options(
    webgl=True,
    labels=False,
    brief=False,
    brief_relations=False,
    dense=False,
    relation_marker_limit=5000,
    overview=False,
    ids=False,
)


@given(st.lists(st.tuples(days, days), max_size=40))
def test_time_order_is_the_order_of_first_day_last_day_id(spans: list[tuple[int, int]]) -> None:
    extents = [Extent(min(a, b), max(a, b), 0, 0, False) for a, b in spans]
    ids = [f"e{i}" for i in range(len(spans))]
    random.Random(len(spans)).shuffle(ids)
    expected = sorted(range(len(ids)), key=lambda i: (extents[i].lo, extents[i].hi, ids[i]))
    assert _time_order(extents, ids) == expected


def _hostile_kb() -> gk.KnowledgeBase:
    return gk.loads(
        """
format_version: 1
sources:
  - {id: s1, title: "<img src=x onerror=alert(1)>", reliability: B}
  - {id: s2, title: "Fine & dandy", url: "https://example.org/a?b=1&c=2", reliability: C}
actors: [{id: A, name: "A <b>", kind: state}]
events:
  - {id: e1, type: statement, date: 2024-10, actor: A, sources: [s1, s2],
     summary: "  spaced\\n  <script>alert('x')</script> and a summary long enough to be cut at ninety
       characters by the brief hover"}
  - {id: "e<2>", type: attack, date: 2024-10, actor: A, sources: [s2]}
  - {id: e3, type: statement, date: 2024-11-02, actor: A, sources: [s1]}
  - {id: e4, type: statement, date: 2024-11-02, actor: A}
"""
    )


def test_brief_hover_columns_equal_event_by_event(flagship: gk.KnowledgeBase) -> None:
    for kb in (flagship, _hostile_kb()):
        events = list(kb.events)
        one = HoverTables(Describer(kb))
        hovers, urls = BriefHovers(one), Urls(one)
        for event in events:
            hovers.append(event)
            urls.append(event.sources)
        bulk = HoverTables(Describer(kb))
        hovers_bulk, urls_bulk = BriefHovers(bulk), Urls(bulk)
        cols = bulk.columns(events)
        order = list(range(len(events)))
        hovers_bulk.take(cols, order)
        urls_bulk.take(cols, order)
        assert hovers_bulk.compact() == hovers.compact()
        assert urls_bulk.compact() == urls.compact()
        assert bulk.shared() == one.shared()
        assert list(hovers_bulk) == list(hovers)
    assert "<script>" not in "".join(hovers_bulk) and "&lt;script&gt;" in "".join(hovers_bulk)
    assert all(url is None or url.startswith("https:") for url in urls_bulk)


def test_unfiltered_selection_is_kept_per_knowledge_base(flagship: gk.KnowledgeBase) -> None:
    first = select_items(flagship, None, None, None, None)
    assert select_items(flagship, None, None, None, None) is first
    assert select_items(flagship, None, None, "2024-10", None) is not first
    other = gk.loads(flagship.to_yaml())
    assert select_items(other, None, None, None, None) is not first
    events, relations = select(other)
    events.clear()  # a copy: the kept selection is not changed
    relations.clear()
    assert len(select_items(other, None, None, None, None).events) == len(other.events)


@settings(max_examples=25)
@given(documents())
def test_summary_dates_are_the_earliest_and_latest(document: gk.Document) -> None:
    kb = gk.KnowledgeBase.from_document(document)
    points: list[PartialDate] = []
    firsts, lasts = [], []
    for event in kb.events:
        when = event.date
        if isinstance(when, PartialDate):
            firsts.append(when)
            lasts.append(when)
        elif isinstance(when, Bounds):
            firsts.append(when.earliest)
            lasts.append(when.latest)
        else:
            firsts.append(when.start)
            lasts.append(when.end if when.end is not None else when.start)
    for relation in kb.relations:
        points += [p for p in (relation.start, relation.end) if p is not None]
    firsts += points
    lasts += points
    if not firsts:
        assert kb.dates_as_written() is None
        return
    first = min(firsts, key=lambda d: (d.lo, d.hi, str(d)))
    last = max(lasts, key=lambda d: (d.hi, d.lo, str(d)))
    assert kb.dates_as_written() == (str(first), str(last))
    bounds = [e.extent.lo for e in kb.events]
    bounds += [e.extent.hi for e in kb.events if e.extent.hi < DAY_MAX - 1]
    bounds += [day for p in points for day in (p.lo, p.hi)]
    found = kb.date_range()
    assert found is not None
    assert (found[0].toordinal(), found[1].toordinal()) == (min(bounds), max(bounds))


def test_edges_among_kept_actors_in_graph_order(flagship: gk.KnowledgeBase) -> None:
    graph = flagship.graph
    keep = set(sorted(graph.nodes)[::2])
    expected = [
        (u, v, key, attrs)
        for u, v, key, attrs in graph.edges(keys=True, data=True)
        if u in keep and v in keep
    ]
    assert list(_edges_among(graph, keep)) == expected
    view = nx.subgraph_view(graph, filter_edge=lambda u, v, key: key.startswith("r"))
    expected = [e for e in view.edges(keys=True, data=True) if e[0] in keep and e[1] in keep]
    assert list(_edges_among(view, keep)) == expected


def _spread_pairwise(
    pos: dict[str, tuple[float, float]], min_distance: float, rounds: int = 60
) -> dict[str, tuple[float, float]]:
    """The push-apart rule as first written: every pair measured with hypot."""
    import math

    names = sorted(pos)
    xy = {n: list(pos[n]) for n in names}
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                dx, dy = xy[b][0] - xy[a][0], xy[b][1] - xy[a][1]
                dist = math.hypot(dx, dy)
                if dist >= min_distance:
                    continue
                if dist == 0:
                    dx, dy, dist = 1e-3, 0.0, 1e-3
                push = (min_distance - dist) / 2
                ux, uy = dx / dist * push, dy / dist * push
                xy[a][0] -= ux
                xy[a][1] -= uy
                xy[b][0] += ux
                xy[b][1] += uy
                moved = True
        if not moved:
            break
    return {n: (xy[n][0], xy[n][1]) for n in names}


coordinates = st.floats(min_value=-1, max_value=1, allow_nan=False)


@settings(max_examples=40)
@given(
    st.lists(st.tuples(coordinates, coordinates), min_size=1, max_size=30),
    st.floats(min_value=0.01, max_value=0.8),
)
def test_spread_equals_the_pairwise_rule(points: list[tuple[float, float]], gap: float) -> None:
    pos = {f"n{i:02d}": p for i, p in enumerate(points)}
    assert _spread(pos, gap) == _spread_pairwise(pos, gap)


def _span_one(b: Any, extent: Extent) -> tuple[float, float, float, float]:
    """A relation's drawn interval and certain part, as first written (one extent at a time)."""
    lo = -math.inf if extent.lo <= DAY_MIN else ordinal_ms(extent.lo)
    hi = math.inf if extent.hi >= DAY_MAX else ordinal_ms(extent.hi + 1)
    sure_lo = lo if extent.sure_lo <= DAY_MIN else ordinal_ms(extent.sure_lo)
    sure_hi = hi if extent.sure_hi >= DAY_MAX else ordinal_ms(extent.sure_hi + 1)
    if hi > b.clip[0] and lo < b.clip[1]:
        lo, hi = max(lo, b.clip[0]), min(hi, b.clip[1])
    else:
        lo = b.lo_ms if lo == -math.inf else lo
        hi = b.hi_ms if hi == math.inf else hi
    return lo, hi, min(max(sure_lo, lo), hi), max(min(sure_hi, hi), lo)


near = st.one_of(st.just(DAY_MIN), st.just(DAY_MAX), st.integers(738_000, 740_000))


@settings(max_examples=30)
@given(st.lists(st.tuples(near, near, near, near), max_size=12), st.booleans())
def test_relation_spans_follow_the_rule_per_relation(
    flagship: gk.KnowledgeBase, rows: list[tuple[int, int, int, int]], windowed: bool
) -> None:
    chosen = select_items(flagship, None, None, None, None)
    extents = [Extent(min(a, b), max(a, b), c, d, True) for a, b, c, d in rows]
    fake = Selection(chosen.events, chosen.event_extents, [], extents)
    since, until = ("2024-10", "2024-11") if windowed else (None, None)
    b = Builder(flagship, fake, {}, ["x"], _OPTIONS, since=since, until=until)
    assert b.relation_spans == [_span_one(b, x) for x in extents]


def test_a_freed_knowledge_base_leaves_no_kept_selection(flagship: gk.KnowledgeBase) -> None:
    import gc

    from graphkit.render.timeline import selection

    other = gk.loads(flagship.to_yaml())
    select_items(other, None, None, None, None)
    assert len(selection._LAST) == 1
    del other
    gc.collect()  # the knowledge base may sit in a reference cycle (its cached graph)
    assert selection._LAST == []  # its selection (which holds its items) went with it
