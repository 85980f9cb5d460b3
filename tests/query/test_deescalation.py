"""De-escalation steps, wars that end, and dates whose extent straddles a war's start.

Small scenarios written for issue 20 (not the shipped datasets).
"""

import json

import pytest

import graphkit as gk
from graphkit.query.escalation import escalation_index, escalations

HEAD = """format_version: 1
sources:
  - {id: wire, title: Wire report, reliability: B}
actors:
  - {id: ARC, name: Arcadia, kind: state}
  - {id: BOR, name: Borduria, kind: state}
  - {id: CAL, name: Calvadia, kind: state}
  - {id: ARC-NAVY, name: Arcadian Navy, kind: armed_force, part_of: ARC}
"""

CRISIS = (
    HEAD
    + """relations:
  - {id: arc-bor-hostility, type: hostile_to, from: ARC, to: BOR, start: 2024-01-05, end: 2024-05-10,
     sources: [wire], credibility: 2}
  - {id: arc-sanctions, type: sanctions, from: ARC, to: BOR, start: 2024-01-20, end: 2024-05-02,
     ended_by: sanctions-lifted, sources: [wire], credibility: 2}
events:
  - {id: threat, type: threat, date: 2024-01-05, actor: ARC, target: BOR, sources: [wire], credibility: 2}
  - {id: mobilized, type: mobilization, date: 2024-01-10, actor: ARC, target: BOR, sources: [wire], credibility: 2}
  - {id: blockade, type: blockade, date: {start: 2024-02-01, end: 2024-03-28}, actor: ARC-NAVY, target: BOR,
     sources: [wire], credibility: 2}
  - {id: announced, type: withdrawal_announcement, date: 2024-03-01, actor: ARC, target: BOR,
     sources: [wire], credibility: 2}
  - {id: blockade-lifted, type: blockade_lifted, date: 2024-03-28, actor: ARC-NAVY, target: BOR,
     sources: [wire], credibility: 2}
  - {id: withdrawn, type: troop_withdrawal, date: 2024-04-20, actor: ARC, target: BOR, sources: [wire], credibility: 2}
  - {id: sanctions-lifted, type: sanctions_lifted, date: 2024-05-02, actor: ARC, target: BOR,
     sources: [wire], credibility: 2}
  - {id: later-talks, type: negotiation, date: 2024-09, actor: ARC, target: BOR, sources: [wire], credibility: 2}
"""
)


def rows(steps):
    return [(str(s.day), s.kind, s.before, s.after, s.size, s.size_unit) for s in steps]


def test_a_crisis_that_peaks_and_de_escalates():
    kb = gk.loads(CRISIS)
    assert rows(escalations(kb)) == [
        (
            "2024-01-05",
            "ladder",
            "no militarized action (1)",
            "threat to use force (2)",
            1.0,
            "levels",
        ),
        ("2024-01-10", "ladder", "threat to use force (2)", "display of force (3)", 1.0, "levels"),
        ("2024-02-01", "ladder", "display of force (3)", "use of force (4)", 1.0, "levels"),
        # the announcement lowers no MID level: a cooperative act between parties in conflict
        (
            "2024-03-01",
            "de_escalation",
            None,
            "Withdrawal or de-escalation announced (Goldstein +7)",
            7.0,
            "goldstein",
        ),
        # lifting the blockade ends the use of force, the withdrawal the display of force
        ("2024-03-28", "de_escalation", "use of force (4)", "display of force (3)", 1.0, "levels"),
        (
            "2024-04-20",
            "de_escalation",
            "display of force (3)",
            "threat to use force (2)",
            1.0,
            "levels",
        ),
        # the lifted measure, and the sanctions relation it ended
        (
            "2024-05-02",
            "de_escalation",
            None,
            "Sanctions lifted (Goldstein +7)",
            7.0,
            "goldstein",
        ),
        ("2024-05-02", "de_escalation", "sanctions", "ended", 1.0, "relation"),
        ("2024-05-10", "de_escalation", "hostile to", "ended", 1.0, "relation"),
        # September's talks: the dyad is at level 2 still (no act withdrew the threat)
        (
            "2024-09-01",
            "de_escalation",
            None,
            "Negotiation (Goldstein +7)",
            7.0,
            "goldstein",
        ),
    ]
    ended = escalations(kb, kinds=["de_escalation"])[4]
    assert [e.id for e in ended.evidence] == ["arc-sanctions", "sanctions-lifted"]
    assert ended.when == "2024-05-02"
    # opting out
    assert {s.kind for s in escalations(kb, kinds=["ladder"])} == {"ladder"}


def test_a_new_threat_after_the_de_escalation_climbs_the_ladder_again():
    kb = gk.loads(
        CRISIS.replace(
            "  - {id: later-talks",
            "  - {id: new-attack, type: attack, date: 2024-06, actor: ARC, target: BOR, sources: [wire]}\n"
            "  - {id: later-talks",
        )
    )
    ladder = [(str(s.day), s.before, s.after) for s in escalations(kb, kinds=["ladder"])]
    assert ladder[-1] == ("2024-06-01", "threat to use force (2)", "use of force (4)")


