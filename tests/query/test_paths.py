"""Paths with known answers on a hand-built knowledge base."""

import json

import pytest

import graphkit as gk
from graphkit.query.paths import paths


def test_shortest_path_follows_symmetric_relations_both_ways(paths_kb):
    assert paths(paths_kb, "A", "C")[0].nodes == ["A", "B", "C"]
    assert paths(paths_kb, "C", "A")[0].nodes == ["C", "B", "A"]


def test_directed_relations_are_followed_in_their_direction(paths_kb):
    with pytest.raises(gk.NoPathError, match="no path from 'D' to 'C' within 4 hops"):
        paths(paths_kb, "D", "C")
    assert paths(paths_kb, "D", "C", undirected=True)[0].nodes == ["D", "C"]


def test_actors_by_name_or_alias_case_insensitive(paths_kb):
    assert paths(paths_kb, "arcadian republic", "CALVADIA")[0].nodes == ["A", "B", "C"]


def test_an_exact_id_wins_over_names_that_differ_only_in_case():
    kb = gk.loads(
        """format_version: 1
actors:
  - {id: ab, name: Lower, kind: state}
  - {id: AB, name: Upper, kind: state}
  - {id: Zed, name: Zed, kind: state, aliases: [upper]}
"""
    )
    assert [kb.actor(name).name for name in ("ab", "AB", "Ab", "upper", "UPPER")] == [
        "Lower",
        "Upper",
        "Upper",  # by case-insensitive id: the later actor's id, as ids win over aliases
        "Upper",  # the first actor in the file to use a name or alias keeps it
        "Upper",
    ]


def test_unknown_actor_suggests_close_names(paths_kb):
    with pytest.raises(gk.UnknownActorError) as exc_info:
        paths(paths_kb, "Bordurai", "A")
    assert str(exc_info.value) == "unknown actor 'Bordurai' (did you mean 'Borduria'?)"
    assert isinstance(exc_info.value, KeyError)


def test_via_restricts_relation_types(paths_kb):
    with pytest.raises(gk.NoPathError, match="via allied_with"):
        paths(paths_kb, "A", "C", via="allied_with")
    assert paths(paths_kb, "A", "C", via=["allied_with", "at_war_with"])[0].nodes == ["A", "B", "C"]


def test_at_date_uses_possible_items_and_flags_them(paths_kb):
    with pytest.raises(gk.NoPathError, match="at 2024-05-01"):
        paths(paths_kb, "A", "C", at="2024-05-01")
    path = paths(paths_kb, "A", "C", at="2024-06-10")[0]
    assert path.hops[0].evidence[0].status == "possible"
    assert path.hops[1].evidence[0].status == "certain"


def test_k_shortest_paths_by_length(paths_kb):
    found = paths(paths_kb, "A", "D", k=5)
    assert [p.nodes for p in found] == [["A", "E", "D"], ["A", "B", "C", "D"]]


def test_max_hops_bounds_the_search(paths_kb):
    assert [p.nodes for p in paths(paths_kb, "A", "D", k=5, max_hops=2)] == [["A", "E", "D"]]
    with pytest.raises(ValueError, match="max_hops must be at least 1"):
        paths(paths_kb, "A", "D", max_hops=0)


def test_temporal_path_rejects_meetings_out_of_order(paths_kb):
    # A meets E on 5 January, E meets D on 3 January; the alliance A-B starts after C-D ended.
    with pytest.raises(gk.NoPathError, match="respecting time"):
        paths(paths_kb, "A", "D", temporal=True)


def test_temporal_path_exists_in_one_direction_of_time_only(paths_kb):
    path = paths(paths_kb, "D", "A", temporal=True, undirected=True)[0]
    assert path.nodes == ["D", "E", "A"]
    assert [str(h.crossing) for h in path.hops] == ["2024-01-03", "2024-01-05"]


def test_temporal_crossings_can_share_a_day():
    kb = gk.loads(
        """format_version: 1
actors: [{id: PRK, name: North, kind: state}, {id: RUS, name: East, kind: state},
         {id: UKR, name: West, kind: state}]
relations:
  - {id: treaty, type: allied_with, from: PRK, to: RUS, start: 2024-06-19}
  - {id: war, type: at_war_with, from: RUS, to: UKR, start: 2022-02-24}
"""
    )
    path = paths(kb, "PRK", "UKR", temporal=True)[0]
    assert [str(h.crossing) for h in path.hops] == ["2024-06-19", "2024-06-19"]
    assert str(path.since) == "2024-06-19"


