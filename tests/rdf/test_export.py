"""Streaming writers, IRIs from hostile ids, the export command and load_kb on RDF files."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

import graphkit as gk
from graphkit.cli import main
from graphkit.model import Document
from graphkit.rdf import (
    InvalidIriError,
    decode,
    encode,
    from_rdf,
    iter_triples,
    serialize,
    to_rdf,
    write_ntriples,
)

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_IDS = [
    "a b",
    'q"uote',
    "<angle>",
    "é北",
    "h#ash",
    "s/lash",
    "p%25ct",
    "..",
    ".",
    "x}y{z;",
    "\\back`",
]


@pytest.fixture(scope="module")
def generated() -> gk.KnowledgeBase:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate

    return gk.KnowledgeBase.from_document(Document.model_validate(generate(400, 7)))


@pytest.fixture(scope="module")
def generated_graph(generated: gk.KnowledgeBase):
    return to_rdf(generated)


@pytest.mark.parametrize("fmt", ["nt", "turtle", "trig", "json-ld"])
def test_streaming_writers_produce_the_rdflib_triples(
    generated, generated_graph, fmt: str, tmp_path
) -> None:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from graphkit.rdf import RDF_FORMATS, read_triples

    expected = generated_graph
    text = serialize(generated, fmt)
    if fmt in ("trig", "json-ld"):  # rdflib 7.6 warns parsing these: use pyoxigraph's parsers
        ours, theirs = tmp_path / f"ours{RDF_FORMATS[fmt][1]}", tmp_path / "theirs.nt"
        ours.write_text(text, encoding="utf-8")
        theirs.write_text(expected.serialize(format="nt"), encoding="utf-8")
        assert set(read_triples(ours)) == set(read_triples(theirs))
        return
    parsed = Graph().parse(data=text, format=RDF_FORMATS[fmt][0])
    assert set(parsed) == set(expected)
    assert isomorphic(parsed, expected)


def test_ntriples_stream_counts_unique_triples(generated, generated_graph) -> None:
    buffer = io.StringIO()
    count = write_ntriples(generated, buffer)
    lines = buffer.getvalue().splitlines()
    assert count == len(lines)
    assert len(set(lines)) == len(generated_graph)
    from collections import Counter

    repeated = {line for line, n in Counter(lines).items() if n > 1}
    # only the direct actor-to-actor triple repeats, when two relations link the same pair
    assert all(" <https://graphkit.example.org/ns/relation/" in line for line in repeated)
    assert sum(len(chunk) for chunk in iter_triples(generated)) == count


def test_write_rdf_files_writes_both_formats_in_one_pass(generated, tmp_path) -> None:
    from graphkit.rdf import write_rdf_files, write_turtle

    targets = {"turtle": tmp_path / "kb.ttl", "nt": tmp_path / "kb.nt"}
    count = write_rdf_files(generated, targets)
    nt, ttl = io.StringIO(), io.StringIO()
    assert write_ntriples(generated, nt) == count
    write_turtle(generated, ttl)
    assert targets["nt"].read_text(encoding="utf-8") == nt.getvalue()
    assert targets["turtle"].read_text(encoding="utf-8") == ttl.getvalue()


def test_write_rdf_files_leaves_nothing_half_written(generated, tmp_path, monkeypatch) -> None:
    from graphkit.rdf import RdfError, export, write_rdf_files

    with pytest.raises(RdfError, match="cannot stream RDF format 'xml'"):
        write_rdf_files(generated, {"xml": tmp_path / "kb.rdf"})
    (tmp_path / "kb.nt").write_text("old\n", encoding="utf-8")
    calls = 0

    def failing(self: object, chunk: list) -> str:
        nonlocal calls
        calls += 1
        if calls == 50:
            raise RuntimeError("disk on fire")
        return "x\n"

    monkeypatch.setattr(export.NTriples, "text", failing)  # the class the writer uses
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_rdf_files(generated, {"turtle": tmp_path / "kb.ttl", "nt": tmp_path / "kb.nt"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.nt"]  # no temporary file left
    assert (tmp_path / "kb.nt").read_text(encoding="utf-8") == "old\n"


@pytest.mark.parametrize("item_id", HOSTILE_IDS)
def test_encoding_is_reversible_and_legal(item_id: str) -> None:
    from graphkit.rdf.iri import check_iri

    segment = encode(item_id)
    assert decode(segment) == item_id
    assert "/" not in segment and "#" not in segment and segment not in (".", "..")
    check_iri("https://x.org/" + segment)


def test_decode_rejects_garbage() -> None:
    with pytest.raises(InvalidIriError):
        decode("bad%zz")
    with pytest.raises(InvalidIriError):
        decode("%C3")


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "trig", "xml"])
def test_hostile_ids_survive_every_format(fmt: str, tmp_path) -> None:
    actors = "\n".join(
        f"  - {{id: {_q(i)}, name: {_q('name ' + i)}, kind: state, aliases: [{_q(i)}]}}"
        for i in HOSTILE_IDS
    )
    kb = gk.loads(
        'format_version: 1\nsources: [{id: "s <1>", title: T, reliability: B}]\nactors:\n'
        + actors
        + "\nevents:\n"
        + f"  - {{id: {_q('e/<1>#')}, type: meeting, date: 2024, actor: {_q(HOSTILE_IDS[1])}, "
        + f'participants: [{{actor: {_q(HOSTILE_IDS[2])}, role: host}}], sources: [{{source: "s <1>", according_to: {_q(HOSTILE_IDS[0])}}}]}}\n'
    )
    from graphkit.rdf import RDF_FORMATS

    path = tmp_path / f"kb{RDF_FORMATS[fmt][1]}"
    path.write_text(serialize(kb, fmt), encoding="utf-8")
    again = from_rdf(path)
    assert again == kb
    assert again.events[0 if False else "e/<1>#"].participants[0].actor == "<angle>"


@pytest.mark.parametrize(
    "base",
    [
        "https://example.org/kb/",
        "https://example.org/a%20b/kb/",
        "https://example.org/kb#",
        "urn:graphkit:kb:",
        "https://example.org/search?q=/",
        "https://example.org/",
    ],
)
def test_turtle_relative_iris_resolve_to_the_minted_ones(base: str, tmp_path) -> None:
    """Two independent parsers read the Turtle (with @base where the base allows it) as the
    N-Triples, whose IRIs are all absolute."""
    import pyoxigraph
    from rdflib import Graph

    kb = gk.loads(
        "format_version: 1\nactors:\n"
        + "\n".join(f"  - {{id: {_q(i)}, name: N, kind: state}}" for i in HOSTILE_IDS)
    )
    turtle, triples = serialize(kb, "turtle", base=base), serialize(kb, "nt", base=base)
    assert turtle.startswith(f"@base <{base}> .") == (base.endswith("/") and "?" not in base)

    def ox(text: str, fmt: pyoxigraph.RdfFormat) -> set[str]:
        return {str(t) for t in pyoxigraph.parse(text.encode(), format=fmt)}

    assert ox(turtle, pyoxigraph.RdfFormat.TURTLE) == ox(triples, pyoxigraph.RdfFormat.N_TRIPLES)
    assert set(Graph().parse(data=turtle, format="turtle")) == set(
        Graph().parse(data=triples, format="nt")
    )
    assert len(turtle) < len(triples)


def _q(text: str) -> str:
    import json

    return json.dumps(text)


def test_minted_iris(flagship) -> None:
    from rdflib import URIRef

    graph = to_rdf(flagship, base="https://example.org/kb#")
    subjects = {str(s) for s in graph.subjects()}
    assert "https://example.org/kb#actor/KOR-NIS" in subjects
    assert "https://example.org/kb#event/nis-3000-total-2024-10-23/quantity/2" in subjects
    assert (
        URIRef("https://example.org/kb#actor/PRK"),
        URIRef("http://www.w3.org/2002/07/owl#sameAs"),
        URIRef("http://www.wikidata.org/entity/Q423"),
    ) in graph
    with pytest.raises(InvalidIriError):
        to_rdf(flagship, base="https://example.org/no slash/")
    with pytest.raises(InvalidIriError):
        to_rdf(flagship, base="https://example.org/kb")


def test_partial_dates_keep_their_precision(flagship) -> None:
    text = serialize(flagship, "nt")
    assert '"2024-10"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>' in text
    assert "<http://www.w3.org/2006/time#inXSDgYear>" in text or "inXSDgYearMonth" in text


def test_export_command_and_rdf_input(tmp_path, capsys) -> None:
    flagship_path = ROOT / "data" / "events.yaml"
    ttl = tmp_path / "kb.ttl"
    assert main(["export", str(flagship_path), "--format", "turtle", "-o", str(ttl)]) == 0
    yaml_out = tmp_path / "kb.yaml"
    assert main(["export", str(ttl), "--format", "yaml", "-o", str(yaml_out)]) == 0
    assert gk.load(yaml_out) == gk.load(flagship_path)
    capsys.readouterr()
    assert main(["export", str(ttl), "--format", "nt"]) == 0
    assert capsys.readouterr().out.count(" .\n") == len(to_rdf(gk.load(flagship_path)))
    assert main(["info", str(ttl)]) == 0
    assert "events:     55" in capsys.readouterr().out
    assert main(["export", str(ttl), "--format", "nope"]) == 2
    err = capsys.readouterr().err
    for name in ("turtle", "json-ld", "nt", "xml", "trig", "yaml"):
        assert name in err
    assert main(["export", str(ttl), "--format", "nt", "--base", "not an iri/"]) == 1
    assert "base IRI" in capsys.readouterr().err


def test_rdf_and_yaml_files_merge(tmp_path, write_yaml) -> None:
    a = gk.loads("format_version: 1\nactors: [{id: A, name: A, kind: state}]")
    (tmp_path / "a.nt").write_text(serialize(a, "nt"), encoding="utf-8")
    b = write_yaml("b.yaml", "format_version: 1\nactors: [{id: B, name: B, kind: state}]\n")
    from graphkit.cli._app import load_kb

    kb = load_kb([tmp_path / "a.nt", b])
    assert sorted(kb.actors.ids()) == ["A", "B"]


def test_unreadable_rdf_is_a_clear_error(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    assert main(["info", str(bad)]) == 1
    assert "cannot parse as turtle" in capsys.readouterr().err
    incomplete = tmp_path / "incomplete.nt"
    incomplete.write_text(
        "<https://x.org/kb/source/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/CreativeWork> .\n"
        "<https://x.org/kb/source/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/prov#Entity> .\n",
        encoding="utf-8",
    )
    assert main(["info", str(incomplete)]) == 1
    assert "does not describe a valid knowledge base" in capsys.readouterr().err


def test_ontology_declares_every_gk_term() -> None:
    from importlib import resources

    from rdflib import Graph, URIRef
    from rdflib.namespace import OWL, RDF

    from graphkit.rdf.namespace import GK

    text = (resources.files("graphkit.rdf") / "graphkit.ttl").read_text(encoding="utf-8")
    ontology = Graph().parse(data=text, format="turtle")
    declared = {
        str(s)
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology.subjects(RDF.type, kind)
    }
    assert declared == {str(GK[name]) for name in GK.__annotations__}
    assert isinstance(next(iter(ontology.subjects(RDF.type, OWL.Ontology))), URIRef)
