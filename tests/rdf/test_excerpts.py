"""Excerpts and local copies in RDF: Web Annotation selectors, lossless read-back, SHACL."""

from __future__ import annotations

from typing import Any

import graphkit as gk
from graphkit.rdf import from_rdf, to_rdf
from graphkit.rdf.namespace import GK, OA
from graphkit.rdf.shacl import validate_graph

KB = """\
format_version: 1
sources:
  - {id: art, title: "Présence de soldats", reliability: F, language: fr,
     copy: sources/art.fr.txt, sha256: 8b726521ac2483e2e82efe2249aa4d8cee321a669b846ccb026cdf91f5f81b24}
  - {id: wire, title: Wire, reliability: B, url: "https://example.org/w", published: 2024-10-23}
actors:
  - {id: NIS, name: NIS, kind: agency}
  - {id: PRK, name: North Korea, kind: state}
events:
  - id: e1
    type: troop_deployment
    date: 2024-10
    actor: PRK
    sources:
      - {source: art, according_to: NIS, excerpt: "jusqu’à 10 000 hommes d’ici la fin de l’année"}
      - wire
      - {source: wire, excerpt: "a \\"total\\" of 10,000"}
    credibility: 2
"""

BASE = "urn:x-test:kb/"


def _selectors(graph: Any) -> dict[str, Any]:
    query = """
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?source ?exact WHERE {
            ?fact prov:qualifiedDerivation ?ref .
            ?ref oa:hasSource ?source ; oa:hasSelector ?selector .
            ?selector a oa:TextQuoteSelector ; oa:exact ?exact .
        }
    """
    return {str(row[0]).rsplit("/", 1)[-1]: row[1] for row in graph.query(query)}


def test_excerpts_are_text_quote_selectors_in_the_sources_language() -> None:
    from rdflib import Literal, URIRef

    graph = to_rdf(gk.loads(KB), base=BASE)
    found = _selectors(graph)
    assert found == {
        "art": Literal("jusqu’à 10 000 hommes d’ici la fin de l’année", lang="fr"),
        "wire": Literal('a "total" of 10,000'),
    }
    source = URIRef(BASE + "source/art")
    assert graph.value(source, GK.localCopy) == Literal("sources/art.fr.txt")
    assert str(graph.value(source, GK.localCopySha256)).startswith("8b726521")
    assert validate_graph(graph) == []


def test_excerpts_and_copies_survive_the_round_trip_in_turtle(tmp_path) -> None:
    kb = gk.loads(KB)
    path = tmp_path / "kb.ttl"
    path.write_text(to_rdf(kb, base=BASE).serialize(format="turtle"), encoding="utf-8")
    back = from_rdf(path)
    assert back.document.same_facts(kb.document)
    refs = back.events["e1"].sources
    assert [r.excerpt for r in refs] == [
        "jusqu’à 10 000 hommes d’ici la fin de l’année",
        None,
        'a "total" of 10,000',
    ]
    assert back.sources["art"].local_copy == "sources/art.fr.txt"


def test_shapes_catch_a_selector_without_words_and_a_copy_without_digest() -> None:
    from rdflib import URIRef

    graph = to_rdf(gk.loads(KB), base=BASE)
    selector = next(graph.subjects(predicate=OA.exact))
    graph.remove((selector, OA.exact, None))
    graph.remove((URIRef(BASE + "source/art"), GK.localCopySha256, None))
    messages = {v.message for v in validate_graph(graph)}
    assert messages == {
        "an excerpt has exactly one non-empty oa:exact",
        "gk:localCopy and gk:localCopySha256 come together (both or neither)",
    }
