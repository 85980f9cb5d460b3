"""Timeline figure structure (traces, rows, labels, axes, meta): no browser, no pixels."""

from __future__ import annotations

import importlib
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import graphkit as gk
from benchmarks.generate import generate
from graphkit.model import Document
from graphkit.model.event import Quantity
from graphkit.render.timeline import timeline

labels = importlib.import_module("graphkit.render.timeline.labels")
packing = importlib.import_module("graphkit.render.timeline.packing")


def _by(fig: Any, kind: str, type_: str, trace_type: str | None = None) -> list[Any]:
    return [
        t
        for t in fig.data
        if (t.meta or {}).get("kind") == kind
        and (t.meta or {}).get("type") == type_
        and (trace_type is None or t.type == trace_type)
    ]


def _points(fig: Any) -> list[tuple[str, float]]:
    """(id, y) of every hoverable item (event markers, relation bars, plans)."""
    out = []
    for t in fig.data:
        if t.hoverinfo == "skip" or t.ids is None:
            continue
        out.extend(zip(t.ids, t.y, strict=True))
    return out


def test_snapshot_of_traces_and_axes(small_kb: gk.KnowledgeBase) -> None:
    fig = timeline(small_kb)
    summary = [
        (t.type, t.name, getattr(t, "mode", None), (t.meta or {}).get("kind"), bool(t.showlegend))
        for t in fig.data
    ]
    assert summary == [
        ("bar", "Attack", None, "event", False),  # bounds: 1-10 November, hatched
        ("scatter", "Attack", "markers+text", "event", True),
        ("bar", "Arms transfer", None, "event", False),  # the ongoing duration
        ("scatter", "Arms transfer", "markers", "event", False),  # its ▶ tip
        ("scatter", "Arms transfer", "markers+text", "event", True),  # diamond at its start
        ("bar", "Troop deployment", None, "event", False),  # October + the plan's December
        ("scatter", "Troop deployment", "lines", "event", False),  # dotted plan connector
        ("scatter", "Troop deployment", "markers+text", "event", True),
        ("scatter", "Troop deployment", "markers+text", "planned", False),
        ("scatter", "Statement", "markers+text", "event", True),
        ("bar", "at war with", None, "relation", True),
        ("scatter", "at war with", "markers", "relation", False),  # ▶ ongoing
        ("scatter", "at war with", "text", "relation", False),  # its label
        ("bar", "allied with", None, "relation", True),  # certain part
        ("bar", "allied with", None, "relation", False),  # uncertain ends, hatched
        ("scatter", "allied with", "markers", "relation", False),
        ("scatter", "allied with", "text", "relation", False),
        ("scatter", "events per bin", "lines", "miniature", False),  # the slider's miniature
    ]
    layout = fig.layout
    assert list(layout.yaxis.ticktext) == ["North Korea", "Korean People&#39;s Army", "Russia",
                                           "Ukraine"]  # fmt: skip
    assert layout.yaxis.fixedrange and layout.yaxis.range[1] == 0  # top lane first
    assert layout.xaxis.type == "date" and layout.xaxis.side == "top"  # dates above the lanes
    assert layout.xaxis.rangeslider.visible and layout.barmode == "overlay"
    meta = layout.meta
    assert meta["graphkit"] == "timeline" and [lane["label"] for lane in meta["lanes"]] == [
        "North Korea", "Korean People's Army", "Russia", "Ukraine"  # plain: written as text
    ]  # fmt: skip
    assert [t["id"] for t in meta["types"]][:3] == ["attack", "arms_transfer", "troop_deployment"]
    assert meta["involves"]["deploy"] == ["KPA", "RUS"]
    assert layout.title.text == "<b>Timeline</b>" and "4 events, 2 relations" in (
        layout.title.subtitle.text
    )


def test_partial_dates_are_drawn_as_their_extent(small_kb: gk.KnowledgeBase) -> None:
    fig = timeline(small_kb)
    marker = _by(fig, "event", "troop_deployment", "scatter")[-1]
    assert marker.x == ("2024-10-16 12:00:00",)  # the middle of October
    extent = _by(fig, "event", "troop_deployment", "bar")[0]
    assert extent.base[0] == "2024-10-01" and extent.x[0] == 31 * 86_400_000
    assert extent.marker.pattern.shape == "/"  # uncertain: hatched
    attack = _by(fig, "event", "attack", "bar")[0]
    assert attack.base == ("2024-11-01",) and attack.x == (10 * 86_400_000,)


