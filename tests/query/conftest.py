"""Small hand-built knowledge bases with known answers."""

import pytest

import graphkit as gk

PATHS_KB = """format_version: 1
sources:
  - {id: good, title: Wire report, reliability: B, published: 2024-01-10}
  - {id: weak, title: Blog post, reliability: F, published: 2024-07-01}
actors:
  - {id: A, name: Arcadia, kind: state, aliases: [Arcadian Republic]}
  - {id: B, name: Borduria, kind: state}
  - {id: C, name: Calvadia, kind: state}
  - {id: D, name: Delmar, kind: state}
  - {id: E, name: Estoria, kind: state}
relations:
  - {id: ab, type: allied_with, from: A, to: B, start: 2024-06, sources: [good], credibility: 2}
  - {id: bc, type: at_war_with, from: B, to: C, start: 2022, sources: [weak], credibility: 3}
  - {id: cd, type: supports, from: C, to: D, start: 2023, end: 2023-12, sources: [good], credibility: 1}
events:
  - {id: m1, type: meeting, date: 2024-01-05, actor: A, target: E, sources: [good], credibility: 2}
  - {id: m2, type: meeting, date: 2024-01-03, actor: E, target: D, sources: [good], credibility: 2}
"""

SCENARIO_KB = """format_version: 1
sources:
  - {id: s1, title: Ministry statement, reliability: B, published: 2023-09-12}
  - {id: s2, title: Agency report, reliability: B, published: 2023-10-06}
  - {id: s3, title: Newspaper, reliability: C, published: 2023-11-20}
actors:
  - {id: ARC, name: Arcadia, kind: state}
  - {id: BOR, name: Borduria, kind: state}
  - {id: CAL, name: Calvadia, kind: state}
  - {id: CAL-ARMY, name: Calvadian Army, kind: armed_force, part_of: CAL}
  - {id: DEL, name: Delmar, kind: state}
relations:
  - {id: arc-bor-war, type: at_war_with, from: ARC, to: BOR, start: 2021-03-01, sources: [s1], credibility: 1}
  - {id: cal-arc-pact, type: allied_with, from: CAL, to: ARC, start: 2023-05-10, sources: [s1], credibility: 2}
  - {id: del-bor-support, type: supports, from: DEL, to: BOR, start: 2021, sources: [s3], credibility: 3}
events:
  - {id: cal-statement, type: statement, date: 2023-02, actor: CAL, target: BOR, sources: [s1], credibility: 2}
  - {id: cal-threat, type: threat, date: 2023-06-01, actor: CAL, target: BOR, sources: [s1], credibility: 2}
  - {id: cal-arms, type: arms_transfer, date: 2023-07, actor: CAL, target: ARC, sources: [s1], credibility: 2}
  - id: cal-deploy-1
    type: troop_deployment
    date: 2023-09-10
    actor: CAL-ARMY
    target: ARC
    quantities: [{value: 800, unit: soldiers, kind: increment, measure: cal_troops_in_arc}]
    sources: [s1]
    credibility: 2
  - id: cal-deploy-2
    type: troop_deployment
    date: {earliest: 2023-09-20, latest: 2023-10-05}
    actor: CAL-ARMY
    target: ARC
    quantities:
      - {value: 1200, unit: soldiers, kind: increment, measure: cal_troops_in_arc}
      - {value: 2000, unit: soldiers, measure: cal_troops_in_arc}
      - {max: 6000, unit: soldiers, planned: true, by: 2023-12, measure: cal_troops_in_arc}
    sources: [s2]
    credibility: 2
  - {id: cal-combat, type: combat, date: 2023-11, actor: CAL-ARMY, target: BOR, sources: [s3], credibility: 3}
"""


@pytest.fixture(scope="session")
def paths_kb() -> gk.KnowledgeBase:
    return gk.loads(PATHS_KB, name="paths.yaml")


@pytest.fixture(scope="session")
def scenario() -> gk.KnowledgeBase:
    return gk.loads(SCENARIO_KB, name="scenario.yaml")
