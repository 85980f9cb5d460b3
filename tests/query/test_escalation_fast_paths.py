"""The escalation scan's fast paths give what the plain computations give.

Steps print as text straight from their events and relations (the evidence records are built
only when asked for), the index bins days as ordinals, and steps are sorted by day and kind as
ints before each day's few steps are sorted by summary. Each must agree with the plain way:
``str(evidence)`` once built, date arithmetic, one sort on the full key.
"""

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphkit as gk
from graphkit.query.escalation import escalation_scan, escalations
from graphkit.query.escalation.index import _BINNING
from graphkit.query.escalation.steps import _KIND_ORDER, Step, StepList, sort_steps

ROOT = Path(__file__).resolve().parents[2]
DATASETS = [ROOT / "data" / "events.yaml", ROOT / "examples" / "data" / "red_sea_2023_2024.yaml"]

# Competing figures with their own sources (figure evidence), a relation with an end, a source
# cited through another party with an excerpt, a source of unknown reliability (F) and an event
# without credibility: every kind of line the text prints.
SCENARIO = """
format_version: 1
sources:
  - {id: s1, title: Wire report, publisher: Agency, reliability: B, published: 2024-10-02}
  - {id: s2, title: Ministry statement, reliability: D}
  - {id: s3, title: Blog, reliability: F}
actors:
  - {id: A, name: A, kind: state}
  - {id: B, name: B, kind: state}
  - {id: C, name: C, kind: state}
relations:
  - {id: ab-war, type: at_war_with, from: A, to: B, start: 2024-01, end: 2024-12-20,
     sources: [s1]}
  - {id: ca-ally, type: allied_with, from: C, to: A, start: 2024-06, sources: [s3]}
events:
  - {id: e1, type: threat, date: 2024-01, actor: A, target: B, credibility: 2,
     sources: [{source: s1, according_to: C, excerpt: "A threatened  B"}, s2]}
  - {id: e2, type: attack, date: 2024-03-02, actor: A, target: B, sources: [s3]}
  - id: e3
    type: troop_deployment
    date: 2024-06-01
    actor: A
    target: B
    credibility: 2
    sources: [s1]
    quantities: [{value: 1000, unit: soldiers, measure: troops}]
  - id: e4
    type: troop_deployment
    date: 2024-09-01
    actor: A
    target: B
    credibility: 2
    sources: [s1]
    quantities:
      - {value: 3000, unit: soldiers, measure: troops}
      - {value: 9000, unit: soldiers, measure: troops, credibility: 4, sources: [s2]}
  - {id: e5, type: ceasefire, date: 2024-12-20, actor: A, target: B, credibility: 1,
     sources: [s1, s2]}
"""


def _kbs():
    kb = gk.loads(SCENARIO)
    return [kb, kb.at("2024-01-15"), *(gk.load(p) for p in DATASETS)]


@pytest.mark.parametrize("index", range(4), ids=["scenario", "view", "flagship", "red-sea"])
def test_steps_print_the_same_before_and_after_their_evidence_is_built(index):
    kb = _kbs()[index]
    steps = escalations(kb)
    assert steps, "the scenario must make steps"
    fast = str(steps)  # nothing built yet: the text comes from the items
    assert fast == "\n".join(str(s) for s in steps)  # one step at a time, the same
    for step in steps:
        list(step.evidence)  # build every evidence record
    slow_lines = []
    for s in steps:
        change = f"{s.before} -> {s.after}" if s.before else s.after
        lines = [
            f"{s.when} {s.kind}: {s.summary}",
            f"    {change} (size {s.size:g} {s.size_unit}, grade {s.grade})",
        ]
        for item in s.evidence:
            lines.append(f"    {item}")
            lines.extend(f"      source: {c}" for c in item.sources)
        for claim in s.competing:
            lines.append(f"    competing: {claim}")
            for item in claim.evidence:
                lines.append(f"      {item}")
                lines.extend(f"        source: {c}" for c in item.sources)
        slow_lines.append("\n".join(lines))
    assert fast == "\n".join(slow_lines) == str(steps)


