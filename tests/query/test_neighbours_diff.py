"""Neighbours, ego networks, centrality and diffs on known graphs."""

import json

import graphkit as gk
from graphkit.query.diff import diff
from graphkit.query.neighbours import ego_network, most_central, neighbours


def test_neighbours_with_direction_and_evidence(paths_kb):
    found = neighbours(paths_kb, "B")
    assert [(n.actor, n.direction, [e.id for e in n.evidence]) for n in found] == [
        ("A", "both", ["ab"]),
        ("C", "both", ["bc"]),
    ]
    assert [n.actor for n in neighbours(paths_kb, "C")] == ["B", "D"]
    assert [(n.actor, n.direction) for n in neighbours(paths_kb, "D")] == [("C", "in"), ("E", "in")]


def test_neighbours_at_a_date(paths_kb):
    assert [n.actor for n in neighbours(paths_kb, "B", at="2024-01-01")] == ["C"]


def test_ego_network_and_centrality(paths_kb):
    ego = ego_network(paths_kb, "A", radius=1)
    assert set(ego.nodes) == {"A", "B", "E"}
    top = most_central(paths_kb, n=2)
    assert top[0][0] in {"B", "C"} and len(top) == 2
    assert most_central(paths_kb, measure="closeness", n=1)[0][1] > 0


def test_diff_reports_began_ended_changed(paths_kb):
    result = diff(paths_kb, "2023-06-30", "2024-07-01")
    assert [c.evidence.id for c in result.began] == ["ab"]
    assert [c.evidence.id for c in result.ended] == ["cd"]
    assert [e.id for e in result.events] == ["m2", "m1"]  # in date order
    changed = diff(paths_kb, "2024-06-10", "2024-07-01").changed
    assert [(c.evidence.id, c.before, c.after) for c in changed] == [("ab", "possible", "certain")]
    assert json.loads(result.to_json())["began"][0]["relation"]["id"] == "ab"


def test_flagship_diff_shows_the_treaty_and_deployment(flagship):
    result = diff(flagship, "2024-01-01", "2024-11-01")
    began = {c.evidence.id for c in result.began}
    assert "kpa-deployed-in-rus" in began
    # Signed in June 2024, the treaty made an alliance only when it entered into force.
    assert "prk-rus-treaty-alliance" not in began
    later = {c.evidence.id for c in diff(flagship, "2024-11-01", "2024-12-31").began}
    assert "prk-rus-treaty-alliance" in later


def test_unknown_actor_in_neighbours(paths_kb):
    try:
        neighbours(paths_kb, "Estonia")
    except gk.UnknownActorError as exc:
        assert "did you mean 'Estoria'?" in str(exc)
    else:
        raise AssertionError("expected UnknownActorError")
