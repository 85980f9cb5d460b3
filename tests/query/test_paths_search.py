"""The pruned path search against a plain reference: every simple path networkx enumerates, graded
with the public grade rules, in the documented order."""

import random
from itertools import pairwise

import networkx as nx
import pytest

import graphkit as gk
from benchmarks.generate import generate
from graphkit.graph import grade_rank, hop_grades
from graphkit.io.dump import dump_yaml
from graphkit.model import Document
from graphkit.model.dates import DAY_MIN
from graphkit.query.evidence import Grade, item_grade
from graphkit.query.paths import paths


@pytest.fixture(scope="module")
def kb():
    return gk.loads(dump_yaml(Document.model_validate(generate(600, seed=11))))


@pytest.fixture(scope="module")
def sparse():
    """Fewer edges per actor, so that paths of five hops stay few enough to list."""
    doc = generate(600, seed=12)
    doc["relations"], doc["events"] = doc["relations"][:120], doc["events"][:120]
    return gk.loads(dump_yaml(Document.model_validate(doc)))


def _edges(view, u, v, undirected):
    graph = view.graph
    found = dict(graph.succ[u].get(v, {}))
    if undirected:
        found.update({k: a for k, a in graph.succ[v].get(u, {}).items() if k not in found})
    return [found[key] for key in sorted(found)]


def _walk(view, nodes, temporal, undirected):
    """The path's rank (None if it cannot be crossed in time), by the documented rules."""
    time = DAY_MIN
    hops = []
    for u, v in pairwise(nodes):
        edges = _edges(view, u, v, undirected)
        if temporal:
            edges = [e for e in edges if e["extent"].hi >= time]
            if not edges:
                return None
            time = min(max(time, e["extent"].lo) for e in edges)
        hops.append(Grade.best([item_grade(view, e["item"]) for e in edges]))
    grade = Grade.weakest(hops)
    return ("ABCDE".index(grade.reliability) if grade.reliability else 9, grade.credibility or 9)


def _reference(view, a, b, *, k, max_hops, temporal=False, undirected=False):
    """Paths by length; in a length, the first max(4k, 20) in node order, best graded first."""
    graph = nx.Graph(view.graph) if undirected else nx.DiGraph(view.graph)
    found = []
    every = list(nx.all_simple_paths(graph, a, b, cutoff=max_hops))
    for length in range(1, max_hops + 1):
        batch = sorted(p for p in every if len(p) == length + 1)
        ranked = [(rank, p) for p in batch if (rank := _walk(view, p, temporal, undirected))]
        ranked = ranked[: max(4 * k, 20)]
        if len(ranked) > k - len(found):
            ranked.sort()
        found += [p for _, p in ranked[: k - len(found)]]
        if len(found) >= k:
            break
    return found


def _found(view, a, b, **options):
    try:
        return [p.nodes for p in paths(view, a, b, **options)]
    except gk.NoPathError:
        return []


def _pairs(kb, count, seed):
    rnd = random.Random(seed)
    actors = sorted(a.id for a in kb.actors)
    return [tuple(rnd.sample(actors, 2)) for _ in range(count)]


@pytest.mark.parametrize(("k", "max_hops"), [(1, 3), (5, 3), (5, 4), (30, 3)], ids=str)
def test_k_paths_match_the_reference_order(kb, k, max_hops):
    for a, b in _pairs(kb, 6, seed=k + max_hops):
        expected = _reference(kb, a, b, k=k, max_hops=max_hops)
        assert _found(kb, a, b, k=k, max_hops=max_hops) == expected, (a, b)


@pytest.mark.parametrize(("k", "undirected"), [(1, False), (5, False), (40, False), (5, True)])
def test_longer_searches_find_the_shortest_length_first(sparse, k, undirected):
    for a, b in _pairs(sparse, 8, seed=k):
        options = {"k": k, "max_hops": 6 if not undirected else 5, "undirected": undirected}
        assert _found(sparse, a, b, **options) == _reference(sparse, a, b, **options), (a, b)


@pytest.mark.parametrize("undirected", [False, True], ids=["directed", "undirected"])
def test_time_respecting_paths_match_the_reference(kb, undirected):
    for a, b in _pairs(kb, 8, seed=3):
        options = {"k": 5, "max_hops": 3, "temporal": True, "undirected": undirected}
        assert _found(kb, a, b, **options) == _reference(kb, a, b, **options), (a, b)


