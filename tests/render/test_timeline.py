"""Timeline figure structure for a small fixed dataset (structure, not pixels)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

import graphkit as gk
from benchmarks.generate import generate
from graphkit.model import Document
from graphkit.render.timeline import timeline


def _by(fig: Any, kind: str, type_: str, mode: str | None = None) -> list[Any]:
    return [
        t
        for t in fig.data
        if (t.meta or {}).get("kind") == kind
        and (t.meta or {}).get("type") == type_
        and (mode is None or t.mode == mode)
    ]


def test_snapshot_of_traces_and_axes(small_kb: gk.KnowledgeBase) -> None:
    fig = timeline(small_kb)
    summary = [
        (t.type, t.name, t.mode, (t.meta or {}).get("kind"), len(t.x), bool(t.showlegend))
        for t in fig.data
    ]
    assert summary == [
        ("scatter", "Arms transfer", "lines", "event", 3, False),  # the ongoing duration
        ("scatter", "Arms transfer", "markers", "event", 1, False),  # its ▶ tip
        ("scatter", "Arms transfer", "markers", "event", 1, True),
        ("scatter", "Attack", "lines", "event", 3, False),  # bounds: 1-10 November
        ("scatter", "Attack", "markers", "event", 1, True),
        ("scatter", "Statement", "markers", "event", 1, True),
        ("scatter", "Troop deployment", "lines", "event", 6, False),  # October + December
        ("scatter", "Troop deployment", "lines", "event", 3, False),  # dotted plan connector
        ("scatter", "Troop deployment", "markers+text", "event", 1, True),  # labelled figures
        ("scatter", "Troop deployment (planned)", "markers+text", "planned", 1, False),
        ("scatter", "relation: allied with", "lines", "relation", 6, False),  # uncertain ends
        ("scatter", "relation: allied with", "lines", "relation", 3, True),  # certain part
        ("scatter", "relation: allied with", "markers", "relation", 1, False),  # end tip
        ("scatter", "relation: allied with", "markers", "relation", 1, False),  # hover at start
        ("scatter", "relation: at war with", "lines", "relation", 3, True),
        ("scatter", "relation: at war with", "markers", "relation", 1, False),
        ("scatter", "relation: at war with", "markers", "relation", 1, False),
    ]
    layout = fig.layout
    assert list(layout.yaxis.ticktext) == ["North Korea", "Korean People&#39;s Army", "Russia",
                                           "Ukraine"]  # fmt: skip
    assert layout.yaxis.range == (3.5, -0.5) and layout.yaxis.fixedrange
    assert layout.xaxis.type == "date" and layout.xaxis.rangeslider.visible
    assert [b.label for b in layout.xaxis.rangeselector.buttons] == ["1m", "6m", "1y", "5y", "all"]
    lane_menu, type_menu = layout.updatemenus
    assert [b.label for b in lane_menu.buttons] == [
        "lane: all", "lane: North Korea", "lane: Korean People&#39;s Army", "lane: Russia",
        "lane: Ukraine",
    ]  # fmt: skip
    assert lane_menu.buttons[3].args == ({"yaxis.range": [2.5, 1.5]},)
    assert [b.label for b in type_menu.buttons] == [
        "type: all", "type: Arms transfer", "type: Attack", "type: Statement",
        "type: Troop deployment", "type: relations",
    ]  # fmt: skip


def test_partial_dates_are_drawn_as_their_extent(small_kb: gk.KnowledgeBase) -> None:
    fig = timeline(small_kb)
    marker = _by(fig, "event", "troop_deployment", "markers+text")[0]
    assert marker.x == ("2024-10-16 12:00:00",)  # the middle of October
    assert marker.y == (1,)  # the KPA lane
    extents = _by(fig, "event", "troop_deployment", "lines")[0]
    assert extents.x == ("2024-10-01", "2024-11-01", None, "2024-12-01", "2025-01-01", None)
    assert extents.opacity < 0.5  # translucent: uncertain
    attack = _by(fig, "event", "attack", "lines")[0]
    assert attack.x == ("2024-11-01", "2024-11-11", None)


def test_figures_and_plans_are_visible(small_kb: gk.KnowledgeBase) -> None:
    fig = timeline(small_kb)
    marker = _by(fig, "event", "troop_deployment", "markers+text")[0]
    assert marker.text == ("+1,500 · 3,000 soldiers",)
    assert marker.marker.size > _by(fig, "event", "statement")[0].marker.size  # one point each
    planned = _by(fig, "planned", "troop_deployment")[0]
    assert planned.marker.symbol == "circle-open"
    assert planned.x == ("2024-12-16 12:00:00",) and planned.text == ("≤10k planned",)
    connector = _by(fig, "event", "troop_deployment", "lines")[1]
    assert connector.line.dash == "dot"
    assert connector.x == ("2024-10-16 12:00:00", "2024-12-16 12:00:00", None)


def test_open_ends_run_to_the_end_of_the_data_with_a_marker(small_kb: gk.KnowledgeBase) -> None:
    fig = timeline(small_kb)
    war_bar, war_tip, war_start = _by(fig, "relation", "at_war_with")
    # to the data's last day: the alliance ends in 2025, so 2025-12-31
    assert war_bar.x == ("2022-02-24", "2026-01-01", None)
    assert war_tip.marker.symbol == ("triangle-right",)
    duration_tip = _by(fig, "event", "arms_transfer", "markers")[0]
    assert duration_tip.marker.symbol == ("triangle-right",)
    unsure, sure = _by(fig, "relation", "allied_with", "lines")
    # start 2024-06, end 2025: possible from 1 June 2024 to 31 December 2025, certain on the days
    # from the last day of the start to the first day of the end (graphkit.model.dates)
    assert unsure.x == ("2024-06-01", "2024-06-30", None, "2025-01-02", "2026-01-01", None)
    assert sure.x == ("2024-06-30", "2025-01-02", None)


def test_hover_has_summary_date_precision_actors_figures_and_sources(
    small_kb: gk.KnowledgeBase,
) -> None:
    fig = timeline(small_kb)
    marker = _by(fig, "event", "troop_deployment", "markers+text")[0]
    hover = marker.hovertext[0]
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
    assert marker.customdata == ("https://example.org/nis",)
    statement = _by(fig, "event", "statement")[0]
    assert statement.customdata == (None,)  # its source has no URL: nothing to open


def test_filters(small_kb: gk.KnowledgeBase) -> None:
    fig = timeline(small_kb, actors=["Ukraine"])
    assert {(t.meta or {}).get("type") for t in fig.data} == {"attack", "at_war_with"}
    fig = timeline(small_kb, types=["statement"], since="2024-10", until="2024-10")
    assert [t.name for t in fig.data] == ["Statement"]
    fig = timeline(small_kb, since="2025-02")
    assert {(t.meta or {}).get("type") for t in fig.data} == {
        "at_war_with", "arms_transfer",  # ongoing
        "allied_with",  # ends in 2025: possibly still held in February
    }  # fmt: skip
    with pytest.raises(gk.UnknownActorError):
        timeline(small_kb, actors=["Narnia"])
    with pytest.raises(gk.UnknownIdError, match="troop_deploymnet"):
        timeline(small_kb, types=["troop_deploymnet"])
    with pytest.raises(gk.InvalidDateError):
        timeline(small_kb, since="2025", until="2024")


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
    # the type filter keeps the panel
    statement = next(b for b in fig.layout.updatemenus[1].buttons if b.label == "type: Statement")
    assert statement.args[0]["visible"][-1] is True


def test_large_inputs_use_webgl_and_few_lanes() -> None:
    kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(2500, 3)))
    fig = timeline(kb, label_limit=100)
    types = Counter(t.type for t in fig.data)
    assert types["scattergl"] >= 17  # every event type's markers
    points = sum(len(t.x) for t in fig.data if (t.meta or {}).get("kind") == "event"
                 and t.type == "scattergl" and t.hoverinfo != "skip")  # fmt: skip
    assert points == 2500
    assert all(t.type == "scattergl" for t in fig.data)  # bars too: one WebGL draw each
    assert len(fig.layout.yaxis.ticktext) <= 30
    assert fig.layout.yaxis.ticktext[-1] == "other actors"
    assert all(not t.text for t in fig.data if t.type == "scattergl")  # no labels when large
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
    assert bars  # the bars stay
    assert all(t.type == "scattergl" for t in fig.data if t.mode != "lines")


def test_colliding_figure_labels_keep_the_largest(write_yaml: Any) -> None:
    kb = gk.load(
        write_yaml(
            "labels.yaml",
            """
