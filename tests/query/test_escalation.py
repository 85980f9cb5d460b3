"""Escalation steps and index: a fictional scenario, the flagship dataset, the Red Sea crisis."""

import inspect
import json
import re
from datetime import date

import pytest

import graphkit as gk
from graphkit.query import escalation as escalation_module
from graphkit.query.escalation import conflicts, escalation_index, escalations

from ..conftest import ROOT


def summary(steps):
    return [(str(s.day), s.kind, s.parties, s.before, s.after) for s in steps]


def test_fictional_scenario_steps(scenario):
    assert summary(escalations(scenario)) == [
        ("2023-05-10", "widening", ("CAL", "ARC"), None, "allied with"),
        (
            "2023-06-01",
            "ladder",
            ("BOR", "CAL"),
            "no militarized action (1)",
            "threat to use force (2)",
        ),
        ("2023-07-01", "widening", ("CAL", "ARC"), None, "arms transfer"),
        (
            "2023-09-10",
            "new_party",
            ("CAL", "ARC"),
            "no militarized action (1)",
            "display of force (3)",
        ),
        ("2023-10-06", "quantity_growth", ("CAL", "ARC"), "800 soldiers", "2,000 soldiers"),
        (
            "2023-10-06",
            "quantity_growth",
            ("CAL", "ARC"),
            "2,000 soldiers",
            "up to 6,000 soldiers (planned)",
        ),
        ("2023-11-01", "new_party", ("CAL", "ARC"), "display of force (3)", "use of force (4)"),
        ("2023-11-01", "ladder", ("BOR", "CAL"), "threat to use force (2)", "use of force (4)"),
    ]


def test_sizes_are_levels_and_ratios(scenario):
    growth = escalations(scenario, kinds=["quantity_growth"])
    assert [(s.size, s.size_unit, s.planned) for s in growth] == [
        (2.5, "ratio", False),
        (3.0, "ratio", True),
    ]
    ladder = escalations(scenario, kinds=["ladder"])
    assert [(s.size, s.size_unit) for s in ladder] == [(1.0, "levels"), (2.0, "levels")]


def test_new_party_cites_its_alliance_with_the_side_it_joins(scenario):
    entry = escalations(scenario, kinds=["new_party"])[0]
    assert [e.id for e in entry.evidence] == ["cal-deploy-1", "cal-arc-pact"]
    assert entry.conflict == "arc-bor-war"
    assert entry.evidence[0].sources[0].title == "Ministry statement"


def test_a_unit_counts_for_its_state(scenario):
    assert all("CAL-ARMY" not in s.parties for s in escalations(scenario))


def test_filters(scenario):
    assert {s.kind for s in escalations(scenario, dyad=("Borduria", "CAL"))} == {
        "ladder",
        "new_party",
    }
    assert [str(s.day) for s in escalations(scenario, since="2023-10", until="2023-10")] == [
        "2023-10-06",
        "2023-10-06",
    ]
    assert escalations(scenario, conflict=("ARC", "BOR")) == escalations(
        scenario, conflict="arc-bor-war"
    )
    with pytest.raises(ValueError, match="no conflict named 'nope'"):
        escalations(scenario, conflict="nope")
    # what did we know on 1 October? the second deployment report was published on the 6th
    assert not escalations(scenario, known_at="2023-10-01", kinds=["quantity_growth"])


def test_conflict_sides_merge_wars_that_share_a_belligerent():
    kb = gk.loads(
        """format_version: 1
actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state},
         {id: C, name: C, kind: state}, {id: C-ARMY, name: C army, kind: armed_force, part_of: C}]
relations:
  - {id: ab, type: at_war_with, from: A, to: B, start: 2022}
  - {id: cb, type: at_war_with, from: C-ARMY, to: B, start: 2024-12}
"""
    )
    (conflict,) = conflicts(kb)
    assert conflict.sides() == (["A", "C"], ["B"])
    steps = escalations(kb, kinds=["new_party"])
    assert summary(steps) == [
        ("2024-12-01", "new_party", ("C",), "no militarized action (1)", "war (5)")
    ]


def test_joined_conflicts_keep_the_earliest_name_start_and_sides():
    # ``ab`` starts a conflict in 2022 and ``cd`` one in 2020; ``ac`` (2023) joins them. The
    # merged conflict is the older one: named after ``cd``, started in 2020, C and D keep their
    # sides and A lands opposite C, whichever end of ``ac`` belongs to the newer conflict.
    kb = gk.loads(
        """format_version: 1
actors: [{id: A, name: A, kind: state}, {id: B, name: B, kind: state},
         {id: C, name: C, kind: state}, {id: D, name: D, kind: state}]
relations:
  - {id: ab, type: at_war_with, from: A, to: B, start: 2022}
  - {id: cd, type: at_war_with, from: C, to: D, start: 2020}
  - {id: ac, type: at_war_with, from: A, to: C, start: 2023}
"""
    )
    (conflict,) = conflicts(kb)
    assert conflict.name == "cd"
    assert conflict.start == date(2020, 1, 1).toordinal()
    assert conflict.sides() == (["B", "C"], ["A", "D"])
    assert [r.id for r in conflict.relations] == ["cd", "ab", "ac"]
    assert conflict.belligerent_since["A"] == date(2022, 1, 1).toordinal()