def test_the_scenario_prints_every_kind_of_line():
    text = str(escalations(gk.loads(SCENARIO)))
    assert 'source: [B] Wire report (Agency), according to C: "A threatened B"' in text
    assert "relation 'ab-war': A at_war_with B, 2024-01 to 2024-12-20 [B?]" in text
    assert "[F] Blog" in text and "competing: 9,000 soldiers" in text
    view_text = str(escalations(gk.loads(SCENARIO).at("2024-01-15")))
    assert "(possible)" in view_text


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=date(9999, 11, 30).toordinal()))
def test_bins_by_ordinal_are_the_bins_by_date(ordinal):
    day = date.fromordinal(ordinal)
    week = day - timedelta(days=day.weekday())
    month = day.replace(day=1)
    next_month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    expected = {
        "day": (day, day + timedelta(days=1)),
        "week": (week, week + timedelta(days=7)),
        "month": (month, next_month),
    }
    for freq, (bin_of, next_bin) in _BINNING.items():
        start = bin_of(ordinal)
        assert (date.fromordinal(start), date.fromordinal(next_bin(start))) == expected[freq]


def _step(day: int, kind: str, summary: str, party: str) -> Step:
    """A step with no evidence: ties on (day, kind, summary) are settled by its parties."""
    return Step(kind, date.fromordinal(day), "", (party,), 1.0, "", None, "", summary, [])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(738000, 738004),
            st.sampled_from(sorted(_KIND_ORDER)),
            st.sampled_from(["a", "b", "c"]),
            st.sampled_from(["x", "y", "z"]),
        ),
        max_size=40,
    ),
    st.randoms(use_true_random=False),
)
def test_sort_steps_is_the_full_key_sort_in_any_order(specs, rng):
    steps = [_step(*spec) for spec in specs]
    expected = sorted(steps, key=lambda s: (s.day, _KIND_ORDER[s.kind], s.summary, s.parties))
    shuffled = list(steps)
    rng.shuffle(shuffled)
    sort_steps(shuffled)
    assert [(s.day, s.kind, s.summary, s.parties) for s in shuffled] == [
        (s.day, s.kind, s.summary, s.parties) for s in expected
    ]


def test_the_scan_sorts_the_flagship_as_the_full_key_does():
    steps = list(escalation_scan(gk.load(DATASETS[0])).steps())
    random.Random(7).shuffle(steps)
    sort_steps(steps)
    assert StepList(steps).to_json() == escalations(gk.load(DATASETS[0])).to_json()


# Figures whose order heads tie: the same event (same grade, same id) giving the same figure twice
# with other units, and a third figure that differs in its head. The accepted figure's order and
# the competing list must be the full-order sort whatever the list order.
TIED_FIGURES = """
format_version: 1
sources:
  - {id: s1, title: Wire, reliability: B}
  - {id: s2, title: Ministry, reliability: D}
actors:
  - {id: A, name: A, kind: state}
  - {id: B, name: B, kind: state}
events:
  - id: e1
    type: troop_deployment
    date: 2024-06
    actor: A
    target: B
    sources: [s1]
    quantities:
      - {value: 1000, unit: soldiers, measure: troops, sources: [s1]}
      - {value: 1000, unit: troops, measure: troops, sources: [s1]}
      - {value: 3000, unit: soldiers, measure: troops, sources: [s2], credibility: 4}
  - id: e2
    type: troop_deployment
    date: 2024-06-20
    actor: A
    target: B
    sources: [s2]
    quantities:
      - {value: 1000, unit: soldiers, measure: troops, credibility: 3}
      - {value: 5000, unit: soldiers, measure: troops, credibility: 3}
"""


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_figures_are_ordered_by_their_full_order_when_heads_tie(rng):
    from graphkit.query.escalation.context import ScanContext
    from graphkit.query.escalation.quantities import _Choice, _figures, _in_order

    kb = gk.loads(TIED_FIGURES)
    figures = _figures(ScanContext(kb))["troops"]
    assert len({f.head for f in figures}) < len(figures)  # the test needs a tie
    shuffled = figures[:]
    rng.shuffle(shuffled)
    assert _in_order(shuffled) == sorted(figures, key=lambda f: f.order)
    choice = _Choice(shuffled, 0.0)
    by_order = sorted(
        ((f.quantity.central, f) for f in figures if f.quantity.central != choice.figure),
        key=lambda pair: (pair[1].order, pair[0]),
    )
    assert [f for _, f in choice.competing] == [f for _, f in by_order]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)), min_size=1, max_size=12))
def test_spells_merge_as_touching_extents_do(spans):
    from graphkit.query.escalation.conflicts import _spells

    extents = [(first, first + length) for first, length in spans]
    ends = [("A", f"B{i}", extent) for i, extent in enumerate(extents)]
    # Plain: a day is in a spell when some extent covers it; spells are maximal runs of days
    # (adjacent days touch).
    days = sorted({d for lo, hi in extents for d in range(lo, hi + 1)})
    runs: list[tuple[int, int]] = []
    for d in days:
        if runs and d == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    assert _spells(ends)["A"] == runs
