"""The shapes catch broken data: each single-triple mutation of a valid export gives a result.

The export is the hostile knowledge base (tests/data/hostile/hostile.yaml), which has every kind
of node (bounds, durations, quantities, quotes, alternative dates, participants, places,
extension types, a symmetric relation type, attributed sources). Each mutation adds, removes or
replaces one triple; the shapes must report at least one result for each (a violation, or the
fact-no-source warning for a fact that lost its only source).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef  # noqa: TID253 - tests may import rdflib
from rdflib.namespace import RDF, RDFS, XSD  # noqa: TID253

import graphkit as gk
from graphkit.rdf import to_rdf
from graphkit.rdf.shacl import validate_graph

ROOT = Path(__file__).resolve().parents[2]
GK = "https://graphkit.example.org/ns#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
TIME = "http://www.w3.org/2006/time#"
PROV = "http://www.w3.org/ns/prov#"
SDO = "https://schema.org/"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
KB = "https://graphkit.example.org/kb/"


def u(text: str) -> URIRef:
    return URIRef(text)


@pytest.fixture(scope="module")
def export() -> Graph:
    return to_rdf(gk.load(ROOT / "tests" / "data" / "hostile" / "hostile.yaml"))


def one(graph: Graph, s: object = None, p: object = None, o: object = None) -> tuple:
    found = sorted(graph.triples((s, p, o)))  # type: ignore[arg-type]
    assert found, (s, p, o)
    return found[0]


def replace(graph: Graph, triple: tuple, new_object: object) -> None:
    graph.remove(triple)
    graph.add((triple[0], triple[1], new_object))


def event(graph: Graph) -> URIRef:
    return u(KB + "event/e%20%231%20%3Cfrappe%3E%20%C3%A9")


def relation(graph: Graph) -> URIRef:
    return u(KB + "relation/r%20%231%20%3Csoutien%3E")


def actor(graph: Graph) -> URIRef:
    return u(KB + "actor/KOR%20NIS")


def source(graph: Graph) -> URIRef:
    return u(KB + "source/src%20%231%20%3Ca%26b%3E%20%C3%A9")


Mutation = Callable[[Graph], None]

MUTATIONS: dict[str, Mutation] = {
    # the seven the issue names
    "event lost rdf:type sem:Event": lambda g: g.remove((event(g), RDF.type, u(SEM + "Event"))),
    "non-date sem:hasEarliestBeginTimeStamp": lambda g: replace(
        g, one(g, event(g), u(SEM + "hasEarliestBeginTimeStamp")), Literal("soon")
    ),
    "latest end before earliest begin": lambda g: replace(
        g,
        one(g, event(g), u(SEM + "hasLatestEndTimeStamp")),
        Literal("2001-01-01", datatype=XSD.date),
    ),
    "relation ends before it starts": lambda g: replace(
        g,
        one(g, u(str(relation(g)) + "/validity/end"), u(TIME + "inXSDgYear")),
        Literal("2020", datatype=XSD.gYear),
    ),
    "prov:wasDerivedFrom points at an actor": lambda g: replace(
        g, one(g, event(g), u(PROV + "wasDerivedFrom")), actor(g)
    ),
    "missing direct gkr: triple": lambda g: g.remove(
        one(
            g,
            u(KB + "actor/%C3%A9%E5%8C%97%20%3Cx%3E"),
            u("https://graphkit.example.org/ns/relation/soutient%20%C3%A0_"),
        )
    ),
    "event with no source": lambda g: g.remove(one(g, event(g), u(PROV + "qualifiedDerivation"))),
    # more broken data
    "symmetric relation lost its reverse direct triple": lambda g: g.remove(
        one(g, u(KB + "actor/%40handle"), u("https://graphkit.example.org/ns/relation/a%20b_"))
    ),
    "relation lost rdf:type gk:Relation": lambda g: g.remove(
        (relation(g), RDF.type, u(GK + "Relation"))
    ),
    "actor lost rdf:type sem:Actor": lambda g: g.remove((actor(g), RDF.type, u(SEM + "Actor"))),
    "actor lost gk:actorKind": lambda g: g.remove(one(g, actor(g), u(GK + "actorKind"))),
    "actor lost dcterms:identifier": lambda g: g.remove(one(g, actor(g), u(DCT + "identifier"))),
    "actor lost schema:name": lambda g: g.remove(one(g, actor(g), u(SDO + "name"))),
    "actor has a second name": lambda g: g.add((actor(g), u(SDO + "name"), Literal("Other"))),
    "unknown actor kind": lambda g: replace(
        g, one(g, actor(g), u(GK + "actorKind")), Literal("empire")
    ),
    "two-letter country": lambda g: replace(g, one(g, actor(g), u(GK + "country")), Literal("KR")),
    "part of an event": lambda g: replace(g, one(g, None, u(GK + "partOf")), event(g)),
    "source reliability G": lambda g: replace(
        g, one(g, source(g), u(GK + "reliability")), Literal("G")
    ),
    "source without title": lambda g: g.remove(one(g, source(g), u(DCT + "title"))),
    "source URL not http": lambda g: replace(
        g, one(g, source(g), u(SDO + "url")), Literal("ftp://x.org/", datatype=XSD.anyURI)
    ),
    "source issued not a date": lambda g: replace(
        g, one(g, source(g), u(DCT + "issued")), Literal("last week")
    ),
    "source language not a tag": lambda g: replace(
        g, one(g, source(g), u(DCT + "language")), Literal("French")
    ),
    "credibility 9": lambda g: replace(g, one(g, relation(g), u(GK + "credibility")), Literal(9)),
    "event lost sem:hasTime": lambda g: g.remove(one(g, event(g), u(SEM + "hasTime"))),
    "event has a literal sem:hasTime": lambda g: g.add(
        (event(g), u(SEM + "hasTime"), Literal("2024"))
    ),
    "event lost sem:eventType": lambda g: g.remove(one(g, event(g), u(SEM + "eventType"))),
    "event type not described": lambda g: g.remove(
        (
            u("https://graphkit.example.org/ns/event-type/frappe%20%231%20%3Cdrone%3E_"),
            RDF.type,
            u(SKOS + "Concept"),
        )
    ),
    "event lost rdfs:label": lambda g: g.remove(one(g, event(g), RDFS.label)),
    "relation lost rdfs:label": lambda g: g.remove(one(g, relation(g), RDFS.label)),
    "relation to a source": lambda g: replace(g, one(g, relation(g), u(GK + "toActor")), source(g)),
    "relation lost gk:fromActor": lambda g: g.remove(one(g, relation(g), u(GK + "fromActor"))),
    "role points at a source": lambda g: replace(
        g, one(g, u(str(event(g)) + "/role/actor"), RDF.value), source(g)
    ),
    "role lost sem:roleType": lambda g: g.remove(
        one(g, u(str(event(g)) + "/role/actor"), u(SEM + "roleType"))
    ),
    "participant lost gk:position": lambda g: g.remove(
        one(g, u(str(event(g)) + "/participant/0"), u(GK + "position"))
    ),
    "source reference to an actor": lambda g: replace(
        g, one(g, u(str(event(g)) + "/source/0"), u(PROV + "entity")), actor(g)
    ),
    "latitude 100": lambda g: replace(
        g, one(g, u(str(event(g)) + "/location"), u(GEO + "lat")), Literal(100)
    ),
    "quantity lost its only figure": lambda g: g.remove(
        one(g, u(str(event(g)) + "/quantity/0"), u(SDO + "value"))
    ),
    "quantity kind sum": lambda g: replace(
        g, one(g, u(str(event(g)) + "/quantity/0"), u(GK + "quantityKind")), Literal("sum")
    ),
    "estimate as text": lambda g: replace(
        g, one(g, u(str(event(g)) + "/quantity/0"), u(GK + "estimate")), Literal("yes")
    ),
    "instant without a date": lambda g: g.remove(
        one(g, u(str(event(g)) + "/time/earliest"), u(TIME + "inXSDDate"))
    ),
    "bounds end before they begin": lambda g: replace(
        g,
        one(g, u(str(event(g)) + "/time/latest"), u(TIME + "inXSDDate")),
        Literal("2024-01-01", datatype=XSD.date),
    ),
    "deprecated time:inXSDDateTime": lambda g: g.add(
        (
            u(KB + "event/100%25/time/start"),
            u(TIME + "inXSDDateTime"),
            Literal("2024-10-01T10:30:00+09:00", datatype=XSD.dateTime),
        )
    ),
    "duration lost its beginning": lambda g: g.remove(
        one(g, u(KB + "event/100%25/time"), u(TIME + "hasBeginning"))
    ),
    "alternative date lost sem:hasTime": lambda g: g.remove(
        one(g, u(str(event(g)) + "/alternative-date/0"), u(SEM + "hasTime"))
    ),
    "derivation shortcut without qualified derivation": lambda g: g.add(
        (event(g), u(PROV + "wasDerivedFrom"), u(KB + "source/%2B5"))
    ),
    "excerpt lost its words": lambda g: g.remove(
        one(g, u(str(event(g)) + "/source/0/excerpt"), u("http://www.w3.org/ns/oa#exact"))
    ),
    "format version 2": lambda g: replace(g, one(g, u(KB), u(GK + "formatVersion")), Literal(2)),
    "goldstein 20": lambda g: replace(
        g,
        one(
            g,
            u("https://graphkit.example.org/ns/event-type/frappe%20%231%20%3Cdrone%3E_"),
            u(GK + "goldstein"),
        ),
        Literal(20.0),
    ),
}


def test_the_unmutated_export_conforms(export: Graph) -> None:
    assert validate_graph(export) == []


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_each_single_triple_mutation_is_reported(export: Graph, name: str) -> None:
    graph = Graph()
    for triple in export:
        graph.add(triple)
    MUTATIONS[name](graph)
    changed = set(graph) ^ set(export)
    assert 1 <= len(changed) <= 2, changed  # one triple added, removed or replaced
    found = validate_graph(graph)
    assert found, f"no SHACL result for: {name}"


def test_at_least_the_issue_count(export: Graph) -> None:
    assert len(MUTATIONS) >= 36
