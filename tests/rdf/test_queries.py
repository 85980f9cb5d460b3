"""The shipped analyst queries (examples/queries/*.rq) give the expected rows on the flagship.

Expected rows are computed from the knowledge base in Python, independently of SPARQL.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import graphkit as gk
from graphkit.cli import main
from graphkit.model import window
from graphkit.rdf import to_rdf
from graphkit.rdf.sparql import SparqlError, inject_values, parse_binding, query_graph

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "examples" / "queries"


@pytest.fixture(scope="module")
def graph(flagship: gk.KnowledgeBase):
    return to_rdf(flagship)


def run(graph, name: str, *binds: str) -> list[tuple[str | None, ...]]:
    query = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    return query_graph(graph, query, dict(parse_binding(b) for b in binds)).values()


def test_every_query_has_a_comment_header_and_a_test() -> None:
    names = sorted(p.stem for p in QUERIES.glob("*.rq"))
    assert len(names) >= 6
    tested = {n.removeprefix("test_").replace("_", "-") for n in globals() if n.startswith("test_")}
    for name in names:
        text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
        assert text.startswith("# "), name
        assert "graphkit sparql @examples/queries/" in text, name
        assert name in tested, f"no test for {name}"


def test_events_involving_actor(graph, flagship) -> None:
    rows = run(
        graph, "events-involving-actor", "actor=actor:KOR-NIS", "from=2024-10-01", "to=2024-10-31"
    )
    a, b = window("2024-10-01", "2024-10-31")
    expected = sorted(
        (e.extent.lo, e.id)
        for e in flagship.events.where(actor="KOR-NIS")
        if e.extent.overlap(a, b)
    )
    assert [r[0] for r in rows] == [eid for _, eid in expected]
    assert rows[0] == ("nis-3000-total-2024-10-23", "troop_deployment", "2024-10-08", "2024-10-23")
    assert len(rows) == 3


def test_forces_into_belligerent(graph) -> None:
    assert run(graph, "forces-into-belligerent") == [("KPA", "RUS", "UKR", "kpa-deployed-in-rus")]


def test_relations_valid_at(graph, flagship) -> None:
    rows = run(graph, "relations-valid-at", "day=2024-11-01")
    expected = sorted(
        (r.id, r.type, r.from_, r.to) for r in flagship.relations.valid_at("2024-11-01")
    )
    assert rows == expected
    assert ("kpa-deployed-in-rus", "deploys_forces_in", "KPA", "RUS") in rows
    assert ("kpa-fights-ukr-af", "at_war_with", "KPA", "UKR-AF") in rows  # from 2024-11
    assert ("prk-rus-treaty-alliance", "allied_with", "PRK", "RUS") not in rows  # 2024-12-04
    early = run(graph, "relations-valid-at", "day=2022-01-01")
    assert ("rus-ukr-war", "at_war_with", "RUS", "UKR") not in early


def test_events_by_source_reliability(graph, flagship) -> None:
    counts: dict[str, int] = {}
    for event in flagship.events:
        grades = [flagship.sources[r.source].reliability for r in event.sources]
        if grades:
            counts[min(grades)] = counts.get(min(grades), 0) + 1
    assert run(graph, "events-by-source-reliability") == [
        (g, str(n)) for g, n in sorted(counts.items())
    ]


def test_according_to(graph, flagship) -> None:
    expected: set[tuple[str, str, str]] = set()
    for section in (flagship.events, flagship.relations, flagship.actors):
        for item in section:
            refs = list(item.sources)
            refs += [r for q in getattr(item, "quantities", []) for r in q.sources]
            refs += [r for a in getattr(item, "alternative_dates", []) for r in a.sources]
            for ref in refs:
                if ref.according_to == "KOR-NIS":
                    expected.add((item.id, ref.source, flagship.sources[ref.source].reliability))
    rows = run(graph, "according-to", "actor=actor:KOR-NIS")
    assert rows == sorted(expected)
    assert ("nis-3000-total-2024-10-23", "article-fr-2024-10", "F") in rows


def test_troop_quantities_over_time(graph, flagship) -> None:
    expected = []
    for event in flagship.events.where(type="troop_deployment"):
        for index, q in enumerate(event.quantities):
            expected.append(
                (
                    date.fromordinal(event.extent.lo).isoformat(),
                    event.id,
                    index,
                    *(None if v is None else str(v) for v in (q.value, q.min, q.max)),
                    q.kind,
                    str(q.planned).lower(),
                    q.measure,
                )
            )
    expected.sort(key=lambda r: r[:3])
    assert run(graph, "troop-quantities-over-time") == [r[:2] + r[3:] for r in expected]
    assert (
        "2024-10-08",
        "nis-3000-total-2024-10-23",
        "3000",
        None,
        None,
        "total",
        "false",
        "prk_troops_in_russia",
    ) in run(graph, "troop-quantities-over-time")


def test_actor_relations(graph, flagship) -> None:
    rows = run(graph, "actor-relations", "actor=actor:PRK")
    expected = set()
    for r in flagship.relations:
        symmetric = flagship.vocabulary.is_symmetric(r.type)
        if r.from_ == "PRK":
            expected.add(("out", r.type, r.to))
            if symmetric:
                expected.add(("in", r.type, r.to))
        if r.to == "PRK":
            expected.add(("in", r.type, r.from_))
            if symmetric:
                expected.add(("out", r.type, r.from_))
    assert rows == sorted(expected)
    assert ("out", "allied_with", "RUS") in rows and ("in", "allied_with", "RUS") in rows


def test_cli_runs_a_query_file_with_bindings(capsys) -> None:
    code = main(
        [
            "sparql",
            f"@{QUERIES / 'forces-into-belligerent.rq'}",
            str(ROOT / "data" / "events.yaml"),
            "--format",
            "json",
        ]
    )
    assert code == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["head"]["vars"] == ["deployer", "host", "enemy", "relation"]
    assert data["results"]["bindings"][0]["deployer"] == {"type": "literal", "value": "KPA"}


HOSTILE = ['x" } ; DROP ALL #', "a}b{c", "é/%20#?", "<script>", "x' . ?s ?p ?o . '"]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_ids_are_bound_not_spliced(hostile, tmp_path, capsys) -> None:
    kb = gk.loads(
        "format_version: 1\n"
        "actors:\n"
        f"  - {{id: {_q(hostile)}, name: Hostile, kind: state}}\n"
        "  - {id: B, name: Other, kind: state}\n"
        "events:\n"
        f"  - {{id: {_q(hostile + 'e')}, type: meeting, date: 2024-10-02, actor: {_q(hostile)}, target: B}}\n"
        "  - {id: e2, type: meeting, date: 2024-10-03, actor: B}\n"
    )
    graph = to_rdf(kb)
    query = (QUERIES / "events-involving-actor.rq").read_text(encoding="utf-8")
    binds = dict(
        parse_binding(b) for b in (f"actor=actor:{hostile}", "from=2024-10-01", "to=2024-10-31")
    )
    assert query_graph(graph, query, binds).values() == [
        (hostile + "e", "meeting", "2024-10-02", "2024-10-02")
    ]
    # the same, remotely shaped: VALUES with escaped terms, run locally without initBindings
    injected = inject_values(query, binds)
    assert query_graph(graph, injected).values() == [
        (hostile + "e", "meeting", "2024-10-02", "2024-10-02")
    ]
    by_name = "SELECT ?a WHERE { ?a schema:name ?n }"
    assert query_graph(graph, by_name, dict([parse_binding(f'n="{hostile}"')])).values() == []
    path = tmp_path / "kb.yaml"
    path.write_text(kb.to_yaml(), encoding="utf-8")
    assert (
        main(
            [
                "sparql",
                query,
                str(path),
                "--bind",
                f"actor=actor:{hostile}",
                "--bind",
                "from=2024-10-01",
                "--bind",
                "to=2024-10-31",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.splitlines()[1].startswith(_csv(hostile + "e"))


def _q(text: str) -> str:
    import json

    return json.dumps(text)


def _csv(text: str) -> str:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([text])
    return buffer.getvalue()


@pytest.mark.parametrize(
    "bind, message",
    [
        ("noequals", "expected NAME=VALUE"),
        ("1bad=x", "expected NAME=VALUE"),
        ("x=<http://a/b c>", "not allowed in an IRI"),
        ("x=<http://a/>b>", "not allowed in an IRI"),
        ("x=2024-13-01", "not a valid date"),
        ("x=abc^^xsd:integer", "not a valid xsd:integer"),
        ("x=1^^xsd:nope", "unsupported datatype"),
    ],
)
def test_bad_bindings_are_refused(bind, message) -> None:
    with pytest.raises(SparqlError, match=message):
        parse_binding(bind)


def test_binding_types() -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    assert parse_binding("n=42")[1] == Literal(42)
    assert parse_binding("n=0.5")[1] == Literal("0.5", datatype=XSD.decimal)
    assert parse_binding("n=2024^^xsd:gYear")[1] == Literal("2024", datatype=XSD.gYear)
    assert parse_binding('n="42"')[1] == Literal("42")
    assert parse_binding("t=event-type:troop_deployment")[1] == URIRef(
        "https://graphkit.example.org/ns/event-type/troop_deployment"
    )
    assert parse_binding("e=event:a b", base="urn:x:")[1] == URIRef("urn:x:event/a%20b")


def test_updates_and_broken_queries_are_refused(flagship, capsys) -> None:
    with pytest.raises(SparqlError, match="does not parse"):
        query_graph(to_rdf(flagship), "DROP ALL")
    assert main(["sparql", "SELECT ?x WHERE {", str(ROOT / "data" / "events.yaml")]) == 1
    assert "does not parse" in capsys.readouterr().err
    assert main(["sparql", "SELECT ?x WHERE { ?x ?p ?o }"]) == 2