def test_confidence_is_the_weakest_hop(paths_kb):
    path = paths(paths_kb, "A", "C")[0]
    assert [str(h.grade) for h in path.hops] == ["B2", "?3"]  # F is unknown
    assert str(path.grade) == "?3"


def test_minimum_reliability_excludes_unjudged_sources(paths_kb):
    with pytest.raises(gk.NoPathError):
        paths(paths_kb, "A", "C", min_reliability="C")


def test_known_at_answers_what_we_knew_then(paths_kb):
    with pytest.raises(gk.NoPathError, match="known at 2024-03-01"):
        paths(paths_kb, "A", "C", known_at="2024-03-01")


def test_results_explain_themselves_and_convert(paths_kb):
    found = paths(paths_kb, "A", "C")
    text = str(found)
    # since as written: the alliance started in June 2024, not on 1 June (issue 20)
    assert text.splitlines()[0] == "A -> B -> C (2 hops, confidence ?3, since 2024-06)"
    assert "relation 'ab': A allied_with B, 2024-06 to ongoing" in text
    assert "source: [B] Wire report" in text
    payload = json.loads(found.to_json())
    assert payload[0]["nodes"] == ["A", "B", "C"]
    assert (payload[0]["since"], payload[0]["since_when"]) == ("2024-06-01", "2024-06")
    assert payload[0]["hops"][0]["evidence"][0]["sources"][0]["reliability"] == "B"
    records = found.to_records()
    assert [(r["hop"], r["id"]) for r in records] == [(1, "ab"), (2, "bc")]


def test_paths_accept_a_view(paths_kb):
    view = paths_kb.between("2024-01-01", "2024-01-31")
    assert paths(view, "A", "D", undirected=True)[0].nodes == ["A", "E", "D"]


def test_k_paths_match_brute_force_enumeration():
    """The pruned search finds exactly the simple paths networkx enumerates, length by length."""
    import random

    import networkx as nx

    from benchmarks.generate import generate
    from graphkit.io.dump import dump_yaml
    from graphkit.model import Document

    kb = gk.loads(dump_yaml(Document.model_validate(generate(300, seed=3))))
    simple = nx.DiGraph(kb.graph)
    rnd = random.Random(5)
    nodes = sorted(simple.nodes)
    for _ in range(15):
        a, b = rnd.sample(nodes, 2)
        expected = sorted((len(p), p) for p in nx.all_simple_paths(simple, a, b, cutoff=3))
        if not expected:
            with pytest.raises(gk.NoPathError):
                paths(kb, a, b, k=10**6, max_hops=3)
            continue
        found = paths(kb, a, b, k=10**6, max_hops=3)
        assert sorted((len(p), p.nodes) for p in found) == [(len(p) - 1, p) for _, p in expected]


def test_results_convert_to_pandas(paths_kb):
    pytest.importorskip("pandas", reason="pandas is the optional 'pandas' extra")
    frame = paths(paths_kb, "A", "C").to_pandas()
    assert list(frame["id"]) == ["ab", "bc"]


def test_paths_explain_themselves_when_first_read(paths_kb, monkeypatch):
    import graphkit.query.paths as paths_module

    built: list[str] = []
    original = paths_module.evidence_for

    def counting(kb, item, **options):
        built.append(item.id)
        return original(kb, item, **options)

    monkeypatch.setattr(paths_module, "evidence_for", counting)
    kb = gk.loads(paths_kb.to_yaml())  # a fresh graph: nothing remembered from other tests
    found = paths(kb, "A", "D", k=5)
    assert [p.nodes for p in found] == [["A", "E", "D"], ["A", "B", "C", "D"]]
    assert built == []  # the actors are known; no evidence is built yet
    first = found[0]
    assert str(first.since) == "2024-01-05"
    assert [e.id for hop in first.hops for e in hop.evidence] == ["m1", "m2"]
    assert built == ["m1", "m2"]
    text = str(found)
    assert built == ["m1", "m2", "ab", "bc", "cd"]  # each piece of evidence built once
    assert str(found) == text and len(built) == 5
    assert found[0] == paths(kb, "A", "D", k=1)[0]  # equal paths: same actors, same evidence
    assert found[0] != found[1]
