"""load -> RDF -> from_rdf gives the same facts, in every format that can carry them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from strategies import documents

import graphkit as gk
from graphkit.rdf import RDF_FORMATS, RdfError, from_rdf, serialize, to_rdf

ROOT = Path(__file__).resolve().parents[2]
DATASETS = [ROOT / "data" / "events.yaml", *sorted((ROOT / "examples" / "data").glob("*.yaml"))]
FORMATS = ["turtle", "nt", "json-ld", "trig", "xml"]


def _read_back(kb: gk.KnowledgeBase, fmt: str, tmp_path: Path) -> gk.KnowledgeBase:
    path = tmp_path / f"kb{RDF_FORMATS[fmt][1]}"
    path.write_text(serialize(kb, fmt), encoding="utf-8")
    return from_rdf(path)


@pytest.mark.parametrize("dataset", DATASETS, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", FORMATS)
def test_datasets_round_trip_in_every_format(dataset: Path, fmt: str, tmp_path: Path) -> None:
    kb = gk.load(dataset)
    again = _read_back(kb, fmt, tmp_path)
    assert again == kb
    assert gk.loads(again.to_yaml()) == kb  # RDF -> YAML keeps every fact


def test_graph_round_trip_without_files(flagship: gk.KnowledgeBase) -> None:
    assert from_rdf(to_rdf(flagship)) == flagship


def test_a_changed_fact_is_not_equal(flagship: gk.KnowledgeBase) -> None:
    from rdflib import Literal, URIRef

    graph = to_rdf(flagship)
    node = URIRef("https://graphkit.example.org/kb/event/nis-3000-total-2024-10-23/quantity/1")
    value = URIRef("https://schema.org/value")
    assert graph.value(node, value) == Literal(3000)
    graph.set((node, value, Literal(3001)))
    assert from_rdf(graph) != flagship


@settings(max_examples=40)
@given(document=documents())
def test_any_knowledge_base_round_trips_through_the_graph(document) -> None:
    kb = gk.KnowledgeBase.from_document(document)
    assert from_rdf(to_rdf(kb, base="urn:x-test:kb/")) == kb


@settings(max_examples=25)
@given(document=documents())
def test_any_knowledge_base_round_trips_in_every_format(document, tmp_path_factory) -> None:
    kb = gk.KnowledgeBase.from_document(document)
    tmp = tmp_path_factory.mktemp("rt")
    for fmt in FORMATS:
        if fmt == "xml":
            try:
                text = serialize(kb, fmt)
            except RdfError as exc:  # a relation type id that no XML name can end
                assert "RDF/XML cannot express" in str(exc)
                continue
            path = tmp / "kb.rdf"
            path.write_text(text, encoding="utf-8")
            assert from_rdf(path) == kb
            continue
        assert _read_back(kb, fmt, tmp) == kb, fmt


@settings(max_examples=25)
@given(document=documents())
def test_no_blank_nodes_and_deterministic(document) -> None:
    from rdflib import BNode

    kb = gk.KnowledgeBase.from_document(document)
    first = serialize(kb, "nt")
    assert first == serialize(kb, "nt")
    graph = to_rdf(kb)
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)


def test_relation_type_flags_survive_the_round_trip():
    import graphkit as gk
    from graphkit.rdf import from_rdf, to_rdf

    kb = gk.loads(
        "format_version: 1\n"
        "relation_types:\n"
        "  - {id: hosts_base_of, symmetric: false, hostile: false, war: false, supportive: true}\n"
    )
    again = from_rdf(to_rdf(kb))
    assert again.document.relation_types[0].supportive is True
    assert again == kb