def test_undirected_paths_match_the_reference(kb):
    for a, b in _pairs(kb, 6, seed=4):
        options = {"k": 8, "max_hops": 3, "undirected": True}
        assert _found(kb, a, b, **options) == _reference(kb, a, b, **options), (a, b)


def test_views_match_the_reference_on_their_own_graph(kb):
    types = sorted({r.type for r in kb.relations})[:4]
    for view in (kb.between("2022-01-01", "2023-12-31"), kb.view(types=types)):
        for a, b in _pairs(kb, 5, seed=5):
            expected = _reference(view, a, b, k=5, max_hops=4)
            assert _found(view, a, b, k=5, max_hops=4) == expected, (view, a, b)
            options = {"k": 5, "max_hops": 3, "temporal": True}
            assert _found(view, a, b, **options) == _reference(view, a, b, **options), (a, b)


def test_single_shortest_path_is_a_shortest_path(kb):
    simple = nx.DiGraph(kb.graph)
    for a, b in _pairs(kb, 20, seed=6):
        found = _found(kb, a, b, max_hops=6)
        assert found, (a, b)
        (nodes,) = found
        assert len(nodes) - 1 == nx.shortest_path_length(simple, a, b)
        assert all(simple.has_edge(u, v) for u, v in pairwise(nodes))


def test_repeated_searches_answer_the_same(kb):
    pairs = _pairs(kb, 10, seed=7)
    first = [_found(kb, a, b, k=5) for a, b in pairs]
    again = [_found(kb, a, b, k=5) for a, b in reversed(pairs)]
    assert again == first[::-1]
    assert [_found(kb, a, b, k=5, max_hops=3, undirected=True) for a, b in pairs] == [
        _reference(kb, a, b, k=5, max_hops=3, undirected=True) for a, b in pairs
    ]


def test_searches_follow_edits_of_the_graph(paths_kb):
    kb = gk.loads(paths_kb.to_yaml())
    assert _found(kb, "A", "D", k=5) == [["A", "E", "D"], ["A", "B", "C", "D"]]
    attrs = dict(kb.graph.edges["C", "D", "cd"])
    kb.graph.add_edge("B", "D", key="bd", **attrs)  # a new way in to D
    kb.graph.add_edge("A", "E", key="ae", **attrs)  # a second edge on a known hop
    found = paths(kb, "A", "D", k=5)
    assert [p.nodes for p in found] == [["A", "B", "D"], ["A", "E", "D"], ["A", "B", "C", "D"]]
    assert [e.id for e in found[1].hops[0].evidence] == ["cd", "m1"]  # keys "ae", "m1"
    kb.graph.remove_edge("B", "D", key="bd")
    assert _found(kb, "A", "D", k=5) == [["A", "E", "D"], ["A", "B", "C", "D"]]


def test_the_hop_grade_index_holds_the_best_grades_of_each_hop(kb):
    index = hop_grades(kb.graph)
    assert index is not None
    hops = {(u, v) for u, v, _ in kb.graph.edges(keys=True)}
    assert sum(len(after) for after in index.values()) == len(hops)
    for u, v in sorted(hops):
        best = Grade.best([item_grade(kb, e["item"]) for e in _edges(kb, u, v, False)])
        assert index[u][v] == grade_rank(best.reliability, best.credibility), (u, v)


def test_an_edited_graph_ranks_from_its_edges_not_a_stale_index(kb):
    copy = gk.loads(kb.to_yaml())
    pairs = _pairs(copy, 12, seed=8)
    before = [_found(copy, a, b, k=2, max_hops=4) for a, b in pairs]
    graph = copy.graph
    best = min(graph.edges(keys=True, data=True), key=lambda e: grade_rank(*_grades(e[3])))
    rnd = random.Random(8)
    # A second, better graded edge on many hops changes which paths of a length rank first.
    for n, (u, v, _) in enumerate(rnd.sample(sorted(graph.edges(keys=True)), 400)):
        graph.add_edge(u, v, key=f"extra{n}", **best[3])
    assert hop_grades(graph) is None
    after = [_found(copy, a, b, k=2, max_hops=4) for a, b in pairs]
    assert after != before
    assert after == [_reference(copy, a, b, k=2, max_hops=4) for a, b in pairs]


def _grades(attrs):
    return attrs["reliability"], attrs["credibility"]