def test_labels_say_what_happened_with_honest_figures(small_kb: gk.KnowledgeBase) -> None:
    fig = timeline(small_kb)
    marker = _by(fig, "event", "troop_deployment", "scatter")[-1]
    assert marker.text == ("North Korea sends 1,500 more… · 3,000 soldiers",)  # ≤ 52 characters
    planned = [t for t in fig.data if (t.meta or {}).get("kind") == "planned"][0]
    assert planned.marker.symbol == "circle-open"
    assert planned.text == ("up to 10k soldiers planned by 2024-12",)
    statement = _by(fig, "event", "statement")[0]
    assert statement.text == ("Russia neither confirms nor denies",)
    # marker size does not encode figures (units differ): one size for every event
    sizes = {t.marker.size for t in fig.data if (t.meta or {}).get("kind") == "event" and t.hovertext
             and t.type == "scatter"}  # fmt: skip
    assert sizes == {10.0}


@pytest.mark.parametrize(
    ("quantity", "text"),
    [
        (Quantity(min=48, max=100, unit="killed"), "48–100 killed"),
        (Quantity(max=10000, unit="soldiers"), "up to 10k soldiers"),
        (Quantity(min=2000, unit="soldiers", estimate=True), "at least 2,000 soldiers est."),
        (Quantity(value=1500, unit="soldiers", kind="increment"), "+1,500 soldiers"),
        (Quantity(value=75, min=48, max=100, unit="killed"), "75 (48–100) killed"),
        (Quantity(value=3, unit="ships", planned=True), "3 ships planned"),
    ],
)
def test_figures_are_written_as_reported(quantity: Quantity, text: str) -> None:
    assert labels.figure_text(quantity) == text


def test_titles_win_over_derived_labels(write_yaml: Any) -> None:
    kb = gk.load(
        write_yaml(
            "titles.yaml",
            """
format_version: 1
actors: [{id: A, name: Alpha, kind: state}]
events:
  - {id: a, type: attack, date: 2024-10-01, actor: A, title: "Port struck",
     summary: "A long summary that says a great deal more than the title does, at length."}
  - {id: b, type: attack, date: 2025-06-01, actor: A,
     summary: "Alpha strikes the port again. Dozens are killed."}
  - {id: c, type: attack, date: 2025-09-01, actor: A}
""",
        )
    )
    marker = _by(timeline(kb), "event", "attack", "scatter")[0]
    assert marker.text == ("Port struck", "Alpha strikes the port again", "Attack")
    assert marker.meta["rank"][0] < marker.meta["rank"][1]  # a title wins a collision


def test_the_first_view_is_the_events_and_long_relations_are_cut(
    flagship: gk.KnowledgeBase,
) -> None:
    fig = timeline(flagship)
    view = fig.layout.xaxis.range
    assert view[0].startswith("2022-01") and view[1].startswith("2025-0")  # not 1949
    words = [w for t in fig.data if (t.meta or {}).get("labels") for w in t.text]
    assert "◀ since 1949-04-04 · member of North Atlantic Treaty Organization" in words
    bars = [t for t in fig.data if t.type == "bar" and (t.meta or {}).get("kind") == "relation"]
    starts = [b for t in bars for b in t.base]
    assert min(starts) >= view[0][:10]  # nothing drawn before the first view
    # --since and --until cut relations too
    cut = timeline(flagship, since="2024-10", until="2024-12")
    bases = [b for t in cut.data if t.type == "bar" for b in t.base]
    assert min(bases) >= "2024-09-2" and all(
        b < "2025" for t in cut.data if t.type == "bar" for b in t.base
    )


def test_every_item_has_a_row_of_its_own(crowded_kb: gk.KnowledgeBase) -> None:
    fig = timeline(crowded_kb)
    points = _points(fig)
    relation_rows = {y for i, y in points if i.startswith("r")}
    assert len(relation_rows) == 10  # ten relations over the same dates: ten rows
    same_day = [y for i, y in points if i in {"e0", "e1", "e2", "e3", "e4"}]
    assert len(set(same_day)) == 5  # five events on one day: five rows
    # the relation rows are inside Alpha's band, under its events
    alpha = fig.layout.meta["lanes"][0]
    assert all(alpha["y"][0] < y < alpha["y"][1] for y in relation_rows | set(same_day))
    assert max(same_day) < min(relation_rows)


def test_rows_do_not_depend_on_the_order_of_the_file() -> None:
    from render.conftest import CROWDED

    lines = CROWDED.splitlines()
    reference = None
    for seed in range(3):
        shuffled = lines[:]
        for prefix in ("  - {id: r", "  - {id: e"):  # relations, then events, among themselves
            slots = [i for i, line in enumerate(lines) if line.startswith(prefix)]
            moved = [lines[i] for i in slots]
            random.Random(seed).shuffle(moved)
            for slot, line in zip(slots, moved, strict=True):
                shuffled[slot] = line
        kb = gk.loads("\n".join(shuffled))
        figure = timeline(kb).to_json()
        reference = reference or figure
        assert figure == reference


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 20)), max_size=40))
def test_interval_packing_is_tight_and_never_overlaps(spans: list[tuple[int, int]]) -> None:
    intervals = [(float(a), float(a + w)) for a, w in spans]
    rows = packing.pack_intervals(intervals)
    by_row: dict[int, list[tuple[float, float]]] = {}
    for interval, row in zip(intervals, rows, strict=True):
        by_row.setdefault(row, []).append(interval)
    for members in by_row.values():
        members.sort()
        assert all(a[1] <= b[0] for a, b in zip(members, members[1:], strict=False))
    # as few rows as the most intervals open at one moment (the lower bound)
    deepest = max((sum(a <= t < b for a, b in intervals) for t, _ in intervals), default=0)
    assert (max(rows) + 1 if rows else 0) == deepest