format_version: 1
actors: [{id: A, name: Alpha, kind: state}]
events:
  - {id: a, type: attack, date: 2024-10-01, actor: A, quantities: [{value: 12, unit: dead}]}
  - {id: b, type: attack, date: 2024-10-02, actor: A, quantities: [{value: 3000, unit: dead}]}
  - {id: c, type: attack, date: 2025-06-01, actor: A, quantities: [{value: 5, unit: dead}]}
""",
        )
    )
    marker = timeline(kb).data[-1]
    assert marker.text == ("", "3,000 dead", "5 dead")
    assert "12 dead" in marker.hovertext[0]  # the figure is still in the hover


def test_webgl_figures_have_fixed_margins_and_dense_ones_small_markers() -> None:
    kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(2500, 3)))
    fig = timeline(kb)
    margin = fig.layout.margin
    # plotly's automargin would draw every point twice: the margins are computed instead
    assert margin.autoexpand is False and not fig.layout.yaxis.automargin
    longest = max(len(t) for t in fig.layout.yaxis.ticktext)
    assert margin.l >= 7 * longest and margin.b > 60
    legend = [t.name for t in fig.data if t.showlegend]
    assert margin.r >= 7 * max(len(n) for n in legend)
    markers = [t for t in fig.data if (t.meta or {}).get("kind") == "event" and t.hovertext]
    assert all(isinstance(t.marker.symbol, str) for t in markers)  # one symbol: one WebGL pass
    assert all(t.marker.line.width for t in markers)
    dense = timeline(kb, brief_hover_over=1000)
    dense_markers = [t for t in dense.data if (t.meta or {}).get("kind") == "event" and t.hovertext]
    assert all(t.marker.line.width is None for t in dense_markers)  # no outline when dense
    assert max(max(t.marker.size) for t in dense_markers) < max(max(t.marker.size) for t in markers)


def test_durations_and_moments_of_one_type_are_separate_traces(write_yaml: Any) -> None:
    kb = gk.load(
        write_yaml(
            "mixed.yaml",
            """
format_version: 1
actors: [{id: A, name: Alpha, kind: state}]
events:
  - {id: a, type: attack, date: 2024-10-01, actor: A}
  - {id: b, type: attack, date: {start: 2024-10-05, end: 2024-10-09}, actor: A}
""",
        )
    )
    fig = timeline(kb)
    markers = [t for t in fig.data if t.mode == "markers" and t.hovertext]
    assert [(t.marker.symbol, t.showlegend, t.legendgroup) for t in markers] == [
        ("circle", True, "attack"),
        ("diamond", False, "attack"),
    ]
    assert [t.customdata for t in markers] == [(None,), (None,)]
    type_menu = fig.layout.updatemenus[1]
    attack = next(b for b in type_menu.buttons if b.label == "type: Attack")
    assert all(attack.args[0]["visible"])  # both traces belong to the type
