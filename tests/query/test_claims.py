"""Competing figures are claims, not growth: claim sets, the accepted figure, per-figure grades.

Small scenarios written for issue 20 (not the shipped datasets).
"""

import json

import pytest

import graphkit as gk
from graphkit.query.escalation import escalations

HEAD = """format_version: 1
sources:
  - {id: wire-1, title: Wire report one, reliability: B, published: 2024-03-02}
  - {id: wire-2, title: Wire report two, reliability: B, published: 2024-03-21}
  - {id: wire-3, title: Wire report three, reliability: B, published: 2024-04-02}
  - {id: party, title: Party press office, reliability: D, published: 2024-03-12}
  - {id: later, title: Later study, reliability: C, published: 2024-09-01}
actors:
  - {id: ARC, name: Arcadia, kind: state}
  - {id: BOR, name: Borduria, kind: state}
"""


def growth(kb, **options):
    return [
        (str(s.day), s.before, s.after, str(s.grade), [(c.text, str(c.grade)) for c in s.competing])
        for s in escalations(kb, kinds=["quantity_growth"], **options)
    ]


LOW_GRADE_CLAIM = (
    HEAD
    + """events:
  - id: r1
    type: troop_deployment
    date: 2024-03-01
    actor: ARC
    target: BOR
    quantities: [{value: 1000, unit: soldiers, measure: arc_troops}]
    sources: [wire-1]
    credibility: 2
  - id: r2
    type: troop_deployment
    date: 2024-03-10
    actor: ARC
    target: BOR
    quantities:
      - {value: 2000, unit: soldiers, measure: arc_troops}
      - {value: 8000, unit: soldiers, measure: arc_troops, sources: [{source: party, according_to: ARC}], credibility: 4}
    sources: [wire-2]
    credibility: 2
  - id: r3
    type: troop_deployment
    date: 2024-04-01
    actor: ARC
    target: BOR
    quantities: [{value: 3000, unit: soldiers, measure: arc_troops}]
    sources: [wire-3]
    credibility: 2
"""
)


def test_a_low_grade_claim_between_two_reports_competes_instead_of_growing():
    kb = gk.loads(LOW_GRADE_CLAIM)
    assert growth(kb) == [
        ("2024-03-10", "1,000 soldiers", "2,000 soldiers", "B2", [("8,000 soldiers", "D4")]),
        ("2024-04-01", "2,000 soldiers", "3,000 soldiers", "B2", []),
    ]
    step = escalations(kb, kinds=["quantity_growth"])[0]
    # the step cites the accepted figure's sources, the claim cites its own
    assert [s.id for e in step.evidence for s in e.sources] == ["wire-2"]
    (claim,) = step.competing
    assert [(s.id, s.according_to) for e in claim.evidence for s in e.sources] == [("party", "ARC")]
    assert "competing: 8,000 soldiers (2024-03-10)" in step.summary
    payload = json.loads(escalations(kb).to_json())[0]
    assert payload["competing"][0]["grade"] == "D4"
    assert payload["competing"][0]["figure"] == 8000
    assert payload["evidence"][0]["kind"] == "figure"
    assert "competing: 8,000 soldiers (2024-03-10) [D4]" in str(step)


def test_the_claim_alone_is_graded_by_its_own_sources():
    """Without the report beside it, the claim is the accepted level, at its own grade D4."""
    kb = gk.loads(
        LOW_GRADE_CLAIM.replace("      - {value: 2000, unit: soldiers, measure: arc_troops}\n", "")
    )
    assert growth(kb)[0][:4] == ("2024-03-10", "1,000 soldiers", "8,000 soldiers", "D4")


TWO_FIGURES = (
    HEAD
    + """events:
  - id: r1
    type: troop_deployment
    date: 2024-03-01
    actor: ARC
    target: BOR
    quantities: [{value: 1000, unit: soldiers, measure: arc_troops}]
    sources: [wire-1]
    credibility: 2
  - id: r2
    type: troop_deployment
    date: 2024-03-20
    actor: ARC
    target: BOR
    quantities:
{figures}
    sources: [wire-2]
    credibility: 2
"""
)
CONTEMPORARY = "      - {value: 1500, unit: soldiers, measure: arc_troops}"
KNOWN_LATER = (
    "      - {value: 2500, unit: soldiers, measure: arc_troops, sources: [later], credibility: 3}"
)


@pytest.mark.parametrize("figures", [[CONTEMPORARY, KNOWN_LATER], [KNOWN_LATER, CONTEMPORARY]])
def test_two_competing_figures_give_the_same_answer_in_both_orders(figures):
    kb = gk.loads(TWO_FIGURES.replace("{figures}", "\n".join(figures)))
    assert growth(kb) == [
        ("2024-03-20", "1,000 soldiers", "1,500 soldiers", "B2", [("2,500 soldiers", "C3")])
    ]