def test_index_weights_hostility_by_credibility(scenario):
    index = escalation_index(scenario, dyad=("CAL", "BOR"), freq="month")
    by_month = {str(p.start): round(p.value, 3) for p in index.points}
    assert by_month["2023-06-01"] == pytest.approx(7.0 * 0.7)  # threat, credibility 2
    assert by_month["2023-11-01"] == pytest.approx(10.0 * 0.5)  # combat, credibility 3
    assert by_month["2023-07-01"] == 0.0  # bins in between are present and empty
    conflict = escalation_index(scenario, conflict="arc-bor-war", freq="month")
    assert {str(p.start): p.value for p in conflict.points}["2023-07-01"] == pytest.approx(
        8.3 * 0.7
    )
    assert json.loads(conflict.to_json())["points"][0]["start"] == "2023-06-01"


def test_index_spreads_partial_dates_over_their_extent(scenario):
    weekly = escalation_index(scenario, dyad=("CAL", "BOR"), freq="week")
    november = [p for p in weekly.points if p.end.month == 11 or p.start.month == 11]
    assert sum(p.value for p in november) == pytest.approx(5.0)
    assert max(p.value for p in november) < 5.0


def test_no_actor_or_scenario_name_in_the_rules():
    source = inspect.getsource(escalation_module)
    for name in ("PRK", "RUS", "UKR", "Korea", "Russia", "Ukraine", "HOUTHI"):
        assert not re.search(rf"\b{name}\b", source, re.IGNORECASE), name


def test_flagship_shows_north_korea_entering_the_war_and_its_growing_contingent(flagship):
    prk = escalations(flagship, actor="North Korea", since="2024-06")
    entry = [s for s in prk if s.kind == "new_party"]
    # First clashes in November 2024 (not the Pentagon's December confirmation).
    assert [(str(s.day), s.after) for s in entry] == [
        ("2024-10-08", "display of force (3)"),
        ("2024-11-01", "war (5)"),
    ]
    assert entry[0].parties == ("PRK", "RUS") and entry[0].conflict == "rus-ukr-war"
    # The treaty was signed in June but in force only from 4 December: no alliance yet.
    evidence = [e.id for e in entry[0].evidence]
    assert "prk-supports-rus-war" in evidence and "prk-rus-treaty-alliance" not in evidence
    growth = [(s.before, s.after) for s in prk if s.kind == "quantity_growth"][:3]
    assert growth == [
        ("1,500 soldiers", "12,000 soldiers (planned)"),
        ("1,500 soldiers", "3,000 soldiers"),
        ("3,000 soldiers", "10,000 soldiers"),
    ]
    first = next(
        s
        for s in prk
        if s.kind == "quantity_growth" and "nis-3000-total-2024-10-23" in [e.id for e in s.evidence]
    )
    assert "(+1,500 soldiers)" in first.summary
    according = {src.according_to for e in first.evidence for src in e.sources}
    assert "KOR-NIS" in according


def test_flagship_material_support_counts_toward_the_war(flagship):
    widening = escalations(flagship, actor="PRK", kinds=["widening"])
    steps = [(str(s.day), s.after) for s in widening]
    # Arms supplies from November 2022 (White House finding); the treaty signed on
    # 2024-06-19 is no alliance before it entered into force.
    assert ("2022-11-01", "supplies arms to") in steps
    assert ("2024-06-19", "allied with") not in steps
    assert any(s.after == "arms transfer" for s in widening)


def test_second_crisis_gets_the_same_kinds_of_step():
    kb = gk.load(ROOT / "examples" / "data" / "red_sea_2023_2024.yaml")
    steps = escalations(kb)
    kinds = {s.kind for s in steps}
    assert {"ladder", "new_party", "quantity_growth"} <= kinds
    assert any(s.kind == "new_party" and s.parties[0] == "USA" for s in steps)


def test_steps_convert_to_json_and_records(scenario):
    steps = escalations(scenario)
    payload = json.loads(steps.to_json())
    assert payload[0]["kind"] == "widening" and payload[0]["evidence"][0]["id"] == "cal-arc-pact"
    assert steps.to_records()[3]["evidence"] == "cal-deploy-1; cal-arc-pact"
    assert str(steps).startswith("2023-05-10 widening: new allied with relation between CAL")


def test_the_scan_leaves_no_reference_cycles_behind(flagship):
    """A large scan freezes what it allocated (graphkit._gc): that is only safe without cycles.

    The flagship is far below the freezing threshold, so a cycle would be collected here.
    """
    import gc

    gc.collect()
    steps = escalations(flagship)
    index = escalation_index(flagship)
    assert steps and index.points
    del steps, index
    assert gc.collect() == 0