def test_filters(small_kb: gk.KnowledgeBase) -> None:
    fig = timeline(small_kb, actors=["Ukraine"])
    assert {(t.meta or {}).get("type") for t in fig.data} - {None} == {"attack", "at_war_with"}
    fig = timeline(small_kb, types=["statement"], since="2024-10", until="2024-10")
    assert {t.name for t in fig.data if t.meta["kind"] != "miniature"} == {"Statement"}
    fig = timeline(small_kb, since="2025-02")
    assert {(t.meta or {}).get("type") for t in fig.data} - {None} == {
        "at_war_with", "arms_transfer",  # ongoing
        "allied_with",  # ends in 2025: possibly still held in February
    }  # fmt: skip
    with pytest.raises(gk.UnknownActorError):
        timeline(small_kb, actors=["Narnia"])
    with pytest.raises(gk.UnknownIdError, match="troop_deploymnet"):
        timeline(small_kb, types=["troop_deploymnet"])
    with pytest.raises(gk.InvalidDateError):
        timeline(small_kb, since="2025", until="2024")


def test_nothing_to_show_says_so(small_kb: gk.KnowledgeBase) -> None:
    fig = timeline(small_kb, types=["sanction"])
    assert not fig.data
    assert "Nothing to show" in fig.layout.annotations[0].text
    assert fig.layout.meta["empty"].startswith("Nothing to show")


def test_title_and_subtitle_are_escaped(small_kb: gk.KnowledgeBase) -> None:
    fig = timeline(small_kb, title="<b>War</b> & peace", subtitle="<i>draft</i>")
    assert fig.layout.title.text == "<b>&lt;b&gt;War&lt;/b&gt; &amp; peace</b>"
    assert fig.layout.title.subtitle.text.startswith("&lt;i&gt;draft&lt;/i&gt;<br>")
    assert fig.layout.meta["title"] == "<b>War</b> & peace"  # plain, for the page's textContent


def test_many_actors_share_group_lanes(flagship: gk.KnowledgeBase) -> None:
    grouped = timeline(flagship)
    per_actor = timeline(flagship, lanes="actor")
    assert len(grouped.layout.yaxis.ticktext) <= 12 < len(per_actor.layout.yaxis.ticktext)
    assert list(grouped.layout.yaxis.ticktext[:2]) == ["North Korea", "United States"]


def test_legend_is_grouped_by_family(flagship: gk.KnowledgeBase) -> None:
    fig = timeline(flagship)
    legend = [t for t in fig.data if t.showlegend]
    titles = [t.legendgrouptitle.text for t in legend if t.legendgrouptitle.text]
    assert titles[:3] == ["Use of force", "Coercion and shows of force", "Verbal conflict"]
    assert titles[-1].startswith("Relations")
    ranks = [t.legendrank for t in legend]
    assert ranks == sorted(ranks)
    colours = {t.name: t.marker.color for t in legend if t.type == "scatter"}
    assert colours["Attack"] != colours["Statement"]


@dataclass
class _Point:
    start: date
    end: date
    value: float
    events: list[str] = field(default_factory=list)


@dataclass
class _Index:
    points: list[_Point]


def test_escalation_panel_shares_the_time_axis(small_kb: gk.KnowledgeBase) -> None:
    index = _Index(
        [
            _Point(date(2024, 10, 14), date(2024, 10, 20), 3.0, ["deploy"]),
            _Point(date(2024, 10, 21), date(2024, 10, 27), 7.5, ["deploy", "talk"]),
        ]
    )
    fig = timeline(small_kb, escalation=index)
    panel = fig.data[-1]
    assert (panel.meta["kind"], panel.xaxis, panel.yaxis) == ("escalation", "x2", "y2")
    assert panel.x == ("2024-10-14", "2024-10-21", "2024-10-28") and panel.line.shape == "hv"
    assert "North Korea sends 1,500" in panel.hovertext[1] and "2 events" in panel.hovertext[1]
    assert fig.layout.xaxis.matches == "x2" or fig.layout.xaxis2.matches == "x"
    assert fig.layout.xaxis2.rangeslider.visible and not fig.layout.xaxis.rangeslider.visible
    assert {t.yaxis for t in fig.data[:-1]} == {"y"}


