"""Severity within a hostility level: deaths, by the MID codebook's fatality levels.

Small scenarios written for issue 20 (not the shipped datasets).
"""

import pytest

import graphkit as gk
from graphkit.query.escalation import escalation_index, escalations
from graphkit.query.escalation.severity import counts_killed, fatality_level

HEAD = """format_version: 1
sources:
  - {id: wire, title: Wire report, reliability: B}
  - {id: party, title: Party statement, reliability: D}
actors:
  - {id: ARC, name: Arcadia, kind: state}
  - {id: BOR, name: Borduria, kind: state}
  - {id: ARC-NAVY, name: Arcadian Navy, kind: armed_force, part_of: ARC}
events:
  - {id: blockade, type: blockade, date: {start: 2024-03-04, end: 2024-03-31}, actor: ARC-NAVY,
     target: BOR, sources: [wire], credibility: 1}
"""

LETHAL = (
    HEAD
    + """  - id: shoot-down
    type: attack
    date: 2024-04-08
    actor: ARC-NAVY
    target: BOR
    sources: [wire]
    credibility: 1
    quantities:
      - {value: 3, unit: crew killed, measure: crew_killed}
      - {value: 300, unit: crew killed, measure: crew_killed, sources: [party], credibility: 4}
      - {value: 40, unit: people, measure: killed_or_wounded}
  - {id: later, type: attack, date: 2024-05-06, actor: ARC, target: BOR, sources: [wire], credibility: 1,
     quantities: [{value: 40, unit: fatalities}]}
  - {id: smaller, type: attack, date: 2024-06-03, actor: ARC, target: BOR, sources: [wire], credibility: 1,
     quantities: [{value: 10, unit: soldiers, measure: soldiers_killed}]}
"""
)


def test_the_mid_fatality_levels():
    assert [
        fatality_level(n) for n in (0, 0.5, 1, 25, 26, 100, 101, 250, 251, 500, 501, 999, 1000)
    ] == [
        0,
        0,
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
        5,
        5,
        6,
    ]
    assert counts_killed("people_killed", "people") and counts_killed(None, "deaths")
    assert counts_killed(None, "Houthi fighters killed") and counts_killed("kia", None)
    assert not counts_killed("prk_killed_or_wounded", "soldiers")
    assert not counts_killed("people_injured", "people") and not counts_killed(None, "casualties")


def test_a_lethal_act_climbs_within_the_level_of_a_bloodless_one():
    kb = gk.loads(LETHAL)
    steps = escalations(kb, kinds=["ladder"])
    assert [(str(s.day), s.before, s.after, s.size, s.size_unit) for s in steps] == [
        ("2024-03-04", "no militarized action (1)", "use of force (4)", 3.0, "levels"),
        # the shoot-down's accepted toll is 3 (B1, not the party's 300 at D4): level 1
        (
            "2024-04-08",
            "use of force (4)",
            "use of force (4), 1–25 deaths (MID fatality level 1)",
            1.0,
            "fatality levels",
        ),
        (
            "2024-05-06",
            "use of force (4), 1–25 deaths",
            "use of force (4), 26–100 deaths (MID fatality level 2)",
            1.0,
            "fatality levels",
        ),
        # 10 killed in June is below the level reached: no step
    ]
    assert "raises the dyad to use of force, 1–25 deaths" in steps[1].summary


def test_in_the_index_a_lethal_act_counts_above_a_bloodless_one_of_its_level():
    kb = gk.loads(LETHAL)
    weekly = {str(p.start): p.value for p in escalation_index(kb, freq="week").points}
    blockade, shoot_down = weekly["2024-03-04"], weekly["2024-04-08"]
    assert blockade == pytest.approx(9.5 * 0.9)  # a duration counts at its start, not spread
    assert weekly["2024-03-11"] == 0.0
    assert shoot_down == pytest.approx((10.0 + 1) * 0.9)  # 1–25 deaths: one point
    assert shoot_down > blockade
    assert weekly["2024-05-06"] == pytest.approx((10.0 + 2) * 0.9)  # 26–100 deaths: two
    dyad = {
        str(p.start): p.value for p in escalation_index(kb, dyad=("ARC", "BOR"), freq="week").points
    }
    assert dyad["2024-04-08"] == shoot_down