def test_the_index_falls_after_the_peak():
    kb = gk.loads(CRISIS)
    index = escalation_index(kb, dyad=("ARC", "BOR"), freq="month")
    by_month = {p.start.strftime("%Y-%m"): round(p.value, 2) for p in index.points}
    assert by_month["2024-01"] == pytest.approx((7.0 + 7.2) * 0.7)
    assert by_month["2024-02"] == pytest.approx(9.5 * 0.7)  # the blockade counts at its start
    assert by_month["2024-03"] == pytest.approx(-(7.0 + 9.0) * 0.7)
    assert by_month["2024-04"] == pytest.approx(-9.0 * 0.7)
    assert by_month["2024-05"] == pytest.approx(-7.0 * 0.7)
    peak = max(index.points, key=lambda p: p.rolling)
    assert index.points[-1].rolling < peak.rolling
    assert escalation_index(kb, freq="month").points[2].value < 0  # unscoped too
    assert json.loads(index.to_json())["points"][2]["events"] == "announced blockade-lifted"


WAR_THAT_ENDS = (
    HEAD
    + """relations:
  - {id: war, type: at_war_with, from: ARC, to: BOR, start: 2022-02, end: 2024-01-19, ended_by: truce}
  - {id: cal-arms-early, type: supplies_arms_to, from: CAL, to: ARC, start: 2023-05, end: 2023-12}
  - {id: cal-pact-late, type: allied_with, from: CAL, to: ARC, start: 2024-03}
events:
  - {id: attack, type: attack, date: 2022-02-20, actor: BOR, target: ARC}
  - {id: cal-arms, type: arms_transfer, date: 2023-06, actor: CAL, target: ARC}
  - {id: truce, type: ceasefire, date: 2024-01-19, actor: ARC, target: BOR}
  - {id: cal-arms-late, type: arms_transfer, date: 2024-03, actor: CAL, target: ARC}
  - {id: cal-troops-late, type: troop_deployment, date: 2024-04, actor: CAL, target: ARC}
"""
)


def test_a_war_that_ended_has_no_belligerents_after_its_end():
    kb = gk.loads(WAR_THAT_ENDS)
    steps = escalations(kb)
    assert [(str(s.day), s.kind, s.after, [e.id for e in s.evidence]) for s in steps] == [
        ("2022-02-20", "ladder", "use of force (4)", ["attack"]),
        ("2023-05-01", "widening", "supplies arms to", ["cal-arms-early"]),
        ("2023-06-01", "widening", "arms transfer", ["cal-arms"]),
        # the arms supply ends while the war goes on: the war narrows
        ("2023-12-01", "de_escalation", "ended", ["cal-arms-early"]),
        ("2024-01-19", "de_escalation", "display of force (3)", ["truce"]),
        ("2024-01-19", "de_escalation", "ended", ["war", "truce"]),
        # support after the ceasefire (alliance, arms, troops) widens no war and joins none
    ]


MONTH_DATED = (
    HEAD
    + """relations:
  - {id: war, type: at_war_with, from: ARC, to: BOR, start: 2024-10-15}
  - {id: cal-pact, type: allied_with, from: CAL, to: ARC, start: 2024-10}
  - {id: cal-old-pact, type: cooperates_with, from: CAL, to: ARC, start: 2024-09}
events:
  - {id: cal-troops, type: troop_deployment, date: 2024-10, actor: CAL, target: ARC}
  - {id: cal-training, type: training, date: 2024-10, actor: CAL, target: ARC}
  - {id: cal-early, type: arms_transfer, date: 2024-09, actor: CAL, target: ARC}
"""
)


def test_a_month_dated_act_or_relation_straddling_the_war_s_start_is_weighed():
    kb = gk.loads(MONTH_DATED)
    steps = escalations(kb, kinds=["new_party", "widening"])
    assert [(str(s.day), s.kind, s.when, [e.id for e in s.evidence][:1]) for s in steps] == [
        ("2024-10-15", "widening", "2024-10", ["cal-training"]),
        ("2024-10-15", "new_party", "2024-10", ["cal-troops"]),
        ("2024-10-16", "widening", "2024-10", ["cal-pact"]),
    ]
    assert all("may fall before the war's start" in s.summary for s in steps)
    # what certainly came before the war (September) is not weighed
    assert not [s for s in steps if s.evidence[0].id in ("cal-early", "cal-old-pact")]


def test_the_report_shows_the_de_escalation():
    """The report's escalation table marks the steps down, and its index panel falls below 0."""
    import re

    kb = gk.loads(CRISIS)
    steps = escalations(kb)
    index = escalation_index(kb, freq="month")
    page = gk.report(kb, steps=steps, escalation=index)
    down = re.findall(
        r'<tr class="(?:gk-step )?gk-down"[^>]*><td[^>]*>[^<]*</td><td[^>]*>([^<]*)</td>', page
    )
    assert down == ["de_escalation"] * sum(s.kind == "de_escalation" for s in steps) != []
    assert "de-escalation: a step down" in page
    panel = gk.timeline(kb, escalation=index).to_plotly_json()["data"][-1]
    assert panel["meta"] == {"kind": "escalation"}
    assert min(panel["y"]) < 0
    below = [h for h, y in zip(panel["hovertext"], panel["y"], strict=True) if y < 0]
    assert below and all("easing outweighs hostility" in h for h in below)