def test_large_inputs_use_webgl_rows_and_an_overview() -> None:
    kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(2500, 3)))
    fig = timeline(kb, overview_over=1000)
    types = Counter(t.type for t in fig.data)
    assert types["scattergl"] >= 17 and types["heatmap"] >= 3  # markers, and the overview
    events = [t for t in fig.data if (t.meta or {}).get("kind") == "event" and t.hovertext]
    assert sum(len(t.x) for t in events) == 2500
    assert all(t.visible is False for t in events)  # shown when zoomed in (page script)
    overview = fig.layout.meta["overview"]
    assert sum(overview["counts"]) == 2500 and overview["detail_max"] >= 1000
    assert len(fig.layout.yaxis.ticktext) <= 30
    assert all(not t.text for t in fig.data if t.type == "scattergl")  # no labels when large
    # same-day events of a lane sit on different rows
    seen: dict[tuple[float, int], set[float]] = {}
    for t in events:
        for x, y in zip(t.x, t.y, strict=True):
            seen.setdefault((x // 86_400_000, round(y) // 10), set()).add(float(y))
    assert max(len(rows) for rows in seen.values()) > 1
    heat = [t for t in fig.data if t.type == "heatmap"][0]
    assert any("event" in cell for row in heat.text for cell in row)
    brief = timeline(kb, brief_hover_over=100)
    full_len = sum(len(h) for t in fig.data if t.hovertext for h in t.hovertext)
    brief_len = sum(len(h) for t in brief.data if t.hovertext for h in t.hovertext)
    assert brief_len < full_len * 0.8


def test_many_relations_share_grouped_start_markers() -> None:
    kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(2500, 3)))
    fig = timeline(kb, relation_marker_limit=1000)
    starts = [t for t in fig.data if (t.meta or {}).get("kind") == "relation" and t.hovertext]
    assert 0 < sum(len(t.x) for t in starts) <= 1000 < len(kb.relations)
    assert any("relations: " in h for t in starts for h in t.hovertext)
    bars = [t for t in fig.data if (t.meta or {}).get("kind") == "relation" and t.mode == "lines"]
    assert bars and all(t.type == "scattergl" for t in bars)


def test_webgl_figures_have_fixed_margins_and_dense_ones_small_markers() -> None:
    kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(2500, 3)))
    fig = timeline(kb)
    margin = fig.layout.margin
    # plotly's automargin would draw every point twice: the margins are computed instead
    assert margin.autoexpand is False and not fig.layout.yaxis.automargin
    longest = max(len(t) for t in fig.layout.yaxis.ticktext)
    assert margin.l >= 7 * longest
    legend = [t.name for t in fig.data if t.showlegend]
    assert margin.r >= 7 * max(len(n) for n in legend)
    markers = [t for t in fig.data if (t.meta or {}).get("kind") == "event" and t.hovertext]
    assert all(isinstance(t.marker.symbol, str) for t in markers)  # one symbol: one WebGL pass
    assert all(t.marker.line.width for t in markers)
    dense = timeline(kb, brief_hover_over=1000)
    dense_markers = [t for t in dense.data if (t.meta or {}).get("kind") == "event" and t.hovertext]
    assert all(t.marker.line.width is None for t in dense_markers)  # no outline when dense
    assert max(t.marker.size for t in dense_markers) < min(t.marker.size for t in markers)


def test_hover_keeps_the_evidence(small_kb: gk.KnowledgeBase) -> None:
    fig = timeline(small_kb)
    hover = _by(fig, "event", "troop_deployment", "scatter")[-1].hovertext[0]
    for part in (
        "North Korea sends 1,500 more soldiers, 3,000 in all.",
        "2024-10 (month precision: 2024-10-01 … 2024-10-31)",
        "Korean People&#39;s Army → Russia",
        "+1,500 soldiers (increment)",
        "planned: up to 10,000 soldiers, planned by 2024-12",
        '<a href="https://example.org/nis" target="_blank">NIS briefing</a> · Yonhap · grade B',
        "(according to North Korea)",
        "credibility 2 (probably true)",
    ):
        assert part in hover
    war = _by(fig, "relation", "at_war_with", "bar")[0]
    assert "<i>war</i>" in war.hovertext[0] and war.customdata == ("https://example.org/nis",)


def test_an_empty_escalation_index_draws_no_panel(small_kb: gk.KnowledgeBase) -> None:
    fig = timeline(small_kb, escalation=_Index([]))
    assert not [t for t in fig.data if (t.meta or {}).get("kind") == "escalation"]
    assert "xaxis2" not in fig.layout.to_plotly_json() and fig.layout.xaxis.rangeslider.visible