def test_a_better_graded_figure_known_later_is_accepted_in_both_orders():
    better = KNOWN_LATER.replace("credibility: 3", "credibility: 1")
    for figures in ([CONTEMPORARY, better], [better, CONTEMPORARY]):
        kb = gk.loads(TWO_FIGURES.replace("{figures}", "\n".join(figures)))
        assert growth(kb) == [
            ("2024-03-20", "1,000 soldiers", "2,500 soldiers", "C1", [("1,500 soldiers", "B2")])
        ]


def test_corroboration_breaks_a_tie_in_grade_and_a_source_repeating_itself_does_not():
    figures = [
        "      - {value: 1500, unit: soldiers, measure: arc_troops}",
        "      - {value: 2500, unit: soldiers, measure: arc_troops, sources: [wire-3]}",
        "      - {value: 2500, unit: soldiers, measure: arc_troops, sources: [{source: wire-3, according_to: BOR}]}",
    ]
    kb = gk.loads(TWO_FIGURES.replace("{figures}", "\n".join(figures)))
    # 2,500 from two origins (wire-3 itself, and Borduria through wire-3) beats 1,500 from one
    assert growth(kb)[0][2] == "2,500 soldiers"
    figures[2] = "      - {value: 2500, unit: soldiers, measure: arc_troops, sources: [wire-3]}"
    kb = gk.loads(TWO_FIGURES.replace("{figures}", "\n".join(figures)))
    # the same source twice is one origin: a tie in grade and in corroboration, the lower wins
    assert growth(kb)[0][2] == "1,500 soldiers"


def test_a_vague_figure_joins_the_latest_claim_set_it_may_belong_to():
    """A month-dated figure overlaps two day-dated reports that do not overlap each other."""
    kb = gk.loads(
        HEAD
        + """events:
  - {id: r1, type: troop_deployment, date: 2024-03-01, actor: ARC, target: BOR, sources: [wire-1], credibility: 2,
     quantities: [{value: 1000, unit: soldiers, measure: arc_troops}]}
  - {id: r2, type: troop_deployment, date: 2024-03-20, actor: ARC, target: BOR, sources: [wire-2], credibility: 2,
     quantities: [{value: 2000, unit: soldiers, measure: arc_troops}]}
  - {id: vague, type: statement, date: 2024-03, actor: BOR, target: ARC, sources: [party], credibility: 4,
     quantities: [{value: 5000, unit: soldiers, measure: arc_troops}]}
"""
    )
    assert growth(kb) == [
        ("2024-03-20", "1,000 soldiers", "2,000 soldiers", "B2", [("5,000 soldiers", "D4")])
    ]


PLANNED = (
    HEAD
    + """events:
  - id: r1
    type: troop_deployment
    date: 2024-03-01
    actor: ARC
    target: BOR
    quantities: [{value: 1000, unit: soldiers, measure: arc_troops}]
    sources: [wire-1]
    credibility: 2
  - id: r2
    type: troop_deployment
    date: 2024-03-10
    actor: ARC
    target: BOR
    quantities:
      - {value: 1000, unit: soldiers, measure: arc_troops}
      - {value: 9000, unit: soldiers, measure: arc_troops, sources: [party], credibility: 5}
    sources: [wire-2]
    credibility: 2
  - id: plan
    type: statement
    date: 2024-04-01
    actor: ARC
    target: BOR
    quantities: [{max: 4000, unit: soldiers, planned: true, by: 2024-12, measure: arc_troops}]
    sources: [wire-3]
    credibility: 2
"""
)


def test_a_planned_figure_after_an_inflated_claim_is_judged_against_the_accepted_level():
    kb = gk.loads(PLANNED)
    steps = escalations(kb, kinds=["quantity_growth"])
    assert [(s.before, s.after, s.size, s.planned) for s in steps] == [
        ("1,000 soldiers", "up to 4,000 soldiers (planned)", 4.0, True)
    ]


def test_known_at_applies_to_a_figure_s_own_sources():
    kb = gk.loads(LOW_GRADE_CLAIM)
    # on 11 March the party's claim (published the 12th) was not out: no competing claim yet
    assert growth(kb, known_at="2024-03-25") == [
        ("2024-03-10", "1,000 soldiers", "2,000 soldiers", "B2", [("8,000 soldiers", "D4")])
    ]
    early = gk.loads(LOW_GRADE_CLAIM.replace("published: 2024-03-12", "published: 2024-03-30"))
    assert growth(early, known_at="2024-03-25") == [
        ("2024-03-10", "1,000 soldiers", "2,000 soldiers", "B2", [])
    ]


