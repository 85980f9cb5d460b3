"""Time slices and filters: views, not copies, with possible/certain flags."""

import networkx as nx
import pytest

import graphkit as gk
from graphkit.model.dates import Overlap


def test_graph_holds_actors_and_typed_edges_keyed_by_id(paths_kb):
    graph = paths_kb.graph
    assert isinstance(graph, nx.MultiDiGraph)
    assert set(graph.nodes) == {"A", "B", "C", "D", "E"}
    assert graph.edges["A", "E", "m1"]["kind"] == "event"
    assert graph.edges["C", "D", "cd"]["type"] == "supports"
    # symmetric relation types are walkable both ways, under the same key
    assert graph.has_edge("B", "A", "ab") and graph.edges["B", "A", "ab"]["reverse"] is True
    assert not graph.has_edge("D", "C")


def test_edges_carry_both_grades_and_nodes_are_the_actors_own_ids():
    kb = gk.loads(
        """format_version: 1
sources:
  - {id: c, title: C, reliability: C}
  - {id: a, title: A, reliability: A}
  - {id: f, title: F, reliability: F}
actors: [{id: X, name: X, kind: state}, {id: Y, name: Y, kind: state}]
relations:
  - {id: two, type: allied_with, from: X, to: Y, sources: [c, a], credibility: 3}
  - {id: none, type: supports, from: X, to: Y}
events:
  - {id: unjudged, type: statement, date: 2024, actor: Y, target: X, sources: [f]}
"""
    )
    graph = kb.graph
    assert graph.edges["X", "Y", "two"]["reliability"] == "A"  # the best of its sources
    assert graph.edges["Y", "X", "two"]["reliability"] == "A"  # the reverse edge too
    assert graph.edges["X", "Y", "none"]["reliability"] is None
    assert graph.edges["Y", "X", "unjudged"]["reliability"] == "F"
    assert graph.edges["X", "Y", "two"]["credibility"] == 3
    # one string object per actor, however many edges name it
    for u, v in graph.edges():
        assert u is kb.actors[u].id and v is kb.actors[v].id


def test_the_graph_is_the_one_networkx_builds_from_the_same_edges(monkeypatch):
    from benchmarks.generate import generate
    from graphkit import graph as graph_module
    from graphkit.model import Document

    kb = gk.KnowledgeBase.from_document(Document.model_validate(generate(400, seed=5)))
    graph = graph_module.build_graph(kb.document, kb.vocabulary)
    monkeypatch.setattr(graph_module, "_add_edges", lambda g, edges: g.add_edges_from(edges))
    plain = graph_module.build_graph(kb.document, kb.vocabulary)
    assert list(graph.nodes(data=True)) == list(plain.nodes(data=True))
    assert list(graph.edges(keys=True, data=True)) == list(plain.edges(keys=True, data=True))
    for u in graph:  # the same order everywhere, and each key dict shared by both directions
        assert list(graph.succ[u]) == list(plain.succ[u])
        assert list(graph.pred[u]) == list(plain.pred[u])
        for v in graph.succ[u]:
            assert graph._succ[u][v] is graph._pred[v][u]
            assert list(graph._succ[u][v]) == list(plain._succ[u][v])
    assert nx.utils.graphs_equal(graph, plain)
    assert graph_module.hop_grades(graph) == graph_module.hop_grades(plain)


def test_slice_is_a_view_that_networkx_accepts(paths_kb):
    view = paths_kb.at("2024-01-05")
    assert nx.is_frozen(view.graph)
    assert set(view.graph.edges(keys=True)) == {
        ("B", "C", "bc"),
        ("C", "B", "bc"),
        ("A", "E", "m1"),
    }
    assert nx.degree_centrality(view.graph)["B"] == pytest.approx(0.5)
    assert paths_kb.graph.number_of_edges() == 7  # the full graph is untouched


def test_month_precision_start_is_possible_within_the_month(paths_kb):
    ab = paths_kb.relations["ab"]
    assert paths_kb.at("2024-06-15").status(ab) is Overlap.POSSIBLE
    assert paths_kb.at("2024-07-01").status(ab) is Overlap.CERTAIN
    assert paths_kb.at("2024-05-31").status(ab) is Overlap.NONE
    assert "ab" not in paths_kb.at("2024-06-15", certain=True).relations


def test_end_is_inclusive_at_its_precision(paths_kb):
    cd = paths_kb.relations["cd"]
    assert paths_kb.at("2023-12-31").status(cd) is Overlap.POSSIBLE
    assert paths_kb.at("2024-01-01").status(cd) is Overlap.NONE
    # started some time in 2023: possibly holding mid-year, certainly within the year
    assert paths_kb.at("2023-06-30").status(cd) is Overlap.POSSIBLE
    assert paths_kb.between("2023-01-01", "2023-12-31").status(cd) is Overlap.CERTAIN


def test_between_includes_both_ends(paths_kb):
    view = paths_kb.between("2024-01-01", "2024-01-03")
    assert [e.id for e in view.events] == ["m2"]
    assert view.status(paths_kb.events["m2"]) is Overlap.CERTAIN


def test_type_and_quality_filters(paths_kb):
    assert [r.id for r in paths_kb.view(types="supports").relations] == ["cd"]
    # F means "cannot be judged": never passes a minimum reliability
    assert "bc" not in paths_kb.view(min_reliability="E").relations
    assert "ab" in paths_kb.view(min_reliability="B").relations
    assert [r.id for r in paths_kb.view(min_credibility=1).relations] == ["cd"]


def test_known_at_keeps_claims_published_by_then(paths_kb):
    view = paths_kb.view(known_at="2024-03-01")
    assert "bc" not in view.relations  # its only source was published in July
    assert "ab" in view.relations


def test_views_narrow_and_keep_their_filters(paths_kb):
    view = paths_kb.view(types=["meeting"]).between("2024-01-01", "2024-01-31").at("2024-01-05")
    assert [e.id for e in view.events] == ["m1"]
    assert not view.relations


def test_bad_filter_values_list_the_valid_choices(paths_kb):
    with pytest.raises(ValueError, match="A, B, C, D, E"):
        paths_kb.view(min_reliability="F")
    with pytest.raises(ValueError, match="1..5"):
        paths_kb.view(min_credibility=6)


def test_items_are_looked_up_by_id_with_a_clear_error_otherwise(paths_kb):
    first = next(iter(paths_kb.events))
    assert paths_kb.events[first.id] is first
    with pytest.raises(TypeError, match=r"events are looked up by id, not by int"):
        paths_kb.events[0]
    with pytest.raises(gk.UnknownIdError, match="unknown actor"):
        paths_kb.actors["no such actor"]