def test_a_fall_then_a_rise_is_a_new_step():
    kb = gk.loads(
        HEAD
        + """events:
  - {id: r1, type: troop_deployment, date: 2024-03-01, actor: ARC, target: BOR, sources: [wire-1],
     quantities: [{value: 3000, unit: soldiers, measure: arc_troops}]}
  - {id: r2, type: troop_withdrawal, date: 2024-03-20, actor: ARC, target: BOR, sources: [wire-2],
     quantities: [{value: 1000, unit: soldiers, measure: arc_troops}]}
  - {id: r3, type: troop_deployment, date: 2024-04-01, actor: ARC, target: BOR, sources: [wire-3],
     quantities: [{value: 2500, unit: soldiers, measure: arc_troops}]}
"""
    )
    assert [(s.before, s.after) for s in escalations(kb, kinds=["quantity_growth"])] == [
        ("1,000 soldiers", "2,500 soldiers")
    ]


def test_the_timeline_hover_grades_a_figure_by_its_own_sources():
    from graphkit.render._describe import Describer

    kb = gk.loads(LOW_GRADE_CLAIM)
    hover = Describer(kb).event_hover(kb.events["r2"])
    assert "figure: 8,000 soldiers · grade D4<br>  own sources: Party press office" in hover
    assert "figure: 2,000 soldiers<br>" in hover  # the event's own figure: graded as the event


def test_a_figure_spanning_several_sets_joins_the_latest():
    """Figures of the 17th and 18th do not overlap; one dated 8 to 23 may belong to both."""
    kb = gk.loads(
        HEAD
        + """events:
  - {id: r1, type: troop_deployment, date: 2024-03-01, actor: ARC, target: BOR, sources: [wire-1], credibility: 2,
     quantities: [{value: 1000, unit: soldiers, measure: arc_troops}]}
  - {id: a, type: statement, date: 2024-03-17, actor: BOR, target: ARC, sources: [later], credibility: 2,
     quantities: [{value: 5000, unit: soldiers, measure: arc_troops}]}
  - {id: b, type: statement, date: 2024-03-18, actor: BOR, target: ARC, sources: [wire-2], credibility: 2,
     quantities: [{value: 6000, unit: soldiers, measure: arc_troops}]}
  - {id: c, type: statement, date: {earliest: 2024-03-08, latest: 2024-03-23}, actor: BOR, target: ARC,
     sources: [wire-3], credibility: 2, quantities: [{value: 5000, unit: soldiers, measure: arc_troops}]}
"""
    )
    # c joins the set of the 18th and meets b (6,000): equal grades and one origin each, so the
    # lower number, 5,000, is accepted and 6,000 competes. The 18th's 5,000 equals the 17th's
    # level (a's 5,000): it corroborates the step of the 17th, with its competing claim.
    assert growth(kb) == [
        ("2024-03-17", "1,000 soldiers", "5,000 soldiers", "B2", [("6,000 soldiers", "B2")])
    ]
    step = escalations(kb, kinds=["quantity_growth"])[0]
    assert [e.id for e in step.evidence] == ["a", "c"]


def test_a_figure_that_is_not_certainly_lower_does_not_lower_the_level():
    kb = gk.loads(
        HEAD
        + """events:
  - {id: r1, type: troop_deployment, date: 2024-03-01, actor: ARC, target: BOR, sources: [wire-1],
     quantities: [{value: 1000, unit: soldiers, measure: arc_troops}]}
  - {id: r2, type: troop_deployment, date: 2024-03-10, actor: ARC, target: BOR, sources: [wire-2],
     quantities: [{min: 11000, max: 12000, unit: soldiers, measure: arc_troops}]}
  - {id: r3, type: statement, date: 2024-03-12, actor: ARC, target: BOR, sources: [wire-2],
     quantities: [{value: 11000, unit: soldiers, measure: arc_troops}]}
  - {id: r4, type: statement, date: 2024-03-15, actor: ARC, target: BOR, sources: [wire-2],
     quantities: [{min: 10000, unit: soldiers, measure: arc_troops}]}
  - {id: r5, type: statement, date: 2024-04-01, actor: ARC, target: BOR, sources: [wire-3],
     quantities: [{value: 12000, unit: soldiers, measure: arc_troops}]}
"""
    )
    # 11,000 lies within "11,000 to 12,000" and "at least 10,000" says nothing of a fall: the
    # level stays at 12,000, so the report of 12,000 on 1 April corroborates the first step.
    steps = escalations(kb, kinds=["quantity_growth"])
    assert [(s.before, s.after, [e.id for e in s.evidence]) for s in steps] == [
        ("1,000 soldiers", "up to 12,000 soldiers", ["r2", "r5"])
    ]
